//! A regional variant (`-US`, as Lecca shipped for Zoho) may read the variant's variables.
use connkit::{app, oauth2_connection, AppDefinition};

#[oauth2_connection(
    id = "zoho-books_connection_oauth2-US",
    name = "zoho.com",
    description = "Connect to zoho.com using OAuth2",
    authorize_url = "https://accounts.zoho.com/oauth/v2/auth",
    token_url = "https://accounts.zoho.com/oauth/v2/token",
    scopes = ["ZohoBooks.fullaccess.ALL"],
    client_id_env = "INTEGRATION_ZOHO_BOOKS_US_CLIENT_ID",
    client_secret_env = "INTEGRATION_ZOHO_BOOKS_US_CLIENT_SECRET",
)]
pub struct ZohoBooksUs;

#[oauth2_connection(
    id = "zoho-books_connection_oauth2-EU",
    name = "zoho.eu",
    description = "Connect to zoho.eu using OAuth2",
    authorize_url = "https://accounts.zoho.eu/oauth/v2/auth",
    token_url = "https://accounts.zoho.eu/oauth/v2/token",
    scopes = ["ZohoBooks.fullaccess.ALL"],
)]
pub struct ZohoBooksEu;

const ZOHO_BOOKS: AppDefinition = app! {
    id: "zoho-books",
    name: "Zoho Books",
    description: "Accounting",
    logo_url: "https://example.com/zoho-books.svg",
    connections: [ZohoBooksUs, ZohoBooksEu],
};

fn main() {
    assert_eq!(ZOHO_BOOKS.connections().len(), 2);
    assert_eq!(ZohoBooksUs::DEFINITION.client_id_env(), "INTEGRATION_ZOHO_BOOKS_US_CLIENT_ID");
    // Without an explicit name a variant uses the app's variables.
    assert_eq!(ZohoBooksEu::DEFINITION.client_id_env(), "INTEGRATION_ZOHO_BOOKS_CLIENT_ID");
}
