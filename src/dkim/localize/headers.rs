//! Header reversals: when `b=` does not verify over the signed header
//! fields, edit them the ways relays are known to (a Subject tag removed, a
//! re-folded field unfolded, a field added after signing left out) and
//! re-verify; the first edit that verifies is the finding. At most
//! [`super::MAX_VERIFIES`] public-key checks per signature.

use super::{Budget, Evidence, LocalizedFinding, MAX_VERIFIES};

/// Candidate edits built at most (only [`MAX_VERIFIES`] are checked); this
/// bounds memory when h= lists thousands of large fields.
const MAX_CANDIDATES: usize = 4 * MAX_VERIFIES as usize;
use crate::dkim::canon;
use crate::dkim::codes::Finding;
use crate::dkim::hashing::{HeaderHash, field_text, strip_b, verify_crypto};
use crate::dkim::key::PublicKey;
use crate::dkim::signature::{Algorithm, Canon, Signature};
use crate::message::Message;

/// What the header reversals need: the message, the signature and the
/// header hash it failed with, and the key to re-verify with.
pub struct HeaderTarget<'a> {
    pub msg: &'a Message,
    pub field: usize,
    pub sig: &'a Signature,
    pub hashed: &'a HeaderHash,
    pub key: &'a PublicKey,
    pub alg: Algorithm,
}

