//! The connect page and the error pages: server-rendered HTML, no script, every value escaped,
//! no token, code, state or secret ever written.

use std::fmt::Write as _;

use crate::definition::{ConnectionDefinition, Input, InputValues, Registry};
use crate::store::{ConnectionStatus, StoredConnection, StoredCredential, Unreadable};

/// A message shown at the top of the page.
pub(super) enum Notice {
    /// Something worked.
    Success(String),
    /// Something was refused; the form it came from is shown again.
    Problem(String),
}

/// What the connect page shows.
pub(super) struct PageData<'a> {
    pub(super) title: &'a str,
    pub(super) owner: &'a str,
    pub(super) registry: Registry,
    pub(super) oauth2: &'a [StoredConnection],
    pub(super) credentials: &'a [StoredCredential],
    /// Stored rows that do not open: shown, with a button to disconnect them.
    pub(super) unreadable: &'a [Unreadable],
    pub(super) csrf: &'a str,
    /// The router's base path (`/`, `/integrations/`).
    pub(super) base_path: &'a str,
    pub(super) return_to: &'a str,
    pub(super) notice: Option<Notice>,
    /// The definition whose form was refused, and the (non-secret) values it was sent with.
    pub(super) refilled: Option<(&'a str, &'a InputValues)>,
}

pub(super) use crate::html::escape;

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1c2330; --muted: #5b6577; --line: #dfe3ea; --bg: #f5f7fa;
  --card: #fff; --accent: #2f5bd3; --accent-ink: #fff; --ok: #1d7a46; --warn: #9a5b00; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header.top { background: var(--card); border-bottom: 1px solid var(--line); }
