//! The OAuth2 connection of Notes.

use connkit::oauth2_connection;

/// The OAuth2 connection of Notes.
#[oauth2_connection(
    id = "notes_connection_oauth2-EU",
    name = "OAuth2",
    description = "Connect to Notes with OAuth2",
    authorize_url = "https://notes.example.com/oauth/authorize",
    token_url = "https://notes.example.com/oauth/token",
    scopes = [],
)]
pub struct NotesOAuth2EU;
