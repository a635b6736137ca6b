// A prefix only makes sense in a header.
#[connkit::api_key_connection(
    id = "zendesk_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    query = "api_token",
    prefix = "Bearer ",
)]
pub struct ZendeskApiKey;

fn main() {}