/// Subject prefixes gateways are known to add (compared without case).
const KNOWN_TAGS: [&str; 18] = [
    // SpamAssassin's default rewrite_header Subject.
    "*****SPAM*****",
    "****SPAM****",
    "*** SPAM ***",
    "***SPAM***",
    "**SPAM**",
    "{Spam?}",
    "[Suspected Spam]",
    "[SPAM]",
    "[EXTERNAL]",
    "[EXT]",
    "EXTERNAL:",
    "EXT:",
    "SPAM:",
    "CAUTION:",
    "[CAUTION]",
    "[WARNING]",
    "SUSPECTED SPAM:",
    "[SPAM?]",
];
/// Reply and forward markers some gateways rewrite (Re: <-> RE:).
const REPLY_MARKS: [&str; 7] = ["Re:", "RE:", "re:", "Fw:", "FW:", "Fwd:", "FWD:"];

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One edit to try: a replacement text for one picked field (or the
/// signature field), or a field left out.
enum Edit {
    Field { k: usize, text: Vec<u8> },
    Signature(Vec<u8>),
    AllFields(Vec<(usize, Vec<u8>)>),
    Without(usize),
}

struct Candidate {
    edit: Edit,
    code: Finding,
    detail: String,
    evidence: Evidence,
}

impl HeaderTarget<'_> {
    fn canonical(&self, text: &[u8], eol: bool) -> Vec<u8> {
        let mut out = Vec::new();
        canon::header(text, self.sig.header_canon, eol, &mut out);
        out
    }

    /// The hash input with one edit applied.
    fn input(&self, edit: &Edit) -> Vec<u8> {
        let hh = self.hashed;
        let mut input = Vec::with_capacity(hh.input.len() + 64);
        if let Edit::Without(skip) = edit {
            for i in pick(self.msg, self.field, self.sig, Some(*skip))
                .into_iter()
                .flatten()
            {
                input.extend(self.canonical(field_text(self.msg, i), true));
            }
            input.extend_from_slice(&hh.signature_field);
            return input;
        }
        for (k, p) in hh.picked.iter().enumerate() {
            let replaced = match edit {
                Edit::Field { k: at, text } if *at == k => Some(text.as_slice()),
                Edit::AllFields(all) => all
                    .iter()
                    .find(|(at, _)| *at == k)
                    .map(|(_, t)| t.as_slice()),
                _ => None,
            };
            match replaced {
                Some(text) => input.extend(self.canonical(text, true)),
                None => input.extend_from_slice(&p.canonical),
            }
        }
        match edit {
            Edit::Signature(text) => input.extend(self.canonical(text, false)),
            _ => input.extend_from_slice(&hh.signature_field),
        }
        input
    }

    fn subject_candidates(&self, out: &mut Vec<Candidate>) {
        let Some((k, i)) = self.hashed.picked.iter().enumerate().find_map(|(k, p)| {
            p.name
                .eq_ignore_ascii_case("subject")
                .then_some((k, p.field?))
        }) else {
            return;
        };
        let text = field_text(self.msg, i);
        let Some(colon) = memchr::memchr(b':', text) else {
            return;
        };
        let lead = text[colon + 1..]
            .iter()
            .position(|b| !is_wsp(*b) && *b != b'\r' && *b != b'\n')
            .unwrap_or(text.len() - colon - 1);
        let v0 = colon + 1 + lead;
        let value = &text[v0..];
        let mut push = |new_value: Vec<u8>, tag: String, what: String| {
            let mut t = text[..v0].to_vec();
            t.extend(new_value);
            out.push(Candidate {
                edit: Edit::Field { k, text: t },
                code: Finding::SubjectTagged,
                detail: what,
                evidence: Evidence::Tag { field: i, tag },
            });
        };
        // Leading tags: known ones, then any bracketed prefix.
        let mut tags: Vec<usize> = KNOWN_TAGS
            .iter()
            .filter(|t| {
                value.len() >= t.len() && value[..t.len()].eq_ignore_ascii_case(t.as_bytes())
            })
            .map(|t| t.len())
            .collect();
        if let Some(l) = bracketed(value) {
            tags.push(l);
        }
        tags.dedup();
        for len in tags {
            let ws = value[len..].iter().take_while(|b| is_wsp(**b)).count();
            let mut cuts = vec![len + ws];
            if ws > 1 {
                cuts.push(len + 1);
            }
            for cut in cuts {
                let tag = lossy(&value[..cut]);
                push(
                    value[cut..].to_vec(),
                    tag.clone(),
                    format!(
                        "the Subject was prefixed with \"{}\" after signing; without it the signature verifies",
                        tag.escape_debug()
                    ),
                );
            }
        }
        // Several stacked tags ("[EXTERNAL] [SPAM] ").
        let mut cut = 0;
        let mut stacked = 0;
        while let Some(l) = bracketed(&value[cut..]).or_else(|| {
            KNOWN_TAGS
                .iter()
                .find(|t| {
                    value[cut..].len() >= t.len()
                        && value[cut..cut + t.len()].eq_ignore_ascii_case(t.as_bytes())
                })
                .map(|t| t.len())
        }) {
            cut += l;
            cut += value[cut..].iter().take_while(|b| is_wsp(**b)).count();
            stacked += 1;
        }
        if stacked > 1 {
            let tag = lossy(&value[..cut]);
            push(
                value[cut..].to_vec(),
                tag.clone(),
                format!(
                    "the Subject was prefixed with \"{}\" after signing (several tags); without them the signature verifies",
                    tag.escape_debug()
                ),
            );
        }
        // A tag appended at the end ("Hello [SPAM]").
        let end = value
            .iter()
            .rposition(|b| !is_wsp(*b) && *b != b'\r' && *b != b'\n')
            .map_or(0, |p| p + 1);
        if end > 0
            && value[end - 1] == b']'
            && let Some(open) = value[..end].iter().rposition(|b| *b == b'[')
            && end - open <= 64
        {
            let start = value[..open]
                .iter()
                .rposition(|b| !is_wsp(*b))
                .map_or(0, |p| p + 1);
            let tag = lossy(&value[start..]);
            let mut v = value[..start].to_vec();
            v.extend_from_slice(&value[end..]);
            push(
                v,
                tag.clone(),
                format!(
                    "\"{}\" was appended to the Subject after signing; without it the signature verifies",
                    tag.trim().escape_debug()
                ),
            );
        }
        // Reply/forward markers rewritten (Re: -> RE:) or added.
        for mark in REPLY_MARKS {
            if value.len() >= mark.len()
                && value[..mark.len()].eq_ignore_ascii_case(mark.as_bytes())
            {
                let now = lossy(&value[..mark.len()]);
                for other in REPLY_MARKS {
                    if other.len() == mark.len() && other.eq_ignore_ascii_case(mark) && other != now
                    {
                        let mut v = other.as_bytes().to_vec();
                        v.extend_from_slice(&value[mark.len()..]);
                        push(
                            v,
                            now.clone(),
                            format!(
                                "the Subject's \"{other}\" was rewritten to \"{now}\" after signing"
                            ),
                        );
                    }
                }
                let ws = value[mark.len()..]
                    .iter()
                    .take_while(|b| is_wsp(**b))
                    .count();
                let tag = lossy(&value[..mark.len() + ws]);
                push(
                    value[mark.len() + ws..].to_vec(),
                    tag.clone(),
                    format!("\"{}\" was added to the Subject after signing", tag.trim()),
                );
                break;
            }
        }
    }

    fn added_field_candidates(&self, out: &mut Vec<Candidate>) {
        let mut listed: Vec<(String, usize)> = Vec::new();
        for n in &self.sig.h {
            let lower = n.to_ascii_lowercase();
            match listed.iter_mut().find(|(l, _)| *l == lower) {
                Some((_, c)) => *c += 1,
                None => listed.push((lower, 1)),
            }
        }
        for (name, times) in listed {
            if out.len() >= MAX_CANDIDATES {
                return;
            }
            let present: Vec<usize> = self
                .msg
                .fields(&name)
                .map(|(i, _)| i)
                .filter(|i| *i != self.field)
                .collect();
            // Only when every instance is signed does an added one break it.
            if present.is_empty() || present.len() > times {
                continue;
            }
            let shown = self.msg.headers[present[0]].name.clone();
            for &i in &present {
                if out.len() >= MAX_CANDIDATES {
                    return;
                }
                let detail = if present.len() > 1 {
                    format!(
                        "a second {shown} field was added above the signed one after signing: h= lists {name} {times} time{} (over-signing), so the added field is covered and breaks the signature; without it the signature verifies",
                        if times == 1 { "" } else { "s" }
                    )
                } else {
                    format!(
                        "a {shown} field was added after signing: h= names {name}, which was absent when the message was signed; without it the signature verifies"
                    )
                };
                out.push(Candidate {
                    edit: Edit::Without(i),
                    code: Finding::Unknown,
                    detail,
                    evidence: Evidence::Field {
                        field: i,
                        name: shown.clone(),
                    },
                });
            }
        }
    }

    fn refold_candidates(&self, out: &mut Vec<Candidate>) {
        let mut all_unfolded = Vec::new();
        let mut all_spaced = Vec::new();
        for (k, p) in self.hashed.picked.iter().enumerate() {
            if out.len() >= MAX_CANDIDATES {
                return;
            }
            let Some(i) = p.field else { continue };
            let text = field_text(self.msg, i);
            let name = self.msg.headers[i].name.clone();
            let mut variants: Vec<(Vec<u8>, &str)> = Vec::new();
            if memchr::memchr(b'\n', text).is_some() {
                let unfolded = unfold(text, None);
                all_unfolded.push((k, unfolded.clone()));
                all_spaced.push((k, unfold(text, Some(b" "))));
                variants.push((unfolded, "a line break was inserted (re-folded)"));
                variants.push((
                    unfold(text, Some(b" ")),
                    "it was re-folded with different whitespace",
                ));
                variants.push((
                    refold_ws(text, b"\t"),
                    "the folding whitespace was changed (tab to spaces)",
                ));
                variants.push((
                    refold_ws(text, b" "),
                    "the folding whitespace was changed (spaces to tab)",
                ));
            }
            if let Some(c) = memchr::memchr(b':', text) {
                let ws = text[c + 1..].iter().take_while(|b| is_wsp(**b)).count();
                if ws != 1 {
                    let mut t = text[..=c].to_vec();
                    t.push(b' ');
                    t.extend_from_slice(&text[c + 1 + ws..]);
                    variants.push((t, "the whitespace after the colon was changed"));
                }
                if ws > 0 {
                    let mut t = text[..=c].to_vec();
                    t.extend_from_slice(&text[c + 1 + ws..]);
                    variants.push((t, "a space was inserted after the colon"));
                }
            }
            for (t, how) in variants {
                if t != text {
                    out.push(Candidate {
                        edit: Edit::Field { k, text: t },
                        code: Finding::HeaderRefolded,
                        detail: format!("the signed {name} field was changed in transit under c=simple headers: {how}; with that undone the signature verifies"),
                        evidence: Evidence::Field { field: i, name: name.clone() },
                    });
                }
            }
        }
        let own = strip_b(self.msg, self.field, self.sig);
        if memchr::memchr(b'\n', &own).is_some() {
            for (t, how) in [
                (unfold(&own, None), "re-folded"),
                (
                    unfold(&own, Some(b" ")),
                    "re-folded with different whitespace",
                ),
            ] {
                out.push(Candidate {
                    edit: Edit::Signature(t),
                    code: Finding::HeaderRefolded,
                    detail: format!("the DKIM-Signature field itself was {how} in transit under c=simple headers; unfolded, the signature verifies"),
                    evidence: Evidence::Field { field: self.field, name: self.msg.headers[self.field].name.clone() },
                });
            }
        }
        if all_unfolded.len() > 1 {
            for (all, how) in [
                (all_unfolded, "unfolded"),
                (all_spaced, "unfolded with single spaces"),
            ] {
                out.push(Candidate {
                    edit: Edit::AllFields(all),
                    code: Finding::HeaderRefolded,
                    detail: format!("several signed fields were re-folded in transit under c=simple headers; with all of them {how} the signature verifies"),
                    evidence: Evidence::Change("all folded signed fields".into()),
                });
            }
        }
    }
}

