// A key pair has no header: the app signs its requests.
#[connkit::key_pair_connection(
    id = "coinbase_connection_key-pair",
    name = "Key pair",
    description = "CDP key",
    header = "Authorization",
)]
pub struct CoinbaseKeyPair;

fn main() {}
