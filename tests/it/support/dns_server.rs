//! A real DNS server on 127.0.0.1 for tests, so live lookups are exercised
//! over actual UDP and TCP sockets without touching the network.
//!
//! It answers like a recursive resolver (CNAME chains chased, every CNAME in
//! the answer section) and can misbehave on purpose: SERVFAIL, REFUSED, never
//! answering, not chasing CNAMEs, and truncating UDP answers so clients must
//! retry over TCP. Built directly on hickory-proto's message codec rather
//! than hickory-server, because these fault modes and the per-transport
//! counters need control of every packet, which a few dozen lines give more
//! simply than a hickory-server handler. It binds only 127.0.0.1, stops when
//! dropped, and stops by itself after [`HARD_LIMIT`] whatever happens.
//!
//! For DNSSEC it can set the AD bit on every answer ([`TestZone::ad_bit`]),
//! and sign a zone with a key it generates ([`TestZone::signed`], hickory's
//! own signer): RRSIGs on every RRset of the zone when the query asks
//! (DO bit), the zone's DNSKEY, unsigned child zones proven insecure by a
//! signed NSEC at the delegation, and RRSIGs spoiled on purpose for names
//! that must validate as bogus. The zone's key is the trust anchor
//! ([`TestZone::trust_anchor`]).

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dkimscope::dns::ZoneKeys;
use hickory_resolver::proto::dnssec::crypto::Ed25519SigningKey;
use hickory_resolver::proto::dnssec::rdata::{DNSKEY, DNSSECRData, NSEC, RRSIG, SigInput};
use hickory_resolver::proto::dnssec::{DnssecSigner, SigningKey, TBS};
use hickory_resolver::proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, CNAME, NS, SOA, TXT};
use hickory_resolver::proto::rr::{DNSClass, Name, RData, Record, RecordType, SerialNumber};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::JoinSet;

/// The server stops by itself after this long, even if never dropped.
pub const HARD_LIMIT: Duration = Duration::from_secs(120);

/// How the server misbehaves for one query name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    ServFail,
    Refused,
    /// Never answers (the client times out).
    Drop,
    /// Answers only the first CNAME, without chasing it and without an SOA,
    /// like an authoritative server whose target lies in another zone.
    NoChase,
}

#[derive(Debug, Clone)]
enum Data {
    Txt(Vec<Vec<u8>>),
    Cname(String),
    Exists,
}

/// A signed zone: its apex and key, its unsigned child zones, and the
/// names whose signatures are spoiled.
#[derive(Clone)]
struct Signing {
    apex: String,
    signer: Arc<DnssecSigner>,
    unsigned: Vec<String>,
    spoiled: Vec<String>,
}

impl std::fmt::Debug for Signing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing")
            .field("apex", &self.apex)
            .field("unsigned", &self.unsigned)
            .field("spoiled", &self.spoiled)
            .finish()
    }
}

/// The data a [`TestDns`] serves.
#[derive(Debug, Clone)]
pub struct TestZone {
    records: HashMap<String, Vec<(u32, Data)>>,
    faults: HashMap<String, Fault>,
    max_udp: usize,
    ad_bit: bool,
    signing: Option<Signing>,
}

impl Default for TestZone {
    fn default() -> Self {
        TestZone {
            records: HashMap::new(),
            faults: HashMap::new(),
            max_udp: 4096,
            ad_bit: false,
            signing: None,
        }
    }
}

fn under(name: &str, zone: &str) -> bool {
    name == zone || name.ends_with(&format!(".{zone}"))
}

