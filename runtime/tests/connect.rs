//! The connect router, request by request with `tower::ServiceExt`, no browser: the whole flow,
//! and each attack on it: a state cookie from another browser, a replayed callback, an expired
//! pending authorization, a tampered cookie, another owner, an open redirect, cross-site
//! requests, missing and invalid inputs. The provider's side is played by the test (it reads the
//! state from the redirect and sends the callback); the token endpoint is a loopback server.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use common::fault_endpoint::{Endpoint, Fault, GOOD_TOKEN};
use connkit::connect::{ConnectConfig, ConnectError, router};
use connkit::credentials::{ClientCredentialMap, ClientCredentials};
use connkit::http::ReqwestClient;
use connkit::store::{Backend, Connections, Keyring, SealingKey, SqliteBackend, Store};
use connkit::{
    AppDefinition, Registry, api_key_connection, app, basic_auth_connection, credentials::ClientId,
    key_pair_connection, oauth2_connection, registry, secret::ClientSecret,
};
use http::{Request, StatusCode, header};
use tower::ServiceExt;

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "Acme OAuth2",
    description = "Acme's API",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read", "write"],
)]
struct AcmeOAuth2;

#[oauth2_connection(
    id = "shop_connection_oauth2",
    name = "Shop OAuth2",
    description = "A shop of your own",
    inputs = {
        shop = { label = "Shop name", pattern = "[a-z0-9]+" },
    },
    authorize_url = "https://{shop}.shop.example/authorize",
    token_url = "https://{shop}.shop.example/token",
    scopes = ["orders"],
)]
struct ShopOAuth2;

#[api_key_connection(
    id = "keyed_connection_api-key",
    name = "Keyed API key",
    description = "An API key",
    header = "X-Api-Key"
)]
struct KeyedApiKey;

#[basic_auth_connection(
    id = "desk_connection_basic-auth",
    name = "Desk login",
    description = "A username and a password",
    inputs = { site = { label = "Site", pattern = "[a-z0-9]+" } },
)]
struct DeskBasicAuth;

#[key_pair_connection(
    id = "vault_connection_key-pair",
    name = "Vault key pair",
    description = "A key pair"
)]
struct VaultKeyPair;

const DESK: AppDefinition = app! {
    id: "desk", name: "Desk", description: "Desk", logo_url: "https://desk.example/logo.svg",
    connections: [DeskBasicAuth],
};
const VAULT: AppDefinition = app! {
    id: "vault", name: "Vault", description: "Vault", logo_url: "https://vault.example/logo.svg",
    connections: [VaultKeyPair],
};

const ACME: AppDefinition = app! {
    id: "acme", name: "Acme", description: "Acme <Corp>", logo_url: "https://acme.example/logo.svg",
    connections: [AcmeOAuth2],
};
const SHOP: AppDefinition = app! {
    id: "shop", name: "Shop", description: "Shops", logo_url: "https://shop.example/logo.svg",
    connections: [ShopOAuth2],
};
const KEYED: AppDefinition = app! {
    id: "keyed", name: "Keyed", description: "Keys", logo_url: "https://keyed.example/logo.svg",
    connections: [KeyedApiKey],
};
#[connkit::client_credentials_connection(
    id = "machine_connection_client-credentials",
    name = "Machine client",
    description = "A client of the owner's own",
    token_url = "https://auth.machine.example/token"
)]
struct MachineClient;

const MACHINE: AppDefinition = app! {
    id: "machine", name: "Machine", description: "Machine", logo_url: "https://machine.example/logo.svg",
    connections: [MachineClient],
};

const REGISTRY: Registry = registry![ACME, SHOP, KEYED, DESK, VAULT, MACHINE];

const BASE: &str = "http://127.0.0.1:4000/integrations/";
const CODE: &str = "c0de-from-the-provider";
const API_KEY: &str = "sk-live-very-secret";

type Conns = Connections<SqliteBackend, ReqwestClient, ClientCredentialMap>;

struct Harness {
    app: Router,
    connections: Arc<Conns>,
    endpoint: Endpoint,
}

fn keyring() -> Keyring {
    Keyring::new(SealingKey::from_bytes("test", &[5; 32]).unwrap())
}

fn harness_with(configure: impl FnOnce(ConnectConfig) -> ConnectConfig) -> Harness {
    harness_on(
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
        configure,
    )
}

