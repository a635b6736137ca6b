// An owner's client is given with each connection, its key too: no variable is read for it.
#[connkit::client_credentials_connection(
    id = "acme_connection_client-credentials",
    name = "Service",
    description = "Acme",
    token_url = "https://auth.acme.example/token",
    client_auth = "private_key_jwt",
    client_key_env = "INTEGRATION_ACME_CLIENT_KEY",
)]
pub struct Acme;

fn main() {}
