//! Opening bounces: each fixture under `tests/fixtures/bounces/` is parsed
//! and the reported message, `how` and the diagnostics are checked.

use dkimscope::message::{Message, parse};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/bounces/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The bytes of the first field named `name` in `raw`, split independently.
fn field_in(raw: Vec<u8>, name: &str) -> Vec<u8> {
    let m = dkimscope::message::parse_plain(raw);
    let (_, h) = m.fields(name).next().expect("field present");
    m.field_bytes(h).to_vec()
}

fn dkim_signature(m: &Message) -> Vec<u8> {
    let (_, h) = m
        .fields("dkim-signature")
        .next()
        .expect("DKIM-Signature found");
    m.field_bytes(h).to_vec()
}

fn original_signature() -> Vec<u8> {
    field_in(fixture("original.eml"), "DKIM-Signature")
}

fn bounce(m: &Message) -> &dkimscope::message::Bounce {
    m.bounce.as_ref().expect("opened as a bounce")
}

#[test]
fn postfix_dsn_with_message_rfc822() {
    let m = parse(fixture("postfix_dsn.eml"));
    let b = bounce(&m);
    assert_eq!(b.how, "message/rfc822 part");
    // The whole original, byte for byte.
    assert_eq!(m.raw, fixture("original.eml"));
    assert_eq!(dkim_signature(&m), original_signature());
    assert!(m.body_bytes().is_some_and(|b| b.starts_with(b"Hi Bob,")));
    assert_eq!(
        b.subject.as_deref(),
        Some("Undelivered Mail Returned to Sender")
    );
    assert_eq!(
        b.from.as_deref(),
        Some("Mail Delivery System <MAILER-DAEMON@mx.example.net>")
    );
    assert_eq!(
        b.diagnostics,
        vec![
            "<bob@example.org>: host mx.example.org[192.0.2.25] said: 550 5.7.1 DKIM",
            "Final-Recipient: rfc822; bob@example.org",
            "Action: failed",
            "Status: 5.7.1",
            "Diagnostic-Code: smtp; 550 5.7.1 DKIM signature verification failed",
        ]
    );
}

#[test]
fn microsoft_365_ndr_with_rfc822_headers() {
    let m = parse(fixture("m365_ndr.eml"));
    let b = bounce(&m);
    assert_eq!(b.how, "text/rfc822-headers part");
    // The bounce is CRLF: the headers come out in CRLF, otherwise identical.
    let sig = String::from_utf8(dkim_signature(&m)).expect("ascii");
    let orig = String::from_utf8(original_signature()).expect("ascii");
    assert_eq!(sig, orig.replace('\n', "\r\n"));
    assert_eq!(m.body, None, "headers only");
    assert!(m.notes.iter().any(|n| n.contains("only the headers")));
    assert_eq!(
        b.subject.as_deref(),
        Some("Undeliverable: Quarterly numbers")
    );
    assert!(
        b.from
            .as_deref()
            .is_some_and(|f| f.starts_with("Microsoft Outlook <"))
    );
    let d = &b.diagnostics;
    assert!(d.len() <= 8);
    assert_eq!(
        d[0],
        "Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com"
    );
    assert!(d[1].starts_with(
        "Remote Server returned '550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject."
    ));
    assert!(d.contains(&"Status: 5.7.509".to_string()));
    assert!(d.contains(
        &"Diagnostic-Code: smtp;550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject."
            .to_string()
    ));
}

#[test]
fn gmail_dsn() {
    let m = parse(fixture("gmail_dsn.eml"));
    let b = bounce(&m);
    assert_eq!(b.how, "message/rfc822 part");
    assert_eq!(m.raw, fixture("original.eml"));
    assert_eq!(
        b.subject.as_deref(),
        Some("Delivery Status Notification (Failure)")
    );
    assert_eq!(
        b.diagnostics[0],
        "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM."
    );
    assert!(b.diagnostics.contains(&"Status: 5.7.26".to_string()));
    assert!(
        b.diagnostics
            .contains(&"Final-Recipient: rfc822; carol@gmail.com".to_string())
    );
}

