// A revocation endpoint keeps the URL rules: no fragment.
#[connkit::oauth2_connection(
    id = "tempo_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://app.tempo.io/oauth/authorize",
    token_url = "https://api.tempo.io/oauth/token",
    scopes = ["read"],
    revoke_url = "https://api.tempo.io/oauth/revoke#now",
)]
pub struct TempoOAuth2;

fn main() {}
