//! The basic-auth connection of Jira Cloud.

// The site is read by the app to build `https://{site}.atlassian.net/rest/api/3/...`.
use connkit::basic_auth_connection;

/// The basic-auth connection of Jira Cloud (email as the username, an API token as the
/// password).
#[basic_auth_connection(
    id = "jira_connection_basic-auth",
    name = "Email and API token",
    description = "Connect with your Atlassian email and an API token",
    inputs = { site = { label = "Site (the part before .atlassian.net)", pattern = "[a-z0-9][a-z0-9-]*" } },
)]
pub struct JiraBasicAuth;
