//! Timing for `dkimscope selectors` over many domains against a DNS server
//! on 127.0.0.1 (the tests' own server, tests/it/support/dns_server.rs), so no
//! packet leaves the machine. Of every four domains: one has Microsoft
//! 365's selector1 CNAME to a live key and selector2 dangling, one a
//! `google` key, one a revoked `s1`, one nothing at all (NXDOMAIN for
//! every selector). Runs the binary given, checks it printed one JSON line
//! per domain, and prints the wall time. Target: 1,000 domains under 3 s.
//!
//! `cargo run --release --example selectors_bench -- target/release/dkimscope [DOMAINS]`
//! (run by `bench/selectors.sh`).

#[path = "../tests/it/support/dns_server.rs"]
mod dns_server;

use std::process::Command;
use std::time::Instant;

use dkimscope::dns::ZoneKeys;
use dns_server::{TestDns, TestZone};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(bin) = args.get(1) else {
        eprintln!("usage: selectors_bench DKIMSCOPE [DOMAINS]");
        std::process::exit(2);
    };
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let samples = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-headers/keys.zone"
    ))
    .expect("sample keys");
    let key: Vec<&str> = ZoneKeys::parse("keys.zone", &samples)
        .entries()
        .iter()
        .flat_map(|e| e.txt.iter())
        .find(|r| r.joined().len() > 300 && r.joined().starts_with(b"v=DKIM1"))
        .map(|r| {
            r.strings
                .iter()
                .map(|s| &*String::from_utf8_lossy(s).into_owned().leak())
                .collect()
        })
        .expect("an RSA key in sample-headers/keys.zone");

    let mut zone = TestZone::new();
    let mut domains = String::new();
    for i in 0..n {
        let d = format!("d{i:05}.bench.test");
        domains.push_str(&d);
        domains.push('\n');
        match i % 4 {
            0 => {
                let tenant = format!("tenant{i}.onmicrosoft.com");
                let live = format!("selector1-d{i:05}-bench-test._domainkey.{tenant}");
                zone = zone
                    .cname(&format!("selector1._domainkey.{d}"), &live, 3600)
                    .txt(&live, &key)
                    .cname(
                        &format!("selector2._domainkey.{d}"),
                        &format!("selector2-d{i:05}-bench-test._domainkey.{tenant}"),
                        3600,
                    );
            }
            1 => zone = zone.txt(&format!("google._domainkey.{d}"), &key),
            2 => zone = zone.txt(&format!("s1._domainkey.{d}"), &["v=DKIM1; k=rsa; p="]),
            _ => {}
        }
    }
    let dir = std::env::temp_dir().join(format!("selectors-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let list = dir.join("domains.txt");
    std::fs::write(&list, domains).expect("domain list");

    let server = TestDns::start(zone).await;
    let addr = server.addr().to_string();
    let bin = bin.clone();
    let list_arg = list.to_string_lossy().into_owned();
    let (elapsed, out) = tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        let out = Command::new(&bin)
            .args(["selectors", "--from-file", &list_arg, "--resolver", &addr])
            .arg("--json")
            .output()
            .expect("run dkimscope");
        (start.elapsed(), out)
    })
    .await
    .expect("join");
    let _ = std::fs::remove_dir_all(&dir);
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    let working = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"ok\":true"))
        .count();
    println!(
        "selectors: {n} domains x the default selectors, {} queries answered (udp {}, tcp {}), \
         {lines} JSON lines, {working} domains with a working selector, exit {:?}",
        server.udp_queries() + server.tcp_queries(),
        server.udp_queries(),
        server.tcp_queries(),
        out.status.code()
    );
    println!(
        "selectors wall time {:.2} s   target < 3 s  {}",
        elapsed.as_secs_f64(),
        if elapsed.as_secs_f64() < 3.0 {
            "ok"
        } else {
            "OVER"
        }
    );
    if lines != n {
        eprintln!(
            "expected {n} JSON lines: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::process::exit(1);
    }
}
