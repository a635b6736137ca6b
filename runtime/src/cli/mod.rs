//! A command line over a registry (feature `cli`): authorize a connection from the terminal and
//! look after the stored ones.
//!
//! The definitions live in your crate, so the command line does too: a binary of your crate
//! hands its registry to [`run`].
//!
//! ```no_run
//! # use connkit::{app, registry, AppDefinition, Registry};
//! # pub const MY_APP: AppDefinition = app! {
//! #     id: "my-app", name: "My app", description: "d", logo_url: "https://example.com/l.svg",
//! # };
//! pub const REGISTRY: Registry = registry![MY_APP];
//!
//! fn main() -> std::process::ExitCode {
//!     connkit::cli::run(&REGISTRY)
//! }
//! ```
//!
//! Then `cargo run --bin <yours> -- authorize github_connection_oauth2` starts a listener on
//! `127.0.0.1` (RFC 8252), prints the authorize URL and opens it in a browser, receives the
//! callback, exchanges the code and stores the connection, sealed, in an SQLite file. A
//! client-credentials connection needs no browser: `authorize <id> --client-id <id>` (the secret
//! on standard input, or in `CONNKIT_CLIENT_SECRET`) obtains its first token and stores it, and
//! one of the platform's client reads its variables.
//! `connections list | show | refresh | delete | missing-scopes` look after what is stored.
//!
//! - **The store** is `connkit.sqlite` in the working directory, or `--store PATH`
//!   (`CONNKIT_STORE`).
//! - **The sealing key** is `CONNKIT_SEALING_KEY` (`<key-id>:<32 bytes in base64url>`), or else
//!   the key file beside the store (`<store>.key`, or `--key-file`), which is created (`O_EXCL`,
//!   mode 0600) when neither the store nor the key exists yet; the store file, with its `-wal`
//!   and `-shm`, is created 0600 too.
//! - **A key file is checked as ssh checks a private key** (StrictModes): on Unix it is opened
//!   without following a symbolic link (`O_NOFOLLOW`) and refused, with the `chmod` or `chown`
//!   that fixes it, when it is a symbolic link (dangling or not), not a regular file, not owned
//!   by the user running the command, or readable or writable by the group or others. Whoever
//!   could plant a key file would otherwise choose the key the store is sealed with. On Windows
//!   a symbolic link is refused but the access control list is not checked: keep the store and
//!   its key in a folder only you can read.
//! - **Client credentials** of the platform's come from the environment
//!   (`INTEGRATION_<APP>_CLIENT_ID` / `_SECRET`); an owner's client secret is read from
//!   standard input or `CONNKIT_CLIENT_SECRET`, never from the command line.
//! - **Exit codes:** 0 on success, 1 when the command failed (the message says why: denied,
//!   timed out, the provider refused, nothing stored under that id, a stored row that does not
//!   open, which `list` names beside the others), 2 for a command line that could not be read.
//!
//! No token, code, verifier, client secret or key is ever printed: `show` and `--print` say
//! whether a token is there and when it expires, never what it is.

mod browser;
mod loopback;
mod output;
mod sealing;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::credentials::{Env, missing_client_credentials};
use crate::definition::{ConnectionDefinition, InputValues, Registry};
use crate::http::ReqwestClient;
use crate::oauth2::{AuthorizationRequest, OAuth2Client};
use crate::store::{Connections, RefreshPolicy, SqliteBackend, Store, StoredConnection};

use output::Printer;

/// The command line of an app crate's binary; see the [module docs](self).
#[derive(Parser)]
#[command(
    about = "Authorize a connection from the terminal, and look after the stored ones",
    after_help = "Examples:
  <bin> authorize github_connection_oauth2
  <bin> authorize shopify_connection_oauth2 --input shop=acme --port 8765
  <bin> connections list --json
  <bin> connections refresh conn_GSF5rQEUz3j9v_htItmOhg
  <bin> credentials

