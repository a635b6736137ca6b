//! The OAuth2 connection of Shopify.

// The shop's subdomain is a host label: its value can add no dot, port, user info or path, so
// the client secret only ever goes to a `*.myshopify.com` host. Shopify joins scopes with commas.
use connkit::oauth2_connection;

/// The OAuth2 connection of Shopify (a shop's own authorization server).
#[oauth2_connection(
    id = "shopify_connection_oauth2",
    name = "OAuth2",
    description = "Connect to your Shopify store",
    inputs = {
        shop = { label = "Shop name (the part before .myshopify.com)", pattern = "[a-zA-Z0-9][a-zA-Z0-9-]*" },
    },
    authorize_url = "https://{shop}.myshopify.com/admin/oauth/authorize",
    token_url = "https://{shop}.myshopify.com/admin/oauth/access_token",
    scopes = ["read_products", "write_products", "read_orders"],
    scope_delimiter = ",",
    token_request_format = "json",
)]
pub struct ShopifyOAuth2;
