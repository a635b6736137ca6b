//! Unix seconds as a UTC calendar date, for what the command line and the connect page show.

/// The year, month, day and seconds into the day of `unix` (Howard Hinnant's days-to-civil).
pub(crate) fn utc(unix: u64) -> (u64, u64, u64, u64) {
    let days = unix / 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day, unix % 86_400)
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc(0), (1970, 1, 1, 0));
        assert_eq!(utc(951_782_400), (2000, 2, 29, 0));
        assert_eq!(utc(1_795_996_799), (2026, 11, 29, 86_399));
    }
}
