//! Stored connections (feature `store`). This first part is sealing: how every secret a store
//! keeps is encrypted at rest, under keys that can rotate.

mod seal;

pub use seal::{KeyId, Keyring, SealContext, SealError, Sealed, SealingKey};
