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

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::config::{NameServerConfig, ResolverOpts, ServerOrderingStrategy};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::xfer::{DnsHandle, FirstAnswer, RetryDnsHandle};
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::{DnsRequestOptions, DnsResponse, Query, ResponseCode};
use hickory_resolver::proto::rr::rdata::SOA;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{NameServerPool, PoolContext, TlsConfig};

use super::zonefile::{MAX_CNAME_HOPS, normalize_name};
use super::{Answer, CnameHop, ServedBy, Soa, TxtLookup, TxtRecord, TxtSource};

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
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            server: None,
            timeout: Duration::from_secs(5),
            attempts: 2,
        }
    }
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
}

type Handle = RetryDnsHandle<NameServerPool<TokioRuntimeProvider>>;

/// Live TXT lookups through one resolver (or the system's resolvers).
#[derive(Clone)]
pub struct LiveResolver {
    handle: Handle,
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
        let handle = RetryDnsHandle::new(pool, attempts - 1);

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
        let answer = tokio::time::timeout(self.deadline, self.resolve(&query, &mut hops, &mut soa))
            .await
            .unwrap_or(Answer::Timeout);
        TxtLookup {
            query,
            hops,
            soa: soa.filter(|_| matches!(answer, Answer::NxDomain | Answer::NoData)),
            answer,
            served_by: ServedBy::Resolver(self.label.clone()),
            elapsed: start.elapsed(),
            recorded: None,
        }
    }

    /// Follows `query` to its answer; for a negative one, `soa` is the SOA
    /// the last response carried.
    async fn resolve(
        &self,
        query: &str,
        hops: &mut Vec<CnameHop>,
        soa: &mut Option<Soa>,
    ) -> Answer {
        let mut seen: HashSet<String> = HashSet::from([query.to_string()]);
        let mut current = query.to_string();
        loop {
            let response = match self.send(&current).await {
                Ok(r) => r,
                Err((answer, authority)) => {
                    *soa = authority;
                    return answer;
                }
            };
            let (final_name, txt) = match follow_chain(&response, &current, hops, &mut seen) {
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
    /// classified, a negative answer with the SOA it carried.
    async fn send(&self, name: &str) -> Result<DnsResponse, (Answer, Option<Soa>)> {
        let fqdn = Name::from_ascii(format!("{name}."))
            .map_err(|e| (Answer::Error(format!("invalid name {name:?}: {e}")), None))?;
        let query = Query::query(fqdn, RecordType::TXT);
        match self.handle.lookup(query, self.options).first_answer().await {
            Ok(response) => Ok(response),
            Err(e) => {
                let authority = match &e {
                    NetError::Dns(DnsError::NoRecordsFound(nr)) => {
                        nr.soa.as_ref().map(|r| soa(&r.name, r.ttl, &r.data))
                    }
                    _ => None,
                };
                Err((classify_error(e), authority))
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

/// Follows the CNAME chain from `start` through the answer section,
/// recording hops, and returns the last name with its TXT records.
fn follow_chain(
    response: &DnsResponse,
    start: &str,
    hops: &mut Vec<CnameHop>,
    seen: &mut HashSet<String>,
) -> Result<(String, Vec<TxtRecord>), Answer> {
    let mut current = start.to_string();
    loop {
        let link = response.answers.iter().find_map(|r| match &r.data {
            RData::CNAME(target) if plain(&r.name) == current => Some((plain(&target.0), r.ttl)),
            _ => None,
        });
        let Some((target, ttl)) = link else {
            break;
        };
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
            RData::TXT(txt) if plain(&r.name) == current => Some(TxtRecord {
                strings: txt.txt_data.iter().map(|s| s.to_vec()).collect(),
                ttl: Some(r.ttl),
                origin: None,
            }),
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
