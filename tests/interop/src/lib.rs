//! What the interop tests and the `store-worker` processes share: the store client's definition
//! and registry, and how to open connections over a backend.

pub mod rotating;

use connkit::credentials::{ClientCredentialMap, ClientCredentials};
use connkit::http::ReqwestClient;
use connkit::store::{Backend, Connections, Keyring, RefreshPolicy, SealingKey, Store};
use connkit::{
    AppDefinition, Registry, app, client_credentials_connection, credentials::ClientId,
    jwt_bearer_connection, oauth2_connection, registry, secret::ClientSecret,
};

/// Where oidc-provider listens (started by scripts/test.sh).
pub const OIDC_PROVIDER: &str = "http://127.0.0.1:18081";
/// The redirect URI every oidc-provider client has registered.
pub const REDIRECT_URI: &str = "http://127.0.0.1:9999/cb";
/// The client only the store's tests use, so that its refreshes can be counted.
pub const STORE_CLIENT: &str = "store-client";

/// The store client's connection to oidc-provider (refresh tokens rotate on every use).
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-store",
    name = "oidc-provider, store client",
    description = "client_secret_basic client for the store's tests",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct StoreClient;

/// The same connection after the app asked for one more scope (`api`): a stand-in for a
/// definition changed in a later release, so it keeps the id.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-store",
    name = "oidc-provider, store client",
    description = "client_secret_basic client for the store's tests, with the api scope",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct StoreClientWider;

/// The app of the store client.
pub const OIDC_PROVIDER_APP: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "A real authorization server on loopback",
    logo_url: "http://127.0.0.1:18081/logo.svg",
    connections: [StoreClient],
};

/// The registry the store's tests use.
pub const REGISTRY: Registry = registry![OIDC_PROVIDER_APP];

/// The app in its later release, asking for `api` too.
pub const OIDC_PROVIDER_APP_WIDER: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "A real authorization server on loopback",
    logo_url: "http://127.0.0.1:18081/logo.svg",
    connections: [StoreClientWider],
};

/// The registry of the later release.
pub const REGISTRY_WIDER: Registry = registry![OIDC_PROVIDER_APP_WIDER];

/// The command line's client: a native app (RFC 8252) whose loopback redirect URI oidc-provider
/// matches on any port.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-cli",
    name = "oidc-provider, command line",
    description = "A native client for the command line's tests",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    revoke_url = "http://127.0.0.1:18081/token/revocation",
    device_authorization_url = "http://127.0.0.1:18081/device/auth",
    scopes = ["openid", "offline_access"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct CliClient;

/// The command line's client after the app asked for one more scope (`api`).
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-cli",
    name = "oidc-provider, command line",
    description = "A native client for the command line's tests, with the api scope",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    revoke_url = "http://127.0.0.1:18081/token/revocation",
    device_authorization_url = "http://127.0.0.1:18081/device/auth",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct CliClientWider;

/// A machine client of oidc-provider (client credentials, RFC 6749 §4.4), whose owner gives the
/// client (`cc-client`, HTTP Basic).
#[client_credentials_connection(
    id = "oidc-provider_connection_client-credentials",
    name = "oidc-provider, machine client",
    description = "client_credentials with the owner's client",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    client_auth = "header",
)]
pub struct MachineClient;

/// A provider grant of the client-credentials shape, as Zoom's server-to-server apps use:
/// `grant_type=account_credentials` with the account from an input.
#[client_credentials_connection(
    id = "oidc-provider_connection_client-credentials-account",
    name = "oidc-provider, account credentials",
    description = "account_credentials with the owner's client and account",
    token_url = "http://127.0.0.1:18081/token",
    grant_type = "account_credentials",
    client_auth = "header",
    token_params = { account_id = "{account_id}" },
    inputs = { account_id = { label = "Account ID", pattern = "[A-Za-z0-9_-]+" } },
)]
pub struct AccountClient;

/// A machine client of the platform's own (`cc-post-client`, credentials in the form body),
/// from the credential source.
#[client_credentials_connection(
    id = "oidc-provider_connection_client-credentials-platform",
    name = "oidc-provider, the platform's machine client",
    description = "client_credentials with the platform's client",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    client = "platform",
    client_id_env = "INTEGRATION_OIDC_PROVIDER_PLATFORM_CLIENT_ID",
    client_secret_env = "INTEGRATION_OIDC_PROVIDER_PLATFORM_CLIENT_SECRET",
)]
pub struct PlatformMachineClient;

