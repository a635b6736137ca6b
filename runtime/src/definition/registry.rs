//! A registry of apps, built by `registry!`.

use super::app::AppDefinition;
use super::connection::ConnectionDefinition;

/// A set of apps with unique app ids and unique connection ids, checked at compile time by
/// `registry![...]`.
///
/// Lookups are binary searches over an order of the app ids computed at compile time; a
/// connection is found through its app (the app id is the part of a connection id before
/// `_connection_`), so no lookup scans every connection.
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
    /// Indices into `apps`, sorted by app id.
    pub(crate) order_by_id: &'static [u16],
}

impl Registry {
    /// The apps, in the order they were listed.
    pub const fn apps(&self) -> &'static [AppDefinition] {
        self.apps
    }

    /// The app with this id.
    pub fn app(&self, id: &str) -> Option<&'static AppDefinition> {
        let apps = self.apps;
        self.order_by_id
            .binary_search_by(|&index| apps[usize::from(index)].id().cmp(id))
            .ok()
            .map(|position| &apps[usize::from(self.order_by_id[position])])
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
