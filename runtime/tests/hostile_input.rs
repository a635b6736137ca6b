//! Arbitrary bytes from a token endpoint or a redirect never panic the parsers; they give a
//! value or a typed error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use connkit::oauth2::token_response::parse_token_response;
use connkit::{
    OAuth2Client, TokenSet, credentials::ClientCredentials, credentials::ClientId,
    oauth2_connection,
};
use proptest::prelude::*;

/// Times at the edges of what the accessors may be handed.
fn any_time() -> impl Strategy<Value = SystemTime> {
    prop_oneof![
        Just(UNIX_EPOCH),
        Just(SystemTime::now()),
        (0u64..=u64::from(u32::MAX) * 100).prop_map(|s| UNIX_EPOCH + Duration::from_secs(s)),
    ]
}

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        any::<u64>().prop_map(Duration::from_secs),
    ]
}

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read"],
)]
struct AcmeOAuth2;

fn json_ish() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just("access_token"),
        Just("refresh_token"),
        Just("expires_in"),
        Just("scope"),
        Just("token_type"),
        Just("error"),
        Just("error_description"),
        Just("other"),
    ];
    let value = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("1e19".to_owned()),
        Just("\"18446744073709551615\"".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:?}")),
        "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
    ];
    proptest::collection::vec((field, value), 0..6).prop_map(|fields| {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(",")).into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn token_responses_never_panic(
        status in prop_oneof![Just(200u16), Just(201), Just(302), Just(400), Just(401), Just(500), 100u16..600],
        content_type in prop_oneof![Just(None), Just(Some("application/json")), Just(Some("text/html")), Just(Some("application/x-www-form-urlencoded")), Just(Some(""))],
        body in prop_oneof![proptest::collection::vec(any::<u8>(), 0..200), json_ish(), "[a-z_]{1,8}=[^&]{0,8}(&[a-z_]{1,8}=[^&]{0,8}){0,4}".prop_map(String::into_bytes)],
        delimiter in prop_oneof![Just(" "), Just(","), Just("")],
        received in any_time(),
        now in any_time(),
        leeway in any_duration(),
    ) {
        match parse_token_response(status, content_type, &body, delimiter) {
            Ok(response) => {
                prop_assert!((200..300).contains(&status));
                prop_assert!(!response.access_token.expose_secret().is_empty());
                // The time accessors of the set, before and after a round trip through a store.
                let tokens = TokenSet::from_response(response, received);
                let reloaded: TokenSet =
                    serde_json::from_str(&serde_json::to_string(&tokens).unwrap()).unwrap();
                for tokens in [&tokens, &reloaded] {
                    let _ = tokens.expires_at();
                    let _ = tokens.expires_within(now, leeway);
                }
            }
            Err(error) => {
                let _ = error.to_string();
            }
        }
    }

    #[test]
    fn callbacks_never_panic(
        callback in "\\PC{0,80}",
        with_state in any::<bool>(),
        now in any_time(),
        ttl in any_duration(),
    ) {
        let client = OAuth2Client::new(
            AcmeOAuth2::DEFINITION,
            ClientCredentials::new(ClientId::new("c"), None),
            "https://app.example/cb",
        )
    .unwrap();
        let request = client.authorize_at(now, ttl).unwrap();
        let _ = request.pending.expires_at();
        let _ = request.pending.is_expired_at(now);
        let callback = if with_state {
            format!("{callback}&state={}", request.pending.state().expose_secret())
        } else {
            callback
        };
        let _ = client.complete(request.pending, &callback);
    }
}
