//! Live DNS lookups, reported the way `dig` would show them.
//!
//! A DKIM failure is often a DNS problem: a dangling CNAME, a key split over
//! strings, a SERVFAIL from a broken zone. To explain it, every CNAME hop and
//! TTL must be kept even when the final answer is NXDOMAIN. hickory's
//! high-level `Resolver::lookup` turns a CNAME chain that ends in NXDOMAIN
//! into a bare "no records" error and drops the hops, so this module talks to
//! hickory's name-server pool directly (the same pool the high-level resolver
//! uses, with its UDP-to-TCP retry on truncation and its timeouts), reads the
//! raw response and follows the chain itself. Nothing is cached here; the
//! per-name cache lives in [`super::layered`].
//!
//! Each answer also gets a DNSSEC status ([`Dnssec`]). By default it is the
//! resolver's AD bit (asked for with the AD bit in the query, RFC 6840
//! §5.7, so responses stay small): `secure` when every response of the
//! chain had it, else `unknown`. With [`DnssecMode::Validate`] the queries
//! go through hickory's own validator ([`DnssecDnsHandle`]), which fetches
//! DNSKEY, DS and NS records from the same resolver and proves each record
//! from the trust anchor down: `secure`, `insecure` or `bogus`.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::config::{NameServerConfig, ResolverOpts, ServerOrderingStrategy};
use hickory_resolver::net::dnssec::DnssecDnsHandle;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::xfer::{DnsHandle, FirstAnswer, RetryDnsHandle};
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::dnssec::{Proof, TrustAnchors};
use hickory_resolver::proto::op::{
    DnsRequest, DnsRequestOptions, DnsResponse, Query, ResponseCode,
};
use hickory_resolver::proto::rr::rdata::SOA;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{NameServerPool, PoolContext, TlsConfig};

use super::zonefile::{MAX_CNAME_HOPS, normalize_name};
use super::{Answer, CnameHop, Dnssec, ServedBy, Soa, TxtLookup, TxtRecord, TxtSource};

/// How to reach DNS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveConfig {
    /// Ask exactly this server (over UDP, and TCP when an answer is
    /// truncated). `None` uses the name servers of `/etc/resolv.conf`.
    pub server: Option<SocketAddr>,
    /// The whole wait for one lookup, every attempt and CNAME chased
    /// included (`--dns-timeout`): the attempts share it.
    pub timeout: Duration,
    /// Attempts per query (at least one), each given `timeout / attempts`.
    pub attempts: usize,
    /// Where each answer's DNSSEC status comes from (`--dnssec`).
    pub dnssec: DnssecMode,
    /// With [`DnssecMode::Validate`], trust these DNSKEY records (a zone
    /// file) instead of the root zone's keys (`--trust-anchor`).
    pub trust_anchor: Option<PathBuf>,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            server: None,
            timeout: Duration::from_secs(5),
            attempts: 2,
            dnssec: DnssecMode::AdBit,
            trust_anchor: None,
        }
    }
}

/// How an answer's DNSSEC status is found (`--dnssec ad|validate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DnssecMode {
    /// The resolver's AD bit: `secure` or `unknown`.
    #[default]
    AdBit,
    /// dkimscope validates the answers itself, from the trust anchor down.
    Validate,
}

/// The resolver could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DnsSetupError {
    #[error(
        "cannot use the system resolver configuration (/etc/resolv.conf): {0}; name a DNS server explicitly or use keys files"
    )]
    SystemConfig(String),
    #[error(
        "/etc/resolv.conf lists no usable name server; name a DNS server explicitly or use keys files"
    )]
    NoNameServers,
    #[error("cannot set up the DNS client: {0}")]
    Client(String),
    #[error("cannot read the DNSSEC trust anchor {path}: {why}")]
    TrustAnchor { path: String, why: String },
}

type Handle = RetryDnsHandle<NameServerPool<TokioRuntimeProvider>>;

/// The handle queries go through: straight to the pool, or through
/// hickory's validator.
#[derive(Clone)]
enum Client {
    Plain(Handle),
    Validating(DnssecDnsHandle<Handle>),
}

/// Live TXT lookups through one resolver (or the system's resolvers).
#[derive(Clone)]
pub struct LiveResolver {
    handle: Client,
    label: String,
    options: DnsRequestOptions,
    deadline: Duration,
}

