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

/// True when `c` fails only because its `x=` passed after `delivered`:
/// sig-expired decided it, and no other step failed.
pub fn expired_after_delivery(c: &SignatureCheck, delivered: u64) -> bool {
    c.diagnosis == Diagnosis::SigExpired
        && c.sig.x.is_some_and(|x| x >= delivered)
        && c.steps
            .iter()
            .filter(|s| !matches!(s.step, Step::Tags | Step::Verdict))
            .all(|s| s.status != Status::Fail)
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
            "valid when delivered at {}; x= ({}) passed {} later",
            crate::time::format_utc(at),
            crate::time::format_utc(x),
            crate::time::format_span(x - at)
        ),
        evidence: Evidence::None,
        tried: Vec::new(),
        budget_stopped: false,
    });
}

/// Whether `c` carries the `expired-after-delivery` finding.
pub fn valid_at_delivery(c: &SignatureCheck) -> bool {
    c.findings
        .iter()
        .any(|f| f.code == Finding::ExpiredAfterDelivery)
}