/// The router, with `fault` as the token endpoint.
fn harness_on(fault: Fault, configure: impl FnOnce(ConnectConfig) -> ConnectConfig) -> Harness {
    let endpoint = Endpoint::start("127.0.0.1", fault);
    let mut credentials = ClientCredentialMap::new();
    for id in [AcmeOAuth2::DEFINITION.id(), ShopOAuth2::DEFINITION.id()] {
        credentials.insert(
            id,
            ClientCredentials::new(
                ClientId::new("client"),
                Some(ClientSecret::new("client-secret")),
            ),
        );
    }
    let config = configure(
        ConnectConfig::new(BASE, keyring())
            .unwrap()
            .allow_return_path("/settings")
            .unwrap(),
    );
    let connections = Arc::new(
        Connections::new(
            Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
            REGISTRY,
            credentials,
            ReqwestClient::new().unwrap(),
            config.callback_url(),
        )
        .unwrap()
        .with_origin(endpoint.url()),
    );
    let owner = |request: &http::request::Parts| {
        request
            .headers
            .get("x-user")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let app = Router::new().nest(
        "/integrations",
        router(Arc::clone(&connections), config, owner).unwrap(),
    );
    Harness {
        app,
        connections,
        endpoint,
    }
}

impl Harness {
    /// Every stored OAuth2 connection.
    async fn stored(&self) -> Vec<connkit::store::StoredConnection> {
        self.connections.store().list_all().await.unwrap()
    }
}

fn harness() -> Harness {
    harness_with(|config| config)
}

/// A browser: a cookie jar and a signed-in user.
#[derive(Clone)]
struct Browser {
    user: Option<&'static str>,
    jar: BTreeMap<String, String>,
}

/// An answer, with its body as text.
struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect()
    }
}

impl Browser {
    fn new(user: &'static str) -> Self {
        Self {
            user: Some(user),
            jar: BTreeMap::new(),
        }
    }

