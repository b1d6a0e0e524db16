//! The teaching texts behind `dkimscope explain`: every DKIM-Signature tag,
//! key-record tag, ARC field, Authentication-Results method and result word,
//! DMARC tag, and every diagnosis, warning and finding code, each with what
//! it is, its allowed values, the RFC section, an example, and (for codes)
//! who must act. The short texts are the single source of the "what to do"
//! lines in reports ([`crate::diagnose::advice::action`]).
//!
//! Lookup is forgiving: `b`, `b=`, `B`, `dkim:l`, `key:p`, `dmarc:p`,
//! `arc:cv`, `ARC-Seal`, `spf=softfail`, `key_cname_dangling` all find their
//! topic.

mod codes;
mod dkim;
mod fields;
mod other;
pub mod status;

use std::fmt::Write as _;
use std::sync::LazyLock;

/// What a topic is about; also the prefix that selects it (`key:p`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    DkimTag,
    KeyTag,
    Arc,
    Method,
    Result,
    DmarcTag,
    Diagnosis,
    Warning,
    Finding,
    Status,
    Algorithm,
    Property,
    Field,
    M365,
}

impl Kind {
    /// In the order topics are listed, and bare names are resolved.
    pub const ALL: [Kind; 14] = [
        Kind::DkimTag,
        Kind::Diagnosis,
        Kind::Warning,
        Kind::Finding,
        Kind::Method,
        Kind::Result,
        Kind::KeyTag,
        Kind::Arc,
        Kind::DmarcTag,
        Kind::Status,
        Kind::Algorithm,
        Kind::Property,
        Kind::Field,
        Kind::M365,
    ];
    /// The prefix that names this kind in a topic (`dkim:l`).
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::DkimTag => "dkim",
            Kind::KeyTag => "key",
            Kind::Arc => "arc",
            Kind::Method => "method",
            Kind::Result => "result",
            Kind::DmarcTag => "dmarc",
            Kind::Diagnosis => "diagnosis",
            Kind::Warning => "warning",
            Kind::Finding => "finding",
            Kind::Status => "status",
            Kind::Algorithm => "alg",
            Kind::Property => "property",
            Kind::Field => "field",
            Kind::M365 => "m365",
        }
    }
    pub fn heading(self) -> &'static str {
        match self {
            Kind::DkimTag => "DKIM-Signature tags (RFC 6376 §3.5)",
            Kind::KeyTag => "DKIM key record tags (RFC 6376 §3.6.1), as key:TAG",
            Kind::Arc => "ARC fields and tags (RFC 8617), as arc:NAME",
            Kind::Method => "Authentication-Results methods (RFC 8601)",
            Kind::Result => "Authentication-Results result words, as result:WORD",
            Kind::DmarcTag => "DMARC record tags (RFC 7489 §6.3), as dmarc:TAG",
            Kind::Diagnosis => "dkimscope diagnosis codes",
            Kind::Warning => "dkimscope warnings",
            Kind::Finding => "dkimscope localization findings",
            Kind::Status => {
                "Bounce status codes (RFC 3463, RFC 7372, Microsoft, Gmail), as status:CODE"
            }
            Kind::Algorithm => {
                "Signing algorithms, the values of a= (RFC 6376, RFC 8301, RFC 8463)"
            }
            Kind::Property => "Authentication-Results properties (RFC 8601 §2.7)",
            Kind::Field => "Header fields, as field:NAME",
            Kind::M365 => "Microsoft 365 anti-spam stamps, as m365:NAME",
        }
    }
}

/// One teaching text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    pub name: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    /// One line: a definition, or for codes who must act and what to do.
    pub short: &'static str,
    pub body: &'static str,
    pub rfc: &'static str,
    pub example: &'static str,
}

/// Shorthand for the topic tables.
pub(crate) const fn t(
    kind: Kind,
    name: &'static str,
    title: &'static str,
    short: &'static str,
    body: &'static str,
    rfc: &'static str,
    example: &'static str,
) -> Topic {
    Topic {
        name,
        kind,
        title,
        short,
        body,
        rfc,
        example,
    }
}

static ALL: LazyLock<Vec<Topic>> = LazyLock::new(|| {
    let mut v = Vec::new();
    v.extend_from_slice(dkim::SIGNATURE);
    v.extend_from_slice(dkim::KEY);
    v.extend_from_slice(codes::DIAGNOSES);
    v.extend_from_slice(codes::WARNINGS);
    v.extend_from_slice(codes::FINDINGS);
    v.extend_from_slice(other::ARC);
    v.extend_from_slice(other::METHODS);
    v.extend_from_slice(other::RESULTS);
    v.extend_from_slice(other::DMARC);
    v.extend_from_slice(&status::TOPICS);
    v.extend_from_slice(fields::ALGORITHMS);
    v.extend_from_slice(fields::PROPERTIES);
    v.extend_from_slice(fields::FIELDS);
    v.extend_from_slice(fields::M365);
    v
});

