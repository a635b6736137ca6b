//! What generated code calls. Not public API: it may change in any release.

use connkit_rules::str_cmp;

pub use connkit_rules::id::{ComponentIdCheck, ComponentKind, check_component_id};

use crate::app::{App, ComponentDefinition};
use crate::connection::{ClientAuth, ConnectionDefinition, OAuth2Connection};
use crate::registry::Registry;

/// The fields of an [`OAuth2Connection`], in the order `#[oauth2_connection]` writes them.
#[allow(missing_docs)]
pub struct OAuth2ConnectionParts {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub authorize_endpoint: &'static str,
    pub token_endpoint: &'static str,
    pub scopes: &'static [&'static str],
    pub scope_delimiter: &'static str,
    pub client_id_env: &'static str,
    pub client_secret_env: &'static str,
    pub client_auth: ClientAuth,
    pub pkce: bool,
    pub auth_params: &'static [(&'static str, &'static str)],
    pub token_headers: &'static [(&'static str, &'static str)],
    pub refresh_params: &'static [(&'static str, &'static str)],
    pub redirect_to_localhost_in_development: bool,
}

/// Builds a checked definition.
pub const fn oauth2_connection(parts: OAuth2ConnectionParts) -> OAuth2Connection {
    OAuth2Connection {
        id: parts.id,
        name: parts.name,
        description: parts.description,
        authorize_endpoint: parts.authorize_endpoint,
        token_endpoint: parts.token_endpoint,
        scopes: parts.scopes,
        scope_delimiter: parts.scope_delimiter,
        client_id_env: parts.client_id_env,
        client_secret_env: parts.client_secret_env,
        client_auth: parts.client_auth,
        pkce: parts.pkce,
        auth_params: parts.auth_params,
        token_headers: parts.token_headers,
        refresh_params: parts.refresh_params,
        redirect_to_localhost_in_development: parts.redirect_to_localhost_in_development,
        placeholder: false,
    }
}

/// The stand-in emitted after a compile error in `#[oauth2_connection]`.
pub const PLACEHOLDER_OAUTH2_CONNECTION: OAuth2Connection = OAuth2Connection {
    placeholder: true,
    ..oauth2_connection(OAuth2ConnectionParts {
        id: "",
        name: "",
        description: "",
        authorize_endpoint: "https://invalid.invalid/",
        token_endpoint: "https://invalid.invalid/",
        scopes: &[],
        scope_delimiter: " ",
        client_id_env: "",
        client_secret_env: "",
        client_auth: ClientAuth::Body,
        pkce: false,
        auth_params: &[],
        token_headers: &[],
        refresh_params: &[],
        redirect_to_localhost_in_development: false,
    })
};

/// The fields of an [`App`].
#[allow(missing_docs)]
pub struct AppParts {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub logo_url: &'static str,
    pub is_published: bool,
    pub available_for_agent: bool,
    pub actions: &'static [ComponentDefinition],
    pub triggers: &'static [ComponentDefinition],
    pub connections: &'static [ConnectionDefinition],
}

/// Builds a checked app.
pub const fn app(parts: AppParts) -> App {
    App {
        id: parts.id,
        name: parts.name,
        description: parts.description,
        logo_url: parts.logo_url,
        is_published: parts.is_published,
        available_for_agent: parts.available_for_agent,
        actions: parts.actions,
        triggers: parts.triggers,
        connections: parts.connections,
        placeholder: false,
    }
}

/// The stand-in emitted after a compile error in `app!`.
pub const PLACEHOLDER_APP: App = App {
    placeholder: true,
    ..app(AppParts {
        id: "",
        name: "",
        description: "",
        logo_url: "https://invalid.invalid/",
        is_published: false,
        available_for_agent: false,
        actions: &[],
        triggers: &[],
        connections: &[],
    })
};

/// Whether a listed connection breaks the ownership rule (placeholders never do).
pub const fn connection_foreign_to(connection: &ConnectionDefinition, app_id: &str) -> bool {
    !connection.is_placeholder()
        && !connkit_rules::id::connection_belongs_to(connection.id(), app_id)
}

/// Whether two listed connections share an id (placeholders never do).
pub const fn same_connection_id(a: &ConnectionDefinition, b: &ConnectionDefinition) -> bool {
    !a.is_placeholder() && !b.is_placeholder() && connkit_rules::str_eq(a.id(), b.id())
}

/// Whether two components share an id.
pub const fn same_component_id(a: &ComponentDefinition, b: &ComponentDefinition) -> bool {
    connkit_rules::str_eq(a.id, b.id)
}

/// How two apps of a registry clash.
pub enum AppConflict {
    /// They do not.
    None,
    /// Both have the same app id.
    SameId,
    /// A connection id appears in both.
    SharedConnection,
}

/// How two apps of a registry clash (placeholders never do).
pub const fn apps_conflict(a: &App, b: &App) -> AppConflict {
    if a.placeholder || b.placeholder {
        return AppConflict::None;
    }
    if connkit_rules::str_eq(a.id, b.id) {
        return AppConflict::SameId;
    }
    let mut i = 0;
    while i < a.connections.len() {
        let mut j = 0;
        while j < b.connections.len() {
            if same_connection_id(&a.connections[i], &b.connections[j]) {
                return AppConflict::SharedConnection;
            }
            j += 1;
        }
        i += 1;
    }
    AppConflict::None
}

/// Indices of `apps` sorted by app id (insertion sort: registries are small and this runs once,
/// at compile time).
pub const fn order_by_id<const N: usize>(apps: &[App]) -> [u16; N] {
    assert!(apps.len() == N && N <= u16::MAX as usize);
    let mut order = [0u16; N];
    let mut i = 0;
    while i < N {
        order[i] = i as u16;
        let mut j = i;
        while j > 0
            && matches!(
                str_cmp(apps[order[j - 1] as usize].id, apps[order[j] as usize].id),
                core::cmp::Ordering::Greater
            )
        {
            let swap = order[j - 1];
            order[j - 1] = order[j];
            order[j] = swap;
            j -= 1;
        }
        i += 1;
    }
    order
}

/// Builds a checked registry.
pub const fn registry(apps: &'static [App], order_by_id: &'static [u16]) -> Registry {
    Registry { apps, order_by_id }
}
