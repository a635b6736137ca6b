// Mistakes in a basic-auth definition: each one error, nothing else.
#[connkit::basic_auth_connection(
    id = "Jira_connection_basic-auth",
    name = "Basic",
    description = " ",
    inputs = { site = { lable = "Site" } },
)]
pub struct JiraBasicAuth;

fn main() {}
