//! Malformed input never panics a macro: thousands of randomly mutated attribute arguments,
//! items, `app!` and `registry!` inputs go through the parse and validate stages as
//! `proc_macro2` token streams. Each gives either a checked definition or errors, and every
//! error points inside the input (or at the invocation, for "missing key" errors).

use proc_macro2::{Span, TokenStream};
use proptest::prelude::*;
use proptest::strategy::ValueTree as _;

use crate::connection::oauth2::KIND;
use crate::connection::{Kind, api_key, basic_auth, client_credentials, jwt_bearer, key_pair};
use crate::ctxt::Ctxt;
use crate::syntax::parse_header_and_entries;

const ATTRIBUTE: &str = r#"id = "acme_connection_oauth2-EU", name = "OAuth2", description = "Acme", authorize_url = "https://auth.acme.example/authorize?tenant=x", token_url = "http://127.0.0.1:8080/token", scopes = ["read", "write:all"], scope_delimiter = ",", client_id_env = "INTEGRATION_ACME_EU_CLIENT_ID", client_auth = "header", pkce = false, auth_params = { prompt = "consent", "x-y" = "z" }, token_headers = { Accept = "application/json" }, refresh_params = { resource = "r" }, issuer = "https://auth.acme.example", require_iss = true, crate = ::connkit,"#;
/// Inputs in every position, the token-request quirks, and an API-key connection.
const TEMPLATED: &str = r#"id = "gitlab_connection_oauth2", name = "OAuth2", description = "GitLab", inputs = { host = { label = "Server", allow_port = true }, group = { label = "Group", pattern = "[a-z]+|x{2,3}", default = "abc" }, token = { label = "Token", secret = true, unused_ok = false } }, hosts = ["*.example.com", "127.0.0.1"], authorize_url = "https://{host}/{group}/authorize?t={group}", token_url = "https://{host}/token", refresh_url = "https://{host}/refresh", revoke_url = "https://{host}/revoke", scopes = ["read"], token_params = { audience = "{group}" }, token_headers = { "X-Token" = "{token}" }, token_request_format = "json", refresh_scopes = true, redirect_uri_on_refresh = true, token_path = "a.b", token_metadata = ["team.id"], incremental_auth = true,"#;
const API_KEY: &str = r#"id = "openai_connection_api-key-v2", name = "API key", description = "OpenAI", inputs = { org = { label = "Organization", pattern = "org-[a-z0-9]+" } }, header = "Authorization", prefix = "Bearer ", crate = ::connkit,"#;
const ITEM: &str = "#[derive(Debug)] pub struct AcmeOAuth2;";
const APP: &str = r#"crate = ::connkit; id: "acme", name: "Acme", description: "Acme", logo_url: "https://acme.example/logo.svg", is_published: false, connections: [AcmeOAuth2, other::AcmeOAuth2], actions: [Send], triggers: [New],"#;
const REGISTRY: &str = "crate = ::connkit; ACME, apps::GMAIL, SLACK,";

/// Pieces a mutation may insert: tokens of every kind the macros meet, and some they never do.
const SNIPPETS: &[&str] = &[
    ",",
    "=",
    ":",
    ";",
    "::",
    "#",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "\"",
    "\"\"",
    "\"x\"",
    "true",
    "false",
    "42",
    "-1",
    "1.5e9",
    "'c'",
    "b\"x\"",
    "r#type",
    "crate",
    "self",
    "id",
    "scopes",
    "client_auth",
    "issuer",
    "require_iss",
    "pkce",
    "authorize_url",
    "inputs",
    "hosts",
    "any_host",
    "label",
    "pattern",
    "\"{host}\"",
    "\"https://{a}.{b}:{c}/{d}?{e}={f}#{g}\"",
    "{ x = { label = \"x\" } }",
    "\"[a-z\"",
    "header",
    "query",
    "\"GitHub_connection_oauth2\"",
    "\"https://\"",
    "\"http://example.com/#f\"",
    "\"\\u{0}\"",
    "\"é\"",
    "[\"a\", \"a\"]",
    "{ a = \"b\", a = \"c\" }",
    "Vec<u8>",
    "<T>",
    "where T: Copy",
    "enum",
    "fn f() {}",
    "struct",
    "pub(crate)",
    "'a",
    "..",
    "?",
    "&",
    "!",
    "@",
    "$",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: u16, len: u8 },
    Insert { at: u16, snippet: usize },
    Duplicate { at: u16, len: u8 },
    Byte { at: u16, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u16>(), 1u8..24).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<u16>(), 0..SNIPPETS.len())
            .prop_map(|(at, snippet)| Mutation::Insert { at, snippet }),
        (any::<u16>(), 1u8..40).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<u16>(), 0x20u8..0x7f).prop_map(|(at, byte)| Mutation::Byte { at, byte }),
    ]
}

