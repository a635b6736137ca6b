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
    match read_key_file(&path) {
        Ok(Some(text)) => keyring_from(&path, &text),
        Ok(None) if store.exists() => Err(Failure::message(format!(
            "the store {} exists but its key file {} does not; set {KEY_VARIABLE} or pass --key-file",
            store.display(),
            path.display()
        ))),
        Ok(None) => create(&path),
        Err(problem) => Err(Failure::message(problem.to_string())),
    }
}

fn keyring_from(path: &Path, text: &str) -> Result<Keyring, Failure> {
    parse(text)
        .map(Keyring::new)
        .map_err(|problem| Failure::message(format!("the key file {} {problem}", path.display())))
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

/// The longest key file read: a key is about 50 bytes.
const MAX_KEY_FILE: u64 = 4096;

/// Why a key file is refused, as ssh's StrictModes refuses a private key. Never quotes the
/// file's content.
#[derive(Debug, thiserror::Error)]
pub(super) enum KeyFileError {
    /// A symbolic link, dangling or not: whoever can write the folder could point it at a key
    /// of their choosing.
    #[error(
        "the key file {path} is a symbolic link; connkit reads a key file only where it lies: put the file itself there"
    )]
    SymbolicLink {
        /// The file.
        path: String,
    },
    /// Readable or writable by the group or others.
    #[error(
        "the key file {path} can be read or written by others (mode {mode:04o}); run `chmod 600 {quoted}`"
    )]
    Permissions {
        /// The file.
        path: String,
        /// The file's path, quoted for a shell.
        quoted: String,
        /// Its permission bits.
        mode: u32,
    },
    /// Owned by another user than the one running connkit.
    #[error(
        "the key file {path} belongs to uid {owner}, not to the user running connkit (uid {user}); use a key file of your own, or have its owner run `chown {user} {quoted}`"
    )]
    Owner {
        /// The file.
        path: String,
        /// The file's path, quoted for a shell.
        quoted: String,
        /// Its owner.
        owner: u32,
        /// The user running connkit.
        user: u32,
    },
    /// A folder, a device, a FIFO: not a file.
    #[error("the key file {path} is not a regular file")]
    NotAFile {
        /// The file.
        path: String,
    },
    /// Larger than any key file connkit writes.
    #[error("the key file {path} is larger than a key file ({size} bytes)")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
    },
    /// The file could not be read.
    #[error("cannot read the key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// What the checks need of a key file's status.
#[derive(Debug, Clone, Copy)]
struct Status {
    regular: bool,
    owner: u32,
    mode: u32,
    size: u64,
}