fn key(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

impl TestZone {
    pub fn new() -> Self {
        Self::default()
    }

    /// One TXT record made of these character-strings (TTL 300).
    pub fn txt(self, name: &str, strings: &[&str]) -> Self {
        let bytes = strings.iter().map(|s| s.as_bytes().to_vec()).collect();
        self.txt_bytes(name, 300, bytes)
    }

    pub fn txt_bytes(mut self, name: &str, ttl: u32, strings: Vec<Vec<u8>>) -> Self {
        self.records
            .entry(key(name))
            .or_default()
            .push((ttl, Data::Txt(strings)));
        self
    }

    pub fn cname(mut self, from: &str, to: &str, ttl: u32) -> Self {
        self.records
            .entry(key(from))
            .or_default()
            .push((ttl, Data::Cname(key(to))));
        self
    }

    /// A name that exists without TXT records (it holds an A record).
    pub fn exists(mut self, name: &str) -> Self {
        self.records
            .entry(key(name))
            .or_default()
            .push((300, Data::Exists));
        self
    }

    pub fn fault(mut self, name: &str, fault: Fault) -> Self {
        self.faults.insert(key(name), fault);
        self
    }

    /// Largest UDP answer the server sends whatever the client's EDNS size
    /// (BIND's `max-udp-size`); 512 forces big answers onto TCP.
    pub fn max_udp_payload(mut self, bytes: usize) -> Self {
        self.max_udp = bytes.max(512);
        self
    }

    /// Sets the AD bit on every answer, as a validating resolver does for
    /// a secure one.
    pub fn ad_bit(mut self) -> Self {
        self.ad_bit = true;
        self
    }

    /// Signs everything at and under `apex` with a fresh Ed25519 key (a
    /// KSK, flags 257), signatures valid from an hour ago for a day.
    pub fn signed(mut self, apex: &str) -> Self {
        let apex = key(apex);
        let pkcs8 = Ed25519SigningKey::generate_pkcs8().expect("generate an Ed25519 key");
        let signing_key = Ed25519SigningKey::from_pkcs8(&pkcs8).expect("read the Ed25519 key");
        let public = signing_key.to_public_key().expect("public key");
        let dnskey = DNSKEY::with_flags(257, public);
        let signer = DnssecSigner::new(
            dnskey,
            Box::new(signing_key),
            name_of(&apex),
            Duration::from_secs(86_400),
        );
        self.signing = Some(Signing {
            apex,
            signer: Arc::new(signer),
            unsigned: Vec::new(),
            spoiled: Vec::new(),
        });
        self
    }

    /// `child` (under the signed apex) is a delegation to an unsigned zone:
    /// the parent proves with a signed NSEC that it has no DS.
    pub fn unsigned_child(mut self, child: &str) -> Self {
        if let Some(s) = &mut self.signing {
            s.unsigned.push(key(child));
        }
        self
    }

    /// The RRSIGs over `name`'s records do not verify (a byte flipped).
    pub fn spoil_signature(mut self, name: &str) -> Self {
        if let Some(s) = &mut self.signing {
            s.spoiled.push(key(name));
        }
        self
    }

    /// The signed zone's key as a trust anchor file (`--trust-anchor`).
    pub fn trust_anchor(&self) -> String {
        let s = self.signing.as_ref().expect("a signed zone");
        format!("{}. 3600 IN DNSKEY {}\n", s.apex, s.signer.dnskey())
    }

    /// Serves what a keys file holds (for instance `sample-headers/keys.zone`).
    pub fn from_zone_text(label: &str, text: &str) -> Self {
        let keys = ZoneKeys::parse(label, text);
        let mut zone = TestZone::new();
        for entry in keys.entries() {
            if entry.nxdomain && entry.cname.is_none() && entry.txt.is_empty() {
                continue; // `$NXDOMAIN`: served as the name not existing
            }
            if let Some(link) = &entry.cname {
                zone = zone.cname(&entry.name, &link.to, link.ttl.unwrap_or(300));
            }
            for rec in &entry.txt {
                zone = zone.txt_bytes(&entry.name, rec.ttl.unwrap_or(300), rec.strings.clone());
            }
            if entry.cname.is_none() && entry.txt.is_empty() {
                zone = zone.exists(&entry.name);
            }
        }
        zone
    }
}

/// Query counters, shared with the server tasks.
#[derive(Debug, Default)]
struct Counters {
    udp: AtomicUsize,
    tcp: AtomicUsize,
    by_name: std::sync::Mutex<HashMap<String, usize>>,
}

/// A running test server. Stops when dropped.
pub struct TestDns {
    addr: SocketAddr,
    counters: Arc<Counters>,
    tasks: JoinSet<()>,
}

impl TestDns {
    /// Binds UDP and TCP on the same ephemeral port of 127.0.0.1 and serves
    /// `zone` from tasks on the current Tokio runtime.
    pub async fn start(zone: TestZone) -> TestDns {
        let (udp, tcp) = bind_pair().await;
        let addr = udp.local_addr().expect("local addr");
        let zone = Arc::new(zone);
        let counters = Arc::new(Counters::default());
        let mut tasks = JoinSet::new();
        let (z, c) = (zone.clone(), counters.clone());
        tasks.spawn(async move {
            let _ = tokio::time::timeout(HARD_LIMIT, serve_udp(udp, z, c)).await;
        });
        let c = counters.clone();
        tasks.spawn(async move {
            let _ = tokio::time::timeout(HARD_LIMIT, serve_tcp(tcp, zone, c)).await;
        });
        TestDns {
            addr,
            counters,
            tasks,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn udp_queries(&self) -> usize {
        self.counters.udp.load(Ordering::SeqCst)
    }

    pub fn tcp_queries(&self) -> usize {
        self.counters.tcp.load(Ordering::SeqCst)
    }

    /// Queries received for `name`, over either transport.
    pub fn queries_for(&self, name: &str) -> usize {
        let map = self
            .counters
            .by_name
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&key(name)).copied().unwrap_or(0)
    }
}

impl Drop for TestDns {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

async fn bind_pair() -> (UdpSocket, TcpListener) {
    let local = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    for _ in 0..50 {
        let udp = UdpSocket::bind(local).await.expect("bind udp on 127.0.0.1");
        let port = udp.local_addr().expect("local addr").port();
        if let Ok(tcp) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            return (udp, tcp);
        }
    }
    panic!("no free port for both UDP and TCP on 127.0.0.1");
}

async fn serve_udp(socket: UdpSocket, zone: Arc<TestZone>, counters: Arc<Counters>) {
    let mut buf = vec![0u8; 65_535];
    loop {
        let Ok((len, peer)) = socket.recv_from(&mut buf).await else {
            tokio::task::yield_now().await;
            continue;
        };
        counters.udp.fetch_add(1, Ordering::SeqCst);
        let Some(reply) = answer(&buf[..len], &zone, &counters, Some(zone.max_udp)) else {
            continue;
        };
        let _ = socket.send_to(&reply, peer).await;
    }
}

async fn serve_tcp(listener: TcpListener, zone: Arc<TestZone>, counters: Arc<Counters>) {
    let mut conns = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (z, c) = (zone.clone(), counters.clone());
        conns.spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(30), serve_conn(stream, z, c)).await;
        });
        while conns.try_join_next().is_some() {}
    }
}