/// A machine client that signs its client assertions with its private key (`private_key_jwt`,
/// RFC 7523 §2.2): the owner gives the client id and the key.
#[client_credentials_connection(
    id = "oidc-provider_connection_client-credentials-signed",
    name = "oidc-provider, signed machine client",
    description = "client_credentials with private_key_jwt",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    client_auth = "private_key_jwt",
)]
pub struct SignedMachineClient;

/// A machine client that signs its client assertions with its secret (`client_secret_jwt`).
#[client_credentials_connection(
    id = "oidc-provider_connection_client-credentials-secret-jwt",
    name = "oidc-provider, HMAC-signed machine client",
    description = "client_credentials with client_secret_jwt",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    client_auth = "client_secret_jwt",
)]
pub struct SecretJwtMachineClient;

/// The authorization-code flow with `private_key_jwt` on its exchange and refreshes.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-signed",
    name = "oidc-provider, signed client",
    description = "authorization code with private_key_jwt",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access"],
    client_auth = "private_key_jwt",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct SignedCodeClient;

/// A Google-style service account (RFC 7523 §2.1): the assertion is issued by the account
/// (`client_email`), acts as `subject`, and carries the scopes; oidc-provider's test grant
/// verifies it with RFC 7515's RSA key.
#[jwt_bearer_connection(
    id = "oidc-provider_connection_jwt-bearer",
    name = "oidc-provider, service account",
    description = "jwt-bearer with the scopes in the assertion",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    scope_in_claim = true,
    claims = { iss = "{client_email}", sub = "{subject}", aud = "http://127.0.0.1:18081/token" },
    token_params = { client_id = "bearer-client" },
    inputs = {
        client_email = { label = "Service account" },
        subject = { label = "User to act as", pattern = "[a-z0-9.@-]+" },
    },
)]
pub struct ServiceAccountClient;

/// The same grant with the scopes in the form and the issuer as audience (Salesforce's shape).
#[jwt_bearer_connection(
    id = "oidc-provider_connection_jwt-bearer-form",
    name = "oidc-provider, JWT bearer",
    description = "jwt-bearer with the scopes in the form",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    claims = { iss = "robot@connkit-test.iam.example", sub = "{username}", aud = "http://127.0.0.1:18081" },
    token_params = { client_id = "bearer-client" },
    inputs = { username = { label = "Username" } },
)]
pub struct BearerFormClient;

/// A client whose authorization requests are pushed (RFC 9126): the provider requires it.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-par",
    name = "oidc-provider, pushed requests",
    description = "client_secret_basic client that must use PAR",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    par_url = "http://127.0.0.1:18081/request",
    scopes = ["openid", "offline_access"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct ParClient;

/// The same client without `par_url`: what the provider refuses.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-unpushed",
    name = "oidc-provider, requests not pushed",
    description = "par-client without PAR",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access"],
    client_auth = "header",
    issuer = "http://127.0.0.1:18081",
)]
pub struct UnpushedClient;

/// DPoP-bound tokens (RFC 9449) from the authorization-code flow.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-dpop",
    name = "oidc-provider, DPoP",
    description = "client_secret_basic client whose tokens are DPoP-bound",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access"],
    client_auth = "header",
    dpop = true,
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
pub struct DpopClient;

/// DPoP-bound tokens from the client-credentials grant.
#[client_credentials_connection(
    id = "oidc-provider_connection_client-credentials-dpop",
    name = "oidc-provider, DPoP machine client",
    description = "client_credentials whose tokens are DPoP-bound",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["api"],
    client_auth = "header",
    dpop = true,
)]
pub struct DpopMachineClient;

/// The app of the machine clients.
pub const OIDC_PROVIDER_MACHINE_APP: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "A real authorization server on loopback",
    logo_url: "http://127.0.0.1:18081/logo.svg",
    connections: [
        MachineClient,
        AccountClient,
        PlatformMachineClient,
        SignedMachineClient,
        SecretJwtMachineClient,
        SignedCodeClient,
        ServiceAccountClient,
        BearerFormClient,
        ParClient,
        UnpushedClient,
        DpopClient,
        DpopMachineClient,
    ],
};

/// The registry of the machine clients' tests.
pub const MACHINE_REGISTRY: Registry = registry![OIDC_PROVIDER_MACHINE_APP];

/// The app of the command line's client.
pub const OIDC_PROVIDER_CLI_APP: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "A real authorization server on loopback",
    logo_url: "http://127.0.0.1:18081/logo.svg",
    connections: [
        CliClient,
        MachineClient,
        AccountClient,
        PlatformMachineClient,
        ServiceAccountClient,
    ],
};

