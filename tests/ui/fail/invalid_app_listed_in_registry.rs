// After an error in app!, a stand-in keeps registry! from adding follow-on errors, even with two
// broken apps.
pub const GMAIL: connkit::AppDefinition = connkit::app! {
    id: "Gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
};

pub const SLACK: connkit::AppDefinition = connkit::app! {
    id: "slack",
    name: "",
    description: "Team chat",
    logo_url: "https://example.com/slack.svg",
};

pub const APPS: connkit::Registry = connkit::registry![GMAIL, SLACK];

fn main() {}
