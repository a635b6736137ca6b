//! A registry of apps, built by `registry!`.

use super::app::AppDefinition;
use super::connection::ConnectionDefinition;

/// A set of apps with unique app ids and unique connection ids, checked at compile time by
/// `registry![...]`.
///
/// Lookups go through a hash table of the app ids built at compile time (open addressing, at
/// most half full), so they cost the same at 10 apps as at 1,000; a connection is found through
/// its app (the app id is the part of a connection id before `_connection_`), so no lookup
/// scans every connection.
///
/// ```
/// use connkit::{app, registry, AppDefinition, Registry};
///
/// const NOTES: AppDefinition = app! { id: "notes", name: "Notes", description: "Notes", logo_url: "https://example.com/n.svg" };
/// const TASKS: AppDefinition = app! { id: "tasks", name: "Tasks", description: "Tasks", logo_url: "https://example.com/t.svg" };
/// const APPS: Registry = registry![TASKS, NOTES];
///
/// assert_eq!(APPS.app("notes").map(|app| app.name()), Some("Notes"));
/// assert!(APPS.app("mail").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registry {
    pub(crate) apps: &'static [AppDefinition],
    /// Indices into `apps` by [`app_id_hash`] (linear probing; `u16::MAX` is an empty slot),
    /// a power of two long.
    pub(crate) table: &'static [u16],
}

/// The hash of an app id in a registry's table (FNV-1a, 32 bits): the same function at compile
/// time, where `registry!` fills the table, and at run time.
pub(crate) const fn app_id_hash(id: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < id.len() {
        hash ^= id[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

impl Registry {
    /// The apps, in the order they were listed.
    pub const fn apps(&self) -> &'static [AppDefinition] {
        self.apps
    }

    /// The app with this id.
    pub fn app(&self, id: &str) -> Option<&'static AppDefinition> {
        let mask = self.table.len().wrapping_sub(1);
        let mut slot = app_id_hash(id.as_bytes()) as usize & mask;
        // The table always has an empty slot (it is at most half full); the bound is a guard.
        for _ in 0..self.table.len() {
            // An empty slot (`u16::MAX`) is past the end of `apps`: the id is not there.
            let app = self.apps.get(usize::from(*self.table.get(slot)?))?;
            if app.id() == id {
                return Some(app);
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// The connection with this id, found through its app.
    pub fn connection(&self, id: &str) -> Option<&'static ConnectionDefinition> {
        // App ids are kebab-case, without `_`: in a connection id, the app id runs up to the
        // first `_` (a byte search, where looking for `_connection_` costs a substring search).
        // An id of another shape finds no app, or an app without it.
        let (app_id, _) = id.split_once('_')?;
        self.app(app_id)?.connection(id)
    }
}
