//! The key-pair connection of Notes.

use connkit::key_pair_connection;

/// The key-pair connection of Notes.
#[key_pair_connection(
    id = "notes_connection_key-pair",
    name = "Key pair",
    description = "Connect to Notes with a key pair",
)]
pub struct NotesKeyPair;
