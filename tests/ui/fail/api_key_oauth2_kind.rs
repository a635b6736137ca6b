// An API-key connection id says `api-key`, not `oauth2`.
#[connkit::api_key_connection(
    id = "openai_connection_oauth2",
    name = "API key",
    description = "Connect with an API key",
    header = "Authorization",
)]
pub struct OpenAiApiKey;

fn main() {}
