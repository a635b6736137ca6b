// A basic-auth connection id says `basic-auth`.
#[connkit::basic_auth_connection(
    id = "jira_connection_basic",
    name = "Basic",
    description = "Email and token",
)]
pub struct JiraBasicAuth;

fn main() {}
