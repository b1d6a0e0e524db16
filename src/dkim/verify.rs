//! The verification trace: for one DKIM-Signature, the ordered steps of
//! DESIGN.md (locate, tags, key, body, headers, signature, verdict), each
//! with its status, a one-line finding and typed evidence, and the single
//! diagnosis that decided the result.
//!
//! This is pure: the key answer and the clock are parameters.

use std::collections::HashMap;
use std::ops::Range;

use super::canon::{self, BodyHash};
use super::codes::{Diagnosis, Outcome, Status, Warning};
pub use super::hashing::{field_text, hash_headers, strip_b, verify_crypto};
use super::key::{KeyRecord, PublicKey};
use super::key_check::{choose_key, key_fit, lookup_failure};
use super::localize::{self, BodyTarget, Budget, HeaderTarget, LocalizedFinding};
use super::signature::{Algorithm, Canon, HashAlg, Signature};
use crate::dns::TxtLookup;
use crate::message::Message;
use crate::time::{format_span, format_utc};

/// A signature timestamp this far ahead of "now" is flagged.
const FUTURE_SLACK: u64 = 300;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
}

/// Which field instance each h= entry picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickedHeader {
    /// The h= entry as written.
    pub name: String,
    /// Index into `Message::headers`, or None when absent (over-signed).
    pub field: Option<usize>,
    /// The canonical form as hashed (empty when absent).
    pub canonical: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderHash {
    /// The first [`super::hashing::MAX_PICKS_KEPT`] picks, in h= order.
    pub picked: Vec<PickedHeader>,
    /// How many h= entries were picked and hashed (all of them).
    pub picked_total: usize,
    /// How many of them named no field left (over-signed), over all entries.
    pub absent: usize,
    /// The signature field with b= emptied, canonicalized, no final CRLF.
    pub signature_field: Vec<u8>,
    /// Everything hashed, in order.
    pub input: Vec<u8>,
    pub digest: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyCheck {
    pub hash: BodyHash,
    pub matches: bool,
}

/// Everything dkimscope learned about one signature.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    /// 0-based among DKIM-Signature fields, top first.
    pub index: usize,
    /// Index into `Message::headers`.
    pub field: usize,
    pub sig: Signature,
    pub key_name: Option<String>,
    pub lookup: Option<TxtLookup>,
    pub key: Option<KeyRecord>,
    /// Which TXT record of the answer was taken as the key.
    pub key_record: Option<usize>,
    pub body: Option<BodyCheck>,
    /// Why the body step could not run, when it could not.
    pub body_unavailable: Option<String>,
    pub headers: Option<HeaderHash>,
    /// Some(true/false) when the public-key check ran.
    pub crypto: Option<bool>,
    pub steps: Vec<Step>,
    pub result: Outcome,
    pub diagnosis: Diagnosis,
    /// The specific reason behind the diagnosis.
    pub reason: String,
    pub warnings: Vec<(Warning, String)>,
    /// What most likely changed, for body-hash-mismatch and
    /// signature-mismatch (body first, then headers).
    pub findings: Vec<LocalizedFinding>,
}

/// Body hashes shared by the signatures of one message.
#[derive(Default)]
pub struct BodyCache(HashMap<(Canon, HashAlg, Option<u64>), BodyHash>);