#[test]
fn exim_plain_text_copy() {
    let m = parse(fixture("exim_plain.eml"));
    let b = bounce(&m);
    assert_eq!(
        b.how,
        "quoted after \"------ This is a copy of the message, including all the headers. ------\""
    );
    // Exim quotes the whole message: headers and body.
    assert_eq!(m.raw, fixture("original.eml"));
    assert_eq!(dkim_signature(&m), original_signature());
    assert_eq!(
        b.diagnostics,
        vec!["550 5.7.1 Message rejected: DKIM signature body hash did not verify"]
    );
    assert_eq!(
        b.subject.as_deref(),
        Some("Mail delivery failed: returning message to sender")
    );
}

#[test]
fn pasted_exchange_ndr_text() {
    let m = parse(fixture("exchange_paste.txt"));
    let b = bounce(&m);
    assert_eq!(b.how, "quoted after \"Original message headers:\"");
    assert_eq!(dkim_signature(&m), original_signature());
    assert_eq!(m.headers.len(), 9);
    assert!(m.headers.iter().all(|h| h.malformed.is_none()));
    assert_eq!(m.body, None);
    assert_eq!(
        b.diagnostics,
        vec![
            "Generating server: EX01.corp.example.org",
            "Remote Server returned '550 5.7.1 DKIM signature did not verify'",
        ]
    );
    assert_eq!(b.subject, None);
}

#[test]
fn base64_encoded_message_part_is_decoded() {
    let m = parse(fixture("base64_rfc822.eml"));
    let b = bounce(&m);
    assert_eq!(b.how, "message/rfc822 part (base64-decoded)");
    assert_eq!(m.raw, fixture("original_crlf.eml"));
    assert_eq!(m.line_endings, dkimscope::message::LineEndings::Crlf);
    assert_eq!(
        b.diagnostics,
        vec!["<bob@example.org>: host mx.example.org[192.0.2.25] said: 554 5.7.5 Permanent"]
    );
}

#[test]
fn bounce_of_a_bounce() {
    let m = parse(fixture("double_bounce.eml"));
    let b = bounce(&m);
    assert_eq!(
        b.how,
        "message/rfc822 part, then quoted after \"Original message headers:\""
    );
    assert_eq!(dkim_signature(&m), original_signature());
    let subject = m
        .fields("subject")
        .next()
        .map(|(_, h)| m.value_bytes(h).to_vec());
    assert_eq!(subject.as_deref(), Some(&b" Quarterly numbers"[..]));
    // The outer bounce is the one the user holds.
    assert_eq!(
        b.subject.as_deref(),
        Some("Undelivered Mail Returned to Sender")
    );
    // The bounce that refused the analysed message speaks first.
    assert_eq!(
        b.diagnostics,
        vec![
            "Generating server: EX01.corp.example.org",
            "Remote Server returned '550 5.7.1 DKIM signature did not verify'",
            "<postmaster@example.org>: host mail.example.org[198.51.100.7] said: 552 5.2.2",
            "Final-Recipient: rfc822; postmaster@example.org",
            "Action: failed",
            "Status: 5.2.2",
            "Diagnostic-Code: smtp; 552 5.2.2 mailbox full",
        ]
    );
}

#[test]
fn forwarded_message_is_not_unwrapped() {
    let raw = fixture("forwarded.eml");
    let m = parse(raw.clone());
    assert!(m.bounce.is_none());
    assert_eq!(m.raw, raw);
    assert_eq!(m.headers[0].name, "From");
    assert!(m.fields("dkim-signature").next().is_none());
}

#[test]
fn sendmail_multipart_mixed_bounce() {
    let m = parse(fixture("sendmail_mixed.eml"));
    let b = bounce(&m);
    assert_eq!(b.how, "message/rfc822 part");
    assert_eq!(m.raw, fixture("original.eml"));
    assert_eq!(
        b.diagnostics,
        vec!["(reason: 550 5.7.1 Rejected by DKIM policy)"]
    );
}

