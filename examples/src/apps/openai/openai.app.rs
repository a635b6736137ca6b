//! OpenAI: an API key, sent as a bearer token.

#[path = "connections/openai.api-key.rs"]
mod api_key;

use connkit::{AppDefinition, app};

pub use api_key::OpenaiApiKey;

/// The OpenAI app.
pub const OPENAI: AppDefinition = app! {
    id: "openai",
    name: "OpenAI",
    description: "Language models",
    logo_url: "https://example.com/logos/openai.svg",
    connections: [OpenaiApiKey],
};
