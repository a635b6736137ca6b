//! Microsoft Excel 365.

#[path = "connections/microsoft-excel-365.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::MicrosoftExcel365OAuth2;

/// The Microsoft Excel 365 app.
pub const MICROSOFT_EXCEL_365: AppDefinition = app! {
    id: "microsoft-excel-365",
    name: "Microsoft Excel 365",
    description: "Read and write workbooks",
    logo_url: "https://example.com/logos/microsoft-excel-365.svg",
    connections: [MicrosoftExcel365OAuth2],
};
