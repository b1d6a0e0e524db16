//! Plain words for a verdict: what broke, and who must do what about it.

use super::{Report, SignatureReport};
use crate::dkim::codes::{Diagnosis, Outcome};

/// Who must act on a diagnosis, and what they should do (short form).
pub fn action(d: Diagnosis) -> &'static str {
    use Diagnosis::*;
    match d {
        Pass => "Nothing to fix: the signature verifies.",
        HeadersOnlyPass => {
            "The header signature verifies; supply the whole message to check the body too."
        }
        NoSignature => "The sending domain's admin must turn on DKIM signing at the mail provider.",
        SigMalformed | SigMissingTag | SigBadVersion | SigUnknownAlgorithm => {
            "The signing software writes a broken signature: the sending domain's admin must fix or replace the signer."
        }
        SigFromNotSigned => {
            "The signer must include From in h= (RFC 6376 §5.4); fix the signer's header list."
        }
        SigIdentityMismatch => {
            "The signer's i= must be d= or a subdomain of it; fix the signer configuration."
        }
        SigExpired => {
            "The signature's x= lifetime is too short for this delivery (or the mail was delayed); the signer should use a longer expiry."
        }
        SigSha1 => "The signer must switch from rsa-sha1 to rsa-sha256 (RFC 8301).",
        KeyNotFound => {
            "The sending domain's admin must publish the selector's TXT record (or sign with a selector that is published)."
        }
        KeyCnameDangling => {
            "The selector is a CNAME whose target does not answer: the provider side is not set up (e.g. Microsoft 365 DKIM not enabled, or a rotated selector). Re-enable DKIM at the provider or fix the CNAME."
        }
        KeyDnsError => {
            "A temporary DNS failure: retry later; if it persists, the domain's DNS servers must be fixed."
        }
        KeyOfflineMissing => {
            "Offline, and no --keys file holds this key: run the dig command shown and add its output to a keys file."
        }
        KeyRevoked => {
            "The key was revoked (p= empty) but mail is still signed with it: the sender must sign with a current selector."
        }
        KeyMalformed => {
            "The published key record is unusable: the sending domain's admin must republish it exactly as the provider gives it."
        }
        KeyTooShort => {
            "The key is under 1024 bits (RFC 8301): the sender must publish and sign with a 2048-bit key."
        }
        KeyAlgorithmMismatch => {
            "The key type (k=) does not fit the signature's a=: the selector points at the wrong key."
        }
        KeyHashNotAllowed => {
            "The key's h= forbids the signature's hash: fix the key record or the signer's algorithm."
        }
        KeyServiceMismatch => "The key's s= does not allow email: fix the key record.",
        KeyStrictSubdomain => {
            "The key has t=s, so i= must be exactly d=: fix the key flags or the signer's i=."
        }
        BodyHashMismatch => {
            "The body changed after signing (a footer, a disclaimer, a line-ending or encoding rewrite): find the gateway or list that modifies mail, or have it sign after modifying."
        }
        SignatureMismatch => {
            "A signed header changed after signing (e.g. a Subject tag) or the key does not match the signer's: find what rewrites headers, or check the selector's key."
        }
    }
}

fn label(s: &SignatureReport) -> String {
    let c = &s.check;
    if c.sig.d.is_empty() {
        format!("signature #{}", c.index + 1)
    } else {
        format!("the signature of {} (s={})", c.sig.d, c.sig.s)
    }
}

/// One line for the whole message.
pub fn headline(r: &Report) -> String {
    if r.signatures.is_empty() {
        return "The message carries no DKIM-Signature: it was never signed. The sending domain's admin must turn on DKIM signing.".into();
    }
    let failing: Vec<&SignatureReport> = r
        .signatures
        .iter()
        .filter(|s| s.check.result != Outcome::Pass)
        .collect();
    let passing = r.signatures.len() - failing.len();
    match failing.first() {
        None => {
            let body = if r
                .signatures
                .iter()
                .any(|s| s.check.diagnosis == Diagnosis::HeadersOnlyPass)
            {
                " over the headers; the body was not supplied, so it was not checked"
            } else {
                ""
            };
            match r.signatures.as_slice() {
                [only] => format!("{} verifies{body}.", capitalize(&label(only))),
                all => format!("All {} signatures verify{body}.", all.len()),
            }
        }
        Some(f) => {
            let also = if passing > 0 {
                format!(
                    " ({passing} other signature{} verif{})",
                    if passing == 1 { "" } else { "s" },
                    if passing == 1 { "ies" } else { "y" }
                )
            } else {
                String::new()
            };
            format!(
                "{} {}: {}. {}{also}",
                capitalize(&label(f)),
                match f.check.result {
                    Outcome::TempError => "could not be checked",
                    Outcome::Policy => "is not acceptable",
                    _ => "fails",
                },
                f.check.reason,
                action(f.check.diagnosis)
            )
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