/// Every topic.
pub fn all() -> &'static [Topic] {
    &ALL
}

/// The topic of one kind with exactly this name.
pub fn topic(kind: Kind, name: &str) -> Option<&'static Topic> {
    all().iter().find(|t| t.kind == kind && t.name == name)
}

fn kind_of_prefix(p: &str) -> Option<Kind> {
    Some(match p {
        "dkim" | "sig" | "signature" | "dkim-signature" | "tag" => Kind::DkimTag,
        "key" | "record" | "dkim1" | "dns" => Kind::KeyTag,
        "arc" => Kind::Arc,
        "method" | "ar" | "authentication-results" | "auth-results" => Kind::Method,
        "result" | "results" => Kind::Result,
        "dmarc" | "dmarc1" => Kind::DmarcTag,
        "diagnosis" | "diag" | "code" => Kind::Diagnosis,
        "warning" | "warn" => Kind::Warning,
        "finding" => Kind::Finding,
        "status" | "smtp" | "bounce" => Kind::Status,
        "alg" | "algorithm" => Kind::Algorithm,
        "property" | "prop" => Kind::Property,
        "field" => Kind::Field,
        "m365" | "microsoft" | "o365" | "exo" => Kind::M365,
        _ => return None,
    })
}

/// Other words people use for a topic.
fn alias(name: &str) -> Option<(Kind, &'static str)> {
    Some(match name {
        "selector" => (Kind::DkimTag, "s"),
        "domain" | "sdid" | "signing-domain" => (Kind::DkimTag, "d"),
        "body-hash" | "bodyhash" => (Kind::DkimTag, "bh"),
        "canonicalization" | "canon" => (Kind::DkimTag, "c"),
        "signed-headers" | "headers" => (Kind::DkimTag, "h"),
        "auid" | "identity" => (Kind::DkimTag, "i"),
        "timestamp" => (Kind::DkimTag, "t"),
        "expiration" | "expiry" | "expires" => (Kind::DkimTag, "x"),
        "length" | "body-length" => (Kind::DkimTag, "l"),
        "algorithm" => (Kind::DkimTag, "a"),
        "version" => (Kind::DkimTag, "v"),
        "public-key" | "pubkey" => (Kind::KeyTag, "p"),
        "arc-seal" | "seal" => (Kind::Arc, "as"),
        "arc-message-signature" => (Kind::Arc, "ams"),
        "arc-authentication-results" => (Kind::Arc, "aar"),
        "instance" => (Kind::Arc, "i"),
        "revoked" => (Kind::Diagnosis, "key-revoked"),
        "expired" => (Kind::Diagnosis, "sig-expired"),
        "dangling" | "dangling-cname" => (Kind::Diagnosis, "key-cname-dangling"),
        "sfp" | "rf" => (Kind::M365, "sfs"),
        _ => return None,
    })
}

fn normalize(s: &str) -> String {
    s.trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .trim_end_matches(['=', ';', ':'])
        .trim()
        .to_ascii_lowercase()
        .replace('_', "-")
}

/// Find a topic by what a user types.
pub fn lookup(query: &str) -> Option<&'static Topic> {
    let q = normalize(query);
    if q.is_empty() {
        return None;
    }
    // A name that holds a separator itself: "header.b", "smtp.mailfrom".
    if let Some(t) = Kind::ALL.iter().find_map(|k| topic(*k, &q)) {
        return Some(t);
    }
    // "key:p", "dkim l", "arc.cv"
    if let Some((p, rest)) = q.split_once([':', ' ', '.'])
        && let Some(kind) = kind_of_prefix(p.trim())
    {
        let rest = normalize(rest);
        return topic(kind, &rest).or_else(|| {
            alias(&rest)
                .filter(|(k, _)| *k == kind)
                .and_then(|(k, n)| topic(k, n))
        });
    }
    // "spf=softfail", "dkim=fail": the result word.
    if let Some((method, word)) = q.split_once('=')
        && topic(Kind::Method, method.trim()).is_some()
    {
        return topic(Kind::Result, &normalize(word));
    }
    Kind::ALL
        .iter()
        .find_map(|k| topic(*k, &q))
        .or_else(|| alias(&q).and_then(|(k, n)| topic(k, n)))
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The name that selects `t` unambiguously: bare for DKIM tags, methods
/// and dkimscope's codes (`b`, `dkim`, `sig-expired`), with its kind's
/// prefix otherwise (`key:p`, `result:pass`).
pub fn qualified(t: &Topic) -> String {
    let bare_kind = matches!(
        t.kind,
        Kind::DkimTag | Kind::Diagnosis | Kind::Warning | Kind::Finding | Kind::Method
    );
    match lookup(t.name) {
        Some(found) if bare_kind && std::ptr::eq(found, t) => t.name.to_string(),
        _ => format!("{}:{}", t.kind.prefix(), t.name),
    }
}

