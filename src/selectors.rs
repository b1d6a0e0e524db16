//! `dkimscope selectors`: audit the DKIM selectors many domains publish.
//!
//! Admins with dozens of accepted domains need to know which selectors
//! resolve to a usable key, which CNAMEs dangle, and, for Microsoft 365's
//! `selector1`/`selector2` pair, which one Microsoft signs with and whether
//! DKIM is switched on there at all. Every domain x selector name is asked
//! through the same [`TxtSource`] as `check` (so `--keys` and `--offline`
//! apply), many at once with a bound on queries in flight, and results come
//! out per domain in input order.

pub mod m365;

use futures::StreamExt;

use crate::dkim::codes::Diagnosis;
use crate::dkim::key::{KeyRecord, PublicKey};
use crate::dns::{Answer, TxtLookup, TxtSource};

/// Selectors tried when none are given: Microsoft 365's pair, Google
/// Workspace's, and names common at other providers and in self-hosting.
pub const DEFAULT_SELECTORS: [&str; 15] = [
    "selector1",
    "selector2",
    "google",
    "k1",
    "k2",
    "s1",
    "s2",
    "default",
    "dkim",
    "mail",
    "mx",
    "smtp",
    "key1",
    "key2",
    "sig1",
];

/// Queries in flight at once, by default.
pub const DEFAULT_PARALLEL: usize = 64;

/// What one selector name answered, as one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Ok,
    WeakKey,
    DanglingCname,
    NxDomain,
    NoData,
    Revoked,
    Malformed,
    DnsError,
    /// `--offline` and no keys file covers the name.
    Offline,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Ok => "ok",
            Class::WeakKey => "weak-key",
            Class::DanglingCname => "dangling-cname",
            Class::NxDomain => "nxdomain",
            Class::NoData => "nodata",
            Class::Revoked => "revoked",
            Class::Malformed => "malformed",
            Class::DnsError => "dns-error",
            Class::Offline => "offline",
        }
    }
}

/// The key a selector publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    /// "rsa" or "ed25519".
    pub kind: &'static str,
    pub bits: usize,
}

/// One selector of one domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub selector: String,
    pub lookup: TxtLookup,
    pub class: Class,
    pub key: Option<KeyInfo>,
    pub detail: String,
}

impl Probe {
    /// A verifier could use this key (RFC 8301: RSA from 1024 bits).
    pub fn works(&self) -> bool {
        match self.class {
            Class::Ok => true,
            Class::WeakKey => self.key.is_some_and(|k| k.bits >= 1024),
            _ => false,
        }
    }

    /// The CNAME chain leads into Microsoft 365 (`*.onmicrosoft.com`,
    /// `*.dkim.mail.microsoft`).
    pub fn is_m365(&self) -> bool {
        m365::points_to_m365(&self.lookup)
    }
}

/// Microsoft 365's selector pair as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M365Pair {
    /// Selectors whose onmicrosoft.com target publishes a key.
    pub live: Vec<String>,
    /// Selectors whose onmicrosoft.com target does not resolve to a key.
    pub inactive: Vec<String>,
    /// Some target resolves: DKIM signing is on at Microsoft 365.
    pub enabled: bool,
    /// The story's stable word ([`m365::Story::meaning`]).
    pub meaning: &'static str,
    pub note: String,
}

/// One domain's audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainAudit {
    pub domain: String,
    pub probes: Vec<Probe>,
    pub m365: Option<M365Pair>,
}

impl DomainAudit {
    /// Selectors with a usable key.
    pub fn working(&self) -> Vec<&str> {
        self.probes
            .iter()
            .filter(|p| p.works())
            .map(|p| p.selector.as_str())
            .collect()
    }

    pub fn ok(&self) -> bool {
        self.probes.iter().any(Probe::works)
    }
}