fn pick(msg: &Message, field: usize, sig: &Signature, skip: Option<usize>) -> Vec<Option<usize>> {
    crate::dkim::hashing::pick_instances(msg, field, &sig.h, skip)
}

/// The length of a leading bracketed tag (`[..]`, `{..}`, `(..)`) on one
/// line, at most 64 bytes.
fn bracketed(v: &[u8]) -> Option<usize> {
    let close = match v.first()? {
        b'[' => b']',
        b'{' => b'}',
        b'(' => b')',
        _ => return None,
    };
    let end = v
        .iter()
        .take(64)
        .position(|b| *b == close || *b == b'\r' || *b == b'\n')?;
    (v[end] == close).then_some(end + 1)
}

/// Remove every line break that starts a continuation line; `with` replaces
/// the break and the whitespace after it when given.
fn unfold(text: &[u8], with: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let brk = match (text[i], text.get(i + 1)) {
            (b'\r', Some(b'\n')) => 2,
            (b'\n', _) => 1,
            _ => 0,
        };
        if brk > 0 && text.get(i + brk).is_some_and(|b| is_wsp(*b)) {
            i += brk;
            if let Some(w) = with {
                out.extend_from_slice(w);
                while text.get(i).is_some_and(|b| is_wsp(*b)) {
                    i += 1;
                }
            }
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// Keep the line breaks but replace the whitespace that starts each
/// continuation line with `ws`.
fn refold_ws(text: &[u8], ws: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        out.push(text[i]);
        if text[i] == b'\n' && text.get(i + 1).is_some_and(|b| is_wsp(*b)) {
            out.extend_from_slice(ws);
            i += 1;
            while text.get(i).is_some_and(|b| is_wsp(*b)) {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Localize a signature mismatch: the first edit of the signed headers
/// that makes `b=` verify.
pub fn headers(t: &HeaderTarget, budget: &mut Budget) -> LocalizedFinding {
    if t.hashed.picked.len() < t.hashed.picked_total {
        // Edits are rebuilt from the kept picks; with some not kept, every
        // rebuilt input would be wrong.
        return LocalizedFinding {
            code: Finding::Unknown,
            detail: format!(
                "not searched: h= has {} entries, over the {} kept to rebuild edited headers from",
                t.hashed.picked_total,
                t.hashed.picked.len()
            ),
            evidence: Evidence::None,
            tried: Vec::new(),
            budget_stopped: true,
        };
    }
    let mut candidates = Vec::new();
    let mut tried = vec![
        "Subject tags removed".to_string(),
        "fields added after signing left out".to_string(),
    ];
    t.subject_candidates(&mut candidates);
    t.added_field_candidates(&mut candidates);
    if t.sig.header_canon == Canon::Simple {
        t.refold_candidates(&mut candidates);
        tried.push("re-folded fields unfolded (c=simple headers)".into());
    } else {
        tried.push("no re-folding search: relaxed header canonicalization ignores folding".into());
    }
    let total = candidates.len();
    let mut ran = 0;
    for c in candidates {
        if !budget.verify() {
            break;
        }
        ran += 1;
        if verify_crypto(t.key, t.alg, &t.input(&c.edit), &t.sig.b) {
            return LocalizedFinding {
                code: c.code,
                detail: c.detail,
                evidence: c.evidence,
                tried,
                budget_stopped: false,
            };
        }
    }
    let budget_stopped = ran < total || total >= MAX_CANDIDATES;
    LocalizedFinding {
        code: Finding::Unknown,
        detail: format!(
            "no known header change explains it ({ran} of {total} candidate edits re-verified: {}){}; a signed header changed in another way (e.g. From or To rewritten by a list, an encoded word re-encoded), or the published key is not the one the signer used",
            tried.join(", "),
            if budget_stopped {
                "; the work budget stopped the search early"
            } else {
                ""
            }
        ),
        evidence: Evidence::None,
        tried,
        budget_stopped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolding_and_refolding() {
        assert_eq!(unfold(b"Subject: a\r\n b\r\n\tc", None), b"Subject: a b\tc");
        assert_eq!(unfold(b"Subject: a\r\n  b", Some(b" ")), b"Subject: a b");
        assert_eq!(refold_ws(b"S: a\r\n  b", b"\t"), b"S: a\r\n\tb");
    }

    #[test]
    fn bracketed_tags() {
        assert_eq!(bracketed(b"[SPAM] hi"), Some(6));
        assert_eq!(bracketed(b"(no subject)"), Some(12));
        assert_eq!(bracketed(b"[never closed"), None);
        assert_eq!(bracketed(b"hi"), None);
        assert_eq!(bracketed(b"[list-name] hi"), Some(11));
    }

    #[test]
    fn vendor_tags_are_known() {
        for subject in [
            "*****SPAM***** Invoice",
            "[External] Invoice",
            "[EXT] Invoice",
            "**SPAM** Invoice",
            "{Spam?} Invoice",
            "[SUSPECTED SPAM] Invoice",
        ] {
            let known = KNOWN_TAGS
                .iter()
                .any(|t| subject.len() >= t.len() && subject[..t.len()].eq_ignore_ascii_case(t))
                || bracketed(subject.as_bytes()).is_some();
            assert!(known, "{subject}");
        }
    }
}
