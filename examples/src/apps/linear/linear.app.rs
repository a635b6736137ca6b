//! Linear.

#[path = "connections/linear.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::LinearOAuth2;

/// The Linear app.
pub const LINEAR: AppDefinition = app! {
    id: "linear",
    name: "Linear",
    description: "Issue tracking",
    logo_url: "https://example.com/logos/linear.svg",
    connections: [LinearOAuth2],
};
