//! Each answer's DNSSEC status, against the loopback DNS server: the AD bit
//! by default, hickory's own validation with `--dnssec validate` against a
//! zone the server signs (its key as the trust anchor).
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::path::PathBuf;
use std::time::Duration;

use crate::support::dns_server::{TestDns, TestZone};
use dkimscope::dns::{Answer, Dnssec, DnssecMode, LiveConfig, LiveResolver};

const KEY: &str = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

fn resolver(dns: &TestDns, mode: DnssecMode, anchor: Option<PathBuf>) -> LiveResolver {
    LiveResolver::new(LiveConfig {
        server: Some(dns.addr()),
        timeout: Duration::from_secs(5),
        attempts: 1,
        dnssec: mode,
        trust_anchor: anchor,
    })
    .expect("resolver")
}

/// `test.` signed; good.test secure, bad.test spoiled, plain.test an
/// unsigned child zone.
fn signed_zone() -> TestZone {
    TestZone::new()
        .txt("s._domainkey.good.test", &[KEY])
        .cname("alias._domainkey.good.test", "s._domainkey.good.test", 300)
        .txt("s._domainkey.bad.test", &[KEY])
        .txt("s._domainkey.x.plain.test", &[KEY])
        .signed("test")
        .unsigned_child("plain.test")
        .spoil_signature("s._domainkey.bad.test")
}

fn anchor_file(zone: &TestZone) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), zone.trust_anchor()).unwrap();
    file
}

#[tokio::test]
async fn ad_bit_mode_reports_secure_only_with_the_ad_bit() {
    let zone = TestZone::new().txt("s._domainkey.example.com", &[KEY]);
    let with_ad = TestDns::start(zone.clone().ad_bit()).await;
    let without = TestDns::start(zone).await;
    let got = resolver(&with_ad, DnssecMode::AdBit, None)
        .lookup("s._domainkey.example.com")
        .await;
    assert!(matches!(got.answer, Answer::Txt(_)), "{:?}", got.answer);
    assert_eq!(got.dnssec, Dnssec::Secure);
    let got = resolver(&without, DnssecMode::AdBit, None)
        .lookup("s._domainkey.example.com")
        .await;
    assert_eq!(got.dnssec, Dnssec::Unknown);
}

#[tokio::test]
async fn validation_tells_secure_insecure_and_bogus_apart() {
    let zone = signed_zone();
    let anchor = anchor_file(&zone);
    let dns = TestDns::start(zone).await;
    let live = resolver(&dns, DnssecMode::Validate, Some(anchor.path().into()));

    let good = live.lookup("s._domainkey.good.test").await;
    assert!(matches!(good.answer, Answer::Txt(_)), "{:?}", good.answer);
    assert_eq!(good.dnssec, Dnssec::Secure, "{good:?}");

    let alias = live.lookup("alias._domainkey.good.test").await;
    assert_eq!(alias.hops.len(), 1);
    assert_eq!(alias.dnssec, Dnssec::Secure, "{alias:?}");

    let plain = live.lookup("s._domainkey.x.plain.test").await;
    assert!(matches!(plain.answer, Answer::Txt(_)), "{:?}", plain.answer);
    assert_eq!(plain.dnssec, Dnssec::Insecure, "{plain:?}");

    let bad = live.lookup("s._domainkey.bad.test").await;
    assert_eq!(bad.dnssec, Dnssec::Bogus, "{bad:?}");
    assert!(
        bad.dns_failure()
            .unwrap()
            .contains("fails DNSSEC validation"),
        "{:?}",
        bad.dns_failure()
    );
}

