//! The built binary as scripts and people use it: `check` output, JSON
//! shape, exit codes, batches that go on past a bad file, stdin, and the
//! terminal safety of the text report.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dkimscope(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dkimscope");
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(data).expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

const OFFLINE: [&str; 5] = [
    "--offline",
    "--keys",
    "sample-headers/keys.zone",
    "--at",
    "2025-11-24T12:00:00Z",
];

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn json_has_the_documented_shape_and_exit_codes() {
    let mut args = vec!["check", "--json"];
    args.extend(OFFLINE);
    args.push("sample-headers/pass-rsa-sha256-relaxed.eml");
    let out = dkimscope(&args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = &json_lines(&out)[0];
    assert_eq!(v["file"], "sample-headers/pass-rsa-sha256-relaxed.eml");
    assert_eq!(v["dkim"], "pass");
    let s = &v["signatures"][0];
    for key in [
        "index",
        "domain",
        "selector",
        "algorithm",
        "result",
        "diagnosis",
        "warnings",
        "findings",
        "mail_auth",
        "steps",
    ] {
        assert!(!s[key].is_null(), "signature lacks {key}");
    }
    assert_eq!(s["index"], 0);
    assert_eq!(s["mail_auth"], "pass");
    let steps: Vec<&str> = s["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "locate",
            "tags",
            "key",
            "body",
            "headers",
            "signature",
            "verdict"
        ]
    );
    assert!(v["arc"]["cv"].is_string() && v["arc"]["sets"].is_number());
    assert!(v["authentication_results"][0]["authserv_id"].is_string());

    let mut args = vec!["check", "--json"];
    args.extend(OFFLINE);
    args.push("sample-headers/footer-appended.eml");
    let out = dkimscope(&args, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json_lines(&out)[0]["signatures"][0]["diagnosis"],
        "body-hash-mismatch"
    );
}

#[test]
fn a_bad_file_is_reported_and_the_batch_goes_on() {
    let mut args = vec!["check", "--json"];
    args.extend(OFFLINE);
    args.extend([
        "sample-headers/unsigned.eml",
        "no/such/file.eml",
        "sample-headers/revoked-key.eml",
    ]);
    let out = dkimscope(&args, None);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["dkim"], "none");
    assert_eq!(lines[1]["file"], "no/such/file.eml");
    assert!(
        lines[1]["error"].as_str().unwrap().contains("not found"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["signatures"][0]["diagnosis"], "key-revoked");
}

