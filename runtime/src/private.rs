//! What generated code calls. Not public API: it may change in any release.
//!
//! After a compile error a macro still emits a definition (a stand-in with every key at a
//! neutral value), so that the user sees one error and no follow-on errors. The stand-in is the
//! only definition with an empty id, which no checked definition can have; the cross-macro
//! checks below skip it by that.

use connkit_rules::{str_cmp, str_eq};

use crate::definition::app_id_hash;

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

/// What `check_registry` found for one app: nothing, or an earlier app with the same id.
#[derive(Clone, Copy)]
pub enum Clash {
    /// It clashes with no earlier app.
    None,
    /// The earlier app at this index has the same app id.
    SameId(u16),
}

/// A registry's checked index: its apps' order by id, and for each app the first earlier app
/// with its id. Computed by one `const` evaluation; each app's assertion only reads its entry,
/// so the generated items are linear in the number of apps.
///
/// Connection ids need no check of their own: `app!` makes every connection id start with
/// `<app-id>_connection_`, and app ids (kebab-case, without `_`) that differ make prefixes that
/// differ, so two apps can share a connection id only if they share the app id.
pub struct RegistryCheck<const N: usize, const SLOTS: usize> {
    /// Indices into the apps, sorted by app id.
    pub order: [u16; N],
    /// The registry's lookup table: indices into the apps by the hash of their id, with linear
    /// probing (`u16::MAX`: an empty slot). `SLOTS` is a power of two of at least `2 * N`
    /// (so at least one slot stays empty), or 1 for no apps.
    pub table: [u16; SLOTS],
    /// For each app, in listing order.
    pub clashes: [Clash; N],
}

/// Sorts the `N` apps by id (a merge sort: O(n log n) comparisons of short ids), finds each
/// app's first earlier app with the same id, and fills the lookup table. Stand-ins (empty ids,
/// after a compile error) never clash and are left out of the table.
pub const fn check_registry<const N: usize, const SLOTS: usize>(
    apps: &[AppDefinition],
) -> RegistryCheck<N, SLOTS> {
    assert!(apps.len() == N && N < u16::MAX as usize);
    assert!(SLOTS.is_power_of_two() && SLOTS >= 2 * N);
    // Each id is read once: calls are what const evaluation is slowest at.
    let mut ids = [""; N];
    let mut order = [0u16; N];
    let mut i = 0;
    while i < N {
        ids[i] = apps[i].id();
        order[i] = i as u16;
        i += 1;
    }
    let order = merge_sort_apps(&ids, order);
    let mut clashes = [Clash::None; N];
    // Equal app ids are neighbours; stability keeps each run in listing order, so its first
    // member is the earliest app.
    let mut start = 0;
    while start < N {
        let first = order[start] as usize;
        let mut next = start + 1;
        while next < N && str_eq(ids[order[next] as usize], ids[first]) {
            if !is_stand_in(ids[first]) {
                clashes[order[next] as usize] = Clash::SameId(first as u16);
            }
            next += 1;
        }
        start = next;
    }
    let mut table = [u16::MAX; SLOTS];
    let mut app = 0;
    while app < N {
        if !is_stand_in(ids[app]) {
            let mut slot = app_id_hash(ids[app].as_bytes()) as usize & (SLOTS - 1);
            while table[slot] != u16::MAX {
                slot = (slot + 1) & (SLOTS - 1);
            }
            table[slot] = app as u16;
        }
        app += 1;
    }
    RegistryCheck {
        order,
        clashes,
        table,
    }
}

/// The number of slots of the lookup table of a registry of `apps` apps: the `SLOTS` of
/// [`check_registry`].
pub const fn registry_slots(apps: usize) -> usize {
    (2 * apps).next_power_of_two()
}

/// `order` (indices into `ids`) sorted by id: a stable bottom-up merge sort, O(n log n)
/// comparisons.
const fn merge_sort_apps<const N: usize>(ids: &[&str; N], mut order: [u16; N]) -> [u16; N] {
    let mut scratch = order;
    let mut width = 1;
    while width < N {
        let mut left = 0;
        while left < N {
            let middle = if left + width < N { left + width } else { N };
            let right = if left + 2 * width < N {
                left + 2 * width
            } else {
                N
            };
            let (mut i, mut j, mut k) = (left, middle, left);
            while k < right {
                let take_left = i < middle
                    && (j >= right
                        || !matches!(
                            str_cmp(ids[order[i] as usize], ids[order[j] as usize]),
                            core::cmp::Ordering::Greater
                        ));
                if take_left {
                    scratch[k] = order[i];
                    i += 1;
                } else {
                    scratch[k] = order[j];
                    j += 1;
                }
                k += 1;
            }
            left = right;
        }
        let swap = order;
        order = scratch;
        scratch = swap;
        width *= 2;
    }
    order
}