/// `path` quoted for a POSIX shell (single quotes, unless it needs none).
fn shell_quoted(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@%=".contains(&b));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The key file's checks: a regular file of the user's, that nobody else can read or write.
fn check(path: &Path, status: Status, user: u32, max: u64) -> Result<(), KeyFileError> {
    let shown = || path.display().to_string();
    if !status.regular {
        return Err(KeyFileError::NotAFile { path: shown() });
    }
    if status.owner != user {
        return Err(KeyFileError::Owner {
            path: shown(),
            quoted: shell_quoted(path),
            owner: status.owner,
            user,
        });
    }
    if status.mode & 0o077 != 0 {
        return Err(KeyFileError::Permissions {
            path: shown(),
            quoted: shell_quoted(path),
            mode: status.mode & 0o7777,
        });
    }
    if status.size > max {
        return Err(KeyFileError::TooLarge {
            path: shown(),
            size: status.size,
        });
    }
    Ok(())
}

/// The key file's text, `None` when there is none. It is opened without following a symbolic
/// link (`O_NOFOLLOW`), and checked on the open file itself (`fstat`), so that nothing can be
/// swapped in between the check and the read.
#[cfg(unix)]
fn read_key_file(path: &Path) -> Result<Option<String>, KeyFileError> {
    read_owner_only(path, MAX_KEY_FILE)
}

/// The text of a file of secrets (`None` when there is none), checked as a key file is: not a
/// symbolic link, a regular file of the user's that nobody else can read or write, at most
/// `max` bytes.
#[cfg(unix)]
pub(super) fn read_owner_only(path: &Path, max: u64) -> Result<Option<String>, KeyFileError> {
    use rustix::fs::{Mode, OFlags};
    use rustix::io::Errno;
    use std::io::Read;

    let io = |source: std::io::Error| KeyFileError::Io {
        path: path.display().to_string(),
        source,
    };
    // NONBLOCK: a FIFO put there does not hang the open; it is refused as not a file below.
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
    let descriptor = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(descriptor) => descriptor,
        Err(Errno::NOENT) => return Ok(None),
        // What O_NOFOLLOW answers for a symbolic link (ELOOP on Linux and macOS, EMLINK on
        // FreeBSD); the link's own status says which it was.
        Err(error) => {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            return Err(if link {
                KeyFileError::SymbolicLink {
                    path: path.display().to_string(),
                }
            } else {
                io(error.into())
            });
        }
    };
    let stat = rustix::fs::fstat(&descriptor).map_err(|error| io(error.into()))?;
    let status = Status {
        regular: rustix::fs::FileType::from_raw_mode(stat.st_mode)
            == rustix::fs::FileType::RegularFile,
        owner: stat.st_uid,
        mode: stat.st_mode & 0o7777,
        size: u64::try_from(stat.st_size).unwrap_or(u64::MAX),
    };
    check(path, status, rustix::process::geteuid().as_raw(), max)?;
    let mut text = String::new();
    std::fs::File::from(descriptor)
        .take(max + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    Ok(Some(text))
}

/// On other systems (Windows), a symbolic link is refused, and the file's access control list
/// is not checked: keep the key file in a folder only you can read.
#[cfg(not(unix))]
fn read_key_file(path: &Path) -> Result<Option<String>, KeyFileError> {
    read_owner_only(path, MAX_KEY_FILE)
}

/// The text of a file of secrets: a symbolic link is refused, and the file's access control
/// list is not checked.
#[cfg(not(unix))]
pub(super) fn read_owner_only(path: &Path, max: u64) -> Result<Option<String>, KeyFileError> {
    let io = |source: std::io::Error| KeyFileError::Io {
        path: path.display().to_string(),
        source,
    };
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io(error)),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            return Err(KeyFileError::SymbolicLink {
                path: path.display().to_string(),
            });
        }
        Ok(metadata) if !metadata.is_file() => {
            return Err(KeyFileError::NotAFile {
                path: path.display().to_string(),
            });
        }
        Ok(metadata) if metadata.len() > max => {
            return Err(KeyFileError::TooLarge {
                path: path.display().to_string(),
                size: metadata.len(),
            });
        }
        Ok(_) => {}
    }
    std::fs::read_to_string(path).map(Some).map_err(io)
}

