//! The store's sealing key: `CONNKIT_SEALING_KEY`, or a key file beside the store.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Failure;
use crate::store::{Keyring, SealingKey};

/// The variable holding the key, as `<key-id>:<32 bytes in base64url>`.
pub(super) const KEY_VARIABLE: &str = "CONNKIT_SEALING_KEY";
/// The id of a key the command line generates.
const GENERATED_KEY_ID: &str = "cli";

/// The keyring for the store at `store`: the variable's key, or the key file's (created when
/// neither it nor the store exists yet).
pub(super) fn keyring(store: &Path, key_file: Option<&Path>) -> Result<Keyring, Failure> {
    if let Some(text) = std::env::var_os(KEY_VARIABLE) {
        let text = text
            .to_str()
            .ok_or_else(|| Failure::message(format!("{KEY_VARIABLE} is not valid UTF-8")))?;
        return parse(text)
            .map(Keyring::new)
            .map_err(|problem| Failure::message(format!("{KEY_VARIABLE} {problem}")));
    }
    let path = key_file.map_or_else(|| default_key_file(store), Path::to_path_buf);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).map(Keyring::new).map_err(|problem| {
            Failure::message(format!("the key file {} {problem}", path.display()))
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if store.exists() {
                return Err(Failure::message(format!(
                    "the store {} exists but its key file {} does not; set {KEY_VARIABLE} or pass --key-file",
                    store.display(),
                    path.display()
                )));
            }
            create(&path)
        }
        Err(error) => Err(Failure::message(format!(
            "cannot read the key file {}: {error}",
            path.display()
        ))),
    }
}

fn default_key_file(store: &Path) -> PathBuf {
    let mut path = store.as_os_str().to_owned();
    path.push(".key");
    PathBuf::from(path)
}

/// Reads `<key-id>:<base64url>`; the problem never quotes the text.
fn parse(text: &str) -> Result<SealingKey, &'static str> {
    const SHAPE: &str = "must be <key-id>:<32 bytes in base64url>";
    let (id, encoded) = text.trim().split_once(':').ok_or(SHAPE)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| SHAPE)?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| SHAPE)?;
    SealingKey::from_bytes(id, &bytes).map_err(|_| "has a key id that is not valid")
}

/// A fresh key in a new file only its owner can read.
fn create(path: &Path) -> Result<Keyring, Failure> {
    let (key, bytes) = SealingKey::generate(GENERATED_KEY_ID)
        .map_err(|error| Failure::message(format!("cannot make a sealing key: {error}")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(path).and_then(|mut file| {
        writeln!(file, "{GENERATED_KEY_ID}:{}", URL_SAFE_NO_PAD.encode(bytes))?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(Keyring::new(key)),
        // Another process created it first: use theirs.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            keyring(Path::new(""), Some(path))
        }
        Err(error) => Err(Failure::message(format!(
            "cannot write the key file {}: {error}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;

    #[test]
    fn a_key_reads_back_and_a_bad_one_is_refused_without_being_quoted() {
        let encoded = URL_SAFE_NO_PAD.encode([7u8; 32]);
        assert_eq!(
            parse(&format!("k1:{encoded}\n")).unwrap().id().as_str(),
            "k1"
        );
        for bad in [
            "",
            "nocolon",
            "k1:",
            "k1:!!!!",
            &format!("k1:{}", URL_SAFE_NO_PAD.encode([7u8; 31])),
        ] {
            let problem = parse(bad).map(|_| ()).unwrap_err();
            assert_eq!(problem, "must be <key-id>:<32 bytes in base64url>");
        }
    }
}
