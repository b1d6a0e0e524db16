//! `dkimscope selectors --json --resolver` against a real DNS server on
//! 127.0.0.1 serving 204 generated domains, 17 of each kind: every class of
//! answer (good RSA and Ed25519 keys, a 1024-bit key, revoked, malformed,
//! NXDOMAIN, NODATA, a dangling CNAME, Microsoft 365 pairs with one live
//! target or none, SERVFAIL, no answer) asserted domain by domain.
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use crate::support::dns_server::{Fault, TestDns, TestZone};
use dkimscope::dns::ZoneKeys;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The key records of the defect fixtures, by owner name.
fn fixture_keys() -> HashMap<String, Vec<Vec<u8>>> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/defects/keys.zone")).unwrap();
    ZoneKeys::parse("keys.zone", &text)
        .entries()
        .into_iter()
        .filter_map(|e| e.txt.first().map(|t| (e.name.clone(), t.strings.clone())))
        .collect()
}

/// (kind, selector examined, its class, domain has a working selector,
/// Microsoft 365 live selectors when the pair is present).
type Kind = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    Option<&'static [&'static str]>,
);

const KINDS: [Kind; 12] = [
    ("rsa2048", "s1", "ok", true, None),
    ("weak1024", "s1", "weak-key", true, None),
    ("ed25519", "default", "ok", true, None),
    ("revoked", "s1", "revoked", false, None),
    ("malformed", "k1", "malformed", false, None),
    ("nxdomain", "google", "nxdomain", false, None),
    ("nodata", "mail", "nodata", false, None),
    ("dangling", "s2", "dangling-cname", false, None),
    ("m365live", "selector1", "ok", true, Some(&["selector1"])),
    ("m365off", "selector2", "dangling-cname", false, Some(&[])),
    ("servfail", "dkim", "dns-error", false, None),
    ("timeout", "key1", "dns-error", false, None),
];

const PER_KIND: usize = 17;

fn domain(kind: &str, n: usize) -> String {
    format!("d{n:02}-{kind}.test")
}

fn zone() -> TestZone {
    let keys = fixture_keys();
    let rsa = &keys["s2025._domainkey.example.com"];
    let weak = &keys["weak1024._domainkey.example.com"];
    let ed = &keys["ed2025._domainkey.example.com"];
    let mut z = TestZone::new();
    for n in 0..PER_KIND {
        for (kind, sel, ..) in KINDS {
            let d = domain(kind, n);
            let name = format!("{sel}._domainkey.{d}");
            let tenant = format!("t{n:02}{kind}.onmicrosoft.com");
            z = match kind {
                "rsa2048" => z.txt_bytes(&name, 300, rsa.clone()),
                "weak1024" => z.txt_bytes(&name, 300, weak.clone()),
                "ed25519" => z.txt_bytes(&name, 300, ed.clone()),
                "revoked" => z.txt(&name, &["v=DKIM1; k=rsa; p="]),
                "malformed" => z.txt(&name, &["v=DKIM1; k=rsa; p=MIIB**not base64**"]),
                "nodata" => z.exists(&name),
                "dangling" => z.cname(&name, &format!("dkim.gone-{n}.test"), 600),
                "m365live" | "m365off" => {
                    let mut z = z;
                    for s in ["selector1", "selector2"] {
                        let target = format!("{s}-d{n:02}-{kind}-test._domainkey.{tenant}");
                        z = z.cname(&format!("{s}._domainkey.{d}"), &target, 3600);
                        if kind == "m365live" && s == "selector1" {
                            z = z.txt_bytes(&target, 3600, rsa.clone());
                        }
                    }
                    z
                }
                "servfail" => z.fault(&name, Fault::ServFail),
                "timeout" => z.fault(&name, Fault::Drop),
                _ => z,
            };
        }
    }
    z
}

fn run(addr: SocketAddr, args: &[String]) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args(["selectors", "--json", "--dns-timeout", "0.5", "--resolver"])
        .arg(addr.to_string())
        .args(args)
        .output()
        .expect("run");
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (out.status.code(), lines)
}

