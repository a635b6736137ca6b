//! Connection inputs, shared by every connection kind: the keys `inputs`, `hosts` and
//! `any_host`, the nested key table of one input, and the rules for templates (`{name}` in URLs,
//! parameter values and header values), all from `connkit_rules::template`.

use syn::{LitBool, LitStr};

use connkit_rules::template::{
    Pattern, Position, check_hosts_entry, check_value, classify_url, parse_template,
};
use connkit_rules::url_shape::check_url;

use crate::ctxt::Ctxt;
use crate::keys::Fallback::{self, EmptyList, NotAField};
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax::{Bool, Str, StrList, Table};
use crate::keys::{Checked, Const, Fields, Key};
use crate::syntax::MapKey;

pub(crate) const INPUTS: Key = Key {
    name: "inputs",
    syntax: Table(INPUT_KEYS),
    presence: Default("none"),
    doc: "values the end user supplies when connecting, `{ shop = { label = \"Shop name\", pattern = \"[a-z0-9-]+\" } }` (keys below), placed as `{shop}` in URLs and in parameter and header values",
    fallback: EmptyList,
};
pub(crate) const HOSTS: Key = Key {
    name: "hosts",
    syntax: StrList,
    presence: Default("none"),
    doc: "the hosts an input may choose, as a whole host (`https://{host}/...`) or as one of the host's last two labels (`accounts.zoho.{tld}`): `\"gitlab.example.com\"`, `\"*.example.com\"`, or a loopback host; required when a URL that receives the client secret takes its host or domain from an input",
    fallback: EmptyList,
};
pub(crate) const ANY_HOST: Key = Key {
    name: "any_host",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "`true` lets a whole-host input name any host, even for URLs that receive the client secret (an explicit opt-out of `hosts`)",
    fallback: Fallback::Bool(false),
};

const LABEL: Key = Key {
    name: "label",
    syntax: Str,
    presence: Required,
    doc: "what the end user is asked for, not blank",
    fallback: Fallback::Str(""),
};
const PATTERN: Key = Key {
    name: "pattern",
    syntax: Str,
    presence: Default("none"),
    doc: "a regular expression (regex-lite syntax) the whole value must match",
    fallback: Fallback::Nothing,
};
const DEFAULT: Key = Key {
    name: "default",
    syntax: Str,
    presence: Default("none (the value is required)"),
    doc: "the value when none is given; it must match `pattern` and suit each placeholder's position",
    fallback: Fallback::Nothing,
};
const SECRET: Key = Key {
    name: "secret",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "the value is a secret: never shown, sealed when stored",
    fallback: Fallback::Bool(false),
};
const ALLOW_PORT: Key = Key {
    name: "allow_port",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "a whole-host value may end with `:port`",
    fallback: Fallback::Bool(false),
};
const UNUSED_OK: Key = Key {
    name: "unused_ok",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "the input is placed nowhere (the app reads it itself); otherwise an unused input is an error",
    fallback: NotAField,
};

/// The keys of one input.
pub(crate) const INPUT_KEYS: &[&Key] =
    &[&LABEL, &PATTERN, &DEFAULT, &SECRET, &ALLOW_PORT, &UNUSED_OK];

/// One declared input, as the template rules need it.
struct Declared<'a> {
    name: String,
    key: &'a MapKey,
    default: Option<&'a LitStr>,
    allow_port: bool,
    unused_ok: bool,
    used: bool,
}

/// The declared inputs of one definition, and the templates' use of them.
pub(crate) struct Inputs<'a> {
    declared: Vec<Declared<'a>>,
    /// `inputs` had an error: placeholders are not checked against it (no follow-on errors).
    broken: bool,
    hosts: Vec<String>,
    /// `hosts` had an error: whole-host rules stay quiet.
    hosts_broken: bool,
    any_host: Option<&'a LitBool>,
    hosts_lit: Option<&'a [LitStr]>,
    whole_host: bool,
    /// Undeclared placeholders already reported (once each, at the first use).
    undeclared: Vec<String>,
}

