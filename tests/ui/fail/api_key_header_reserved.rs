// A header the HTTP client sets itself.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Host",
)]
pub struct OpenAiApiKey;

fn main() {}
