// A misspelled key of the API-key kind.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    heder = "Authorization",
)]
pub struct OpenAiApiKey;

fn main() {}
