// redirect_uri_on_refresh is true or false; the redirect URI itself is the client's.
#[connkit::oauth2_connection(
    id = "tempo_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://app.tempo.io/oauth/authorize",
    token_url = "https://api.tempo.io/oauth/token",
    scopes = [],
    redirect_uri_on_refresh = "https://app.example/cb",
)]
pub struct TempoOAuth2;

fn main() {}
