//! X.

#[path = "connections/x.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::XOAuth2;

/// The X app.
pub const X: AppDefinition = app! {
    id: "x",
    name: "X",
    description: "Post and read on X",
    logo_url: "https://example.com/logos/x.svg",
    connections: [XOAuth2],
};