/// Classify one lookup.
pub fn classify(l: &TxtLookup) -> (Class, Option<KeyInfo>, String) {
    let last = l.hops.last().map(|h| h.to.as_str());
    if l.dnssec == crate::dns::Dnssec::Bogus
        && let Some(why) = l.dns_failure()
    {
        return (Class::DnsError, None, why);
    }
    match &l.answer {
        Answer::Txt(recs) => {
            let parsed: Vec<KeyRecord> =
                recs.iter().map(|r| KeyRecord::parse(&r.joined())).collect();
            let Some(rec) = parsed.iter().find(|r| r.looks_like_key()) else {
                return (
                    Class::Malformed,
                    None,
                    format!(
                        "{}, none of them a DKIM key",
                        crate::plural::count(recs.len(), "TXT record", "TXT records")
                    ),
                );
            };
            let mut extra = String::new();
            if parsed.iter().filter(|r| r.looks_like_key()).count() > 1 {
                extra.push_str("; several key records at one name (verifiers may pick either)");
            }
            if rec.testing() {
                extra.push_str("; t=y: testing mode");
            }
            if let Some(issue) = rec.issues.first() {
                let class = if issue.code == Diagnosis::KeyRevoked {
                    Class::Revoked
                } else {
                    Class::Malformed
                };
                return (class, None, format!("{}{extra}", issue.message));
            }
            match &rec.public {
                Some(PublicKey::Ed25519(_)) => (
                    Class::Ok,
                    Some(KeyInfo {
                        kind: "ed25519",
                        bits: 256,
                    }),
                    format!("Ed25519 key{extra}"),
                ),
                Some(PublicKey::Rsa { bits, .. }) => {
                    let key = Some(KeyInfo {
                        kind: "rsa",
                        bits: *bits,
                    });
                    match bits {
                        b if *b < 1024 => (
                            Class::WeakKey,
                            key,
                            format!(
                                "RSA {b} bits: under 1024, verifiers must reject it (RFC 8301){extra}"
                            ),
                        ),
                        b if *b < 2048 => (
                            Class::WeakKey,
                            key,
                            format!("RSA {b} bits: valid but weak; publish a 2048-bit key{extra}"),
                        ),
                        b => (Class::Ok, key, format!("RSA {b} bits{extra}")),
                    }
                }
                None => (
                    Class::Malformed,
                    None,
                    format!("no usable public key{extra}"),
                ),
            }
        }
        Answer::NxDomain => match last {
            Some(t) => (
                Class::DanglingCname,
                None,
                format!("the CNAME points at {t}, which does not exist"),
            ),
            None => (Class::NxDomain, None, "no such name".into()),
        },
        Answer::NoData => match last {
            Some(t) => (
                Class::DanglingCname,
                None,
                format!("the CNAME points at {t}, which holds no TXT record"),
            ),
            None => (
                Class::NoData,
                None,
                "the name exists but holds no TXT record".into(),
            ),
        },
        Answer::OfflineMissing => (
            Class::Offline,
            None,
            format!(
                "offline: no keys file has it ({})",
                crate::dns::dig_command(&l.query)
            ),
        ),
        other => (
            Class::DnsError,
            None,
            l.dns_failure().unwrap_or_else(|| other.to_string()),
        ),
    }
}

/// The pair's story from the probes (the partner of an asked selector is
/// always among them, asked or not).
fn m365_pair(probes: &[Probe]) -> Option<M365Pair> {
    let find = |name: &str| {
        probes
            .iter()
            .find(|p| p.selector.eq_ignore_ascii_case(name))
            .map(|p| &p.lookup)
    };
    let story = m365::story(find(m365::PAIR[0]), find(m365::PAIR[1]), None)?;
    let pick = |want: m365::State| -> Vec<String> {
        m365::PAIR
            .iter()
            .zip([story.selector1, story.selector2])
            .filter(|(_, st)| *st == want)
            .map(|(n, _)| (*n).to_string())
            .collect()
    };
    let live = pick(m365::State::Resolves);
    Some(M365Pair {
        enabled: !live.is_empty(),
        live,
        inactive: pick(m365::State::Dangling),
        meaning: story.meaning,
        note: story.note,
    })
}