/// A message put together at compile time from fixed pieces and names (const code cannot
/// allocate); long names are cut at the buffer's end.
pub struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Self {
            bytes: [0; 512],
            len: 0,
        }
    }

    const fn push(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        let mut i = 0;
        while i < text.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// The message (a cut inside a character drops that character).
    pub const fn as_str(&self) -> &str {
        let mut len = self.len;
        loop {
            let (head, _) = self.bytes.split_at(len);
            match core::str::from_utf8(head) {
                Ok(text) => return text,
                Err(_) => len -= 1,
            }
        }
    }
}

impl Message {
    /// `parts` filled in with `values` (the wording lives in connkit-rules).
    pub const fn render(
        parts: &[connkit_rules::id::MessagePart],
        values: &connkit_rules::id::MessageValues<'_>,
    ) -> Self {
        let mut message = Self::new();
        let mut i = 0;
        while i < parts.len() {
            message = message.push(parts[i].text(values));
            i += 1;
        }
        message
    }
}

/// The first mistake among an app's connections, and the index of the one to point at: a
/// connection of another app (the first in the list), else two with one id (the later one).
/// `names` are the connections as written. One `const` evaluation per app.
pub const fn app_connections_clash(
    connections: &[ConnectionDefinition],
    app_id: &str,
    names: &[&str],
) -> Option<(usize, Message)> {
    use connkit_rules::id::{
        DUPLICATE_CONNECTION_MESSAGE, FOREIGN_CONNECTION_MESSAGE, MessageValues,
    };
    let mut i = 0;
    while i < connections.len() {
        if connection_foreign_to(&connections[i], app_id) {
            let values = MessageValues {
                shown: names[i],
                first: "",
                app_id,
                kind: "",
            };
            return Some((i, Message::render(FOREIGN_CONNECTION_MESSAGE, &values)));
        }
        i += 1;
    }
    let mut second = 1;
    while second < connections.len() {
        let mut first = 0;
        while first < second {
            if same_connection_id(&connections[first], &connections[second]) {
                let values = MessageValues {
                    shown: names[second],
                    first: names[first],
                    app_id,
                    kind: "",
                };
                return Some((
                    second,
                    Message::render(DUPLICATE_CONNECTION_MESSAGE, &values),
                ));
            }
            first += 1;
        }
        second += 1;
    }
    None
}

/// The first mistake among an app's actions (or triggers), and the index of the one to point
/// at: an id of another app or with a bad name (the first in the list), else two with one id
/// (the later one).
pub const fn app_components_clash(
    components: &[ComponentDefinition],
    app_id: &str,
    kind: ComponentKind,
    names: &[&str],
) -> Option<(usize, Message)> {
    use connkit_rules::id::{
        COMPONENT_NAME_MESSAGE, DUPLICATE_COMPONENT_MESSAGE, FOREIGN_COMPONENT_MESSAGE,
        MessageValues,
    };
    let mut i = 0;
    while i < components.len() {
        let parts = match check_component_id(components[i].id(), app_id, kind) {
            ComponentIdCheck::Valid => None,
            ComponentIdCheck::WrongApp => Some(FOREIGN_COMPONENT_MESSAGE),
            ComponentIdCheck::BadName => Some(COMPONENT_NAME_MESSAGE),
        };
        if let Some(parts) = parts {
            let values = MessageValues {
                shown: names[i],
                first: "",
                app_id,
                kind: kind.as_str(),
            };
            return Some((i, Message::render(parts, &values)));
        }
        i += 1;
    }
    let mut second = 1;
    while second < components.len() {
        let mut first = 0;
        while first < second {
            if same_component_id(&components[first], &components[second]) {
                let values = MessageValues {
                    shown: names[second],
                    first: names[first],
                    app_id,
                    kind: kind.as_str(),
                };
                return Some((
                    second,
                    Message::render(DUPLICATE_COMPONENT_MESSAGE, &values),
                ));
            }
            first += 1;
        }
        second += 1;
    }
    None
}

/// The first app of a checked registry that clashes with an earlier app, and its compile error;
/// `names` are the apps as written in `registry![...]`. One evaluation for the whole registry.
pub const fn registry_clash<const N: usize, const SLOTS: usize>(
    check: &RegistryCheck<N, SLOTS>,
    names: &[&str],
) -> Option<(usize, Message)> {
    let mut index = 0;
    while index < N {
        if let Clash::SameId(earlier) = check.clashes[index] {
            let values = connkit_rules::id::MessageValues {
                shown: names[index],
                first: names[earlier as usize],
                app_id: "",
                kind: "",
            };
            return Some((
                index,
                Message::render(connkit_rules::id::DUPLICATE_APP_MESSAGE, &values),
            ));
        }
        index += 1;
    }
    None
}

