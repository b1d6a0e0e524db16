//! mail-auth as a reference verifier, fed only from a keys file.
//!
//! Every TXT lookup is answered from a cache pre-filled from the zone; names
//! the zone does not cover are answered from the cache too (as an error), so
//! mail-auth's resolver is never asked and no packet is ever sent.

use crate::zone::{Answer, Zone};
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::hickory_resolver::proto::op::ResponseCode;
use mail_auth::{
    AuthenticatedMessage, DkimResult, DnsError, Error, MessageAuthenticator, Parameters,
    ResolverCache, Txt,
};
use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// TXT answers built once from a zone (present names parsed as DKIM keys).
pub struct ZoneCache {
    map: HashMap<Box<str>, Txt>,
    soa: Vec<String>,
}

fn not_found() -> Txt {
    Txt::Error(Error::Dns(DnsError::RecordNotFound(ResponseCode::NXDomain)))
}

fn offline_missing() -> Txt {
    Txt::Error(Error::Dns(DnsError::Resolver(
        "offline: name not in keys file".into(),
    )))
}

impl ZoneCache {
    pub fn new(zone: &Zone) -> ZoneCache {
        let mut map = HashMap::new();
        for name in zone.names() {
            let txt: Txt = match zone.lookup_txt(&name) {
                Answer::Txt { records, .. } => {
                    let mut result = Err(Error::Dns(DnsError::InvalidRecordType));
                    for r in &records {
                        result = DomainKey::parse(r);
                        if result.is_ok() {
                            break;
                        }
                    }
                    Txt::from(result)
                }
                Answer::NxDomain { .. } | Answer::Dangling { .. } => not_found(),
                Answer::Missing => continue,
            };
            map.insert(name.into_boxed_str(), txt);
        }
        let soa = zone
            .entries
            .iter()
            .filter(|e| e.data == crate::zone::Rdata::Soa)
            .map(|e| e.name.clone())
            .collect();
        ZoneCache { map, soa }
    }

    /// The answer for a fully qualified, lower-case name: the record, NXDOMAIN
    /// under an SOA the file holds, or a resolver error (temperror) otherwise.
    pub fn answer(&self, name: &str) -> Txt {
        if let Some(hit) = self.map.get(name) {
            return hit.clone();
        }
        if self
            .soa
            .iter()
            .any(|z| name == z || name.ends_with(&format!(".{z}")))
        {
            return not_found();
        }
        offline_missing()
    }
}

/// Per-message cache: answers for the names its signatures need; anything
/// else is answered with a resolver error, so mail-auth never goes to DNS.
struct MessageCache(HashMap<Box<str>, Txt>);

impl ResolverCache<Box<str>, Txt> for MessageCache {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        Some(self.0.get(name).cloned().unwrap_or_else(offline_missing))
    }

    fn remove<Q>(&self, _name: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }

    fn insert(&self, _key: Box<str>, _value: Txt, _valid_until: std::time::Instant) {}
}

/// `s._domainkey.d.` for every DKIM-Signature / ARC signature in the header block.
fn key_names(raw: &[u8]) -> Vec<String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .map_or(raw.len(), |p| p + 2);
    let head = crate::sign::normalize_crlf(&raw[..end]);
    let (fields, _) = crate::sign::split_message(&head);
    let mut names = Vec::new();
    for f in fields {
        let n = f.name.to_ascii_lowercase();
        if n != "dkim-signature" && n != "arc-message-signature" && n != "arc-seal" {
            continue;
        }
        let value: String = f.value().chars().filter(|c| !c.is_whitespace()).collect();
        let tag = |t: &str| {
            value.split(';').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                (k == t).then(|| v.to_string())
            })
        };
        if let (Some(d), Some(s)) = (tag("d"), tag("s")) {
            names.push(crate::zone::fqdn(&format!("{s}._domainkey.{d}")));
        }
    }
    names
}

/// mail-auth's verdict on one signature.
#[derive(Clone, Debug)]
pub struct VerifyOutcome {
    pub domain: String,
    pub selector: String,
    /// pass, fail, neutral, temperror, permerror or none.
    pub result: String,
    /// mail-auth's full text, e.g. `fail; Body hash did not verify`.
    pub detail: String,
}

fn short(r: &DkimResult) -> &'static str {
    match r {
        DkimResult::Pass => "pass",
        DkimResult::Fail(_) => "fail",
        DkimResult::Neutral(_) => "neutral",
        DkimResult::TempError(_) => "temperror",
        DkimResult::PermError(_) => "permerror",
        DkimResult::None => "none",
    }
}

/// A mail-auth verifier with a zone-backed cache (cheap to clone).
#[derive(Clone)]
pub struct Verifier {
    auth: MessageAuthenticator,
    cache: Arc<ZoneCache>,
}

impl Verifier {
    pub fn new(zone: &Zone) -> Result<Verifier, String> {
        // The resolver is configured but never used: the cache answers every name.
        let auth = MessageAuthenticator::new_cloudflare().map_err(|e| e.to_string())?;
        Ok(Verifier {
            auth,
            cache: Arc::new(ZoneCache::new(zone)),
        })
    }

    fn message_cache(&self, raw: &[u8]) -> MessageCache {
        MessageCache(
            key_names(raw)
                .into_iter()
                .map(|n| {
                    let a = self.cache.answer(&n);
                    (n.into_boxed_str(), a)
                })
                .collect(),
        )
    }

    /// Verifies every DKIM signature (mail-auth uses the real clock for `x=`).
    pub async fn verify(&self, raw: &[u8]) -> Result<Vec<VerifyOutcome>, String> {
        let msg =
            AuthenticatedMessage::parse(raw).ok_or("mail-auth could not parse the message")?;
        let cache = self.message_cache(raw);
        let params = Parameters::new(&msg).with_txt_cache(&cache);
        let out = self.auth.verify_dkim(params).await;
        Ok(out
            .iter()
            .map(|o| VerifyOutcome {
                domain: o.signature().map(|s| s.d.clone()).unwrap_or_default(),
                selector: o.signature().map(|s| s.s.clone()).unwrap_or_default(),
                result: short(o.result()).to_string(),
                detail: o.result().to_string(),
            })
            .collect())
    }

    /// The ARC chain result (pass, fail, none, ...).
    pub async fn verify_arc(&self, raw: &[u8]) -> Result<String, String> {
        let msg =
            AuthenticatedMessage::parse(raw).ok_or("mail-auth could not parse the message")?;
        let cache = self.message_cache(raw);
        let params = Parameters::new(&msg).with_txt_cache(&cache);
        let out = self.auth.verify_arc(params).await;
        Ok(short(out.result()).to_string())
    }
}
