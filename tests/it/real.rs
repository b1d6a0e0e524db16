//! Real mail and what users really drop on the tool: messages from public
//! projects' test data (tests/fixtures/real/, sources in its README), and
//! inputs that are not messages at all.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use std::io::Write;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn real(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/real").join(name)).expect("fixture")
}

fn check(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args(["check", "--offline", "--at", "2025-11-24T12:00:00Z"])
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or_default()).expect("write");
    drop(pipe);
    child.wait_with_output().expect("wait")
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[test]
fn an_outlook_msg_is_an_input_error_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let msg = tmp.path().join("Undeliverable.msg");
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(std::iter::repeat_n(0u8, 504));
    std::fs::write(&msg, &ole).unwrap();
    let msg = msg.to_string_lossy().into_owned();
    let good = "tests/fixtures/real/spamscope-bbva-phish-exchange-2022.eml";
    let out = check(&["--json", &msg, good], None);
    assert_eq!(out.status.code(), Some(2));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], msg.as_str());
    let error = lines[0]["error"].as_str().unwrap();
    assert!(error.contains("Outlook .msg"), "{error}");
    assert!(error.contains("save it as .eml"), "{error}");
    assert_eq!(lines[1]["dkim"], "none");
    // The text report says the same, naming the file.
    let out = check(&[&msg], None);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Outlook .msg"), "{text}");
    assert!(!text.contains("never signed"), "{text}");
}

#[test]
fn empty_and_readme_input_are_not_reported_as_unsigned() {
    for (input, says) in [
        (&b""[..], "empty"),
        (b"\n\n", "blank"),
        (b"# notes\n\nSee the wiki.\n", "text document"),
    ] {
        let out = check(&["--json", "-"], Some(input));
        assert_eq!(out.status.code(), Some(2));
        let lines = json_lines(&out);
        let error = lines[0]["error"].as_str().unwrap();
        assert!(error.contains(says), "{error}");
    }
}

#[test]
fn outlook_banner_and_quoted_pastes_of_real_headers_still_load() {
    let real = real("spamscope-bbva-phish-exchange-2022.eml");
    let mut banner = b"Microsoft Mail Internet Headers Version 2.0\r\n".to_vec();
    banner.extend_from_slice(&real);
    let quoted: Vec<u8> = String::from_utf8_lossy(&real)
        .lines()
        .flat_map(|l| format!("> {l}\n").into_bytes())
        .collect();
    for input in [real.clone(), banner, quoted] {
        let out = check(&["--json", "-"], Some(&input));
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = &json_lines(&out)[0];
        assert!(v.get("error").is_none(), "{v}");
        assert_eq!(v["dkim"], "none");
        assert_eq!(
            v["authentication_results"][0]["authserv_id"],
            "mailb.triara.com"
        );
    }
}

