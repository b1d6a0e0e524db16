//! The verification trace: for one DKIM-Signature (or ARC-Message-Signature),
//! the ordered steps of DESIGN.md (locate, tags, key, body, headers,
//! signature), each a function of its own returning a typed outcome, then the
//! verdict, decided in one place ([`verdict`]) from those outcomes by a
//! precedence table once every warning is known.
//!
//! A message goes through three stages here, one after another:
//! [`verify`] runs the steps, [`what_changed`] localizes the change when a
//! step failed, and [`verdict::finish`] decides and
//! writes the trace. Pure: the key answer and the clock are parameters.

mod steps;
pub mod verdict;

use std::ops::Range;

use super::canon::{BodyCache, BodyHash};
use super::codes::{Diagnosis, Outcome, Status, Step, Warning};
use super::hashing::HeaderHash;
use super::key::KeyRecord;
use super::localize::{self, Localized, LocalizedFinding};
use super::signature::Signature;
use crate::dns::TxtLookup;
use crate::message::Message;

/// One line of a finished trace: which step, how it ended, what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    pub step: Step,
    pub status: Status,
    pub detail: String,
}

/// A diagnosis a step proposes, with its specific reason. Which candidate
/// wins is decided by [`verdict::PRECEDENCE`], not by the order steps run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub diagnosis: Diagnosis,
    pub reason: String,
}

/// How one step ended, before the verdict is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    pub step: Step,
    pub status: Status,
    pub detail: String,
    /// The diagnoses this step found (most steps find at most one).
    pub candidates: Vec<Candidate>,
}

/// Whose signature is traced: the words of the trace differ, not the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigKind {
    Dkim,
    /// An ARC-Message-Signature of instance `i` (RFC 8617 §4.1.2).
    Ams(usize),
}

/// Which signature field is traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub kind: SigKind,
    /// 0-based among the fields of its kind, top first.
    pub index: usize,
    /// Index into `Message::headers`.
    pub field: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyCheck {
    pub hash: BodyHash,
    pub matches: bool,
}

/// What the steps learned about one signature, before localization and the
/// verdict.
#[derive(Debug, Clone)]
pub struct Verified {
    pub kind: SigKind,
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
    /// The steps' outcomes, locate to signature, in order.
    pub outcomes: Vec<StepOutcome>,
    /// Warnings the steps found, in the order found.
    pub step_warnings: Vec<(Warning, String)>,
}

impl Verified {
    pub fn outcome(&self, step: Step) -> Option<&StepOutcome> {
        self.outcomes.iter().find(|o| o.step == step)
    }
    /// True when the body was hashed and its hash differs from bh=.
    pub fn body_mismatch(&self) -> bool {
        self.body.as_ref().is_some_and(|b| !b.matches) && self.body_unavailable.is_none()
    }
}

/// Everything dkimscope learned about one signature: the steps' evidence
/// (through `Deref` to [`Verified`]), the finished trace and the verdict.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    pub verified: Verified,
    pub steps: Vec<TraceStep>,
    pub result: Outcome,
    pub diagnosis: Diagnosis,
    /// The specific reason behind the diagnosis.
    pub reason: String,
    /// Every warning: the steps' own, then those of later stages
    /// (alignment with the From domain).
    pub warnings: Vec<(Warning, String)>,
    /// What most likely changed, for body-hash-mismatch and
    /// signature-mismatch (body first, then headers).
    pub findings: Vec<LocalizedFinding>,
}

impl std::ops::Deref for SignatureCheck {
    type Target = Verified;
    fn deref(&self) -> &Verified {
        &self.verified
    }
}

impl SignatureCheck {
    pub fn step(&self, step: Step) -> Option<&TraceStep> {
        self.steps.iter().find(|s| s.step == step)
    }
}

/// Run the steps for the signature `target`, read as `sig`, with its key
/// answer `lookup`.
pub fn verify(
    msg: &Message,
    target: Target,
    sig: Signature,
    lookup: Option<&TxtLookup>,
    now: u64,
    bodies: &mut BodyCache,
) -> Verified {
    let Target { kind, index, field } = target;
    let mut warnings = Vec::new();
    let locate = steps::locate(msg, kind, index, field);
    let tags = steps::tags(msg, kind, &sig, now, &mut warnings);
    let key = steps::key(&sig, lookup, &mut warnings);
    let body = steps::body(msg, &sig, bodies, &mut warnings);
    let headers = steps::headers(msg, field, &sig);
    let signature = steps::signature(&sig, key.key.as_ref(), headers.hash.as_ref());
    Verified {
        kind,
        index,
        field,
        key_name: key.name,
        lookup: lookup.cloned(),
        key: key.key,
        key_record: key.record,
        body: body.check,
        body_unavailable: body.unavailable,
        headers: headers.hash,
        crypto: signature.crypto,
        outcomes: vec![
            locate,
            tags,
            key.outcome,
            body.outcome,
            headers.outcome,
            signature.outcome,
        ],
        step_warnings: warnings,
        sig,
    }
}

/// The three stages for a signature that needs nothing from later ones
/// (an ARC-Message-Signature): verify, localize, decide.
pub fn check(
    msg: &Message,
    target: Target,
    sig: Signature,
    lookup: Option<&TxtLookup>,
    now: u64,
    bodies: &mut BodyCache,
) -> SignatureCheck {
    let v = verify(msg, target, sig, lookup, now, bodies);
    let findings = what_changed(msg, &v);
    verdict::finish(v, findings, Vec::new())
}

/// The localization stage for one verified signature: when its body hash
/// did not match, undo body changes; when b= did not verify, undo header
/// changes. Each search has a budget of its own.
pub fn what_changed(msg: &Message, v: &Verified) -> Localized {
    let sig = &v.sig;
    let alg = sig.algorithm;
    let body = match (alg, msg.body_bytes()) {
        (Some(alg), Some(body)) if v.body_mismatch() => Some(localize::body(
            &localize::BodyTarget {
                body,
                canon: sig.body_canon,
                alg: alg.hash(),
                bh: &sig.bh,
                l: sig.l,
                cte: localize::transfer_encoding(msg),
            },
            &mut localize::Budget::default(),
        )),
        _ => None,
    };
    let public = v.key.as_ref().and_then(|k| k.public.as_ref());
    let headers = match (v.crypto, public, alg, &v.headers) {
        (Some(false), Some(key), Some(alg), Some(hashed)) => Some(localize::headers(
            &localize::HeaderTarget {
                msg,
                field: v.field,
                sig,
                hashed,
                key,
                alg,
            },
            &mut localize::Budget::default(),
        )),
        _ => None,
    };
    Localized { body, headers }
}

/// Span of a tag's value inside the raw message.
pub fn tag_span(msg: &Message, field: usize, value_span: &Range<usize>) -> Range<usize> {
    let off = msg.headers[field].value_span.start;
    off + value_span.start..off + value_span.end
}