impl std::fmt::Debug for LiveResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveResolver")
            .field("server", &self.label)
            .field("deadline", &self.deadline)
            .finish()
    }
}

impl LiveResolver {
    /// Builds the resolver. Reads `/etc/resolv.conf` when no server is given.
    /// Opens no socket until the first lookup.
    pub fn new(cfg: LiveConfig) -> Result<LiveResolver, DnsSetupError> {
        let attempts = cfg.attempts.max(1);
        let (servers, label, mut opts) = match cfg.server {
            Some(addr) => {
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                for conn in &mut ns.connections {
                    conn.port = addr.port();
                }
                (vec![ns], addr.to_string(), ResolverOpts::default())
            }
            None => {
                let (config, opts) = hickory_resolver::system_conf::read_system_conf()
                    .map_err(|e| DnsSetupError::SystemConfig(e.to_string()))?;
                let (_, _, servers) = config.into_parts();
                let first = servers.first().ok_or(DnsSetupError::NoNameServers)?;
                let port = first.connections.first().map_or(53, |c| c.port);
                let label = format!("system ({})", SocketAddr::new(first.ip, port));
                (servers, label, opts)
            }
        };
        // The option is the whole wait: hickory waits `timeout` per attempt,
        // so each attempt gets its share.
        let total = cfg.timeout.max(Duration::from_millis(1));
        let per_try = total / u32::try_from(attempts).unwrap_or(u32::MAX);
        opts.timeout = per_try.max(Duration::from_millis(1));
        opts.attempts = attempts;
        opts.server_ordering_strategy = ServerOrderingStrategy::UserProvidedOrder;
        opts.case_randomization = false;

        let mut options = DnsRequestOptions::default();
        options.recursion_desired = true;
        options.use_edns = opts.edns0;
        options.edns_payload_len = opts.edns_payload_len;

        let tls = TlsConfig {
            config: super::plain_tls().map_err(DnsSetupError::Client)?,
        };
        let cx = Arc::new(PoolContext::new(opts, tls));
        let pool = NameServerPool::from_config(servers, cx, TokioRuntimeProvider::new());
        // hickory counts retries, not attempts.
        let retrying = RetryDnsHandle::new(pool, attempts - 1);
        let handle = match cfg.dnssec {
            DnssecMode::AdBit => Client::Plain(retrying),
            DnssecMode::Validate => {
                let anchors = match &cfg.trust_anchor {
                    Some(path) => {
                        TrustAnchors::from_file(path).map_err(|e| DnsSetupError::TrustAnchor {
                            path: path.display().to_string(),
                            why: e.to_string(),
                        })?
                    }
                    None => TrustAnchors::default(),
                };
                Client::Validating(DnssecDnsHandle::with_trust_anchor(
                    retrying,
                    Arc::new(anchors),
                ))
            }
        };

        Ok(LiveResolver {
            handle,
            label,
            options,
            deadline: total,
        })
    }

    /// Who answers, as shown in [`ServedBy::Resolver`].
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Looks up the TXT records of `name`, following CNAMEs. Never fails:
    /// every outcome is an [`Answer`]. Bounded by the configured timeout,
    /// CNAME chasing included.
    pub async fn lookup(&self, name: &str) -> TxtLookup {
        let start = Instant::now();
        let query = normalize_name(name);
        let mut hops = Vec::new();
        let mut soa = None;
        let mut dnssec = None;
        let answer = tokio::time::timeout(
            self.deadline,
            self.resolve(&query, &mut hops, &mut soa, &mut dnssec),
        )
        .await
        .unwrap_or(Answer::Timeout);
        let failed = matches!(
            answer,
            Answer::Timeout | Answer::ServFail | Answer::Refused | Answer::Error(_)
        );
        TxtLookup {
            query,
            hops,
            soa: soa.filter(|_| matches!(answer, Answer::NxDomain | Answer::NoData)),
            // A failure says nothing of DNSSEC, unless validation is what failed.
            dnssec: match dnssec {
                Some(Dnssec::Bogus) => Dnssec::Bogus,
                Some(d) if !failed => d,
                _ => Dnssec::Unknown,
            },
            answer,
            served_by: ServedBy::Resolver(self.label.clone()),
            elapsed: start.elapsed(),
            recorded: None,
        }
    }