fn probe<'a>(v: &'a serde_json::Value, selector: &str) -> &'a serde_json::Value {
    v["selectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["selector"] == selector)
        .unwrap_or_else(|| panic!("{selector} in {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_domains_every_class() {
    let dns = TestDns::start(zone()).await;
    let mut domains = Vec::new();
    for n in 0..PER_KIND {
        for (kind, ..) in KINDS {
            domains.push(domain(kind, n));
        }
    }
    assert!(domains.len() >= 200);
    let list = std::env::temp_dir().join(format!("dkimscope-selectors-{}.txt", std::process::id()));
    std::fs::write(&list, format!("# generated\n{}\n", domains[1..].join("\n"))).unwrap();
    let args = vec![
        domains[0].clone(),
        "--from-file".into(),
        list.to_string_lossy().into_owned(),
    ];
    let addr = dns.addr();
    let (code, out) = tokio::task::spawn_blocking(move || run(addr, &args))
        .await
        .unwrap();
    let _ = std::fs::remove_file(&list);
    assert_eq!(code, Some(1), "some domains have no working selector");
    assert_eq!(out.len(), domains.len());
    for (v, d) in out.iter().zip(&domains) {
        assert_eq!(v["domain"], d.as_str());
        let (kind, sel, class, ok, m365) = KINDS
            .iter()
            .find(|k| d.ends_with(&format!("-{}.test", k.0)))
            .copied()
            .unwrap();
        let p = probe(v, sel);
        assert_eq!(p["class"], class, "{d} {sel}: {p}");
        assert_eq!(v["ok"], ok, "{d}");
        assert_eq!(v["selectors"].as_array().unwrap().len(), 15, "default list");
        match kind {
            "rsa2048" => assert_eq!(p["key"]["bits"], 2048),
            "weak1024" => {
                assert_eq!(p["key"]["bits"], 1024);
                assert_eq!(p["works"], true);
            }
            "ed25519" => assert_eq!(p["key"]["type"], "ed25519"),
            "dangling" => assert!(
                p["cname_hops"][0]["to"]
                    .as_str()
                    .unwrap()
                    .starts_with("dkim.gone-")
            ),
            "servfail" => assert_eq!(p["answer"], "SERVFAIL"),
            "timeout" => assert_eq!(p["answer"], "timeout"),
            "nxdomain" => assert!(
                v["selectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|p| p["class"] == "nxdomain")
            ),
            _ => {}
        }
        match m365 {
            None => assert!(v["m365"].is_null(), "{d}"),
            Some(live) => {
                let m = &v["m365"];
                assert_eq!(m["live"], serde_json::json!(live), "{d}");
                assert_eq!(m["enabled"], !live.is_empty());
                if live.is_empty() {
                    assert!(m["note"].as_str().unwrap().contains("not enabled"));
                    assert_eq!(probe(v, "selector1")["class"], "dangling-cname");
                } else {
                    assert_eq!(m["inactive"], serde_json::json!(["selector2"]));
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chosen_selectors_and_exit_codes() {
    let dns = TestDns::start(zone()).await;
    let addr = dns.addr();
    let args: Vec<String> = [
        "d00-rsa2048.test",
        "D01-ED25519.test.",
        "--selectors",
        "s1,default",
    ]
    .map(String::from)
    .to_vec();
    let (code, out) = tokio::task::spawn_blocking(move || run(addr, &args))
        .await
        .unwrap();
    assert_eq!(code, Some(0));
    assert_eq!(out.len(), 2);
    assert_eq!(out[1]["domain"], "d01-ed25519.test");
    assert_eq!(out[1]["working"], serde_json::json!(["default"]));
    assert_eq!(out[0]["selectors"].as_array().unwrap().len(), 2);
    let (code, out) = tokio::task::spawn_blocking(move || run(addr, &[]))
        .await
        .unwrap();
    assert_eq!((code, out.len()), (Some(2), 0));
}

/// `check` and `selectors` tell one Microsoft 365 story: the message
/// signed by selector1, whose target dangles while selector2's resolves.
#[test]
fn m365_pair_story_is_the_same_in_check_and_selectors() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let keys = root.join("sample-headers/keys.zone");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args([
            "check",
            "--json",
            "--offline",
            "--at",
            "2025-11-24T12:00:00Z",
            "--keys",
        ])
        .arg(&keys)
        .arg(root.join("sample-headers/m365-dangling-cname.eml"))
        .output()
        .expect("run check");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let m = &v["m365_dkim"];
    assert_eq!(m["signed_by"], "selector1");
    assert_eq!(
        (m["selector1"].as_str(), m["selector2"].as_str()),
        (Some("dangling"), Some("resolves"))
    );
    assert_eq!(m["meaning"], "rotation-in-progress");
    // The audit, with only selector1 asked, reads the pair the same way
    // and does not conclude that DKIM is off.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args([
            "selectors",
            "--json",
            "--offline",
            "--selectors",
            "selector1",
            "--keys",
        ])
        .arg(&keys)
        .arg("contoso.example")
        .output()
        .expect("run selectors");
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(a["m365"]["enabled"], true);
    assert_eq!(a["m365"]["live"][0], "selector2");
    assert_eq!(a["m365"]["inactive"][0], "selector1");
    let note = a["m365"]["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("mail signed with selector1 finds no key"),
        "{note}"
    );
    assert_eq!(a["selectors"].as_array().map(Vec::len), Some(1));
}
