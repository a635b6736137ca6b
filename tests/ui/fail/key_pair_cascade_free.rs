// Mistakes in a key-pair definition: each one error, nothing else.
#[connkit::key_pair_connection(
    id = "coinbase_connection_key-pair-",
    name = "Key pair",
    description = "CDP key",
    inputs = { Region = { label = "Region" } },
)]
pub struct CoinbaseKeyPair;

fn main() {}
