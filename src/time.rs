//! Unix seconds to and from the text people read and write (RFC 3339, UTC),
//! without a calendar crate: `--at` parsing and timestamp display.

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2025-11-24 12:00:00Z`.
pub fn format_utc(secs: u64) -> String {
    let secs = secs.min(253_402_300_799) as i64; // 9999-12-31
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// A span of seconds in words: `3 days`, `5 hours`, `12 minutes`,
/// `1 second`.
pub fn format_span(secs: u64) -> String {
    match secs {
        s if s >= 86_400 * 2 => crate::plural::count(s / 86_400, "day", "days"),
        s if s >= 7200 => crate::plural::count(s / 3600, "hour", "hours"),
        s if s >= 120 => crate::plural::count(s / 60, "minute", "minutes"),
        s => crate::plural::count(s, "second", "seconds"),
    }
}

/// Parse Unix seconds or an RFC 3339 time (`2025-11-24T12:00:00Z`,
/// `2025-11-24 12:00:00+01:00`, or a bare date meaning midnight UTC).
pub fn parse_time(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().map_err(|_| format!("{t}: number too large"));
    }
    let err =
        || format!("'{t}' is neither Unix seconds nor an RFC 3339 time like 2025-11-24T12:00:00Z");
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
        t.get(r).and_then(|s| s.parse().ok()).ok_or_else(err)
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(err());
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)? as u32, num(8..10)? as u32);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return Err(err());
    }
    let mut secs = days_from_civil(y, mo, d) * 86_400;
    if b.len() > 10 {
        if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 {
            return Err(err());
        }
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || s > 60 {
            return Err(err());
        }
        secs += h * 3600 + mi * 60 + s;
        let mut rest = &t[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        match rest {
            "Z" | "z" | "" => {}
            off if off.len() == 6 && (off.starts_with('+') || off.starts_with('-')) => {
                let oh: i64 = off[1..3].parse().map_err(|_| err())?;
                let om: i64 = off[4..6].parse().map_err(|_| err())?;
                let o = oh * 3600 + om * 60;
                secs -= if off.starts_with('+') { o } else { -o };
            }
            _ => return Err(err()),
        }
    }
    u64::try_from(secs).map_err(|_| format!("'{t}' is before 1970"))
}

/// `2023-10-23 21:05Z`: a timestamp to the minute, for narrow columns.
pub fn format_utc_minutes(secs: u64) -> String {
    let full = format_utc(secs);
    format!("{}Z", &full[..full.len().min(16)])
}

/// A long span in words, in the largest unit that reads naturally:
/// `3 years`, `5 months`, then as [`format_span`].
pub fn format_age(secs: u64) -> String {
    const DAY: u64 = 86_400;
    match secs {
        s if s >= 730 * DAY => crate::plural::count(s / (365 * DAY), "year", "years"),
        s if s >= 365 * DAY => "1 year".to_string(),
        s if s >= 60 * DAY => crate::plural::count(s / (30 * DAY), "month", "months"),
        s => format_span(s),
    }
}

/// `t` seen from `now`: `3 years ago`, `in 2 days`, `now`.
pub fn relative(t: u64, now: u64) -> String {
    match t.cmp(&now) {
        std::cmp::Ordering::Less => format!("{} ago", format_age(now - t)),
        std::cmp::Ordering::Greater => format!("in {}", format_age(t - now)),
        std::cmp::Ordering::Equal => "now".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(parse_time("1700000000"), Ok(1_700_000_000));
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20Z");
        assert_eq!(parse_time("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert_eq!(parse_time("2023-11-14T23:13:20+01:00"), Ok(1_700_000_000));
        assert_eq!(parse_time("2000-02-29"), Ok(951_782_400));
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00Z");
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("2023-13-01").is_err());
    }

    #[test]
    fn spans_say_one_in_the_singular() {
        assert_eq!(format_span(0), "0 seconds");
        assert_eq!(format_span(1), "1 second");
        assert_eq!(format_span(59), "59 seconds");
        assert_eq!(format_span(119), "119 seconds");
        assert_eq!(format_span(120), "2 minutes");
        assert_eq!(format_span(7200), "2 hours");
        assert_eq!(format_span(2 * 86_400), "2 days");
    }

    #[test]
    fn ages_read_in_the_largest_natural_unit() {
        let day = 86_400;
        assert_eq!(format_utc_minutes(1_700_000_000), "2023-11-14 22:13Z");
        assert_eq!(
            relative(1_700_000_000 - 3 * 365 * day, 1_700_000_000),
            "3 years ago"
        );
        assert_eq!(
            relative(1_700_000_000 + 2 * day, 1_700_000_000),
            "in 2 days"
        );
        assert_eq!(relative(0, 400 * day), "1 year ago");
        assert_eq!(relative(0, 90 * day), "3 months ago");
        assert_eq!(relative(5, 5), "now");
    }
}
