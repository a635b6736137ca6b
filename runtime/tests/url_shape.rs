//! Everything connkit-rules accepts as a URL, the `url` crate (a WHATWG parser) accepts too,
//! with the same scheme, host, port, path and query: so `authorize_url` can parse a checked
//! endpoint without failing.

use connkit::Url;
use connkit_rules::url_shape::check_url;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn url_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![6 => Just("https"), 3 => Just("http"), 1 => Just("HTTPS"), 1 => Just("ftp"), 1 => Just("")];
    let host = prop_oneof![
        "[a-zA-Z0-9-]{1,10}(\\.[a-zA-Z0-9-]{1,10}){0,3}",
        "[0-9]{1,3}(\\.[0-9]{1,4}){0,4}",
        Just("localhost".to_owned()),
        Just("127.0.0.1".to_owned()),
        Just("[::1]".to_owned()),
        Just("LocalHost".to_owned()),
        "\\[[0-9a-f:]{0,12}\\]",
        "0x[0-9a-f]{1,4}",
        "[a-z_.@:]{0,8}",
    ];
    let port = prop_oneof![3 => Just(String::new()), 1 => ":[0-9]{0,6}"];
    let path = "(/[a-zA-Z0-9._~%!$&'()*+,;=:@<>{}|^`\\\\-]{0,8}){0,3}";
    let query = prop_oneof![Just(String::new()), "\\?[a-zA-Z0-9=&%+._~/?-]{0,12}"];
    let tail = prop_oneof![8 => Just(String::new()), 1 => "#[a-z]{0,3}", 1 => " [a-z]{0,3}"];
    (scheme, host, port, path, query, tail).prop_map(|(scheme, host, port, path, query, tail)| {
        format!("{scheme}://{host}{port}{path}{query}{tail}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn accepted_shapes_parse_alike(candidate in url_like()) {
        if let Ok(shape) = check_url(&candidate) {
            let parsed = Url::parse(&candidate);
            prop_assert!(parsed.is_ok(), "rules accept {candidate:?}, url rejects it: {parsed:?}");
            let parsed = parsed.unwrap();
            prop_assert_eq!(parsed.scheme(), shape.scheme);
            let default_port = if shape.scheme == "https" { 443 } else { 80 };
            prop_assert_eq!(parsed.port_or_known_default(), Some(shape.port.unwrap_or(default_port)));
            prop_assert!(parsed.fragment().is_none());
            let host = parsed.host_str().unwrap_or_default().to_owned();
            let expected_host = shape.host.to_ascii_lowercase();
            // The parser writes IPv6 addresses in canonical form.
            if !expected_host.starts_with('[') {
                prop_assert_eq!(host, expected_host);
            }
        }
    }
}

#[test]
fn the_generator_reaches_both_outcomes() {
    // Guards the property above against a generator that only produces rejected strings.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = url_like();
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..2000 {
        let candidate = strategy.new_tree(&mut runner).unwrap().current();
        if check_url(&candidate).is_ok() {
            accepted += 1
        } else {
            rejected += 1
        }
    }
    assert!(
        accepted > 100 && rejected > 100,
        "accepted {accepted}, rejected {rejected}"
    );
}
