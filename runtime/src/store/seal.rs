//! Sealing of stored secrets: AES-256-GCM (aws-lc-rs, already built by the default TLS stack)
//! with a fresh random nonce for every value, and the value's identity (connection, owner,
//! field) and the clear-text values bound to it ([`SealContext::bound`]) as associated data, so
//! that a ciphertext copied to another row or field does not open, and neither does a value
//! whose row had a bound column edited. Each sealed value names the key that sealed it; a
//! [`Keyring`] holds several keys at once, seals with the newest, and opens with any.

use core::fmt;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::oauth2::RandomnessError;

/// The format of a sealed value, first in its text form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// connkit 0.1.0's first format: the associated data is the connection id, owner and field
    /// only. Such values still open (and ignore [`SealContext::bound`]); nothing seals them
    /// any more, and [`Keyring::needs_reseal`] is true for them.
    V1,
    /// The associated data is the id, owner and field, then every bound value.
    V2,
}

impl Format {
    const fn tag(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2 => "v2",
        }
    }

    /// The bytes that start its associated data, so that it cannot collide with another use.
    const fn aad_tag(self) -> &'static [u8] {
        match self {
            Self::V1 => b"connkit-sealed-v1",
            Self::V2 => b"connkit-sealed-v2",
        }
    }

    fn parse(tag: &str) -> Option<Self> {
        match tag {
            "v1" => Some(Self::V1),
            "v2" => Some(Self::V2),
            _ => None,
        }
    }
}

/// A key id: 1 to 32 characters of `[A-Za-z0-9_-]`, stored beside each value it seals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyId(String);

impl KeyId {
    /// Checks and wraps a key id.
    ///
    /// # Errors
    /// [`SealError::InvalidKeyId`] for an empty, too long or oddly spelled id.
    pub fn new(id: impl Into<String>) -> Result<Self, SealError> {
        let id = id.into();
        let valid = (1..=32).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if valid {
            Ok(Self(id))
        } else {
            Err(SealError::InvalidKeyId)
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 256-bit sealing key and its id. `Debug` shows the id only.
pub struct SealingKey {
    id: KeyId,
    key: LessSafeKey,
}

impl SealingKey {
    /// A key from 32 bytes (say, read from a secrets manager).
    ///
    /// # Errors
    /// [`SealError::InvalidKeyId`].
    pub fn from_bytes(id: &str, bytes: &[u8; 32]) -> Result<Self, SealError> {
        let id = KeyId::new(id)?;
        // 32 bytes is AES-256-GCM's key length, so this cannot fail.
        let unbound = UnboundKey::new(&AES_256_GCM, bytes).map_err(|_| SealError::InvalidKey)?;
        Ok(Self {
            id,
            key: LessSafeKey::new(unbound),
        })
    }

    /// A fresh random key from the operating system's CSPRNG; returns its bytes too, for you to
    /// keep where keys are kept. They are shown nowhere else.
    ///
    /// # Errors
    /// [`SealError::InvalidKeyId`], or [`SealError::Randomness`].
    pub fn generate(id: &str) -> Result<(Self, [u8; 32]), SealError> {
        let mut bytes = [0u8; 32];
        crate::random::fill(&mut bytes).map_err(|_| SealError::Randomness)?;
        Ok((Self::from_bytes(id, &bytes)?, bytes))
    }

    /// The key's id.
    pub fn id(&self) -> &KeyId {
        &self.id
    }
}

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealingKey")
            .field("id", &self.id)
            .field("key", &"[redacted]")
            .finish()
    }
}

/// Where a sealed value belongs: it opens only there, and only while the values it is bound to
/// are unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Not `#[non_exhaustive]`: a caller spells out what a value is bound to, and a new field would
// change what is bound, which is a new sealing format, not an addition.
pub struct SealContext<'a> {
    /// The stored connection's id.
    pub connection_id: &'a str,
    /// The owner (tenant, workspace) of the connection.
    pub owner: &'a str,
    /// The field, such as `"token_set"`.
    pub field: &'a str,
    /// Further values kept in the clear beside the sealed one, in a fixed order, that must not
    /// change without the value being sealed again: the store binds a row's definition id,
    /// kind, status and scopes here, so that editing any of them makes the row refuse to open.
    pub bound: &'a [&'a str],
}

