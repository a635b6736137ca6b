// A refresh endpoint keeps the URL rules: https.
#[connkit::oauth2_connection(
    id = "tempo_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://app.tempo.io/oauth/authorize",
    token_url = "https://api.tempo.io/oauth/token",
    scopes = ["read"],
    refresh_url = "http://api.tempo.io/oauth/token",
)]
pub struct TempoOAuth2;

fn main() {}
