//! One test per app of the catalogue: the authorize URL carries exactly the expected parameters
//! (compared as a set) and the exact scope string of the corpus
//! (`shared/corpus/lecca-oauth2-apps.md`).

mod common;

use common::{assert_authorize_url, assert_authorize_url_with};
use connkit::definition::InputValues;

#[test]
fn calendly() {
    assert_authorize_url(
        connkit_examples::calendly::CalendlyOAuth2::DEFINITION,
        "https://auth.calendly.com/oauth/authorize",
        None,
        &[],
    );
}

#[test]
fn dropbox() {
    assert_authorize_url(
        connkit_examples::dropbox::DropboxOAuth2::DEFINITION,
        "https://www.dropbox.com/oauth2/authorize",
        Some(
            "files.metadata.write files.metadata.read files.content.write files.content.read sharing.write sharing.read",
        ),
        &[("token_access_type", "offline")],
    );
}

#[test]
fn figma() {
    assert_authorize_url(
        connkit_examples::figma::FigmaOAuth2::DEFINITION,
        "https://www.figma.com/oauth",
        Some(
            "file_content:read file_comments:read file_dev_resources:read file_versions:read library_content:read library_assets:read projects:read team_library_content:read webhooks:read",
        ),
        &[],
    );
}

#[test]
fn github() {
    assert_authorize_url(
        connkit_examples::github::GithubOAuth2::DEFINITION,
        "https://github.com/login/oauth/authorize",
        Some("repo workflow"),
        &[],
    );
}