/// Builds a checked registry.
pub const fn registry(apps: &'static [AppDefinition], table: &'static [u16]) -> Registry {
    Registry { apps, table }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{OAuth2Definition, OAuth2Fields, TokenRequestFormat};

    const fn connection(id: &'static str) -> OAuth2Definition {
        oauth2(OAuth2Fields {
            id,
            name: "n",
            description: "d",
            authorize_url: "https://a.example/a",
            token_url: "https://a.example/t",
            scopes: &[],
            scope_delimiter: " ",
            client_id_env: "",
            client_secret_env: "",
            client_auth: ClientAuth::Body,
            pkce: true,
            auth_params: &[],
            token_headers: &[],
            refresh_params: &[],
            redirect_to_localhost_in_development: false,
            issuer: None,
            require_iss: false,
            inputs: &[],
            hosts: &[],
            any_host: false,
            refresh_url: None,
            revoke_url: None,
            token_params: &[],
            token_request_format: TokenRequestFormat::Form,
            refresh_scopes: false,
            redirect_uri_on_refresh: false,
            token_path: None,
            token_metadata: &[],
            incremental_auth: false,
        })
    }

    const A: OAuth2Definition = connection("a_connection_oauth2");
    const B: OAuth2Definition = connection("b_connection_oauth2");

    const fn app_of(
        id: &'static str,
        connections: &'static [ConnectionDefinition],
    ) -> AppDefinition {
        app(AppFields {
            id,
            name: "n",
            description: "d",
            logo_url: "https://a.example/l.svg",
            is_published: true,
            available_for_agent: true,
            actions: &[],
            triggers: &[],
            connections,
        })
    }

    /// The order by id, each app's earlier app with the same id, and the first clash's message.
    fn clashes<const N: usize>(
        apps: &[AppDefinition],
    ) -> (Vec<u16>, Vec<Option<u16>>, Option<(usize, String)>) {
        let check = check_registry::<N, 16>(apps);
        let names: Vec<String> = (0..N).map(|i| format!("APP{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let earlier = check
            .clashes
            .iter()
            .map(|clash| match clash {
                Clash::None => None,
                Clash::SameId(earlier) => Some(*earlier),
            })
            .collect();
        let first = registry_clash(&check, &names)
            .map(|(index, message)| (index, message.as_str().to_owned()));
        (check.order.to_vec(), earlier, first)
    }

    #[test]
    fn the_order_is_by_id_and_each_clash_names_the_earliest_app() {
        const APPS: [AppDefinition; 5] = [
            app_of("zeta", &[]),
            app_of("alpha", &[ConnectionDefinition::OAuth2(&A)]),
            app_of("mid", &[]),
            app_of("alpha", &[]),
            app_of("alpha", &[]),
        ];
        let (order, earlier, first) = clashes::<5>(&APPS);
        assert_eq!(order, [1, 3, 4, 2, 0]);
        assert_eq!(earlier, [None, None, None, Some(1), Some(1)]);
        // The error is the first clash in listing order.
        assert_eq!(
            first,
            Some((3, "apps `APP1` and `APP3` have the same app id".to_owned()))
        );
    }

    #[test]
    fn stand_ins_never_clash() {
        const APPS: [AppDefinition; 3] = [
            app_of("", &[]),
            app_of("", &[ConnectionDefinition::OAuth2(&B)]),
            app_of("a", &[ConnectionDefinition::OAuth2(&A)]),
        ];
        let (order, earlier, first) = clashes::<3>(&APPS);
        assert_eq!(order, [0, 1, 2]);
        assert_eq!(earlier, [None, None, None]);
        assert!(first.is_none());
    }

    #[test]
    fn the_lookup_table_finds_every_app_and_no_other() {
        const N: usize = 300;
        const SLOTS: usize = registry_slots(N);
        let ids: Vec<&'static str> = (0..N)
            .map(|i| &*Box::leak(format!("app-{i}").into_boxed_str()))
            .collect();
        let apps: &'static [AppDefinition] =
            Box::leak(ids.iter().map(|id| app_of(id, &[])).collect::<Box<[_]>>());
        let check = check_registry::<N, SLOTS>(apps);
        let found = registry(apps, Box::leak(Box::new(check.table)));
        for id in &ids {
            assert_eq!(found.app(id).map(AppDefinition::id), Some(*id));
        }
        for absent in ["app-300", "app-", "", "app-1x", "pp-1"] {
            assert!(found.app(absent).is_none(), "{absent}");
        }
        assert_eq!((SLOTS, registry_slots(0), registry_slots(3)), (1024, 1, 8));
        // No apps: the stand-in's empty table finds nothing.
        assert!(registry(&[], &[]).app("a").is_none());
    }

    #[test]
    fn a_long_message_is_cut_at_a_character() {
        let message = Message::new().push(&"é".repeat(300));
        assert_eq!(message.as_str().chars().count(), 256);
    }
}