impl<'a> Inputs<'a> {
    /// Checks `inputs`, `hosts` and `any_host`, setting their checked values.
    pub(crate) fn check(fields: &'a Fields, checked: &mut Checked, cx: &mut Ctxt) -> Self {
        let mut declared = Vec::new();
        let mut records = Vec::new();
        let mut valid = true;
        for (key, input) in fields.table(&INPUTS).unwrap_or_default() {
            let name = key.name();
            if !connkit_rules::template::is_input_name(&name) {
                cx.error(
                    key,
                    format!("`{name}` is not an input name: use lowercase letters, digits and `_`, starting with a letter"),
                );
                valid = false;
                continue;
            }
            let mut record = Checked::default();
            match input.str(&LABEL) {
                Some(lit) if lit.value().trim().is_empty() => {
                    cx.error(lit, "`label` must not be empty");
                    valid = false;
                }
                Some(lit) => record.set(&LABEL, Const::Str(lit.value())),
                None => valid = false,
            }
            let pattern = match input.str(&PATTERN) {
                Some(lit) => match Pattern::new(&lit.value()) {
                    Ok(pattern) => Some((lit, pattern)),
                    Err(problem) => {
                        cx.error_with_help(
                            lit,
                            format!("invalid pattern {:?}: {problem}", lit.value()),
                            Some("patterns use the syntax of the regex crate, without Unicode classes; the whole value must match".to_owned()),
                        );
                        valid = false;
                        None
                    }
                },
                None => None,
            };
            record.set(
                &PATTERN,
                Const::OptionalStr(pattern.as_ref().map(|(lit, _)| lit.value())),
            );
            let default = input.str(&DEFAULT);
            if let (Some(default), Some((lit, pattern))) = (default, &pattern)
                && !pattern.matches(&default.value())
            {
                cx.error(
                    default,
                    format!(
                        "the default {:?} does not match the pattern {:?}",
                        default.value(),
                        lit.value()
                    ),
                );
                valid = false;
            }
            record.set(&DEFAULT, Const::OptionalStr(default.map(LitStr::value)));
            let flag = |key: &Key| input.bool(key).is_some_and(|lit| lit.value);
            record.set(&SECRET, Const::Bool(flag(&SECRET)));
            record.set(&ALLOW_PORT, Const::Bool(flag(&ALLOW_PORT)));
            declared.push(Declared {
                name: name.clone(),
                key,
                default,
                allow_port: flag(&ALLOW_PORT),
                unused_ok: flag(&UNUSED_OK),
                used: false,
            });
            records.push((name, record));
        }
        if valid {
            checked.set(
                &INPUTS,
                Const::Records {
                    constructor: "input",
                    fields_type: "InputFields",
                    table: INPUT_KEYS,
                    records,
                },
            );
        }
        let hosts_lit = fields.str_list(&HOSTS);
        let mut hosts = Vec::new();
        let mut hosts_broken = fields.broken(&HOSTS);
        for lit in hosts_lit.unwrap_or_default() {
            let entry = lit.value();
            match check_hosts_entry(&entry) {
                Ok(()) if hosts.contains(&entry) => {
                    cx.error(lit, format!("duplicate host {entry:?}"));
                    hosts_broken = true;
                }
                Ok(()) => hosts.push(entry),
                Err(problem) => {
                    cx.error(lit, format!("invalid hosts entry {entry:?}: {problem}"));
                    hosts_broken = true;
                }
            }
        }
        if !hosts_broken {
            checked.set(&HOSTS, Const::StrList(hosts.clone()));
        }
        let any_host = fields.bool(&ANY_HOST);
        checked.set(
            &ANY_HOST,
            Const::Bool(any_host.is_some_and(|lit| lit.value)),
        );
        if let (Some(lit), Some(_)) = (any_host, hosts_lit)
            && lit.value
        {
            cx.error_with_help(
                lit,
                "`any_host = true` and `hosts` contradict each other",
                Some("keep `hosts` to limit the hosts, or remove it to allow any".to_owned()),
            );
        }
        Self {
            declared,
            broken: !valid || fields.broken(&INPUTS),
            hosts,
            hosts_broken,
            any_host,
            hosts_lit,
            whole_host: false,
            undeclared: Vec::new(),
        }
    }

    /// A URL key: a template when it holds a brace (each placeholder a declared input in a safe
    /// position, the fixed parts obeying the URL rules), a plain URL otherwise. `receives_secret`
    /// marks the endpoints the client secret (or a refresh token) is sent to.
    pub(crate) fn url(
        &mut self,
        fields: &Fields,
        key: &Key,
        receives_secret: bool,
        cx: &mut Ctxt,
    ) -> Option<String> {
        let lit = fields.str(key)?;
        let url = lit.value();
        if !url.contains(['{', '}']) {
            return match check_url(&url) {
                Ok(_) => Some(url),
                Err(problem) => {
                    cx.error_with_help(
                        lit,
                        format!("invalid {} \"{url}\": {problem}", key.name),
                        problem.help(),
                    );
                    None
                }
            };
        }
        let hosts: Vec<&str> = self.hosts.iter().map(String::as_str).collect();
        let placed = match classify_url(&url, &hosts) {
            Ok(placed) => placed,
            Err(problem) => {
                cx.error_with_help(
                    lit,
                    format!("invalid {} \"{url}\": {problem}", key.name),
                    problem.help(),
                );
                return None;
            }
        };
        let mut valid = true;
        for spot in &placed {
            valid &= self.use_input(spot.name, key, lit, cx);
            if !spot.chooses_domain {
                continue;
            }
            self.whole_host = true;
            let opted_out = self.any_host.is_some_and(|lit| lit.value);
            if receives_secret && self.hosts.is_empty() && !self.hosts_broken && !opted_out {
                let what = if spot.position == Position::Host {
                    "its whole host"
                } else {
                    "its domain (a label among the last two of the host)"
                };
                cx.error_with_help(
                    lit,
                    format!(
                        "{} takes {what} from the input `{}`, so the client secret would go to any server a user names",
                        key.name, spot.name
                    ),
                    Some("list the hosts it may name, like `hosts = [\"*.example.com\"]`, or allow any with `any_host = true`".to_owned()),
                );
                valid = false;
            }
        }
        if valid {
            self.check_defaults(&placed, cx);
        }
        valid.then_some(url)
    }

