//! Where on the path the message changed. The message carries the
//! evidence: the original DKIM-Signature (signer 0) and each ARC set's AMS
//! (signers 1..N) are verified against the delivered message, and each AMS
//! `bh=` is compared with the original's where canonicalization and `l=`
//! allow, so the body and the signed headers each have a first signer that
//! saw them changed; each AAR says what its hop saw on arrival. Without ARC,
//! the trusted receivers' Authentication-Results, mapped to their Received
//! hops, say the same: the last hop that saw `dkim=pass` and the first that
//! saw `dkim=fail`. The result is the hops in order, each with the ARC set
//! it added and the statements it wrote, and the break, if any.
//!
//! The model is one change: when a message was changed twice, the break
//! names the first change the evidence shows.

use super::auth_links::link_signature;
use super::{AuthStatement, SignatureReport};
use crate::arc::ArcChain;
use crate::auth_results::{self, AuthResult};
use crate::dkim::canon;
use crate::dkim::codes::{Finding, Outcome};
use crate::dkim::localize::Evidence;
use crate::dkim::verify::SignatureCheck;
use crate::message::Message;
use crate::received::{self, Hop};

mod receivers;
use receivers::by_received;

/// A place on the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    /// An ARC instance; 0 is the original DKIM signer.
    Signer(usize),
    /// After the last ARC signer: every AMS fails.
    AfterLast,
    /// A Received hop, 1 = the first (bottom) one.
    Hop(usize),
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Body,
    Headers,
    Both,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Body => "body",
            What::Headers => "headers",
            What::Both => "both",
        }
    }
}

/// Which evidence placed the break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Arc,
    Received,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Arc => "arc",
            By::Received => "received",
        }
    }
}

/// Where the message changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub last_intact: Position,
    pub first_changed: Position,
    pub what: What,
    /// The host that most likely made the change.
    pub suspect_host: Option<String>,
    /// The facts behind it, one sentence each.
    pub evidence: Vec<String>,
    pub by: By,
    /// One sentence for the headline ("lists.example.org appended 4 lines
    /// after the author signed"), when a host can be named.
    pub story: Option<String>,
}

/// Who wrote a statement about the original signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An ARC-Authentication-Results of this instance.
    Aar(usize),
    /// A trusted Authentication-Results field.
    Ar,
}

/// What one hop wrote about the original signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub source: Source,
    pub authserv_id: String,
    /// Its `dkim=` result for the original signature, as written.
    pub dkim: Option<String>,
}

/// One Received hop, with what it added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathHop {
    /// 1 = the first (bottom) Received field.
    pub number: usize,
    pub from: Option<String>,
    pub by: Option<String>,
    pub time: Option<i64>,
    /// The ARC instance this hop sealed, when one maps to it.
    pub arc: Option<usize>,
    pub wrote: Vec<Statement>,
}

/// The hops in order and where the message changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    pub hops: Vec<PathHop>,
    /// None when the path is intact, or nothing shows where it changed.
    pub brk: Option<Break>,
}

/// The inputs: the pieces of the report already built.
pub struct Inputs<'a> {
    pub msg: &'a Message,
    pub signatures: &'a [SignatureReport],
    pub arc: &'a ArcChain,
    pub hops: &'a [Hop],
    pub statements: &'a [AuthStatement],
    pub from_domain: Option<&'a str>,
}

/// How one signer's view compares with the author's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Original,
    Changed,
    Unknown,
}

