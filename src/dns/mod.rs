//! Where DKIM keys (and any other TXT record) come from.
//!
//! The verification core never resolves anything itself: it is handed the
//! answers. This module holds the answer types the core reads, the
//! [`TxtSource`] trait the binary implements with keys files and live DNS, and
//! the layering that makes `--keys` answer before DNS and `--offline` send
//! nothing at all.

pub mod layered;
pub mod live;
pub mod record;
pub mod zonefile;

pub use layered::Layered;
pub use live::{DnsSetupError, DnssecMode, LiveConfig, LiveResolver};
pub use record::{Recorder, Recording};
pub use zonefile::{ZoneEntry, ZoneError, ZoneKeys};

/// The TLS setup handed to hickory: the ring provider and no trusted
/// roots. dkimscope asks DNS over UDP and TCP only, but hickory (built with
/// TLS support, which mail-auth's ring feature turns on) otherwise reads the
/// whole system trust store, some 150 files, each time a resolver is built:
/// most of the start-up time of checking one message.
pub fn plain_tls() -> Result<rustls::ClientConfig, String> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth())
}

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// One TXT lookup as it happened: the name asked, every CNAME followed, what
/// the final name answered, who answered, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxtLookup {
    /// The name queried, lower-case, without a trailing dot.
    pub query: String,
    /// CNAME links followed from `query`, in order.
    pub hops: Vec<CnameHop>,
    pub answer: Answer,
    pub served_by: ServedBy,
    pub elapsed: Duration,
    /// For NXDOMAIN and NODATA, the SOA that made the answer authoritative,
    /// when the answer carried one (a resolver's authority section, or the
    /// keys file's SOA for the zone).
    pub soa: Option<Soa>,
    /// When a keys file answered and says when its answers were recorded
    /// (`$RECORDED`, written by `--record`): that time, Unix seconds.
    pub recorded: Option<u64>,
    /// Whether DNSSEC vouches for the answer (every response of the CNAME
    /// chain included).
    pub dnssec: Dnssec,
}

/// The DNSSEC status of one answer.
///
/// By default it is the resolver's word: the AD bit of its responses. An AD
/// bit can only say `Secure`; its absence cannot tell an unsigned zone from
/// a resolver that does not validate, so that is `Unknown`. With
/// `--dnssec validate` dkimscope checks the signatures itself (hickory's
/// validator, from the root trust anchor down) and can tell all four apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dnssec {
    /// The answer's signatures chain to the trust anchor.
    Secure,
    /// The zone is provably unsigned (an insecure delegation).
    Insecure,
    /// Validation failed: signatures missing, wrong or expired where the
    /// chain says they must be. A validating receiver gets SERVFAIL, so
    /// the answer counts as a DNS failure.
    Bogus,
    /// Not validated: the resolver set no AD bit, or the answer came from a
    /// keys file that says nothing, or nobody answered.
    #[default]
    Unknown,
}

