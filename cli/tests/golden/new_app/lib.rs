//! A catalogue laid out like connkit's own, for the `connkit new` tests.

use connkit::{Registry, registry};

#[path = "apps/google-sheets/google-sheets.app.rs"]
pub mod google_sheets;
#[path = "apps/notes/notes.app.rs"]
pub mod notes;

/// Every app of the catalogue.
pub const CATALOGUE: Registry = registry![
    google_sheets::GOOGLE_SHEETS,
    notes::NOTES,
];
