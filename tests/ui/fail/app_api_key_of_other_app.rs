// An API-key connection listed in another app: the ownership rule covers every kind.
#[connkit::api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an API key",
    header = "Authorization",
    prefix = "Bearer ",
)]
pub struct OpenAiApiKey;

pub const ANTHROPIC: connkit::AppDefinition = connkit::app! {
    id: "anthropic",
    name: "Anthropic",
    description: "Claude",
    logo_url: "https://example.com/anthropic.svg",
    connections: [OpenAiApiKey],
};

fn main() {}