impl Dnssec {
    /// The word used in the report, JSON and keys files.
    pub fn as_str(self) -> &'static str {
        match self {
            Dnssec::Secure => "secure",
            Dnssec::Insecure => "insecure",
            Dnssec::Bogus => "bogus",
            Dnssec::Unknown => "unknown",
        }
    }

    /// Reads [`Dnssec::as_str`] back (any case).
    pub fn parse(word: &str) -> Option<Dnssec> {
        [
            Dnssec::Secure,
            Dnssec::Insecure,
            Dnssec::Bogus,
            Dnssec::Unknown,
        ]
        .into_iter()
        .find(|d| d.as_str().eq_ignore_ascii_case(word))
    }

    /// The status of an answer made of several responses (a CNAME chain):
    /// the weakest of them. Bogus anywhere is bogus; then not validated;
    /// then an unsigned link; secure only when every link is.
    pub fn and(self, other: Dnssec) -> Dnssec {
        let rank = |d: Dnssec| match d {
            Dnssec::Bogus => 3,
            Dnssec::Unknown => 2,
            Dnssec::Insecure => 1,
            Dnssec::Secure => 0,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl std::fmt::Display for Dnssec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The SOA record of a negative answer, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soa {
    /// The zone apex (the SOA's owner), lower-case, without a trailing dot.
    pub zone: String,
    pub ttl: Option<u32>,
    /// The primary name server and the mailbox, as names without the
    /// trailing dot.
    pub mname: String,
    pub rname: String,
    /// serial, refresh, retry, expire and minimum, as written.
    pub timers: [String; 5],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnameHop {
    pub from: String,
    pub to: String,
    pub ttl: Option<u32>,
    /// Keys-file line that supplied this link, when one did.
    pub origin: Option<FileLine>,
}

/// What the final name of a lookup answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// One or more TXT records (several TXT records at one name are several
    /// entries; each keeps its character-strings apart).
    Txt(Vec<TxtRecord>),
    /// The name does not exist. After one or more CNAME hops this is a
    /// dangling CNAME.
    NxDomain,
    /// The name exists but holds no TXT record.
    NoData,
    ServFail,
    Refused,
    /// No answer within the configured time.
    Timeout,
    /// A CNAME chain that loops or exceeds the hop limit.
    CnameLoop,
    /// `--offline` and no keys file covers the name.
    OfflineMissing,
    /// Any other resolver or transport failure, described.
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxtRecord {
    /// The record's character-strings, each as received.
    pub strings: Vec<Vec<u8>>,
    pub ttl: Option<u32>,
    pub origin: Option<FileLine>,
}

impl TxtRecord {
    /// The character-strings concatenated with nothing in between (RFC 6376 §3.6.2.2).
    pub fn joined(&self) -> Vec<u8> {
        self.strings.concat()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLine {
    pub path: String,
    pub line: usize,
}

/// Who answered a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServedBy {
    /// A `--keys` file answered (path of the file).
    KeysFile(String),
    /// A DNS resolver answered (address as `ip:port`, or `system (ip:port)`).
    Resolver(String),
    /// Nobody: offline and not in any keys file.
    Offline,
}

impl TxtLookup {
    /// Who failed to answer, and how, when DNS gave no usable answer
    /// (timeout, SERVFAIL, REFUSED, a transport error): "the resolver
    /// 127.0.0.1:5353 did not answer in 5 s (timeout)". A timeout or a
    /// REFUSED is the resolver's own doing (down, unreachable, not serving
    /// this client), never the domain's; a SERVFAIL is the resolver saying
    /// the domain's servers failed it. An answer that fails DNSSEC
    /// validation (bogus) is a failure whatever it holds: a validating
    /// receiver never sees it. `None` for every other answer.
    pub fn dns_failure(&self) -> Option<String> {
        let who = match &self.served_by {
            ServedBy::Resolver(label) => match label.strip_prefix("system ") {
                Some(addr) => format!("the system resolver {addr}"),
                None => format!("the resolver {label}"),
            },
            ServedBy::KeysFile(path) => format!("the keys file {path}"),
            ServedBy::Offline => return None,
        };
        if self.dnssec == Dnssec::Bogus {
            return Some(format!(
                "{who} gave an answer that fails DNSSEC validation (bogus: its signatures are \
                 missing, expired or do not verify against the zone's keys); a validating \
                 receiver gets SERVFAIL instead"
            ));
        }
        Some(match &self.answer {
            Answer::Timeout => format!(
                "{who} did not answer in {} (timeout)",
                seconds(self.elapsed)
            ),
            Answer::ServFail => format!(
                "{who} answered SERVFAIL: it got no usable answer from the domain's DNS servers"
            ),
            Answer::Refused => {
                format!("{who} REFUSED the query: it does not resolve names for this client")
            }
            Answer::Error(e) => format!("{who} could not be used: {e}"),
            _ => return None,
        })
    }
}

/// `5 s`, `0.4 s`: a wait rounded to a tenth of a second.
fn seconds(d: Duration) -> String {
    let text = format!("{:.1}", d.as_secs_f64());
    format!("{} s", text.strip_suffix(".0").unwrap_or(&text))
}

impl std::fmt::Display for Answer {
    /// The answer in a word or two, as people say it ("NXDOMAIN", "2 TXT
    /// records").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Txt(r) => write!(
                f,
                "{} TXT record{}",
                r.len(),
                if r.len() == 1 { "" } else { "s" }
            ),
            Answer::NxDomain => f.write_str("NXDOMAIN"),
            Answer::NoData => f.write_str("NODATA"),
            Answer::ServFail => f.write_str("SERVFAIL"),
            Answer::Refused => f.write_str("REFUSED"),
            Answer::Timeout => f.write_str("timeout"),
            Answer::CnameLoop => f.write_str("CNAME loop"),
            Answer::OfflineMissing => f.write_str("offline: not in any keys file"),
            Answer::Error(e) => write!(f, "error: {e}"),
        }
    }
}

impl std::fmt::Display for ServedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServedBy::KeysFile(p) => write!(f, "keys file {p}"),
            ServedBy::Resolver(a) => write!(f, "resolver {a}"),
            ServedBy::Offline => f.write_str("nobody (offline)"),
        }
    }
}

/// A source of TXT answers. Implementations never panic on hostile data and
/// always return a [`TxtLookup`]; failures are [`Answer`] variants.
pub trait TxtSource: Send + Sync {
    fn lookup_txt<'a>(
        &'a self,
        name: &'a str,
    ) -> Pin<Box<dyn Future<Output = TxtLookup> + Send + 'a>>;

    /// The resolver live lookups go to (`127.0.0.1:5353`, `system
    /// (192.0.2.53:53)`), `None` when nothing goes to the network.
    fn resolver(&self) -> Option<String> {
        None
    }
}

/// The `dig` command that fetches the same record, for people to run.
pub fn dig_command(name: &str) -> String {
    format!("dig +noall +answer TXT {}", name.trim_end_matches('.'))
}
