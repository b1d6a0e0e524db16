//! Reading the ARC header fields of a message: each
//! ARC-Authentication-Results (AAR), ARC-Message-Signature (AMS) and
//! ARC-Seal (AS) with the instance (`i=`) it claims, and the tag-lists of
//! AMS and AS read with ARC's rules rather than DKIM's (RFC 8617 §4.1,
//! §4.2.1): `i=` is the instance, not an identity, `v=` is ignored, and any
//! tag-list syntax error makes the field invalid.

use crate::dkim::codes::Diagnosis;
use crate::dkim::signature::{SigIssue, Signature};
use crate::dkim::tags;
use crate::message::Message;

/// RFC 8617 §5.2 step 1: at most 50 ARC sets; instances run 1..=50.
pub const MAX_SETS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Aar,
    Ams,
    Seal,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Aar, Kind::Ams, Kind::Seal];

    pub fn header(self) -> &'static str {
        match self {
            Kind::Aar => "ARC-Authentication-Results",
            Kind::Ams => "ARC-Message-Signature",
            Kind::Seal => "ARC-Seal",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Kind::Aar => "AAR",
            Kind::Ams => "AMS",
            Kind::Seal => "AS",
        }
    }

    /// Position in a set: the order a seal hashes them in (RFC 8617 §5.1.1).
    pub fn slot(self) -> usize {
        match self {
            Kind::Aar => 0,
            Kind::Ams => 1,
            Kind::Seal => 2,
        }
    }

    fn of(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| name.eq_ignore_ascii_case(k.header()))
    }
}

/// Why a field's instance could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadInstance {
    /// Above [`MAX_SETS`]: the chain is too long (RFC 8617 §5.2 step 1).
    TooHigh(u64),
    /// Missing, empty, zero or not a number.
    Unreadable(String),
}

/// One ARC header field and the instance it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArcField {
    pub kind: Kind,
    /// Index into `Message::headers`.
    pub field: usize,
    pub instance: Result<usize, BadInstance>,
}

/// Every ARC header field of `msg`, top first.
pub fn fields(msg: &Message) -> Vec<ArcField> {
    msg.headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let kind = Kind::of(&h.name)?;
            let value = msg.value_bytes(h);
            let instance = match kind {
                Kind::Aar => aar_instance(value),
                _ => tag_instance(value),
            };
            Some(ArcField {
                kind,
                field: i,
                instance,
            })
        })
        .collect()
}

/// True when the message carries any ARC header field.
pub fn present(msg: &Message) -> bool {
    msg.headers.iter().any(|h| Kind::of(&h.name).is_some())
}

fn instance_number(text: &str) -> Result<usize, BadInstance> {
    if text.is_empty() {
        return Err(BadInstance::Unreadable("i= is empty".into()));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadInstance::Unreadable(format!("i={text} is not a number")));
    }
    match text.parse::<u64>() {
        Ok(0) => Err(BadInstance::Unreadable("i=0: instances start at 1".into())),
        Ok(n) if n > MAX_SETS as u64 => Err(BadInstance::TooHigh(n)),
        Ok(n) => Ok(n as usize),
        Err(_) => Err(BadInstance::TooHigh(u64::MAX)),
    }
}

/// An AAR starts with its instance: `i=N;` before the authserv-id
/// (RFC 8617 §4.1.1).
fn aar_instance(value: &[u8]) -> Result<usize, BadInstance> {
    let text = String::from_utf8_lossy(value);
    let rest = text.trim_start();
    let Some(after_i) = rest.strip_prefix('i') else {
        return Err(BadInstance::Unreadable(
            "does not start with i= (the instance must come first)".into(),
        ));
    };
    let Some(after_eq) = after_i.trim_start().strip_prefix('=') else {
        return Err(BadInstance::Unreadable(
            "does not start with i= (the instance must come first)".into(),
        ));
    };
    let after_eq = after_eq.trim_start();
    let digits_end = after_eq
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after_eq.len());
    let (digits, tail) = after_eq.split_at(digits_end);
    if digits.is_empty() {
        let token = tail.split(';').next().unwrap_or("").trim();
        return Err(instance_number(token)
            .err()
            .unwrap_or_else(|| BadInstance::Unreadable(format!("i={token} is not a number"))));
    }
    let n = instance_number(digits)?;
    if !tail.trim_start().starts_with(';') {
        return Err(BadInstance::Unreadable(format!(
            "i={digits} is not followed by ';'"
        )));
    }
    Ok(n)
}

fn tag_instance(value: &[u8]) -> Result<usize, BadInstance> {
    let list = tags::lex(value);
    match list.get("i") {
        None => Err(BadInstance::Unreadable("no i= tag".into())),
        Some(t) => instance_number(t.text().trim()),
    }
}

/// Read an AMS or AS tag-list with ARC's rules. Problems land in
/// `issues`, as for a DKIM-Signature.
pub fn read_sig(value: &[u8], kind: Kind) -> Signature {
    let required: &[&str] = match kind {
        Kind::Seal => &["i", "a", "b", "cv", "d", "s"],
        _ => &["i", "a", "b", "bh", "d", "h", "s"],
    };
    let mut sig = Signature::parse_with(value, required);
    // i= is the instance, not an AUID, and v= is ignored (RFC 8617 §4.1.2).
    // A seal has no h= at all, so From-not-signed is not its problem.
    let ignored = |code: Diagnosis| match code {
        Diagnosis::SigIdentityMismatch | Diagnosis::SigBadVersion => true,
        Diagnosis::SigFromNotSigned => kind == Kind::Seal,
        _ => false,
    };
    sig.issues.retain(|i| !ignored(i.code));
    sig.i = None;
    let mut extra = Vec::new();
    let mut issue = |span: std::ops::Range<usize>, message: String| {
        extra.push(SigIssue {
            code: Diagnosis::SigMalformed,
            span,
            message,
        })
    };
    // The lexer lets these pass for DKIM; RFC 6376 §3.2's grammar does not.
    for p in sig.tags.problems.iter().filter(|p| !p.fatal) {
        issue(
            p.span.clone(),
            format!("{} (not valid tag-list syntax, RFC 6376 §3.2)", p.message),
        );
    }
    match kind {
        Kind::Seal => {
            if let Some(h) = sig.tags.get("h") {
                issue(
                    h.span.clone(),
                    "an ARC-Seal has no h= tag: it signs the ARC sets only (RFC 8617 §4.1.3)"
                        .into(),
                );
            }
            if let Some(cv) = sig.tags.get("cv")
                && super::ArcCv::parse(&cv.text()).is_none()
            {
                issue(
                    cv.value_span.clone(),
                    format!("cv={} is not none, pass or fail", cv.text()),
                );
            }
        }
        _ => {
            if let Some(h) = sig.tags.get("h")
                && sig.h.iter().any(|n| n.eq_ignore_ascii_case("arc-seal"))
            {
                issue(
                    h.value_span.clone(),
                    "h= lists ARC-Seal: an AMS must not sign ARC-Seal fields (RFC 8617 §4.1.2)"
                        .into(),
                );
            }
        }
    }
    sig.issues.extend(extra);
    sig
}

/// The AAR's statement after `i=N;` (authserv-id and results).
pub fn aar_text(msg: &Message, field: usize) -> String {
    let text = String::from_utf8_lossy(msg.value_bytes(&msg.headers[field])).into_owned();
    let rest = text.split_once(';').map_or(text.as_str(), |(_, r)| r);
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}
