//! The routes: the page, starting a connection, the callback, disconnecting.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderValue, StatusCode, header};

use super::cookies::{self, CSRF_COOKIE, Pending};
use super::page::{self, Notice, PageData};
use super::{ConnectConfig, OwnerOf};
use crate::credentials::ClientCredentialSource;
use crate::definition::{BasicCredentials, ConnectionDefinition, InputValues, KeyPair};
use crate::http::HttpClient;
use crate::oauth2::{AuthorizationErrorCode, CallbackError};
use crate::secret::{ApiKey, Password, PrivateKey};
use crate::store::{Backend, ConnectionError, Connections, Credential};

/// The largest form body read.
const MAX_FORM: usize = 64 * 1024;

/// What every handler shares.
pub(super) struct Shared<B, H, C> {
    pub(super) connections: Arc<Connections<B, H, C>>,
    pub(super) config: ConnectConfig,
    pub(super) owner: Box<dyn OwnerOf>,
}

type S<B, H, C> = State<Arc<Shared<B, H, C>>>;

pub(super) fn router<B, H, C>(shared: Arc<Shared<B, H, C>>) -> Router
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    Router::new()
        .route("/connect", get(show::<B, H, C>))
        .route("/connect/{definition}", post(start::<B, H, C>))
        .route("/callback", get(callback::<B, H, C>))
        .route("/connections/{id}/disconnect", post(disconnect::<B, H, C>))
        .with_state(shared)
}

/// An HTML answer, never cached, never leaking the URL in a referrer, never framed.
fn html(status: StatusCode, body: String, cookies: &[String]) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure_headers(headers);
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

fn secure_headers(headers: &mut http::HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // `same-origin`: no other site learns these URLs, and the browser still sends `Origin` on
    // the page's own forms (with `no-referrer` it sends `Origin: null`). The callback's answer,
    // whose URL holds the code, sends none at all (`callback`).
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
}

/// A `303 See Other` to `location`.
fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut response = html(StatusCode::SEE_OTHER, String::new(), cookies);
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

