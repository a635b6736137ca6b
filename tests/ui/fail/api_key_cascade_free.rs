// Three mistakes in one API-key definition: three errors, nothing else (no follow-on errors from the stand-in).
#[connkit::api_key_connection(
    id = "OpenAI_connection_api-key",
    name = "",
    description = "Connect with an API key",
    header = "X Api Key",
)]
pub struct OpenAiApiKey;

fn main() {}
