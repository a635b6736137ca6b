// Lecca shipped `codesandbox_connection_-api-key`: the kind follows `_connection_` directly.
#[connkit::api_key_connection(
    id = "codesandbox_connection_-api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Authorization",
    prefix = "Bearer ",
)]
pub struct CodesandboxApiKey;

fn main() {}