/// Up to five topic names close to what was typed.
pub fn closest(query: &str) -> Vec<String> {
    let q = normalize(query);
    let q = q.rsplit([':', ' ', '.']).next().unwrap_or(&q).to_string();
    let mut scored: Vec<(usize, String)> = all()
        .iter()
        .filter_map(|t| {
            // The whole name, or its closest hyphen-separated part.
            let d = std::iter::once(t.name)
                .chain(t.name.split('-').filter(|p| p.len() >= 3))
                .map(|n| distance(&q, n))
                .min()
                .unwrap_or(usize::MAX);
            let close = d <= (q.chars().count() / 3).max(1)
                || (q.len() >= 3 && t.name.contains(q.as_str()));
            close.then(|| (d, qualified(t)))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(5).map(|(_, n)| n).collect()
}

/// The whole text of one topic, for the terminal.
pub fn render(t: &Topic) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} — {}", qualified(t), t.title);
    let _ = writeln!(o, "{}", t.kind.heading());
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", t.short);
    let _ = writeln!(o);
    for para in t.body.split("\n\n") {
        let _ = writeln!(o, "{}", wrap(para, 78));
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "Example: {}", t.example);
    let _ = writeln!(o, "See: {}", t.rfc);
    o
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split_whitespace() {
        if col > 0 && col + 1 + word.len() > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out
}

/// Every topic, grouped by kind, one line each.
pub fn listing() -> String {
    let mut o = String::from("dkimscope explain TOPIC — topics:\n");
    for kind in Kind::ALL {
        let _ = writeln!(o, "\n{}", kind.heading());
        for t in all().iter().filter(|t| t.kind == kind) {
            let _ = writeln!(o, "  {:<24} {}", qualified(t), t.title);
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgiving_lookup() {
        let name = |q: &str| lookup(q).map(|t| (t.kind, t.name));
        assert_eq!(name("b"), Some((Kind::DkimTag, "b")));
        assert_eq!(name(" B= "), Some((Kind::DkimTag, "b")));
        assert_eq!(name("bh"), Some((Kind::DkimTag, "bh")));
        assert_eq!(name("key:p"), Some((Kind::KeyTag, "p")));
        assert_eq!(name("dkim:l"), Some((Kind::DkimTag, "l")));
        assert_eq!(name("dmarc:p"), Some((Kind::DmarcTag, "p")));
        assert_eq!(name("arc:cv"), Some((Kind::Arc, "cv")));
        assert_eq!(name("ARC-Seal"), Some((Kind::Arc, "as")));
        assert_eq!(name("spf=softfail"), Some((Kind::Result, "softfail")));
        assert_eq!(
            name("key_cname_dangling"),
            Some((Kind::Diagnosis, "key-cname-dangling"))
        );
        assert_eq!(name("selector"), Some((Kind::DkimTag, "s")));
        assert_eq!(name("dkim"), Some((Kind::Method, "dkim")));
        assert_eq!(name("nonsense"), None);
        assert_eq!(name("header.b"), Some((Kind::Property, "header.b")));
        assert_eq!(
            name("smtp.mailfrom"),
            Some((Kind::Property, "smtp.mailfrom"))
        );
        assert_eq!(lookup("smtp:5.7.20").map(|t| t.kind), Some(Kind::Status));
        assert_eq!(name("rsa-sha256"), Some((Kind::Algorithm, "rsa-sha256")));
        assert_eq!(name("rsa-sha1"), Some((Kind::Algorithm, "rsa-sha1")));
        assert_eq!(
            name("ed25519-sha256"),
            Some((Kind::Algorithm, "ed25519-sha256"))
        );
        assert_eq!(name("scl"), Some((Kind::M365, "scl")));
        assert_eq!(name("m365:SFV"), Some((Kind::M365, "sfv")));
        assert_eq!(name("m365:RF"), Some((Kind::M365, "sfs")));
        assert_eq!(
            name("X-MS-Exchange-Organization-SCL").map(|t| t.0),
            Some(Kind::M365)
        );
        assert_eq!(name("Received"), Some((Kind::Field, "received")));
        // A DKIM tag keeps its bare name: h is h=, not Microsoft's H.
        assert_eq!(name("h"), Some((Kind::DkimTag, "h")));
    }

    #[test]
    fn names_are_unique_per_kind_and_qualified_names_resolve() {
        for t in all() {
            let q = qualified(t);
            let back = lookup(&q).unwrap_or_else(|| panic!("{q} does not resolve"));
            assert!(
                std::ptr::eq(back, t),
                "{q} resolves to {}:{}",
                back.kind.prefix(),
                back.name
            );
        }
    }

    #[test]
    fn suggestions_for_typos() {
        assert!(closest("key-cname-dangeling").contains(&"key-cname-dangling".to_string()));
        assert!(closest("dangeling").contains(&"key-cname-dangling".to_string()));
        assert_eq!(qualified(lookup("key:p").expect("key:p")), "key:p");
        assert!(closest("body").iter().any(|n| n == "body-appended"));
        assert!(listing().contains("key:p"));
    }
}