    /// Each default suits the position of every placeholder it fills.
    fn check_defaults(&self, placed: &[connkit_rules::template::Placed<'_>], cx: &mut Ctxt) {
        let hosts: Vec<&str> = self.hosts.iter().map(String::as_str).collect();
        for spot in placed {
            let Some(input) = self.declared.iter().find(|input| input.name == spot.name) else {
                continue;
            };
            let Some(default) = input.default else {
                continue;
            };
            if let Err(problem) =
                check_value(spot.position, &default.value(), input.allow_port, &hosts)
            {
                cx.error(
                    default,
                    format!(
                        "the default of `{}` cannot be {}: {problem}",
                        input.name, spot.position
                    ),
                );
            }
        }
    }

    /// A parameter or header value: its placeholders are declared inputs.
    pub(crate) fn text(&mut self, key: &Key, lit: &LitStr, cx: &mut Ctxt) -> bool {
        let value = lit.value();
        if !value.contains(['{', '}']) {
            return true;
        }
        match parse_template(&value) {
            Ok(pieces) => {
                let mut valid = true;
                for piece in pieces {
                    if let connkit_rules::template::Piece::Placeholder(name) = piece {
                        valid &= self.use_input(name, key, lit, cx);
                    }
                }
                valid
            }
            Err(problem) => {
                cx.error_with_help(
                    lit,
                    format!("invalid {} value {value:?}: {problem}", key.name),
                    problem.help(),
                );
                false
            }
        }
    }

    fn use_input(&mut self, name: &str, key: &Key, lit: &LitStr, cx: &mut Ctxt) -> bool {
        if let Some(input) = self.declared.iter_mut().find(|input| input.name == name) {
            input.used = true;
            return true;
        }
        if self.broken {
            return true;
        }
        if self.undeclared.iter().any(|reported| reported == name) {
            return false;
        }
        self.undeclared.push(name.to_owned());
        let names: Vec<&str> = self
            .declared
            .iter()
            .map(|input| input.name.as_str())
            .collect();
        let help = connkit_rules::suggest::closest(name, &names)
            .map(|close| format!("did you mean `{{{close}}}`?"))
            .unwrap_or_else(|| {
                format!("declare it: `inputs = {{ {name} = {{ label = \"...\" }} }}`")
            });
        cx.error_with_help(
            lit,
            format!("`{{{name}}}` in {} is not a declared input", key.name),
            Some(help),
        );
        false
    }

    /// After every template: unused inputs, and `hosts` without a whole-host input.
    pub(crate) fn finish(self, cx: &mut Ctxt) {
        if !cx.is_empty() {
            // An input may look unused only because the template that uses it was refused.
            return;
        }
        for input in &self.declared {
            if !input.used && !input.unused_ok {
                cx.error_with_help(
                    input.key,
                    format!("the input `{}` is placed nowhere", input.name),
                    Some(format!(
                        "use `{{{}}}` in a URL, parameter or header, or mark it `unused_ok = true` if the app reads it itself",
                        input.name
                    )),
                );
            }
        }
        if let Some(lits) = self.hosts_lit
            && !self.whole_host
            && let Some(first) = lits.first()
        {
            cx.error_with_help(
                first,
                "`hosts` limits the hosts an input chooses, and no URL takes its host or domain from an input",
                Some(
                    "remove `hosts`, or write the URL as `https://{host}/...` with an input `host`"
                        .to_owned(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::INPUT_KEYS;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};

    #[test]
    fn the_input_table_and_its_docs() {
        assert_table_is_well_formed(INPUT_KEYS);
        assert_docs_table(INPUT_KEYS, "docs/inputs.md");
    }
}
