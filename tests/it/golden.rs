//! Golden output: `check --json` for every sample, defect fixture and
//! bounce fixture, as stored (CRLF) and rewritten with LF line ends, plus
//! the text report for a few. The JSON line is the stable contract; these
//! snapshots hold it still while the code under it moves. Timing fields
//! (`elapsed_ms`) and the checkout's own path (`[root]`, in the keys file
//! named by `served_by`) are the only things redacted.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// Replace every `elapsed_ms` value, at any depth, with a fixed word.
fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if k == "elapsed_ms" {
                    *val = Value::String("[ms]".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Run `dkimscope check` on `file` (copied into a scratch folder, with LF
/// line ends when `lf`), from that folder so `file` is printed as its bare
/// name; returns stdout with the checkout path written as `[root]`.
fn check(file: &Path, keys: &Path, at: &str, lf: bool, json: bool) -> String {
    let dir = tempfile::tempdir().expect("scratch dir");
    let name = file.file_name().expect("file name");
    let bytes = std::fs::read(file).expect("read input");
    let bytes = if lf { to_lf(&bytes) } else { bytes };
    std::fs::write(dir.path().join(name), bytes).expect("write copy");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dkimscope"));
    cmd.arg("check");
    if json {
        cmd.arg("--json");
    }
    let out = cmd
        .args(["--offline", "--keys"])
        .arg(keys)
        .args(["--at", at])
        .arg(name)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run dkimscope");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{}: {:?}",
        file.display(),
        out.status
    );
    let out = String::from_utf8(out.stdout).expect("UTF-8 output");
    out.replace(root().to_str().expect("UTF-8 checkout path"), "[root]")
}

fn json_snapshot(file: &Path, keys: &Path, at: &str, lf: bool) -> String {
    let out = check(file, keys, at, lf, true);
    let mut v: Value = serde_json::from_str(out.trim_end()).expect("one JSON line");
    redact(&mut v);
    serde_json::to_string_pretty(&v).expect("JSON")
}

fn snapshot_name(prefix: &str, file: &Path, lf: bool) -> String {
    let stem = file
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name")
        .replace('.', "_");
    format!("{prefix}-{stem}-{}", if lf { "lf" } else { "crlf" })
}

fn messages(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "eml" || e == "txt" && !p.ends_with("servfail.txt"))
        })
        .collect();
    files.sort();
    files
}

const SAMPLES_AT: &str = "2025-11-24T12:00:00Z";

#[test]
fn samples_json() {
    let dir = root().join("sample-headers");
    let keys = dir.join("keys.zone");
    let files = messages(&dir);
    assert!(files.len() >= 16, "only {} samples", files.len());
    for file in &files {
        for lf in [false, true] {
            insta::assert_snapshot!(
                snapshot_name("sample", file, lf),
                json_snapshot(file, &keys, SAMPLES_AT, lf)
            );
        }
    }
}

#[test]
fn defects_json() {
    let dir = root().join("tests/fixtures/defects");
    let keys = dir.join("keys.zone");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest");
    let mut runs = 0;
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, at) = (dir.join(cols[0]), cols[4]);
        for lf in [false, true] {
            insta::assert_snapshot!(
                snapshot_name("defect", &file, lf),
                json_snapshot(&file, &keys, at, lf)
            );
            runs += 1;
        }
    }
    assert!(runs >= 60, "only {runs} fixture runs");
}

#[test]
fn bounces_json() {
    let dir = root().join("tests/fixtures/bounces");
    let keys = root().join("sample-headers/keys.zone");
    let files = messages(&dir);
    assert!(files.len() >= 10, "only {} bounce fixtures", files.len());
    for file in &files {
        for lf in [false, true] {
            insta::assert_snapshot!(
                snapshot_name("bounce", file, lf),
                json_snapshot(file, &keys, SAMPLES_AT, lf)
            );
        }
    }
}

#[test]
fn text_reports() {
    let dir = root().join("sample-headers");
    let keys = dir.join("keys.zone");
    for name in [
        "footer-appended.eml",
        "subject-spam-tagged.eml",
        "multi-signature-esp.eml",
        "m365-dangling-cname.eml",
        "bounce-dsn-footer.eml",
        "headers-only-outlook-paste.eml",
        "mailing-list-body-length.eml",
        "path-list-footer.eml",
        "path-gateway-before-i1.eml",
        "path-after-last-hop.eml",
    ] {
        let file = dir.join(name);
        insta::assert_snapshot!(
            snapshot_name("text", &file, false),
            check(&file, &keys, SAMPLES_AT, false, false)
        );
    }
}

/// Counts said like "1 seconds", "set(s)" or "first first" in `out`.
fn broken_plurals(out: &str) -> Vec<String> {
    const NOUNS: &[&str] = &[
        "seconds",
        "minutes",
        "hours",
        "days",
        "sets",
        "hops",
        "fields",
        "lines",
        "strings",
        "bytes",
        "dates",
        "clocks",
        "skews",
        "seals",
        "records",
        "signatures",
        "messages",
        "characters",
        "domains",
        "entries",
        "times",
    ];
    let mut found = Vec::new();
    for line in out.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            let noun = pair[1].trim_end_matches([',', ';', ':', ')', '.']);
            let count = pair[0].trim_start_matches(['(', '+', '-']);
            if count == "1" && NOUNS.contains(&noun) {
                found.push(line.to_string());
            }
        }
        if line.contains("(s)") || line.contains("first first") {
            found.push(line.to_string());
        }
    }
    found
}

#[test]
fn no_report_says_1_seconds_or_set_s() {
    let samples = root().join("sample-headers");
    let sample_keys = samples.join("keys.zone");
    let mut runs: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for file in messages(&samples)
        .into_iter()
        .chain(messages(&root().join("tests/fixtures/bounces")))
    {
        runs.push((file, sample_keys.clone(), SAMPLES_AT.into()));
    }
    let defects = root().join("tests/fixtures/defects");
    let manifest = std::fs::read_to_string(defects.join("manifest.tsv")).expect("manifest");
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        runs.push((
            defects.join(cols[0]),
            defects.join("keys.zone"),
            cols[4].into(),
        ));
    }
    assert!(runs.len() >= 60, "only {} inputs", runs.len());
    for (file, keys, at) in &runs {
        for json in [false, true] {
            let out = check(file, keys, at, false, json);
            let bad = broken_plurals(&out);
            assert!(bad.is_empty(), "{}: {bad:#?}", file.display());
        }
    }
}

#[test]
fn the_plural_check_catches_what_it_should() {
    assert_eq!(broken_plurals("+1 seconds").len(), 1);
    assert_eq!(broken_plurals(" ARC: cv=pass over 1 set(s): ok").len(), 1);
    assert_eq!(broken_plurals("2 hops, first first").len(), 1);
    assert!(broken_plurals("1 second, 2 seconds, 1 set, 1 hop").is_empty());
}
