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

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dkimscope::dns::ZoneKeys;
use hickory_resolver::proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, CNAME, SOA, TXT};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
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

/// The data a [`TestDns`] serves.
#[derive(Debug, Clone)]
pub struct TestZone {
    records: HashMap<String, Vec<(u32, Data)>>,
    faults: HashMap<String, Fault>,
    max_udp: usize,
}

impl Default for TestZone {
    fn default() -> Self {
        TestZone {
            records: HashMap::new(),
            faults: HashMap::new(),
            max_udp: 4096,
        }
    }
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
    match fault {
        Some(Fault::Drop) => return None,
        Some(Fault::ServFail) => reply.metadata.response_code = ResponseCode::ServFail,
        Some(Fault::Refused) => reply.metadata.response_code = ResponseCode::Refused,
        Some(Fault::NoChase) | None => resolve(
            &mut reply,
            zone,
            &qname,
            query.query_type(),
            fault.is_some(),
        ),
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