impl<B, H, C> Shared<B, H, C>
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    fn page_path(&self) -> String {
        self.config.path("connect")
    }

    fn message(
        &self,
        status: StatusCode,
        title: &str,
        what: &str,
        next: &str,
        cookies: &[String],
    ) -> Response {
        html(
            status,
            page::message_page(title, what, next, &self.page_path()),
            cookies,
        )
    }

    fn signed_out(&self) -> Response {
        self.message(
            StatusCode::UNAUTHORIZED,
            "Sign in first",
            "Connections belong to an account, and this request is not signed in.",
            "Sign in, then open the connections page again.",
            &[],
        )
    }

    fn store_failed(&self, error: &dyn std::fmt::Display) -> Response {
        tracing::warn!(error = %error, "the connect flow could not use the store");
        self.message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side",
            "The connections could not be read or saved just now.",
            "Try again in a moment.",
            &[],
        )
    }

    /// The connect page.
    async fn page(&self, view: View<'_>) -> Response {
        let owned = match self.connections.store().owned_by(view.owner).await {
            Ok(owned) => owned,
            Err(error) => return self.store_failed(&error),
        };
        for unreadable in &owned.unreadable {
            tracing::warn!(connection = %unreadable.id, error = %unreadable.error, "a stored connection does not open; the page offers to disconnect it");
        }
        let Some(csrf) = cookies::csrf_token(&self.config, view.owner, view.nonce) else {
            return self.store_failed(&"a CSRF token could not be sealed");
        };
        let base_path = self.config.base.path().to_owned();
        let body = page::connect_page(&PageData {
            title: &self.config.title,
            owner: view.owner,
            registry: self.connections.registry(),
            oauth2: &owned.connections,
            credentials: &owned.credentials,
            unreadable: &owned.unreadable,
            csrf: &csrf,
            base_path: &base_path,
            return_to: view.return_to,
            notice: view.notice,
            refilled: view.refilled,
        });
        html(view.status, body, view.set_nonce.as_slice())
    }

    /// This browser's nonce, if it has a valid one.
    fn nonce<'a>(&self, headers: &'a http::HeaderMap) -> Option<&'a str> {
        cookies::read(headers, CSRF_COOKIE).filter(|nonce| cookies::is_nonce(nonce))
    }

    /// Refuses a cross-site `POST`: a foreign `Origin`, or a CSRF token that is not this
    /// browser's for this owner.
    fn cross_site(
        &self,
        parts: &http::request::Parts,
        owner: &str,
        form: &Form,
    ) -> Option<Response> {
        let refused = |what: &str| {
            Some(self.message(
                StatusCode::FORBIDDEN,
                "This request was refused",
                what,
                "Open the connections page again and use its buttons.",
                &[],
            ))
        };
        if let Some(origin) = parts.headers.get(header::ORIGIN) {
            let expected = self.config.base.origin().ascii_serialization();
            if origin.to_str().ok() != Some(expected.as_str()) {
                return refused("It came from another site.");
            }
        }
        let valid = match (self.nonce(&parts.headers), form.get("csrf")) {
            (Some(nonce), Some(token)) => cookies::csrf_valid(&self.config, owner, nonce, token),
            _ => false,
        };
        if valid {
            None
        } else {
            refused("Its form token is missing, expired, or from another browser or account.")
        }
    }

    /// The `return_to` of a form: one of the allowed paths, or the page by default; `None` for
    /// any other.
    fn return_to(&self, form: &Form) -> Option<String> {
        match form.get("return_to") {
            None | Some("") => Some(self.page_path()),
            Some(path)
                if self
                    .config
                    .return_paths
                    .iter()
                    .any(|allowed| allowed == path) =>
            {
                Some(path.to_owned())
            }
            Some(_) => None,
        }
    }

    /// Reads a form `POST` for the signed-in owner, and refuses it when it is cross-site or
    /// asks to return to a path that is not allowed.
    async fn posted(&self, request: Request) -> Result<Posted, Box<Response>> {
        let (parts, body) = request.into_parts();
        let Some(owner) = self.owner.owner(&parts) else {
            return Err(Box::new(self.signed_out()));
        };
        let Some(form) = read_form(body).await else {
            return Err(Box::new(self.message(
                StatusCode::BAD_REQUEST,
                "This form could not be read",
                "It was too large, or repeated a field.",
                "Open the connections page again and use its buttons.",
                &[],
            )));
        };
        if let Some(refused) = self.cross_site(&parts, &owner, &form) {
            return Err(Box::new(refused));
        }
        let Some(return_to) = self.return_to(&form) else {
            return Err(Box::new(self.bad_return()));
        };
        Ok(Posted {
            parts,
            owner,
            form,
            return_to,
        })
    }

    fn bad_return(&self) -> Response {
        self.message(
            StatusCode::BAD_REQUEST,
            "That return address is not allowed",
            "The form asked to go back to a page this site does not allow.",
            "Open the connections page again and use its buttons.",
            &[],
        )
    }
}

/// A `POST` that passed the checks every form goes through.
struct Posted {
    parts: http::request::Parts,
    owner: String,
    form: Form,
    /// Where to go once done: an allowed path.
    return_to: String,
}

/// What a connect page shows, for whom.
struct View<'a> {
    owner: &'a str,
    /// This browser's nonce, and the cookie that sets it when it is new.
    nonce: &'a str,
    set_nonce: Option<String>,
    status: StatusCode,
    notice: Option<Notice>,
    refilled: Option<(&'a str, &'a InputValues)>,
    return_to: &'a str,
}

