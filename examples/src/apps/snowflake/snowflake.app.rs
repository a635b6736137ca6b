//! Snowflake: key-pair authentication (the app signs a JWT with the private key).

#[path = "connections/snowflake.key-pair.rs"]
mod key_pair;

use connkit::{AppDefinition, app};

pub use key_pair::SnowflakeKeyPair;

/// The Snowflake app.
pub const SNOWFLAKE: AppDefinition = app! {
    id: "snowflake",
    name: "Snowflake",
    description: "Data warehouse",
    logo_url: "https://example.com/logos/snowflake.svg",
    connections: [SnowflakeKeyPair],
};