/// Real bounces: the status sisimai reports for each (MANIFEST of the
/// source corpus), and whether it is about authentication.
#[test]
fn real_bounces_say_their_status_and_whether_it_is_about_authentication() {
    for (file, status, reply, auth, lead) in [
        (
            "sisimai-lhost-office365-01.eml",
            "5.1.10",
            550,
            false,
            "This bounce is not about authentication: the recipient does not exist",
        ),
        (
            "sisimai-rhost-microsoft-04.eml",
            "5.7.509",
            550,
            true,
            "Microsoft 365 rejected it for DMARC (5.7.509)",
        ),
        (
            "sisimai-lhost-sendmail-60.eml",
            "5.7.26",
            550,
            true,
            "rejected it for",
        ),
        (
            "sisimai-lhost-exim-43.eml",
            "5.7.1",
            550,
            false,
            "This bounce is not about authentication",
        ),
        // No copy of the reported message in these two: the status is
        // read and said first all the same.
        (
            "sisimai-lhost-zoho-01.eml",
            "5.1.1",
            550,
            false,
            "This bounce is not about authentication: the recipient does not exist (bad destination mailbox address) (5.1.1). No copy of the reported message was found in it; the bounce itself:",
        ),
        (
            "sisimai-lhost-amazonses-09.eml",
            "5.1.1",
            550,
            false,
            "This bounce is not about authentication: the recipient does not exist",
        ),
        // DragonFly quotes the headers after "Message headers follow.".
        (
            "sisimai-lhost-dragonfly-02.eml",
            "5.7.509",
            550,
            true,
            "Microsoft 365 rejected it for DMARC (5.7.509); the reported message:",
        ),
        // Exchange's "authentication required" wants a logged-in sender.
        (
            "sisimai-lhost-exchange2007-04.eml",
            "5.7.1",
            550,
            false,
            "This bounce is not about authentication: the recipient accepts mail only from authenticated senders",
        ),
    ] {
        let path = format!("tests/fixtures/real/{file}");
        let out = check(&["--json", &path], None);
        let v = &json_lines(&out)[0];
        let b = &v["bounce"];
        assert_eq!(b["status"], status, "{file}: {b}");
        assert_eq!(b["reply"], reply, "{file}: {b}");
        assert_eq!(b["about_authentication"], auth, "{file}: {b}");
        assert!(b["status_meaning"].as_str().is_some_and(|m| !m.is_empty()));
        let summary = v["summary"].as_str().unwrap();
        assert!(summary.contains(lead), "{file}: {summary}");
        let copy = !matches!(
            file,
            "sisimai-lhost-zoho-01.eml" | "sisimai-lhost-amazonses-09.eml"
        );
        assert_eq!(b["opened"], copy, "{file}: {b}");
    }
    // Text: the bounce line says there is no copy, and the bounce's own
    // lack of a signature is not called "never signed".
    let out = check(&["tests/fixtures/real/sisimai-lhost-zoho-01.eml"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "bounce: no copy of the reported message found in it; analysing the bounce itself"
        ),
        "{text}"
    );
    assert!(
        text.contains("bounce status: 550 5.1.1 (not about authentication)"),
        "{text}"
    );
    assert!(!text.contains("never signed"), "{text}");
    assert!(!text.contains("note: this looks like a bounce"), "{text}");
}

#[test]
fn explain_knows_bounce_status_codes() {
    for (code, says) in [
        ("5.7.26", "DMARC"),
        ("5.7.509", "DMARC"),
        ("5.1.10", "does not exist"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_dkimscope"))
            .args(["explain", code])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{code}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(says), "{code}: {text}");
    }
}

