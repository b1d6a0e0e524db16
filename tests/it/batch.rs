//! Batches that lose nothing: a directory of 10,000 entries with empty,
//! binary, looping-symlink and nested files gives exactly one JSON line per
//! input, in a stable order, with a summary that adds up; a closed pipe and
//! Ctrl-C end it cleanly.
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the corpus; returns the number of inputs `check` must report.
fn corpus(dir: &Path, copies: usize) -> usize {
    let samples = [
        "pass-rsa-sha256-relaxed.eml",
        "unsigned.eml",
        "footer-appended.eml",
        "revoked-key.eml",
    ];
    let bytes: Vec<Vec<u8>> = samples
        .iter()
        .map(|s| std::fs::read(root().join("sample-headers").join(s)).unwrap())
        .collect();
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    for i in 0..copies {
        let target = if i % 10 == 0 { &sub } else { dir };
        std::fs::write(target.join(format!("m{i:05}.eml")), &bytes[i % bytes.len()]).unwrap();
    }
    std::fs::write(dir.join("empty.eml"), b"").unwrap();
    std::fs::write(
        dir.join("binary.bin"),
        (0..=255u8).cycle().take(10_000).collect::<Vec<u8>>(),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.join("loop-b"), dir.join("loop-a")).unwrap();
    std::os::unix::fs::symlink(dir.join("loop-a"), dir.join("loop-b")).unwrap();
    // A symlink to a directory inside the tree is not followed (no loops).
    std::os::unix::fs::symlink(dir, dir.join("sub").join("up")).unwrap();
    copies + 4
}

fn check(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dkimscope"));
    c.args(["check", "--json", "--offline", "--keys"])
        .arg(root().join("sample-headers/keys.zone"))
        .args(["--at", "2025-11-24T12:00:00Z"])
        .arg(dir);
    c
}

#[test]
fn ten_thousand_entries_one_line_each_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let expected = corpus(tmp.path(), 9_996);
    let out = check(tmp.path()).output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), expected);
    let files: Vec<&str> = lines.iter().map(|v| v["file"].as_str().unwrap()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "stable, sorted order");
    let errors = lines.iter().filter(|v| v.get("error").is_some()).count();
    // The two looping symlinks, the empty file and the binary one are
    // input errors; the empty one says so.
    assert_eq!(
        errors,
        4,
        "{:?}",
        lines
            .iter()
            .filter(|v| v.get("error").is_some())
            .collect::<Vec<_>>()
    );
    assert!(lines.iter().any(
        |v| v["file"].as_str().is_some_and(|f| f.ends_with("empty.eml"))
            && v["error"] == "not a message: the input is empty"
    ));
    let pass = lines
        .iter()
        .filter(|v| {
            v["dkim"] == "pass" && v["signatures"].as_array().is_some_and(|s| !s.is_empty())
        })
        .count();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "checked {expected} messages: {pass} fully pass, {} do not, {errors} could not be read",
            expected - pass - errors
        )),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 400);
    let mut child = check(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes, like `| head -1`.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with('{'));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn ctrl_c_stops_between_messages() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 6_000);
    let child = check(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line written is whole");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(130) {
        assert!(stderr.contains("interrupted after"), "{stderr}");
        assert!(stdout.lines().count() < 6_004);
    } else {
        // The batch finished before the signal arrived.
        assert_eq!(stdout.lines().count(), 6_004, "{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}