/// A form body: each name once.
struct Form(Vec<(String, String)>);

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The `input.<name>` fields that have a value.
    fn inputs(&self) -> InputValues {
        let mut values = InputValues::new();
        for (key, value) in &self.0 {
            if let Some(name) = key.strip_prefix("input.")
                && !value.is_empty()
            {
                values.insert(name, value.clone());
            }
        }
        values
    }
}

/// Reads a urlencoded form; `None` for one too large, not a form, or repeating a name.
async fn read_form(body: Body) -> Option<Form> {
    let bytes = axum::body::to_bytes(body, MAX_FORM).await.ok()?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(&bytes) {
        if fields.iter().any(|(seen, _)| *seen == key) {
            return None;
        }
        fields.push((key.into_owned(), value.into_owned()));
    }
    Some(Form(fields))
}

fn with_query(path: &str, name: &str, value: &str) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish();
    format!("{path}?{query}")
}

async fn show<B, H, C>(State(shared): S<B, H, C>, request: Request) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    let (parts, _) = request.into_parts();
    let Some(owner) = shared.owner.owner(&parts) else {
        return shared.signed_out();
    };
    let (nonce, set_nonce) = match shared.nonce(&parts.headers) {
        Some(nonce) => (nonce.to_owned(), None),
        None => {
            let Some(nonce) = cookies::new_nonce() else {
                return shared.store_failed(&"no randomness for a CSRF nonce");
            };
            // `Lax`, not `Strict`: the callback, a navigation from the provider's site, must
            // bring the nonce the pending authorization is bound to. Cross-site `POST`s do not
            // carry it either way.
            let cookie = cookies::set(&shared.config, CSRF_COOKIE, &nonce, "Lax", None);
            (nonce, Some(cookie))
        }
    };
    let registry = shared.connections.registry();
    let query = parts.uri.query().unwrap_or_default();
    let notice = url::form_urlencoded::parse(query.as_bytes()).find_map(|(key, value)| {
        let name = |id: &str| registry.connection(id).map(|definition| definition.name());
        match key.as_ref() {
            "connected" => name(&value).map(|name| Notice::Success(format!("Connected: {name}."))),
            "disconnected" => {
                name(&value).map(|name| Notice::Success(format!("Disconnected: {name}.")))
            }
            _ => None,
        }
    });
    let page_path = shared.page_path();
    shared
        .page(View {
            owner: &owner,
            nonce: &nonce,
            set_nonce,
            status: StatusCode::OK,
            notice,
            refilled: None,
            return_to: &page_path,
        })
        .await
}