async fn serve_conn(mut stream: TcpStream, zone: Arc<TestZone>, counters: Arc<Counters>) {
    loop {
        let Ok(len) = stream.read_u16().await else {
            return;
        };
        let mut buf = vec![0u8; usize::from(len)];
        if stream.read_exact(&mut buf).await.is_err() {
            return;
        }
        counters.tcp.fetch_add(1, Ordering::SeqCst);
        let Some(reply) = answer(&buf, &zone, &counters, None) else {
            continue;
        };
        let Ok(reply_len) = u16::try_from(reply.len()) else {
            return;
        };
        if stream.write_u16(reply_len).await.is_err() || stream.write_all(&reply).await.is_err() {
            return;
        }
    }
}

fn name_of(s: &str) -> Name {
    Name::from_ascii(format!("{s}.")).unwrap_or_else(|_| Name::root())
}

/// Builds the reply to one query; `None` means stay silent. `udp_limit` is
/// the server-side UDP size cap (`None` over TCP).
fn answer(
    packet: &[u8],
    zone: &TestZone,
    counters: &Counters,
    udp_limit: Option<usize>,
) -> Option<Vec<u8>> {
    let request = Message::from_vec(packet).ok()?;
    if request.metadata.message_type != MessageType::Query {
        return None;
    }
    let query = request.queries.first()?.clone();
    let qname = key(&query.name().to_ascii());
    {
        let mut map = counters
            .by_name
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *map.entry(qname.clone()).or_default() += 1;
    }

    let mut reply = Message::response(request.metadata.id, OpCode::Query);
    reply.metadata.recursion_desired = request.metadata.recursion_desired;
    reply.metadata.recursion_available = true;
    reply.add_query(query.clone());
    if request.edns.is_some() {
        let mut edns = Edns::new();
        edns.set_max_payload(4096);
        reply.set_edns(edns);
    }

    let fault = zone.faults.get(&qname).copied();
    let signing = zone.signing.as_ref();
    match fault {
        Some(Fault::Drop) => return None,
        Some(Fault::ServFail) => reply.metadata.response_code = ResponseCode::ServFail,
        Some(Fault::Refused) => reply.metadata.response_code = ResponseCode::Refused,
        Some(Fault::NoChase) | None => {
            if !signing.is_some_and(|s| zone_data(&mut reply, s, &qname, query.query_type())) {
                resolve(
                    &mut reply,
                    zone,
                    &qname,
                    query.query_type(),
                    fault.is_some(),
                );
            }
        }
    }
    reply.metadata.authentic_data = zone.ad_bit;
    let dnssec_ok = request.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok);
    if let Some(s) = signing.filter(|_| dnssec_ok) {
        sign_reply(&mut reply, s);
    }

    let bytes = reply.to_vec().ok()?;
    match udp_limit {
        Some(server_cap) => {
            let client = usize::from(request.max_payload()).max(512);
            if bytes.len() > client.min(server_cap) {
                reply.truncate().to_vec().ok()
            } else {
                Some(bytes)
            }
        }
        None => Some(bytes),
    }
}

