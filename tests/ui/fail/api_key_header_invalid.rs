// A header name with a space.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Api Key",
)]
pub struct OpenAiApiKey;

fn main() {}
