//! Notes.

#[path = "connections/notes.oauth2.rs"]
mod oauth2;
#[path = "connections/notes.oauth2-EU.rs"]
mod oauth2_eu;
#[path = "connections/notes.api-key.rs"]
mod api_key;
#[path = "connections/notes.basic-auth.rs"]
mod basic_auth;
#[path = "connections/notes.key-pair.rs"]
mod key_pair;

use connkit::{AppDefinition, app};

pub use oauth2::NotesOAuth2;
pub use oauth2_eu::NotesOAuth2EU;
pub use api_key::NotesApiKey;
pub use basic_auth::NotesBasicAuth;
pub use key_pair::NotesKeyPair;

/// The Notes app.
pub const NOTES: AppDefinition = app! {
    id: "notes",
    name: "Notes",
    description: "Notes",
    logo_url: "https://example.com/logos/notes.svg",
    connections: [NotesOAuth2, NotesOAuth2EU, NotesApiKey, NotesBasicAuth, NotesKeyPair],
};