/// The host a Received `from` or `by` clause names, lower-case, without a
/// trailing dot; empty without the clause.
fn clause_host(clause: Option<&str>) -> String {
    clause
        .map(received::host)
        .unwrap_or("")
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

fn by_host(h: &Hop) -> String {
    clause_host(h.by.as_deref())
}

fn from_host(h: &Hop) -> String {
    clause_host(h.from.as_deref())
}

/// The author's signature, as an index into the report's signatures:
/// aligned with From when one is, the bottom one (signed first) among them.
fn original(sigs: &[SignatureReport], from: Option<&str>) -> Option<usize> {
    let aligned = |s: &SignatureReport| {
        from.is_some_and(|f| crate::dmarc::aligned(&s.check.sig.d, f, crate::dmarc::Mode::Relaxed))
    };
    sigs.iter()
        .rposition(aligned)
        .or_else(|| sigs.len().checked_sub(1))
}

/// Does this `dkim=` statement name the signature `sigs[o]`? By the rule
/// the receivers' statements are linked with.
fn names(r: &AuthResult, sigs: &[SignatureReport], o: usize) -> bool {
    r.method.eq_ignore_ascii_case("dkim") && link_signature(r, sigs).0 == Some(o)
}

/// The hop whose `by` host is `id`, nearest below header field `field`.
fn hop_named(hops: &[Hop], id: &str, field: usize) -> Option<usize> {
    let id = super::trust::clean_id(id);
    hops.iter()
        .enumerate()
        .filter(|(_, h)| h.field > field && by_host(h) == id)
        .min_by_key(|(_, h)| h.field)
        .map(|(n, _)| n)
}

/// The hop nearest below header field `field`.
fn hop_below(hops: &[Hop], field: usize) -> Option<usize> {
    hops.iter()
        .enumerate()
        .filter(|(_, h)| h.field > field)
        .min_by_key(|(_, h)| h.field)
        .map(|(n, _)| n)
}

/// Build the path of a report.
pub fn locate(i: &Inputs) -> Path {
    let mut hops: Vec<PathHop> = i
        .hops
        .iter()
        .enumerate()
        .map(|(n, h)| PathHop {
            number: n + 1,
            from: Some(from_host(h)).filter(|s| !s.is_empty()),
            by: Some(by_host(h)).filter(|s| !s.is_empty()),
            time: h.time,
            arc: None,
            wrote: Vec::new(),
        })
        .collect();
    let o_index = original(i.signatures, i.from_domain);
    let o = o_index.map(|n| &i.signatures[n].check);
    // Each ARC set mapped to the hop that added it.
    let mut sealer: Vec<Option<usize>> = Vec::new();
    for inst in &i.arc.instances {
        let aar = inst.aar.first().copied();
        let parsed: Vec<AuthResult> = inst
            .aar_text
            .as_deref()
            .map(|t| auth_results::parse(t, aar.unwrap_or(0)))
            .unwrap_or_default();
        let id = parsed
            .first()
            .map(|r| super::trust::clean_id(&r.authserv_id))
            .unwrap_or_default();
        let top = inst
            .aar
            .iter()
            .chain(&inst.ams)
            .chain(&inst.seals)
            .copied()
            .max();
        let n = top.and_then(|f| hop_named(i.hops, &id, f).or_else(|| hop_below(i.hops, f)));
        sealer.push(n);
        if let Some(h) = n.and_then(|n| hops.get_mut(n)) {
            h.arc = Some(inst.i);
            h.wrote.push(Statement {
                source: Source::Aar(inst.i),
                authserv_id: id.clone(),
                dkim: o_index.and_then(|o| {
                    parsed
                        .iter()
                        .find(|r| names(r, i.signatures, o))
                        .map(|r| r.result.to_ascii_lowercase())
                }),
            });
        }
    }
    // The trusted receivers' statements about the original signature.
    let mut ar_hops: Vec<(usize, String)> = Vec::new();
    for st in i.statements.iter().filter(|s| !s.link.suspect) {
        let r = &st.parsed;
        // Linked when the statements were read (dkim= statements only).
        if o_index.is_none() || st.link.signature != o_index {
            continue;
        }
        let Some(n) = hop_named(i.hops, &r.authserv_id, r.field) else {
            continue;
        };
        let result = r.result.to_ascii_lowercase();
        if let Some(h) = hops.get_mut(n) {
            let id = super::trust::clean_id(&r.authserv_id);
            if !h
                .wrote
                .iter()
                .any(|w| w.source == Source::Ar && w.authserv_id == id)
            {
                h.wrote.push(Statement {
                    source: Source::Ar,
                    authserv_id: id,
                    dkim: Some(result.clone()),
                });
            }
        }
        ar_hops.push((n, result));
    }
    ar_hops.sort();
    let brk = o.and_then(|o| {
        if i.arc.instances.is_empty() {
            by_received(i, o, &hops, &ar_hops)
        } else {
            by_arc(i, o, &hops, &sealer)
        }
    });
    Path { hops, brk }
}

/// The canonical body of the delivered message, when there is one.
fn canonical_body(msg: &Message, c: crate::dkim::signature::Canon) -> Option<Vec<u8>> {
    let body = msg.body_bytes()?;
    let mut out = Vec::new();
    canon::body(body, c, &mut out);
    Some(out)
}

/// Lines and bytes of the canonical body past `l=`, when there are any.
fn uncovered(msg: &Message, o: &SignatureCheck) -> Option<(u64, u64)> {
    let l = o.sig.l?;
    let body = canonical_body(msg, o.sig.body_canon)?;
    let rest = body.get(usize::try_from(l).ok()?..)?;
    if rest.is_empty() {
        return None;
    }
    let lines = rest.iter().filter(|&&b| b == b'\n').count() as u64;
    Some((lines, rest.len() as u64))
}

/// What the original signature says changed: (body, headers).
fn changed_now(msg: &Message, o: &SignatureCheck) -> (bool, bool) {
    let body = o.body.as_ref().is_some_and(|b| !b.matches) || uncovered(msg, o).is_some();
    (body, o.crypto == Some(false))
}

/// How the AMS `c` saw the body, against the original signature `o`.
fn body_view(msg: &Message, o: &SignatureCheck, c: &SignatureCheck) -> View {
    let same = o.sig.body_canon == c.sig.body_canon
        && o.sig.algorithm.map(|a| a.hash()) == c.sig.algorithm.map(|a| a.hash())
        && c.sig.l.is_none();
    let original_ok = o.body.as_ref().is_some_and(|b| b.matches);
    if same && !o.sig.bh.is_empty() && !c.sig.bh.is_empty() {
        match o.sig.l {
            None => {
                return if c.sig.bh == o.sig.bh {
                    View::Original
                } else {
                    View::Changed
                };
            }
            // The original covered the first l bytes; they are still as
            // signed, so they hash to what the author's whole body did.
            Some(l) if original_ok => {
                if let (Some(body), Some(alg)) = (msg.body_bytes(), c.sig.algorithm) {
                    let h = canon::body_hash(body, c.sig.body_canon, alg.hash(), Some(l));
                    return if h.digest == c.sig.bh {
                        View::Original
                    } else {
                        View::Changed
                    };
                }
            }
            Some(_) => {}
        }
    }
    match (
        c.body.as_ref().map(|b| b.matches),
        o.body.as_ref().map(|b| b.matches),
    ) {
        (Some(true), Some(true)) if o.sig.l.is_none() => View::Original,
        (Some(true), Some(_)) => View::Changed,
        _ => View::Unknown,
    }
}

/// How the AMS `c` saw the signed headers: changed when it verifies now
/// and the original does not (one change: it signed after it).
fn header_view(o: &SignatureCheck, c: &SignatureCheck) -> View {
    match (c.crypto, o.crypto) {
        (_, Some(true)) => View::Original,
        (Some(true), Some(false)) => View::Changed,
        (Some(false), Some(false)) => View::Original,
        _ => View::Unknown,
    }
}

/// The first signer (1..=n) whose view is changed, or after the last.
fn first_changed(views: &[View]) -> Position {
    views
        .iter()
        .position(|v| *v == View::Changed)
        .map_or(Position::AfterLast, |k| Position::Signer(k + 1))
}

fn host_of(hops: &[PathHop], n: Option<usize>) -> Option<String> {
    n.and_then(|n| hops.get(n)).and_then(|h| h.by.clone())
}

fn by_arc(
    i: &Inputs,
    o: &SignatureCheck,
    hops: &[PathHop],
    sealer: &[Option<usize>],
) -> Option<Break> {
    let (body_changed, headers_changed) = changed_now(i.msg, o);
    if !body_changed && !headers_changed {
        return None;
    }
    let n = i.arc.instances.len();
    let ams: Vec<Option<&SignatureCheck>> = i
        .arc
        .instances
        .iter()
        .map(|x| x.ams_check.as_ref())
        .collect();
    let body_views: Vec<View> = ams
        .iter()
        .map(|c| c.map_or(View::Unknown, |c| body_view(i.msg, o, c)))
        .collect();
    let header_views: Vec<View> = ams
        .iter()
        .map(|c| c.map_or(View::Unknown, |c| header_view(o, c)))
        .collect();
    let body_at = body_changed.then(|| first_changed(&body_views));
    let headers_at = headers_changed.then(|| first_changed(&header_views));
    let (first, what) = match (body_at, headers_at) {
        (Some(b), Some(h)) if b == h => (b, What::Both),
        (Some(b), Some(h)) if h < b => (h, What::Headers),
        (Some(b), _) => (b, What::Body),
        (None, Some(h)) => (h, What::Headers),
        (None, None) => return None,
    };
    let last = match first {
        Position::Signer(k) => Position::Signer(k - 1),
        _ => Position::Signer(n),
    };
    let name = |k: usize| -> String {
        let host = host_of(hops, sealer.get(k.wrapping_sub(1)).copied().flatten());
        match (k, host) {
            (0, _) => format!("the author's signature (d={})", o.sig.d),
            (k, Some(h)) => format!("i={k} ({h})"),
            (k, None) => format!("i={k}"),
        }
    };
    let mut evidence = Vec::new();
    let sealer_host = |k: usize| host_of(hops, sealer.get(k.wrapping_sub(1)).copied().flatten());
    let suspect = match first {
        Position::Signer(k) => sealer_host(k).or_else(|| ams[k - 1].map(|c| c.sig.d.clone())),
        _ => {
            // The hop after the last sealer, else the sealer itself.
            let after = sealer.last().copied().flatten().map(|s| s + 1);
            host_of(hops, after.filter(|&a| a + 1 < hops.len())).or_else(|| sealer_host(n))
        }
    };
    for (k, c) in ams.iter().enumerate() {
        let Some(c) = c else { continue };
        let now = if c.result == Outcome::Pass {
            "verifies against the delivered message".to_string()
        } else {
            format!("does not verify ({})", c.diagnosis)
        };
        let bh = match body_views[k] {
            View::Original => "; its bh= is the author's body",
            View::Changed => "; its bh= is not the author's body",
            View::Unknown => "",
        };
        evidence.push(format!("AMS {} {now}{bh}", name(k + 1)));
    }
    for h in hops {
        for w in &h.wrote {
            if let (Source::Aar(k), Some(d)) = (w.source, &w.dkim) {
                evidence.push(format!("i={k} ({}) saw dkim={d} on arrival", w.authserv_id));
            }
        }
    }
    if let Some((lines, bytes)) = uncovered(i.msg, o) {
        evidence.push(format!(
            "the author's l={} leaves {} ({} bytes) unsigned at the end of the body",
            o.sig.l.unwrap_or(0),
            crate::plural::count(lines as usize, "line", "lines"),
            bytes
        ));
    }
    finding_evidence(o, &mut evidence);
    let when = match (first, last) {
        (Position::AfterLast, _) => format!(
            "changed after the last ARC signer, {}: by it after sealing or by a hop after it",
            name(n)
        ),
        (_, Position::Signer(k)) => format!(
            "intact at {}, changed by the {} signer",
            name(k),
            name(k + 1)
        ),
        _ => String::new(),
    };
    evidence.insert(0, when);
    let story = suspect.as_ref().map(|h| story(h, what, o, i.msg, first, n));
    Some(Break {
        last_intact: last,
        first_changed: first,
        what,
        suspect_host: suspect,
        evidence,
        by: By::Arc,
        story,
    })
}

fn finding_evidence(o: &SignatureCheck, evidence: &mut Vec<String>) {
    for f in &o.findings {
        evidence.push(format!("{}: {}", f.code, f.detail));
    }
}

/// "lists.example.org appended 4 lines after the author signed".
fn story(
    host: &str,
    what: What,
    o: &SignatureCheck,
    msg: &Message,
    at: Position,
    n: usize,
) -> String {
    let appended = o.findings.iter().find_map(|f| match &f.evidence {
        Evidence::Appended(a) => Some(a.lines),
        _ => None,
    });
    let tag = o.findings.iter().find_map(|f| match &f.evidence {
        Evidence::Tag { tag, .. } if f.code == Finding::SubjectTagged => Some(tag.clone()),
        _ => None,
    });
    let deed = match (what, appended, uncovered(msg, o), tag) {
        (What::Body, Some(l), _, _) => format!(
            "appended {}",
            crate::plural::count(l as usize, "line", "lines")
        ),
        (What::Body, None, Some((l, _)), _) => format!(
            "appended {} that l= leaves unsigned",
            crate::plural::count(l as usize, "line", "lines")
        ),
        (What::Headers, _, _, Some(t)) => format!("tagged the Subject with \"{t}\""),
        (What::Body, ..) => "changed the body".into(),
        (What::Headers, ..) => "changed signed header fields".into(),
        (What::Both, ..) => "changed the body and signed header fields".into(),
    };
    match at {
        Position::AfterLast => format!("{host} {deed} after the last ARC signer (i={n}) sealed"),
        _ => format!("{host} {deed} after the author signed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_changed_view_is_the_break() {
        use View::*;
        assert_eq!(first_changed(&[Original, Changed]), Position::Signer(2));
        assert_eq!(first_changed(&[Changed, Changed]), Position::Signer(1));
        assert_eq!(first_changed(&[Original, Unknown]), Position::AfterLast);
        assert_eq!(first_changed(&[]), Position::AfterLast);
        assert!(Position::Signer(3) < Position::AfterLast);
    }
}
