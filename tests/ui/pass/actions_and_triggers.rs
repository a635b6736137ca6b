//! Actions and triggers are listed by type; app! reads their ids, names and descriptions.
use connkit::{app, definition::Action, AppDefinition, definition::Trigger};

pub struct SendEmail;
impl Action for SendEmail {
    const ID: &'static str = "gmail_action_send-email";
    const NAME: &'static str = "Send Email";
    const DESCRIPTION: &'static str = "Sends an email";
}

pub struct NewEmail;
impl Trigger for NewEmail {
    const ID: &'static str = "gmail_trigger_new-email";
    const NAME: &'static str = "New Email";
    const DESCRIPTION: &'static str = "Fires on a new email";
}

pub const GMAIL: AppDefinition = app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
    is_published: false,
    available_for_agent: false,
    actions: [SendEmail],
    triggers: [NewEmail],
};

fn main() {
    assert_eq!(GMAIL.actions()[0].id(), "gmail_action_send-email");
    assert_eq!(GMAIL.triggers()[0].name(), "New Email");
    assert!(!GMAIL.is_published() && !GMAIL.available_for_agent());
    // app! is an expression: it also works outside const items.
    let local = app! { id: "local", name: "Local", description: "Local", logo_url: "http://localhost/l.svg" };
    assert!(local.connections().is_empty() && local.is_published());
}