/// Authentication-Results read as written: a receiver that checked nothing
/// is a statement, and what cannot be read is said, in JSON and in text.
#[test]
fn receivers_that_checked_nothing_and_unreadable_fields_are_shown() {
    // Yahoo in 2009 put `from=` beside its authserv-id.
    let out = check(
        &["--json", "tests/fixtures/real/jdkim-gmail-gamma-2009.eml"],
        None,
    );
    let v = &json_lines(&out)[0];
    let ar = v["authentication_results"].as_array().unwrap();
    assert_eq!(ar.len(), 3, "{ar:?}");
    for st in ar {
        assert_eq!(
            st["problems"][0],
            "\"from=gmail.com\" after the authserv-id is not a version number: ignored",
            "{st}"
        );
    }
    let out = check(&["tests/fixtures/real/jdkim-gmail-gamma-2009.eml"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    // Once per field, not once per statement.
    assert_eq!(text.matches("problem in this field:").count(), 1, "{text}");

    let msg = b"Authentication-Results: mx.example.net 1; none\r\n\
Authentication-Results: mx.example.net; dkim pass (body hash did not verify\r\n\
Received: from a.example (a.example [192.0.2.1]) by mx.example.net with ESMTP id 1;\r\n Mon, 24 Nov 2025 12:00:00 +0000\r\n\
From: a@example.org\r\nSubject: t\r\n\r\nbody\r\n";
    let out = check(&["--json", "-"], Some(msg));
    let v = &json_lines(&out)[0];
    let ar = v["authentication_results"].as_array().unwrap();
    assert_eq!(ar.len(), 2, "{ar:?}");
    assert_eq!(
        (&ar[0]["method"], &ar[0]["result"]),
        (&"none".into(), &"none".into())
    );
    assert!(ar[0].get("problems").is_none(), "{}", ar[0]);
    assert_eq!(
        (&ar[1]["method"], &ar[1]["result"]),
        (&"".into(), &"".into())
    );
    let problems = ar[1]["problems"].as_array().unwrap();
    assert!(
        problems[0].as_str().unwrap().contains("never closed"),
        "{problems:?}"
    );
    let out = check(&["-"], Some(msg));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("mx.example.net: none  (this receiver checked nothing)"),
        "{text}"
    );
    assert!(text.contains("mx.example.net: nothing readable"), "{text}");
}

/// A Received field with no from or by (qmail's "invoked from network"),
/// a folded date with milliseconds, and a by clause naming its address:
/// JSON keeps the comment and the unfolded date, the text shows both IPs.
#[test]
fn received_hops_keep_comment_unfolded_date_and_addresses() {
    let msg = b"Received: from AM9PR01MB1.eurprd01.prod.exchangelabs.com (2603:10a6:20b:1::12)\r\n by AM0PR01MB2.eurprd01.prod.exchangelabs.com (2603:10a6:208:12::34) with\r\n Microsoft SMTP Server id 15.20.1; Mon, 24 Nov 2025\r\n 12:00:01.900 +0000\r\n\
Received: (qmail 10592 invoked from network); 24 Nov 2025 12:00:00.100 -0000\r\n\
From: a@example.org\r\nSubject: t\r\n\r\nbody\r\n";
    let out = check(&["--json", "-"], Some(msg));
    let v = &json_lines(&out)[0];
    let hops = v["received"].as_array().unwrap();
    assert_eq!(hops[0]["comment"], "qmail 10592 invoked from network");
    assert_eq!(hops[1]["date"], "Mon, 24 Nov 2025 12:00:01.900 +0000");
    // 1.8 s: rounded, not cut to 1.
    assert_eq!(hops[1]["delay"], 2);
    assert!(hops[1].get("comment").is_none());
    let out = check(&["-"], Some(msg));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("(qmail 10592 invoked from network)"),
        "{text}"
    );
    assert!(!text.contains("from ? by ?"), "{text}");
    assert!(
        text.contains("from IP 2603:10a6:20b:1::12  by IP 2603:10a6:208:12::34"),
        "{text}"
    );
}

/// rsa-sha1 that verifies is refused for its algorithm alone, and the
/// report says it verifies; one that does not verify says that too.
#[test]
fn rsa_sha1_that_verifies_says_so() {
    let path = "tests/fixtures/real/jdkim-myspace-pmta-2009.eml";
    let out = check(
        &["--json", "--keys", "tests/fixtures/real/keys.zone", path],
        None,
    );
    let v = &json_lines(&out)[0];
    let s = &v["signatures"][0];
    assert_eq!(
        (&s["result"], &s["diagnosis"]),
        (&"policy".into(), &"sig-sha1".into())
    );
    assert_eq!(
        s["reason"],
        "a=rsa-sha1: the signature verifies, but rsa-sha1 is not accepted since RFC 8301 (§3.1)"
    );
    let summary = v["summary"].as_str().unwrap();
    assert!(
        summary.contains("verifies, but rsa-sha1 is not accepted since RFC 8301"),
        "{summary}"
    );
    // The same message with its body changed.
    let raw = real("jdkim-myspace-pmta-2009.eml");
    let changed = String::from_utf8_lossy(&raw).replace("dGVzdDxiciAvPg==", "dGVzdA==");
    let out = check(
        &["--json", "--keys", "tests/fixtures/real/keys.zone", "-"],
        Some(changed.as_bytes()),
    );
    let s = &json_lines(&out)[0]["signatures"][0];
    assert_eq!(s["diagnosis"], "sig-sha1");
    assert_eq!(
        s["reason"],
        "a=rsa-sha1: rsa-sha1 is not accepted since RFC 8301 (§3.1), and the signature does not verify either (the body hash does not match)"
    );
}