async fn start<B, H, C>(
    State(shared): S<B, H, C>,
    Path(definition_id): Path<String>,
    request: Request,
) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    let Posted {
        parts,
        owner,
        form,
        return_to,
    } = match shared.posted(request).await {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    let registry = shared.connections.registry();
    let Some(definition) = registry.connection(&definition_id).copied() else {
        return shared.message(
            StatusCode::NOT_FOUND,
            "No such connection",
            "This site offers no connection by that name.",
            "Open the connections page again and pick one from the list.",
            &[],
        );
    };
    // The nonce was checked with the CSRF token.
    let nonce = shared.nonce(&parts.headers).unwrap_or_default().to_owned();
    let inputs = form.inputs();
    let refuse = |message: String| {
        let shared = Arc::clone(&shared);
        let owner = owner.clone();
        let nonce = nonce.clone();
        let return_to = return_to.clone();
        let mut refilled = inputs.clone();
        if let Some(username) = form.get("username") {
            refilled.insert("username", username);
        }
        async move {
            shared
                .page(View {
                    owner: &owner,
                    nonce: &nonce,
                    set_nonce: None,
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    notice: Some(Notice::Problem(message)),
                    refilled: Some((definition.id(), &refilled)),
                    return_to: &return_to,
                })
                .await
        }
    };
    if definition.holds_tokens() && definition.as_oauth2().is_none() {
        // A grant without the user's browser: the first token is obtained now, and a refusal
        // is shown with the provider's words.
        let obtained =
            match machine_connect(&shared.connections, definition, &owner, &form, &inputs).await {
                Ok(obtained) => obtained,
                Err(message) => return refuse(format!("{}: {message}", definition.name())).await,
            };
        return match obtained {
            Ok(_) => redirect(&with_query(&return_to, "connected", definition.id()), &[]),
            Err(ConnectionError::Input(error)) => {
                refuse(format!("{}: {error}", definition.name())).await
            }
            Err(
                error @ (ConnectionError::FirstToken { .. }
                | ConnectionError::Client(_)
                | ConnectionError::OwnerClientMissing { .. }),
            ) => refuse(format!("{}: {error}", definition.name())).await,
            Err(error) => shared.store_failed(&error),
        };
    }
    if definition.as_oauth2().is_none() {
        let credential = match credential_from(definition, &form) {
            Ok(credential) => credential,
            Err(message) => return refuse(format!("{}: {message}", definition.name())).await,
        };
        return match shared
            .connections
            .store_credential(definition.id(), &owner, credential, &inputs)
            .await
        {
            Ok(_) => redirect(&with_query(&return_to, "connected", definition.id()), &[]),
            Err(ConnectionError::Input(error)) => {
                refuse(format!("{}: {error}", definition.name())).await
            }
            Err(error) => shared.store_failed(&error),
        };
    }
    let started = match form.get("reconnect") {
        Some(stored_id) => {
            match shared.connections.store().backend().get(stored_id).await {
                Ok(Some(row)) if row.owner == owner && row.definition_id == definition.id() => {}
                Ok(_) => {
                    return shared.message(
                        StatusCode::NOT_FOUND,
                        "No such connection",
                        "You have no connection by that id.",
                        "Open the connections page again.",
                        &[],
                    );
                }
                Err(error) => return shared.store_failed(&error),
            }
            shared.connections.reconnect(stored_id).await
        }
        None => {
            shared
                .connections
                .connect_with_inputs(definition.id(), &owner, &inputs)
                .await
        }
    };
    let (url, pending) = match started {
        Ok(started) => started,
        Err(
            ConnectionError::Input(error)
            | ConnectionError::Client(crate::oauth2::ClientError::Input(error)),
        ) => {
            return refuse(format!("{}: {error}", definition.name())).await;
        }
        Err(ConnectionError::Client(error)) => {
            tracing::warn!(connection = definition.id(), error = %error, "a connection cannot start");
            return shared.message(
                StatusCode::SERVICE_UNAVAILABLE,
                "This connection is not available yet",
                "The site is not set up to connect to this provider.",
                "Tell the site's administrators; nothing was connected.",
                &[],
            );
        }
        Err(error) => return shared.store_failed(&error),
    };
    let pending = Pending {
        connection: pending,
        return_to,
        nonce,
        started_ms: u64::try_from(crate::clock::now_ms()).unwrap_or(0),
    };
    let Some((name, value)) = cookies::seal_pending(&shared.config, &owner, &pending) else {
        return shared.store_failed(&"the pending authorization could not be sealed");
    };
    let max_age = shared.config.ttl.as_secs().max(1);
    let cookie = cookies::set(&shared.config, &name, &value, "Lax", Some(max_age));
    redirect(url.as_str(), &[cookie])
}

