// `dpop` is a switch.
#[connkit::client_credentials_connection(
    id = "acme_connection_client-credentials",
    name = "Service",
    description = "Acme",
    token_url = "https://auth.acme.example/token",
    dpop = "yes",
)]
pub struct Acme;

fn main() {}
