//! A DKIM-Signature field read tag by tag (RFC 6376 §3.5), keeping every
//! problem with its span and the diagnosis code it leads to.

use std::ops::Range;

use base64::Engine;

use super::codes::Diagnosis;
use super::tags::{self, Tag, TagList};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    RsaSha256,
    RsaSha1,
    Ed25519Sha256,
}

impl Algorithm {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "rsa-sha256" => Some(Self::RsaSha256),
            "rsa-sha1" => Some(Self::RsaSha1),
            "ed25519-sha256" => Some(Self::Ed25519Sha256),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaSha256 => "rsa-sha256",
            Self::RsaSha1 => "rsa-sha1",
            Self::Ed25519Sha256 => "ed25519-sha256",
        }
    }
    pub fn hash(self) -> HashAlg {
        match self {
            Self::RsaSha1 => HashAlg::Sha1,
            _ => HashAlg::Sha256,
        }
    }
    /// The key type (`k=`) this algorithm needs.
    pub fn key_type(self) -> &'static str {
        match self {
            Self::Ed25519Sha256 => "ed25519",
            _ => "rsa",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlg {
    Sha1,
    Sha256,
}

impl HashAlg {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Canon {
    Simple,
    Relaxed,
}

impl Canon {
    pub fn name(self) -> &'static str {
        match self {
            Self::Simple => "simple",
            Self::Relaxed => "relaxed",
        }
    }
}

/// A problem with the signature field, where it is, and what it decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigIssue {
    pub code: Diagnosis,
    /// Span relative to the field value.
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub tags: TagList,
    pub algorithm: Option<Algorithm>,
    /// a= exactly as written.
    pub a: String,
    pub b: Vec<u8>,
    pub bh: Vec<u8>,
    pub header_canon: Canon,
    pub body_canon: Canon,
    pub d: String,
    pub s: String,
    /// h= entries as written (case kept).
    pub h: Vec<String>,
    pub i: Option<String>,
    pub l: Option<u64>,
    pub t: Option<u64>,
    pub x: Option<u64>,
    /// Every problem, in the order of DESIGN.md's checks.
    pub issues: Vec<SigIssue>,
}

fn decode_b64(tag: &Tag) -> Result<Vec<u8>, String> {
    let compact = tag.compact();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|e| format!("{}= is not valid base64: {e}", tag.name))
}

fn number(tag: &Tag) -> Result<u64, String> {
    let text = tag.text();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{}={text} is not a decimal number", tag.name));
    }
    // RFC 6376 allows up to 12 (t/x) or 76 (l) digits; anything beyond u64
    // is treated as the largest value rather than rejected.
    Ok(text.parse::<u64>().unwrap_or(u64::MAX))
}