impl SealContext<'_> {
    /// The associated data: the format's tag, then each part with its length (and, from v2,
    /// the number of bound values), so that no two contexts give the same bytes.
    fn aad(&self, format: Format) -> Vec<u8> {
        let fixed = [self.connection_id, self.owner, self.field];
        let bound: &[&str] = match format {
            Format::V1 => &[],
            Format::V2 => self.bound,
        };
        let length = fixed
            .iter()
            .chain(bound)
            .map(|part| 8 + part.len())
            .sum::<usize>();
        let mut aad = Vec::with_capacity(format.aad_tag().len() + 8 + length);
        aad.extend_from_slice(format.aad_tag());
        for part in fixed {
            aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
            aad.extend_from_slice(part.as_bytes());
        }
        if format == Format::V2 {
            aad.extend_from_slice(&(bound.len() as u64).to_be_bytes());
            for part in bound {
                aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
                aad.extend_from_slice(part.as_bytes());
            }
        }
        aad
    }
}

/// A sealed value: its format, the key id, the nonce and the ciphertext with its tag. Its text
/// form, `v2.<key id>.<nonce>.<ciphertext>` (base64url), is what a store keeps (`v1.` for a
/// value sealed by connkit 0.1.0, which bound fewer columns).
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    format: Format,
    key_id: KeyId,
    nonce: [u8; NONCE_LEN],
    ciphertext: Vec<u8>,
}

impl Sealed {
    /// The id of the key that sealed it.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// Whether it was sealed in connkit 0.1.0's first format, whose associated data left out
    /// [`SealContext::bound`]: such a value opens whatever the bound values are, until it is
    /// sealed again ([`Keyring::needs_reseal`]).
    pub fn is_legacy(&self) -> bool {
        self.format == Format::V1
    }

    /// The text form a store keeps.
    pub fn to_text(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.format.tag(),
            self.key_id,
            URL_SAFE_NO_PAD.encode(self.nonce),
            URL_SAFE_NO_PAD.encode(&self.ciphertext)
        )
    }

    /// Reads the text form.
    ///
    /// # Errors
    /// [`SealError::Malformed`] for anything [`to_text`](Self::to_text) does not write.
    pub fn from_text(text: &str) -> Result<Self, SealError> {
        let mut parts = text.split('.');
        let (Some(format), Some(key_id), Some(nonce), Some(ciphertext), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(SealError::Malformed);
        };
        let format = Format::parse(format).ok_or(SealError::Malformed)?;
        let key_id = KeyId::new(key_id).map_err(|_| SealError::Malformed)?;
        let nonce: [u8; NONCE_LEN] = URL_SAFE_NO_PAD
            .decode(nonce)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(SealError::Malformed)?;
        let ciphertext = URL_SAFE_NO_PAD
            .decode(ciphertext)
            .map_err(|_| SealError::Malformed)?;
        if ciphertext.len() < AES_256_GCM.tag_len() {
            return Err(SealError::Malformed);
        }
        Ok(Self {
            format,
            key_id,
            nonce,
            ciphertext,
        })
    }
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("format", &self.format.tag())
            .field("key_id", &self.key_id)
            .field("len", &self.ciphertext.len())
            .finish()
    }
}

/// Why a value could not be sealed or opened. No variant carries a key or a plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The value names a key the keyring does not hold.
    #[error("the value was sealed with key {key_id}, which the keyring does not hold")]
    UnknownKey {
        /// The key it names.
        key_id: KeyId,
    },
    /// Authentication failed: the value was changed, belongs to another connection, owner or
    /// field, or a value bound to it (a stored row's definition, kind, status or scopes) was
    /// edited.
    #[error(
        "the sealed value does not open: it or a column bound to it was tampered with, or it belongs elsewhere"
    )]
    Tampered,
    /// The stored text is not a sealed value.
    #[error("the stored text is not a sealed value")]
    Malformed,
    /// A key id is empty, longer than 32 characters, or not `[A-Za-z0-9_-]`.
    #[error("a key id is 1 to 32 characters of letters, digits, '_' and '-'")]
    InvalidKeyId,
    /// Key material of the wrong length.
    #[error("a sealing key is 32 bytes")]
    InvalidKey,
    /// Two keys of a keyring have one id.
    #[error("the keyring holds two keys with the id {key_id}")]
    DuplicateKeyId {
        /// The id.
        key_id: KeyId,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Randomness,
}

