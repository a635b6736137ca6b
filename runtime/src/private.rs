//! What generated code calls. Not public API: it may change in any release.
//!
//! After a compile error a macro still emits a definition (a stand-in with every key at a
//! neutral value), so that the user sees one error and no follow-on errors. The stand-in is the
//! only definition with an empty id, which no checked definition can have; the cross-macro
//! checks below skip it by that.

use connkit_rules::str_eq;

use crate::definition::app_id_hash;

pub use connkit_rules::id::{ComponentIdCheck, ComponentKind, check_component_id};

// Everything generated code names, and nothing else: it reaches the runtime only through this
// module, so that the public paths can move without breaking an expansion.
pub use crate::definition::app::AppFields;
pub use crate::definition::client_credentials::ClientCredentialsFields;
pub use crate::definition::credential::{ApiKeyFields, BasicAuthFields, KeyPairFields};
pub use crate::definition::input::InputFields;
pub use crate::definition::jwt_bearer::JwtBearerFields;
pub use crate::definition::oauth2::OAuth2Fields;
pub use crate::definition::{
    Action, ApiKeyDefinition, AppDefinition, BasicAuthDefinition, ClientAuth,
    ClientCredentialsDefinition, ClientHolder, ComponentDefinition, ConnectionDefinition,
    ConnectionType, Input, JwtBearerDefinition, KeyPairDefinition, OAuth2Definition, Registry,
    TokenRequestFormat, Trigger,
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

/// Builds a checked (or stand-in) client-credentials definition.
pub const fn client_credentials(fields: ClientCredentialsFields) -> ClientCredentialsDefinition {
    ClientCredentialsDefinition::from_fields(fields)
}

/// What a definition that signs JWTs names: it compiles only with connkit's `jwt` feature.
#[diagnostic::on_unimplemented(
    message = "this connection signs JWTs, which needs connkit's `jwt` feature",
    label = "needs the `jwt` feature",
    note = "enable it: connkit = {{ version = \"...\", features = [\"jwt\"] }}"
)]
pub trait JwtFeature {}

/// The type [`requires_jwt`] is asked of.
pub struct Jwt;

#[cfg(feature = "jwt")]
impl JwtFeature for Jwt {}

/// Compiles when `T` implements [`JwtFeature`]: with the `jwt` feature.
pub const fn requires_jwt<T: JwtFeature>() {}