The store is connkit.sqlite here (--store, $CONNKIT_STORE); its sealing key is
$CONNKIT_SEALING_KEY or the key file beside the store. Client credentials come from
INTEGRATION_<APP>_CLIENT_ID and _SECRET.

Exit codes: 0 success, 1 the command failed (the message says why), 2 bad command line."
)]
struct Cli {
    /// The SQLite file connections are stored in.
    #[arg(
        long,
        global = true,
        env = "CONNKIT_STORE",
        default_value = "connkit.sqlite"
    )]
    store: PathBuf,
    /// The file holding the store's sealing key (default: the store's path with `.key` added),
    /// used when $CONNKIT_SEALING_KEY is not set.
    #[arg(long, global = true, env = "CONNKIT_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Whose connections these are (a tenant, a workspace, a user).
    #[arg(long, global = true, env = "CONNKIT_OWNER", default_value = "cli")]
    owner: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Authorize a connection in the browser, through a listener on 127.0.0.1, and store it.
    ///
    /// Prints the authorize URL and opens it with $BROWSER or the system's opener (unless
    /// --no-browser). The provider must accept a loopback redirect URI on any port (RFC 8252
    /// §7.3), or the one --port gives: http://127.0.0.1:<port>/callback.
    #[command(after_help = "Examples:
  <bin> authorize github_connection_oauth2
  <bin> authorize github_connection_oauth2 --port 8765 --no-browser
  <bin> authorize github_connection_oauth2 --print      # show the token set, redacted; store nothing
  <bin> authorize --reconnect conn_GSF5rQEUz3j9v_htItmOhg   # re-consent a stored connection
  <bin> authorize zoom_connection_client-credentials --client-id ID --input account_id=AbC < secret.txt
  <bin> authorize google-drive_connection_jwt-bearer --service-account key.json --input subject=alice@acme.example
  <bin> authorize github_connection_oauth2 --device    # approve on another device: no browser here

A client-credentials connection needs no browser: its first token is obtained and the
connection stored, with the owner's client (--client-id, and the secret from
$CONNKIT_CLIENT_SECRET or standard input) or the platform's (INTEGRATION_<APP>_CLIENT_ID and
_SECRET), as its definition says. A JWT-bearer connection needs none either: it is stored with
the key of --service-account, a Google service account's key file (yours, mode 0600).")]
    Authorize(Authorize),
    /// List, show, refresh or delete stored connections, or list those missing scopes.
    #[command(
        subcommand,
        after_help = "Examples:
  <bin> connections list
  <bin> connections list --json
  <bin> connections show conn_GSF5rQEUz3j9v_htItmOhg
  <bin> connections refresh conn_GSF5rQEUz3j9v_htItmOhg
  <bin> connections missing-scopes --json
  <bin> connections delete conn_GSF5rQEUz3j9v_htItmOhg"
    )]
    Connections(ConnectionsCommand),
    /// List the client credentials that the registry's connections using the platform's
    /// client (OAuth2, and client credentials with `client = "platform"`) cannot find.
    #[command(after_help = "Exits 1 when any is missing.")]
    Credentials,
}