impl From<RandomnessError> for SealError {
    fn from(_: RandomnessError) -> Self {
        Self::Randomness
    }
}

/// The keys a store seals and opens with: the newest seals, any opens. Rotating is adding a new
/// key as the newest and re-sealing what the older ones sealed, then dropping them.
///
/// ```
/// use connkit::store::{Keyring, SealContext, SealingKey};
///
/// let old = SealingKey::from_bytes("2026-01", &[1; 32])?;
/// let context = SealContext {
///     connection_id: "c1", owner: "workspace-7", field: "token_set", bound: &["active"],
/// };
/// let sealed = Keyring::new(old).seal(b"refresh-token", context)?;
///
/// // Later: a new key seals, the old one still opens.
/// let keyring = Keyring::new(SealingKey::from_bytes("2026-06", &[2; 32])?)
///     .with_older(SealingKey::from_bytes("2026-01", &[1; 32])?)?;
/// assert_eq!(keyring.open(&sealed, context)?, b"refresh-token");
/// assert!(keyring.needs_reseal(&sealed));
/// // Elsewhere, or with a bound value changed, it does not open.
/// assert!(keyring.open(&sealed, SealContext { owner: "workspace-8", ..context }).is_err());
/// assert!(keyring.open(&sealed, SealContext { bound: &["revoked"], ..context }).is_err());
/// # Ok::<(), connkit::store::SealError>(())
/// ```
#[derive(Debug)]
pub struct Keyring {
    /// The newest first.
    keys: Vec<SealingKey>,
}

impl Keyring {
    /// A keyring whose newest key is `newest`.
    pub fn new(newest: SealingKey) -> Self {
        Self { keys: vec![newest] }
    }

    /// Adds an older key, which opens what it sealed but seals nothing new.
    ///
    /// # Errors
    /// [`SealError::DuplicateKeyId`] when the keyring holds a key with its id.
    pub fn with_older(mut self, key: SealingKey) -> Result<Self, SealError> {
        if self.keys.iter().any(|held| held.id == key.id) {
            return Err(SealError::DuplicateKeyId { key_id: key.id });
        }
        self.keys.push(key);
        Ok(self)
    }

    /// The id of the key that seals.
    pub fn newest(&self) -> &KeyId {
        &self.keys[0].id
    }

    /// Seals `plaintext` for `context` with the newest key and a fresh random nonce.
    ///
    /// # Errors
    /// [`SealError::Randomness`].
    pub fn seal(&self, plaintext: &[u8], context: SealContext<'_>) -> Result<Sealed, SealError> {
        self.seal_in(Format::V2, plaintext, context)
    }

