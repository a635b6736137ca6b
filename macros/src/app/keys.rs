//! The keys of `app!`: the one place each key is declared. (`crate = path;` is a header before
//! the keys, as in `registry!`.)

use crate::keys::Fallback::{self, EmptyList};
use crate::keys::Key;
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax::{Bool, PathList, Str};
pub(crate) use crate::keys::{DESCRIPTION, NAME};

pub(crate) const MACRO: &str = "app!";

pub(crate) const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "the app id: lowercase kebab-case, `[a-z0-9]` words joined by single `-`",
    fallback: Fallback::Str(""),
};
pub(crate) const LOGO_URL: Key = Key {
    name: "logo_url",
    syntax: Str,
    presence: Required,
    doc: "the logo: absolute `https` (`http` only for a loopback host)",
    fallback: Fallback::Str("https://invalid.invalid/"),
};
pub(crate) const IS_PUBLISHED: Key = Key {
    name: "is_published",
    syntax: Bool,
    presence: Default("`true`"),
    doc: "whether the app is offered; a missing client credential never changes it",
    fallback: Fallback::Bool(false),
};
pub(crate) const AVAILABLE_FOR_AGENT: Key = Key {
    name: "available_for_agent",
    syntax: Bool,
    presence: Default("`true`"),
    doc: "whether agents may use the app",
    fallback: Fallback::Bool(false),
};
pub(crate) const ACTIONS: Key = Key {
    name: "actions",
    syntax: PathList,
    presence: Default("none"),
    doc: "types implementing `connkit::definition::Action`, with ids `<app-id>_action_<name>`",
    fallback: EmptyList,
};
pub(crate) const TRIGGERS: Key = Key {
    name: "triggers",
    syntax: PathList,
    presence: Default("none"),
    doc: "types implementing `connkit::definition::Trigger`, with ids `<app-id>_trigger_<name>`",
    fallback: EmptyList,
};
pub(crate) const CONNECTIONS: Key = Key {
    name: "connections",
    syntax: PathList,
    presence: Default("none"),
    doc: "connection structs whose ids start with `<app-id>_connection_`",
    fallback: EmptyList,
};

/// Every key, in the order of the documentation and of the generated fields.
pub(crate) const KEYS: &[&Key] = &[
    &ID,
    &NAME,
    &DESCRIPTION,
    &LOGO_URL,
    &IS_PUBLISHED,
    &AVAILABLE_FOR_AGENT,
    &ACTIONS,
    &TRIGGERS,
    &CONNECTIONS,
];
