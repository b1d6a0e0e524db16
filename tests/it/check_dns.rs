//! `dkimscope check --resolver` against a real DNS server on 127.0.0.1 that
//! serves the fixtures' keys: live answers must give the same diagnoses as
//! the keys file does offline, and DNS failures (SERVFAIL, REFUSED, no
//! answer, dangling CNAME, NXDOMAIN) must be named as the table says.
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::path::PathBuf;
use std::process::Command;

use crate::support::dns_server::{Fault, TestDns, TestZone};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

async fn check(dns: &TestDns, files: &[&str]) -> Vec<serde_json::Value> {
    check_with(dns, &[], files).await
}

async fn check_with(dns: &TestDns, extra: &[&str], files: &[&str]) -> Vec<serde_json::Value> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dkimscope"));
    cmd.current_dir(root().join("tests/fixtures/defects"))
        .args([
            "check",
            "--json",
            "--at",
            "1764000000",
            "--dns-timeout",
            "0.4",
        ])
        .arg("--resolver")
        .arg(dns.addr().to_string())
        .args(extra)
        .args(files);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("run");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn diagnosis(v: &serde_json::Value) -> (String, String) {
    let s = &v["signatures"][0];
    (
        s["result"].as_str().unwrap_or("?").into(),
        s["diagnosis"].as_str().unwrap_or("?").into(),
    )
}

fn zone() -> TestZone {
    let text = std::fs::read_to_string(root().join("tests/fixtures/defects/keys.zone")).unwrap();
    TestZone::from_zone_text("keys.zone", &text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_dns_gives_the_table_diagnoses() {
    let dns = TestDns::start(
        zone()
            .fault("s2025._domainkey.dnsfail.example.net", Fault::ServFail)
            .fault("s2025._domainkey.example.org", Fault::Drop),
    )
    .await;
    let files = [
        "pass.eml",
        "pass-ed25519.eml",
        "key-not-found.eml",
        "key-cname-dangling.eml",
        "key-dns-error.eml",
        "key-offline-missing.eml",
        "key-revoked.eml",
        "body-hash-mismatch.eml",
    ];
    let out = check(&dns, &files).await;
    let got: Vec<(String, String)> = out.iter().map(diagnosis).collect();
    let want = [
        ("pass", "pass"),
        ("pass", "pass"),
        ("permerror", "key-not-found"),
        ("permerror", "key-cname-dangling"),
        ("temperror", "key-dns-error"),
        ("temperror", "key-dns-error"), // the server never answers: a timeout
        ("permerror", "key-revoked"),
        ("fail", "body-hash-mismatch"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    let key = &out[3]["signatures"][0]["key"];
    assert_eq!(
        key["cname_hops"][0]["to"],
        "selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com"
    );
    assert_eq!(key["answer"], "NXDOMAIN");
    assert!(
        out[5]["signatures"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("timeout")
    );
    // One query per name, however many messages share it.
    assert_eq!(dns.queries_for("s2025._domainkey.example.com"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_is_a_temporary_dns_error() {
    let dns = TestDns::start(zone().fault("missing._domainkey.example.com", Fault::Refused)).await;
    let out = check(&dns, &["key-not-found.eml"]).await;
    assert_eq!(
        diagnosis(&out[0]),
        ("temperror".into(), "key-dns-error".into())
    );
    assert!(
        out[0]["signatures"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("REFUSED")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_file_answers_before_dns() {
    // The server says SERVFAIL for everything; the keys file still answers.
    let dns =
        TestDns::start(TestZone::new().fault("s2025._domainkey.example.com", Fault::ServFail))
            .await;
    let out = check_with(&dns, &["--keys", "keys.zone"], &["pass.eml"]).await;
    let v = &out[0];
    assert_eq!(v["dkim"], "pass");
    assert!(
        v["signatures"][0]["key"]["served_by"]
            .as_str()
            .unwrap()
            .starts_with("keys file")
    );
    assert_eq!(dns.udp_queries() + dns.tcp_queries(), 0);
}
