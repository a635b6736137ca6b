//! Shared by the runtime's integration tests.

// Each test binary uses a part of what is here.
#![allow(dead_code)]

#[cfg(feature = "store")]
pub mod counting;
pub mod fault_endpoint;
#[cfg(feature = "store")]
pub mod tamper;
pub mod traces;
