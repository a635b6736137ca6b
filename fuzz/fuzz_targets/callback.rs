//! The callback on arbitrary input, against a pending authorization whose state the input may
//! or may not carry; the definition declares an issuer, so the RFC 9207 check runs too. No input
//! may panic, and only a callback carrying the right state and a code completes.
#![no_main]

use connkit::{credentials::ClientCredentials, credentials::ClientId, OAuth2Client, oauth2::PendingAuthorization, oauth2_connection};
use libfuzzer_sys::fuzz_target;

#[oauth2_connection(
    id = "fuzz_connection_oauth2",
    name = "OAuth2",
    description = "Fuzzed",
    authorize_url = "https://auth.fuzz.example/authorize",
    token_url = "https://auth.fuzz.example/token",
    scopes = ["read"],
    issuer = "https://auth.fuzz.example",
)]
struct FuzzOAuth2;

const STATE: &str = "fuzz-state-0123456789abcdefghijklmnopqrstuvw";

fn pending() -> PendingAuthorization {
    serde_json::from_value(serde_json::json!({
        "connection_id": "fuzz_connection_oauth2",
        "redirect_uri": "https://app.example/cb",
        "state": STATE,
        "pkce_verifier": "fuzz-verifier-0123456789abcdefghijklmnopqrstu",
        "expires_at": u64::MAX,
    }))
    .expect("a pending authorization")
}

fuzz_target!(|data: &[u8]| {
    let [selector, rest @ ..] = data else { return };
    let text = String::from_utf8_lossy(rest);
    let callback = match selector % 3 {
        0 => text.into_owned(),
        1 => format!("{text}&state={STATE}"),
        _ => format!("https://app.example/cb?state={STATE}&{text}"),
    };
    let client = OAuth2Client::new(
        FuzzOAuth2::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), None),
        "https://app.example/cb",
    )
    .expect("a client");
    match client.complete(pending(), &callback) {
        Ok(completed) => {
            assert!(!completed.code().expose_secret().is_empty());
            let _ = client
                .exchange_request(&completed)
                .expect("an exchange request");
        }
        Err(error) => {
            let _ = format!("{error} {error:?}");
        }
    }
});