    async fn send(
        &mut self,
        app: &Router,
        request: http::request::Builder,
        body: String,
    ) -> Answer {
        let mut request = request;
        if let Some(user) = self.user {
            request = request.header("x-user", user);
        }
        if !self.jar.is_empty() {
            let cookie: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        let response = app
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let answer = Answer {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        };
        for cookie in answer.set_cookies() {
            let pair = cookie.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if cookie.contains("Max-Age=0") {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        assert_no_secret(&answer);
        answer
    }

    async fn get(&mut self, app: &Router, path: &str) -> Answer {
        self.send(app, Request::get(path), String::new()).await
    }

    async fn post(&mut self, app: &Router, path: &str, form: &[(&str, &str)]) -> Answer {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, "http://127.0.0.1:4000");
        self.send(app, request, body).await
    }

    /// The CSRF token of the connect page's forms.
    async fn csrf(&mut self, app: &Router) -> String {
        let page = self.get(app, "/integrations/connect").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        field(&page.body, "csrf")
    }

    /// Starts connecting `definition`; the provider URL it was sent to.
    async fn start(&mut self, app: &Router, definition: &str, extra: &[(&str, &str)]) -> url::Url {
        let csrf = self.csrf(app).await;
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(extra);
        let answer = self
            .post(app, &format!("/integrations/connect/{definition}"), &form)
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        url::Url::parse(answer.location()).unwrap()
    }
}

/// The value of the first hidden field `name` in a page.
fn field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap() + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

fn state_of(url: &url::Url) -> String {
    url.query_pairs()
        .find(|(key, _)| key == "state")
        .map(|(_, value)| value.into_owned())
        .unwrap()
}

/// The provider sends the browser back with a code.
fn callback(state: &str) -> String {
    format!("/integrations/callback?code={CODE}&state={state}")
}

/// No token, code or API key in any answer (the sealed cookie aside, which is opaque).
fn assert_no_secret(answer: &Answer) {
    for secret in [CODE, API_KEY, "new-access", "new-refresh", "client-secret"] {
        assert!(
            !answer.body.contains(secret),
            "{secret} in a page:\n{}",
            answer.body
        );
        for (name, value) in &answer.headers {
            if name != header::SET_COOKIE {
                assert!(
                    !value.to_str().unwrap_or_default().contains(secret),
                    "{secret} in {name}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_flow_connects_stores_and_returns_to_the_page() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let page = browser.get(&harness.app, "/integrations/connect").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Acme &lt;Corp&gt;"),
        "the description is escaped"
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(page.headers[header::REFERRER_POLICY], "same-origin");
    assert!(
        page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let csrf_cookie = page
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("connkit_csrf="))
        .unwrap();
    // Lax: the provider's redirect back (a cross-site navigation) must bring it.
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"));
    assert!(
        !csrf_cookie.contains("Secure"),
        "loopback http cannot carry Secure cookies"
    );

    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    // The test's token endpoint stands in for the provider's origin (`with_origin`).
    assert_eq!(provider.path(), "/authorize");
    assert!(provider.query_pairs().any(|(k, v)| k == "redirect_uri" && v == "http://127.0.0.1:4000/integrations/callback"));
    let pending = browser
        .jar
        .keys()
        .find(|k| k.starts_with("connkit_pending_"))
        .unwrap()
        .clone();
    let done = browser
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        done.location(),
        "/integrations/connect?connected=acme_connection_oauth2"
    );
    assert!(
        !browser.jar.contains_key(&pending),
        "the pending cookie is cleared"
    );
    let stored = harness
        .connections
        .store()
        .list_by_owner("alice")
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].definition_id, "acme_connection_oauth2");

    let page = browser.get(&harness.app, done.location()).await;
    assert!(
        page.body.contains("Connected: Acme OAuth2."),
        "{}",
        page.body
    );
    // The test's token endpoint grants `read` only, and the definition asks for `write` too.
    assert!(
        page.body.contains(&format!(
            "data-connection=\"{}\"><span class=\"status attention\">Missing scopes: write</span>",
            stored[0].id
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains(">Grant new scopes</button>"));
}

#[tokio::test]
async fn a_callback_in_another_browser_is_refused() {
    let harness = harness();
    let mut attacker = Browser::new("alice");
    let provider = attacker
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    // Login CSRF / session swapping: the attacker's callback URL opened in the victim's
    // browser, which has its own session but no pending authorization.
    let mut victim = Browser::new("alice");
    victim.csrf(&harness.app).await;
    let refused = victim
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("started in another browser"),
        "{}",
        refused.body
    );
    // Even with the pending cookie copied over, it is bound to the other browser's nonce.
    let name = attacker
        .jar
        .keys()
        .find(|k| k.starts_with("connkit_pending_"))
        .unwrap()
        .clone();
    victim.jar.insert(name.clone(), attacker.jar[&name].clone());
    let refused = victim
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(harness.stored().await.is_empty());
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    let url = callback(&state_of(&provider));
    assert_eq!(
        browser.get(&harness.app, &url).await.status,
        StatusCode::SEE_OTHER
    );
    let replayed = browser.get(&harness.app, &url).await;
    assert_eq!(replayed.status, StatusCode::BAD_REQUEST);
    assert!(
        replayed.body.contains("already completed"),
        "{}",
        replayed.body
    );
    assert_eq!(harness.stored().await.len(), 1);
}

#[tokio::test]
async fn a_callback_replayed_with_copied_cookies_is_refused_before_the_provider_is_asked() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    // Someone copies the browser's cookies (the pending authorization and the nonce) and
    // learns the callback URL, then sends it again after the browser did.
    let mut copy = browser.clone();
    let url = callback(&state_of(&provider));
    let done = browser.get(&harness.app, &url).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let exchanges = harness.endpoint.connections();
    assert_eq!(exchanges, 1, "one code exchange");
    let replayed = copy.get(&harness.app, &url).await;
    assert_eq!(
        replayed.status,
        StatusCode::BAD_REQUEST,
        "{}",
        replayed.body
    );
    assert!(
        replayed.body.contains("already completed"),
        "{}",
        replayed.body
    );
    assert_eq!(
        harness.endpoint.connections(),
        exchanges,
        "the provider was not asked again"
    );
    assert_eq!(harness.stored().await.len(), 1);
}

#[tokio::test]
async fn an_expired_pending_authorization_is_refused() {
    let harness = harness_with(|config| config.with_ttl(Duration::ZERO));
    let mut browser = Browser::new("alice");
    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    let late = browser
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert!(late.body.contains("took too long"), "{}", late.body);
    assert!(harness.stored().await.is_empty());
}

#[tokio::test]
async fn a_tampered_cookie_or_another_owner_is_refused() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    let name = browser
        .jar
        .keys()
        .find(|k| k.starts_with("connkit_pending_"))
        .unwrap()
        .clone();
    let original = browser.jar[&name].clone();
    let mut tampered = original.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let mut tampering = browser.clone();
    tampering
        .jar
        .insert(name.clone(), String::from_utf8(tampered).unwrap());
    let refused = tampering
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    // The same browser, now signed in as someone else: the seal is bound to alice.
    let mut swapped = browser.clone();
    swapped.user = Some("mallory");
    let refused = swapped
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    // A state that does not go with the cookie.
    let refused = browser.get(&harness.app, &callback("another-state")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(harness.stored().await.is_empty());
    // The untouched cookie still works.
    let done = browser
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}

#[tokio::test]
async fn only_configured_return_paths_are_followed() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    for attempt in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "/settings/../admin",
        "/other",
    ] {
        let csrf = browser.csrf(&harness.app).await;
        let refused = browser
            .post(
                &harness.app,
                "/integrations/connect/acme_connection_oauth2",
                &[("csrf", &csrf), ("return_to", attempt)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{attempt}");
        assert!(
            refused.body.contains("return address is not allowed"),
            "{attempt}"
        );
        assert!(!refused.headers.contains_key(header::LOCATION));
    }
    let provider = browser
        .start(
            &harness.app,
            "acme_connection_oauth2",
            &[("return_to", "/settings")],
        )
        .await;
    let done = browser
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    assert_eq!(
        done.location(),
        "/settings?connected=acme_connection_oauth2"
    );
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    // No token.
    let refused = browser
        .post(
            &harness.app,
            "/integrations/connect/acme_connection_oauth2",
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Another browser's token (the attacker loaded the page in their own browser).
    let mut attacker = Browser::new("alice");
    let foreign = attacker.csrf(&harness.app).await;
    browser.csrf(&harness.app).await;
    let refused = browser
        .post(
            &harness.app,
            "/integrations/connect/acme_connection_oauth2",
            &[("csrf", &foreign)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A valid token, sent from another site.
    let csrf = browser.csrf(&harness.app).await;
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", &csrf)
        .finish();
    let request = Request::post("/integrations/connect/acme_connection_oauth2")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example");
    let refused = browser.send(&harness.app, request, body).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("another site"), "{}", refused.body);

    // Disconnecting needs the token too, and only one's own connections.
    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    browser
        .get(&harness.app, &callback(&state_of(&provider)))
        .await;
    let id = harness.stored().await[0].id.clone();
    let path = format!("/integrations/connections/{id}/disconnect");
    assert_eq!(
        browser.post(&harness.app, &path, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let mut mallory = Browser::new("mallory");
    let theirs = mallory.csrf(&harness.app).await;
    assert_eq!(
        mallory
            .post(&harness.app, &path, &[("csrf", &theirs)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(harness.stored().await.len(), 1);
    let csrf = browser.csrf(&harness.app).await;
    let done = browser.post(&harness.app, &path, &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        done.location(),
        "/integrations/connect?disconnected=acme_connection_oauth2"
    );
    assert!(harness.stored().await.is_empty());
}

#[tokio::test]
async fn missing_and_invalid_inputs_show_the_form_again() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let page = browser.get(&harness.app, "/integrations/connect").await;
    assert!(
        page.body
            .contains("<label for=\"shop_connection_oauth2-input-shop\">Shop name</label>")
    );
    assert!(
        page.body
            .contains("name=\"input.shop\" value=\"\" required pattern=\"[a-z0-9]+\"")
    );
    let csrf = field(&page.body, "csrf");
    let missing = browser
        .post(
            &harness.app,
            "/integrations/connect/shop_connection_oauth2",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .body
            .contains("role=\"alert\">Shop OAuth2: the input `shop` (Shop name) needs a value"),
        "{}",
        missing.body
    );
    let invalid = browser
        .post(
            &harness.app,
            "/integrations/connect/shop_connection_oauth2",
            &[("csrf", &csrf), ("input.shop", "\"><script>")],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid.body.contains("does not match its pattern"),
        "{}",
        invalid.body
    );
    assert!(
        invalid.body.contains("value=\"&quot;&gt;&lt;script&gt;\""),
        "the value comes back escaped"
    );
    assert!(!invalid.body.contains("<script>"));
    assert!(harness.stored().await.is_empty());
    let provider = browser
        .start(
            &harness.app,
            "shop_connection_oauth2",
            &[("input.shop", "acme")],
        )
        .await;
    assert_eq!(provider.path(), "/authorize");
}

#[tokio::test]
async fn an_api_key_is_taken_in_a_form_and_never_shown() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let csrf = browser.csrf(&harness.app).await;
    let missing = browser
        .post(
            &harness.app,
            "/integrations/connect/keyed_connection_api-key",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Keyed API key: enter the API key"));
    let saved = browser
        .post(
            &harness.app,
            "/integrations/connect/keyed_connection_api-key",
            &[("csrf", &csrf), ("api_key", API_KEY)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = harness
        .connections
        .store()
        .credentials_by_owner("alice")
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    let page = browser.get(&harness.app, saved.location()).await;
    assert!(
        page.body
            .contains(&format!("data-connection=\"{}\"", stored[0].id))
    );
}

#[tokio::test]
async fn nobody_signed_in_gets_401_and_a_bad_router_is_refused() {
    let harness = harness();
    let mut anonymous = Browser {
        user: None,
        jar: BTreeMap::new(),
    };
    for answer in [
        anonymous.get(&harness.app, "/integrations/connect").await,
        anonymous.get(&harness.app, &callback("x")).await,
        anonymous
            .post(
                &harness.app,
                "/integrations/connect/acme_connection_oauth2",
                &[],
            )
            .await,
    ] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.body.contains("Sign in first"));
    }
    let connections = Arc::new(
        Connections::new(
            Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
            REGISTRY,
            ClientCredentialMap::new(),
            ReqwestClient::new().unwrap(),
            "http://127.0.0.1:4000/elsewhere/callback",
        )
        .unwrap(),
    );
    let config = ConnectConfig::new(BASE, keyring()).unwrap();
    let refused = router(connections, config, |_: &http::request::Parts| None).unwrap_err();
    assert!(
        matches!(refused, ConnectError::RedirectUri { .. }),
        "{refused}"
    );
}

#[tokio::test]
async fn a_username_and_password_or_a_key_pair_is_checked_and_stored() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let csrf = browser.csrf(&harness.app).await;
    let desk = "/integrations/connect/desk_connection_basic-auth";
    let colon = browser
        .post(
            &harness.app,
            desk,
            &[
                ("csrf", &csrf),
                ("input.site", "acme"),
                ("username", "a:b"),
                ("password", "pw-secret-1"),
            ],
        )
        .await;
    assert_eq!(colon.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        colon
            .body
            .contains("Desk login: a username cannot contain &#39;:&#39;"),
        "{}",
        colon.body
    );
    assert!(
        !colon.body.contains("pw-secret-1"),
        "the password is not shown again"
    );
    let bad_site = browser
        .post(
            &harness.app,
            desk,
            &[
                ("csrf", &csrf),
                ("input.site", "Not A Site"),
                ("username", "ann"),
                ("password", "pw-secret-1"),
            ],
        )
        .await;
    assert_eq!(bad_site.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_site.body.contains("does not match its pattern"),
        "{}",
        bad_site.body
    );
    assert!(
        bad_site
            .body
            .contains("name=\"username\" required autocomplete=\"username\" value=\"ann\"")
    );
    let saved = browser
        .post(
            &harness.app,
            desk,
            &[
                ("csrf", &csrf),
                ("input.site", "acme"),
                ("username", "ann"),
                ("password", "pw-secret-1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let vault = "/integrations/connect/vault_connection_key-pair";
    let missing = browser
        .post(
            &harness.app,
            vault,
            &[("csrf", &csrf), ("public_key", "key-1")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .body
            .contains("Vault key pair: enter the private key")
    );
    let saved = browser
        .post(
            &harness.app,
            vault,
            &[
                ("csrf", &csrf),
                ("public_key", "key-1"),
                ("private_key", "-----BEGIN PRIVATE KEY----- secret"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = harness
        .connections
        .store()
        .credentials_by_owner("alice")
        .await
        .unwrap();
    let kinds: Vec<&str> = stored.iter().map(|c| c.credential.kind()).collect();
    assert_eq!(kinds, ["basic-auth", "key-pair"]);
    assert_eq!(stored[0].inputs.get("site"), Some("acme"));
    let page = browser.get(&harness.app, "/integrations/connect").await;
    assert!(!page.body.contains("pw-secret-1") && !page.body.contains("BEGIN PRIVATE KEY"));
}

#[tokio::test]
async fn a_refused_exchange_is_logged_and_shown_without_a_secret() {
    let (captured, _guard) = common::traces::capture();
    let harness = harness_on(
        Fault::Answer(
            400,
            "application/json",
            "",
            r#"{"error":"invalid_grant","error_description":"code already used"}"#.to_owned(),
        ),
        |config| config,
    );
    let mut browser = Browser::new("alice");
    let provider = browser
        .start(&harness.app, "acme_connection_oauth2", &[])
        .await;
    let state = state_of(&provider);
    let failed = browser.get(&harness.app, &callback(&state)).await;
    assert_eq!(failed.status, StatusCode::BAD_GATEWAY);
    assert!(
        failed.body.contains("did not complete the connection"),
        "{}",
        failed.body
    );
    assert!(!failed.body.contains(&state));
    let logs = captured.text();
    assert!(
        logs.contains("a code exchange failed") && logs.contains("invalid_grant"),
        "{logs}"
    );
    let nonce = browser.jar["connkit_csrf"].clone();
    for secret in [
        CODE,
        state.as_str(),
        "client-secret",
        nonce.as_str(),
        "new-access",
    ] {
        assert!(!logs.contains(secret), "{secret} in the logs:\n{logs}");
    }
    assert!(harness.stored().await.is_empty());
}

#[tokio::test]
async fn a_stored_connection_that_does_not_open_is_shown_and_can_be_disconnected() {
    let harness = harness();
    let store = harness.connections.store();
    let tokens = || -> connkit::TokenSet {
        serde_json::from_str(r#"{"access_token":"stored-access","expires_at":4000000000}"#).unwrap()
    };
    let mut ids = Vec::new();
    for _ in 0..2 {
        let stored = store
            .insert(connkit::store::NewConnection::new(
                "alice",
                AcmeOAuth2::DEFINITION,
                tokens(),
            ))
            .await
            .unwrap();
        ids.push(stored.id);
    }
    let backend = store.backend();
    common::tamper::swap_ciphertext(backend, &ids[0], &ids[1]).await;

    let mut browser = Browser::new("alice");
    let page = browser.get(&harness.app, "/integrations/connect").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "data-connection=\"{}\"><span class=\"status active\">Active</span>",
            ids[0]
        )),
        "the other connection is shown as usual: {}",
        page.body
    );
    assert!(
        page.body.contains(&format!(
            "data-connection=\"{}\"><span class=\"status revoked\">Cannot be read; disconnect it and connect again</span>",
            ids[1]
        )),
        "{}",
        page.body
    );
    let path = format!("/integrations/connections/{}/disconnect", ids[1]);
    assert!(page.body.contains(&format!("action=\"{path}\"")));
    let csrf = field(&page.body, "csrf");
    let done = browser.post(&harness.app, &path, &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(backend.get(&ids[1]).await.unwrap(), None, "deleted");
    assert_eq!(
        harness
            .stored()
            .await
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        [ids[0].clone()],
        "the other one is left"
    );
    let page = browser.get(&harness.app, done.location()).await;
    assert!(!page.body.contains("Cannot be read"), "{}", page.body);
}

#[tokio::test]
async fn an_owners_machine_client_is_taken_in_a_form_and_its_first_token_obtained() {
    let harness = harness();
    let mut browser = Browser::new("alice");
    let page = browser.get(&harness.app, "/integrations/connect").await;
    assert!(
        page.body.contains("name=\"client_secret\" required"),
        "{}",
        page.body
    );
    let csrf = field(&page.body, "csrf");
    let path = "/integrations/connect/machine_connection_client-credentials";
    let missing = browser
        .post(
            &harness.app,
            path,
            &[("csrf", &csrf), ("client_id", "mine")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .body
            .contains("Machine client: enter the client secret"),
        "{}",
        missing.body
    );
    let secret = "the-owners-client-secret";
    let saved = browser
        .post(
            &harness.app,
            path,
            &[
                ("csrf", &csrf),
                ("client_id", "mine"),
                ("client_secret", secret),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = harness.stored().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].definition_id,
        "machine_connection_client-credentials"
    );
    let page = browser.get(&harness.app, saved.location()).await;
    assert!(
        page.body
            .contains(&format!("data-connection=\"{}\"", stored[0].id))
    );
    assert!(!page.body.contains(secret));
    // The token request went to the endpoint with the owner's client.
    assert!(harness.endpoint.connections() >= 1);
}
