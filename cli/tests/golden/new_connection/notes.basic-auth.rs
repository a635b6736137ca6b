//! The basic-auth connection of Notes.

use connkit::basic_auth_connection;

/// The basic-auth connection of Notes.
#[basic_auth_connection(
    id = "notes_connection_basic-auth",
    name = "User name and password",
    description = "Connect to Notes with a user name and password",
)]
pub struct NotesBasicAuth;
