//! The keys of `#[oauth2_connection]`: the one place each key is declared.

use crate::keys::Fallback::{self, EmptyList, NotAField};
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax::{Bool, Path, Str, StrList, StrMap};
use crate::keys::{Key, Syntax};

pub(crate) const MACRO: &str = "#[oauth2_connection]";

const MAP: Syntax = StrMap {
    case_insensitive: false,
};

pub(crate) const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "`<app-id>_connection_oauth2`, optionally followed by `-<variant>`",
    fallback: Fallback::Str(""),
};
pub(crate) const NAME: Key = Key {
    name: "name",
    syntax: Str,
    presence: Required,
    doc: "display name, not blank",
    fallback: Fallback::Str(""),
};
pub(crate) const DESCRIPTION: Key = Key {
    name: "description",
    syntax: Str,
    presence: Required,
    doc: "description, not blank",
    fallback: Fallback::Str(""),
};
pub(crate) const AUTHORIZE_URL: Key = Key {
    name: "authorize_url",
    syntax: Str,
    presence: Required,
    doc: "the authorization endpoint: absolute `https` (`http` only for a loopback host); a query it carries is kept",
    fallback: Fallback::Str("https://invalid.invalid/"),
};
pub(crate) const TOKEN_URL: Key = Key {
    name: "token_url",
    syntax: Str,
    presence: Required,
    doc: "the token endpoint, with the same URL rules",
    fallback: Fallback::Str("https://invalid.invalid/"),
};
pub(crate) const SCOPES: Key = Key {
    name: "scopes",
    syntax: StrList,
    presence: Required,
    doc: "the scopes to request, each an RFC 6749 scope token, no duplicates; `[]` sends no `scope` parameter",
    fallback: EmptyList,
};
pub(crate) const SCOPE_DELIMITER: Key = Key {
    name: "scope_delimiter",
    syntax: Str,
    presence: Default("`\" \"` (RFC 6749; Lecca defaulted to `\",\"`)"),
    doc: "what the scopes are joined with; no letters or digits",
    fallback: Fallback::Str(" "),
};
pub(crate) const CLIENT_ID_ENV: Key = Key {
    name: "client_id_env",
    syntax: Str,
    presence: Default("`INTEGRATION_<APP>_CLIENT_ID`"),
    doc: "the variable `credentials::Env` reads the client id from; a variant may use `INTEGRATION_<APP>_<VARIANT>_CLIENT_ID`",
    fallback: Fallback::Str(""),
};
pub(crate) const CLIENT_SECRET_ENV: Key = Key {
    name: "client_secret_env",
    syntax: Str,
    presence: Default("`INTEGRATION_<APP>_CLIENT_SECRET`"),
    doc: "the variable `credentials::Env` reads the client secret from; never a `_CLIENT_ID` variable",
    fallback: Fallback::Str(""),
};
pub(crate) const CLIENT_AUTH: Key = Key {
    name: "client_auth",
    syntax: Str,
    presence: Default("`\"body\"`"),
    doc: "`\"body\"` (id and secret as form fields) or `\"header\"` (HTTP Basic)",
    fallback: Fallback::Variant("ClientAuth", "Body"),
};
pub(crate) const PKCE: Key = Key {
    name: "pkce",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "send an S256 PKCE challenge and verifier (RFC 7636)",
    fallback: Fallback::Bool(false),
};
pub(crate) const AUTH_PARAMS: Key = Key {
    name: "auth_params",
    syntax: MAP,
    presence: Default("none"),
    doc: "extra parameters of the authorization request; not those the flow sets (`client_id`, `redirect_uri`, `state`, `scope`, `code_challenge`, `code_challenge_method`; `response_type` only as `\"code\"`)",
    fallback: EmptyList,
};
pub(crate) const TOKEN_HEADERS: Key = Key {
    name: "token_headers",
    syntax: StrMap {
        case_insensitive: true,
    },
    presence: Default("none"),
    doc: "extra headers of the code exchange and of every refresh; valid HTTP names and values",
    fallback: EmptyList,
};
pub(crate) const REFRESH_PARAMS: Key = Key {
    name: "refresh_params",
    syntax: MAP,
    presence: Default("none"),
    doc: "extra form fields of refresh requests; not those the flow sets (`grant_type`, `refresh_token`, `client_id`, `client_secret`, `scope`)",
    fallback: EmptyList,
};
pub(crate) const REDIRECT_TO_LOCALHOST_IN_DEVELOPMENT: Key = Key {
    name: "redirect_to_localhost_in_development",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "a client made `in_development()` sends an `http` redirect URI on `127.0.0.1` or `[::1]` with the host `localhost` (as Lecca did, for providers that accept plain `http` only on `localhost`)",
    fallback: Fallback::Bool(false),
};
pub(crate) const CRATE: Key = Key {
    name: "crate",
    syntax: Path,
    presence: Default("`::connkit`"),
    doc: "the path of the connkit crate, when the dependency is renamed",
    fallback: NotAField,
};

/// Every key, in the order of the documentation and of the generated fields.
pub(crate) const KEYS: &[&Key] = &[
    &ID,
    &NAME,
    &DESCRIPTION,
    &AUTHORIZE_URL,
    &TOKEN_URL,
    &SCOPES,
    &SCOPE_DELIMITER,
    &CLIENT_ID_ENV,
    &CLIENT_SECRET_ENV,
    &CLIENT_AUTH,
    &PKCE,
    &AUTH_PARAMS,
    &TOKEN_HEADERS,
    &REFRESH_PARAMS,
    &REDIRECT_TO_LOCALHOST_IN_DEVELOPMENT,
    &CRATE,
];