    /// Follows `query` to its answer; for a negative one, `soa` is the SOA
    /// the last response carried. `dnssec` gathers the status of each
    /// response of the chain (the weakest wins).
    async fn resolve(
        &self,
        query: &str,
        hops: &mut Vec<CnameHop>,
        soa: &mut Option<Soa>,
        dnssec: &mut Option<Dnssec>,
    ) -> Answer {
        let mut seen: HashSet<String> = HashSet::from([query.to_string()]);
        let mut current = query.to_string();
        loop {
            let (response, proven) = match self.send(&current).await {
                Ok(r) => r,
                Err((answer, authority, status)) => {
                    *soa = authority;
                    *dnssec = Some(dnssec.map_or(status, |d| d.and(status)));
                    return answer;
                }
            };
            let mut proofs = Vec::new();
            let chain = follow_chain(&response, &current, hops, &mut seen, &mut proofs);
            let status = match (&self.handle, proven) {
                (_, Some(forced)) => forced,
                (Client::Plain(_), None) => {
                    if response.metadata.authentic_data {
                        Dnssec::Secure
                    } else {
                        Dnssec::Unknown
                    }
                }
                (Client::Validating(_), None) => {
                    let negative = matches!(&chain, Ok((_, txt)) if txt.is_empty());
                    validated(&response, &proofs, negative)
                }
            };
            *dnssec = Some(dnssec.map_or(status, |d| d.and(status)));
            let (final_name, txt) = match chain {
                Ok(found) => found,
                Err(answer) => return answer,
            };
            if !txt.is_empty() {
                return Answer::Txt(txt);
            }
            let moved = final_name != current;
            *soa = soa_of(&response);
            match response.response_code {
                ResponseCode::NXDomain => return Answer::NxDomain,
                ResponseCode::NoError => {
                    // A CNAME without data for its target and without a
                    // negative answer (SOA): the server did not chase it,
                    // so ask for the target ourselves.
                    if moved && !has_soa(&response) {
                        current = final_name;
                        continue;
                    }
                    return Answer::NoData;
                }
                code => return classify_code(code),
            }
        }
    }

    /// One query for the TXT records of `name`; failures already
    /// classified, a negative answer with the SOA it carried. A response
    /// comes with its DNSSEC status when the validator decided it outright
    /// (a negative answer whose proof of non-existence failed).
    async fn send(
        &self,
        name: &str,
    ) -> Result<(DnsResponse, Option<Dnssec>), (Answer, Option<Soa>, Dnssec)> {
        let fqdn = Name::from_ascii(format!("{name}.")).map_err(|e| {
            (
                Answer::Error(format!("invalid name {name:?}: {e}")),
                None,
                Dnssec::Unknown,
            )
        })?;
        let mut request = DnsRequest::from_query(Query::query(fqdn, RecordType::TXT), self.options);
        // AD in a query asks the resolver to say whether it validated
        // (RFC 6840 §5.7); the validator sets its own bits.
        request.metadata.authentic_data = true;
        let result = match &self.handle {
            Client::Plain(h) => h.send(request).first_answer().await,
            Client::Validating(h) => h.send(request).first_answer().await,
        };
        match result {
            Ok(response) => Ok((response, None)),
            Err(NetError::Dns(DnsError::Nsec {
                response, proof, ..
            })) => Ok((*response, Some(proof_status(proof)))),
            Err(NetError::Dns(DnsError::DnssecBogus)) => Err((
                Answer::Error("DNSSEC validation failed".into()),
                None,
                Dnssec::Bogus,
            )),
            Err(e) => {
                let authority = match &e {
                    NetError::Dns(DnsError::NoRecordsFound(nr)) => {
                        nr.soa.as_ref().map(|r| soa(&r.name, r.ttl, &r.data))
                    }
                    _ => None,
                };
                Err((classify_error(e), authority, Dnssec::Unknown))
            }
        }
    }
}

impl TxtSource for LiveResolver {
    fn lookup_txt<'a>(
        &'a self,
        name: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = TxtLookup> + Send + 'a>> {
        Box::pin(self.lookup(name))
    }

    fn resolver(&self) -> Option<String> {
        Some(self.label.clone())
    }
}

/// Lower-case name without the trailing dot.
fn plain(name: &Name) -> String {
    normalize_name(&name.to_ascii())
}

/// The status hickory's validator gave one record.
fn proof_status(proof: Proof) -> Dnssec {
    match proof {
        Proof::Secure => Dnssec::Secure,
        Proof::Insecure => Dnssec::Insecure,
        Proof::Bogus => Dnssec::Bogus,
        Proof::Indeterminate => Dnssec::Unknown,
    }
}

