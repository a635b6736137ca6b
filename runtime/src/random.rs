//! Randomness, in one place: every random byte connkit uses (the state and PKCE verifier of an
//! authorization, stored connections' ids, sealing keys and nonces) comes from the operating
//! system's CSPRNG through [`fill`], one system call per value.

use crate::oauth2::{RandomnessError, base64url};

/// Fills `bytes` from the operating system's CSPRNG.
pub(crate) fn fill(bytes: &mut [u8]) -> Result<(), RandomnessError> {
    getrandom::fill(bytes).map_err(RandomnessError)
}

/// `N` random bytes, in one call.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N], RandomnessError> {
    let mut bytes = [0u8; N];
    fill(&mut bytes)?;
    Ok(bytes)
}

/// `N` random bytes, base64url-encoded without padding.
pub(crate) fn base64url_of<const N: usize>() -> Result<String, RandomnessError> {
    bytes::<N>().map(|bytes| base64url(&bytes))
}