    fn seal_in(
        &self,
        format: Format,
        plaintext: &[u8],
        context: SealContext<'_>,
    ) -> Result<Sealed, SealError> {
        let key = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        crate::random::fill(&mut nonce).map_err(|_| SealError::Randomness)?;
        let mut ciphertext = plaintext.to_vec();
        key.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.aad(format)),
                &mut ciphertext,
            )
            .map_err(|_| SealError::Tampered)?;
        Ok(Sealed {
            format,
            key_id: key.id.clone(),
            nonce,
            ciphertext,
        })
    }

    /// Opens `sealed` if it was sealed for `context` by a key of this keyring. A value in the
    /// legacy format ([`Sealed::is_legacy`]) is checked against the id, owner and field only.
    ///
    /// # Errors
    /// [`SealError::UnknownKey`], or [`SealError::Tampered`] when it does not authenticate.
    pub fn open(&self, sealed: &Sealed, context: SealContext<'_>) -> Result<Vec<u8>, SealError> {
        let key = self
            .keys
            .iter()
            .find(|key| key.id == sealed.key_id)
            .ok_or_else(|| SealError::UnknownKey {
                key_id: sealed.key_id.clone(),
            })?;
        let mut buffer = sealed.ciphertext.clone();
        let plaintext = key
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(sealed.nonce),
                Aad::from(context.aad(sealed.format)),
                &mut buffer,
            )
            .map_err(|_| SealError::Tampered)?;
        Ok(plaintext.to_vec())
    }

    /// Whether `sealed` was sealed by another key than the newest, or in the legacy format
    /// (key rotation re-seals it).
    pub fn needs_reseal(&self, sealed: &Sealed) -> bool {
        sealed.key_id != self.keys[0].id || sealed.is_legacy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> SealContext<'static> {
        SealContext {
            connection_id: "conn-1",
            owner: "owner-1",
            field: "token_set",
            bound: &["acme_connection_oauth2", "oauth2", "active", "read write"],
        }
    }

    fn key(id: &str, byte: u8) -> SealingKey {
        SealingKey::from_bytes(id, &[byte; 32]).unwrap()
    }

    #[test]
    fn a_value_opens_where_it_was_sealed_and_nowhere_else() {
        let keyring = Keyring::new(key("k1", 7));
        let sealed = keyring.seal(b"secret", context()).unwrap();
        assert_eq!(keyring.open(&sealed, context()).unwrap(), b"secret");
        for elsewhere in [
            SealContext {
                connection_id: "conn-2",
                ..context()
            },
            SealContext {
                owner: "owner-2",
                ..context()
            },
            SealContext {
                field: "metadata",
                ..context()
            },
            // Parts are length-prefixed: moving bytes between them changes the data.
            SealContext {
                connection_id: "conn-1o",
                owner: "wner-1",
                ..context()
            },
            // Each bound value, changed, dropped, added to or moved, does not open.
            SealContext {
                bound: &["other_connection_oauth2", "oauth2", "active", "read write"],
                ..context()
            },
            SealContext {
                bound: &["acme_connection_oauth2", "oauth2", "revoked", "read write"],
                ..context()
            },
            SealContext {
                bound: &[
                    "acme_connection_oauth2",
                    "oauth2",
                    "active",
                    "read write admin",
                ],
                ..context()
            },
            SealContext {
                bound: &["acme_connection_oauth2", "oauth2", "active"],
                ..context()
            },
            SealContext {
                bound: &[
                    "acme_connection_oauth2",
                    "oauth2",
                    "active",
                    "read write",
                    "",
                ],
                ..context()
            },
            SealContext {
                bound: &["acme_connection_oauth2", "oauth2", "activeread write", ""],
                ..context()
            },
        ] {
            assert_eq!(
                keyring.open(&sealed, elsewhere),
                Err(SealError::Tampered),
                "{elsewhere:?}"
            );
        }
    }

    #[test]
    fn a_legacy_value_opens_unbound_and_needs_a_reseal() {
        let keyring = Keyring::new(key("k1", 7));
        let legacy = keyring.seal_in(Format::V1, b"secret", context()).unwrap();
        assert!(legacy.to_text().starts_with("v1.k1."));
        let read = Sealed::from_text(&legacy.to_text()).unwrap();
        assert_eq!(read, legacy);
        assert!(read.is_legacy());
        // What v1 bound still holds; what it did not is not checked.
        assert_eq!(keyring.open(&read, context()).unwrap(), b"secret");
        let edited = SealContext {
            bound: &["other_connection_oauth2"],
            ..context()
        };
        assert_eq!(keyring.open(&read, edited).unwrap(), b"secret");
        let moved = SealContext {
            owner: "owner-2",
            ..context()
        };
        assert_eq!(keyring.open(&read, moved), Err(SealError::Tampered));
        // The newest key sealed it, and still it is re-sealed, as v2.
        assert!(keyring.needs_reseal(&read));
        let resealed = keyring.seal(b"secret", context()).unwrap();
        assert!(resealed.to_text().starts_with("v2.k1."));
        assert!(!resealed.is_legacy() && !keyring.needs_reseal(&resealed));
        // A value sealed as v2 does not open if its text claims v1, nor the other way round.
        let downgraded = resealed.to_text().replacen("v2.", "v1.", 1);
        let downgraded = Sealed::from_text(&downgraded).unwrap();
        assert_eq!(
            keyring.open(&downgraded, context()),
            Err(SealError::Tampered)
        );
        let upgraded = legacy.to_text().replacen("v1.", "v2.", 1);
        let upgraded = Sealed::from_text(&upgraded).unwrap();
        assert_eq!(keyring.open(&upgraded, context()), Err(SealError::Tampered));
    }

    #[test]
    fn every_seal_has_a_fresh_nonce() {
        let keyring = Keyring::new(key("k1", 7));
        let a = keyring.seal(b"same", context()).unwrap();
        let b = keyring.seal(b"same", context()).unwrap();
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn tampering_is_a_typed_error_never_a_panic() {
        let keyring = Keyring::new(key("k1", 7));
        let sealed = keyring.seal(b"secret", context()).unwrap();
        let text = sealed.to_text();
        assert_eq!(Sealed::from_text(&text).unwrap(), sealed);
        // Every single-byte change of the text either fails to read or fails to open.
        for index in 0..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[index] = if bytes[index] == b'A' { b'B' } else { b'A' };
            let Ok(changed) = String::from_utf8(bytes) else {
                continue;
            };
            if changed == text {
                continue;
            }
            match Sealed::from_text(&changed) {
                Err(error) => assert!(
                    matches!(error, SealError::Malformed),
                    "{changed}: {error:?}"
                ),
                Ok(sealed) => assert!(
                    keyring.open(&sealed, context()).is_err(),
                    "{changed} opened"
                ),
            }
        }
        for garbage in [
            "",
            "v1",
            "v1...",
            "v3.k1.AAAA.AAAA",
            "v1.k1.!!.AAAA",
            "v1.k1.AAAA.AAAA.x",
        ] {
            assert_eq!(
                Sealed::from_text(garbage),
                Err(SealError::Malformed),
                "{garbage}"
            );
        }
    }

    #[test]
    fn rotation_opens_with_any_key_and_seals_with_the_newest() {
        let old = Keyring::new(key("old", 1));
        let sealed = old.seal(b"secret", context()).unwrap();
        let rotated = Keyring::new(key("new", 2))
            .with_older(key("old", 1))
            .unwrap();
        assert_eq!(rotated.open(&sealed, context()).unwrap(), b"secret");
        assert!(rotated.needs_reseal(&sealed));
        let resealed = rotated.seal(b"secret", context()).unwrap();
        assert_eq!(resealed.key_id().as_str(), "new");
        assert!(!rotated.needs_reseal(&resealed));
        // Once the old key is dropped, what it sealed is a typed error.
        let new_only = Keyring::new(key("new", 2));
        assert_eq!(
            new_only.open(&sealed, context()),
            Err(SealError::UnknownKey {
                key_id: KeyId::new("old").unwrap()
            })
        );
        assert!(matches!(
            Keyring::new(key("a", 1)).with_older(key("a", 2)),
            Err(SealError::DuplicateKeyId { .. })
        ));
    }

    #[test]
    fn keys_and_sealed_values_show_no_secret() {
        let (generated, bytes) = SealingKey::generate("k2").unwrap();
        let keyring = Keyring::new(generated);
        let sealed = keyring.seal(b"plain-secret", context()).unwrap();
        let debug = format!("{keyring:?} {sealed:?}");
        assert!(!debug.contains("plain-secret"));
        assert!(!debug.contains(&format!("{bytes:?}")));
        assert!(!sealed.to_text().contains("plain-secret"));
        for invalid in ["", "has space", "a.b", &"x".repeat(33)] {
            assert!(KeyId::new(invalid).is_err(), "{invalid:?}");
        }
    }
}