#[tokio::test]
async fn without_the_zones_anchor_nothing_validates_as_secure() {
    // The root's keys do not vouch for a loopback zone: the chain to them
    // cannot be built, so the signed answer is not secure.
    let dns = TestDns::start(signed_zone()).await;
    let got = resolver(&dns, DnssecMode::Validate, None)
        .lookup("s._domainkey.good.test")
        .await;
    assert_ne!(got.dnssec, Dnssec::Secure, "{got:?}");
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn defects_zone() -> TestZone {
    let text = std::fs::read_to_string(root().join("tests/fixtures/defects/keys.zone")).unwrap();
    TestZone::from_zone_text("keys.zone", &text)
}

/// `dkimscope check ARGS pass.eml` (from the defects fixtures); stdout.
async fn check(dns: &TestDns, args: Vec<String>) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dkimscope"));
    cmd.current_dir(root().join("tests/fixtures/defects"))
        .args(["check", "--at", "1764000000", "--dns-timeout", "3"])
        .arg("--resolver")
        .arg(dns.addr().to_string())
        .args(args)
        .arg("pass.eml");
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("run");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn check_json(dns: &TestDns, args: &[&str]) -> serde_json::Value {
    let mut all: Vec<String> = vec!["--json".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    serde_json::from_str(&check(dns, all).await).expect("JSON")
}

fn sig(v: &serde_json::Value) -> (&str, &str, &str) {
    let s = &v["signatures"][0];
    (
        s["result"].as_str().unwrap_or("?"),
        s["diagnosis"].as_str().unwrap_or("?"),
        s["key"]["dnssec"].as_str().unwrap_or("?"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reports_the_ad_bit_by_default() {
    let dns = TestDns::start(defects_zone().ad_bit()).await;
    assert_eq!(
        sig(&check_json(&dns, &[]).await),
        ("pass", "pass", "secure")
    );
    let text = check(&dns, Vec::new()).await;
    assert!(text.contains(", DNSSEC secure"), "{text}");
    let plain = TestDns::start(defects_zone()).await;
    assert_eq!(
        sig(&check_json(&plain, &[]).await),
        ("pass", "pass", "unknown")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_validates_and_a_bogus_key_is_a_dns_error() {
    let zone = defects_zone().signed("example.com");
    let anchor = anchor_file(&zone);
    let path = anchor.path().to_str().unwrap();
    let validate = ["--dnssec", "validate", "--trust-anchor", path];
    let dns = TestDns::start(zone.clone()).await;
    assert_eq!(
        sig(&check_json(&dns, &validate).await),
        ("pass", "pass", "secure")
    );
    // Without --dnssec validate the same server gives no AD bit.
    assert_eq!(sig(&check_json(&dns, &[]).await).2, "unknown");

    let spoiled = TestDns::start(zone.spoil_signature("s2025._domainkey.example.com")).await;
    let v = check_json(&spoiled, &validate).await;
    assert_eq!(sig(&v), ("temperror", "key-dns-error", "bogus"));
    let reason = v["signatures"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("fails DNSSEC validation"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsigned_zone_is_insecure_under_validation() {
    let zone = defects_zone().signed("com").unsigned_child("example.com");
    let anchor = anchor_file(&zone);
    let dns = TestDns::start(zone).await;
    let path = anchor.path().to_str().unwrap();
    let v = check_json(&dns, &["--dnssec", "validate", "--trust-anchor", path]).await;
    assert_eq!(sig(&v), ("pass", "pass", "insecure"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_keeps_the_status_and_replay_reports_it() {
    let zone = defects_zone().signed("example.com");
    let anchor = anchor_file(&zone);
    let path = anchor.path().to_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    for (dns_zone, want) in [
        (zone.clone(), ("pass", "pass", "secure")),
        (
            zone.spoil_signature("s2025._domainkey.example.com"),
            ("temperror", "key-dns-error", "bogus"),
        ),
    ] {
        let dns = TestDns::start(dns_zone).await;
        let rec = dir.path().join(format!("{}.zone", want.2));
        let rec_s = rec.to_str().unwrap();
        let live = check_json(
            &dns,
            &[
                "--dnssec",
                "validate",
                "--trust-anchor",
                &path,
                "--record",
                rec_s,
            ],
        )
        .await;
        assert_eq!(sig(&live), want);
        let text = std::fs::read_to_string(&rec).unwrap();
        assert!(
            text.contains(&format!("$DNSSEC {} s2025._domainkey.example.com.", want.2)),
            "{text}"
        );
        let replay = check_json(&dns, &["--keys", rec_s, "--offline"]).await;
        assert_eq!(sig(&replay), want, "{replay}");
    }
}

/// `selectors --json` gives each probe's DNSSEC status, as `check` does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selectors_report_the_status_of_each_probe() {
    for (zone, want) in [
        (defects_zone().ad_bit(), "secure"),
        (defects_zone(), "unknown"),
    ] {
        let dns = TestDns::start(zone).await;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dkimscope"));
        cmd.args([
            "selectors",
            "--json",
            "--dns-timeout",
            "3",
            "--selectors",
            "s2025",
        ])
        .arg("--resolver")
        .arg(dns.addr().to_string())
        .arg("example.com");
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .unwrap()
            .expect("run");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        let probe = &v["selectors"][0];
        assert_eq!(probe["selector"], "s2025", "{v}");
        assert_eq!(probe["class"], "ok", "{v}");
        assert_eq!(probe["dnssec"], want, "{v}");
    }
}