impl BodyCache {
    fn get(&mut self, body: &[u8], c: Canon, h: HashAlg, l: Option<u64>) -> BodyHash {
        self.0
            .entry((c, h, l))
            .or_insert_with(|| canon::body_hash(body, c, h, l))
            .clone()
    }
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Run the whole trace for the DKIM-Signature at `field` (its `index`-th),
/// read as `sig`.
pub fn check(
    msg: &Message,
    index: usize,
    field: usize,
    sig: Signature,
    lookup: Option<&TxtLookup>,
    now: u64,
    bodies: &mut BodyCache,
) -> SignatureCheck {
    let h = &msg.headers[field];
    let mut steps = Vec::new();
    let mut warnings: Vec<(Warning, String)> = Vec::new();
    // (diagnosis, reason) candidates in DESIGN.md's order of precedence.
    let mut decided: Option<(Diagnosis, String)> = None;
    let decide = |d: &mut Option<(Diagnosis, String)>, code: Diagnosis, why: String| {
        if d.is_none() {
            *d = Some((code, why));
        }
    };

    // 1. locate
    let lines = msg
        .field_bytes(h)
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .max(1);
    steps.push(Step {
        name: "locate",
        status: Status::Ok,
        detail: format!(
            "DKIM-Signature #{} is header field {} of {} (bytes {}..{}, {} line{})",
            index + 1,
            field + 1,
            msg.headers.len(),
            h.span.start,
            h.span.end,
            lines,
            if lines == 1 { "" } else { "s" }
        ),
    });

    // 2. tags
    if let Some(issue) = sig.first_issue() {
        decide(&mut decided, issue.code, issue.message.clone());
    }
    if decided.is_none()
        && let Some(x) = sig.x
        && x < now
    {
        decide(
            &mut decided,
            Diagnosis::SigExpired,
            format!(
                "x= expired at {}, {} before {}",
                format_utc(x),
                format_span(now - x),
                format_utc(now)
            ),
        );
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
    let froms_present = msg.fields("from").count();
    if froms_signed > 0 && froms_signed <= froms_present {
        warnings.push((
            Warning::FromNotOversigned,
            "h= lists From only as often as it occurs: a second From could be added above without breaking the signature".into(),
        ));
    }
    let tag_summary = format!(
        "v={} a={} c={}/{} d={} s={}, {} field name{} in h={}{}",
        sig.tags.get("v").map(|v| v.text()).unwrap_or_default(),
        sig.a,
        sig.header_canon.name(),
        sig.body_canon.name(),
        sig.d,
        sig.s,
        sig.h.len(),
        if sig.h.len() == 1 { "" } else { "s" },
        sig.t
            .map(|t| format!(", signed {}", format_utc(t)))
            .unwrap_or_default(),
        sig.x
            .map(|x| format!(", expires {}", format_utc(x)))
            .unwrap_or_default(),
    );
    steps.push(Step {
        name: "tags",
        status: if decided.is_some() {
            Status::Fail
        } else if warnings.is_empty() {
            Status::Ok
        } else {
            Status::Warn
        },
        detail: match &decided {
            Some((code, why)) => format!("{code}: {why}"),
            None => tag_summary,
        },
    });

    // 3. key
    let key_name = (!sig.d.is_empty() && !sig.s.is_empty()).then(|| sig.key_name());
    let mut key = None;
    let mut key_record = None;
    let key_step = match (&key_name, lookup) {
        (None, _) => Step {
            name: "key",
            status: Status::Skipped,
            detail: "no d= and s= to build the key name from".into(),
        },
        (Some(name), None) => Step {
            name: "key",
            status: Status::Skipped,
            detail: format!("{name} was not looked up"),
        },
        (Some(_), Some(l)) => {
            if let Some((code, why)) = lookup_failure(l) {
                decide(&mut decided, code, why.clone());
                Step {
                    name: "key",
                    status: Status::Fail,
                    detail: why,
                }
            } else if let Some((i, k)) = choose_key(l) {
                let mut problem = k
                    .issues
                    .first()
                    .map(|iss| (iss.code, format!("{}: {}", l.query, iss.message)))
                    .or_else(|| key_fit(&k, &sig));
                if let Some((code, why)) = problem.take() {
                    decide(&mut decided, code, why.clone());
                    key_record = Some(i);
                    key = Some(k);
                    Step {
                        name: "key",
                        status: Status::Fail,
                        detail: why,
                    }
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
                    key_record = Some(i);
                    key = Some(k);
                    Step {
                        name: "key",
                        status: Status::Ok,
                        detail: format!(
                            "{desc} key at {}{}",
                            l.query,
                            if l.hops.is_empty() {
                                String::new()
                            } else {
                                format!(
                                    " via {} CNAME hop{}",
                                    l.hops.len(),
                                    if l.hops.len() == 1 { "" } else { "s" }
                                )
                            }
                        ),
                    }
                }
            } else {
                decide(
                    &mut decided,
                    Diagnosis::KeyNotFound,
                    format!("{} holds no TXT record", l.query),
                );
                Step {
                    name: "key",
                    status: Status::Fail,
                    detail: format!("{} holds no TXT record", l.query),
                }
            }
        }
    };
    steps.push(key_step);

    if sig.algorithm == Some(Algorithm::RsaSha1) {
        decide(
            &mut decided,
            Diagnosis::SigSha1,
            "a=rsa-sha1: SHA-1 signatures are no longer valid (RFC 8301 §3.1)".into(),
        );
    }
    if let Some(PublicKey::Rsa { bits, .. }) = key.as_ref().and_then(|k| k.public.as_ref()) {
        if *bits < 1024 {
            decide(
                &mut decided,
                Diagnosis::KeyTooShort,
                format!("the RSA key has {bits} bits; RFC 8301 §3.2 requires at least 1024"),
            );
        } else if *bits < 2048 {
            warnings.push((
                Warning::WeakKey1024,
                format!(
                    "the RSA key has {bits} bits; 2048 is the recommended minimum (RFC 8301 §3.2)"
                ),
            ));
        }
    }

    // 4. body
    let hash_alg = sig.algorithm.map(Algorithm::hash);
    let mut body_check = None;
    let mut body_unavailable = None;
    let mut findings: Vec<LocalizedFinding> = Vec::new();
    let empty_body = msg.body_bytes().is_some_and(<[u8]>::is_empty);
    let body_step = match (hash_alg, msg.body_bytes(), sig.bh.is_empty()) {
        (None, _, _) | (_, _, true) => Step {
            name: "body",
            status: Status::Skipped,
            detail: "no usable a= or bh= to check the body with".into(),
        },
        (Some(_), None, _) => {
            body_unavailable =
                Some("the input has headers only; the body was not supplied".to_string());
            Step {
                name: "body",
                status: Status::Skipped,
                detail: "not available: the input has headers only".into(),
            }
        }
        (Some(alg), Some(body), _) => {
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
                        format!("l={l} signs only the first {l} of {} canonical body bytes; the rest is unsigned", hash.canonical_len),
                    ));
                    format!(", l={l} of {} bytes", hash.canonical_len)
                }
                _ => String::new(),
            };
            let step = if matches {
                Step {
                    name: "body",
                    status: Status::Ok,
                    detail: format!(
                        "bh= matches ({} body, {} bytes hashed{cut})",
                        sig.body_canon.name(),
                        hash.hashed_len
                    ),
                }
            } else if empty_body {
                body_unavailable = Some("the input ends after the headers (empty body); if the message really has an empty body, its body hash does not match".to_string());
                Step {
                    name: "body",
                    status: Status::Skipped,
                    detail: "not available: the input has no body text (headers only?)".into(),
                }
            } else {
                decide(
                    &mut decided,
                    Diagnosis::BodyHashMismatch,
                    format!("the body no longer hashes to the signed bh= value{cut}"),
                );
                let found = localize::body(
                    &BodyTarget {
                        body,
                        canon: sig.body_canon,
                        alg,
                        bh: &sig.bh,
                        l: sig.l,
                        cte: localize::transfer_encoding(msg),
                    },
                    &mut Budget::default(),
                );
                let detail = format!(
                    "computed bh={} but the signature claims bh={} ({} body, {} bytes hashed{cut}); {}: {}",
                    b64(&hash.digest),
                    b64(&sig.bh),
                    sig.body_canon.name(),
                    hash.hashed_len,
                    found.code,
                    found.detail
                );
                findings.push(found);
                Step {
                    name: "body",
                    status: Status::Fail,
                    detail,
                }
            };
            body_check = Some(BodyCheck { hash, matches });
            step
        }
    };
    steps.push(body_step);

    // 5. headers
    let headers = match (hash_alg, sig.h.is_empty()) {
        (Some(alg), false) => Some(hash_headers(msg, field, &sig, alg)),
        _ => None,
    };
    steps.push(match &headers {
        None => Step {
            name: "headers",
            status: Status::Skipped,
            detail: "no usable a= or h= to hash headers with".into(),
        },
        Some(hh) => {
            let absent = hh.absent;
            let hashed = hh.picked_total - absent;
            Step {
                name: "headers",
                status: Status::Ok,
                detail: format!(
                    "{} field{} hashed{} + the signature with b= emptied ({} bytes, {} digest {}){}",
                    hashed,
                    if hashed == 1 {
                        ""
                    } else {
                        "s"
                    },
                    if absent > 0 {
                        format!(", {absent} absent (over-signed)")
                    } else {
                        String::new()
                    },
                    hh.input.len(),
                    hash_alg.map(HashAlg::name).unwrap_or(""),
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
            }
        }
    });

    // 6. signature
    let public = key.as_ref().and_then(|k| k.public.as_ref());
    let crypto = match (public, sig.algorithm, &headers, sig.b.is_empty(), &key) {
        (Some(PublicKey::Rsa { bits, .. }), _, _, _, _) if *bits < 1024 => None,
        (Some(p), Some(alg), Some(hh), false, Some(k)) if key_fit(k, &sig).is_none() => {
            Some(verify_crypto(p, alg, &hh.input, &sig.b))
        }
        _ => None,
    };
    steps.push(match crypto {
        None => Step { name: "signature", status: Status::Skipped, detail: "not checked: no usable key, algorithm, h= or b=".into() },
        Some(true) => Step { name: "signature", status: Status::Ok, detail: format!("b= verifies with the {} key", public.map(PublicKey::describe).unwrap_or_default()) },
        Some(false) => {
            decide(&mut decided, Diagnosis::SignatureMismatch, "b= does not verify over the signed header fields: a signed header changed (or the key does not match)".into());
            let found = match (public, sig.algorithm, &headers) {
                (Some(key), Some(alg), Some(hashed)) => Some(localize::headers(
                    &HeaderTarget { msg, field, sig: &sig, hashed, key, alg },
                    &mut Budget::default(),
                )),
                _ => None,
            };
            let detail = match &found {
                Some(f) => format!("b= does not verify over the hash input with this key; {}: {}", f.code, f.detail),
                None => "b= does not verify over the hash input with this key".into(),
            };
            findings.extend(found);
            Step { name: "signature", status: Status::Fail, detail }
        }
    });

    // 7. verdict
    let (diagnosis, reason) = decided.unwrap_or_else(|| match (&body_unavailable, crypto) {
        (Some(why), Some(true)) => (
            Diagnosis::HeadersOnlyPass,
            format!("the header signature verifies; body not checked: {why}"),
        ),
        (None, Some(true)) => (Diagnosis::Pass, "body hash and signature verify".into()),
        _ => (
            Diagnosis::SigMalformed,
            "the signature could not be checked".into(),
        ),
    });
    // Say what most likely changed, when localization found it.
    let reason = match findings
        .iter()
        .find(|f| f.evidence != localize::Evidence::None)
    {
        Some(f) => format!("{reason}; most likely {}", f.detail),
        None => reason,
    };
    let result = diagnosis.outcome();
    steps.push(Step {
        name: "verdict",
        status: match result {
            Outcome::Pass if warnings.is_empty() => Status::Ok,
            Outcome::Pass => Status::Warn,
            _ => Status::Fail,
        },
        detail: format!("dkim={result} ({diagnosis}): {reason}"),
    });

    SignatureCheck {
        index,
        field,
        key_name,
        lookup: lookup.cloned(),
        key,
        key_record,
        body: body_check,
        body_unavailable,
        headers,
        crypto,
        steps,
        result,
        diagnosis,
        reason,
        warnings,
        findings,
        sig,
    }
}

/// Span of a tag's value inside the raw message.
pub fn tag_span(msg: &Message, field: usize, value_span: &Range<usize>) -> Range<usize> {
    let off = msg.headers[field].value_span.start;
    off + value_span.start..off + value_span.end
}