header.top div, main { max-width: 58rem; margin: 0 auto; padding: 1rem 1.25rem; }
header.top h1 { margin: 0; font-size: 1.4rem; }
header.top p { margin: .25rem 0 0; color: var(--muted); }
.notice { border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 1.25rem; border: 1px solid; }
.notice.ok { background: #ecf8f1; border-color: #a6dcbd; color: var(--ok); }
.notice.problem { background: #fdf0ef; border-color: #f3b8b2; color: var(--bad); }
section.app { margin: 0 0 1.75rem; }
section.app > h2 { display: flex; align-items: center; gap: .6rem; font-size: 1.15rem; margin: 0 0 .15rem; }
.logo { position: relative; display: inline-grid; place-items: center; width: 1.75rem; height: 1.75rem;
  border-radius: .4rem; background: #e4e9f4; color: var(--accent); font-weight: 700; font-size: .95rem; overflow: hidden; }
.logo span { position: absolute; inset: 0; background: center / contain no-repeat; }
section.app > p { margin: 0 0 .75rem; color: var(--muted); }
article.connection { background: var(--card); border: 1px solid var(--line); border-radius: .75rem;
  padding: 1rem 1.25rem; margin: 0 0 .75rem; }
article.connection h3 { margin: 0; font-size: 1rem; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.kind { font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em;
  background: #eef2fb; color: var(--accent); border-radius: 99rem; padding: .1rem .55rem; }
article.connection > p { margin: .25rem 0 .5rem; color: var(--muted); }
.scopes { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; padding: 0; margin: .25rem 0 .75rem; }
.scopes li { font: .8rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg);
  border: 1px solid var(--line); border-radius: .35rem; padding: .05rem .4rem; }
.stored { list-style: none; padding: 0; margin: 0 0 .75rem; }
.stored li { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; padding: .5rem 0;
  border-top: 1px solid var(--line); }
.status { font-weight: 600; }
.status.active { color: var(--ok); } .status.attention { color: var(--warn); } .status.revoked { color: var(--bad); }
.stored .since { color: var(--muted); font-size: .875rem; }
.stored form { margin: 0; }
form.connect { display: grid; gap: .6rem; max-width: 28rem; }
label { font-weight: 600; font-size: .9rem; }
.field { display: grid; gap: .2rem; }
.hint { color: var(--muted); font-size: .8rem; }
input[type=text], input[type=password], textarea { font: inherit; padding: .45rem .6rem;
  border: 1px solid #b8c0cc; border-radius: .4rem; background: #fff; }
textarea { min-height: 6rem; font-family: ui-monospace, monospace; font-size: .85rem; }
button { font: inherit; font-weight: 600; border-radius: .45rem; padding: .45rem 1rem; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); justify-self: start; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: #e4a29c; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
main.message { max-width: 36rem; }
main.message .card { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: 1.25rem 1.5rem; }
main.message h1 { margin-top: 0; font-size: 1.3rem; }
a { color: var(--accent); }
"#;

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// A page that says what happened and what to do, with a way back.
pub(super) fn message_page(title: &str, what: &str, next: &str, back: &str) -> String {
    let body = format!(
        "<main class=\"message\"><div class=\"card\" role=\"alert\">\n<h1>{}</h1>\n<p>{}</p>\n<p>{}</p>\n\
         <p><a href=\"{}\">Back to connections</a></p>\n</div></main>",
        escape(title),
        escape(what),
        escape(next),
        escape(back)
    );
    layout(title, &body)
}

/// The connect page.
pub(super) fn connect_page(data: &PageData<'_>) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"top\"><div><h1>{}</h1><p>Signed in as <strong>{}</strong></p></div></header>\n<main>\n",
        escape(data.title),
        escape(data.owner)
    );
    match &data.notice {
        Some(Notice::Success(text)) => {
            let _ = writeln!(
                body,
                "<p class=\"notice ok\" role=\"status\">{}</p>",
                escape(text)
            );
        }
        Some(Notice::Problem(text)) => {
            let _ = writeln!(
                body,
                "<p class=\"notice problem\" role=\"alert\">{}</p>",
                escape(text)
            );
        }
        None => {}
    }
    for app in data.registry.apps() {
        if app.connections().is_empty() {
            continue;
        }
        let _ = write!(
            body,
            "<section class=\"app\" aria-labelledby=\"app-{id}\">\n<h2 id=\"app-{id}\"><span class=\"logo\" aria-hidden=\"true\">{initial}<span style=\"background-image: url(&quot;{logo}&quot;)\"></span></span>{name}</h2>\n<p>{description}</p>\n",
            id = escape(app.id()),
            // The app's initial shows where its logo does not load.
            initial = escape(&app.name().chars().next().unwrap_or('?').to_string()),
            logo = escape(&css_url(app.logo_url())),
            name = escape(app.name()),
            description = escape(app.description()),
        );
        for connection in app.connections() {
            connection_card(&mut body, data, app.name(), connection);
        }
        body.push_str("</section>\n");
    }
    body.push_str("</main>");
    layout(data.title, &body)
}

/// A URL made safe inside CSS `url("...")`: no quote, backslash, parenthesis or control
/// character survives (they are percent-encoded, as in a URL).
fn css_url(url: &str) -> String {
    let mut safe = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '"' | '\\' | '(' | ')' | '\'' => safe.push_str(&format!("%{:02X}", u32::from(c))),
            c if c.is_control() => {}
            c => safe.push(c),
        }
    }
    safe
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "oauth2" => "OAuth2",
        "api-key" => "API key",
        "basic-auth" => "Username and password",
        "key-pair" => "Key pair",
        "client-credentials" => "Client credentials",
        "jwt-bearer" => "Signed assertion",
        _ => "Connection",
    }
}

fn hidden(body: &mut String, data: &PageData<'_>) {
    let _ = write!(
        body,
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"return_to\" value=\"{}\">",
        escape(data.csrf),
        escape(data.return_to)
    );
}

fn connection_card(
    body: &mut String,
    data: &PageData<'_>,
    app_name: &str,
    connection: &ConnectionDefinition,
) {
    let id = connection.id();
    let _ = write!(
        body,
        "<article class=\"connection\" aria-labelledby=\"c-{id}\">\n<h3 id=\"c-{id}\">{name} <span class=\"kind\">{kind}</span></h3>\n<p>{description}</p>\n",
        id = escape(id),
        name = escape(connection.name()),
        kind = kind_label(connection.kind()),
        description = escape(connection.description()),
    );
    if let Some(oauth2) = connection.as_oauth2()
        && !oauth2.scopes().is_empty()
    {
        body.push_str("<ul class=\"scopes\" aria-label=\"Scopes it asks for\">");
        for scope in oauth2.scopes() {
            let _ = write!(body, "<li>{}</li>", escape(scope));
        }
        body.push_str("</ul>\n");
    }
    let has_stored = stored_list(body, data, connection);
    connect_form(body, data, app_name, connection, has_stored);
    body.push_str("</article>\n");
}

/// The owner's stored connections of `connection`; whether there were any.
fn stored_list(body: &mut String, data: &PageData<'_>, connection: &ConnectionDefinition) -> bool {
    let id = connection.id();
    let oauth2: Vec<&StoredConnection> = data
        .oauth2
        .iter()
        .filter(|stored| stored.definition_id == id)
        .collect();
    let credentials: Vec<&StoredCredential> = data
        .credentials
        .iter()
        .filter(|stored| stored.definition_id == id)
        .collect();
    let unreadable: Vec<&Unreadable> = data
        .unreadable
        .iter()
        .filter(|stored| stored.definition_id == id)
        .collect();
    if oauth2.is_empty() && credentials.is_empty() && unreadable.is_empty() {
        return false;
    }
    let _ = write!(
        body,
        "<ul class=\"stored\" aria-label=\"Your {} connections\">",
        escape(connection.name())
    );
    for stored in oauth2 {
        let missing = connection
            .as_oauth2()
            .map(|definition| stored.missing_scopes(definition))
            .unwrap_or_default();
        let (class, status, action) = match stored.status {
            ConnectionStatus::Active if missing.is_empty() => ("active", "Active".to_owned(), None),
            ConnectionStatus::Active => (
                "attention",
                format!("Missing scopes: {}", missing.join(", ")),
                Some("Grant new scopes"),
            ),
            ConnectionStatus::NeedsReconnect => {
                ("attention", "Needs reconnect".to_owned(), Some("Reconnect"))
            }
            ConnectionStatus::Revoked => ("revoked", "Revoked".to_owned(), Some("Reconnect")),
        };
        stored_item(
            body,
            &stored.id,
            class,
            &status,
            "connected",
            crate::clock::unix_seconds(stored.created_at),
        );
        if let Some(action) = action {
            let _ = write!(
                body,
                "<form method=\"post\" action=\"{base}connect/{def}\">",
                base = escape(data.base_path),
                def = escape(id)
            );
            hidden(body, data);
            let _ = write!(
                body,
                "<input type=\"hidden\" name=\"reconnect\" value=\"{}\"><button type=\"submit\" class=\"secondary\">{action}</button></form>",
                escape(&stored.id)
            );
        }
        disconnect_form(body, data, &stored.id);
        body.push_str("</li>");
    }
    for stored in credentials {
        stored_item(
            body,
            &stored.id,
            "active",
            "Active",
            "saved",
            crate::clock::unix_seconds(stored.created_at),
        );
        disconnect_form(body, data, &stored.id);
        body.push_str("</li>");
    }
    for stored in unreadable {
        let status = "Cannot be read; disconnect it and connect again";
        stored_item(
            body,
            &stored.id,
            "revoked",
            status,
            "saved",
            crate::clock::unix_seconds(stored.created_at),
        );
        disconnect_form(body, data, &stored.id);
        body.push_str("</li>");
    }
    body.push_str("</ul>\n");
    true
}

/// Opens a stored connection's list item: its status, and since when it is stored.
fn stored_item(body: &mut String, id: &str, class: &str, status: &str, since: &str, at: u64) {
    let _ = write!(
        body,
        "<li data-connection=\"{sid}\"><span class=\"status {class}\">{status}</span><span class=\"since\">{since} {date}</span>",
        sid = escape(id),
        status = escape(status),
        date = date(at),
    );
}

fn disconnect_form(body: &mut String, data: &PageData<'_>, stored_id: &str) {
    let _ = write!(
        body,
        "<form method=\"post\" action=\"{base}connections/{sid}/disconnect\">",
        base = escape(data.base_path),
        sid = escape(stored_id)
    );
    hidden(body, data);
    body.push_str("<button type=\"submit\" class=\"danger\">Disconnect</button></form>");
}

fn connect_form(
    body: &mut String,
    data: &PageData<'_>,
    app_name: &str,
    connection: &ConnectionDefinition,
    has_stored: bool,
) {
    let id = connection.id();
    let refilled = data
        .refilled
        .and_then(|(definition, values)| (definition == id).then_some(values));
    let _ = write!(
        body,
        "<form class=\"connect\" method=\"post\" action=\"{base}connect/{def}\">",
        base = escape(data.base_path),
        def = escape(id)
    );
    hidden(body, data);
    for input in connection.inputs() {
        input_field(body, id, input, refilled);
    }
    let field_id = |name: &str| format!("{}-{name}", escape(id));
    let secret = |body: &mut String, name: &str, label: &str, textarea: bool| {
        let fid = field_id(name);
        if textarea {
            let _ = write!(
                body,
                "<div class=\"field\"><label for=\"{fid}\">{label}</label><textarea id=\"{fid}\" name=\"{name}\" required autocomplete=\"off\" spellcheck=\"false\"></textarea></div>"
            );
        } else {
            let _ = write!(
                body,
                "<div class=\"field\"><label for=\"{fid}\">{label}</label><input id=\"{fid}\" type=\"password\" name=\"{name}\" required autocomplete=\"off\"></div>"
            );
        }
    };
    let button = match connection.kind() {
        "oauth2" if has_stored => "Connect another account".to_owned(),
        "oauth2" => format!("Connect {}", escape(app_name)),
        "api-key" => {
            secret(body, "api_key", "API key", false);
            "Save API key".to_owned()
        }
        "basic-auth" => {
            let fid = field_id("username");
            let value = refilled
                .and_then(|values| values.get("username"))
                .unwrap_or_default();
            let _ = write!(
                body,
                "<div class=\"field\"><label for=\"{fid}\">Username</label><input id=\"{fid}\" type=\"text\" name=\"username\" required autocomplete=\"username\" value=\"{}\"></div>",
                escape(value)
            );
            secret(body, "password", "Password", false);
            "Save".to_owned()
        }
        "key-pair" => {
            let fid = field_id("public_key");
            let _ = write!(
                body,
                "<div class=\"field\"><label for=\"{fid}\">Public key or key id</label><input id=\"{fid}\" type=\"text\" name=\"public_key\" required autocomplete=\"off\"></div>"
            );
            secret(body, "private_key", "Private key", true);
            "Save key pair".to_owned()
        }
        "client-credentials" => {
            // An owner's client is given here; the platform's comes from the server.
            if connection
                .as_client_credentials()
                .is_some_and(|machine| machine.client() == crate::definition::ClientHolder::Owner)
            {
                let fid = field_id("client_id");
                let value = refilled
                    .and_then(|values| values.get("client_id"))
                    .unwrap_or_default();
                let _ = write!(
                    body,
                    "<div class=\"field\"><label for=\"{fid}\">Client ID</label><input id=\"{fid}\" type=\"text\" name=\"client_id\" required autocomplete=\"off\" value=\"{}\"></div>",
                    escape(value)
                );
                secret(body, "client_secret", "Client secret", false);
            }
            format!("Connect {}", escape(app_name))
        }
        "jwt-bearer" => {
            let fid = field_id("key_id");
            let _ = write!(
                body,
                "<div class=\"field\"><label for=\"{fid}\">Key id (optional)</label><input id=\"{fid}\" type=\"text\" name=\"key_id\" autocomplete=\"off\"></div>"
            );
            secret(body, "private_key", "Private key (PEM)", true);
            format!("Connect {}", escape(app_name))
        }
        _ => "Connect".to_owned(),
    };
    let _ = writeln!(body, "<button type=\"submit\">{button}</button></form>");
}

fn input_field(
    body: &mut String,
    definition_id: &str,
    input: &Input,
    refilled: Option<&InputValues>,
) {
    let fid = format!("{}-input-{}", escape(definition_id), escape(input.name()));
    let hint_id = format!("{fid}-hint");
    let value = if input.secret() {
        ""
    } else {
        refilled
            .and_then(|values| values.get(input.name()))
            .or(input.default())
            .unwrap_or_default()
    };
    let _ = write!(
        body,
        "<div class=\"field\"><label for=\"{fid}\">{label}</label><input id=\"{fid}\" type=\"{kind}\" name=\"input.{name}\" value=\"{value}\"{required}{pattern} aria-describedby=\"{hint_id}\" autocomplete=\"off\">",
        label = escape(input.label()),
        kind = if input.secret() { "password" } else { "text" },
        name = escape(input.name()),
        value = escape(value),
        required = if input.default().is_none() {
            " required"
        } else {
            ""
        },
        pattern = input
            .pattern()
            .map(|pattern| format!(" pattern=\"{}\"", escape(pattern)))
            .unwrap_or_default(),
    );
    let hint = input
        .default()
        .map(|default| format!("Optional; {} when left empty.", escape(default)))
        .unwrap_or_default();
    let _ = write!(
        body,
        "<span class=\"hint\" id=\"{hint_id}\">{hint}</span></div>"
    );
}

/// Unix seconds as a UTC date.
fn date(unix: u64) -> String {
    let (year, month, day, _) = crate::civil::utc(unix);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_show() {
        let page = message_page("<t>", "<w>", "<n>", "/b\"");
        assert!(!page.contains("<t>") && !page.contains("<w>") && !page.contains("/b\""));
    }

    #[test]
    fn a_logo_url_cannot_leave_its_css_string() {
        assert_eq!(
            css_url("https://x.example/a\")b(c)'d\\e\n"),
            "https://x.example/a%22%29b%28c%29%27d%5Ce"
        );
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_795_996_799), "2026-11-29");
    }
}
