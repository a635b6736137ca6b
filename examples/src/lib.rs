//! The catalogue: the 23 OAuth2 apps of Lecca.io's toolkit (0.47.0), declared with connkit, and
//! apps Lecca could not declare: Shopify (a host label from the user), GitLab (a whole host from
//! the user, limited by `hosts`) and Microsoft Entra ID (a tenant in the path); and one app of
//! each other kind: OpenAI (API key), Jira (basic auth) and Snowflake (key pair).
//!
//! Each app lives in `apps/<app-id>/<app-id>.app.rs` with its connection in
//! `apps/<app-id>/connections/<app-id>.oauth2.rs`, as in Lecca's `apps/` folder. Where Lecca
//! broke its own conventions, the definition here uses the corrected spelling and
//! `tests/ui/fail` holds the original as a compile-fail case.

use connkit::{Registry, registry};

pub mod quickstart;

#[path = "apps/calendly/calendly.app.rs"]
pub mod calendly;
#[path = "apps/dropbox/dropbox.app.rs"]
pub mod dropbox;
#[path = "apps/figma/figma.app.rs"]
pub mod figma;
#[path = "apps/github/github.app.rs"]
pub mod github;
#[path = "apps/gitlab/gitlab.app.rs"]
pub mod gitlab;
#[path = "apps/gmail/gmail.app.rs"]
pub mod gmail;
#[path = "apps/google-calendar/google-calendar.app.rs"]
pub mod google_calendar;
#[path = "apps/google-contacts/google-contacts.app.rs"]
pub mod google_contacts;
#[path = "apps/google-docs/google-docs.app.rs"]
pub mod google_docs;
#[path = "apps/google-drive/google-drive.app.rs"]
pub mod google_drive;
#[path = "apps/google-forms/google-forms.app.rs"]
pub mod google_forms;
#[path = "apps/google-sheets/google-sheets.app.rs"]
pub mod google_sheets;
#[path = "apps/google-slides/google-slides.app.rs"]
pub mod google_slides;
#[path = "apps/hubspot/hubspot.app.rs"]
pub mod hubspot;
#[path = "apps/jira/jira.app.rs"]
pub mod jira;
#[path = "apps/linear/linear.app.rs"]
pub mod linear;
#[path = "apps/linkedin/linkedin.app.rs"]
pub mod linkedin;
#[path = "apps/microsoft-entra-id/microsoft-entra-id.app.rs"]
pub mod microsoft_entra_id;
#[path = "apps/microsoft-excel-365/microsoft-excel-365.app.rs"]
pub mod microsoft_excel_365;
#[path = "apps/microsoft-outlook/microsoft-outlook.app.rs"]
pub mod microsoft_outlook;
#[path = "apps/notion/notion.app.rs"]
pub mod notion;
#[path = "apps/openai/openai.app.rs"]
pub mod openai;
#[path = "apps/shopify/shopify.app.rs"]
pub mod shopify;
#[path = "apps/slack/slack.app.rs"]
pub mod slack;
#[path = "apps/snowflake/snowflake.app.rs"]
pub mod snowflake;
#[path = "apps/x/x.app.rs"]
pub mod x;
#[path = "apps/youtube/youtube.app.rs"]
pub mod youtube;
#[path = "apps/zoho-books/zoho-books.app.rs"]
pub mod zoho_books;
#[path = "apps/zoho-crm/zoho-crm.app.rs"]
pub mod zoho_crm;

/// Every app of the catalogue.
pub const CATALOGUE: Registry = registry![
    calendly::CALENDLY,
    dropbox::DROPBOX,
    figma::FIGMA,
    github::GITHUB,
    gmail::GMAIL,
    google_calendar::GOOGLE_CALENDAR,
    google_contacts::GOOGLE_CONTACTS,
    google_docs::GOOGLE_DOCS,
    google_drive::GOOGLE_DRIVE,
    google_forms::GOOGLE_FORMS,
    google_sheets::GOOGLE_SHEETS,
    google_slides::GOOGLE_SLIDES,
    youtube::YOUTUBE,
    hubspot::HUBSPOT,
    linear::LINEAR,
    linkedin::LINKEDIN,
    microsoft_outlook::MICROSOFT_OUTLOOK,
    microsoft_excel_365::MICROSOFT_EXCEL_365,
    notion::NOTION,
    slack::SLACK,
    x::X,
    zoho_books::ZOHO_BOOKS,
    zoho_crm::ZOHO_CRM,
    gitlab::GITLAB,
    microsoft_entra_id::MICROSOFT_ENTRA_ID,
    shopify::SHOPIFY,
    openai::OPENAI,
    jira::JIRA,
    snowflake::SNOWFLAKE,
];

/// The README's Rust blocks, compiled and run as doctests of this crate.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
