//! Answers replayed from a keys file recorded on another day than the
//! check's "now": keys may have rotated in between, so the report says so.

use crate::dns::TxtLookup;

/// When the answers `lookups` used were recorded (the earliest `$RECORDED`
/// of the files that answered), with the sentence the report shows, if
/// that falls on another day (UTC) than `now`.
pub fn keys_recorded(lookups: &[TxtLookup], now: u64) -> Option<(u64, String)> {
    let recorded = lookups.iter().filter_map(|l| l.recorded).min()?;
    (recorded / 86_400 != now / 86_400).then(|| {
        (
            recorded,
            format!(
                "keys recorded {}; checking as of {}",
                day(recorded),
                day(now)
            ),
        )
    })
}

/// `2026-03-01`.
fn day(secs: u64) -> String {
    crate::time::format_utc(secs)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Answer, ServedBy};

    fn from_file(recorded: Option<u64>) -> TxtLookup {
        TxtLookup {
            query: "s._domainkey.example.com".into(),
            hops: Vec::new(),
            answer: Answer::NoData,
            served_by: ServedBy::KeysFile("rec.zone".into()),
            elapsed: std::time::Duration::ZERO,
            soa: None,
            recorded,
            dnssec: crate::dns::Dnssec::Unknown,
        }
    }

    const MAR_1: u64 = 1_772_359_200; // 2026-03-01T10:00:00Z
    const NOV_24: u64 = 1_763_985_600; // 2025-11-24T12:00:00Z

    #[test]
    fn another_day_is_said_the_same_day_is_not() {
        let l = [from_file(Some(MAR_1)), from_file(None)];
        assert_eq!(
            keys_recorded(&l, NOV_24),
            Some((
                MAR_1,
                "keys recorded 2026-03-01; checking as of 2025-11-24".into()
            ))
        );
        assert_eq!(keys_recorded(&l, MAR_1 + 3600 * 13), None);
        assert_eq!(
            keys_recorded(&l, MAR_1 + 3600 * 14).map(|r| r.0),
            Some(MAR_1)
        );
        assert_eq!(keys_recorded(&[from_file(None)], NOV_24), None);
    }
}