#[test]
fn a_directory_means_every_message_in_it_in_order() {
    let mut args = vec!["check", "--json"];
    args.extend(OFFLINE);
    args.push("sample-headers");
    let out = dkimscope(&args, None);
    let files: Vec<String> = json_lines(&out)
        .iter()
        .map(|v| v["file"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files.iter().any(|f| f.ends_with("m365-dangling-cname.eml")));
    // keys.zone, README.md and manifest.tsv are listed too, each as an
    // input error naming what it looks like, so the run exits 2.
    assert_eq!(files.len(), 27);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out);
    let error_of = |name: &str| {
        lines
            .iter()
            .find(|v| v["file"].as_str().is_some_and(|f| f.ends_with(name)))
            .and_then(|v| v["error"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(error_of("keys.zone").contains("DNS zone file"), "{lines:?}");
    assert!(error_of("README.md").contains("text document"), "{lines:?}");
    assert!(
        error_of("manifest.tsv").starts_with("not a message"),
        "{lines:?}"
    );
    let errors = lines.iter().filter(|v| v.get("error").is_some()).count();
    assert_eq!(errors, 3);
}

/// `dkimscope DIR | cat`: with stdout not a terminal the bare form is the
/// batch report, the same as `dkimscope check DIR` (on a terminal it says
/// to use `check`: tests/it/tui_tmux.rs).
#[test]
fn a_directory_without_a_terminal_is_the_check_report() {
    let mut bare = vec!["sample-headers"];
    bare.extend(OFFLINE);
    let mut check = vec!["check", "sample-headers"];
    check.extend(OFFLINE);
    let (a, b) = (dkimscope(&bare, None), dkimscope(&check, None));
    let text = String::from_utf8_lossy(&a.stdout);
    assert!(text.contains("m365-dangling-cname.eml"), "{text}");
    assert!(text.contains("checked 27 messages"), "{text}");
    assert_eq!(text, String::from_utf8_lossy(&b.stdout));
    // keys.zone, README.md and manifest.tsv are not messages: input errors.
    assert_eq!(a.status.code(), Some(2));
    assert_eq!(a.status.code(), b.status.code());
}

#[test]
fn stdin_and_the_plain_text_report() {
    let msg = std::fs::read(root().join("sample-headers/m365-dangling-cname.eml")).unwrap();
    let mut args = vec!["-"];
    args.extend(OFFLINE);
    let out = dkimscope(&args, Some(&msg));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("key-cname-dangling"), "{text}");
    assert!(text.contains("onmicrosoft.com"), "{text}");
    assert!(text.contains("what to do:"), "{text}");
}

#[test]
fn offline_names_the_dig_command_for_a_missing_key() {
    let out = dkimscope(
        &[
            "check",
            "--offline",
            "--at",
            "2025-11-24T12:00:00Z",
            "sample-headers/pass-rsa-sha256-relaxed.eml",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("key-offline-missing"), "{text}");
    assert!(text.contains("dig +noall +answer TXT"), "{text}");
}

#[test]
fn escape_sequences_in_a_message_never_reach_the_terminal() {
    let evil = b"From: \x1b]0;owned\x07<a@example.com>\r\nSubject: \x1b[2J\xe2\x80\xae gnp.exe \x9b\r\nDKIM-Signature: v=1; a=rsa-sha256; d=ex\x1bample.com; s=s\x07; h=from; bh=AAAA; b=AAAA\r\n\r\nbody\r\n";
    let out = dkimscope(&["check", "--offline", "-"], Some(evil));
    assert!(!out.stdout.contains(&0x1b), "raw ESC in output");
    assert!(!out.stdout.contains(&0x07), "raw BEL in output");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{202e}'));
    assert!(text.contains("\\x1b"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let out = dkimscope(&["check", "--at", "yesterday", "x.eml"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = dkimscope(
        &[
            "check",
            "--keys",
            "no/such.zone",
            "sample-headers/unsigned.eml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such.zone"));
}

/// Completion scripts for each shell come from the parser itself: they
/// know the subcommands and the shared options.
#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = dkimscope(&["completions", shell], None);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["check", "selectors", "explain", "offline"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        // fish names a long option without its dashes: `-l offline`.
        let offline = if shell == "fish" {
            "-l offline"
        } else {
            "--offline"
        };
        assert!(script.contains(offline), "{shell} lacks --offline");
    }
    let out = dkimscope(&["completions", "tcsh"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_and_names_the_subcommands() {
    let out = dkimscope(&["man"], None);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with(".TH dkimscope 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in ["check", "selectors", "explain", "completions", "man"] {
        assert!(page.contains(&format!("dkimscope\\-{sub}(1)")), "{sub}");
    }
    assert!(page.contains("\\-\\-offline"), "{page}");
}

/// A receiver's dmarc=pass that rests on its aligned SPF is compared like
/// with like: not "the message or the key changed".
#[test]
fn dmarc_pass_on_the_receivers_spf_agrees() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args([
            "check",
            "--json",
            "--offline",
            "--at",
            "2025-11-24T12:00:00Z",
            "--keys",
        ])
        .arg(root.join("sample-headers/keys.zone"))
        .arg(root.join("sample-headers/m365-dangling-cname.eml"))
        .output()
        .expect("run check");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let spf = &v["dmarc"]["spf"];
    assert_eq!(spf["result"], "pass");
    assert_eq!(spf["domain"], "contoso.example");
    assert_eq!(
        (spf["aligned"].as_bool(), spf["dmarc_pass"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(v["dmarc"]["result"], "fail", "DKIM alone still fails");
    let st = v["authentication_results"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["method"] == "dmarc"))
        .expect("a dmarc= statement");
    assert_eq!(st["ours"], "pass");
    assert_eq!(st["result"], "pass");
    let c = st["comparison"].as_str().unwrap_or_default();
    assert!(!c.contains("changed"), "{c}");
}
