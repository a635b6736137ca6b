//! The API-key connection of OpenAI.

use connkit::api_key_connection;

/// The API-key connection of OpenAI (`Authorization: Bearer <key>`).
#[api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Connect with an OpenAI API key",
    header = "Authorization",
    prefix = "Bearer "
)]
pub struct OpenaiApiKey;