/// Decode dkim-quoted-printable (RFC 6376 §2.11): `=XX` is the byte XX;
/// whitespace is folding and dropped.
pub fn qp_decode(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        let hex = |c: u8| (c as char).to_digit(16);
        if b == b'='
            && let (Some(h), Some(l)) = (
                value.get(i + 1).copied().and_then(hex),
                value.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        if !b.is_ascii_whitespace() {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// True for a syntactically plausible domain name: dot-separated labels of
/// letters, digits, '-' and '_' (RFC 6376 §3.5 d= and s= take
/// domain-name / sub-domain syntax).
pub fn valid_domain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The domain of an `i=` value (after the last `@`).
pub fn identity_domain(i: &str) -> Option<&str> {
    i.rsplit_once('@').map(|(_, d)| d)
}

/// True when `sub` is `parent` or a subdomain of it (case-insensitive).
pub fn is_same_or_subdomain(sub: &str, parent: &str) -> bool {
    let sub = sub.trim_end_matches('.').to_ascii_lowercase();
    let parent = parent.trim_end_matches('.').to_ascii_lowercase();
    !parent.is_empty() && (sub == parent || sub.ends_with(&format!(".{parent}")))
}

impl Signature {
    /// Read a DKIM-Signature (or ARC-Message-Signature) value. Never fails:
    /// problems land in `issues`.
    pub fn parse(value: &[u8]) -> Signature {
        Self::parse_with(value, &["v", "a", "b", "bh", "d", "h", "s"])
    }

    pub fn parse_with(value: &[u8], required: &[&str]) -> Signature {
        let tags = tags::lex(value);
        let mut sig = Signature {
            tags: TagList::default(),
            algorithm: None,
            a: String::new(),
            b: Vec::new(),
            bh: Vec::new(),
            header_canon: Canon::Simple,
            body_canon: Canon::Simple,
            d: String::new(),
            s: String::new(),
            h: Vec::new(),
            i: None,
            l: None,
            t: None,
            x: None,
            issues: Vec::new(),
        };
        let mut issues = Vec::new();
        let mut issue = |code, span: Range<usize>, message: String| {
            issues.push(SigIssue {
                code,
                span,
                message,
            })
        };
        for p in tags.problems.iter().filter(|p| p.fatal) {
            issue(Diagnosis::SigMalformed, p.span.clone(), p.message.clone());
        }
        for name in required {
            if tags.get(name).is_none() {
                issue(
                    Diagnosis::SigMissingTag,
                    0..0,
                    format!("required tag {name}= is missing"),
                );
            }
        }
        if let Some(v) = tags.get("v")
            && v.text() != "1"
        {
            issue(
                Diagnosis::SigBadVersion,
                v.value_span.clone(),
                format!("v={} but only v=1 exists", v.text()),
            );
        }
        if let Some(a) = tags.get("a") {
            sig.a = a.text();
            sig.algorithm = Algorithm::parse(&sig.a);
            if sig.algorithm.is_none() {
                issue(
                    Diagnosis::SigUnknownAlgorithm,
                    a.value_span.clone(),
                    format!("a={} is not rsa-sha256, rsa-sha1 or ed25519-sha256", sig.a),
                );
            }
        }
        for (name, slot) in [("b", &mut sig.b), ("bh", &mut sig.bh)] {
            if let Some(tag) = tags.get(name) {
                match decode_b64(tag) {
                    Ok(bytes) if bytes.is_empty() => issue(
                        Diagnosis::SigMalformed,
                        tag.value_span.clone(),
                        format!("{name}= is empty"),
                    ),
                    Ok(bytes) => *slot = bytes,
                    Err(e) => issue(Diagnosis::SigMalformed, tag.value_span.clone(), e),
                }
            }
        }
        if let Some(c) = tags.get("c") {
            let text = c.text().to_ascii_lowercase();
            let (hc, bc) = text.split_once('/').unwrap_or((&text, "simple"));
            let parse = |s: &str| match s {
                "simple" => Some(Canon::Simple),
                "relaxed" => Some(Canon::Relaxed),
                _ => None,
            };
            match (parse(hc), parse(bc)) {
                (Some(h), Some(b)) => {
                    sig.header_canon = h;
                    sig.body_canon = b;
                }
                _ => issue(
                    Diagnosis::SigMalformed,
                    c.value_span.clone(),
                    format!("c={} is not simple or relaxed (header/body)", c.text()),
                ),
            }
        }
        if let Some(d) = tags.get("d") {
            sig.d = d.text().trim_end_matches('.').to_string();
            if sig.d.is_empty() {
                issue(
                    Diagnosis::SigMalformed,
                    d.value_span.clone(),
                    "d= is empty".into(),
                );
            } else if !valid_domain(&sig.d) {
                issue(
                    Diagnosis::SigMalformed,
                    d.value_span.clone(),
                    format!("d={} is not a valid domain name", sig.d),
                );
            }
        }
        if let Some(s) = tags.get("s") {
            sig.s = s.text();
            if sig.s.is_empty() {
                issue(
                    Diagnosis::SigMalformed,
                    s.value_span.clone(),
                    "s= is empty".into(),
                );
            } else if !valid_domain(&sig.s) {
                issue(
                    Diagnosis::SigMalformed,
                    s.value_span.clone(),
                    format!("s={} is not a valid selector (dot-separated labels)", sig.s),
                );
            }
        }
        if let Some(h) = tags.get("h") {
            sig.h = String::from_utf8_lossy(&h.compact())
                .split(':')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            if sig.h.is_empty() {
                issue(
                    Diagnosis::SigMalformed,
                    h.value_span.clone(),
                    "h= lists no header".into(),
                );
            } else if !sig.h.iter().any(|n| n.eq_ignore_ascii_case("from")) {
                issue(
                    Diagnosis::SigFromNotSigned,
                    h.value_span.clone(),
                    "h= does not list From: the author field is not signed (RFC 6376 §5.4)".into(),
                );
            }
        }
        for (name, slot) in [("l", &mut sig.l), ("t", &mut sig.t), ("x", &mut sig.x)] {
            if let Some(tag) = tags.get(name) {
                match number(tag) {
                    Ok(n) => *slot = Some(n),
                    Err(e) => issue(Diagnosis::SigMalformed, tag.value_span.clone(), e),
                }
            }
        }
        if let Some(q) = tags.get("q") {
            let methods = String::from_utf8_lossy(&q.compact()).to_ascii_lowercase();
            if !methods.split(':').any(|m| m == "dns/txt" || m == "dns") {
                issue(
                    Diagnosis::SigMalformed,
                    q.value_span.clone(),
                    format!("q={} names no known query method (dns/txt)", q.text()),
                );
            }
        }
        if let (Some(t), Some(x)) = (sig.t, sig.x)
            && x < t
        {
            let span = tags.get("x").map(|x| x.value_span.clone()).unwrap_or(0..0);
            issue(
                Diagnosis::SigMalformed,
                span,
                format!("x={x} is before t={t}: the signature expired before it was made"),
            );
        }
        if let Some(i) = tags.get("i") {
            let text = String::from_utf8_lossy(&qp_decode(&i.value)).into_owned();
            match identity_domain(&text) {
                Some(dom) if !sig.d.is_empty() && !is_same_or_subdomain(dom, &sig.d) => issue(
                    Diagnosis::SigIdentityMismatch,
                    i.value_span.clone(),
                    format!("i={text}: {dom} is not {} or a subdomain of it", sig.d),
                ),
                None => issue(
                    Diagnosis::SigIdentityMismatch,
                    i.value_span.clone(),
                    format!("i={text} has no '@domain' part"),
                ),
                _ => {}
            }
            sig.i = Some(text);
        }
        sig.issues = issues;
        sig.tags = tags;
        sig
    }

    /// The key's DNS name: `s._domainkey.d`.
    /// The key name a signature value names (`s._domainkey.d`), read
    /// without the rest of the parse: what the lookups need up front.
    pub fn key_name_of(value: &[u8]) -> Option<String> {
        let tags = tags::lex(value);
        let d = tags.get("d")?.text();
        let s = tags.get("s")?.text();
        let d = d.trim_end_matches('.');
        (!d.is_empty() && !s.is_empty()).then(|| format!("{s}._domainkey.{d}").to_ascii_lowercase())
    }

    pub fn key_name(&self) -> String {
        format!("{}._domainkey.{}", self.s, self.d).to_ascii_lowercase()
    }

    /// The AUID: i= or `@d`.
    pub fn auid(&self) -> String {
        self.i.clone().unwrap_or_else(|| format!("@{}", self.d))
    }

    /// The first issue by DESIGN.md's order of checks, if any.
    pub fn first_issue(&self) -> Option<&SigIssue> {
        const ORDER: &[Diagnosis] = &[
            Diagnosis::SigMalformed,
            Diagnosis::SigMissingTag,
            Diagnosis::SigBadVersion,
            Diagnosis::SigUnknownAlgorithm,
            Diagnosis::SigFromNotSigned,
            Diagnosis::SigIdentityMismatch,
        ];
        ORDER
            .iter()
            .find_map(|code| self.issues.iter().find(|i| i.code == *code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &[u8] = b" v=1; a=rsa-sha256; c=relaxed/simple; d=example.com; s=sel;\r\n h=From:To:Subject; bh=AAAA; b=AAAA\r\n BBBB";

    #[test]
    fn reads_a_good_signature() {
        let s = Signature::parse(GOOD);
        assert!(s.issues.is_empty(), "{:?}", s.issues);
        assert_eq!(s.algorithm, Some(Algorithm::RsaSha256));
        assert_eq!(
            (s.header_canon, s.body_canon),
            (Canon::Relaxed, Canon::Simple)
        );
        assert_eq!(s.h, ["From", "To", "Subject"]);
        assert_eq!(s.b.len(), 6);
        assert_eq!(s.key_name(), "sel._domainkey.example.com");
        assert_eq!(s.auid(), "@example.com");
    }

    #[test]
    fn collects_every_problem_with_its_code() {
        let s = Signature::parse(
            b"v=2; a=rsa-md5; d=example.com; h=to; bh=!!; b=AAAA; i=@evil.example; b=x",
        );
        let codes: Vec<_> = s.issues.iter().map(|i| i.code).collect();
        for want in [
            Diagnosis::SigMalformed,
            Diagnosis::SigMissingTag,
            Diagnosis::SigBadVersion,
            Diagnosis::SigUnknownAlgorithm,
            Diagnosis::SigFromNotSigned,
            Diagnosis::SigIdentityMismatch,
        ] {
            assert!(codes.contains(&want), "{want} missing from {codes:?}");
        }
        assert_eq!(s.first_issue().unwrap().code, Diagnosis::SigMalformed);
    }

    #[test]
    fn c_with_one_word_means_body_simple() {
        let s = Signature::parse(b"c=relaxed");
        assert_eq!(
            (s.header_canon, s.body_canon),
            (Canon::Relaxed, Canon::Simple)
        );
    }

    #[test]
    fn quoted_printable_identity_and_domain_syntax() {
        assert_eq!(qp_decode(b"jlong@messiah=2Eedu"), b"jlong@messiah.edu");
        let s = Signature::parse(b"d=messiah.edu; i=jlong@messiah=2Eedu");
        assert_eq!(s.i.as_deref(), Some("jlong@messiah.edu"));
        assert!(
            s.issues
                .iter()
                .all(|i| i.code != Diagnosis::SigIdentityMismatch)
        );
        assert!(!valid_domain("legitimate.com(.attacker.com"));
        assert!(valid_domain(
            "selector1-contoso-com._domainkey.contoso.onmicrosoft.com"
        ));
    }

    #[test]
    fn identity_within_domain() {
        assert!(is_same_or_subdomain("mail.example.com", "Example.COM"));
        assert!(!is_same_or_subdomain("badexample.com", "example.com"));
        let s = Signature::parse(b"d=example.com; i=joe@sub.example.com");
        assert!(
            s.issues
                .iter()
                .all(|i| i.code != Diagnosis::SigIdentityMismatch)
        );
    }
}
