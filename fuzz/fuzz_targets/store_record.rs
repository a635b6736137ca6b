//! A store record's decoding on arbitrary input: the sealed text a row holds (parsed, then
//! opened with the keyring, which must refuse anything it did not seal), and the token set a
//! record opens to. No input may panic; a value sealed here opens only in its own context.
#![no_main]

use connkit::TokenSet;
use connkit::store::{Keyring, SealContext, Sealed, SealingKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let keyring = Keyring::new(SealingKey::from_bytes("fuzz", &[7; 32]).expect("a key"));
    let context = SealContext {
        connection_id: "conn_fuzz",
        owner: "owner",
        field: "tokens",
        bound: &["fuzz_connection_oauth2", "oauth2", "active", "read", "read"],
    };
    let text = String::from_utf8_lossy(data);
    if let Ok(sealed) = Sealed::from_text(&text) {
        // Opening what an attacker wrote fails, typed; it never panics.
        assert!(keyring.open(&sealed, context).is_err());
        let _ = sealed.to_text();
    }
    // What a record opens to is a stored token set: any JSON must decode or fail cleanly.
    if let Ok(tokens) = serde_json::from_slice::<TokenSet>(data) {
        let _ = format!("{tokens:?}");
        let _ = tokens.expires_at();
    }
    // And a real seal round-trips, in its own context only.
    let sealed = keyring.seal(data, context).expect("sealing");
    let reread = Sealed::from_text(&sealed.to_text()).expect("its own text");
    assert_eq!(
        keyring.open(&reread, context).expect("its own context"),
        data
    );
    let elsewhere = SealContext {
        owner: "someone-else",
        ..context
    };
    assert!(keyring.open(&reread, elsewhere).is_err());
    let edited = SealContext {
        bound: &["fuzz_connection_oauth2", "oauth2", "revoked", "read", "read"],
        ..context
    };
    assert!(keyring.open(&reread, edited).is_err());
});
