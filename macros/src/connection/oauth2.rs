//! The OAuth2 authorization-code connection kind: its keys (the one place each is declared),
//! its rules, and its descriptor for the shared connection stages.

use syn::LitStr;

use connkit_rules::env::{CredentialKind, check_env_var_name, check_env_var_shape, env_var_name};
use connkit_rules::id::{ConnectionIdParts, OAUTH2_KIND};
use connkit_rules::params::{
    ClientAuthMethod, HeaderError, ParamError, check_auth_param, check_authorize_query,
    check_dot_path, check_refresh_param, check_token_header, check_token_param, parse_client_auth,
};
use connkit_rules::scope::{DEFAULT_DELIMITER, check_delimiter, check_scopes};
use connkit_rules::url_shape::check_url;

use crate::ctxt::Ctxt;
use crate::keys::Fallback::{self, EmptyList};
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax;
use crate::keys::Syntax::{Bool, Str, StrList, StrMap};
use crate::keys::{CRATE, Checked, Const, DESCRIPTION, Fields, Key, NAME};
use crate::syntax::MapKey;

use super::Kind;
use super::common::{connection_id, non_blank};
use super::inputs::{ANY_HOST, HOSTS, INPUTS, Inputs};

/// `#[oauth2_connection]`.
pub(crate) const KIND: Kind = Kind {
    macro_name: MACRO,
    example: "pub struct GmailOAuth2;",
    keys: KEYS,
    misplaced: &[
        (
            "grant_type",
            "#[oauth2_connection] is the authorization-code grant; a grant the client obtains on its own is declared with #[client_credentials_connection]",
        ),
        (
            "token_endpoint_auth",
            "connkit calls this `client_auth`: `\"body\"`, `\"header\"`, `\"private_key_jwt\"` or `\"client_secret_jwt\"`",
        ),
    ],
    definition_type: "OAuth2Definition",
    fields_type: "OAuth2Fields",
    constructor: "oauth2",
    variant: "OAuth2",
    validate,
};

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
    doc: "`\"body\"` (id and secret as form fields), `\"header\"` (HTTP Basic), `\"private_key_jwt\"` (a JWT signed with the client's key, from `client_key_env`) or `\"client_secret_jwt\"` (a JWT signed with the secret); the two JWT methods need connkit's `jwt` feature",
    fallback: Fallback::Variant("ClientAuth", "Body"),
};
pub(crate) const CLIENT_KEY_ENV: Key = Key {
    name: "client_key_env",
    syntax: Str,
    presence: Default("`INTEGRATION_<APP>_CLIENT_KEY`"),
    doc: "with `client_auth = \"private_key_jwt\"`: the variable `credentials::Env` reads the client's private key from (PEM, `\\n` for line breaks allowed), and `<that name>_ID` its key id if set",
    fallback: Fallback::Str(""),
};
pub(crate) const PKCE: Key = Key {
    name: "pkce",
    syntax: Bool,
    presence: Default("`true`"),
    doc: "send an S256 PKCE challenge and verifier (RFC 7636, RFC 9700 §2.1.1); `false` only for a provider that rejects them, and a public client (no secret) uses PKCE regardless",
    fallback: Fallback::Bool(true),
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
pub(crate) const DEVICE_AUTHORIZATION_URL: Key = Key {
    name: "device_authorization_url",
    syntax: Str,
    presence: Default("none"),
    doc: "the device authorization endpoint (RFC 8628): a user on another device approves a code, so a terminal or a headless server can connect without a browser; same URL rules",
    fallback: Fallback::Nothing,
};
pub(crate) const PAR_URL: Key = Key {
    name: "par_url",
    syntax: Str,
    presence: Default("none"),
    doc: "the pushed authorization request endpoint (RFC 9126): the authorization request is posted there, with the client's authentication, and the user's browser carries only `client_id` and the `request_uri` it returns; same URL rules",
    fallback: Fallback::Nothing,
};
pub(crate) const DPOP: Key = Key {
    name: "dpop",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "bind the tokens to a key of the connection's own (DPoP, RFC 9449): every token request and every request `Connections::send` makes carries a proof signed by it, and a stolen token is useless without it; needs connkit's `jwt` feature",
    fallback: Fallback::Bool(false),
};
pub(crate) const ISSUER: Key = Key {
    name: "issuer",
    syntax: Str,
    presence: Default("none"),
    doc: "the authorization server's issuer identifier (RFC 9207): a callback whose `iss` names another server is refused (a mix-up attack); same URL rules",
    fallback: Fallback::Nothing,
};
pub(crate) const REQUIRE_ISS: Key = Key {
    name: "require_iss",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "the server always sends `iss` (its metadata has `authorization_response_iss_parameter_supported`): a callback without it is refused; needs `issuer`",
    fallback: Fallback::Bool(false),
};
pub(crate) const REFRESH_URL: Key = Key {
    name: "refresh_url",
    syntax: Str,
    presence: Default("the token endpoint"),
    doc: "a separate refresh endpoint, with the same URL rules",
    fallback: Fallback::Nothing,
};
pub(crate) const REVOKE_URL: Key = Key {
    name: "revoke_url",
    syntax: Str,
    presence: Default("none"),
    doc: "the revocation endpoint (RFC 7009), called when a stored connection is deleted; same URL rules",
    fallback: Fallback::Nothing,
};
pub(crate) const TOKEN_PARAMS: Key = Key {
    name: "token_params",
    syntax: MAP,
    presence: Default("none"),
    doc: "extra form fields of the code exchange; not those the flow sets (`grant_type`, `code`, `redirect_uri`, `code_verifier`, `client_id`, `client_secret`)",
    fallback: EmptyList,
};
pub(crate) const TOKEN_REQUEST_FORMAT: Key = Key {
    name: "token_request_format",
    syntax: Str,
    presence: Default("`\"form\"`"),
    doc: "`\"form\"` (RFC 6749) or `\"json\"`: how the code exchange and refresh requests carry their fields",
    fallback: Fallback::Variant("TokenRequestFormat", "Form"),
};
pub(crate) const REFRESH_SCOPES: Key = Key {
    name: "refresh_scopes",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "send the scopes as `scope` on refresh requests (Microsoft's v2.0 endpoint expects it)",
    fallback: Fallback::Bool(false),
};
pub(crate) const REDIRECT_URI_ON_REFRESH: Key = Key {
    name: "redirect_uri_on_refresh",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "send the redirect URI on refresh requests too (Tempo requires it)",
    fallback: Fallback::Bool(false),
};
pub(crate) const TOKEN_PATH: Key = Key {
    name: "token_path",
    syntax: Str,
    presence: Default("the top level"),
    doc: "the dot-path of the object in the token response that holds the tokens, like `\"authed_user\"` for Slack's user tokens",
    fallback: Fallback::Nothing,
};
pub(crate) const TOKEN_METADATA: Key = Key {
    name: "token_metadata",
    syntax: StrList,
    presence: Default("none"),
    doc: "dot-paths of token response fields copied into the token set's metadata under that path, like `[\"instance_url\", \"team.id\"]`",
    fallback: EmptyList,
};
pub(crate) const INCREMENTAL_AUTH: Key = Key {
    name: "incremental_auth",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "a re-consent asks only for the scopes the stored connection lacks, with `include_granted_scopes=true` (Google's incremental authorization), and keeps the scopes granted before",
    fallback: Fallback::Bool(false),
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
    &CLIENT_KEY_ENV,
    &PKCE,
    &AUTH_PARAMS,
    &TOKEN_HEADERS,
    &REFRESH_PARAMS,
    &REDIRECT_TO_LOCALHOST_IN_DEVELOPMENT,
    &ISSUER,
    &REQUIRE_ISS,
    &INPUTS,
    &HOSTS,
    &ANY_HOST,
    &REFRESH_URL,
    &REVOKE_URL,
    &DEVICE_AUTHORIZATION_URL,
    &PAR_URL,
    &DPOP,
    &TOKEN_PARAMS,
    &TOKEN_REQUEST_FORMAT,
    &REFRESH_SCOPES,
    &REDIRECT_URI_ON_REFRESH,
    &TOKEN_PATH,
    &TOKEN_METADATA,
    &INCREMENTAL_AUTH,
    &CRATE,
];

/// Checks every key; `Some` only when no error was found (in this stage or before).
pub(crate) fn validate(fields: &Fields, cx: &mut Ctxt) -> Option<Checked> {
    let mut checked = Checked::default();
    let id = fields.str(&ID);
    let id_text = id.map(LitStr::value);
    let parts = match (id, &id_text) {
        (Some(lit), Some(text)) => connection_id(lit, text, OAUTH2_KIND, cx),
        _ => None,
    };
    if let Some(text) = &id_text {
        checked.set(&ID, Const::Str(text.clone()));
    }
    for key in [&NAME, &DESCRIPTION] {
        if let Some(text) = non_blank(fields, key, cx) {
            checked.set(key, Const::Str(text));
        }
    }
    let mut inputs = Inputs::check(fields, &mut checked, cx);
    if let Some(authorize_url) = inputs.url(fields, &AUTHORIZE_URL, false, cx)
        && authorize_query(fields, &authorize_url, cx)
    {
        checked.set(&AUTHORIZE_URL, Const::Str(authorize_url));
    }
    if let Some(token_url) = inputs.url(fields, &TOKEN_URL, true, cx) {
        checked.set(&TOKEN_URL, Const::Str(token_url));
    }
    for key in [
        &REFRESH_URL,
        &REVOKE_URL,
        &DEVICE_AUTHORIZATION_URL,
        &PAR_URL,
    ] {
        let url = inputs.url(fields, key, true, cx);
        if url.is_some() || !fields.has(key) {
            checked.set(key, Const::OptionalStr(url));
        }
    }
    let delimiter = delimiter(fields, cx);
    if let Some(delimiter) = &delimiter {
        checked.set(&SCOPE_DELIMITER, Const::Str(delimiter.clone()));
    }
    if let Some(lits) = fields.str_list(&SCOPES)
        && let Some(scopes) = scopes(lits, delimiter.as_deref(), cx)
    {
        checked.set(&SCOPES, Const::StrList(scopes));
    }
    for (key, kind) in [
        (&CLIENT_ID_ENV, CredentialKind::ClientId),
        (&CLIENT_SECRET_ENV, CredentialKind::ClientSecret),
        (&CLIENT_KEY_ENV, CredentialKind::ClientKey),
    ] {
        if let Some(name) = env_var(fields, key, kind, id_text.is_some(), parts, cx) {
            checked.set(key, Const::Str(name));
        }
    }
    client_auth(fields, &mut checked, cx);
    client_auth_variables(fields, cx);
    dpop(fields, &mut checked);
    let pkce = fields.bool(&PKCE).is_none_or(|lit| lit.value);
    checked.set(&PKCE, Const::Bool(pkce));
    for key in [&REDIRECT_TO_LOCALHOST_IN_DEVELOPMENT, &REQUIRE_ISS] {
        let value = fields.bool(key).is_some_and(|lit| lit.value);
        checked.set(key, Const::Bool(value));
    }
    let issuer = url(fields, &ISSUER, cx);
    if let Some(require) = fields.bool(&REQUIRE_ISS)
        && require.value
        && !fields.has(&ISSUER)
    {
        cx.error_with_help(
            require,
            "`require_iss = true` needs the issuer to compare `iss` with",
            Some("add `issuer = \"<the server's issuer identifier>\"`".to_owned()),
        );
    }
    if issuer.is_some() || !fields.has(&ISSUER) {
        checked.set(&ISSUER, Const::OptionalStr(issuer));
    }
    token_request_format(fields, &mut checked, cx);
    if let Some(lit) = fields.bool(&INCREMENTAL_AUTH)
        && lit.value
        && let Some(pairs) = fields.str_map(&AUTH_PARAMS)
        && let Some((name, _)) = pairs
            .iter()
            .find(|(name, _)| MapKey::name(name) == "include_granted_scopes")
    {
        cx.error_with_help(
            name,
            "`include_granted_scopes` is sent by `incremental_auth = true` on a re-consent",
            Some("remove this entry".to_owned()),
        );
    }
    if let (Some(lit), Some(scopes)) = (fields.bool(&REFRESH_SCOPES), fields.str_list(&SCOPES))
        && lit.value
        && scopes.is_empty()
    {
        cx.error_with_help(
            lit,
            "`refresh_scopes = true` sends the scopes on refresh, and `scopes` is empty",
            Some("remove `refresh_scopes`, or declare the scopes".to_owned()),
        );
    }
    for key in [&REFRESH_SCOPES, &REDIRECT_URI_ON_REFRESH, &INCREMENTAL_AUTH] {
        let value = fields.bool(key).is_some_and(|lit| lit.value);
        checked.set(key, Const::Bool(value));
    }
    token_response_shape(fields, &mut checked, cx);
    let maps: [(&Key, &EntryCheck); 4] = [
        (&AUTH_PARAMS, &|name, value| {
            check_auth_param(name, value)
                .map_err(|problem| param_problem(&AUTH_PARAMS, name, problem))
        }),
        (&TOKEN_HEADERS, &header_entry),
        (&REFRESH_PARAMS, &|name, _| {
            check_refresh_param(name)
                .map_err(|problem| param_problem(&REFRESH_PARAMS, name, problem))
        }),
        (&TOKEN_PARAMS, &|name, _| {
            check_token_param(name).map_err(|problem| param_problem(&TOKEN_PARAMS, name, problem))
        }),
    ];
    check_maps(fields, &mut inputs, &maps, &mut checked, cx);
    inputs.finish(cx);
    // Keys that were written with a value of the wrong type are absent from `fields` and were
    // reported; a missing required key was reported too.
    let complete = [
        &ID,
        &NAME,
        &DESCRIPTION,
        &AUTHORIZE_URL,
        &TOKEN_URL,
        &SCOPES,
    ]
    .iter()
    .all(|key| fields.has(key));
    (complete && cx.is_empty()).then_some(checked)
}

/// `client_auth`: how the client authenticates at the token endpoint.
pub(crate) fn client_auth(fields: &Fields, checked: &mut Checked, cx: &mut Ctxt) {
    match fields.str(&CLIENT_AUTH) {
        None => checked.set(&CLIENT_AUTH, Const::Variant("ClientAuth", "Body")),
        Some(lit) => match parse_client_auth(&lit.value()) {
            Ok(ClientAuthMethod::Body) => {
                checked.set(&CLIENT_AUTH, Const::Variant("ClientAuth", "Body"))
            }
            Ok(ClientAuthMethod::Header) => {
                checked.set(&CLIENT_AUTH, Const::Variant("ClientAuth", "Header"))
            }
            Ok(method @ (ClientAuthMethod::PrivateKeyJwt | ClientAuthMethod::ClientSecretJwt)) => {
                let variant = if method == ClientAuthMethod::PrivateKeyJwt {
                    "PrivateKeyJwt"
                } else {
                    "ClientSecretJwt"
                };
                checked.set(&CLIENT_AUTH, Const::Variant("ClientAuth", variant));
                checked.needs_jwt(lit.span());
            }
            Err(error) => cx.error_with_help(lit, &error, error.help()),
        },
    }
}

/// The variables the client authentication reads: `private_key_jwt` sends no secret, and only
/// it reads a key.
pub(crate) fn client_auth_variables(fields: &Fields, cx: &mut Ctxt) {
    let method = fields
        .str(&CLIENT_AUTH)
        .and_then(|lit| parse_client_auth(&lit.value()).ok());
    if fields.broken(&CLIENT_AUTH) || (fields.has(&CLIENT_AUTH) && method.is_none()) {
        return;
    }
    let private_key_jwt = method == Some(ClientAuthMethod::PrivateKeyJwt);
    if private_key_jwt && let Some(lit) = fields.str(&CLIENT_SECRET_ENV) {
        cx.error_with_help(
            lit,
            "`client_auth = \"private_key_jwt\"` sends no client secret: it signs with the client's key",
            Some("remove `client_secret_env` (the key's variable is `client_key_env`), or use `client_auth = \"client_secret_jwt\"`".to_owned()),
        );
    }
    if !private_key_jwt && let Some(lit) = fields.str(&CLIENT_KEY_ENV) {
        cx.error_with_help(
            lit,
            "`client_key_env` is read only for `client_auth = \"private_key_jwt\"`",
            Some("add `client_auth = \"private_key_jwt\"`, or remove `client_key_env`".to_owned()),
        );
    }
}

/// `dpop`: DPoP-bound tokens, which sign proofs (the `jwt` feature).
pub(crate) fn dpop(fields: &Fields, checked: &mut Checked) {
    let lit = fields.bool(&DPOP);
    checked.set(&DPOP, Const::Bool(lit.is_some_and(|lit| lit.value)));
    if let Some(lit) = lit
        && lit.value
    {
        checked.needs_jwt(lit.span);
    }
}

/// `token_request_format`: how token requests carry their fields.
pub(crate) fn token_request_format(fields: &Fields, checked: &mut Checked, cx: &mut Ctxt) {
    match fields.str(&TOKEN_REQUEST_FORMAT) {
        None => checked.set(
            &TOKEN_REQUEST_FORMAT,
            Const::Variant("TokenRequestFormat", "Form"),
        ),
        Some(lit) => match lit.value().as_str() {
            "form" => checked.set(
                &TOKEN_REQUEST_FORMAT,
                Const::Variant("TokenRequestFormat", "Form"),
            ),
            "json" => checked.set(
                &TOKEN_REQUEST_FORMAT,
                Const::Variant("TokenRequestFormat", "Json"),
            ),
            other => cx.error_with_help(
                lit,
                format!("invalid token_request_format {other:?}: expected \"form\" or \"json\""),
                connkit_rules::suggest::closest(other, &["form", "json"])
                    .map(|close| format!("did you mean \"{close}\"?")),
            ),
        },
    }
}

/// `token_path` and `token_metadata`: where the tokens sit in the token response, and what
/// else of it is kept.
pub(crate) fn token_response_shape(fields: &Fields, checked: &mut Checked, cx: &mut Ctxt) {
    match fields.str(&TOKEN_PATH) {
        None => checked.set(&TOKEN_PATH, Const::OptionalStr(None)),
        Some(lit) => match check_dot_path(&lit.value()) {
            Ok(()) => checked.set(&TOKEN_PATH, Const::OptionalStr(Some(lit.value()))),
            Err(problem) => cx.error(
                lit,
                format!("invalid token_path {:?}: {problem}", lit.value()),
            ),
        },
    }
    let mut metadata: Vec<String> = Vec::new();
    let mut metadata_valid = true;
    for lit in fields.str_list(&TOKEN_METADATA).unwrap_or_default() {
        let path = lit.value();
        if let Err(problem) = check_dot_path(&path) {
            cx.error(
                lit,
                format!("invalid token_metadata entry {path:?}: {problem}"),
            );
            metadata_valid = false;
        } else if metadata.contains(&path) {
            cx.error(lit, format!("duplicate token_metadata entry {path:?}"));
            metadata_valid = false;
        } else {
            metadata.push(path);
        }
    }
    if metadata_valid {
        checked.set(&TOKEN_METADATA, Const::StrList(metadata));
    }
}

/// A URL key, checked for shape by connkit-rules.
pub(crate) fn url(fields: &Fields, key: &Key, cx: &mut Ctxt) -> Option<String> {
    let lit = fields.str(key)?;
    let url = lit.value();
    match check_url(&url) {
        Ok(_) => Some(url),
        Err(problem) => {
            cx.error_with_help(
                lit,
                format!("invalid {} \"{url}\": {problem}", key.name),
                problem.help(),
            );
            None
        }
    }
}

/// Whether the query of a shape-checked `authorize_url` leaves the flow's parameters to the
/// flow (an error at the URL otherwise).
fn authorize_query(fields: &Fields, url: &str, cx: &mut Ctxt) -> bool {
    // A template's query is read as written: placeholders sit in values only.
    let query = match check_url(url) {
        Ok(parts) => parts.query,
        Err(_) => url.split_once('?').map(|(_, query)| query),
    };
    let Some(query) = query else {
        return true;
    };
    match check_authorize_query(query) {
        Ok(()) => true,
        Err(problem) => {
            if let Some(lit) = fields.str(&AUTHORIZE_URL) {
                cx.error_with_help(
                    lit,
                    format!("invalid {} \"{url}\": {problem}", AUTHORIZE_URL.name),
                    problem.help(),
                );
            }
            false
        }
    }
}

pub(crate) fn delimiter(fields: &Fields, cx: &mut Ctxt) -> Option<String> {
    let Some(lit) = fields.str(&SCOPE_DELIMITER) else {
        return Some(DEFAULT_DELIMITER.to_owned());
    };
    let delimiter = lit.value();
    match check_delimiter(&delimiter) {
        Ok(()) => Some(delimiter),
        Err(error) => {
            cx.error(
                lit,
                format!("invalid {} {delimiter:?}: {error}", SCOPE_DELIMITER.name),
            );
            None
        }
    }
}

/// The scopes, when every one passes; one error per offending scope. With an invalid
/// delimiter (already reported) they are checked without it.
pub(crate) fn scopes(
    lits: &[LitStr],
    delimiter: Option<&str>,
    cx: &mut Ctxt,
) -> Option<Vec<String>> {
    let scopes: Vec<String> = lits.iter().map(LitStr::value).collect();
    let refs: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let delimiter = delimiter.unwrap_or("");
    let issues = check_scopes(&refs, delimiter);
    for issue in &issues {
        cx.error_with_help(
            &lits[issue.index],
            issue.message(&refs, delimiter),
            issue.help(&refs),
        );
    }
    issues.is_empty().then_some(scopes)
}

/// A credential variable: the written name must be an accepted one for the app (and variant);
/// with an invalid id, only its shape is checked. Unwritten, it is derived from the app id.
pub(crate) fn env_var(
    fields: &Fields,
    key: &Key,
    kind: CredentialKind,
    id_written: bool,
    parts: Option<ConnectionIdParts<'_>>,
    cx: &mut Ctxt,
) -> Option<String> {
    let Some(lit) = fields.str(key) else {
        return parts.map(|parts| env_var_name(parts.app_id, None, kind));
    };
    let written = lit.value();
    let checked = match parts {
        Some(parts) => check_env_var_name(&written, parts.app_id, parts.variant, kind),
        // No id at all is reported as missing; then the name is not checked either.
        None if !id_written => return None,
        None => check_env_var_shape(&written, kind),
    };
    match checked {
        Ok(()) => Some(written),
        Err(error) => {
            cx.error_with_help(lit, format!("invalid {}: {error}", key.name), error.help());
            None
        }
    }
}

/// Checks one `name = "value"` entry of a map key.
pub(crate) type EntryCheck = dyn Fn(&str, &str) -> Result<(), Problem>;

/// A map entry's problem: which side it points at, the message and the fix.
pub(crate) struct Problem {
    pub(crate) on_value: bool,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

pub(crate) fn param_problem(key: &Key, name: &str, problem: ParamError) -> Problem {
    Problem {
        on_value: matches!(problem, ParamError::ResponseTypeNotCode),
        message: format!("invalid {} entry `{name}`: {problem}", key.name),
        help: problem.help(),
    }
}

/// A `token_headers` entry: a valid HTTP name and value that the HTTP client does not set.
pub(crate) fn header_entry(name: &str, value: &str) -> Result<(), Problem> {
    check_token_header(name, value).map_err(|problem| Problem {
        on_value: matches!(problem, HeaderError::Value { .. }),
        message: problem.to_string(),
        help: problem.help(),
    })
}

/// Each map key of `maps`: its entries checked, its `{input}` placeholders too, and its pairs
/// set when both pass.
pub(crate) fn check_maps(
    fields: &Fields,
    inputs: &mut Inputs<'_>,
    maps: &[(&Key, &EntryCheck)],
    checked: &mut Checked,
    cx: &mut Ctxt,
) {
    for (key, check) in maps {
        let placeholders_ok = fields
            .str_map(key)
            .unwrap_or_default()
            .iter()
            .fold(true, |ok, (_, value)| inputs.text(key, value, cx) && ok);
        if let Some(pairs) = string_map(fields, key, *check, cx)
            && placeholders_ok
        {
            checked.set(key, Const::Pairs(pairs));
        }
    }
}

/// A `{ name = "value" }` map whose every entry passes `check`; absent means empty (a value of
/// the wrong type was reported, so nothing is emitted from it).
pub(crate) fn string_map(
    fields: &Fields,
    key: &Key,
    check: &EntryCheck,
    cx: &mut Ctxt,
) -> Option<Vec<(String, String)>> {
    let Some(pairs) = fields.str_map(key) else {
        return Some(Vec::new());
    };
    let mut checked = Vec::with_capacity(pairs.len());
    let mut valid = true;
    for (name_token, value_lit) in pairs {
        let (name, value) = (MapKey::name(name_token), value_lit.value());
        match check(&name, &value) {
            Ok(()) => checked.push((name, value)),
            Err(problem) => {
                valid = false;
                if problem.on_value {
                    cx.error_with_help(value_lit, problem.message, problem.help);
                } else {
                    cx.error_with_help(name_token, problem.message, problem.help);
                }
            }
        }
    }
    valid.then_some(checked)
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use super::*;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};
    use crate::syntax::{Separator, parse_entries};

    const MINIMAL: &str = r#"
        id = "acme_connection_oauth2",
        name = "OAuth2",
        description = "Acme",
        authorize_url = "https://acme.example/authorize",
        token_url = "https://acme.example/token",
        scopes = ["read"],
    "#;

    /// Runs the parse and validate stages on `args`; the checked fields and every message.
    fn check(args: TokenStream) -> (Option<Checked>, Vec<String>) {
        let mut cx = Ctxt::default();
        let entries = parse_entries(args, Separator::Equals).unwrap();
        let fields = Fields::from_entries(entries, KEYS, MACRO, &mut cx);
        let checked = validate(&fields, &mut cx);
        (checked, cx.messages())
    }

    fn with(extra: &str) -> TokenStream {
        format!("{MINIMAL} {extra}").parse().unwrap()
    }

    /// A minimal valid definition with `changes` applied: `(key, Some(value))` sets a key (added
    /// when new), `(key, None)` leaves it out.
    fn definition(changes: &[(&str, Option<&str>)]) -> TokenStream {
        let mut entries: Vec<(String, String)> = [
            ("id", r#""acme_connection_oauth2""#),
            ("name", r#""n""#),
            ("description", r#""d""#),
            ("authorize_url", r#""https://a.example/a""#),
            ("token_url", r#""https://a.example/t""#),
            ("scopes", "[]"),
        ]
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
        for (key, value) in changes {
            let at = entries.iter().position(|(name, _)| name == key);
            match (at, value) {
                (Some(at), Some(value)) => entries[at].1 = (*value).to_owned(),
                (Some(at), None) => drop(entries.remove(at)),
                (None, Some(value)) => entries.push(((*key).to_owned(), (*value).to_owned())),
                (None, None) => {}
            }
        }
        let text: Vec<String> = entries
            .iter()
            .map(|(key, value)| format!("{key} = {value}"))
            .collect();
        text.join(", ").parse().unwrap()
    }

    #[test]
    fn a_valid_definition_sets_every_field_in_table_order() {
        let (checked, messages) = check(with(""));
        assert_eq!(messages, Vec::<String>::new());
        let checked = checked.unwrap();
        let fields: Vec<&str> = KEYS
            .iter()
            .filter(|key| key.name != "crate")
            .map(|key| key.name)
            .collect();
        let mut names = checked.names();
        names.sort_unstable();
        let mut expected = fields.clone();
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert!(checked.field_tokens(KEYS).is_some());
    }

    #[test]
    fn derived_env_names() {
        let (checked, _) = check(with(""));
        let tokens = checked.unwrap().field_tokens(KEYS).unwrap().to_string();
        assert!(
            tokens.contains("\"INTEGRATION_ACME_CLIENT_SECRET\""),
            "{tokens}"
        );
    }

    #[test]
    fn one_error_per_duplicate_scope_naming_the_first() {
        let (checked, messages) = check(with(r#"scopes = ["a", "b", "a"],"#));
        assert!(checked.is_none());
        // `scopes` is given twice (MINIMAL has it): that error, and nothing about scopes.
        assert_eq!(messages, ["`scopes` is given twice"]);
        let (_, messages) = check(definition(&[("scopes", Some(r#"["a", "b", "a"]"#))]));
        assert_eq!(
            messages,
            ["duplicate scope \"a\"\n\nhelp: remove it: \"a\" is already scope 1 of the list"]
        );
    }

    #[test]
    fn an_invalid_id_still_checks_env_var_shapes() {
        let (checked, messages) = check(definition(&[
            ("id", Some(r#""Acme_connection_oauth2""#)),
            ("client_id_env", Some(r#""ACME_ID""#)),
            (
                "client_secret_env",
                Some(r#""INTEGRATION_ACME_CLIENT_SECRET""#),
            ),
        ]));
        assert!(checked.is_none());
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("invalid connection id \"Acme_connection_oauth2\""));
        assert!(messages[0].ends_with("help: did you mean \"acme_connection_oauth2\"?"));
        assert!(
            messages[1].starts_with("invalid client_id_env: \"ACME_ID\""),
            "{}",
            messages[1]
        );
    }

    #[test]
    fn unknown_keys_are_suggested_and_not_also_missing() {
        let (checked, messages) = check(definition(&[
            ("authorize_url", None),
            ("authorise_url", Some(r#""https://a.example/a""#)),
        ]));
        assert!(checked.is_none());
        assert_eq!(
            messages,
            [
                "unknown key `authorise_url` in #[oauth2_connection]\n\nhelp: did you mean `authorize_url`?"
            ]
        );
    }

    #[test]
    fn a_wrong_type_is_one_error_at_the_value() {
        let (checked, messages) = check(with("pkce = \"yes\","));
        assert!(checked.is_none());
        assert_eq!(messages, ["`pkce` expects `true` or `false`"]);
    }

    #[test]
    fn flow_owned_parameters_name_the_fix() {
        let (_, messages) = check(with(r#"auth_params = { scope = "x" },"#));
        assert_eq!(
            messages,
            [
                "invalid auth_params entry `scope`: the OAuth2 flow sets this parameter itself\n\nhelp: use `scopes`"
            ]
        );
    }

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/oauth2_connection.md");
    }
}
