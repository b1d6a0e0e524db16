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

/// A resolver that never answers: the report blames it, not the domain,
/// and `--dns-timeout 1` bounds the key lookup to about one second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_resolver_is_blamed_and_bounded() {
    let dns = TestDns::start(
        zone()
            .fault("s2025._domainkey.example.com", Fault::Drop)
            .fault("_dmarc.example.com", Fault::Drop),
    )
    .await;
    let addr = dns.addr().to_string();
    let arg = addr.clone();
    let run = |json: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dkimscope"));
        cmd.current_dir(root().join("tests/fixtures/defects"))
            .args(["check", "--at", "1764000000", "--dns-timeout", "1"])
            .args(["--resolver", &arg])
            .env("NO_COLOR", "1");
        if json {
            cmd.arg("--json");
        }
        cmd.arg("pass.eml");
        cmd
    };
    let (mut j, mut t) = (run(true), run(false));
    let (json, text) = tokio::task::spawn_blocking(move || (j.output(), t.output()))
        .await
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&json.unwrap().stdout).trim()).unwrap();
    let sig = &v["signatures"][0];
    assert_eq!(sig["diagnosis"], "key-dns-error");
    let reason = sig["reason"].as_str().unwrap();
    // "in 1 s", or "in 1.1 s" on a slow machine.
    let blamed = format!("the resolver {addr} did not answer in 1");
    assert!(reason.contains(&blamed), "{reason}");
    let dmarc = v["dmarc"]["explanation"].as_str().unwrap();
    assert!(
        dmarc.contains(&format!("_dmarc.example.com: {blamed}")),
        "{dmarc}"
    );
    let waited = sig["key"]["elapsed_ms"].as_u64().unwrap();
    assert!((900..1800).contains(&waited), "waited {waited} ms");
    let text = String::from_utf8_lossy(&text.unwrap().stdout).into_owned();
    let key_step = format!("FAIL key       s2025._domainkey.example.com: {blamed}");
    assert!(text.contains(&key_step), "{text}");
    // The old advice blamed the domain whatever failed.
    assert!(
        !text.contains("if it persists, the domain's DNS servers must be fixed"),
        "{text}"
    );
}
