use chrono::{DateTime, SecondsFormat, Utc};

/// The documented date format: ISO 8601 in UTC with milliseconds, `2025-01-15T16:30:00.000Z`.
pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn now() -> String {
    format(Utc::now())
}

/// ISO 8601 in UTC to the second, `2025-10-29T10:30:00Z` (CV Builder's documented dates).
pub fn format_seconds(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a documented date filter: a full ISO 8601 timestamp or a plain `YYYY-MM-DD` date
/// (the start of that day, UTC).
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_with_milliseconds_and_z() {
        let at = Utc.with_ymd_and_hms(2025, 1, 15, 16, 30, 0).unwrap();
        assert_eq!(format(at), "2025-01-15T16:30:00.000Z");
        assert_eq!(format_seconds(at), "2025-01-15T16:30:00Z");
    }

    #[test]
    fn parses_dates_and_timestamps() {
        let day = parse_date("2025-10-01").unwrap();
        assert_eq!(format(day), "2025-10-01T00:00:00.000Z");
        let at = parse_date("2025-10-08T10:30:00.000Z").unwrap();
        assert_eq!(format(at), "2025-10-08T10:30:00.000Z");
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2025-13-01").is_none());
    }
}