/// Builds a checked (or stand-in) JWT-bearer definition.
pub const fn jwt_bearer(fields: JwtBearerFields) -> JwtBearerDefinition {
    JwtBearerDefinition::from_fields(fields)
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

/// A registry's checked index: its lookup table, and for each app the first earlier app with
/// its id. Computed by one `const` evaluation, which one assertion for the whole list reads.
///
/// Connection ids need no check of their own: `app!` makes every connection id start with
/// `<app-id>_connection_`, and app ids (kebab-case, without `_`) that differ make prefixes that
/// differ, so two apps can share a connection id only if they share the app id.
pub struct RegistryCheck<const N: usize, const SLOTS: usize> {
    /// The registry's lookup table: indices into the apps by the hash of their id, with linear
    /// probing (`u16::MAX`: an empty slot). `SLOTS` is a power of two of at least `2 * N`
    /// (so at least one slot stays empty), or 1 for no apps.
    pub table: [u16; SLOTS],
    /// For each app, in listing order.
    pub clashes: [Clash; N],
}

/// Fills the lookup table with the `N` apps, in listing order, and finds each app's first
/// earlier app with the same id on the way: an id already in the table is a clash, and is not
/// added again. O(n) hashes of short ids; ids are compared only where their hashes are equal.
/// Stand-ins (empty ids, after a compile error) never clash and are left out of the table.
pub const fn check_registry<const N: usize, const SLOTS: usize>(
    apps: &[AppDefinition],
) -> RegistryCheck<N, SLOTS> {
    assert!(apps.len() == N && N < u16::MAX as usize);
    assert!(SLOTS.is_power_of_two() && SLOTS >= 2 * N);
    let mut table = [u16::MAX; SLOTS];
    // The hash of each slot's id, so that a probe compares ids only when the hashes are equal.
    let mut hashes = [0u32; SLOTS];
    let mut clashes = [Clash::None; N];
    let mut app = 0;
    while app < N {
        let id = apps[app].id();
        if !is_stand_in(id) {
            let hash = app_id_hash(id.as_bytes());
            let mut slot = hash as usize & (SLOTS - 1);
            loop {
                let entry = table[slot];
                if entry == u16::MAX {
                    table[slot] = app as u16;
                    hashes[slot] = hash;
                    break;
                }
                if hashes[slot] == hash && str_eq(apps[entry as usize].id(), id) {
                    clashes[app] = Clash::SameId(entry);
                    break;
                }
                slot = (slot + 1) & (SLOTS - 1);
            }
        }
        app += 1;
    }
    RegistryCheck { table, clashes }
}

/// The number of slots of the lookup table of a registry of `apps` apps: the `SLOTS` of
/// [`check_registry`].
pub const fn registry_slots(apps: usize) -> usize {
    (2 * apps).next_power_of_two()
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

/// A mistake in one of an app's lists, as found by [`app_connections_check`] or
/// [`app_components_check`]: small, so that the evaluation that finds nothing (nearly every
/// one) moves no message; [`Mistake::message`] words it when there is one.
#[derive(Clone, Copy)]
pub enum Mistake {
    /// A connection of another app.
    ForeignConnection,
    /// A connection with the id of the earlier one at this index.
    DuplicateConnection(u16),
    /// An action or trigger of another app.
    ForeignComponent(ComponentKind),
    /// An action or trigger whose name is not kebab-case.
    ComponentName(ComponentKind),
    /// An action or trigger with the id of the earlier one at this index.
    DuplicateComponent(ComponentKind, u16),
}

impl Mistake {
    /// The compile error for this mistake at item `index` of the list; `names` are the items as
    /// written.
    pub const fn message(self, index: usize, app_id: &str, names: &[&str]) -> Message {
        use connkit_rules::id::{
            COMPONENT_NAME_MESSAGE, DUPLICATE_COMPONENT_MESSAGE, DUPLICATE_CONNECTION_MESSAGE,
            FOREIGN_COMPONENT_MESSAGE, FOREIGN_CONNECTION_MESSAGE, MessageValues,
        };
        let (parts, first, kind) = match self {
            Self::ForeignConnection => (FOREIGN_CONNECTION_MESSAGE, None, ""),
            Self::DuplicateConnection(first) => (DUPLICATE_CONNECTION_MESSAGE, Some(first), ""),
            Self::ForeignComponent(kind) => (FOREIGN_COMPONENT_MESSAGE, None, kind.as_str()),
            Self::ComponentName(kind) => (COMPONENT_NAME_MESSAGE, None, kind.as_str()),
            Self::DuplicateComponent(kind, first) => {
                (DUPLICATE_COMPONENT_MESSAGE, Some(first), kind.as_str())
            }
        };
        let values = MessageValues {
            shown: names[index],
            first: match first {
                Some(first) => names[first as usize],
                None => "",
            },
            app_id,
            kind,
        };
        Message::render(parts, &values)
    }
}

/// The first mistake among an app's connections, and the index of the one to point at: a
/// connection of another app (the first in the list), else two with one id (the later one).
/// One `const` evaluation per app.
pub const fn app_connections_check(
    connections: &[ConnectionDefinition],
    app_id: &str,
) -> Option<(usize, Mistake)> {
    // `const` evaluation pays most for calls and then for each step: lengths are read once,
    // the comparisons are loops in this body, and a connection's id is compared up to its first
    // `_` only. That is the whole ownership test (`connection_belongs_to`): the connection's own
    // macro checked that its id is `<app-id>_connection_<kind>`, with no `_` in the app id.
    let count = connections.len();
    let app = app_id.as_bytes();
    let app_len = app.len();
    let mut i = 0;
    while i < count {
        let id = connections[i].id().as_bytes();
        let id_len = id.len();
        // A stand-in (empty id, after a compile error) belongs to every app.
        let mut belongs = id_len == 0 || (id_len > app_len && id[app_len] == b'_');
        let mut j = app_len;
        while belongs && id_len > 0 && j > 0 {
            j -= 1;
            belongs = id[j] == app[j];
        }
        if !belongs {
            return Some((i, Mistake::ForeignConnection));
        }
        i += 1;
    }
    let mut second = 1;
    while second < count {
        let later = connections[second].id().as_bytes();
        let later_len = later.len();
        let mut first = 0;
        while later_len > 0 && first < second {
            let earlier = connections[first].id().as_bytes();
            // Compared from the end, where the ids of one app differ.
            let mut same = earlier.len() == later_len;
            let mut j = later_len;
            while same && j > 0 {
                j -= 1;
                same = earlier[j] == later[j];
            }
            if same {
                return Some((second, Mistake::DuplicateConnection(first as u16)));
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
pub const fn app_components_check(
    components: &[ComponentDefinition],
    app_id: &str,
    kind: ComponentKind,
) -> Option<(usize, Mistake)> {
    let mut i = 0;
    while i < components.len() {
        match check_component_id(components[i].id(), app_id, kind) {
            ComponentIdCheck::Valid => {}
            ComponentIdCheck::WrongApp => return Some((i, Mistake::ForeignComponent(kind))),
            ComponentIdCheck::BadName => return Some((i, Mistake::ComponentName(kind))),
        }
        i += 1;
    }
    let mut second = 1;
    while second < components.len() {
        let mut first = 0;
        while first < second {
            if same_component_id(&components[first], &components[second]) {
                return Some((second, Mistake::DuplicateComponent(kind, first as u16)));
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
    use crate::definition::{OAuth2Definition, TokenRequestFormat};

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
            client_key_env: "",
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
            device_authorization_url: None,
            par_url: None,
            dpop: false,
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

    /// Each app's earlier app with the same id, and the first clash's message.
    fn clashes<const N: usize>(
        apps: &[AppDefinition],
    ) -> (Vec<Option<u16>>, Option<(usize, String)>) {
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
        (earlier, first)
    }

    #[test]
    fn each_clash_names_the_earliest_app() {
        const APPS: [AppDefinition; 5] = [
            app_of("zeta", &[]),
            app_of("alpha", &[ConnectionDefinition::OAuth2(&A)]),
            app_of("mid", &[]),
            app_of("alpha", &[]),
            app_of("alpha", &[]),
        ];
        let (earlier, first) = clashes::<5>(&APPS);
        assert_eq!(earlier, [None, None, None, Some(1), Some(1)]);
        // The error is the first clash in listing order.
        assert_eq!(
            first,
            Some((3, "apps `APP1` and `APP3` have the same app id".to_owned()))
        );
    }

    #[test]
    fn an_app_list_check_finds_the_first_foreign_or_repeated_connection() {
        const GMAIL: OAuth2Definition = connection("gmail_connection_oauth2");
        const GMAIL_2: OAuth2Definition = connection("gmail_connection_oauth2-2");
        const GMAI: OAuth2Definition = connection("gmai_connection_oauth2");
        const GMAILS: OAuth2Definition = connection("gmails_connection_oauth2");
        const STAND_IN: OAuth2Definition = connection("");
        let found = |list: &[ConnectionDefinition]| {
            app_connections_check(list, "gmail").map(|(index, mistake)| {
                let names = ["A", "B", "C"];
                (
                    index,
                    mistake.message(index, "gmail", &names).as_str().to_owned(),
                )
            })
        };
        use ConnectionDefinition::OAuth2;
        assert_eq!(found(&[OAuth2(&GMAIL), OAuth2(&GMAIL_2)]), None);
        assert_eq!(found(&[OAuth2(&STAND_IN), OAuth2(&GMAIL)]), None);
        for foreign in [&GMAI, &GMAILS] {
            let (index, message) = found(&[OAuth2(&GMAIL), OAuth2(foreign)]).unwrap();
            assert_eq!(index, 1);
            assert!(message.starts_with("connection `B` does not belong to app \"gmail\""));
        }
        assert_eq!(
            found(&[OAuth2(&GMAIL), OAuth2(&GMAIL_2), OAuth2(&GMAIL)]),
            Some((2, "connections `A` and `C` have the same id".to_owned()))
        );
    }

    #[test]
    fn stand_ins_never_clash() {
        const APPS: [AppDefinition; 3] = [
            app_of("", &[]),
            app_of("", &[ConnectionDefinition::OAuth2(&B)]),
            app_of("a", &[ConnectionDefinition::OAuth2(&A)]),
        ];
        let (earlier, first) = clashes::<3>(&APPS);
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
