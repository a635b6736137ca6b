//! The token-response parser on arbitrary bodies (JSON, form, anything), statuses and content
//! types; what parses is turned into a token set, stored and reloaded, and its time accessors
//! called at the edges of time. No input may panic.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use connkit::TokenSet;
use connkit::oauth2::token_response::parse_token_response;
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 8] = [200, 201, 204, 302, 400, 401, 429, 500];
const CONTENT_TYPES: [Option<&str>; 5] = [
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded"),
    Some("text/html; charset=utf-8"),
    Some("application/json;charset=UTF-8"),
];
const DELIMITERS: [&str; 3] = [" ", ",", ""];

fuzz_target!(|data: &[u8]| {
    let [selector, rest @ ..] = data else { return };
    let status = STATUSES[usize::from(selector & 7)];
    let content_type = CONTENT_TYPES[usize::from(selector >> 3) % CONTENT_TYPES.len()];
    let delimiter = DELIMITERS[usize::from(selector >> 6) % DELIMITERS.len()];
    match parse_token_response(status, content_type, rest, delimiter) {
        Ok(response) => {
            assert!((200..300).contains(&status));
            let _ = format!("{response:?}");
            for received in [UNIX_EPOCH, SystemTime::now()] {
                let tokens = TokenSet::from_response(response.clone(), received);
                let stored = serde_json::to_string(&tokens).expect("a token set serializes");
                let reloaded: TokenSet =
                    serde_json::from_str(&stored).expect("a stored token set reloads");
                assert!(reloaded == tokens);
                for leeway in [Duration::ZERO, Duration::from_secs(60), Duration::MAX] {
                    let _ = reloaded.expires_within(SystemTime::now(), leeway);
                }
                let _ = reloaded.expires_at();
            }
        }
        Err(error) => {
            let _ = format!("{error} {error:?}");
        }
    }
});
