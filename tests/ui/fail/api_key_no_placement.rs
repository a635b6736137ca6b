// A key must go somewhere: header or query.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
)]
pub struct OpenAiApiKey;

fn main() {}
