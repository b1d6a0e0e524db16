//! When the message was delivered, and what that says about a signature
//! that fails only on time: archived mail is checked "now", but a receiver
//! checked it on arrival. A signature whose `x=` passed after delivery was
//! valid when it mattered (`expired-after-delivery`); the RFC result stays
//! what "now" gives, and the report says both. `--at delivery` checks each
//! message as of its own delivery time instead.

use super::trust::{ReceivingSide, by_host, receiving_side};
use crate::dkim::codes::{Diagnosis, Finding, Status, Step, codes};
use crate::dkim::localize::{Evidence, LocalizedFinding};
use crate::dkim::verify::SignatureCheck;
use crate::message::Message;

/// `--at`: a fixed time, or each message's own delivery time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Unix seconds.
    Time(u64),
    /// [`delivered_at`] of each message.
    Delivery,
}

/// `--at`'s value: the word `delivery`, RFC 3339 or Unix seconds.
pub fn parse_at(text: &str) -> Result<At, String> {
    if text.trim().eq_ignore_ascii_case("delivery") {
        return Ok(At::Delivery);
    }
    crate::time::parse_time(text)
        .map(At::Time)
        .map_err(|e| format!("{e}; or the word delivery (each message's delivery time)"))
}

codes!(
    /// What "now" the checks of a report used: the real clock, `--at TIME`,
    /// `--at delivery` with the delivery time found, or `--at delivery`
    /// without one (checked now instead, and said so).
    AsOf {
        Now = "now",
        Time = "time",
        Delivery = "delivery",
        DeliveryUnknown = "delivery-unknown",
    }
);

/// When `msg` was delivered, and by which host, from its receiving side's
/// Received fields; else why it cannot be told.
pub fn delivery_of(msg: &Message) -> Result<(u64, String), &'static str> {
    let (hops, _) = crate::received::chain(msg);
    if hops.is_empty() {
        return Err("the message has no Received field");
    }
    delivery(&receiving_side(&hops))
        .map(|(t, h)| (t, by_host(h)))
        .ok_or("no Received field of the receiving side has a readable date")
}

/// The delivery time: the receiving side's topmost readable Received date
/// (Unix seconds).
pub fn delivered_at(side: &ReceivingSide) -> Option<u64> {
    delivery(side).map(|(t, _)| t)
}

/// The receiving side's topmost Received field with a readable date, and
/// that date.
fn delivery<'a>(side: &ReceivingSide<'a>) -> Option<(u64, &'a crate::received::Hop)> {
    let h = side.hops.iter().find(|h| h.time.is_some())?;
    Some((u64::try_from(h.time?).ok()?, h))
}

/// True when `c` fails on time only because its `x=` passed after
/// `delivered`: sig-expired decided it, and no other step failed, except a
/// key that could not be fetched (then the rest is unchecked, but expiry is
/// still not what to fix).
pub fn expired_after_delivery(c: &SignatureCheck, delivered: u64) -> bool {
    c.diagnosis == Diagnosis::SigExpired
        && c.sig.x.is_some_and(|x| x >= delivered)
        && c.steps
            .iter()
            .filter(|s| !matches!(s.step, Step::Tags | Step::Verdict))
            .all(|s| s.status != Status::Fail || s.step == Step::Key && key_unavailable(c))
}

/// The key step failed only because the key could not be fetched
/// (offline without it, or a DNS error): nothing is known against it.
fn key_unavailable(c: &SignatureCheck) -> bool {
    c.outcome(Step::Key).is_some_and(|o| {
        !o.candidates.is_empty()
            && o.candidates.iter().all(|k| {
                matches!(
                    k.diagnosis,
                    Diagnosis::KeyOfflineMissing | Diagnosis::KeyDnsError
                )
            })
    })
}

/// Add the `expired-after-delivery` finding to `c` when it applies.
pub fn note_expiry(c: &mut SignatureCheck, delivered: Option<u64>) {
    let (Some(at), Some(x)) = (delivered, c.sig.x) else {
        return;
    };
    if !expired_after_delivery(c, at) {
        return;
    }
    c.findings.push(LocalizedFinding {
        code: Finding::ExpiredAfterDelivery,
        detail: format!(
            "{} when delivered at {}; x= ({}) passed {} later{}",
            if key_unavailable(c) {
                "not yet expired"
            } else {
                "valid"
            },
            crate::time::format_utc(at),
            crate::time::format_utc(x),
            crate::time::format_span(x - at),
            if key_unavailable(c) {
                "; the key could not be fetched, so the signature itself is unchecked"
            } else {
                ""
            }
        ),
        evidence: Evidence::None,
        tried: Vec::new(),
        budget_stopped: false,
    });
}

/// Whether `c` carries the `expired-after-delivery` finding (its expiry is
/// not what to fix).
pub fn expired_later(c: &SignatureCheck) -> bool {
    c.findings
        .iter()
        .any(|f| f.code == Finding::ExpiredAfterDelivery)
}

/// Whether `c` was valid when delivered: it expired later, and everything
/// else verified.
pub fn valid_at_delivery(c: &SignatureCheck) -> bool {
    expired_later(c) && c.crypto == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_takes_a_time_or_the_word_delivery() {
        assert_eq!(parse_at("delivery"), Ok(At::Delivery));
        assert_eq!(parse_at("Delivery"), Ok(At::Delivery));
        assert_eq!(parse_at("1700000000"), Ok(At::Time(1_700_000_000)));
        assert_eq!(
            parse_at("2023-11-14T22:13:20Z"),
            Ok(At::Time(1_700_000_000))
        );
        let e = parse_at("deliver").unwrap_err();
        assert!(e.contains("the word delivery"), "{e}");
    }

    #[test]
    fn delivery_is_the_receiving_sides_topmost_date() {
        let msg = crate::message::parse(
            b"Received: from mx.example.net by store.example.net with LMTP id 2;\r\n Mon, 24 Nov 2025 12:00:09 +0000\r\n\
Received: from out.example.org (out.example.org [192.0.2.1]) by mx.example.net with ESMTPS id 1;\r\n Mon, 24 Nov 2025 12:00:05 +0000\r\n\
Received: by out.example.org id 0; Mon, 24 Nov 2025 12:00:00 +0000\r\n\
From: a@example.org\r\n\r\nbody\r\n"
                .to_vec(),
        );
        assert_eq!(
            delivery_of(&msg),
            Ok((1_763_985_609, "store.example.net".to_string()))
        );
        let sent = crate::message::parse(b"From: a@example.org\r\n\r\nbody\r\n".to_vec());
        assert_eq!(delivery_of(&sent), Err("the message has no Received field"));
        let unreadable = crate::message::parse(
            b"Received: from a.example by mx.example.net id 1; yesterday\r\nFrom: a@example.org\r\n\r\nb\r\n"
                .to_vec(),
        );
        assert!(
            delivery_of(&unreadable)
                .unwrap_err()
                .contains("readable date")
        );
    }
}
