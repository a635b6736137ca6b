//! A token endpoint that rotates refresh tokens as strict providers do, for the store's crash
//! and load tests: every refresh token is used once (`rt.<family>.<generation>`); the current
//! one gets a new access token (lasting `lifetime`) and the next refresh token, an older one
//! gets `invalid_grant` and is counted as a reuse. `GET /resource` answers 200 to an access
//! token it issued that has not expired, 401 otherwise. Everything is counted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use connkit::TokenSet;
use connkit::store::{Backend, NewConnection, Store};

use crate::StoreClient;

/// What the endpoint saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Refreshes answered with new tokens, per family.
    pub refreshes: HashMap<String, u64>,
    /// Refresh tokens presented after they had been used: `invalid_grant`.
    pub reuses: u64,
    /// `/resource` calls with a valid access token.
    pub valid: u64,
    /// `/resource` calls with an expired, unknown or missing one.
    pub invalid: u64,
}

#[derive(Default)]
struct Inner {
    /// The current generation of each family's refresh token (0 when never refreshed).
    current: HashMap<String, u64>,
    counts: Counts,
}

#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<Inner>>,
    lifetime: Duration,
}

/// The running endpoint.
pub struct RotatingServer {
    url: String,
    shared: Shared,
    _task: tokio::task::JoinHandle<()>,
}

fn unix_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis())
}

impl RotatingServer {
    /// Starts it on a free loopback port; access tokens last `lifetime` (whole seconds).
    ///
    /// # Panics
    /// When no port can be bound (test setup).
    pub async fn start(lifetime: Duration) -> Self {
        let shared = Shared {
            inner: Arc::default(),
            lifetime,
        };
        let app = Router::new()
            .route("/token", post(token))
            .route("/resource", get(resource))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url,
            shared,
            _task: task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// What it saw so far.
    ///
    /// # Panics
    /// When a handler panicked (test failure).
    pub fn counts(&self) -> Counts {
        self.shared
            .inner
            .lock()
            .expect("not poisoned")
            .counts
            .clone()
    }

    /// The refresh token a family's connection must hold now.
    ///
    /// # Panics
    /// When a handler panicked (test failure).
    pub fn current_refresh_token(&self, family: &str) -> String {
        let inner = self.shared.inner.lock().expect("not poisoned");
        format!(
            "rt.{family}.{}",
            inner.current.get(family).copied().unwrap_or(0)
        )
    }
}

/// Stores a connection of the store client for `family`, starting with an expired access
/// token and the family's first refresh token; its id.
///
/// # Panics
/// When the store fails (test setup).
pub async fn store_family<B: Backend>(store: &Store<B>, family: &str) -> String {
    let tokens: TokenSet = serde_json::from_value(serde_json::json!({
        "access_token": format!("at.{family}.0.0"),
        "refresh_token": format!("rt.{family}.0"),
        "expires_at": 1,
    }))
    .expect("a token set");
    store
        .insert(NewConnection::new(
            "workspace",
            StoreClient::DEFINITION,
            tokens,
        ))
        .await
        .expect("stored")
        .id
}

fn oauth_error(code: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [("content-type", "application/json")],
        format!(r#"{{"error":"{code}"}}"#),
    )
        .into_response()
}

async fn token(State(shared): State<Shared>, body: String) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    if form.get("grant_type").map(String::as_str) != Some("refresh_token") {
        return oauth_error("unsupported_grant_type");
    }
    let Some((family, generation)) = form
        .get("refresh_token")
        .and_then(|token| token.strip_prefix("rt."))
        .and_then(|rest| rest.rsplit_once('.'))
        .and_then(|(family, generation)| {
            Some((family.to_owned(), generation.parse::<u64>().ok()?))
        })
    else {
        return oauth_error("invalid_grant");
    };
    let next = {
        let mut inner = shared.inner.lock().expect("not poisoned");
        let current = inner.current.get(&family).copied().unwrap_or(0);
        if generation != current {
            inner.counts.reuses += 1;
            return oauth_error("invalid_grant");
        }
        inner.current.insert(family.clone(), current + 1);
        *inner.counts.refreshes.entry(family.clone()).or_default() += 1;
        current + 1
    };
    let body = serde_json::json!({
        "access_token": format!("at.{family}.{next}.{}", unix_ms()),
        "token_type": "Bearer",
        "expires_in": shared.lifetime.as_secs(),
        "refresh_token": format!("rt.{family}.{next}"),
    });
    ([("content-type", "application/json")], body.to_string()).into_response()
}

async fn resource(State(shared): State<Shared>, headers: HeaderMap) -> StatusCode {
    let issued = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer at."))
        .and_then(|rest| rest.rsplit_once('.'))
        .and_then(|(_, issued)| issued.parse::<u128>().ok());
    let valid = issued.is_some_and(|issued| unix_ms() < issued + shared.lifetime.as_millis());
    let mut inner = shared.inner.lock().expect("not poisoned");
    if valid {
        inner.counts.valid += 1;
        StatusCode::OK
    } else {
        inner.counts.invalid += 1;
        StatusCode::UNAUTHORIZED
    }
}