/// Fills the answer (chasing CNAMEs unless `no_chase`) and the rcode.
fn resolve(reply: &mut Message, zone: &TestZone, qname: &str, qtype: RecordType, no_chase: bool) {
    let mut current = qname.to_string();
    let mut used: Vec<String> = Vec::new();
    loop {
        let Some(records) = zone.records.get(&current) else {
            reply.metadata.response_code = ResponseCode::NXDomain;
            add_soa(reply);
            return;
        };
        let link = records.iter().find_map(|(ttl, d)| match d {
            Data::Cname(t) => Some((*ttl, t.clone())),
            _ => None,
        });
        if let Some((ttl, target)) = link.filter(|_| qtype != RecordType::CNAME) {
            if used.contains(&current) {
                // A loop: hand the client what was seen so far.
                return;
            }
            used.push(current.clone());
            let rdata = RData::CNAME(CNAME(name_of(&target)));
            reply.add_answer(Record::from_rdata(name_of(&current), ttl, rdata));
            if no_chase {
                return;
            }
            current = target;
            continue;
        }
        let mut any = false;
        for (ttl, data) in records {
            let rdata = match (data, qtype) {
                (Data::Txt(strings), RecordType::TXT) => {
                    RData::TXT(TXT::from_bytes(strings.iter().map(Vec::as_slice).collect()))
                }
                (Data::Cname(t), RecordType::CNAME) => RData::CNAME(CNAME(name_of(t))),
                (Data::Exists, RecordType::A) => RData::A(A::new(192, 0, 2, 1)),
                _ => continue,
            };
            reply.add_answer(Record::from_rdata(name_of(&current), *ttl, rdata));
            any = true;
        }
        if !any {
            add_soa(reply);
        }
        return;
    }
}

/// Negative answers carry an SOA, as real servers send.
fn add_soa(reply: &mut Message) {
    let soa = SOA::new(
        name_of("ns.test"),
        name_of("hostmaster.test"),
        1,
        3600,
        600,
        86_400,
        60,
    );
    reply.add_authority(Record::from_rdata(Name::root(), 60, RData::SOA(soa)));
}

