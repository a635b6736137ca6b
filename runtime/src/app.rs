//! Apps (built by `app!`) and their actions and triggers.

use core::fmt;

use crate::connection::ConnectionDefinition;

/// An action of an app. For now only its identity; the run part comes later.
///
/// The id must be `<app-id>_action_<name>` with `name` in lowercase kebab-case; `app!` checks
/// that at compile time.
///
/// ```
/// struct SendEmail;
/// impl connkit::Action for SendEmail {
///     const ID: &'static str = "gmail_action_send-email";
///     const NAME: &'static str = "Send Email";
///     const DESCRIPTION: &'static str = "Sends an email";
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action",
    label = "not an action",
    note = "implement `connkit::Action` for `{Self}`"
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
    note = "implement `connkit::Trigger` for `{Self}`"
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

/// The identity of an action or a trigger, as listed in an [`App`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// An integration app, as built by `app!`.
///
/// ```
/// use connkit::{app, oauth2_connection, App};
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
/// pub const CALENDLY: App = app! {
///     id: "calendly",
///     name: "Calendly",
///     description: "Scheduling",
///     logo_url: "https://example.com/calendly.svg",
///     connections: [CalendlyOAuth2],
/// };
///
/// assert_eq!(CALENDLY.connection("calendly_connection_oauth2").map(|c| c.name()), Some("OAuth2"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct App {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) logo_url: &'static str,
    pub(crate) is_published: bool,
    pub(crate) available_for_agent: bool,
    pub(crate) actions: &'static [ComponentDefinition],
    pub(crate) triggers: &'static [ComponentDefinition],
    pub(crate) connections: &'static [ConnectionDefinition],
    pub(crate) placeholder: bool,
}

impl App {
    /// The app id (lowercase kebab-case).
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

    /// The logo URL.
    pub const fn logo_url(&self) -> &'static str {
        self.logo_url
    }

    /// Whether the app is published (as declared; a missing variable does not change it, see
    /// [`missing_env`](Self::missing_env)).
    pub const fn is_published(&self) -> bool {
        self.is_published
    }

    /// Whether agents may use the app.
    pub const fn available_for_agent(&self) -> bool {
        self.available_for_agent
    }

    /// The actions, in declaration order.
    pub const fn actions(&self) -> &'static [ComponentDefinition] {
        self.actions
    }

    /// The triggers, in declaration order.
    pub const fn triggers(&self) -> &'static [ComponentDefinition] {
        self.triggers
    }

    /// The connections, in declaration order.
    pub const fn connections(&self) -> &'static [ConnectionDefinition] {
        self.connections
    }

    /// The connection with this id.
    pub fn connection(&self, id: &str) -> Option<&'static ConnectionDefinition> {
        self.connections
            .iter()
            .find(|connection| connection.id() == id)
    }

    /// Every environment variable of the app's connections that cannot be read right now
    /// (unset, empty or not UTF-8). Lecca silently unpublished such an app; this says which
    /// variable is missing.
    pub fn missing_env(&self) -> Vec<MissingEnv> {
        self.connections
            .iter()
            .flat_map(|connection| {
                connection
                    .env_vars()
                    .into_iter()
                    .filter_map(move |variable| {
                        crate::credentials::read_env(variable)
                            .err()
                            .map(|error| MissingEnv {
                                app_id: self.id,
                                connection_id: connection.id(),
                                error,
                            })
                    })
            })
            .collect()
    }
}

/// An environment variable a connection needs that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEnv {
    /// The app of the connection.
    pub app_id: &'static str,
    /// The connection that needs the variable.
    pub connection_id: &'static str,
    /// Why it cannot be read; names the variable.
    pub error: crate::EnvError,
}

impl MissingEnv {
    /// The variable's name.
    pub fn variable(&self) -> &'static str {
        self.error.variable()
    }
}

impl fmt::Display for MissingEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (needed by connection {})",
            self.error, self.connection_id
        )
    }
}
