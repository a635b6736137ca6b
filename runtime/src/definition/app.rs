//! Apps (built by `app!`) and their actions and triggers.

use super::connection::ConnectionDefinition;

/// An action of an app. For now only its identity; the run part comes later.
///
/// The id must be `<app-id>_action_<name>` with `name` in lowercase kebab-case; `app!` checks
/// that at compile time.
///
/// ```
/// struct SendEmail;
/// impl connkit::definition::Action for SendEmail {
///     const ID: &'static str = "gmail_action_send-email";
///     const NAME: &'static str = "Send Email";
///     const DESCRIPTION: &'static str = "Sends an email";
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action",
    label = "not an action",
    note = "implement `connkit::definition::Action` for `{Self}`"
)]
pub trait Action {
    /// `<app-id>_action_<name>`.
    const ID: &'static str;
    /// Display name.
    const NAME: &'static str;
    /// Description.
    const DESCRIPTION: &'static str;

    #[doc(hidden)]
    const __DEFINITION: ComponentDefinition = ComponentDefinition {
        id: Self::ID,
        name: Self::NAME,
        description: Self::DESCRIPTION,
    };
}

/// A trigger of an app. For now only its identity; the run part comes later.
///
/// The id must be `<app-id>_trigger_<name>` with `name` in lowercase kebab-case; `app!` checks
/// that at compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a trigger",
    label = "not a trigger",
    note = "implement `connkit::definition::Trigger` for `{Self}`"
)]
pub trait Trigger {
    /// `<app-id>_trigger_<name>`.
    const ID: &'static str;
    /// Display name.
    const NAME: &'static str;
    /// Description.
    const DESCRIPTION: &'static str;

    #[doc(hidden)]
    const __DEFINITION: ComponentDefinition = ComponentDefinition {
        id: Self::ID,
        name: Self::NAME,
        description: Self::DESCRIPTION,
    };
}

/// The identity of an action or a trigger, as listed in an [`AppDefinition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ComponentDefinition {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
}

impl ComponentDefinition {
    /// The id, `<app-id>_action_<name>` or `<app-id>_trigger_<name>`.
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        self.description
    }
}

/// The keys of `app!`, one field each, named as the keys. Generated code fills it through
/// `connkit::__private`; it is not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct AppFields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub logo_url: &'static str,
    pub is_published: bool,
    pub available_for_agent: bool,
    pub actions: &'static [ComponentDefinition],
    pub triggers: &'static [ComponentDefinition],
    pub connections: &'static [ConnectionDefinition],
}

/// An integration app, as built by `app!`.
///
/// ```
/// use connkit::{app, oauth2_connection, AppDefinition};
///
/// #[oauth2_connection(
///     id = "calendly_connection_oauth2",
///     name = "OAuth2",
///     description = "Connect using OAuth2",
///     authorize_url = "https://auth.calendly.com/oauth/authorize",
///     token_url = "https://auth.calendly.com/oauth/token",
///     scopes = [],
/// )]
/// pub struct CalendlyOAuth2;
///
/// pub const CALENDLY: AppDefinition = app! {
///     id: "calendly",
///     name: "Calendly",
///     description: "Scheduling",
///     logo_url: "https://example.com/calendly.svg",
///     connections: [CalendlyOAuth2],
/// };
///
/// assert_eq!(CALENDLY.connection("calendly_connection_oauth2").map(|c| c.name()), Some("OAuth2"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AppDefinition(AppFields);

impl core::fmt::Debug for AppDefinition {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.0, f)
    }
}

impl AppDefinition {
    /// Wraps checked fields; called by generated code through `connkit::__private`.
    pub(crate) const fn from_fields(fields: AppFields) -> Self {
        Self(fields)
    }

    /// The app id (lowercase kebab-case).
    pub const fn id(&self) -> &'static str {
        self.0.id
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        self.0.name
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        self.0.description
    }

    /// The logo URL.
    pub const fn logo_url(&self) -> &'static str {
        self.0.logo_url
    }

    /// Whether the app is published, as declared. A missing client credential does not change
    /// it (Lecca silently unpublished such apps); see
    /// [`missing_client_credentials`](crate::credentials::missing_client_credentials) for what is missing.
    pub const fn is_published(&self) -> bool {
        self.0.is_published
    }

    /// Whether agents may use the app.
    pub const fn available_for_agent(&self) -> bool {
        self.0.available_for_agent
    }

    /// The actions, in declaration order.
    pub const fn actions(&self) -> &'static [ComponentDefinition] {
        self.0.actions
    }

    /// The triggers, in declaration order.
    pub const fn triggers(&self) -> &'static [ComponentDefinition] {
        self.0.triggers
    }

    /// The connections, in declaration order.
    pub const fn connections(&self) -> &'static [ConnectionDefinition] {
        self.0.connections
    }

    /// The connection with this id.
    pub fn connection(&self, id: &str) -> Option<&'static ConnectionDefinition> {
        self.0
            .connections
            .iter()
            .find(|connection| connection.id() == id)
    }
}
