//! The API-key, basic-auth and key-pair kinds: every key reaches the definition, `app!` and
//! `registry!` take them beside OAuth2, and lookups by id find them.
use connkit::{definition::ConnectionDefinition, definition::KeyPlacement, app, registry};

#[connkit::api_key_connection(
    id = "zendesk_connection_api-key-v2",
    name = "API token",
    description = "Connect with a Zendesk API token",
    inputs = { subdomain = { label = "Subdomain", pattern = "[a-z0-9-]+" } },
    header = "Authorization",
    prefix = "Bearer ",
    crate = ::connkit,
)]
pub struct ZendeskApiKey;

#[connkit::api_key_connection(
    id = "zendesk_connection_api-key",
    name = "API token in the query",
    description = "Connect with a Zendesk API token",
    query = "api_token",
)]
pub struct ZendeskQueryKey;

#[connkit::basic_auth_connection(
    id = "zendesk_connection_basic-auth",
    name = "Email and password",
    description = "Connect with your Zendesk login",
    inputs = { subdomain = { label = "Subdomain" } },
)]
pub struct ZendeskBasic;

#[connkit::key_pair_connection(
    id = "zendesk_connection_key-pair",
    name = "Key pair",
    description = "Connect with a key pair",
)]
pub struct ZendeskKeyPair;

#[connkit::oauth2_connection(
    id = "zendesk_connection_oauth2",
    name = "OAuth2",
    description = "Connect with OAuth2",
    inputs = { subdomain = { label = "Subdomain", pattern = "[a-z0-9-]+" } },
    authorize_url = "https://{subdomain}.zendesk.com/oauth/authorizations/new",
    token_url = "https://{subdomain}.zendesk.com/oauth/tokens",
    scopes = ["read"],
)]
pub struct ZendeskOAuth2;

pub const ZENDESK: connkit::AppDefinition = app! {
    id: "zendesk",
    name: "Zendesk",
    description: "Customer service",
    logo_url: "https://example.com/zendesk.svg",
    connections: [ZendeskApiKey, ZendeskQueryKey, ZendeskBasic, ZendeskKeyPair, ZendeskOAuth2],
};

pub const APPS: connkit::Registry = registry![ZENDESK];

fn main() {
    assert_eq!(
        ZendeskApiKey::DEFINITION.placement(),
        KeyPlacement::Header { name: "Authorization", prefix: "Bearer " }
    );
    assert_eq!(ZendeskQueryKey::DEFINITION.placement(), KeyPlacement::Query { name: "api_token" });
    assert_eq!(ZendeskApiKey::DEFINITION.app_id(), "zendesk");
    assert_eq!(ZendeskBasic::DEFINITION.inputs()[0].label(), "Subdomain");
    let kinds: Vec<&str> = ZENDESK.connections().iter().map(ConnectionDefinition::kind).collect();
    assert_eq!(kinds, ["api-key", "api-key", "basic-auth", "key-pair", "oauth2"]);
    let found = APPS.connection("zendesk_connection_key-pair").unwrap();
    assert_eq!(found.as_key_pair(), Some(ZendeskKeyPair::DEFINITION));
    assert!(found.as_oauth2().is_none());
    assert_eq!(APPS.connection("zendesk_connection_basic-auth").unwrap().name(), "Email and password");
}
