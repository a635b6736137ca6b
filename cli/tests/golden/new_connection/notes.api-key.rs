//! The API-key connection of Notes.

use connkit::api_key_connection;

/// The API-key connection of Notes.
#[api_key_connection(
    id = "notes_connection_api-key",
    name = "API key",
    description = "Connect to Notes with an API key",
    header = "Authorization",
    prefix = "Bearer ",
)]
pub struct NotesApiKey;
