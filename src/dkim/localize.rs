//! Localization: when a signature fails, say what most likely changed.
//! dkimscope undoes the changes relays are known to make, one candidate at a
//! time, and re-checks: for a body-hash mismatch it re-hashes the body
//! (an appended footer, line-ending and whitespace rewrites, quoted-printable
//! re-encoding), for a signature mismatch it re-verifies `b=` over edited
//! signed headers (a Subject tag removed, a re-folded field unfolded, a field
//! added after signing left out). The first candidate that verifies is the
//! finding; when none does, the finding is `unknown` and says what was tried.
//! The work is bounded (a byte budget for body hashing, a maximum number of
//! public-key checks) so a hostile message cannot make it slow.
//!
//! Pure like the rest of `dkim/`: no clock, no resolver.

mod body;
mod headers;

pub use body::{BodyTarget, qp_decode, qp_encode};
pub use headers::{HeaderTarget, headers};

use super::codes::Finding;
use crate::message::Message;

/// Bytes of candidate body hashing allowed per signature.
pub const BODY_BUDGET: u64 = 160 * 1024 * 1024;
/// Public-key checks allowed per signature.
pub const MAX_VERIFIES: u32 = 64;

/// What was appended after the signed part of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// Lines and bytes of the received body that still match `bh=`.
    pub signed_lines: u64,
    pub signed_bytes: u64,
    /// Lines and bytes added after them.
    pub lines: u64,
    pub bytes: u64,
    /// The added text (the footer), at most 16 KiB of it.
    pub text: Vec<u8>,
    pub truncated: bool,
}

/// The evidence behind a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    None,
    /// body-appended: the footer and its size.
    Appended(Appended),
    /// subject-tagged: the text removed (or rewritten) and the field.
    Tag {
        field: usize,
        tag: String,
    },
    /// A header field whose edit made the signature verify.
    Field {
        field: usize,
        name: String,
    },
    /// Any other change, described.
    Change(String),
}

/// One localization result, beside body-hash-mismatch / signature-mismatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizedFinding {
    pub code: Finding,
    /// One line: what changed, or for `unknown` what was tried.
    pub detail: String,
    pub evidence: Evidence,
    /// The candidate families tried before the answer (or without one).
    pub tried: Vec<String>,
    /// True when a budget ended the search before every candidate ran.
    pub budget_stopped: bool,
}

/// The work left for one signature's search.
#[derive(Debug, Clone)]
pub struct Budget {
    bytes: u64,
    verifies: u32,
    exhausted: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(BODY_BUDGET, MAX_VERIFIES)
    }
}

impl Budget {
    pub fn new(bytes: u64, verifies: u32) -> Self {
        Budget {
            bytes,
            verifies,
            exhausted: false,
        }
    }
    /// Spend `n` bytes of hashing; false (and exhausted) when they are not left.
    pub fn take(&mut self, n: u64) -> bool {
        if n > self.bytes {
            self.exhausted = true;
            return false;
        }
        self.bytes -= n;
        true
    }
    /// Spend one public-key check.
    pub fn verify(&mut self) -> bool {
        if self.verifies == 0 {
            self.exhausted = true;
            return false;
        }
        self.verifies -= 1;
        true
    }
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }
}

/// Localize a body-hash mismatch.
pub fn body(t: &BodyTarget, budget: &mut Budget) -> LocalizedFinding {
    body::localize(t, budget)
}

/// The top-level Content-Transfer-Encoding, lower-case, when there is one.
pub fn transfer_encoding(msg: &Message) -> Option<String> {
    msg.fields("Content-Transfer-Encoding")
        .next()
        .map(|(_, h)| {
            String::from_utf8_lossy(msg.value_bytes(h))
                .trim()
                .to_ascii_lowercase()
        })
}

/// What localization found for one signature: beside a failed body step,
/// beside a failed signature step, or neither.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    pub body: Option<LocalizedFinding>,
    pub headers: Option<LocalizedFinding>,
}

impl Localized {
    /// Body first, then headers.
    pub fn into_vec(self) -> Vec<LocalizedFinding> {
        self.body.into_iter().chain(self.headers).collect()
    }
}
