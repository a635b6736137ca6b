// A basic-auth connection without name and description.
#[connkit::basic_auth_connection(
    id = "jira_connection_basic-auth",
)]
pub struct JiraBasicAuth;

fn main() {}
