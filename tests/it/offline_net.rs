//! `--offline` sends nothing: `check --offline --record` over every sample
//! and fixture runs under `strace -f -e trace=network`, and any IPv4/IPv6
//! socket, connect or send fails the test. Without strace, or where ptrace
//! is not permitted: a failure under CI, elsewhere skipped (saying why).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn offline_check_opens_no_network_socket() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace");
    // Recording the answers must not reach for the network either.
    let recorded = dir.path().join("answers.zone");
    let run = Command::new("strace")
        .args(["-f", "-e", "trace=network", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_dkimscope"))
        .args([
            "check",
            "--json",
            "--offline",
            "--keys",
            "sample-headers/keys.zone",
            "--keys",
            "tests/fixtures/defects/keys.zone",
            "--record",
        ])
        .arg(&recorded)
        .args([
            "sample-headers",
            "tests/fixtures/defects",
            "tests/fixtures/bounces",
        ])
        .current_dir(&root)
        .output();
    let out = match run {
        Ok(out) => out,
        Err(e) => {
            crate::support::skip_unless_ci(&format!("strace not installed ({e})"));
            return;
        }
    };
    let Ok(log) = std::fs::read_to_string(&trace) else {
        crate::support::skip_unless_ci(&format!(
            "strace wrote no trace ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
        return;
    };
    if log.is_empty() && !out.status.success() && out.stdout.is_empty() {
        crate::support::skip_unless_ci(&format!(
            "strace could not trace here: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
        return;
    }
    // It did run and check the messages, and recorded what answered.
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 40);
    let answers = std::fs::read_to_string(&recorded).unwrap_or_default();
    assert!(answers.contains("IN\tTXT\t"), "{answers}");
    let network: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("AF_INET") || l.contains("AF_NETLINK"))
        .collect();
    assert!(
        network.is_empty(),
        "network activity while --offline:\n{}",
        network.join("\n")
    );
}
