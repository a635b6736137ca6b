// An API key is used as it is: it has no token endpoint.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Authorization",
    prefix = "Bearer ",
    token_url = "https://api.openai.com/oauth/token",
)]
pub struct OpenAi;

fn main() {}