#[test]
fn plain_message_is_left_alone() {
    let raw = fixture("original.eml");
    let m = parse(raw.clone());
    assert!(m.bounce.is_none());
    assert_eq!(m.raw, raw);
    assert!(m.notes.is_empty());
}

#[test]
fn reply_quoting_an_original_message_is_not_a_bounce() {
    for nl in ["\n", "\r\n"] {
        let text = "From: Bob <bob@example.org>\nTo: alice@example.com\nSubject: Re: Quarterly numbers\n\nThanks!\n\n----- Original message -----\nFrom: Alice <alice@example.com>\nSubject: Quarterly numbers\n\nHi Bob\n"
            .replace('\n', nl);
        let m = parse(text.clone().into_bytes());
        assert!(m.bounce.is_none());
        assert_eq!(m.raw, text.into_bytes());
    }
}

#[test]
fn bounce_without_a_copy_is_analysed_itself_and_says_its_status() {
    let text = "From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\n\n<bob@example.org>: 550 5.1.1 user unknown\n";
    let m = parse(text.as_bytes().to_vec());
    let b = bounce(&m);
    assert!(!b.opened);
    assert_eq!(b.how, dkimscope::message::bounce::NO_COPY);
    assert_eq!(
        b.diagnostics,
        vec!["<bob@example.org>: 550 5.1.1 user unknown"]
    );
    let st = b.status.as_ref().expect("status");
    assert_eq!((st.code.as_deref(), st.reply), (Some("5.1.1"), Some(550)));
    // The bounce itself is what is analysed, unchanged.
    assert_eq!(m.raw, text.as_bytes());
    assert_eq!(b.from.as_deref(), Some("MAILER-DAEMON@mx.example.net"));
}

#[test]
fn nesting_stops_after_five_levels() {
    let mut msg = String::from_utf8(fixture("original.eml")).expect("ascii");
    for i in 0..7 {
        msg = format!(
            "From: MAILER-DAEMON@mx{i}.example.net\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"lvl{i}\"\n\n--lvl{i}\nContent-Type: text/plain\n\n550 5.0.{i} level {i}\n\n--lvl{i}\nContent-Type: message/rfc822\n\n{msg}\n--lvl{i}--\n"
        );
    }
    let m = parse(msg.into_bytes());
    let b = bounce(&m);
    assert_eq!(b.how.matches("message/rfc822 part").count(), 5);
    assert!(
        m.notes
            .iter()
            .any(|n| n.contains("stopped after opening 5"))
    );
    assert!(m.fields("from").next().is_some());
    assert!(b.diagnostics.len() <= 8);
    assert_eq!(b.diagnostics[0], "550 5.0.2 level 2");
}

#[test]
fn marker_inside_the_text_part_of_a_multipart_bounce() {
    let original = String::from_utf8(fixture("original.eml")).expect("ascii");
    let headers = original.split("\n\n").next().expect("headers");
    for nl in ["\n", "\r\n"] {
        let text = format!(
            "From: postmaster@example.org\nSubject: Undeliverable: Quarterly numbers\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"nd\"\n\n--nd\nContent-Type: text/plain; charset=us-ascii\n\nDelivery has failed to these recipients or groups:\n\nbob@example.org\n#550 5.7.1 DKIM verification failed ##\n\nOriginal message headers:\n\n{headers}\n\n--nd--\n"
        )
        .replace('\n', nl);
        let m = parse(text.into_bytes());
        let b = bounce(&m);
        assert_eq!(
            b.how,
            "quoted after \"Original message headers:\" in the text/plain part"
        );
        assert_eq!(
            b.diagnostics,
            vec!["#550 5.7.1 DKIM verification failed ##"]
        );
        let sig = String::from_utf8(dkim_signature(&m)).expect("ascii");
        let orig = String::from_utf8(original_signature()).expect("ascii");
        assert_eq!(sig, orig.replace('\n', nl));
        assert_eq!(m.body, None);
        assert_eq!(m.headers.len(), 9);
    }
}

