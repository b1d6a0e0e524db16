//! `--record` then `--keys --offline --at`: a live check against the
//! loopback DNS server, recorded, replays to the same report. Every sample
//! goes through it (one batch, one recording, as a helpdesk would hand on
//! a folder), and the replayed JSON must equal the live JSON but for the
//! fields that say how long a lookup took and who answered it.
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::support::dns_server::{Fault, TestDns, TestZone};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The samples manifest.tsv lists, as paths relative to the crate.
fn samples() -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("sample-headers/manifest.tsv")).unwrap();
    manifest
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("sample-headers/{}", l.split('\t').next().unwrap()))
        .collect()
}

async fn run(args: Vec<String>) -> (String, String, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dkimscope"));
    cmd.current_dir(root()).args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("run");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn args(words: &[&str], more: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| (*w).to_string())
        .chain(more.iter().cloned())
        .collect()
}

/// Timing and the answering party are the only fields a replay may change:
/// `elapsed_ms` is masked, `served_by` ("resolver 127.0.0.1:PORT" live,
/// "keys file F" replayed) is masked after checking it has the right form,
/// and `as_of` ("now" live, "time" for the replay's `--at`) likewise.
fn masked(mut v: Value, live: bool) -> Value {
    fn walk(v: &mut Value, live: bool) {
        match v {
            Value::Object(map) => {
                map.remove("elapsed_ms");
                if let Some(Value::String(as_of)) = map.get_mut("as_of") {
                    assert_eq!(as_of, if live { "now" } else { "time" });
                    *as_of = "*".into();
                }
                if let Some(Value::String(by)) = map.get_mut("served_by") {
                    let want = if live {
                        "resolver 127.0.0.1:"
                    } else {
                        "keys file "
                    };
                    assert!(by.starts_with(want), "{by}");
                    *by = "*".into();
                }
                map.values_mut().for_each(|v| walk(v, live));
            }
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, live)),
            _ => {}
        }
    }
    walk(&mut v, live);
    v
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn sample_zone() -> TestZone {
    let text = std::fs::read_to_string(root().join("sample-headers/keys.zone")).unwrap();
    TestZone::from_zone_text("keys.zone", &text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sample_replays_to_the_live_report() {
    let dns = TestDns::start(sample_zone()).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("answers.zone");
    let rec_s = rec.display().to_string();
    let files = samples();
    assert_eq!(files.len(), 24, "{files:?}");

    let (live_out, err, _) = run(args(
        &["check", "--json", "--dns-timeout", "2", "--record", &rec_s],
        &[
            vec!["--resolver".into(), dns.addr().to_string()],
            files.clone(),
        ]
        .concat(),
    ))
    .await;
    let live = lines(&live_out);
    assert_eq!(live.len(), files.len(), "{err}");
    let at = live[0]["at"].as_u64().unwrap();
    let text = std::fs::read_to_string(&rec).unwrap();
    // The recording names its time (the check's "now") and its resolver.
    let stamp = dkimscope::dns::record::rfc3339(at);
    assert!(text.contains(&format!("$RECORDED {stamp}\n")), "{text}");
    assert!(
        text.contains(&format!("; resolver: {}\n", dns.addr())),
        "{text}"
    );
    // One batch, one file: each name written once.
    let owners: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(';') && !l.starts_with('$') && !l.is_empty())
        .filter(|l| l.contains("\tCNAME\t"))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    let mut unique = owners.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(owners.len(), unique.len(), "{text}");
    assert!(
        text.contains("$NXDOMAIN "),
        "some sample meets a missing name:\n{text}"
    );

    // Replay with the server gone: nothing can come from it.
    drop(dns);
    let (replay_out, err, _) = run(args(
        &[
            "check",
            "--json",
            "--offline",
            "--keys",
            &rec_s,
            "--at",
            &stamp,
        ],
        &files,
    ))
    .await;
    let replay = lines(&replay_out);
    assert_eq!(replay.len(), files.len(), "{err}");
    let mut with_keys = 0;
    for (l, r) in live.into_iter().zip(replay) {
        let file = l["file"].as_str().unwrap().to_string();
        with_keys += usize::from(
            l["signatures"]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s["key"].is_object())),
        );
        assert_eq!(masked(r, false), masked(l, true), "{file}");
    }
    assert!(with_keys >= 15, "the samples do look keys up ({with_keys})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_on_another_day_says_when_the_keys_were_recorded() {
    let dns = TestDns::start(sample_zone()).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("answers.zone");
    let rec_s = rec.display().to_string();
    let sample = "sample-headers/footer-appended.eml".to_string();
    let (out, err, _) = run(args(
        &[
            "check",
            "--json",
            "--record",
            &rec_s,
            "--resolver",
            &dns.addr().to_string(),
        ],
        std::slice::from_ref(&sample),
    ))
    .await;
    let live = &lines(&out)[0];
    assert!(live.get("keys_recorded").is_none(), "{err}");
    let recorded = dkimscope::dns::record::rfc3339(live["at"].as_u64().unwrap());
    let day = &recorded[..10];
    drop(dns);

    let replay = |format: &'static str| {
        args(
            &[
                "check",
                format,
                "--offline",
                "--keys",
                &rec_s,
                "--at",
                "2025-11-24T12:00:00Z",
            ],
            std::slice::from_ref(&sample),
        )
    };
    let (json, _, _) = run(replay("--json")).await;
    let v = &lines(&json)[0];
    let note = format!("keys recorded {day}; checking as of 2025-11-24");
    assert_eq!(v["keys_recorded"], Value::String(recorded.clone()));
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .contains(&Value::String(note.clone())),
        "{v}"
    );
    let (text, _, _) = run(args(
        &[
            "check",
            "--offline",
            "--keys",
            &rec_s,
            "--at",
            "2025-11-24T12:00:00Z",
        ],
        std::slice::from_ref(&sample),
    ))
    .await;
    assert!(text.contains(&format!("note: {note}")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_recorded_as_comments_and_cname_hops_with_ttls() {
    let zone = TestZone::new()
        .cname("s1._domainkey.example.com", "s1.dkim.esp.example", 1800)
        .txt_bytes(
            "s1.dkim.esp.example",
            120,
            vec![
                b"v=DKIM1; k=rsa; ".to_vec(),
                b"p=\"quoted\" \\ \x1b".to_vec(),
            ],
        )
        .exists("s2._domainkey.example.com")
        .fault("_dmarc.example.com", Fault::ServFail);
    let dns = TestDns::start(zone).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("answers.zone");
    let msg = dir.path().join("m.eml");
    std::fs::write(
        &msg,
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=AAAA; b=AAAA\r\n\
         DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s2; h=from; bh=AAAA; b=AAAA\r\n\
         From: a@example.com\r\n\r\nbody\r\n",
    )
    .unwrap();
    let (_, err, code) = run(vec![
        "check".into(),
        "--record".into(),
        rec.display().to_string(),
        "--resolver".into(),
        dns.addr().to_string(),
        msg.display().to_string(),
    ])
    .await;
    assert_eq!(code, Some(1), "{err}");
    let text = std::fs::read_to_string(&rec).unwrap();
    for want in [
        "s1._domainkey.example.com.\t1800\tIN\tCNAME\ts1.dkim.esp.example.\n",
        "s1.dkim.esp.example.\t120\tIN\tTXT\t\"v=DKIM1; k=rsa; \" \"p=\\\"quoted\\\" \\\\ \\027\"\n",
        "$NODATA s2._domainkey.example.com.\n",
        ";   authority: .\t60\tIN\tSOA\tns.test. hostmaster.test. 1 3600 600 86400 60\n",
        "; _dmarc.example.com: SERVFAIL (from resolver 127.0.0.1:",
        ";   not an answer, so no record: a replay finds none for _dmarc.example.com\n",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selectors_records_every_name_it_tried_and_replays_the_same_audit() {
    let zone = TestZone::new()
        .cname("selector1._domainkey.example.com", "s1.esp.example", 3600)
        .txt(
            "s1.esp.example",
            &["v=DKIM1; k=ed25519; p=sSC5YbVRy5WhXAcfIC7bD8QmPkuMOR27pDSfY9BeBLQ="],
        )
        .exists("k1._domainkey.example.com");
    let dns = TestDns::start(zone).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("answers.zone");
    let rec_s = rec.display().to_string();
    let sels = "--selectors=selector1,k1,google";
    let (live, err, _) = run(args(
        &[
            "selectors",
            "--json",
            sels,
            "--record",
            &rec_s,
            "--resolver",
            &dns.addr().to_string(),
        ],
        &["example.com".to_string()],
    ))
    .await;
    let text = std::fs::read_to_string(&rec).unwrap();
    assert!(
        text.contains("selector1._domainkey.example.com.\t3600\tIN\tCNAME\ts1.esp.example.\n"),
        "{err}{text}"
    );
    assert!(
        text.contains("$NODATA k1._domainkey.example.com.\n"),
        "{text}"
    );
    assert!(
        text.contains("$NXDOMAIN google._domainkey.example.com.\n"),
        "{text}"
    );
    drop(dns);
    let (replay, _, _) = run(args(
        &["selectors", "--json", sels, "--offline", "--keys", &rec_s],
        &["example.com".to_string()],
    ))
    .await;
    let (l, r) = (&lines(&live)[0], &lines(&replay)[0]);
    assert_eq!(masked(r.clone(), false), masked(l.clone(), true));
}
