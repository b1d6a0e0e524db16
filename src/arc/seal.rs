//! Checking one ARC set's signatures with the DKIM machinery: the AMS is
//! traced exactly like a DKIM-Signature (same steps), and the AS is checked
//! over the ARC sets 1..i in RFC 8617 §5.1.1's order (for each set: AAR,
//! AMS, AS; relaxed header canonicalization; the seal being checked with b=
//! emptied and no trailing CRLF), its key taken from the same lookups.

use crate::dkim::canon::{self, BodyCache, Hasher, Sink};
use crate::dkim::codes::{Outcome, Status, Step, codes};
use crate::dkim::hashing::{field_text, strip_b, verify_crypto};
use crate::dkim::key::PublicKey;
use crate::dkim::key_check::{choose_key, key_fit, lookup_failure};
use crate::dkim::signature::{Algorithm, Canon, Signature};
use crate::dkim::verify::{self, SigKind, SignatureCheck, Target, TraceStep};
use crate::dns::TxtLookup;
use crate::message::Message;

codes!(
    /// How one seal check ended (`not-checked`: the sets below it are
    /// incomplete, so there is nothing to check; `temperror`: its key is
    /// not available, offline or after a DNS error, so it cannot be checked).
    SealResult {
        Pass = "pass",
        Fail = "fail",
        NotChecked = "not-checked",
        TempError = "temperror",
    }
);

/// Everything learned about one ARC-Seal.
#[derive(Debug, Clone)]
pub struct SealCheck {
    pub result: SealResult,
    pub reason: String,
    pub sig: Signature,
    pub key_name: Option<String>,
    pub steps: Vec<TraceStep>,
}

fn step(step: Step, status: Status, detail: String) -> TraceStep {
    TraceStep {
        step,
        status,
        detail,
    }
}

/// Trace the AMS of instance `i` (header field `field`) like a
/// DKIM-Signature: the same steps and rules, worded for ARC.
pub fn check_ams(
    msg: &Message,
    i: usize,
    field: usize,
    sig: Signature,
    lookup: Option<&TxtLookup>,
    now: u64,
    bodies: &mut BodyCache,
) -> SignatureCheck {
    let target = Target {
        kind: SigKind::Ams(i),
        index: i.saturating_sub(1),
        field,
    };
    verify::check(msg, target, sig, lookup, now, bodies)
}

/// The bytes an ARC-Seal of instance `chain.len()` signs: every set 1..=i
/// as `[AAR, AMS, AS]` header indexes, the last AS with b= emptied.
pub fn seal_input(msg: &Message, chain: &[[usize; 3]], sig: &Signature) -> Vec<u8> {
    let mut input = Vec::new();
    let last = chain.len().saturating_sub(1);
    for (n, set) in chain.iter().enumerate() {
        for (k, &f) in set.iter().enumerate() {
            if n == last && k == 2 {
                canon::header(&strip_b(msg, f, sig), Canon::Relaxed, false, &mut input);
            } else {
                canon::header(field_text(msg, f), Canon::Relaxed, true, &mut input);
            }
        }
    }
    input
}

/// Check the ARC-Seal closing `chain` (sets 1..=i, complete), read as `sig`.
pub fn check_seal(
    msg: &Message,
    chain: &[[usize; 3]],
    sig: Signature,
    lookup: Option<&TxtLookup>,
) -> SealCheck {
    let i = chain.len();
    let mut steps = Vec::new();
    let key_name = (!sig.d.is_empty() && !sig.s.is_empty()).then(|| sig.key_name());
    let done = |steps: Vec<TraceStep>, sig: Signature, result, reason: String| SealCheck {
        result,
        reason,
        sig,
        key_name: key_name.clone(),
        steps,
    };
    let fail = |mut steps: Vec<TraceStep>, sig: Signature, name: Step, reason: String| {
        steps.push(step(name, Status::Fail, reason.clone()));
        done(steps, sig, SealResult::Fail, reason)
    };

    // tags
    let problem = sig
        .first_issue()
        .map(|iss| format!("{}: {}", iss.code, iss.message))
        .or_else(|| sig.issues.first().map(|iss| iss.message.clone()));
    if let Some(why) = problem {
        return fail(steps, sig, Step::Tags, why);
    }
    let Some(alg) = sig.algorithm else {
        return fail(steps, sig, Step::Tags, "no usable a=".into());
    };
    if alg == Algorithm::RsaSha1 {
        return fail(
            steps,
            sig,
            Step::Tags,
            "a=rsa-sha1: SHA-1 is not acceptable for signing or verifying (RFC 8301 §3.1)".into(),
        );
    }
    steps.push(step(
        Step::Tags,
        Status::Ok,
        format!(
            "i={i} a={} cv={} d={} s={}",
            sig.a,
            sig.tags.get("cv").map(|t| t.text()).unwrap_or_default(),
            sig.d,
            sig.s
        ),
    ));

    // key
    let unavailable = |mut steps: Vec<TraceStep>, sig: Signature, reason: String| {
        steps.push(step(Step::Key, Status::Fail, reason.clone()));
        done(steps, sig, SealResult::TempError, reason)
    };
    let Some(l) = lookup else {
        let name = key_name.clone().unwrap_or_default();
        return unavailable(steps, sig, format!("{name} was not looked up"));
    };
    if let Some((code, why)) = lookup_failure(l) {
        if code.outcome() == Outcome::TempError {
            return unavailable(steps, sig, why);
        }
        return fail(steps, sig, Step::Key, format!("{code}: {why}"));
    }
    let Some((_, key)) = choose_key(l) else {
        return fail(
            steps,
            sig,
            Step::Key,
            format!("{} holds no TXT record", l.query),
        );
    };
    if let Some((code, why)) = key
        .issues
        .first()
        .map(|iss| (iss.code, format!("{}: {}", l.query, iss.message)))
        .or_else(|| key_fit(&key, &sig))
    {
        return fail(steps, sig, Step::Key, format!("{code}: {why}"));
    }
    let Some(public) = key.public.as_ref() else {
        return fail(
            steps,
            sig,
            Step::Key,
            format!("{} holds no public key", l.query),
        );
    };
    if let PublicKey::Rsa { bits, .. } = public
        && *bits < 1024
    {
        return fail(
            steps,
            sig,
            Step::Key,
            format!("the RSA key has {bits} bits; RFC 8301 §3.2 requires at least 1024"),
        );
    }
    steps.push(step(
        Step::Key,
        Status::Ok,
        format!("{} key at {}", public.describe(), l.query),
    ));

    // headers
    let input = seal_input(msg, chain, &sig);
    let mut hasher = Hasher::new(alg.hash());
    hasher.put(&input);
    let digest = hasher.finish();
    steps.push(step(
        Step::Headers,
        Status::Ok,
        format!(
            "{} ARC field{} (sets 1..{i}, relaxed) + the seal with b= emptied ({} bytes, {} digest {})",
            3 * i - 1,
            if 3 * i - 1 == 1 { "" } else { "s" },
            input.len(),
            alg.hash().name(),
            b64(&digest)
        ),
    ));

    // signature
    if verify_crypto(public, alg, &input, &sig.b) {
        steps.push(step(
            Step::Signature,
            Status::Ok,
            format!("b= verifies with the {} key", public.describe()),
        ));
        done(
            steps,
            sig,
            SealResult::Pass,
            format!("the seal over sets 1..{i} verifies"),
        )
    } else {
        fail(
            steps,
            sig,
            Step::Signature,
            format!(
                "b= does not verify over sets 1..{i}: an ARC field of these sets changed (or the key does not match)"
            ),
        )
    }
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