/// The status of one validated response: the weakest proof among the
/// records the answer used (`proofs`). A negative answer the validator let
/// through was proven: by a secure NSEC or NSEC3 record, else as lying in
/// an unsigned zone.
fn validated(response: &DnsResponse, proofs: &[Proof], negative: bool) -> Dnssec {
    let mut status = proofs.iter().map(|p| proof_status(*p)).reduce(Dnssec::and);
    if negative {
        let denial = response.authorities.iter().any(|r| {
            r.proof == Proof::Secure
                && matches!(r.record_type(), RecordType::NSEC | RecordType::NSEC3)
        });
        let bogus = response.authorities.iter().any(|r| r.proof == Proof::Bogus);
        let proven = match (bogus, denial) {
            (true, _) => Dnssec::Bogus,
            (false, true) => Dnssec::Secure,
            (false, false) => Dnssec::Insecure,
        };
        status = Some(status.map_or(proven, |s| s.and(proven)));
    }
    status.unwrap_or(Dnssec::Unknown)
}

/// Follows the CNAME chain from `start` through the answer section,
/// recording hops and the DNSSEC proof of each record used, and returns the
/// last name with its TXT records.
fn follow_chain(
    response: &DnsResponse,
    start: &str,
    hops: &mut Vec<CnameHop>,
    seen: &mut HashSet<String>,
    proofs: &mut Vec<Proof>,
) -> Result<(String, Vec<TxtRecord>), Answer> {
    let mut current = start.to_string();
    loop {
        let link = response.answers.iter().find_map(|r| match &r.data {
            RData::CNAME(target) if plain(&r.name) == current => {
                Some((plain(&target.0), r.ttl, r.proof))
            }
            _ => None,
        });
        let Some((target, ttl, proof)) = link else {
            break;
        };
        proofs.push(proof);
        hops.push(CnameHop {
            from: current.clone(),
            to: target.clone(),
            ttl: Some(ttl),
            origin: None,
        });
        if hops.len() > MAX_CNAME_HOPS || !seen.insert(target.clone()) {
            return Err(Answer::CnameLoop);
        }
        current = target;
    }
    let txt = response
        .answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::TXT(txt) if plain(&r.name) == current => {
                proofs.push(r.proof);
                Some(TxtRecord {
                    strings: txt.txt_data.iter().map(|s| s.to_vec()).collect(),
                    ttl: Some(r.ttl),
                    origin: None,
                })
            }
            _ => None,
        })
        .collect();
    Ok((current, txt))
}

/// The SOA of a response's authority section, as received.
fn soa_of(response: &DnsResponse) -> Option<Soa> {
    response.authorities.iter().find_map(|r| match &r.data {
        RData::SOA(data) => Some(soa(&r.name, r.ttl, data)),
        _ => None,
    })
}

fn soa(zone: &Name, ttl: u32, data: &SOA) -> Soa {
    Soa {
        zone: plain(zone),
        ttl: Some(ttl),
        mname: plain(&data.mname),
        rname: plain(&data.rname),
        timers: [
            data.serial.to_string(),
            data.refresh.to_string(),
            data.retry.to_string(),
            data.expire.to_string(),
            data.minimum.to_string(),
        ],
    }
}

fn has_soa(response: &DnsResponse) -> bool {
    response
        .authorities
        .iter()
        .any(|r| r.record_type() == RecordType::SOA)
}

fn classify_code(code: ResponseCode) -> Answer {
    match code {
        ResponseCode::NXDomain => Answer::NxDomain,
        ResponseCode::NoError => Answer::NoData,
        ResponseCode::ServFail => Answer::ServFail,
        ResponseCode::Refused => Answer::Refused,
        other => Answer::Error(format!("server answered {other}")),
    }
}

fn classify_error(e: NetError) -> Answer {
    match e {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => classify_code(nr.response_code),
        NetError::Dns(DnsError::ResponseCode(code)) => classify_code(code),
        NetError::Timeout => Answer::Timeout,
        NetError::Io(io) => Answer::Error(format!("network error: {io}")),
        NetError::Truncated => Answer::Error("answer truncated even over TCP".into()),
        NetError::NoConnections => Answer::Error("no connection could be opened to it".into()),
        other => Answer::Error(other.to_string()),
    }
}
