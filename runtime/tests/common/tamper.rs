//! Makes a stored row unreadable the way an attacker with write access to the database might.

use connkit::store::Backend;

/// Copies the sealed value of row `from` into row `into`, keeping `into`'s version. Sealed to
/// another connection id, it no longer opens there.
pub async fn swap_ciphertext<B: Backend>(backend: &B, from: &str, into: &str) {
    let donor = backend.get(from).await.unwrap().unwrap();
    let mut broken = backend.get(into).await.unwrap().unwrap();
    broken.sealed_tokens = donor.sealed_tokens;
    assert!(backend.update(&broken, broken.version).await.unwrap());
}
