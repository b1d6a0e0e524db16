//! The second opinion: mail-auth's own verifier run on the same bytes with
//! the same key answers (pre-filled into its cache, so it never resolves
//! anything itself). Its verdict is reported beside ours, never merged.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::hickory_resolver::proto::op::ResponseCode;
use mail_auth::{
    AuthenticatedMessage, DkimResult, DnsError, Error, MessageAuthenticator, ResolverCache, Txt,
};

use super::codes::Outcome;
use crate::dns::{Answer, TxtLookup};
use crate::memo;

/// mail-auth's verdict on one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    /// mail-auth's result, `none` when it did not evaluate the signature.
    pub result: Outcome,
    /// mail-auth's reason, when it gave one.
    pub detail: String,
}

/// mail-auth's verdicts, one per DKIM-Signature (keyed by the byte offset
/// of the field value), and its ARC chain result.
#[derive(Debug, Clone, Default)]
pub struct SecondOpinion {
    pub dkim: HashMap<usize, Opinion>,
    pub arc: Option<Opinion>,
}

struct Cache(Mutex<HashMap<Box<str>, Txt>>);

impl ResolverCache<Box<str>, Txt> for Cache {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.0.lock().ok()?.get(name).cloned()
    }
    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.0.lock().ok()?.remove(name)
    }
    fn insert(&self, key: Box<str>, value: Txt, _valid_until: Instant) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(key, value);
        }
    }
}

/// Our lookup, in the shape mail-auth's cache holds.
fn as_txt(l: &TxtLookup) -> Txt {
    let dns = |e: DnsError| Txt::Error(Error::Dns(e));
    if l.dnssec == crate::dns::Dnssec::Bogus {
        // As a validating receiver's resolver would: SERVFAIL.
        return dns(DnsError::Resolver(
            "DNSSEC validation failed (bogus)".into(),
        ));
    }
    match &l.answer {
        Answer::Txt(records) => {
            thread_local! {
                static KEYS: memo::Memo<Txt> = Default::default();
            }
            let mut result = Txt::Error(Error::Dns(DnsError::InvalidRecordType));
            for r in records {
                result = memo::cached(&KEYS, &r.joined(), |b| DomainKey::parse(b).into());
                if matches!(result, Txt::DomainKey(_)) {
                    break;
                }
            }
            result
        }
        Answer::NxDomain => dns(DnsError::RecordNotFound(ResponseCode::NXDomain)),
        Answer::NoData => dns(DnsError::RecordNotFound(ResponseCode::NoError)),
        Answer::CnameLoop => dns(DnsError::RecordNotFound(ResponseCode::NXDomain)),
        other => dns(DnsError::Resolver(format!("{other:?}"))),
    }
}

fn opinion(r: &DkimResult) -> Opinion {
    let (result, detail) = match r {
        DkimResult::Pass => (Outcome::Pass, String::new()),
        DkimResult::Neutral(e) => (Outcome::Neutral, e.to_string()),
        DkimResult::Fail(e) => (Outcome::Fail, e.to_string()),
        DkimResult::PermError(e) => (Outcome::PermError, e.to_string()),
        DkimResult::TempError(e) => (Outcome::TempError, e.to_string()),
        DkimResult::None => (Outcome::None, String::new()),
    };
    Opinion { result, detail }
}

impl Opinion {
    /// mail-auth gave no verdict, and why.
    pub fn none(why: &str) -> Opinion {
        Opinion {
            result: Outcome::None,
            detail: why.into(),
        }
    }
}

fn offset(raw: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).wrapping_sub(raw.as_ptr() as usize)
}

/// A resolver that is never asked anything: every name it could need is in
/// the cache, and it has no name server to send to. Built once, without the
/// system trust store (see [`crate::dns::plain_tls`]).
fn authenticator() -> Option<&'static MessageAuthenticator> {
    static AUTH: std::sync::OnceLock<Option<MessageAuthenticator>> = std::sync::OnceLock::new();
    AUTH.get_or_init(|| {
        let config = ResolverConfig::from_parts(None, vec![], vec![]);
        let mut opts = ResolverOpts::default();
        opts.timeout = Duration::from_millis(1);
        opts.attempts = 0;
        let resolver = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(opts)
            .with_tls_config(crate::dns::plain_tls().ok()?)
            .build()
            .ok()?;
        Some(MessageAuthenticator(resolver))
    })
    .as_ref()
}

/// Build mail-auth's verifier now (on a spare thread, say) so the first
/// message does not wait for it.
pub fn prepare() {
    let _ = authenticator();
}

/// Run mail-auth over `raw` with `lookups` (every key name it may ask for).
/// mail-auth's API is async, but with every answer in its cache it never
/// waits: this runs it to completion on the calling thread.
pub fn second_opinion(raw: &[u8], lookups: &[TxtLookup], with_arc: bool) -> SecondOpinion {
    futures::executor::block_on(ask(raw, lookups, with_arc))
}

async fn ask(raw: &[u8], lookups: &[TxtLookup], with_arc: bool) -> SecondOpinion {
    let mut out = SecondOpinion::default();
    let Some(auth) = authenticator() else {
        return out;
    };
    let Some(msg) = AuthenticatedMessage::parse_with_opts(raw, None, false) else {
        return out;
    };
    let cache = Cache(Mutex::new(HashMap::new()));
    let until = Instant::now() + Duration::from_secs(3600);
    for l in lookups {
        cache.insert(format!("{}.", l.query).into_boxed_str(), as_txt(l), until);
    }
    let results = auth
        .verify_dkim(mail_auth::Parameters::new(&msg).with_txt_cache(&cache))
        .await;
    // mail-auth reports unparsable signatures first (in field order), then
    // the parsed ones (in field order).
    let mut offsets: Vec<usize> = msg
        .errors
        .iter()
        .filter(|h| matches!(h.header, Error::Dkim(_)))
        .map(|h| offset(raw, h.value))
        .collect();
    offsets.extend(msg.dkim_headers.iter().map(|h| offset(raw, h.value)));
    for (off, r) in offsets.into_iter().zip(results.iter()) {
        out.dkim.insert(off, opinion(r.result()));
    }
    for h in msg
        .errors
        .iter()
        .filter(|h| !matches!(h.header, Error::Dkim(_)))
    {
        out.dkim
            .entry(offset(raw, h.value))
            .or_insert_with(|| Opinion::none(&format!("not evaluated: {}", h.header)));
    }
    if with_arc {
        let arc = auth
            .verify_arc(mail_auth::Parameters::new(&msg).with_txt_cache(&cache))
            .await;
        out.arc = Some(opinion(arc.result()));
    }
    out
}
