// A key-pair connection id says `key-pair`.
#[connkit::key_pair_connection(
    id = "coinbase_connection_keypair",
    name = "Key pair",
    description = "CDP key",
)]
pub struct CoinbaseKeyPair;

fn main() {}