/// Domain names as given: trimmed, lower-case, no trailing dot, blank and
/// `#` comment lines skipped, duplicates dropped.
pub fn clean_domains<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let d = item
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !d.is_empty() && !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// Audit every domain x selector through `src`, at most `parallel`
/// queries in flight; `emit` gets each domain in input order as soon as
/// it and every domain before it are answered, and returns false to stop.
/// Answers are taken as they land, so one slow name holds up only the
/// output, never the queries behind it.
pub async fn audit(
    domains: &[String],
    selectors: &[String],
    src: &dyn TxtSource,
    parallel: usize,
    mut emit: impl FnMut(DomainAudit) -> bool,
) {
    if selectors.is_empty() {
        return;
    }
    // One of Microsoft's pair without the other: ask the other too, for the
    // pair's story; it is not shown as a probe.
    let mut selectors = selectors.to_vec();
    let shown = selectors.len();
    for s in selectors.clone() {
        if let Some(p) = m365::partner(&s)
            && !selectors.iter().any(|x| x.eq_ignore_ascii_case(p))
        {
            selectors.push(p.to_string());
        }
    }
    let selectors = &selectors;
    let per = selectors.len();
    let jobs = domains.iter().enumerate().flat_map(|(di, d)| {
        selectors
            .iter()
            .enumerate()
            .map(move |(si, s)| (di, si, s.clone(), format!("{s}._domainkey.{d}")))
    });
    let mut stream = futures::stream::iter(jobs)
        .map(|(di, si, selector, name)| async move {
            let lookup = src.lookup_txt(&name).await;
            let (class, key, detail) = classify(&lookup);
            let probe = Probe {
                selector,
                lookup,
                class,
                key,
                detail,
            };
            (di, si, probe)
        })
        .buffer_unordered(parallel.max(1));
    // Answers per domain, and how many are in.
    let mut slots: std::collections::BTreeMap<usize, (usize, Vec<Option<Probe>>)> =
        std::collections::BTreeMap::new();
    let mut next = 0usize;
    while let Some((di, si, probe)) = stream.next().await {
        let entry = slots.entry(di).or_insert_with(|| (0, vec![None; per]));
        entry.0 += 1;
        if let Some(slot) = entry.1.get_mut(si) {
            *slot = Some(probe);
        }
        while slots.get(&next).is_some_and(|(n, _)| *n == per) {
            let Some((_, probes)) = slots.remove(&next) else {
                break;
            };
            let mut probes: Vec<Probe> = probes.into_iter().flatten().collect();
            let m365 = m365_pair(&probes);
            probes.truncate(shown);
            let Some(name) = domains.get(next) else {
                return;
            };
            next += 1;
            if !emit(DomainAudit {
                domain: name.clone(),
                probes,
                m365,
            }) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Layered, ZoneKeys};

    const ZONE: &str = "onmicrosoft.com. 3600 IN SOA ns. host. 1 2 3 4 5\n\
        selector1._domainkey.contoso.example. 3600 IN CNAME selector1-contoso-example._domainkey.contoso.onmicrosoft.com.\n\
        selector2._domainkey.contoso.example. 3600 IN CNAME selector2-contoso-example._domainkey.contoso.onmicrosoft.com.\n\
        selector2-contoso-example._domainkey.contoso.onmicrosoft.com. 3600 IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n\
        s1._domainkey.contoso.example. 3600 IN TXT \"v=spf1 -all\"\n\
        k1._domainkey.contoso.example. 3600 IN TXT \"v=DKIM1; p=\"\n";

    #[tokio::test]
    async fn classifies_and_reads_the_microsoft_pair() {
        let keys = Layered::offline(ZoneKeys::parse("zone", ZONE));
        let sels: Vec<String> = ["selector1", "selector2", "s1", "k1", "mail"]
            .map(String::from)
            .to_vec();
        let mut got = Vec::new();
        audit(
            &clean_domains(["Contoso.Example.", "", "# c"]),
            &sels,
            &keys,
            4,
            |a| {
                got.push(a);
                true
            },
        )
        .await;
        assert_eq!(got.len(), 1);
        let a = &got[0];
        let classes: Vec<&str> = a.probes.iter().map(|p| p.class.as_str()).collect();
        assert_eq!(
            classes,
            ["dangling-cname", "ok", "malformed", "revoked", "offline"]
        );
        assert_eq!(a.working(), ["selector2"]);
        let m = a.m365.as_ref().unwrap();
        assert_eq!(
            (m.live.as_slice(), m.inactive.as_slice()),
            (
                &["selector2".to_string()][..],
                &["selector1".to_string()][..]
            )
        );
        assert!(m.note.contains("selector2 resolves"), "{}", m.note);
        assert!(m.note.contains("mail signed with selector1 finds no key"));
        assert_eq!(m.meaning, "normal");
    }

    #[tokio::test]
    async fn one_selector_asked_still_reads_the_pair() {
        // --selectors selector1: selector2 is asked for the story, not shown.
        let keys = Layered::offline(ZoneKeys::parse("zone", ZONE));
        let mut got = Vec::new();
        audit(
            &["contoso.example".to_string()],
            &["selector1".to_string()],
            &keys,
            4,
            |a| {
                got.push(a);
                true
            },
        )
        .await;
        let a = &got[0];
        assert_eq!(a.probes.len(), 1);
        let m = a.m365.as_ref().unwrap();
        assert!(m.enabled, "{}", m.note);
        assert_eq!(m.meaning, "normal");
        assert!(!m.note.contains("not enabled"), "{}", m.note);
    }
}
