//! Every key added for inputs and token-request quirks, with non-default values, reaches the
//! definition, and the inputs fill the endpoints.
use connkit::{definition::InputValues, definition::TokenRequestFormat, oauth2_connection};

#[oauth2_connection(
    id = "gitlab_connection_oauth2-self-managed",
    name = "Self-managed GitLab",
    description = "Connect to your own GitLab server",
    inputs = {
        host = { label = "GitLab server", allow_port = true },
        group = { label = "Group", pattern = "[a-z0-9-]+", default = "main" },
        token = { label = "Deploy token", secret = true },
        note = { label = "Note", unused_ok = true },
    },
    hosts = ["*.gitlab.example", "gitlab.example.org"],
    authorize_url = "https://{host}/oauth/authorize?group={group}",
    token_url = "https://{host}/oauth/token",
    refresh_url = "https://{host}/oauth/refresh",
    revoke_url = "https://{host}/oauth/revoke",
    scopes = ["read_api"],
    auth_params = { namespace = "{group}" },
    token_params = { audience = "https://{group}.example" },
    token_headers = { "X-Deploy-Token" = "{token}" },
    refresh_params = { group = "{group}" },
    token_request_format = "json",
    refresh_scopes = true,
    redirect_uri_on_refresh = true,
    token_path = "data.tokens",
    token_metadata = ["instance_url", "team.id"],
    incremental_auth = true,
)]
pub struct GitlabSelfManaged;

#[oauth2_connection(
    id = "anything_connection_oauth2",
    name = "OAuth2",
    description = "Any host, explicitly",
    inputs = { host = { label = "Server" } },
    any_host = true,
    authorize_url = "https://{host}/authorize",
    token_url = "https://{host}/token",
    scopes = [],
)]
pub struct AnyHost;

fn main() {
    let d = GitlabSelfManaged::DEFINITION;
    let names: Vec<&str> = d.inputs().iter().map(|input| input.name()).collect();
    assert_eq!(names, ["host", "group", "token", "note"]);
    assert!(d.inputs()[1].default() == Some("main") && d.inputs()[2].secret());
    assert!(d.inputs()[0].allow_port());
    assert_eq!(d.hosts(), &["*.gitlab.example", "gitlab.example.org"]);
    assert!(!d.any_host() && AnyHost::DEFINITION.any_host());
    assert_eq!(d.refresh_url(), Some("https://{host}/oauth/refresh"));
    assert_eq!(d.revoke_url(), Some("https://{host}/oauth/revoke"));
    assert_eq!(d.token_request_format(), TokenRequestFormat::Json);
    assert!(d.refresh_scopes() && d.redirect_uri_on_refresh());
    assert_eq!(d.token_path(), Some("data.tokens"));
    assert_eq!(d.token_metadata(), &["instance_url", "team.id"]);
    assert!(d.incremental_auth() && !AnyHost::DEFINITION.incremental_auth());

    let values = InputValues::new()
        .with("host", "code.gitlab.example:8443")
        .with("token", "t0k3n")
        .with("note", "read by the app itself");
    let endpoints = d.endpoints(&values).unwrap();
    assert_eq!(endpoints.authorize_url().as_str(), "https://code.gitlab.example:8443/oauth/authorize?group=main");
    assert_eq!(endpoints.refresh_url().as_str(), "https://code.gitlab.example:8443/oauth/refresh");
    assert_eq!(endpoints.token_headers(), &[("X-Deploy-Token", "t0k3n".to_owned())]);
    assert_eq!(endpoints.token_params(), &[("audience", "https://main.example".to_owned())]);
    assert!(d.endpoints(&values.clone().with("host", "evil.example")).is_err());
    assert!(d.endpoints(&InputValues::new().with("token", "t").with("note", "n")).is_err(), "host has no default");
    assert_eq!(endpoints.values().get("group"), Some("main"), "defaults are kept with the values");
    let any = AnyHost::DEFINITION.endpoints(&InputValues::new().with("host", "auth.anywhere.example"));
    assert_eq!(any.unwrap().token_url().as_str(), "https://auth.anywhere.example/token");
}
