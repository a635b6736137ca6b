// DPoP proofs are signed: `dpop = true` needs connkit's `jwt` feature (off in these cases).
#[connkit::oauth2_connection(
    id = "bluesky_connection_oauth2",
    name = "OAuth2",
    description = "Connect with Bluesky",
    authorize_url = "https://bsky.social/oauth/authorize",
    token_url = "https://bsky.social/oauth/token",
    par_url = "https://bsky.social/oauth/par",
    scopes = ["atproto"],
    dpop = true,
)]
pub struct Bluesky;

fn main() {}
