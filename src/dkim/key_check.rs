//! Reading a key answer for the trace: which diagnosis a failed lookup
//! gives (NXDOMAIN, dangling CNAME, SERVFAIL, offline), which TXT record is
//! the key, and whether the key fits the signature (RFC 6376 §3.6.1,
//! §6.1.2).

use super::codes::Diagnosis;
use super::key::KeyRecord;
use super::signature::Signature;
use crate::dns::{Answer, Dnssec, TxtLookup};
use crate::memo;

/// The key answer's diagnosis, if the lookup itself failed.
pub(crate) fn lookup_failure(l: &TxtLookup) -> Option<(Diagnosis, String)> {
    let dangling = |what: &str| {
        let last = l.hops.last().map(|h| h.to.as_str()).unwrap_or("");
        let via = if l.hops.len() > 1 {
            let chain: Vec<&str> = l.hops.iter().map(|h| h.to.as_str()).collect();
            format!("a CNAME chain ({})", chain.join(" -> "))
        } else {
            "a CNAME".to_string()
        };
        (
            Diagnosis::KeyCnameDangling,
            format!("{} is {via} to {last}, which {what}", l.query),
        )
    };
    if l.dnssec == Dnssec::Bogus {
        // A validating receiver never sees this answer: it gets SERVFAIL.
        let why = l
            .dns_failure()
            .unwrap_or_else(|| "the answer fails DNSSEC validation (bogus)".into());
        return Some((Diagnosis::KeyDnsError, format!("{}: {why}", l.query)));
    }
    Some(match &l.answer {
        Answer::Txt(records) if !records.is_empty() => return None,
        Answer::Txt(_) | Answer::NoData if !l.hops.is_empty() => dangling("has no TXT record"),
        Answer::Txt(_) | Answer::NoData => (
            Diagnosis::KeyNotFound,
            format!("{} exists but holds no TXT record (NODATA)", l.query),
        ),
        Answer::NxDomain if !l.hops.is_empty() => dangling("does not exist (NXDOMAIN)"),
        Answer::NxDomain => (
            Diagnosis::KeyNotFound,
            format!("{} does not exist (NXDOMAIN)", l.query),
        ),
        Answer::CnameLoop => {
            let chain: Vec<&str> = l.hops.iter().map(|h| h.to.as_str()).collect();
            (
                Diagnosis::KeyCnameDangling,
                format!(
                    "the CNAME chain from {} loops or is too long ({})",
                    l.query,
                    chain.join(" -> ")
                ),
            )
        }
        // Name who failed: the resolver itself (timeout, REFUSED, no
        // route) is not the domain's DNS.
        Answer::ServFail | Answer::Refused | Answer::Timeout | Answer::Error(_) => (
            Diagnosis::KeyDnsError,
            format!(
                "{}: {}",
                l.query,
                l.dns_failure()
                    .unwrap_or_else(|| format!("DNS failed ({})", l.answer))
            ),
        ),
        Answer::OfflineMissing => (
            Diagnosis::KeyOfflineMissing,
            format!(
                "offline, and no --keys file has {}; fetch it with: {}",
                l.query,
                crate::dns::dig_command(&l.query)
            ),
        ),
    })
}

/// Choose the key among the TXT records at the name: the first that parses
/// cleanly as a DKIM key, else the first that looks like one, else the first.
pub(crate) fn choose_key(l: &TxtLookup) -> Option<(usize, KeyRecord)> {
    let Answer::Txt(records) = &l.answer else {
        return None;
    };
    thread_local! {
        static KEYS: memo::Memo<KeyRecord> = Default::default();
    }
    let parsed: Vec<KeyRecord> = records
        .iter()
        .map(|r| memo::cached(&KEYS, &r.joined(), KeyRecord::parse))
        .collect();
    let pick = parsed
        .iter()
        .position(|k| k.issues.is_empty() && k.looks_like_key())
        .or_else(|| parsed.iter().position(KeyRecord::looks_like_key))
        .or(if parsed.is_empty() { None } else { Some(0) })?;
    parsed.into_iter().nth(pick).map(|k| (pick, k))
}

/// Key-vs-signature compatibility (RFC 6376 §3.6.1, §6.1.2).
pub(crate) fn key_fit(key: &KeyRecord, sig: &Signature) -> Option<(Diagnosis, String)> {
    if let Some(alg) = sig.algorithm
        && key.k != alg.key_type()
    {
        return Some((
            Diagnosis::KeyAlgorithmMismatch,
            format!(
                "the key is k={} but the signature uses a={}",
                key.k,
                alg.name()
            ),
        ));
    }
    if let (Some(hashes), Some(alg)) = (&key.hashes, sig.algorithm)
        && !hashes.iter().any(|h| h == alg.hash().name())
    {
        return Some((
            Diagnosis::KeyHashNotAllowed,
            format!(
                "the key allows h={} only; the signature uses {}",
                hashes.join(":"),
                alg.hash().name()
            ),
        ));
    }
    if !key.services.iter().any(|s| s == "*" || s == "email") {
        return Some((
            Diagnosis::KeyServiceMismatch,
            format!("the key is for s={}, not email", key.services.join(":")),
        ));
    }
    if key.strict_identity() {
        let auid = sig.auid();
        let dom = super::signature::identity_domain(&auid).unwrap_or("");
        if !dom.eq_ignore_ascii_case(&sig.d) {
            return Some((
                Diagnosis::KeyStrictSubdomain,
                format!(
                    "the key has t=s (no subdomains) but i={auid} is under a subdomain of d={}",
                    sig.d
                ),
            ));
        }
    }
    None
}
