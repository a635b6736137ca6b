// Two key-pair connections with one id in one app: the duplicate rule covers every kind.
#[connkit::key_pair_connection(id = "coinbase_connection_key-pair", name = "Key pair", description = "CDP key")]
pub struct CoinbaseKeyPair;

#[connkit::key_pair_connection(id = "coinbase_connection_key-pair", name = "Key pair", description = "The same id again")]
pub struct CoinbaseKeyPairAgain;

pub const COINBASE: connkit::AppDefinition = connkit::app! {
    id: "coinbase", name: "Coinbase", description: "Crypto", logo_url: "https://example.com/c.svg",
    connections: [CoinbaseKeyPair, CoinbaseKeyPairAgain],
};

fn main() {}
