// A query parameter name that would need escaping.
#[connkit::api_key_connection(
    id = "zendesk_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    query = "api token",
)]
pub struct ZendeskApiKey;

fn main() {}
