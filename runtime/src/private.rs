//! What generated code calls. Not public API: it may change in any release.
//!
//! After a compile error a macro still emits a definition (a stand-in with every key at a
//! neutral value), so that the user sees one error and no follow-on errors. The stand-in is the
//! only definition with an empty id, which no checked definition can have; the cross-macro
//! checks below skip it by that.

use connkit_rules::{str_cmp, str_eq};

pub use connkit_rules::id::{ComponentIdCheck, ComponentKind, check_component_id};

pub use crate::definition::{
    ApiKeyDefinition, ApiKeyFields, AppDefinition, AppFields, BasicAuthDefinition, BasicAuthFields,
    ClientAuth, ComponentDefinition, ConnectionDefinition, Input, InputFields, KeyPairDefinition,
    KeyPairFields, OAuth2Definition, OAuth2Fields, Registry, TokenRequestFormat,
};

/// Builds a checked (or stand-in) API-key definition.
pub const fn api_key(fields: ApiKeyFields) -> ApiKeyDefinition {
    ApiKeyDefinition::from_fields(fields)
}

/// Builds a checked (or stand-in) basic-auth definition.
pub const fn basic_auth(fields: BasicAuthFields) -> BasicAuthDefinition {
    BasicAuthDefinition::from_fields(fields)
}

/// Builds a checked (or stand-in) key-pair definition.
pub const fn key_pair(fields: KeyPairFields) -> KeyPairDefinition {
    KeyPairDefinition::from_fields(fields)
}

/// Builds a checked (or stand-in) OAuth2 definition.
pub const fn oauth2(fields: OAuth2Fields) -> OAuth2Definition {
    OAuth2Definition::from_fields(fields)
}

/// Builds a checked input.
pub const fn input(fields: InputFields) -> Input {
    Input::from_fields(fields)
}

/// Builds a checked (or stand-in) app.
pub const fn app(fields: AppFields) -> AppDefinition {
    AppDefinition::from_fields(fields)
}

/// Whether a definition is the stand-in emitted after a compile error.
const fn is_stand_in(id: &str) -> bool {
    id.is_empty()
}

/// Whether a listed connection breaks the ownership rule (stand-ins never do).
pub const fn connection_foreign_to(connection: &ConnectionDefinition, app_id: &str) -> bool {
    !is_stand_in(connection.id())
        && !connkit_rules::id::connection_belongs_to(connection.id(), app_id)
}

/// Whether two listed connections share an id (stand-ins never do).
pub const fn same_connection_id(a: &ConnectionDefinition, b: &ConnectionDefinition) -> bool {
    !is_stand_in(a.id()) && str_eq(a.id(), b.id())
}

/// Whether two components share an id.
pub const fn same_component_id(a: &ComponentDefinition, b: &ComponentDefinition) -> bool {
    str_eq(a.id(), b.id())
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

/// How two apps of a registry clash (stand-ins never do).
pub const fn apps_conflict(a: &AppDefinition, b: &AppDefinition) -> AppConflict {
    if is_stand_in(a.id()) || is_stand_in(b.id()) {
        return AppConflict::None;
    }
    if str_eq(a.id(), b.id()) {
        return AppConflict::SameId;
    }
    let (a, b) = (a.connections(), b.connections());
    let mut i = 0;
    while i < a.len() {
        let mut j = 0;
        while j < b.len() {
            if same_connection_id(&a[i], &b[j]) {
                return AppConflict::SharedConnection;
            }
            j += 1;
        }
        i += 1;
    }
    AppConflict::None
}

/// Indices of `apps` sorted by app id (insertion sort: this runs once, at compile time).
pub const fn order_by_id<const N: usize>(apps: &[AppDefinition]) -> [u16; N] {
    assert!(apps.len() == N && N <= u16::MAX as usize);
    let mut order = [0u16; N];
    let mut i = 0;
    while i < N {
        order[i] = i as u16;
        let mut j = i;
        while j > 0
            && matches!(
                str_cmp(
                    apps[order[j - 1] as usize].id(),
                    apps[order[j] as usize].id()
                ),
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
pub const fn registry(apps: &'static [AppDefinition], order_by_id: &'static [u16]) -> Registry {
    Registry { apps, order_by_id }
}
