//! Opening the authorize URL in a browser: `$BROWSER` when set (a `:`-separated list of
//! commands, each given the URL in place of `%s`, or after its last word), or else the
//! system's opener (`xdg-open` where there is a display, `open` on macOS, the URL handler on
//! Windows). The command runs without a shell.

use std::process::{Command, Stdio};

/// Starts a browser on `url`, or says why none was started.
pub(super) fn open(url: &str) -> Result<(), String> {
    if let Some(list) = std::env::var_os("BROWSER") {
        let list = list.to_string_lossy().into_owned();
        let mut failures = Vec::new();
        for entry in list.split(':').filter(|entry| !entry.trim().is_empty()) {
            match spawn(&command_line(entry, url)) {
                Ok(()) => return Ok(()),
                Err(error) => failures.push(format!("{}: {error}", entry.trim())),
            }
        }
        return Err(format!("$BROWSER did not start ({})", failures.join("; ")));
    }
    system_opener(url)
}

/// The words to run for one `$BROWSER` entry.
fn command_line(entry: &str, url: &str) -> Vec<String> {
    let mut words: Vec<String> = entry
        .split_whitespace()
        .map(|word| word.replace("%s", url))
        .collect();
    if !entry.contains("%s") {
        words.push(url.to_owned());
    }
    words
}

#[cfg(target_os = "macos")]
fn system_opener(url: &str) -> Result<(), String> {
    spawn(&["open".to_owned(), url.to_owned()]).map_err(|error| format!("open: {error}"))
}

#[cfg(windows)]
fn system_opener(url: &str) -> Result<(), String> {
    spawn(&[
        "rundll32".to_owned(),
        "url.dll,FileProtocolHandler".to_owned(),
        url.to_owned(),
    ])
    .map_err(|error| format!("rundll32: {error}"))
}

#[cfg(not(any(target_os = "macos", windows)))]
fn system_opener(url: &str) -> Result<(), String> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err("no display, and $BROWSER is not set".to_owned());
    }
    spawn(&["xdg-open".to_owned(), url.to_owned()]).map_err(|error| format!("xdg-open: {error}"))
}

/// Starts `words` detached from the terminal's streams, and reaps it when it ends.
fn spawn(words: &[String]) -> std::io::Result<()> {
    let (program, arguments) = words
        .split_first()
        .ok_or_else(|| std::io::Error::other("an empty command"))?;
    let mut child = Command::new(program)
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_goes_in_place_of_percent_s_or_last() {
        let url = "http://127.0.0.1:1/a?b=c&d=e";
        assert_eq!(command_line("firefox", url), ["firefox", url]);
        assert_eq!(
            command_line(" chromium --new-window ", url),
            ["chromium", "--new-window", url]
        );
        assert_eq!(command_line("w3m %s -dump", url), ["w3m", url, "-dump"]);
    }
}