/// Connects a client-credentials or JWT-bearer definition from its form: the owner's client,
/// or the owner's key. `Err` holds what the form lacks.
async fn machine_connect<B, H, C>(
    connections: &Connections<B, H, C>,
    definition: ConnectionDefinition,
    owner: &str,
    form: &Form,
    inputs: &InputValues,
) -> Result<Result<crate::store::StoredConnection, ConnectionError>, &'static str>
where
    B: Backend,
    H: HttpClient + Sync,
    C: ClientCredentialSource + Sync,
{
    let given = |name: &str| form.get(name).filter(|value| !value.is_empty());
    if let Some(machine) = definition.as_client_credentials() {
        let client = match machine.client() {
            crate::definition::ClientHolder::Owner => {
                let id = given("client_id").ok_or("enter the client ID")?;
                let secret = given("client_secret").ok_or("enter the client secret")?;
                Some(crate::credentials::ClientCredentials::new(
                    crate::credentials::ClientId::new(id),
                    Some(crate::secret::ClientSecret::new(secret)),
                ))
            }
            _ => None,
        };
        return Ok(connections
            .connect_client_credentials(definition.id(), owner, client, inputs)
            .await);
    }
    #[cfg(feature = "jwt")]
    if definition.as_jwt_bearer().is_some() {
        let private_key = given("private_key").ok_or("enter the private key")?;
        let key = KeyPair::new(
            given("key_id").unwrap_or_default(),
            PrivateKey::new(private_key),
        );
        return Ok(connections
            .connect_jwt_bearer(definition.id(), owner, key, inputs)
            .await);
    }
    Err("this kind of connection cannot be set up with a form")
}

/// The credential a form gives for a definition of another kind than OAuth2.
fn credential_from(
    definition: ConnectionDefinition,
    form: &Form,
) -> Result<Credential, &'static str> {
    let given = |name: &str| form.get(name).filter(|value| !value.is_empty());
    if definition.as_api_key().is_some() {
        let key = given("api_key").ok_or("enter the API key")?;
        return Ok(Credential::ApiKey {
            key: ApiKey::new(key),
        });
    }
    if definition.as_basic_auth().is_some() {
        let username = given("username").ok_or("enter the username")?;
        if username.contains(':') {
            return Err("a username cannot contain ':'");
        }
        let password = given("password").ok_or("enter the password")?;
        return Ok(Credential::BasicAuth(BasicCredentials {
            username: username.to_owned(),
            password: Password::new(password),
        }));
    }
    if definition.as_key_pair().is_some() {
        let public_key = given("public_key").ok_or("enter the public key or key id")?;
        let private_key = given("private_key").ok_or("enter the private key")?;
        return Ok(Credential::KeyPair(KeyPair {
            public_key: public_key.to_owned(),
            private_key: PrivateKey::new(private_key),
        }));
    }
    Err("this kind of connection cannot be set up with a form")
}

