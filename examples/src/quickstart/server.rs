//! The quickstart's authorization server: oxide-auth 0.6 behind axum, in-process on loopback.
//! Third-party code plays the provider so that the flow is checked against an implementation
//! that is not connkit's own.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxide_auth::endpoint::{
    AccessTokenFlow, AuthorizationFlow, OwnerConsent, QueryParameter, RefreshFlow, ResourceFlow,
    Solicitation,
};
use oxide_auth::frontends::simple::endpoint::{FnSolicitor, Generic, Vacant};
use oxide_auth::frontends::simple::extensions::{AddonList, Extended, Pkce};
use oxide_auth::primitives::prelude::{
    AuthMap, Client, ClientMap, RandomGenerator, Scope, TokenMap,
};
use oxide_auth::primitives::registrar::{
    BoundClient, ClientUrl, PreGrant, RegisteredUrl, Registrar, RegistrarError,
};
use oxide_auth_axum::{OAuthRequest, OAuthResource, OAuthResponse, WebError};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The user the server's consent screen signs in and approves for.
pub const RESOURCE_OWNER: &str = "alice";

/// The scope the protected resource requires.
pub const SCOPE: &str = "profile";

/// The scopes the client is registered for (it may ask for any of them).
pub const REGISTERED_SCOPES: &str = "profile email";

/// oxide-auth's `ClientMap` grants a client all its registered scopes whatever it asks for; this
/// grants what it asks for when the registration allows it, as providers do, so that a
/// connection asking for fewer scopes is granted fewer.
struct AsRequested(ClientMap);

impl Registrar for AsRequested {
    fn bound_redirect<'a>(&self, bound: ClientUrl<'a>) -> Result<BoundClient<'a>, RegistrarError> {
        self.0.bound_redirect(bound)
    }

    fn negotiate(
        &self,
        bound: BoundClient,
        scope: Option<Scope>,
    ) -> Result<PreGrant, RegistrarError> {
        let mut grant = self.0.negotiate(bound, None)?;
        if let Some(requested) = scope {
            // Scopes order by inclusion: at most the registered ones are granted.
            if !requested.allow_access(&grant.scope) {
                return Err(RegistrarError::Unspecified);
            }
            grant.scope = requested;
        }
        Ok(grant)
    }

    fn check(&self, client_id: &str, passphrase: Option<&[u8]>) -> Result<(), RegistrarError> {
        self.0.check(client_id, passphrase)
    }
}

struct Provider {
    registrar: AsRequested,
    authorizer: AuthMap<RandomGenerator>,
    issuer: TokenMap<RandomGenerator>,
    /// PKCE, required, S256 only.
    addons: AddonList,
}

type Shared = Arc<Mutex<Provider>>;

/// A running server; stops when dropped.
pub struct AuthorizationServer {
    address: SocketAddr,
    _shutdown: oneshot::Sender<()>,
}

impl AuthorizationServer {
    /// Starts the server on `listener` with one confidential client.
    ///
    /// # Errors
    /// When the redirect URI is not a URL.
    pub async fn start(
        listener: TcpListener,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let scope: Scope = REGISTERED_SCOPES.parse().map_err(|_| "invalid scope")?;
        let mut registrar = ClientMap::new();
        registrar.register_client(Client::confidential(
            client_id,
            RegisteredUrl::Exact(redirect_uri.parse()?),
            scope,
            client_secret.as_bytes(),
        ));
        let mut addons = AddonList::new();
        addons.push_code(Pkce::required());
        let provider = Provider {
            registrar: AsRequested(registrar),
            authorizer: AuthMap::new(RandomGenerator::new(16)),
            issuer: TokenMap::new(RandomGenerator::new(16)),
            addons,
        };
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", axum::routing::post(token))
            .route("/api/me", get(me))
            .with_state(Arc::new(Mutex::new(provider)));
        let address = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            address,
            _shutdown: shutdown,
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

/// The consent screen: the resource owner signs in and approves at once.
fn consent(_: &mut OAuthRequest, _: Solicitation) -> OwnerConsent<OAuthResponse> {
    OwnerConsent::Authorized(RESOURCE_OWNER.to_owned())
}

macro_rules! endpoint {
    ($provider:expr, $solicitor:expr, $scopes:expr) => {
        Generic {
            registrar: &$provider.registrar,
            authorizer: &mut $provider.authorizer,
            issuer: &mut $provider.issuer,
            solicitor: $solicitor,
            scopes: $scopes,
            response: Vacant,
        }
    };
}

async fn authorize(
    State(shared): State<Shared>,
    request: OAuthRequest,
) -> Result<OAuthResponse, WebError> {
    let mut provider = shared.lock().unwrap_or_else(PoisonError::into_inner);
    let provider = &mut *provider;
    let endpoint = Extended::extend_with(
        endpoint!(provider, FnSolicitor(consent), Vacant),
        &mut provider.addons,
    );
    Ok(AuthorizationFlow::prepare(endpoint)?.execute(request)?)
}

async fn token(
    State(shared): State<Shared>,
    request: OAuthRequest,
) -> Result<OAuthResponse, WebError> {
    let grant_type = request
        .body()
        .and_then(|body| body.unique_value("grant_type"))
        .map(|value| value.into_owned());
    let mut provider = shared.lock().unwrap_or_else(PoisonError::into_inner);
    let provider = &mut *provider;
    if grant_type.as_deref() == Some("refresh_token") {
        let endpoint = endpoint!(provider, Vacant, Vacant);
        return Ok(RefreshFlow::prepare(endpoint)?.execute(request)?);
    }
    let endpoint = Extended::extend_with(endpoint!(provider, Vacant, Vacant), &mut provider.addons);
    Ok(AccessTokenFlow::prepare(endpoint)?.execute(request)?)
}

/// The protected resource: who the token belongs to.
async fn me(State(shared): State<Shared>, resource: OAuthResource) -> Response {
    let mut provider = shared.lock().unwrap_or_else(PoisonError::into_inner);
    let provider = &mut *provider;
    let Ok(required) = SCOPE.parse::<Scope>() else {
        return WebError::InternalError(None).into_response();
    };
    let scopes = [required];
    let endpoint = endpoint!(provider, Vacant, &scopes[..]);
    let flow = match ResourceFlow::prepare(endpoint) {
        Ok(flow) => flow,
        Err(error) => return WebError::from(error).into_response(),
    };
    let mut flow = flow;
    match flow.execute(OAuthRequest::from(resource)) {
        Ok(grant) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "user": grant.owner_id, "scope": grant.scope.to_string() })
                .to_string(),
        )
            .into_response(),
        Err(Ok(response)) => response.into_response(),
        Err(Err(error)) => WebError::from(error).into_response(),
    }
}
