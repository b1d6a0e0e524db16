//! When the message was delivered, and what that says about a signature
//! that fails only on time: archived mail is checked "now", but a receiver
//! checked it on arrival. A signature whose `x=` passed after delivery was
//! valid when it mattered (`expired-after-delivery`); the RFC result stays
//! what "now" gives, and the report says both.

use super::trust::ReceivingSide;
use crate::dkim::codes::{Diagnosis, Finding, Status, Step};
use crate::dkim::localize::{Evidence, LocalizedFinding};
use crate::dkim::verify::SignatureCheck;

/// The delivery time: the receiving side's topmost readable Received date
/// (Unix seconds).
pub fn delivered_at(side: &ReceivingSide) -> Option<u64> {
    side.hops
        .iter()
        .find_map(|h| h.time)
        .and_then(|t| u64::try_from(t).ok())
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
