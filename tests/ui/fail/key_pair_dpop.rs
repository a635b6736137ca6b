// DPoP binds tokens from a token endpoint to a key: a key-pair connection has none.
#[connkit::key_pair_connection(
    id = "snowflake_connection_key-pair",
    name = "Key pair",
    description = "Connect with a key pair",
    dpop = true,
)]
pub struct Snowflake;

fn main() {}