/// `bytes` with every line end made LF, or made CRLF.
fn with_line_ends(bytes: &[u8], crlf: bool) -> Vec<u8> {
    let lf: Vec<u8> = String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .into_bytes();
    if crlf {
        String::from_utf8_lossy(&lf)
            .replace('\n', "\r\n")
            .into_bytes()
    } else {
        lf
    }
}

#[test]
fn every_bounce_opens_the_same_in_lf_and_crlf_form() {
    let cases = [
        ("postfix_dsn.eml", "message/rfc822 part"),
        ("m365_ndr.eml", "text/rfc822-headers part"),
        ("gmail_dsn.eml", "message/rfc822 part"),
        (
            "exchange_paste.txt",
            "quoted after \"Original message headers:\"",
        ),
        ("sendmail_mixed.eml", "message/rfc822 part"),
        (
            "double_bounce.eml",
            "message/rfc822 part, then quoted after \"Original message headers:\"",
        ),
    ];
    for (name, how) in cases {
        for crlf in [false, true] {
            let m = parse(with_line_ends(&fixture(name), crlf));
            assert_eq!(bounce(&m).how, how, "{name} crlf={crlf}");
            let want = with_line_ends(&original_signature(), crlf);
            assert_eq!(dkim_signature(&m), want, "{name} crlf={crlf}");
        }
    }
    for crlf in [false, true] {
        let m = parse(with_line_ends(&fixture("exim_plain.eml"), crlf));
        assert_eq!(m.raw, with_line_ends(&fixture("original.eml"), crlf));
        let m = parse(with_line_ends(&fixture("forwarded.eml"), crlf));
        assert!(m.bounce.is_none());
    }
}

#[test]
fn reports_and_postmaster_mail_that_say_nothing_of_a_failure_are_not_bounces() {
    // A TLS report (RFC 8460) is a multipart/report, but not a delivery one.
    let tlsrpt = "From: noreply-smtp-tls-reporting@google.com\nSubject: Report Domain: example.org Submitter: google.com\nMIME-Version: 1.0\nContent-Type: multipart/report; boundary=\"b\"; report-type=tlsrpt\n\n--b\nContent-Type: text/plain\n\nThis is an aggregate TLS report from google.com\n--b\nContent-Type: application/tlsrpt+gzip\nContent-Transfer-Encoding: base64\n\nH4sIAAAAAAAAAAMAAAAAAAAAAAA=\n--b--\n";
    let m = parse(tlsrpt.as_bytes().to_vec());
    assert!(m.bounce.is_none());
    assert!(m.notes.is_empty(), "{:?}", m.notes);
    // A DMARC report, or any mail, from postmaster@.
    let dmarc = "From: postmaster@amazonses.com\nSubject: Dmarc Aggregate Report Domain: {example.org}\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nreport attached\n--b--\n";
    assert!(parse(dmarc.as_bytes().to_vec()).bounce.is_none());
    // Nor is a message from postmaster@ quoted inside a real bounce: only
    // the outer one is a bounce.
    let inner = "From: postmaster@example.jp\nSubject: Nyaan\nMessage-Id: <1@example.jp>\n";
    let dsn = format!(
        "From: MAILER-DAEMON@mx.example.org\nSubject: Returned mail: see transcript for details\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: RFC822; neko@example.org\nAction: failed\nStatus: 5.7.27\n\n--b\nContent-Type: text/rfc822-headers\n\n{inner}\n--b--\n"
    );
    let m = parse(dsn.into_bytes());
    let b = bounce(&m);
    assert!(b.opened);
    assert_eq!(b.how, "text/rfc822-headers part");
    assert!(
        !m.notes.iter().any(|n| n.contains("itself a bounce")),
        "{:?}",
        m.notes
    );
    // A text bounce without a status from postmaster@ still is one when its
    // Subject says so (Exchange 2003: "Undeliverable: ...").
    let ex = "From: System Administrator <postmaster@example.jp>\nSubject: Undeliverable: Kijitora Cat\n\nYour message did not reach the following recipient(s):\n\nkijitora@example.jp\n    The recipient name is not recognized\n";
    let m = parse(ex.as_bytes().to_vec());
    assert!(!bounce(&m).opened);
}
