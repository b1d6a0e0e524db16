//! One function per step of the trace (locate, tags, key, body, headers,
//! signature). Each reads what it needs and returns a [`StepOutcome`]: its
//! status, one line of finding, and the diagnoses it proposes. None of them
//! decides the verdict; [`super::verdict`] does.

use super::{BodyCheck, Candidate, SigKind, StepOutcome};
use crate::dkim::canon::BodyCache;
use crate::dkim::codes::{Diagnosis, Status, Step, Warning};
use crate::dkim::hashing::{HeaderHash, hash_headers, verify_crypto};
use crate::dkim::key::{KeyRecord, PublicKey};
use crate::dkim::key_check::{choose_key, key_fit, lookup_failure};
use crate::dkim::signature::{Algorithm, HashAlg, Signature};
use crate::dns::TxtLookup;
use crate::message::Message;
use crate::time::{format_span, format_utc};

/// A signature timestamp this far ahead of "now" is flagged.
const FUTURE_SLACK: u64 = 300;

fn outcome(step: Step, status: Status, detail: String) -> StepOutcome {
    StepOutcome {
        step,
        status,
        detail,
        candidates: Vec::new(),
    }
}

fn candidate(diagnosis: Diagnosis, reason: String) -> Candidate {
    Candidate { diagnosis, reason }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Step 1, locate: where the field is, folding preserved.
pub(super) fn locate(msg: &Message, kind: SigKind, index: usize, field: usize) -> StepOutcome {
    let h = &msg.headers[field];
    let lines = msg
        .field_bytes(h)
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .max(1);
    let what = match kind {
        SigKind::Dkim => format!("DKIM-Signature #{}", index + 1),
        SigKind::Ams(i) => format!("ARC-Message-Signature i={i}"),
    };
    outcome(
        Step::Locate,
        Status::Ok,
        format!(
            "{what} is header field {} of {} (bytes {}..{}, {} line{})",
            field + 1,
            msg.headers.len(),
            h.span.start,
            h.span.end,
            lines,
            plural(lines)
        ),
    )
}

/// Step 2, tags: the tag list's problems, expiry, timestamps, From signing, and
/// the algorithm's acceptability (RFC 8301).
pub(super) fn tags(
    msg: &Message,
    kind: SigKind,
    sig: &Signature,
    now: u64,
    warnings: &mut Vec<(Warning, String)>,
) -> StepOutcome {
    let mut failed: Option<Candidate> = sig
        .first_issue()
        .map(|issue| candidate(issue.code, issue.message.clone()));
    if failed.is_none()
        && let Some(x) = sig.x
        && x < now
    {
        failed = Some(candidate(
            Diagnosis::SigExpired,
            format!(
                "x= expired at {}, {} before {}",
                format_utc(x),
                format_span(now - x),
                format_utc(now)
            ),
        ));
    }
    if let Some(t) = sig.t
        && t > now.saturating_add(FUTURE_SLACK)
    {
        warnings.push((
            Warning::FutureTimestamp,
            format!(
                "t={} is {} after {}",
                format_utc(t),
                format_span(t - now),
                format_utc(now)
            ),
        ));
    }
    let froms_signed = sig
        .h
        .iter()
        .filter(|n| n.eq_ignore_ascii_case("from"))
        .count();
    if froms_signed > 0 && froms_signed <= msg.fields("from").count() {
        warnings.push((
            Warning::FromNotOversigned,
            "h= lists From only as often as it occurs: a second From could be added above without breaking the signature".into(),
        ));
    }
    let version = match kind {
        SigKind::Dkim => format!(
            "v={}",
            sig.tags.get("v").map(|v| v.text()).unwrap_or_default()
        ),
        SigKind::Ams(i) => format!("i={i}"),
    };
    let summary = format!(
        "{version} a={} c={}/{} d={} s={}, {} field name{} in h={}{}",
        sig.a,
        sig.header_canon.name(),
        sig.body_canon.name(),
        sig.d,
        sig.s,
        sig.h.len(),
        plural(sig.h.len()),
        sig.t
            .map(|t| format!(", signed {}", format_utc(t)))
            .unwrap_or_default(),
        sig.x
            .map(|x| format!(", expires {}", format_utc(x)))
            .unwrap_or_default(),
    );
    let mut out = match &failed {
        Some(c) => outcome(
            Step::Tags,
            Status::Fail,
            format!("{}: {}", c.diagnosis, c.reason),
        ),
        None if warnings.is_empty() => outcome(Step::Tags, Status::Ok, summary),
        None => outcome(Step::Tags, Status::Warn, summary),
    };
    out.candidates.extend(failed);
    if sig.algorithm == Some(Algorithm::RsaSha1) {
        out.candidates.push(candidate(
            Diagnosis::SigSha1,
            "a=rsa-sha1: SHA-1 signatures are no longer valid (RFC 8301 §3.1)".into(),
        ));
    }
    out
}

pub(super) struct KeyStep {
    pub outcome: StepOutcome,
    pub name: Option<String>,
    pub key: Option<KeyRecord>,
    pub record: Option<usize>,
}

/// Step 3, key: the answer at `s._domainkey.d`, which record is the key, whether
/// it fits the signature, and its strength (RFC 8301 §3.2).
pub(super) fn key(
    sig: &Signature,
    lookup: Option<&TxtLookup>,
    warnings: &mut Vec<(Warning, String)>,
) -> KeyStep {
    let name = (!sig.d.is_empty() && !sig.s.is_empty()).then(|| sig.key_name());
    let mut key = None;
    let mut record = None;
    let mut out = match (&name, lookup) {
        (None, _) => outcome(
            Step::Key,
            Status::Skipped,
            "no d= and s= to build the key name from".into(),
        ),
        (Some(name), None) => outcome(
            Step::Key,
            Status::Skipped,
            format!("{name} was not looked up"),
        ),
        (Some(_), Some(l)) => {
            if let Some((code, why)) = lookup_failure(l) {
                let mut o = outcome(Step::Key, Status::Fail, why.clone());
                o.candidates.push(candidate(code, why));
                o
            } else if let Some((i, k)) = choose_key(l) {
                let problem = k
                    .issues
                    .first()
                    .map(|iss| (iss.code, format!("{}: {}", l.query, iss.message)))
                    .or_else(|| key_fit(&k, sig));
                let o = if let Some((code, why)) = problem {
                    let mut o = outcome(Step::Key, Status::Fail, why.clone());
                    o.candidates.push(candidate(code, why));
                    o
                } else {
                    if k.testing() {
                        warnings.push((
                            Warning::TestingMode,
                            format!("{} has t=y: the domain says it is testing DKIM", l.query),
                        ));
                    }
                    let desc = k
                        .public
                        .as_ref()
                        .map(PublicKey::describe)
                        .unwrap_or_default();
                    let via = if l.hops.is_empty() {
                        String::new()
                    } else {
                        format!(" via {} CNAME hop{}", l.hops.len(), plural(l.hops.len()))
                    };
                    outcome(
                        Step::Key,
                        Status::Ok,
                        format!("{desc} key at {}{via}", l.query),
                    )
                };
                record = Some(i);
                key = Some(k);
                o
            } else {
                let why = format!("{} holds no TXT record", l.query);
                let mut o = outcome(Step::Key, Status::Fail, why.clone());
                o.candidates.push(candidate(Diagnosis::KeyNotFound, why));
                o
            }
        }
    };
    if let Some(PublicKey::Rsa { bits, .. }) = key.as_ref().and_then(|k| k.public.as_ref()) {
        if *bits < 1024 {
            out.candidates.push(candidate(
                Diagnosis::KeyTooShort,
                format!("the RSA key has {bits} bits; RFC 8301 §3.2 requires at least 1024"),
            ));
        } else if *bits < 2048 {
            warnings.push((
                Warning::WeakKey1024,
                format!(
                    "the RSA key has {bits} bits; 2048 is the recommended minimum (RFC 8301 §3.2)"
                ),
            ));
        }
    }
    KeyStep {
        outcome: out,
        name,
        key,
        record,
    }
}

pub(super) struct BodyStep {
    pub outcome: StepOutcome,
    pub check: Option<BodyCheck>,
    pub unavailable: Option<String>,
}

/// Step 4, body: the canonical body's hash against bh=, with the l= cut.
pub(super) fn body(
    msg: &Message,
    sig: &Signature,
    bodies: &mut BodyCache,
    warnings: &mut Vec<(Warning, String)>,
) -> BodyStep {
    let skipped = |detail: &str, unavailable: Option<&str>| BodyStep {
        outcome: outcome(Step::Body, Status::Skipped, detail.into()),
        check: None,
        unavailable: unavailable.map(str::to_string),
    };
    let (alg, body) = match (sig.algorithm.map(Algorithm::hash), msg.body_bytes()) {
        (None, _) => return skipped("no usable a= or bh= to check the body with", None),
        (Some(_), _) if sig.bh.is_empty() => {
            return skipped("no usable a= or bh= to check the body with", None);
        }
        (Some(_), None) => {
            return skipped(
                "not available: the input has headers only",
                Some("the input has headers only; the body was not supplied"),
            );
        }
        (Some(alg), Some(body)) => (alg, body),
    };
    let hash = bodies.get(body, sig.body_canon, alg, sig.l);
    let matches = hash.digest == sig.bh && sig.l.is_none_or(|l| l <= hash.canonical_len);
    let cut = match sig.l {
        Some(l) if l > hash.canonical_len => format!(
            ", but l={l} claims more than the {} canonical bytes there are",
            hash.canonical_len
        ),
        Some(l) if l < hash.canonical_len => {
            warnings.push((
                Warning::BodyLengthLimit,
                format!(
                    "l={l} signs only the first {l} of {} canonical body bytes; the rest is unsigned",
                    hash.canonical_len
                ),
            ));
            format!(", l={l} of {} bytes", hash.canonical_len)
        }
        _ => String::new(),
    };
    let mut unavailable = None;
    let out = if matches {
        outcome(
            Step::Body,
            Status::Ok,
            format!(
                "bh= matches ({} body, {} bytes hashed{cut})",
                sig.body_canon.name(),
                hash.hashed_len
            ),
        )
    } else if body.is_empty() {
        unavailable = Some("the input ends after the headers (empty body); if the message really has an empty body, its body hash does not match".to_string());
        outcome(
            Step::Body,
            Status::Skipped,
            "not available: the input has no body text (headers only?)".into(),
        )
    } else {
        let mut o = outcome(
            Step::Body,
            Status::Fail,
            format!(
                "computed bh={} but the signature claims bh={} ({} body, {} bytes hashed{cut})",
                b64(&hash.digest),
                b64(&sig.bh),
                sig.body_canon.name(),
                hash.hashed_len,
            ),
        );
        o.candidates.push(candidate(
            Diagnosis::BodyHashMismatch,
            format!("the body no longer hashes to the signed bh= value{cut}"),
        ));
        o
    };
    BodyStep {
        outcome: out,
        check: Some(BodyCheck { hash, matches }),
        unavailable,
    }
}

pub(super) struct HeadersStep {
    pub outcome: StepOutcome,
    pub hash: Option<HeaderHash>,
}

/// Step 5, headers: pick the h= instances bottom-up and hash them with the
/// signature field, b= emptied.
pub(super) fn headers(msg: &Message, field: usize, sig: &Signature) -> HeadersStep {
    let alg = sig.algorithm.map(Algorithm::hash);
    let hash = match (alg, sig.h.is_empty()) {
        (Some(alg), false) => Some(hash_headers(msg, field, sig, alg)),
        _ => None,
    };
    let out = match &hash {
        None => outcome(
            Step::Headers,
            Status::Skipped,
            "no usable a= or h= to hash headers with".into(),
        ),
        Some(hh) => {
            let absent = hh.absent;
            let hashed = hh.picked_total - absent;
            outcome(
                Step::Headers,
                Status::Ok,
                format!(
                    "{} field{} hashed{} + the signature with b= emptied ({} bytes, {} digest {}){}",
                    hashed,
                    plural(hashed),
                    if absent > 0 {
                        format!(", {absent} absent (over-signed)")
                    } else {
                        String::new()
                    },
                    hh.input.len(),
                    alg.map(HashAlg::name).unwrap_or(""),
                    b64(&hh.digest),
                    if hh.picked.len() < hh.picked_total {
                        format!(
                            "; h= has {} entries: all are hashed, the first {} are kept to show",
                            hh.picked_total,
                            hh.picked.len()
                        )
                    } else {
                        String::new()
                    },
                ),
            )
        }
    };
    HeadersStep { outcome: out, hash }
}

pub(super) struct SignatureStep {
    pub outcome: StepOutcome,
    pub crypto: Option<bool>,
}

/// Step 6, signature: the public-key check of b= over the header hash input,
/// when there is a usable key that fits.
pub(super) fn signature(
    sig: &Signature,
    key: Option<&KeyRecord>,
    headers: Option<&HeaderHash>,
) -> SignatureStep {
    let public = key.and_then(|k| k.public.as_ref());
    let crypto = match (public, sig.algorithm, headers, sig.b.is_empty(), key) {
        (Some(PublicKey::Rsa { bits, .. }), _, _, _, _) if *bits < 1024 => None,
        (Some(p), Some(alg), Some(hh), false, Some(k)) if key_fit(k, sig).is_none() => {
            Some(verify_crypto(p, alg, &hh.input, &sig.b))
        }
        _ => None,
    };
    let out = match crypto {
        None => outcome(
            Step::Signature,
            Status::Skipped,
            "not checked: no usable key, algorithm, h= or b=".into(),
        ),
        Some(true) => outcome(
            Step::Signature,
            Status::Ok,
            format!(
                "b= verifies with the {} key",
                public.map(PublicKey::describe).unwrap_or_default()
            ),
        ),
        Some(false) => {
            let mut o = outcome(
                Step::Signature,
                Status::Fail,
                "b= does not verify over the hash input with this key".into(),
            );
            o.candidates.push(candidate(
                Diagnosis::SignatureMismatch,
                "b= does not verify over the signed header fields: a signed header changed (or the key does not match)".into(),
            ));
            o
        }
    };
    SignatureStep {
        outcome: out,
        crypto,
    }
}
