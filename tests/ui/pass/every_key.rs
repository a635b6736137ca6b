//! Every key of #[oauth2_connection], with non-default values, reaches the definition.
use connkit::definition::{AuthorizationParams, ClientAuth};
use connkit::oauth2_connection;

#[oauth2_connection(
    id = "x_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://twitter.com/i/oauth2/authorize?prompt=login",
    token_url = "https://api.x.com/2/oauth2/token",
    scopes = ["tweet.read", "users.read", "offline.access"],
    client_id_env = "INTEGRATION_X_CLIENT_ID",
    client_secret_env = "INTEGRATION_X_CLIENT_SECRET",
    scope_delimiter = "+",
    client_auth = "header",
    pkce = false,
    auth_params = { response_type = "code", "non-ident-key" = "v", r#type = "t" },
    token_headers = { Accept = "application/json", "X-Api-Version" = "2" },
    refresh_params = { resource = "https://api.x.com" },
    redirect_to_localhost_in_development = true,
    issuer = "https://issuer.example",
    require_iss = true,
    device_authorization_url = "https://api.x.com/2/oauth2/device",
    par_url = "https://api.x.com/2/oauth2/par",
    crate = ::connkit,
)]
#[derive(Debug, Clone, Copy)]
pub struct XOAuth2;

fn main() {
    let d = XOAuth2::DEFINITION;
    assert_eq!(d.id(), "x_connection_oauth2");
    assert_eq!(d.app_id(), "x");
    assert_eq!(d.scope_delimiter(), "+");
    assert_eq!(d.scope_param().as_deref(), Some("tweet.read+users.read+offline.access"));
    assert_eq!(d.client_auth(), ClientAuth::Header);
    assert!(!d.pkce());
    assert_eq!(d.issuer(), Some("https://issuer.example"));
    assert!(d.require_iss());
    assert_eq!(d.device_authorization_url(), Some("https://api.x.com/2/oauth2/device"));
    assert_eq!(d.par_url(), Some("https://api.x.com/2/oauth2/par"));
    assert!(d.redirect_to_localhost_in_development());
    assert_eq!(d.auth_params(), &[("response_type", "code"), ("non-ident-key", "v"), ("type", "t")]);
    assert_eq!(d.token_headers(), &[("Accept", "application/json"), ("X-Api-Version", "2")]);
    assert_eq!(d.refresh_params(), &[("resource", "https://api.x.com")]);
    let params = AuthorizationParams::new("id", "http://127.0.0.1/cb", "s").with_code_challenge("challenge");
    let url = d.authorization_request_url(&params).unwrap();
    // The declared query comes first, response_type is sent once.
    assert_eq!(
        url.query(),
        Some("prompt=login&client_id=id&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&response_type=code&scope=tweet.read%2Busers.read%2Boffline.access&non-ident-key=v&type=t&state=s&code_challenge=challenge&code_challenge_method=S256")
    );
    let _ = format!("{XOAuth2:?}");
}
