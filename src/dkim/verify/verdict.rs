//! The verdict, decided in one place: every step proposes diagnoses, and
//! the one that decides the result is the first of [`PRECEDENCE`] that any
//! step proposed. The trace is written here too, last, once localization
//! has said what changed and every warning (alignment included) is known.

use super::{Candidate, SigKind, SignatureCheck, TraceStep, Verified};
use crate::dkim::codes::{Diagnosis, Outcome, Status, Step, Warning};
use crate::dkim::localize::{Evidence, Localized};

/// Which diagnosis wins when several steps found a problem, first first.
/// The signature's own tag list comes before anything learned from DNS (a
/// malformed or expired signature is not worth a key), the key before the
/// hashes, and RFC 8301's rules (SHA-1, short keys) before the hashes so a
/// signature that could never be valid is not called "changed in transit".
pub const PRECEDENCE: &[Diagnosis] = &[
    // tags (RFC 6376 §3.5, §6.1.1)
    Diagnosis::SigMalformed,
    Diagnosis::SigMissingTag,
    Diagnosis::SigBadVersion,
    Diagnosis::SigUnknownAlgorithm,
    Diagnosis::SigFromNotSigned,
    Diagnosis::SigIdentityMismatch,
    Diagnosis::SigExpired,
    // key (RFC 6376 §6.1.2, §3.6.1)
    Diagnosis::KeyNotFound,
    Diagnosis::KeyCnameDangling,
    Diagnosis::KeyDnsError,
    Diagnosis::KeyOfflineMissing,
    Diagnosis::KeyRevoked,
    Diagnosis::KeyMalformed,
    Diagnosis::KeyAlgorithmMismatch,
    Diagnosis::KeyHashNotAllowed,
    Diagnosis::KeyServiceMismatch,
    Diagnosis::KeyStrictSubdomain,
    // RFC 8301
    Diagnosis::SigSha1,
    Diagnosis::KeyTooShort,
    // hashes (RFC 6376 §6.1.3)
    Diagnosis::BodyHashMismatch,
    Diagnosis::SignatureMismatch,
];

/// The winning candidate among every step's, by [`PRECEDENCE`]; a
/// candidate whose diagnosis the table lacks ranks after all of it.
pub fn decide(v: &Verified) -> Option<&Candidate> {
    let rank = |c: &Candidate| {
        PRECEDENCE
            .iter()
            .position(|d| *d == c.diagnosis)
            .unwrap_or(PRECEDENCE.len())
    };
    v.outcomes
        .iter()
        .flat_map(|o| o.candidates.iter())
        .enumerate()
        .min_by_key(|(n, c)| (rank(c), *n))
        .map(|(_, c)| c)
}

/// The result `v` will have, known before the trace is written (warnings
/// never change it): what DMARC needs from each signature.
pub fn result(v: &Verified) -> Outcome {
    match decide(v) {
        Some(c) => c.diagnosis.outcome(),
        None => default_verdict(v).0.outcome(),
    }
}

/// When no step found a problem: a pass, with or without the body.
fn default_verdict(v: &Verified) -> (Diagnosis, String) {
    match (&v.body_unavailable, v.crypto) {
        (Some(why), Some(true)) => (
            Diagnosis::HeadersOnlyPass,
            format!("the header signature verifies; body not checked: {why}"),
        ),
        (None, Some(true)) => (Diagnosis::Pass, "body hash and signature verify".into()),
        _ => (
            Diagnosis::SigMalformed,
            "the signature could not be checked".into(),
        ),
    }
}

