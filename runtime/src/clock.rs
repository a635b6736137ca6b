//! Time, in one place: the system clock connkit reads, and the conversions between
//! [`SystemTime`] and the Unix seconds and milliseconds that rows, tokens and cookies hold.
//!
//! A test that needs another time injects it above this module: a store reads its backend's
//! clock (`Backend::now_ms`; `MemoryBackend` on a `ManualClock` the test moves), and
//! `OAuth2Client` takes the time of each step in its `*_at` methods. Everything else reads
//! [`now`].

// The conversions for rows, leases and claims are the store's only.
#[cfg(feature = "store")]
use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

/// The system's time now.
pub(crate) fn now() -> SystemTime {
    SystemTime::now()
}

/// Whole Unix seconds of `time` (0 before 1970).
pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Unix milliseconds of `time` (negative before 1970, saturating past `i64`).
#[cfg(feature = "store")]
pub(crate) fn unix_ms(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

/// The time `seconds` after the Unix epoch (a stored column: a negative value, which connkit
/// never writes, reads as the epoch; one past what `SystemTime` holds, as its latest).
#[cfg(feature = "store")]
pub(crate) fn from_unix_seconds(seconds: i64) -> SystemTime {
    let seconds = u64::try_from(seconds).unwrap_or(0);
    UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .unwrap_or_else(|| UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX)) * 64)
}

/// The time now, in Unix milliseconds: this process's clock as a lease or a cookie counts it.
#[cfg(feature = "store")]
pub(crate) fn now_ms() -> i64 {
    unix_ms(now())
}

/// The time now, to the second: what a stored column keeps, so that a value written and the
/// same value read back are equal.
#[cfg(feature = "store")]
pub(crate) fn now_to_the_second() -> SystemTime {
    from_unix_seconds(to_unix_seconds(now()))
}

/// `time` as a stored column of Unix seconds.
#[cfg(feature = "store")]
pub(crate) fn to_unix_seconds(time: SystemTime) -> i64 {
    i64::try_from(unix_seconds(time)).unwrap_or(i64::MAX)
}

/// `duration` in whole milliseconds, for a lease.
#[cfg(feature = "store")]
pub(crate) fn milliseconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX / 2)
}

/// `duration` in whole seconds, rounded up, for a claim.
#[cfg(feature = "store")]
pub(crate) fn whole_seconds(duration: Duration) -> i64 {
    let seconds = duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0));
    i64::try_from(seconds).unwrap_or(i64::MAX / 2)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn seconds_of_a_time() {
        let time = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(unix_seconds(time), 1_700_000_000);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(5)), 0);
    }

    #[cfg(feature = "store")]
    #[test]
    fn conversions_round_trip_and_saturate() {
        let time = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(unix_ms(time), 1_700_000_000_123);
        assert_eq!(
            from_unix_seconds(to_unix_seconds(time)),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000)
        );
        assert_eq!(unix_ms(UNIX_EPOCH - Duration::from_millis(5)), -5);
        assert_eq!(from_unix_seconds(-1), UNIX_EPOCH);
        assert!(from_unix_seconds(i64::MAX) > time);
        assert_eq!(whole_seconds(Duration::from_millis(1_001)), 2);
        assert_eq!(milliseconds(Duration::MAX), i64::MAX / 2);
    }
}
