//! The key-pair connection of Snowflake.

use connkit::key_pair_connection;

/// The key-pair connection of Snowflake: the user registers the public key on their Snowflake
/// user and gives the private key here; the account and user name the JWT's issuer.
#[key_pair_connection(
    id = "snowflake_connection_key-pair",
    name = "Key pair",
    description = "Connect with a key pair registered on your Snowflake user",
    inputs = {
        account = { label = "Account identifier", pattern = "[A-Za-z0-9_.-]+" },
        user = { label = "User name" },
    },
)]
pub struct SnowflakeKeyPair;