/// A fresh key in a new file only its owner can read and write (`O_EXCL`, mode 0600, never
/// through a symbolic link).
fn create(path: &Path) -> Result<Keyring, Failure> {
    let (key, bytes) = SealingKey::generate(GENERATED_KEY_ID)
        .map_err(|error| Failure::message(format!("cannot make a sealing key: {error}")))?;
    let mut options = std::fs::OpenOptions::new();
    // `create_new` is O_CREAT | O_EXCL: it never follows a symbolic link, dangling or not.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(path).and_then(|mut file| {
        writeln!(file, "{GENERATED_KEY_ID}:{}", URL_SAFE_NO_PAD.encode(bytes))?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(Keyring::new(key)),
        // Another process created it first: use theirs, checked as any key file is. Something
        // else there (a dangling link, say) is refused by the same checks, never retried.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            match read_key_file(path) {
                Ok(Some(text)) => keyring_from(path, &text),
                Ok(None) => Err(Failure::message(format!(
                    "the key file {} appeared and vanished while it was created; try again",
                    path.display()
                ))),
                Err(problem) => Err(Failure::message(problem.to_string())),
            }
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

    /// A fresh folder of its own under the system's temporary folder.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("connkit-sealing-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn message(result: Result<Keyring, Failure>) -> String {
        result.unwrap_err().to_string()
    }

    const KEY_TEXT: &str = "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc\n";

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    #[cfg(unix)]
    fn write_with_mode(path: &Path, text: &str, bits: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn a_new_key_file_is_created_for_its_owner_only_and_read_back() {
        let dir = scratch("create");
        let store = dir.join("connkit.sqlite");
        let created = keyring(&store, None).unwrap();
        let file = default_key_file(&store);
        assert_eq!(mode(&file), 0o600);
        let read = keyring(&store, None).unwrap();
        assert_eq!(read.newest(), created.newest());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn a_key_file_others_can_read_or_write_is_refused_with_the_chmod_that_fixes_it() {
        let dir = scratch("modes");
        let store = dir.join("connkit.sqlite");
        let file = default_key_file(&store);
        for bits in [0o644, 0o640, 0o604, 0o620, 0o602, 0o666] {
            write_with_mode(&file, KEY_TEXT, bits);
            let problem = message(keyring(&store, None));
            assert_eq!(
                problem,
                format!(
                    "the key file {} can be read or written by others (mode {bits:04o}); run `chmod 600 {}`",
                    file.display(),
                    file.display()
                )
            );
            assert!(!problem.contains("BwcH"), "the key is never quoted");
        }
        write_with_mode(&file, KEY_TEXT, 0o600);
        assert_eq!(keyring(&store, None).unwrap().newest().as_str(), "k1");
        write_with_mode(&file, KEY_TEXT, 0o400);
        assert_eq!(keyring(&store, None).unwrap().newest().as_str(), "k1");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn a_symbolic_link_is_refused_dangling_or_not_and_nothing_is_created_through_it() {
        let dir = scratch("links");
        let store = dir.join("connkit.sqlite");
        let file = default_key_file(&store);
        // A link to a well-kept key file of someone's choosing.
        let planted = dir.join("planted.key");
        write_with_mode(&planted, KEY_TEXT, 0o600);
        std::os::unix::fs::symlink(&planted, &file).unwrap();
        let refused = format!(
            "the key file {} is a symbolic link; connkit reads a key file only where it lies: put the file itself there",
            file.display()
        );
        assert_eq!(message(keyring(&store, None)), refused);
        // A dangling link: refused the same way (it used to recurse until the stack overflowed),
        // and no key is written where it points.
        std::fs::remove_file(&file).unwrap();
        let target = dir.join("nowhere.key");
        std::os::unix::fs::symlink(&target, &file).unwrap();
        assert_eq!(message(keyring(&store, None)), refused);
        assert!(!target.exists());
        assert_eq!(message(keyring(&store, Some(&file))), refused);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn what_is_not_a_regular_file_is_refused() {
        let dir = scratch("not-a-file");
        let store = dir.join("connkit.sqlite");
        let file = default_key_file(&store);
        std::fs::create_dir(&file).unwrap();
        assert_eq!(
            message(keyring(&store, None)),
            format!("the key file {} is not a regular file", file.display())
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_checks_refuse_another_owner_and_a_large_file_and_quote_the_path_for_a_shell() {
        let path = Path::new("/srv/my store/it's.key");
        let good = Status {
            regular: true,
            owner: 1000,
            mode: 0o600,
            size: 60,
        };
        assert!(check(path, good, 1000, MAX_KEY_FILE).is_ok());
        let owner = check(path, good, 1001, MAX_KEY_FILE)
            .unwrap_err()
            .to_string();
        assert_eq!(
            owner,
            "the key file /srv/my store/it's.key belongs to uid 1000, not to the user running connkit (uid 1001); use a key file of your own, or have its owner run `chown 1001 '/srv/my store/it'\\''s.key'`"
        );
        let large = Status {
            size: 1 << 20,
            ..good
        };
        assert!(matches!(
            check(path, large, 1000, MAX_KEY_FILE),
            Err(KeyFileError::TooLarge { size, .. }) if size == 1 << 20
        ));
        let open = Status {
            mode: 0o660,
            ..good
        };
        assert!(
            check(path, open, 1000, MAX_KEY_FILE)
                .unwrap_err()
                .to_string()
                .ends_with("(mode 0660); run `chmod 600 '/srv/my store/it'\\''s.key'`")
        );
        assert_eq!(shell_quoted(Path::new("/tmp/a.key")), "/tmp/a.key");
    }

    /// As root (CI), a real file of another user is refused too.
    #[test]
    #[cfg(unix)]
    fn a_key_file_of_another_user_is_refused() {
        let dir = scratch("owner");
        let store = dir.join("connkit.sqlite");
        let file = default_key_file(&store);
        write_with_mode(&file, KEY_TEXT, 0o600);
        let me = rustix::process::geteuid().as_raw();
        if me == 0 {
            std::os::unix::fs::chown(&file, Some(65534), None).unwrap();
            assert!(
                message(keyring(&store, None))
                    .contains("belongs to uid 65534, not to the user running connkit (uid 0)")
            );
        } else {
            // Only root can give a file away; the same check, on the file's real status.
            let status = Status {
                regular: true,
                owner: me + 1,
                mode: 0o600,
                size: 60,
            };
            assert!(matches!(
                check(&file, status, me, MAX_KEY_FILE),
                Err(KeyFileError::Owner { owner, user, .. }) if owner == me + 1 && user == me
            ));
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

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
