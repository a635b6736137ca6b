// A key goes in a header or in the query, not both.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Authorization",
    query = "api_key",
)]
pub struct OpenAiApiKey;

fn main() {}
