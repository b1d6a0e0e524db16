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
        bad.dns_failure().unwrap().contains("fails DNSSEC validation"),
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
