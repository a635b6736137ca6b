//! The backend conformance suite on `MemoryBackend`, and its manual clock: leases and claims
//! run out when the clock is moved, not when time passes, and the store's clock follows it.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use connkit::store::testing::{self, Acme, keyring, tokens};
use connkit::store::{Backend, ManualClock, MemoryBackend, NewConnection, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_passes_every_check() {
    testing::every_check(|| async { MemoryBackend::new() }).await;
}

#[tokio::test]
async fn leases_and_claims_run_out_when_the_manual_clock_is_moved() {
    let clock = ManualClock::at_unix_ms(1_800_000_000_000);
    let store = Store::new(MemoryBackend::with_clock(clock.clone()), keyring())
        .with_clock_check(Duration::ZERO);
    let id = store
        .insert(NewConnection::new("owner", Acme::DEFINITION, tokens(None)))
        .await
        .unwrap()
        .id;
    let backend = store.backend();
    let minute = Duration::from_secs(60);
    assert!(backend.try_lease(&id, "a", minute).await.unwrap());
    clock.advance(Duration::from_secs(59));
    assert!(!backend.try_lease(&id, "b", minute).await.unwrap(), "held");
    clock.advance(Duration::from_secs(2));
    assert!(
        backend.try_lease(&id, "b", minute).await.unwrap(),
        "run out"
    );

    assert!(backend.claim("k", minute).await.unwrap());
    clock.advance(minute);
    assert!(
        !backend.claim("k", minute).await.unwrap(),
        "its last second"
    );
    clock.advance(Duration::from_secs(1));
    assert!(backend.claim("k", minute).await.unwrap(), "past");

    // The store's clock is the backend's, wherever this process's is.
    let read = |time: std::time::SystemTime| {
        time.duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    };
    let before = clock.unix_ms();
    let now = read(store.now().await);
    assert!((now - before).abs() < 1_000, "{now} {before}");
    clock.advance(Duration::from_secs(3_600));
    let later = read(store.now().await);
    assert!(
        (later - before - 3_600_000).abs() < 1_000,
        "{later} {before}"
    );
}
