//! mail-auth's second opinion, sorted: a difference dkimscope knows and can
//! explain (mail-auth's words for a result, its real clock, a body that was
//! not supplied) is `expected`, said once with why; only the rest is a
//! disagreement worth a reader's attention.

use crate::dkim::codes::{Diagnosis, Outcome, Status, Step};
use crate::dkim::crosscheck::Opinion;
use crate::dkim::verify::SignatureCheck;

/// How mail-auth's verdict stands beside ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Second {
    Agrees,
    /// A known difference, and why.
    Expected(String),
    /// A difference nobody explained.
    Disagrees(String),
}

/// Sort mail-auth's verdict `theirs` beside `ours`; `now_is_real` is false
/// under `--at`, `headers_only` when the body was not supplied.
pub fn classify(
    ours: &SignatureCheck,
    theirs: &Opinion,
    now_is_real: bool,
    headers_only: bool,
) -> Second {
    if theirs.result == ours.result {
        return Second::Agrees;
    }
    let said = theirs.detail.to_ascii_lowercase();
    let about_body = said.contains("body hash");
    let body_step = ours.step(Step::Body).map(|s| s.status);
    // Expired by both clocks first: when --at and the real clock agree
    // that x= has passed, the clock is not the difference (and a replay
    // at the recorded time says what the live check said).
    let why = if ours.diagnosis == Diagnosis::SigExpired && theirs.result == Outcome::Neutral {
        Some("mail-auth calls an expired signature neutral; dkimscope says permerror")
    } else if !now_is_real && ours.sig.x.is_some() {
        Some("mail-auth checks x= against the real clock, not --at")
    } else if headers_only && about_body {
        Some(
            "headers only: mail-auth hashes the missing body, so its body hash cannot match; dkimscope checks the header signature alone",
        )
    } else if ours.diagnosis == Diagnosis::BodyHashMismatch && theirs.result == Outcome::Neutral {
        Some(
            "mail-auth calls a body hash mismatch neutral (RFC 6376 §6.3 allows it); dkimscope says fail, as receivers write it",
        )
    } else if ours.diagnosis == Diagnosis::SigSha1 && theirs.result == Outcome::Pass {
        Some("mail-auth still accepts rsa-sha1; RFC 8301 §3.1 does not, so dkimscope says policy")
    } else if ours.result == Outcome::TempError
        && about_body
        && matches!(body_step, Some(Status::Fail | Status::Skipped))
    {
        Some(
            "mail-auth checks the body hash before the key; dkimscope's key step, which could not be done, decides first",
        )
    } else {
        None
    };
    match why {
        Some(w) => Second::Expected(format!("mail-auth says {}: expected, {w}", theirs.result)),
        None => Second::Disagrees(format!(
            "mail-auth says {} ({}) where dkimscope says {} ({})",
            theirs.result,
            if theirs.detail.is_empty() {
                "no reason given"
            } else {
                &theirs.detail
            },
            ours.result,
            ours.diagnosis
        )),
    }
}