/// Why an rsa-sha1 signature is refused, saying whether it would verify:
/// a signature that is cryptographically sound is refused for its
/// algorithm alone (RFC 8301), one that does not verify fails twice.
fn sha1_reason(v: &Verified) -> String {
    const RFC: &str = "rsa-sha1 is not accepted since RFC 8301 (§3.1)";
    let body_ok = v.body.as_ref().is_some_and(|b| b.matches) || v.body_unavailable.is_some();
    match v.crypto {
        Some(true) if body_ok => {
            let headers_only = if v.body_unavailable.is_some() {
                " over the headers (body not supplied)"
            } else {
                ""
            };
            format!("a=rsa-sha1: the signature verifies{headers_only}, but {RFC}")
        }
        Some(_) => format!(
            "a=rsa-sha1: {RFC}, and the signature does not verify either ({})",
            if v.body_mismatch() {
                "the body hash does not match"
            } else {
                "b= does not verify"
            }
        ),
        None => format!("a=rsa-sha1: {RFC} (the signature could not be checked)"),
    }
}

/// Decide the verdict of `v` and write its trace, with what localization
/// found and the warnings of later stages (`more_warnings`, after the
/// steps' own).
pub fn finish(
    v: Verified,
    localized: Localized,
    more_warnings: Vec<(Warning, String)>,
) -> SignatureCheck {
    let (diagnosis, reason) = match decide(&v) {
        Some(c) if c.diagnosis == Diagnosis::SigSha1 => (c.diagnosis, sha1_reason(&v)),
        Some(c) => (c.diagnosis, c.reason.clone()),
        None => default_verdict(&v),
    };
    let step_findings = [
        (
            Step::Body,
            localized.body.as_ref().map(|f| (f.code, f.detail.clone())),
        ),
        (
            Step::Signature,
            localized
                .headers
                .as_ref()
                .map(|f| (f.code, f.detail.clone())),
        ),
    ];
    let findings = localized.into_vec();
    let reason = match findings.iter().find(|f| f.evidence != Evidence::None) {
        Some(f) => format!("{reason}; most likely {}", f.detail),
        None => reason,
    };
    let mut warnings = v.step_warnings.clone();
    warnings.extend(more_warnings);
    let result = diagnosis.outcome();

    let mut steps: Vec<TraceStep> = v
        .outcomes
        .iter()
        .map(|o| {
            let found = step_findings
                .iter()
                .find(|(step, _)| *step == o.step)
                .and_then(|(_, f)| f.as_ref());
            let detail = match found {
                Some((code, what)) if o.status == Status::Fail => {
                    format!("{}; {code}: {what}", o.detail)
                }
                _ => o.detail.clone(),
            };
            TraceStep {
                step: o.step,
                status: o.status,
                detail,
            }
        })
        .collect();
    let word = match v.kind {
        SigKind::Dkim => "dkim",
        SigKind::Ams(_) => "ams",
    };
    steps.push(TraceStep {
        step: Step::Verdict,
        status: match result {
            Outcome::Pass if warnings.is_empty() => Status::Ok,
            Outcome::Pass => Status::Warn,
            _ => Status::Fail,
        },
        detail: format!("{word}={result} ({diagnosis}): {reason}"),
    });
    SignatureCheck {
        verified: v,
        steps,
        result,
        diagnosis,
        reason,
        warnings,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failing_diagnosis_has_one_place_in_the_table() {
        for d in Diagnosis::ALL {
            let n = PRECEDENCE.iter().filter(|p| *p == d).count();
            let decided_by_a_step = !matches!(
                d,
                Diagnosis::Pass | Diagnosis::HeadersOnlyPass | Diagnosis::NoSignature
            );
            assert_eq!(n, usize::from(decided_by_a_step), "{d}");
        }
    }

    #[test]
    fn tags_before_key_before_rfc8301_before_hashes() {
        let at = |d| PRECEDENCE.iter().position(|p| *p == d);
        assert!(at(Diagnosis::SigExpired) < at(Diagnosis::KeyNotFound));
        assert!(at(Diagnosis::KeyRevoked) < at(Diagnosis::SigSha1));
        assert!(at(Diagnosis::SigSha1) < at(Diagnosis::KeyTooShort));
        assert!(at(Diagnosis::KeyTooShort) < at(Diagnosis::BodyHashMismatch));
        assert!(at(Diagnosis::BodyHashMismatch) < at(Diagnosis::SignatureMismatch));
    }
}