/// `text` with `mutations` applied (positions taken modulo the length; the text stays ASCII).
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for mutation in mutations {
        let position = |at: u16, len: usize| usize::from(at) % (len + 1);
        match *mutation {
            Mutation::Delete { at, len } => {
                let start = position(at, bytes.len());
                let end = (start + usize::from(len)).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Insert { at, snippet } => {
                let start = position(at, bytes.len());
                let piece = format!(" {} ", SNIPPETS[snippet]);
                bytes.splice(start..start, piece.bytes());
            }
            Mutation::Duplicate { at, len } => {
                let start = position(at, bytes.len());
                let end = (start + usize::from(len)).min(bytes.len());
                let piece = bytes[start..end].to_vec();
                bytes.splice(end..end, piece);
            }
            Mutation::Byte { at, byte } => {
                if !bytes.is_empty() {
                    let index = usize::from(at) % bytes.len();
                    bytes[index] = byte;
                }
            }
        }
    }
    // Only ASCII was inserted into ASCII templates, except the "é" snippet (inserted whole).
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The tokens of `text`, or `None` when it does not lex (rustc would refuse it before any
/// macro runs), with one span covering them all.
fn lex(text: &str) -> Option<(TokenStream, Span)> {
    let tokens: TokenStream = text.parse().ok()?;
    let mut spans = tokens.clone().into_iter().map(|token| token.span());
    let first = spans.next()?;
    let whole = spans.try_fold(first, |whole, next| whole.join(next))?;
    Some((tokens, whole))
}

/// Every error of `cx` points inside one of `inputs`, or at the invocation. (proc-macro2's
/// fallback numbers bytes per parsed source, so "inside" is: joins with the input's span
/// without widening it; a call-site span joins only with the call site.)
fn assert_spans_inside(cx: &Ctxt, inputs: &[&Span]) -> Result<(), TestCaseError> {
    for span in cx.spans() {
        let at_call_site = span.join(Span::call_site()).is_some();
        let inside = inputs.iter().any(|input| {
            input
                .join(span)
                .is_some_and(|joined| joined.byte_range() == input.byte_range())
        });
        prop_assert!(
            at_call_site || inside,
            "an error at {:?} outside the input: {:?}",
            span.byte_range(),
            cx.messages()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn mutated_attributes_never_panic_and_point_inside(
        args in proptest::collection::vec(mutation(), 1..6),
        item in proptest::collection::vec(mutation(), 0..3),
    ) {
        let (Some((args, args_range)), Some((item, item_range))) =
            (lex(&mutate(ATTRIBUTE, &args)), lex(&mutate(ITEM, &item)))
        else {
            return Ok(());
        };
        let mut cx = Ctxt::default();
        let Ok(ast) = crate::connection::parse_for_tests(&KIND, args, item, &mut cx) else {
            prop_assert!(!cx.is_empty(), "an item refused without an error");
            return assert_spans_inside(&cx, &[&args_range, &item_range]);
        };
        let checked = (KIND.validate)(&ast.fields, &mut cx);
        prop_assert!(checked.is_none() || cx.is_empty(), "a definition despite errors");
        assert_spans_inside(&cx, &[&args_range, &item_range])?;
    }

    #[test]
    fn mutated_inputs_and_other_kinds_never_panic_and_point_inside(
        which in 0..6usize,
        args in proptest::collection::vec(mutation(), 1..6),
    ) {
        let (kind, text): (&Kind, &str) = match which {
            0 => (&KIND, TEMPLATED),
            1 => (&api_key::KIND, API_KEY),
            2 => (&basic_auth::KIND, r#"id = "jira_connection_basic-auth", name = "Basic", description = "Jira", inputs = { site = { label = "Site" } },"#),
            3 => (&key_pair::KIND, r#"id = "snowflake_connection_key-pair", name = "Key pair", description = "Snowflake","#),
            4 => (&jwt_bearer::KIND, r#"id = "google_connection_jwt-bearer", name = "Service account", description = "Google", token_url = "https://oauth2.googleapis.com/token", scope_in_claim = true, scopes = ["a"], claims = { iss = "{client_email}", aud = "https://oauth2.googleapis.com/token" }, inputs = { client_email = { label = "Email" } },"#),
            _ => (&client_credentials::KIND, r#"id = "zoom_connection_client-credentials", name = "Server-to-server", description = "Zoom", token_url = "https://zoom.us/oauth/token", grant_type = "account_credentials", token_params = { account_id = "{account_id}" }, inputs = { account_id = { label = "Account ID" } },"#),
        };
        let (Some((args, args_range)), Some((item, item_range))) =
            (lex(&mutate(text, &args)), lex(ITEM))
        else {
            return Ok(());
        };
        let mut cx = Ctxt::default();
        let Ok(ast) = crate::connection::parse_for_tests(kind, args, item, &mut cx) else {
            return assert_spans_inside(&cx, &[&args_range, &item_range]);
        };
        let checked = (kind.validate)(&ast.fields, &mut cx);
        prop_assert!(checked.is_none() || cx.is_empty(), "a definition despite errors");
        assert_spans_inside(&cx, &[&args_range, &item_range])?;
    }

    #[test]
    fn mutated_apps_never_panic_and_point_inside(
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let Some((input, range)) = lex(&mutate(APP, &mutations)) else {
            return Ok(());
        };
        let mut cx = Ctxt::default();
        crate::app::parse_for_tests(input.clone(), &mut cx);
        assert_spans_inside(&cx, &[&range])?;
        // The whole expansion too: tokens or errors, never a panic.
        let _ = crate::app::expand(input);
    }

    #[test]
    fn mutated_registries_never_panic_and_point_inside(
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let Some((input, range)) = lex(&mutate(REGISTRY, &mutations)) else {
            return Ok(());
        };
        let mut cx = Ctxt::default();
        crate::registry::validate_for_tests(input.clone(), &mut cx);
        assert_spans_inside(&cx, &[&range])?;
        let _ = crate::registry::expand(input);
    }

    #[test]
    fn any_lexable_text_never_panics_any_macro(text in lexable_text()) {
        if let Some((tokens, _)) = lex(&text) {
            for kind in [&KIND, &api_key::KIND, &basic_auth::KIND, &key_pair::KIND, &client_credentials::KIND, &jwt_bearer::KIND] {
                let _ = crate::connection::expand(kind, tokens.clone(), tokens.clone());
            }
            let _ = crate::app::expand(tokens.clone());
            let _ = crate::registry::expand(tokens.clone());
            let _ = parse_header_and_entries(tokens);
        }
    }
}

/// Text for [`any_lexable_text_never_panics_any_macro`]: mostly Rust-like tokens joined by
/// spaces (so that most of it lexes), some of it any printable text.
fn lexable_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-z_][a-z0-9_]{0,8}",
        "\"[a-z0-9: /{}.-]{0,12}\"",
        "[0-9]{1,4}",
        "[=,:;#./!<>&|+*-]",
        "\\(\\)|\\[\\]|\\{\\}",
        "\\{ [a-z_]{1,6} = \"[a-z{}]{0,6}\" \\}",
        "\\[\"[a-z:]{0,6}\"(, \"[a-z]{0,4}\")?\\]",
    ];
    prop_oneof![
        3 => proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.join(" ")),
        1 => "\\PC{0,120}",
    ]
}

/// The properties above skip what does not lex (a property of the lexer, not of the macros):
/// their generators must give mostly lexable input, or they would check little.
#[test]
fn the_generators_give_mostly_lexable_input() {
    /// How many of 1000 values drawn from `strategy` lex, once made text by `text`.
    fn lexed_of_1000<S: Strategy>(strategy: S, text: impl Fn(S::Value) -> String) -> usize {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        (0..1000)
            .filter(|_| {
                strategy
                    .new_tree(&mut runner)
                    .is_ok_and(|tree| lex(&text(tree.current())).is_some())
            })
            .count()
    }
    for (name, text) in [
        ("attribute", ATTRIBUTE),
        ("app", APP),
        ("registry", REGISTRY),
        ("templated", TEMPLATED),
    ] {
        let mutations = proptest::collection::vec(mutation(), 1..6);
        let lexed = lexed_of_1000(mutations, |applied| mutate(text, &applied));
        assert!(lexed > 500, "{name}: {lexed} of 1000 mutated inputs lex");
    }
    let lexed = lexed_of_1000(lexable_text(), |text| text);
    assert!(lexed > 600, "{lexed} of 1000 texts lex");
}
