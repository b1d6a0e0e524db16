//! Hostile and broken input: every case loads, gives a report or a clear
//! error, and finishes (time is measured in bench/, not asserted here).

use dkimscope::diagnose::{Report, analyse_with};
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;

const SIG: &[u8] = b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s2025; h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n";

fn keys() -> Layered {
    let mut zone = String::from(
        "loop1._domainkey.example.com. IN CNAME loop2._domainkey.example.com.\n\
         loop2._domainkey.example.com. IN CNAME loop1._domainkey.example.com.\n",
    );
    // A 60 KB key record.
    zone.push_str("big._domainkey.example.com. 3600 IN TXT");
    for _ in 0..240 {
        zone.push_str(&format!(" \"{}\"", "A".repeat(255)));
    }
    zone.push('\n');
    Layered::offline(ZoneKeys::parse("adversarial.zone", &zone))
}

async fn check(bytes: Vec<u8>) -> Report {
    analyse_with(
        message::parse(bytes),
        &keys(),
        dkimscope::diagnose::Clock {
            now: 1_764_000_000,
            real: false,
        },
    )
    .await
}

/// A deterministic byte stream (xorshift).
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

#[tokio::test]
async fn garbage_nul_and_empty_inputs() {
    for seed in 1..20 {
        let r = check(noise(20_000, seed)).await;
        assert!(r.signatures.len() <= dkimscope::diagnose::MAX_SIGNATURES);
    }
    let r = check(b"From: a\x00b@example.com\r\nSub\x00ject: x\r\n\r\nbody\x00\r\n".to_vec()).await;
    assert_eq!(r.dkim.as_str(), "none");
    let r = check(Vec::new()).await;
    assert_eq!(r.dkim.as_str(), "none");
    let r = check(b"From: a@example.com\rSubject: x\nTo: b\r\n\r\nbody\rmore\n".to_vec()).await;
    assert_eq!(r.message.line_endings, message::LineEndings::Mixed);
}

#[tokio::test]
async fn huge_lines_and_field_counts() {
    let mut long = b"Subject: ".to_vec();
    long.extend(std::iter::repeat_n(b'A', 1_000_000));
    long.extend_from_slice(b"\r\nFrom: a@example.com\r\n\r\nx\r\n");
    assert_eq!(check(long).await.message.headers.len(), 2);

    let mut many: Vec<u8> = (0..100_000)
        .flat_map(|i| format!("X-F{i}: v\r\n").into_bytes())
        .collect();
    many.extend_from_slice(b"From: a@example.com\r\n\r\nbody\r\n");
    let r = check(many).await;
    let cap = message::headers::MAX_HEADER_FIELDS;
    assert_eq!(r.message.headers.len(), cap);
    assert_eq!(r.message.body_bytes(), Some(&b"body\r\n"[..]));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains(&format!("100001 fields; only the first {cap}"))),
        "{:?}",
        r.notes
    );
}

#[tokio::test]
async fn a_thousand_signatures_are_capped_with_a_note() {
    let mut m = SIG.repeat(1000);
    m.extend_from_slice(b"From: a@example.com\r\n\r\nbody\r\n");
    let r = check(m).await;
    assert_eq!(r.signatures.len(), dkimscope::diagnose::MAX_SIGNATURES);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("1000 DKIM-Signature fields")),
        "{:?}",
        r.notes
    );
}

#[tokio::test]
async fn h_naming_a_field_a_hundred_thousand_times() {
    let mut m =
        b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s2025; bh=AAAA; b=AAAA; h=".to_vec();
    m.extend(vec!["from"; 100_000].join(":").into_bytes());
    m.extend_from_slice(b"\r\n");
    m.extend(b"From: a@example.com\r\n".repeat(5000));
    m.extend_from_slice(b"\r\nx\r\n");
    let r = check(m).await;
    let hh = r.signatures[0]
        .check
        .headers
        .as_ref()
        .expect("headers hashed");
    // All 100,000 picks are hashed; the first 1,000 are kept as evidence.
    assert_eq!(hh.picked_total, 100_000);
    assert_eq!(hh.absent, 95_000);
    assert_eq!(hh.picked.len(), dkimscope::dkim::hashing::MAX_PICKS_KEPT);
    let step = &r.signatures[0].check.steps;
    let headers = step
        .iter()
        .find(|s| s.step == dkimscope::dkim::codes::Step::Headers)
        .unwrap();
    assert!(
        headers
            .detail
            .starts_with("5000 fields hashed, 95000 absent")
            && headers.detail.contains("h= has 100000 entries"),
        "{}",
        headers.detail
    );
}

#[tokio::test]
async fn deep_mime_and_nested_bounces() {
    let mut nest = b"From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n".to_vec();
    for i in 0..1000 {
        nest.extend(
            format!(
                "--b{i}\r\nContent-Type: multipart/mixed; boundary=\"b{}\"\r\n\r\n",
                i + 1
            )
            .into_bytes(),
        );
    }
    check(nest).await;
    let mut b = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-headers/bounce-dsn-footer.eml"
    ))
    .unwrap();
    for i in 0..3 {
        let mut outer = format!("From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"z{i}\"\r\n\r\n--z{i}\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--z{i}\r\nContent-Type: message/rfc822\r\n\r\n").into_bytes();
        outer.extend(b);
        outer.extend(format!("\r\n--z{i}--\r\n").into_bytes());
        b = outer;
    }
    let samples =
        ZoneKeys::from_files(&[
            concat!(env!("CARGO_MANIFEST_DIR"), "/sample-headers/keys.zone").into(),
        ])
        .unwrap();
    let r = analyse_with(
        message::parse(b),
        &Layered::offline(samples),
        dkimscope::diagnose::Clock {
            now: 1_763_985_600,
            real: false,
        },
    )
    .await;
    let bounce = r.message.bounce.as_ref().expect("opened");
    assert!(
        bounce.how.matches("message/rfc822").count() >= 3,
        "{}",
        bounce.how
    );
    assert_eq!(
        r.signatures[0].check.diagnosis.as_str(),
        "body-hash-mismatch"
    );
}

#[tokio::test]
async fn every_tag_twice_and_junk_base64() {
    let r = check(b"DKIM-Signature: v=1; v=1; a=rsa-sha256; a=rsa-sha256; d=example.com; d=x; s=s; s=t; h=from; h=from; bh=AAAA; bh=AAAA; b=AAAA; b=AAAA\r\nFrom: a@example.com\r\n\r\nx\r\n".to_vec()).await;
    assert_eq!(r.signatures[0].check.diagnosis.as_str(), "sig-malformed");
    let r = check(b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s2025; h=from; bh=AA AA\r\n\t==!!; b=A\r\n A*A&A\r\nFrom: a@example.com\r\n\r\nx\r\n".to_vec()).await;
    assert_eq!(r.signatures[0].check.diagnosis.as_str(), "sig-malformed");
}

#[tokio::test]
async fn cname_loops_and_a_60kb_key_record() {
    let loop_sig = String::from_utf8_lossy(SIG).replace("s=s2025", "s=loop1");
    let mut m = loop_sig.into_bytes();
    m.extend_from_slice(b"From: a@example.com\r\n\r\n");
    let r = check(m).await;
    assert_eq!(
        r.signatures[0].check.diagnosis.as_str(),
        "key-cname-dangling"
    );
    let big = String::from_utf8_lossy(SIG).replace("s=s2025", "s=big");
    let mut m = big.into_bytes();
    m.extend_from_slice(b"From: a@example.com\r\n\r\n");
    let r = check(m).await;
    assert_eq!(r.signatures[0].check.diagnosis.as_str(), "key-malformed");
}