fn check_at(at: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .args(["check", "--offline", "--at", at])
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or_default()).expect("write");
    drop(pipe);
    child.wait_with_output().expect("wait")
}

/// `--at delivery` on Fastmail mail whose 24-hour x= ran out after
/// delivery (2025): checked as of delivery, the signature passes, as the
/// receiver said; a message that shows no delivery time says so.
#[test]
fn at_delivery_checks_each_message_as_of_its_own_delivery() {
    let file = "tests/fixtures/real/fastmail-internal-expired.eml";
    let keys = ["--keys", "tests/fixtures/real/keys.zone"];
    let out = check_at("delivery", &[keys[0], keys[1], "--json", file], None);
    let v = &json_lines(&out)[0];
    assert_eq!(v["as_of"], "delivery");
    // 2025-10-30 09:58:08Z: the LMTP hop's date, on top of Fastmail's side.
    assert_eq!(v["at"], 1_761_818_288);
    let fm3 = &v["signatures"][1];
    assert_eq!(fm3["domain"], "messagingengine.com");
    assert_eq!(
        (&fm3["result"], &fm3["diagnosis"]),
        (&"pass".into(), &"pass".into())
    );
    assert!(fm3["findings"].as_array().unwrap().is_empty(), "{fm3}");
    let note = v["notes"][0].as_str().unwrap();
    assert!(
        note.starts_with("checked as of delivery, 2025-10-30 09:58:08Z"),
        "{note}"
    );
    let said = v["authentication_results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["signature"] == 1)
        .expect("the receiver's dkim= for fm3");
    assert_eq!(
        (&said["result"], &said["agreement"]),
        (&"pass".into(), &"agrees".into())
    );

    // Checked at a fixed time a year later, the same signature expired
    // after delivery: permerror, with the finding that says so.
    let out = check_at(
        "2026-11-01T00:00:00Z",
        &[keys[0], keys[1], "--json", file],
        None,
    );
    let v = &json_lines(&out)[0];
    assert_eq!(v["as_of"], "time");
    assert_eq!(v["signatures"][1]["diagnosis"], "sig-expired");
    assert_eq!(v["signatures"][1]["findings"][0], "expired-after-delivery");

    // The text report says which time it used.
    let out = check_at("delivery", &[keys[0], keys[1], file], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note: checked as of delivery, 2025-10-30 09:58:08Z"),
        "{text}"
    );
    assert!(
        text.contains("what dkimscope finds as of delivery"),
        "{text}"
    );

    // No Received field: checked now, and the report says why first.
    let sent = b"From: a@example.org\r\nSubject: t\r\n\r\nbody\r\n";
    let out = check_at("delivery", &["--json", "-"], Some(sent));
    assert_eq!(out.status.code(), Some(1));
    let v = &json_lines(&out)[0];
    assert_eq!(v["as_of"], "delivery-unknown");
    let note = v["notes"][0].as_str().unwrap();
    assert!(
        note.starts_with("--at delivery: no delivery time found (the message has no Received field); checked as of now"),
        "{note}"
    );
    // A misspelt keyword is a usage error naming the choices.
    let out = check_at("deliver", &["-"], Some(sent));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the word delivery"));
}

/// A Received field with only `by` (local submission at Fastmail, Gmail
/// making the forwarded copy) says so instead of "from ?".
#[test]
fn received_fields_with_only_by_say_where_the_message_started() {
    let path = root().join("tests/fixtures/real/kumomta-fastmail-arc-gmail-2025.eml");
    let out = check(&[path.to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "1. 2025-10-30 09:42:54Z  by mailuser.phl.internal (no from: submitted or made there)"
        ),
        "{text}"
    );
    assert!(!text.contains("from ? by"), "{text}");
}
