//! Connection inputs on arbitrary values: a value placed in a host label, a whole host, a path
//! segment or a query value either is refused or leaves every fixed part of the URL as
//! declared (the host's suffix, the port, the path's other segments, the user info); and the
//! template rules never panic on arbitrary templates.
#![no_main]

use connkit::{definition::InputValues, oauth2_connection};
use connkit_rules::template::{Position, check_value, classify_url, encode_component};
use libfuzzer_sys::fuzz_target;

#[oauth2_connection(
    id = "fuzz_connection_oauth2",
    name = "OAuth2",
    description = "Every position at once",
    inputs = {
        label = { label = "Label" },
        host = { label = "Host" },
        segment = { label = "Segment" },
        value = { label = "Value" },
    },
    hosts = ["*.example.com", "127.0.0.1"],
    authorize_url = "https://ca-{label}.shop.example/{segment}/authorize?tenant={value}&x=1",
    token_url = "https://{host}/oauth/{segment}/token",
    scopes = [],
)]
struct Fuzz;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let parts: Vec<&str> = text.splitn(4, '\u{0}').collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or("a");
    let values = InputValues::new()
        .with("label", part(0))
        .with("host", part(1))
        .with("segment", part(2))
        .with("value", part(3));
    if let Ok(endpoints) = Fuzz::DEFINITION.endpoints(&values) {
        let authorize = endpoints.authorize_url();
        let host = authorize.host_str().unwrap_or_default();
        assert!(host.starts_with("ca-") && host.ends_with(".shop.example"), "{host}");
        assert_eq!(host.matches('.').count(), 2, "{host}");
        assert_eq!((authorize.port(), authorize.username()), (None, ""));
        let segments: Vec<&str> = authorize.path_segments().map(Iterator::collect).unwrap_or_default();
        assert_eq!(segments.len(), 2, "{authorize}");
        assert_eq!(segments[1], "authorize");
        assert!(segments[0] != "." && segments[0] != "..");
        let tenants: Vec<String> = authorize
            .query_pairs()
            .filter(|(name, _)| name == "tenant")
            .map(|(_, value)| value.into_owned())
            .collect();
        assert_eq!(tenants, [part(3).to_owned()], "the value comes back whole");
        let token = endpoints.token_url();
        let host = token.host_str().unwrap_or_default();
        assert!(host.ends_with(".example.com") || host == "127.0.0.1", "{host}");
        assert_eq!((token.port(), token.username()), (None, ""));
        let segments: Vec<&str> = token.path_segments().map(Iterator::collect).unwrap_or_default();
        assert_eq!(segments.len(), 3, "{token}");
    }
    // The rules themselves, on arbitrary templates and values.
    let _ = classify_url(text, &["*.example.com"]).map_err(|problem| (problem.to_string(), problem.help()));
    for position in [Position::Host, Position::HostLabel, Position::PathSegment, Position::QueryValue] {
        let _ = check_value(position, text, true, &["*.example.com"]).map_err(|problem| problem.to_string());
    }
    let encoded = encode_component(text);
    assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
});