#[test]
fn gmail() {
    assert_authorize_url(
        connkit_examples::gmail::GmailOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/gmail.modify https://www.googleapis.com/auth/gmail.compose https://www.googleapis.com/auth/gmail.send",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_calendar() {
    assert_authorize_url(
        connkit_examples::google_calendar::GoogleCalendarOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_contacts() {
    assert_authorize_url(
        connkit_examples::google_contacts::GoogleContactsOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some("https://www.googleapis.com/auth/contacts"),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_docs() {
    assert_authorize_url(
        connkit_examples::google_docs::GoogleDocsOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/documents https://www.googleapis.com/auth/drive.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_drive() {
    assert_authorize_url(
        connkit_examples::google_drive::GoogleDriveOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/drive.file https://www.googleapis.com/auth/drive.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_forms() {
    assert_authorize_url(
        connkit_examples::google_forms::GoogleFormsOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/forms.responses.readonly https://www.googleapis.com/auth/drive.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_sheets() {
    assert_authorize_url(
        connkit_examples::google_sheets::GoogleSheetsOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn google_slides() {
    assert_authorize_url(
        connkit_examples::google_slides::GoogleSlidesOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/presentations https://www.googleapis.com/auth/drive.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn youtube() {
    assert_authorize_url(
        connkit_examples::youtube::YoutubeOAuth2::DEFINITION,
        "https://accounts.google.com/o/oauth2/v2/auth",
        Some(
            "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly",
        ),
        &[("access_type", "offline"), ("prompt", "consent")],
    );
}

#[test]
fn hubspot() {
    assert_authorize_url(
        connkit_examples::hubspot::HubspotOAuth2::DEFINITION,
        "https://app.hubspot.com/oauth/authorize",
        Some(
            "crm.lists.read crm.lists.write crm.objects.companies.read crm.objects.companies.write crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.objects.deals.write crm.objects.line_items.read crm.objects.line_items.write crm.objects.owners.read crm.schemas.companies.read crm.schemas.contacts.read crm.schemas.deals.read crm.schemas.line_items.read",
        ),
        &[("optional_scope", "tickets")],
    );
}

#[test]
fn linear() {
    assert_authorize_url(
        connkit_examples::linear::LinearOAuth2::DEFINITION,
        "https://linear.app/oauth/authorize",
        Some("read write issues:create comments:create"),
        &[],
    );
}

#[test]
fn linkedin() {
    assert_authorize_url(
        connkit_examples::linkedin::LinkedinOAuth2::DEFINITION,
        "https://www.linkedin.com/oauth/v2/authorization",
        Some(
            "r_basicprofile,w_member_social,w_organization_social,rw_organization_admin,openid,email,profile",
        ),
        &[],
    );
}

#[test]
fn microsoft_outlook() {
    assert_authorize_url(
        connkit_examples::microsoft_outlook::MicrosoftOutlookOAuth2::DEFINITION,
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        Some(
            "Mail.Send,Mail.ReadWrite,Calendars.ReadWrite,Contacts.ReadWrite,offline_access,User.Read",
        ),
        &[],
    );
}

#[test]
fn microsoft_excel_365() {
    assert_authorize_url(
        connkit_examples::microsoft_excel_365::MicrosoftExcel365OAuth2::DEFINITION,
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        Some("Files.ReadWrite,User.Read,offline_access"),
        &[],
    );
}

#[test]
fn notion() {
    assert_authorize_url(
        connkit_examples::notion::NotionOAuth2::DEFINITION,
        "https://api.notion.com/v1/oauth/authorize",
        None,
        &[("owner", "user")],
    );
}

#[test]
fn slack() {
    assert_authorize_url(
        connkit_examples::slack::SlackOAuth2::DEFINITION,
        "https://slack.com/oauth/v2/authorize",
        Some(
            "users:read.email,reactions:write,chat:write,groups:read,groups:write,mpim:read,mpim:write,im:write,users:read,files:write,files:read,channels:read,channels:manage,channels:history,reactions:read",
        ),
        &[("user_scope", "search:read,users.profile:write")],
    );
}

#[test]
fn x() {
    assert_authorize_url(
        connkit_examples::x::XOAuth2::DEFINITION,
        "https://twitter.com/i/oauth2/authorize",
        Some(
            "tweet.read tweet.write users.read follows.read follows.write offline.access like.write like.read",
        ),
        &[],
    );
}

#[test]
fn zoho_books() {
    assert_authorize_url(
        connkit_examples::zoho_books::ZohoBooksOAuth2::DEFINITION,
        "https://accounts.zoho.com/oauth/v2/auth",
        Some("ZohoBooks.fullaccess.ALL"),
        &[("prompt", "consent"), ("access_type", "offline")],
    );
}

#[test]
fn zoho_crm() {
    assert_authorize_url(
        connkit_examples::zoho_crm::ZohoCrmOAuth2::DEFINITION,
        "https://accounts.zoho.com/oauth/v2/auth",
        Some(
            "ZohoCRM.users.ALL ZohoCRM.org.ALL ZohoCRM.settings.ALL ZohoCRM.modules.ALL ZohoCRM.bulk.ALL ZohoCRM.bulk.backup.ALL ZohoFiles.files.ALL",
        ),
        &[("prompt", "consent"), ("access_type", "offline")],
    );
}

#[test]
fn shopify() {
    let shopify = connkit_examples::shopify::ShopifyOAuth2::DEFINITION;
    assert_authorize_url_with(
        shopify,
        &InputValues::new().with("shop", "acme-store"),
        "https://acme-store.myshopify.com/admin/oauth/authorize",
        Some("read_products,write_products,read_orders"),
        &[],
    );
    for refused in ["acme.evil.example", "acme/..", "-acme", ""] {
        assert!(
            shopify
                .endpoints(&InputValues::new().with("shop", refused))
                .is_err(),
            "{refused:?}"
        );
    }
}

#[test]
fn gitlab() {
    let gitlab = connkit_examples::gitlab::GitlabOAuth2::DEFINITION;
    assert_authorize_url_with(
        gitlab,
        &InputValues::new(),
        "https://gitlab.com/oauth/authorize",
        Some("read_api read_user"),
        &[],
    );
    assert_authorize_url_with(
        gitlab,
        &InputValues::new().with("host", "acme.gitlab-dedicated.com"),
        "https://acme.gitlab-dedicated.com/oauth/authorize",
        Some("read_api read_user"),
        &[],
    );
    for refused in [
        "gitlab.acme.example",
        "gitlab.com@evil.example",
        "127.0.0.1",
    ] {
        assert!(
            gitlab
                .endpoints(&InputValues::new().with("host", refused))
                .is_err(),
            "{refused:?}"
        );
    }
}

#[test]
fn microsoft_entra_id() {
    let entra = connkit_examples::microsoft_entra_id::MicrosoftEntraIdOAuth2::DEFINITION;
    assert_authorize_url_with(
        entra,
        &InputValues::new().with("tenant", "contoso.onmicrosoft.com"),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
        Some("openid offline_access User.Read Group.Read.All"),
        &[],
    );
    assert_authorize_url_with(
        entra,
        &InputValues::new(),
        "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
        Some("openid offline_access User.Read Group.Read.All"),
        &[],
    );
    assert!(entra.refresh_scopes());
}

#[test]
fn openai_jira_snowflake() {
    use connkit::{
        definition::BasicCredentials, definition::KeyPlacement, secret::ApiKey, secret::Password,
    };
    let openai = connkit_examples::openai::OpenaiApiKey::DEFINITION;
    assert_eq!(
        openai.placement(),
        KeyPlacement::Header {
            name: "Authorization",
            prefix: "Bearer "
        }
    );
    let mut request = http::Request::get("https://api.openai.com/v1/models")
        .body(())
        .unwrap();
    openai
        .authorize(&mut request, &ApiKey::new("sk-1"))
        .unwrap();
    assert_eq!(request.headers()["authorization"], "Bearer sk-1");

    let jira = connkit_examples::jira::JiraBasicAuth::DEFINITION;
    assert_eq!(jira.inputs()[0].name(), "site");
    let credentials = BasicCredentials::new("me@example.com", Password::new("token"));
    jira.authorize(&mut request, &credentials).unwrap();
    assert!(
        request.headers()["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Basic ")
    );

    let snowflake = connkit_examples::snowflake::SnowflakeKeyPair::DEFINITION;
    let names: Vec<&str> = snowflake
        .inputs()
        .iter()
        .map(|input| input.name())
        .collect();
    assert_eq!(names, ["account", "user"]);
}
