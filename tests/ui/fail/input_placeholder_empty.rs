// An empty placeholder.
#[connkit::oauth2_connection(
    id = "shopify_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { shop = { label = "Shop name", pattern = "[a-z0-9][a-z0-9-]*" } },
    authorize_url = "https://{shop}.myshopify.com/admin/oauth/authorize",
    token_url = "https://{}.myshopify.com/admin/oauth/access_token",
    scopes = ["read"],
)]
pub struct ShopifyOAuth2;

fn main() {}
