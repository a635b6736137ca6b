//! Shopify: every shop has its own authorization server, `https://{shop}.myshopify.com`.

#[path = "connections/shopify.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::ShopifyOAuth2;

/// The Shopify app.
pub const SHOPIFY: AppDefinition = app! {
    id: "shopify",
    name: "Shopify",
    description: "Online stores",
    logo_url: "https://example.com/logos/shopify.svg",
    connections: [ShopifyOAuth2],
};
