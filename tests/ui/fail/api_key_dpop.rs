// DPoP binds tokens from a token endpoint to a key: an API key has none.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Authorization",
    prefix = "Bearer ",
    dpop = true,
)]
pub struct OpenAi;

fn main() {}