#[derive(Args)]
struct Authorize {
    /// The connection definition's id (`<app-id>_connection_oauth2`).
    #[arg(required_unless_present = "reconnect", conflicts_with = "reconnect")]
    connection: Option<String>,
    /// Re-consent this stored connection instead (asks for the scopes it lacks and updates it
    /// in place).
    #[arg(long, value_name = "STORED-ID", conflicts_with = "print")]
    reconnect: Option<String>,
    /// The listener's port on 127.0.0.1 (default: one the system picks).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How long to wait for the browser to come back, in seconds.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Only print the URL; do not open a browser.
    #[arg(long)]
    no_browser: bool,
    /// Print the token set (redacted) instead of storing the connection.
    #[arg(long)]
    print: bool,
    /// A value for one of the connection's inputs.
    #[arg(long = "input", value_name = "NAME=VALUE", value_parser = name_value)]
    inputs: Vec<(String, String)>,
    /// For a client-credentials connection of the owner's client: its client id. The secret is
    /// read from $CONNKIT_CLIENT_SECRET, or else from the first line of standard input (never
    /// from the command line).
    #[arg(long, value_name = "ID", conflicts_with = "reconnect")]
    client_id: Option<String>,
    /// Authorize on another device (RFC 8628): print a code and where to enter it, with a QR
    /// code of the link when the output is a terminal, and wait for the approval. No browser and
    /// no listener on this machine.
    #[arg(long, conflicts_with_all = ["reconnect", "port", "no_browser", "client_id"])]
    device: bool,
    /// For a JWT-bearer connection: a Google service account's JSON key file, checked as a key
    /// file is (yours, not a symbolic link, readable by you alone). Its `client_email` fills
    /// the input of that name.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["reconnect", "client_id"])]
    service_account: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ConnectionsCommand {
    /// The stored connections (all owners).
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One stored connection: status, expiry, scopes, health (never a token).
    Show {
        /// The stored connection's id.
        id: String,
        /// A JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Refresh a stored connection's tokens now.
    Refresh {
        /// The stored connection's id.
        id: String,
    },
    /// Delete a stored connection (its tokens are revoked first where the definition has a
    /// revocation endpoint).
    Delete {
        /// The stored connection's id.
        id: String,
    },
    /// The stored connections that lack scopes their definition asks for today, and which.
    MissingScopes {
        /// One JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, not {text:?}")),
    }
}

/// Why a command failed. Never holds a secret.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Message(String),
    #[error(transparent)]
    Connection(#[from] crate::store::ConnectionError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Client(#[from] crate::oauth2::ClientError),
    #[error(transparent)]
    Callback(#[from] crate::oauth2::CallbackError),
    #[error(transparent)]
    Token(#[from] crate::oauth2::TokenError),
    #[error(transparent)]
    Randomness(#[from] crate::oauth2::RandomnessError),
}

impl Failure {
    fn message(text: impl Into<String>) -> Self {
        Self::Message(text.into())
    }
}

/// Runs the command line in `std::env::args_os()` over `registry`, and returns the exit code
/// (0 success, 1 failure, 2 a command line that could not be read).
pub fn run(registry: &Registry) -> ExitCode {
    run_from(registry, std::env::args_os())
}

/// [`run`] with the arguments given (the first is the program's name).
pub fn run_from<I, T>(registry: &Registry, arguments: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let arguments: Vec<OsString> = arguments.into_iter().map(Into::into).collect();
    let cli = match parse(&arguments) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let printer = Printer::new();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            printer.error(&format!("could not start the async runtime: {error}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(*registry, cli, &printer)) {
        Ok(code) => code,
        Err(error) => {
            printer.error(&error.to_string());
            ExitCode::FAILURE
        }
    }
}

/// Reads the command line, with the help's examples naming the binary as it was run.
fn parse(arguments: &[OsString]) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let name = arguments
        .first()
        .map(Path::new)
        .and_then(Path::file_stem)
        .map_or_else(
            || "connkit-app".to_owned(),
            |stem| stem.to_string_lossy().into_owned(),
        );
    let named = |help: Option<&clap::builder::StyledStr>| {
        help.map(|help| help.to_string().replace("<bin>", &name))
            .unwrap_or_default()
    };
    let mut command = Cli::command().bin_name(name.clone());
    let root_help = named(command.get_after_help());
    command = command
        .after_help(root_help)
        .mut_subcommand("authorize", |authorize| {
            let help = named(authorize.get_after_help());
            authorize.after_help(help)
        })
        .mut_subcommand("connections", |connections| {
            let help = named(connections.get_after_help());
            connections.after_help(help)
        });
    let matches = command.try_get_matches_from(arguments)?;
    Cli::from_arg_matches(&matches)
}

async fn execute(registry: Registry, cli: Cli, printer: &Printer) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Credentials => Ok(credentials(registry, printer)),
        Command::Authorize(authorize) => {
            run_authorize(
                registry,
                &cli.store,
                cli.key_file.as_deref(),
                &cli.owner,
                authorize,
                printer,
            )
            .await
        }
        Command::Connections(command) => {
            let connections = open(registry, &cli.store, cli.key_file.as_deref(), false, None)?;
            let connections = match command {
                // A margin longer than any token's life makes the stored token count as
                // expiring, so `access_token` refreshes it (under the same lease and retries as
                // any caller).
                ConnectionsCommand::Refresh { .. } => connections.with_policy(
                    RefreshPolicy::default()
                        .with_margin(Duration::from_secs(u64::from(u32::MAX)))
                        .with_cache(false),
                ),
                _ => connections,
            };
            run_connections(&connections, registry, command, printer).await
        }
    }
}

type CliConnections = Connections<SqliteBackend, ReqwestClient, Env>;

/// The stored connections in `store_path`; `create` allows a new store (and key file).
fn open(
    registry: Registry,
    store_path: &Path,
    key_file: Option<&Path>,
    create: bool,
    redirect_uri: Option<String>,
) -> Result<CliConnections, Failure> {
    if !create && !store_path.exists() {
        return Err(Failure::message(format!(
            "there is no store at {} (authorize a connection first, or pass --store)",
            store_path.display()
        )));
    }
    let keyring = sealing::keyring(store_path, key_file)?;
    let backend = SqliteBackend::open(store_path).map_err(|error| {
        Failure::message(format!(
            "cannot open the store {}: {error}",
            store_path.display()
        ))
    })?;
    Ok(Connections::new(
        Store::new(backend, keyring),
        registry,
        Env,
        http_client()?,
        // Refreshing and revoking send no redirect URI unless a definition asks (then it is
        // this one, which a loopback client registers, RFC 8252 §7.3).
        redirect_uri.unwrap_or_else(|| "http://127.0.0.1/callback".to_owned()),
    )?)
}

fn http_client() -> Result<ReqwestClient, Failure> {
    ReqwestClient::new()
        .map_err(|error| Failure::message(format!("cannot make an HTTP client: {error}")))
}

fn credentials(registry: Registry, printer: &Printer) -> ExitCode {
    let missing = missing_client_credentials(&Env, registry.apps());
    if missing.is_empty() {
        printer.line("every connection that uses the platform's client has its client credentials");
        return ExitCode::SUCCESS;
    }
    for problem in &missing {
        printer.line(&format!("{}: {}", problem.connection_id, problem.error));
    }
    printer.error(&format!(
        "{} client credential(s) missing; set the variables above",
        missing.len()
    ));
    ExitCode::FAILURE
}

async fn run_authorize(
    registry: Registry,
    store_path: &Path,
    key_file: Option<&Path>,
    owner: &str,
    options: Authorize,
    printer: &Printer,
) -> Result<ExitCode, Failure> {
    let mut inputs = InputValues::new();
    for (name, value) in &options.inputs {
        inputs.insert(name.clone(), value.clone());
    }
    if let Some(definition_id) = &options.connection
        && let Some(ConnectionDefinition::ClientCredentials(definition)) =
            registry.connection(definition_id).copied()
    {
        return authorize_machine(
            registry, store_path, key_file, owner, definition, &options, &inputs, printer,
        )
        .await;
    }
    #[cfg(feature = "jwt")]
    if let Some(definition_id) = &options.connection
        && let Some(ConnectionDefinition::JwtBearer(definition)) =
            registry.connection(definition_id).copied()
    {
        return authorize_bearer(
            registry, store_path, key_file, owner, definition, &options, inputs, printer,
        )
        .await;
    }
    if options.service_account.is_some() {
        return Err(Failure::message(
            "--service-account is for a JWT-bearer connection",
        ));
    }
    if options.device {
        return authorize_device(
            registry, store_path, key_file, owner, &options, &inputs, printer,
        )
        .await;
    }
    if options.client_id.is_some() {
        return Err(Failure::message(
            "--client-id is for a client-credentials connection of the owner's client",
        ));
    }
    let listener = loopback::Listener::bind(options.port).await?;
    let redirect_uri = listener.redirect_uri();
    let timeout = Duration::from_secs(options.timeout);

    if options.print {
        let definition_id = options.connection.as_deref().unwrap_or_default();
        let definition = oauth2_definition(registry, definition_id)?;
        let client =
            OAuth2Client::from_source_with_inputs(definition, &Env, redirect_uri, &inputs)?;
        let AuthorizationRequest { url, pending } = client.authorize()?;
        let (callback, reply) =
            wait(listener, &url, pending.state(), &options, timeout, printer).await?;
        let result = async {
            let completed = client.complete(pending, &callback)?;
            Ok::<_, Failure>(client.exchange_code(&http_client()?, &completed).await?)
        }
        .await;
        reply
            .send(result.as_ref().err().map(ToString::to_string))
            .await;
        let tokens = result?;
        printer.tokens(definition_id, &tokens);
        return Ok(ExitCode::SUCCESS);
    }

    let (url, pending, connections) = match (&options.reconnect, &options.connection) {
        (Some(id), _) => {
            let connections = open(registry, store_path, key_file, false, Some(redirect_uri))?;
            let (url, pending) = connections.reconnect(id).await?;
            (url, pending, connections)
        }
        (None, Some(definition_id)) => {
            // The definition, its inputs and its client credentials are checked before a new
            // store (and key file) is made.
            let definition = oauth2_definition(registry, definition_id)?;
            OAuth2Client::from_source_with_inputs(definition, &Env, redirect_uri.clone(), &inputs)?;
            let connections = open(registry, store_path, key_file, true, Some(redirect_uri))?;
            let (url, pending) = connections
                .connect_with_inputs(definition_id, owner, &inputs)
                .await?;
            (url, pending, connections)
        }
        (None, None) => return Err(Failure::message("name a connection, or --reconnect an id")),
    };
    let (callback, reply) = wait(
        listener,
        &url,
        pending.pending.state(),
        &options,
        timeout,
        printer,
    )
    .await?;
    let result = connections.complete(pending, &callback).await;
    reply
        .send(result.as_ref().err().map(ToString::to_string))
        .await;
    let stored = result?;
    printer.line(&format!(
        "stored connection {} ({}, owner {}) in {}",
        stored.id,
        stored.definition_id,
        stored.owner,
        store_path.display()
    ));
    let missing = missing_of(registry, &stored);
    if !missing.is_empty() {
        printer.warning(&format!(
            "the provider did not grant {}; `connections missing-scopes` lists it",
            missing.join(" ")
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `authorize` of a client-credentials definition: no browser, no listener. The first token is
/// obtained, then the connection is stored (or, with `--print`, the token set is printed).
#[allow(clippy::too_many_arguments)] // The command's context, as `run_authorize` has it.
async fn authorize_machine(
    registry: Registry,
    store_path: &Path,
    key_file: Option<&Path>,
    owner: &str,
    definition: &'static crate::definition::ClientCredentialsDefinition,
    options: &Authorize,
    inputs: &InputValues,
    printer: &Printer,
) -> Result<ExitCode, Failure> {
    use crate::credentials::{ClientCredentials, ClientId};
    use crate::definition::ClientHolder;
    use crate::oauth2::ClientCredentialsClient;
    let client = match (definition.client(), &options.client_id) {
        (ClientHolder::Owner, Some(id)) => Some(ClientCredentials::new(
            ClientId::new(id.clone()),
            Some(client_secret()?),
        )),
        (ClientHolder::Owner, None) => {
            return Err(Failure::message(format!(
                "{} takes its owner's client: give --client-id, and the secret on standard input or in $CONNKIT_CLIENT_SECRET",
                definition.id()
            )));
        }
        (_, Some(_)) => {
            return Err(Failure::message(format!(
                "{} uses the platform's client, from {} and {}: leave out --client-id",
                definition.id(),
                definition.client_id_env(),
                definition.client_secret_env()
            )));
        }
        (_, None) => None,
    };
    if options.print {
        let machine = match client {
            Some(client) => ClientCredentialsClient::new(definition, client, inputs)?,
            None => ClientCredentialsClient::from_source(definition, &Env, inputs)?,
        };
        let tokens = machine.obtain(&http_client()?).await?;
        printer.tokens(definition.id(), &tokens);
        return Ok(ExitCode::SUCCESS);
    }
    let connections = open(registry, store_path, key_file, true, None)?;
    let stored = connections
        .connect_client_credentials(definition.id(), owner, client, inputs)
        .await?;
    printer.line(&format!(
        "stored connection {} ({}, owner {}) in {}; its token expires {}",
        stored.id,
        stored.definition_id,
        stored.owner,
        store_path.display(),
        output::when(stored.tokens.expires_at())
    ));
    Ok(ExitCode::SUCCESS)
}

/// The longest service account key file read: Google's are about 2.4 KB.
#[cfg(feature = "jwt")]
const MAX_SERVICE_ACCOUNT_FILE: u64 = 16 * 1024;

/// `authorize` of a JWT-bearer definition: the service account's key file is read (checked as
/// a key file is), the first token obtained, and the connection stored with the key sealed.
#[cfg(feature = "jwt")]
#[allow(clippy::too_many_arguments)] // The command's context, as `run_authorize` has it.
async fn authorize_bearer(
    registry: Registry,
    store_path: &Path,
    key_file: Option<&Path>,
    owner: &str,
    definition: &'static crate::definition::JwtBearerDefinition,
    options: &Authorize,
    mut inputs: InputValues,
    printer: &Printer,
) -> Result<ExitCode, Failure> {
    use crate::jwt::ServiceAccountKey;
    let Some(path) = &options.service_account else {
        return Err(Failure::message(format!(
            "{} signs with its owner's key: give --service-account <key file>",
            definition.id()
        )));
    };
    let text = sealing::read_owner_only(path, MAX_SERVICE_ACCOUNT_FILE)
        .map_err(|error| Failure::message(error.to_string()))?
        .ok_or_else(|| Failure::message(format!("there is no file {}", path.display())))?;
    let account = ServiceAccountKey::from_google_json(text.as_bytes())
        .map_err(|error| Failure::message(format!("{}: {error}", path.display())))?;
    // The file's values fill the inputs named after them, unless given on the command line.
    let from_file = account.inputs();
    for name in from_file.names() {
        let declared = definition.inputs().iter().any(|input| input.name() == name);
        if declared
            && inputs.get(name).is_none()
            && let Some(value) = from_file.get(name)
        {
            inputs.insert(name, value);
        }
    }
    if options.print {
        let client = crate::oauth2::JwtBearerClient::new(definition, &account.key_pair(), &inputs)?;
        let tokens = client.obtain(&http_client()?).await?;
        printer.tokens(definition.id(), &tokens);
        return Ok(ExitCode::SUCCESS);
    }
    let connections = open(registry, store_path, key_file, true, None)?;
    let stored = connections
        .connect_jwt_bearer(definition.id(), owner, account.key_pair(), &inputs)
        .await?;
    printer.line(&format!(
        "stored connection {} ({}, owner {}, as {}) in {}; its token expires {}",
        stored.id,
        stored.definition_id,
        stored.owner,
        account.client_email(),
        store_path.display(),
        output::when(stored.tokens.expires_at())
    ));
    Ok(ExitCode::SUCCESS)
}

/// `authorize --device`: a device authorization (RFC 8628), approved by the user on another
/// device while this command polls, then stored.
async fn authorize_device(
    registry: Registry,
    store_path: &Path,
    key_file: Option<&Path>,
    owner: &str,
    options: &Authorize,
    inputs: &InputValues,
    printer: &Printer,
) -> Result<ExitCode, Failure> {
    let Some(definition_id) = &options.connection else {
        return Err(Failure::message(
            "name a connection to authorize with --device",
        ));
    };
    let definition = oauth2_definition(registry, definition_id)?;
    if definition.device_authorization_url().is_none() {
        return Err(Failure::message(format!(
            "{definition_id} declares no device_authorization_url: its provider's device authorization endpoint"
        )));
    }
    // The definition, its inputs and its client credentials are checked before a new store
    // (and key file) is made.
    OAuth2Client::from_source_with_inputs(definition, &Env, "http://127.0.0.1/callback", inputs)?;
    let connections = open(registry, store_path, key_file, true, None)?;
    let pending = connections
        .start_device(definition_id, owner, inputs)
        .await?;
    let device = &pending.authorization;
    let left = device
        .expires_at
        .saturating_sub(crate::clock::unix_seconds(crate::clock::now()));
    printer.note(&format!(
        "To connect, open {} on any device and enter the code\n\n    {}\n\n(it expires in {} min; waiting for the approval)",
        device.verification_uri,
        device.user_code,
        left.div_ceil(60)
    ));
    if let Some(complete) = &device.verification_uri_complete {
        printer.device_link(complete);
    }
    let timeout = Duration::from_secs(options.timeout.min(left.max(1)));
    let stored = match tokio::time::timeout(timeout, connections.complete_device(pending)).await {
        Ok(stored) => stored?,
        Err(_) => {
            return Err(Failure::message(format!(
                "timed out after {} s waiting for the approval; run the command again",
                timeout.as_secs()
            )));
        }
    };
    printer.line(&format!(
        "stored connection {} ({}, owner {}) in {}",
        stored.id,
        stored.definition_id,
        stored.owner,
        store_path.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The owner's client secret: `$CONNKIT_CLIENT_SECRET`, or the first line of standard input
/// when it is not a terminal (a secret typed there would be shown).
fn client_secret() -> Result<crate::secret::ClientSecret, Failure> {
    use std::io::{BufRead as _, IsTerminal as _};
    if let Some(secret) = std::env::var_os("CONNKIT_CLIENT_SECRET") {
        let secret = secret
            .into_string()
            .map_err(|_| Failure::message("$CONNKIT_CLIENT_SECRET is not valid UTF-8"))?;
        if !secret.trim().is_empty() {
            return Ok(crate::secret::ClientSecret::new(secret));
        }
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Failure::message(
            "give the client secret on standard input (`< file`, or a pipe) or in $CONNKIT_CLIENT_SECRET; it is not read from a terminal, which would show it",
        ));
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|error| Failure::message(format!("cannot read standard input: {error}")))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    if secret.trim().is_empty() {
        return Err(Failure::message(
            "standard input held no client secret (its first line is empty)",
        ));
    }
    Ok(crate::secret::ClientSecret::new(secret))
}

/// Shows `url`, opens it unless told not to, and waits for the callback.
async fn wait(
    listener: loopback::Listener,
    url: &url::Url,
    state: &crate::secret::State,
    options: &Authorize,
    timeout: Duration,
    printer: &Printer,
) -> Result<(String, loopback::Reply), Failure> {
    printer.note(&format!(
        "Open this URL to authorize (waiting {} s for the browser to come back to {}):\n\n  {url}\n",
        timeout.as_secs(),
        listener.redirect_uri()
    ));
    if !options.no_browser
        && let Err(reason) = browser::open(url.as_str())
    {
        printer.note(&format!("(no browser opened: {reason})"));
    }
    match tokio::time::timeout(timeout, listener.callback(state)).await {
        Ok(callback) => Ok(callback?),
        Err(_) => Err(Failure::message(format!(
            "timed out after {} s waiting for the browser to come back; run the command again",
            timeout.as_secs()
        ))),
    }
}

fn oauth2_definition(
    registry: Registry,
    definition_id: &str,
) -> Result<&'static crate::definition::OAuth2Definition, Failure> {
    let Some(definition) = registry.connection(definition_id) else {
        let ids: Vec<&str> = registry
            .apps()
            .iter()
            .flat_map(|app| app.connections().iter().map(ConnectionDefinition::id))
            .collect();
        let hint = connkit_rules::suggest::did_you_mean(definition_id, &ids)
            .map(|suggestion| format!("; {suggestion}"))
            .unwrap_or_default();
        return Err(Failure::message(format!(
            "the registry has no connection {definition_id:?}{hint}"
        )));
    };
    definition.as_oauth2().ok_or_else(|| {
        Failure::message(format!(
            "{definition_id} is not an OAuth2 connection (its kind is {}): the user gives its secret, there is nothing to authorize in a browser",
            definition.kind()
        ))
    })
}

fn missing_of(registry: Registry, connection: &StoredConnection) -> Vec<&'static str> {
    registry
        .connection(&connection.definition_id)
        .and_then(ConnectionDefinition::as_oauth2)
        .map(|definition| connection.missing_scopes(definition))
        .unwrap_or_default()
}

async fn run_connections(
    connections: &CliConnections,
    registry: Registry,
    command: ConnectionsCommand,
    printer: &Printer,
) -> Result<ExitCode, Failure> {
    let store = connections.store();
    match command {
        ConnectionsCommand::List { json } => {
            let (all, code) = readable(store, printer).await?;
            printer.connections(&all, registry, json);
            return Ok(code);
        }
        ConnectionsCommand::Show { id, json } => {
            let connection = require(store, &id).await?;
            printer.connection(&connection, registry, json);
        }
        ConnectionsCommand::Refresh { id } => {
            let before = require(store, &id).await?;
            let obtained_again =
                registry
                    .connection(&before.definition_id)
                    .is_some_and(|definition| {
                        definition.holds_tokens() && definition.as_oauth2().is_none()
                    });
            if before.tokens.refresh_token().is_none() && !obtained_again {
                return Err(Failure::message(format!(
                    "connection {id} has no refresh token; authorize it again (authorize --reconnect {id})"
                )));
            }
            if before.tokens.expires_at().is_none() && !obtained_again {
                printer.line(&format!(
                    "connection {id}'s access token does not expire; nothing to refresh"
                ));
                return Ok(ExitCode::SUCCESS);
            }
            connections.access_token(&id).await?;
            let refreshed = require(store, &id).await?;
            printer.line(&format!(
                "refreshed connection {id}; the access token now expires {}",
                output::when(refreshed.tokens.expires_at())
            ));
        }
        ConnectionsCommand::Delete { id } => {
            if !connections.delete(&id).await? {
                return Err(Failure::message(format!(
                    "no stored connection has the id {id}"
                )));
            }
            printer.line(&format!("deleted connection {id}"));
        }
        ConnectionsCommand::MissingScopes { json } => {
            let (all, code) = readable(store, printer).await?;
            let lacking: Vec<(StoredConnection, Vec<&'static str>)> = all
                .into_iter()
                .filter_map(|connection| {
                    let missing = missing_of(registry, &connection);
                    (!missing.is_empty()).then_some((connection, missing))
                })
                .collect();
            printer.missing_scopes(&lacking, json);
            return Ok(code);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every stored OAuth2 connection that opens. Each row that does not is named on standard
/// error, with how to delete it, and makes the exit code 1; the others are listed all the same.
async fn readable(
    store: &Store<SqliteBackend>,
    printer: &Printer,
) -> Result<(Vec<StoredConnection>, ExitCode), Failure> {
    let everything = store.everything().await?;
    for unreadable in &everything.unreadable {
        printer.error(&format!(
            "{}; delete it with `connections delete {}`",
            unreadable.error, unreadable.id
        ));
    }
    let code = if everything.unreadable.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    Ok((everything.connections, code))
}

async fn require(store: &Store<SqliteBackend>, id: &str) -> Result<StoredConnection, Failure> {
    store
        .get(id)
        .await?
        .ok_or_else(|| Failure::message(format!("no stored connection has the id {id}")))
}