/// The registry of the `interop-cli` binary.
pub const CLI_REGISTRY: Registry = registry![OIDC_PROVIDER_CLI_APP];

/// The same app in a later release, asking for `api` too.
pub const OIDC_PROVIDER_CLI_APP_WIDER: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "A real authorization server on loopback",
    logo_url: "http://127.0.0.1:18081/logo.svg",
    connections: [
        CliClientWider,
        MachineClient,
        AccountClient,
        PlatformMachineClient,
        ServiceAccountClient,
    ],
};

/// The registry of the later release (`interop-cli` with `CONNKIT_INTEROP_WIDER` set).
pub const CLI_REGISTRY_WIDER: Registry = registry![OIDC_PROVIDER_CLI_APP_WIDER];

/// The connect flow's client of the interactive oidc-provider (its own login and consent pages;
/// scripts/test.sh starts it on port 18082). It is named `localhost` so that it is another site
/// than the app on `127.0.0.1`, as a real provider is: the callback is then a cross-site
/// navigation, and only the cookies meant to survive one come with it.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-web",
    name = "Sign in with oidc-provider",
    description = "A real authorization server, with its own login and consent pages",
    authorize_url = "http://localhost:18082/auth",
    token_url = "http://localhost:18082/token",
    revoke_url = "http://localhost:18082/token/revocation",
    scopes = ["openid", "offline_access"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://localhost:18082",
    require_iss = true,
)]
pub struct WebClient;

/// The connect flow's client after the app asked for one more scope (`api`).
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-web",
    name = "Sign in with oidc-provider",
    description = "A real authorization server, with its own login and consent pages",
    authorize_url = "http://localhost:18082/auth",
    token_url = "http://localhost:18082/token",
    revoke_url = "http://localhost:18082/token/revocation",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://localhost:18082",
    require_iss = true,
)]
pub struct WebClientWider;

/// The app of the connect flow's client.
pub const OIDC_PROVIDER_WEB_APP: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "An OpenID Certified authorization server, on this machine",
    logo_url: "http://localhost:18082/logo.svg",
    connections: [WebClient],
};

/// The registry of the `interop-web` server.
pub const WEB_REGISTRY: Registry = registry![OIDC_PROVIDER_WEB_APP];

/// The same app in a later release, asking for `api` too.
pub const OIDC_PROVIDER_WEB_APP_WIDER: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "An OpenID Certified authorization server, on this machine",
    logo_url: "http://localhost:18082/logo.svg",
    connections: [WebClientWider],
};

/// The later release's registry (`interop-web` with `CONNKIT_INTEROP_WIDER` set).
pub const WEB_REGISTRY_WIDER: Registry = registry![OIDC_PROVIDER_WEB_APP_WIDER];

/// The sealing keys of the store's tests (fixed, so that several processes share them).
pub fn keyring() -> Keyring {
    Keyring::new(SealingKey::from_bytes("test-key", &[42; 32]).expect("a valid key"))
}

/// The tests' key with a newer one, `rotated`, in front of it: what a key rotation seals with.
///
/// # Panics
/// Never (fixed, valid keys).
pub fn rotating_keyring() -> Keyring {
    Keyring::new(SealingKey::from_bytes("rotated", &[43; 32]).expect("a valid key"))
        .with_older(SealingKey::from_bytes("test-key", &[42; 32]).expect("a valid key"))
        .expect("two ids")
}

/// Connections over `backend`, with the store client's credentials.
///
/// # Panics
/// When no HTTP client can be built (test setup).
pub fn connections<B: Backend>(backend: B) -> Connections<B, ReqwestClient, ClientCredentialMap> {
    connections_of(REGISTRY, backend)
}

/// Connections of `registry`'s definitions over `backend`, with the store client's credentials.
///
/// # Panics
/// When no HTTP client can be built (test setup).
pub fn connections_of<B: Backend>(
    registry: Registry,
    backend: B,
) -> Connections<B, ReqwestClient, ClientCredentialMap> {
    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        StoreClient::DEFINITION.id(),
        ClientCredentials::new(
            ClientId::new(STORE_CLIENT),
            Some(ClientSecret::new("store-secret")),
        ),
    );
    Connections::new(
        Store::new(backend, keyring()),
        registry,
        credentials,
        ReqwestClient::new().expect("an HTTP client"),
        REDIRECT_URI,
    )
    .expect("connections")
    .with_policy(RefreshPolicy::default().with_margin(std::time::Duration::from_secs(60)))
}