/// The records a signed zone holds beyond the test data: its DNSKEY and NS
/// at the apex, the NS of each unsigned child, and the child's missing DS
/// proven by a signed NSEC. True when `qname`/`qtype` was one of them.
fn zone_data(reply: &mut Message, s: &Signing, qname: &str, qtype: RecordType) -> bool {
    let ns = || RData::NS(NS(name_of("ns.test")));
    let cut = qname == s.apex || s.unsigned.iter().any(|c| c == qname);
    match qtype {
        RecordType::DNSKEY if qname == s.apex => {
            let dnskey = RData::DNSSEC(DNSSECRData::DNSKEY(s.signer.dnskey().clone()));
            reply.add_answer(Record::from_rdata(name_of(qname), 3600, dnskey));
            true
        }
        RecordType::NS if cut => {
            reply.add_answer(Record::from_rdata(name_of(qname), 3600, ns()));
            true
        }
        RecordType::DS if qname != s.apex && s.unsigned.iter().any(|c| c == qname) => {
            let nsec = NSEC::new_cover_self(name_of(&s.apex), [RecordType::NS]);
            let nsec = RData::DNSSEC(DNSSECRData::NSEC(nsec));
            reply.add_authority(Record::from_rdata(name_of(qname), 60, nsec));
            reply.add_authority(Record::from_rdata(name_of(&s.apex), 60, apex_soa()));
            true
        }
        _ => false,
    }
}

fn apex_soa() -> RData {
    RData::SOA(SOA::new(
        name_of("ns.test"),
        name_of("hostmaster.test"),
        1,
        3600,
        600,
        86_400,
        60,
    ))
}

/// True when the signed zone (not an unsigned child) holds `name`'s
/// `rtype` records: at a delegation only the parent's NSEC and DS.
fn signs(s: &Signing, name: &str, rtype: RecordType) -> bool {
    if !under(name, &s.apex) {
        return false;
    }
    s.unsigned.iter().all(|c| {
        if name == c {
            matches!(rtype, RecordType::NSEC | RecordType::DS)
        } else {
            !under(name, c)
        }
    })
}

/// Adds an RRSIG after each RRset of the answer and authority sections
/// that the signed zone holds.
fn sign_reply(reply: &mut Message, s: &Signing) {
    reply.answers = signed_section(std::mem::take(&mut reply.answers), s);
    reply.authorities = signed_section(std::mem::take(&mut reply.authorities), s);
}

fn signed_section(records: Vec<Record>, s: &Signing) -> Vec<Record> {
    let mut sets: Vec<(Name, RecordType, Vec<Record>)> = Vec::new();
    for r in records {
        match sets
            .iter_mut()
            .find(|(n, t, _)| *n == r.name && *t == r.record_type())
        {
            Some((_, _, set)) => set.push(r),
            None => sets.push((r.name.clone(), r.record_type(), vec![r])),
        }
    }
    let mut out = Vec::new();
    for (name, rtype, set) in sets {
        let owner = key(&name.to_ascii());
        let rrsig = signs(s, &owner, rtype).then(|| rrsig(s, &name, rtype, &set, &owner));
        out.extend(set);
        out.extend(rrsig);
    }
    out
}

fn rrsig(s: &Signing, name: &Name, rtype: RecordType, set: &[Record], owner: &str) -> Record {
    let now = u32::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs(),
    )
    .expect("time fits u32");
    let ttl = set.first().map_or(300, |r| r.ttl);
    let input = SigInput {
        type_covered: rtype,
        algorithm: s.signer.key().algorithm(),
        num_labels: name.num_labels(),
        original_ttl: ttl,
        sig_expiration: SerialNumber::new(now + 86_400),
        sig_inception: SerialNumber::new(now - 3600),
        key_tag: s.signer.calculate_key_tag().expect("key tag"),
        signer_name: name_of(&s.apex),
    };
    let tbs = TBS::from_input(name, DNSClass::IN, &input, set.iter()).expect("to-be-signed");
    let mut sig = s.signer.sign(&tbs).expect("sign");
    if s.spoiled.iter().any(|n| n == owner)
        && let Some(last) = sig.last_mut()
    {
        *last ^= 0xff;
    }
    let rdata = RData::DNSSEC(DNSSECRData::RRSIG(RRSIG::from_sig(input, sig)));
    Record::from_rdata(name.clone(), ttl, rdata)
}