async fn callback<B, H, C>(State(shared): S<B, H, C>, request: Request) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    let (parts, _) = request.into_parts();
    let Some(owner) = shared.owner.owner(&parts) else {
        return shared.signed_out();
    };
    let query = parts.uri.query().unwrap_or_default();
    let states: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "state")
        .map(|(_, value)| value.into_owned())
        .collect();
    let no_pending = |cookies: &[String]| not_pending(&shared, cookies);
    let [state] = states.as_slice() else {
        return no_pending(&[]);
    };
    let name = cookies::pending_name(state);
    let Some(value) = cookies::read(&parts.headers, &name) else {
        return no_pending(&[]);
    };
    let clear = [cookies::clear(&shared.config, &name)];
    let Some(pending) = cookies::open_pending(&shared.config, &owner, &name, value) else {
        return no_pending(&clear);
    };
    let this_browser = shared
        .nonce(&parts.headers)
        .is_some_and(|nonce| cookies::csrf_nonce_eq(nonce, &pending.nonce));
    if !this_browser {
        return no_pending(&clear);
    }
    let expires = std::time::UNIX_EPOCH
        .checked_add(std::time::Duration::from_millis(pending.started_ms))
        .and_then(|started| started.checked_add(shared.config.ttl));
    if expires.is_none_or(|expires| crate::clock::now() >= expires) {
        return expired(&shared, &clear);
    }
    // Once per authorization, whatever copies of its cookies exist: `Connections::complete`
    // claims it in the store before the code goes out.
    let definition_id = pending.connection.pending.connection_id().to_owned();
    let url = format!("{}?{query}", shared.config.callback_url());
    let mut response = completed(&shared, pending, &url, &definition_id, &clear).await;
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Completes the authorization of `pending` with the callback `url`: where to go next, or the
/// page that says what went wrong.
async fn completed<B, H, C>(
    shared: &Shared<B, H, C>,
    pending: Pending,
    url: &str,
    definition_id: &str,
    clear: &[String],
) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    let name_of = shared
        .connections
        .registry()
        .connection(definition_id)
        .map_or("the provider", |definition| definition.name())
        .to_owned();
    match shared.connections.complete(pending.connection, url).await {
        Ok(_) => redirect(
            &with_query(&pending.return_to, "connected", definition_id),
            clear,
        ),
        Err(ConnectionError::Callback(CallbackError::Authorization {
            code: AuthorizationErrorCode::AccessDenied,
            ..
        })) => shared.message(
            StatusCode::FORBIDDEN,
            "Connection declined",
            &format!("You declined access for {name_of}, so nothing was connected."),
            "If that was a mistake, start again from the connections page and allow access.",
            clear,
        ),
        Err(ConnectionError::Callback(CallbackError::Expired)) => expired(shared, clear),
        Err(ConnectionError::AlreadyCompleted { .. }) => not_pending(shared, clear),
        Err(ConnectionError::Callback(error)) => {
            tracing::warn!(connection = %definition_id, error = %error, "a callback was refused");
            shared.message(
                StatusCode::BAD_GATEWAY,
                "The provider could not connect",
                &format!("{name_of} answered with an error instead of a connection."),
                "Start again from the connections page; if it keeps happening, tell the site's administrators.",
                clear,
            )
        }
        Err(ConnectionError::Exchange(error)) => {
            tracing::warn!(connection = %definition_id, error = %error, "a code exchange failed");
            shared.message(
                StatusCode::BAD_GATEWAY,
                "The provider could not connect",
                &format!("{name_of} did not complete the connection."),
                "Start again from the connections page; if it keeps happening, tell the site's administrators.",
                clear,
            )
        }
        Err(error) => {
            tracing::warn!(connection = %definition_id, error = %error, "a callback failed");
            let mut response = shared.store_failed(&error);
            for cookie in clear {
                if let Ok(value) = HeaderValue::from_str(cookie) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
    }
}

/// The page for a callback with no authorization of this browser's to complete.
fn not_pending<B, H, C>(shared: &Shared<B, H, C>, cookies: &[String]) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    shared.message(
        StatusCode::BAD_REQUEST,
        "This authorization cannot be completed",
        "No connection was being made from this browser for this answer: it was already completed, it expired, or it was started in another browser.",
        "Start again from the connections page.",
        cookies,
    )
}

fn expired<B, H, C>(shared: &Shared<B, H, C>, clear: &[String]) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    shared.message(
        StatusCode::BAD_REQUEST,
        "This authorization took too long",
        "It expired before the provider sent you back, so nothing was connected.",
        "Start again from the connections page.",
        clear,
    )
}

async fn disconnect<B, H, C>(
    State(shared): S<B, H, C>,
    Path(id): Path<String>,
    request: Request,
) -> Response
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    let Posted {
        owner, return_to, ..
    } = match shared.posted(request).await {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    let definition_id = match shared.connections.store().backend().get(&id).await {
        Ok(Some(row)) if row.owner == owner => row.definition_id,
        Ok(_) => {
            return shared.message(
                StatusCode::NOT_FOUND,
                "No such connection",
                "You have no connection by that id; it may have been disconnected already.",
                "Open the connections page again.",
                &[],
            );
        }
        Err(error) => return shared.store_failed(&error),
    };
    match shared.connections.delete(&id).await {
        Ok(_) => redirect(&with_query(&return_to, "disconnected", &definition_id), &[]),
        Err(error) => shared.store_failed(&error),
    }
}
