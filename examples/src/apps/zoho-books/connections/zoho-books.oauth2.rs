//! The OAuth2 connection of Zoho Books.

// Lecca shipped the regional variant id `zoho-books_connection_oauth2-US` ("zoho.com"); rule 1
// allows a `-<variant>` suffix, so the id is kept as shipped.
use connkit::oauth2_connection;

/// The OAuth2 connection of Zoho Books.
#[oauth2_connection(
    id = "zoho-books_connection_oauth2-US",
    name = "zoho.com",
    description = "Connect to Zoho Books using OAuth2",
    authorize_url = "https://accounts.zoho.com/oauth/v2/auth",
    token_url = "https://accounts.zoho.com/oauth/v2/token",
    scopes = [
        "ZohoBooks.fullaccess.ALL",
    ],
    scope_delimiter = ",",
    auth_params = { prompt = "consent", access_type = "offline" },
)]
pub struct ZohoBooksOAuth2;
