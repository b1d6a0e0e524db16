//! Localization against real signatures: the committed signed fixtures are
//! tampered with at test time (a footer appended, line ends rewritten,
//! whitespace added, the Subject tagged or re-folded, a word changed) and
//! the finding must name the change, with exact counts where it has them.
//! Offline keys and the fixed time of the fixtures' manifest.

use std::path::PathBuf;

use dkimscope::diagnose::{Report, analyse_with};
use dkimscope::dkim::codes::{Diagnosis, Finding};
use dkimscope::dkim::localize::{self, BodyTarget, Budget, Evidence, LocalizedFinding};
use dkimscope::dkim::signature::{Canon, HashAlg};
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;

const AT: u64 = 1_764_000_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/defects").join(name)).expect("fixture")
}

async fn run(bytes: Vec<u8>) -> Report {
    let keys = root().join("tests/fixtures/defects/keys.zone");
    let keys = Layered::offline(ZoneKeys::from_files(&[keys]).expect("keys"));
    analyse_with(
        message::parse(bytes),
        &keys,
        dkimscope::diagnose::Clock {
            now: AT,
            real: false,
        },
    )
    .await
}

/// The single signature's diagnosis and findings.
async fn findings(bytes: Vec<u8>) -> (Diagnosis, Vec<LocalizedFinding>) {
    let r = run(bytes).await;
    let c = &r.signatures[0].check;
    (c.diagnosis, c.findings.clone())
}

fn replace_once(hay: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = hay
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from:?} not in the fixture"));
    let mut out = hay[..at].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&hay[at + from.len()..]);
    out
}

/// Rewrite the body (after the first blank line) with `f`.
fn map_body(msg: &[u8], f: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let sep = msg
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("blank line")
        + 4;
    let mut out = msg[..sep].to_vec();
    out.extend(f(&msg[sep..]));
    out
}

fn to_lf(b: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(b)
        .replace("\r\n", "\n")
        .into_bytes()
}

fn footer(lines: usize, trailing_blank: usize, eol: &str) -> String {
    let mut s = format!("--{eol}");
    for i in 1..lines {
        s.push_str(&format!(
            "Footer line {i} added by the relay after signing.{eol}"
        ));
    }
    for _ in 0..trailing_blank {
        s.push_str(eol);
    }
    s
}

#[tokio::test]
async fn appended_footers_are_counted_exactly() {
    for base in ["pass.eml", "pass-simple.eml"] {
        for lf in [false, true] {
            let eol = if lf { "\n" } else { "\r\n" };
            let signed = if lf {
                to_lf(&fixture(base))
            } else {
                fixture(base)
            };
            for (lines, blank) in [(1, 0), (3, 0), (200, 0), (3, 2), (1, 1)] {
                // The original body may itself end in blank lines (dropped
                // by canonicalization, so still signed): both ways.
                for original_blank in [0, 2] {
                    let mut msg = signed.clone();
                    msg.extend(eol.repeat(original_blank).into_bytes());
                    let f = footer(lines, blank, eol);
                    msg.extend_from_slice(f.as_bytes());
                    let (d, found) = findings(msg).await;
                    let what =
                        format!("{base} lf={lf} lines={lines} blank={blank}/{original_blank}");
                    assert_eq!(d, Diagnosis::BodyHashMismatch, "{what}");
                    assert_eq!(found.len(), 1, "{what}");
                    assert_eq!(
                        found[0].code,
                        Finding::BodyAppended,
                        "{what}: {}",
                        found[0].detail
                    );
                    let Evidence::Appended(a) = &found[0].evidence else {
                        panic!("{what}: no appended evidence");
                    };
                    assert_eq!(a.lines, (lines + blank) as u64, "{what}");
                    assert_eq!(a.bytes, f.len() as u64, "{what}");
                    assert_eq!(a.text, f.as_bytes(), "{what}");
                    // The body has 5 lines (Hello, blank, text, blank, Alice).
                    assert_eq!(a.signed_lines, 5 + original_blank as u64, "{what}");
                    assert!(found[0].detail.contains(&format!("{} line", lines + blank)));
                }
            }
        }
    }
}

#[tokio::test]
async fn doubled_carriage_returns_are_line_ending_changes() {
    for base in ["pass.eml", "pass-simple.eml"] {
        let msg = map_body(&fixture(base), |b| {
            String::from_utf8_lossy(b)
                .replace("\r\n", "\r\r\n")
                .into_bytes()
        });
        let (d, found) = findings(msg).await;
        assert_eq!(d, Diagnosis::BodyHashMismatch, "{base}");
        assert_eq!(
            found[0].code,
            Finding::BodyLineEndings,
            "{base}: {}",
            found[0].detail
        );
        assert!(found[0].detail.contains("CR CR LF"));
    }
}

#[tokio::test]
async fn line_ending_conversion_alone_is_not_a_failure() {
    // CRLF -> LF over the whole message is neutral: bare LF is a line end.
    for base in ["pass.eml", "pass-simple.eml"] {
        let r = run(to_lf(&fixture(base))).await;
        assert_eq!(r.signatures[0].check.diagnosis, Diagnosis::Pass, "{base}");
        assert!(r.signatures[0].check.findings.is_empty());
    }
}

#[tokio::test]
async fn trailing_whitespace_under_simple_is_body_whitespace() {
    let msg = replace_once(
        &fixture("pass-simple.eml"),
        "Hello Bob,\r\n",
        "Hello Bob,  \t\r\n",
    );
    let (d, found) = findings(msg).await;
    assert_eq!(d, Diagnosis::BodyHashMismatch);
    assert_eq!(
        found[0].code,
        Finding::BodyWhitespace,
        "{}",
        found[0].detail
    );
    assert!(found[0].detail.contains("relaxed"), "{}", found[0].detail);

    // The reverse: trailing spaces the signer had were stripped in transit.
    let (d, found) = findings(fixture("body-hash-mismatch-whitespace.eml")).await;
    assert_eq!(d, Diagnosis::BodyHashMismatch);
    assert_eq!(
        found[0].code,
        Finding::BodyWhitespace,
        "{}",
        found[0].detail
    );
    assert!(found[0].detail.contains("line 3"), "{}", found[0].detail);
    assert!(
        found[0].detail.contains("3 trailing spaces"),
        "{}",
        found[0].detail
    );

    // Under relaxed the same edit is invisible: the signature still passes.
    let msg = replace_once(&fixture("pass.eml"), "Hello Bob,\r\n", "Hello Bob,  \t\r\n");
    assert_eq!(findings(msg).await.0, Diagnosis::Pass);
}

#[tokio::test]
async fn a_changed_body_word_is_unknown_and_says_what_was_tried() {
    for base in ["pass.eml", "pass-simple.eml"] {
        let msg = replace_once(&fixture(base), "a test message", "a tset message");
        let (d, found) = findings(msg).await;
        assert_eq!(d, Diagnosis::BodyHashMismatch, "{base}");
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.code, Finding::Unknown, "{base}: {}", f.detail);
        assert_eq!(f.evidence, Evidence::None);
        for tried in ["appended footer", "trailing blank line", "CR/LF"] {
            assert!(
                f.detail.contains(tried),
                "{base}: {tried} missing in {}",
                f.detail
            );
        }
        if base == "pass-simple.eml" {
            assert!(
                f.detail.contains("relaxed instead of simple"),
                "{}",
                f.detail
            );
            assert!(
                f.detail.contains("re-added to each single line"),
                "{}",
                f.detail
            );
        }
        assert!(!f.budget_stopped);
    }
}

#[tokio::test]
async fn subject_tags_are_named() {
    let tags = [
        "[SPAM]",
        "[EXTERNAL]",
        "*** SPAM ***",
        "[Suspected Spam]",
        "[External]",
        "EXTERNAL:",
        "{Spam?}",
        "[ACME-Gateway: unverified sender]",
        "RE:",
    ];
    for (base, subject) in [
        ("pass.eml", "Subject: pass\r\n"),
        ("pass-simple.eml", "Subject: pass simple\r\n"),
    ] {
        for tag in tags {
            let tagged = subject.replacen("Subject: ", &format!("Subject: {tag} "), 1);
            let msg = replace_once(&fixture(base), subject, &tagged);
            let (d, found) = findings(msg).await;
            assert_eq!(d, Diagnosis::SignatureMismatch, "{base} {tag}");
            assert_eq!(found.len(), 1, "{base} {tag}");
            assert_eq!(
                found[0].code,
                Finding::SubjectTagged,
                "{base} {tag}: {}",
                found[0].detail
            );
            let Evidence::Tag { tag: got, .. } = &found[0].evidence else {
                panic!("{base} {tag}: no tag evidence");
            };
            assert_eq!(got.trim(), tag, "{base}");
            assert!(found[0].detail.contains(tag), "{}", found[0].detail);
        }
    }
    // Several stacked tags at once.
    let msg = replace_once(
        &fixture("pass.eml"),
        "Subject: pass",
        "Subject: [EXTERNAL] [SPAM] pass",
    );
    let (_, found) = findings(msg).await;
    assert_eq!(found[0].code, Finding::SubjectTagged, "{}", found[0].detail);
}

#[tokio::test]
async fn refolded_headers_under_simple_are_named() {
    for (from, to) in [
        ("Subject: pass simple", "Subject: pass\r\n simple"),
        ("Subject: pass simple", "Subject: pass\r\n\tsimple"),
        ("To: Bob <bob@example.org>", "To: Bob\r\n <bob@example.org>"),
    ] {
        let msg = replace_once(&fixture("pass-simple.eml"), from, to);
        let (d, found) = findings(msg).await;
        assert_eq!(d, Diagnosis::SignatureMismatch, "{to:?}");
        assert_eq!(
            found[0].code,
            Finding::HeaderRefolded,
            "{to:?}: {}",
            found[0].detail
        );
        let name = from.split(':').next().unwrap_or_default();
        assert!(found[0].detail.contains(name), "{}", found[0].detail);
    }
    // The committed fixture says the same.
    let (_, found) = findings(fixture("signature-mismatch-refolded.eml")).await;
    assert_eq!(found[0].code, Finding::HeaderRefolded);
    // Under relaxed, folding is invisible.
    let msg = replace_once(&fixture("pass.eml"), "Subject: pass", "Subject:\r\n pass");
    assert_eq!(findings(msg).await.0, Diagnosis::Pass);
}

#[tokio::test]
async fn a_changed_subject_word_is_unknown() {
    for base in ["pass.eml", "pass-simple.eml"] {
        let msg = replace_once(&fixture(base), "Subject: pass", "Subject: past");
        let (d, found) = findings(msg).await;
        assert_eq!(d, Diagnosis::SignatureMismatch, "{base}");
        assert_eq!(found[0].code, Finding::Unknown, "{base}");
        assert!(
            found[0].detail.contains("Subject tags removed"),
            "{}",
            found[0].detail
        );
        if base == "pass-simple.eml" {
            assert!(found[0].detail.contains("unfolded"), "{}", found[0].detail);
        }
    }
}

#[tokio::test]
async fn a_field_added_above_an_oversigned_one_is_reported() {
    // pass.eml lists from twice in h=: a second From breaks it.
    let msg = replace_once(
        &fixture("pass.eml"),
        "From: Alice",
        "From: Mallory <m@example.net>\r\nFrom: Alice",
    );
    let (d, found) = findings(msg).await;
    assert_eq!(d, Diagnosis::SignatureMismatch);
    assert_eq!(found[0].code, Finding::Unknown);
    assert!(matches!(&found[0].evidence, Evidence::Field { name, .. } if name == "From"));
    assert!(
        found[0]
            .detail
            .contains("second From field was added above"),
        "{}",
        found[0].detail
    );
}

#[tokio::test]
async fn headers_only_input_gets_no_body_localization() {
    let full = fixture("pass.eml");
    let sep = full
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("blank")
        + 2;
    let headers = replace_once(&full[..sep], "Subject: pass", "Subject: [SPAM] pass");
    let r = run(headers).await;
    let c = &r.signatures[0].check;
    assert_eq!(c.diagnosis, Diagnosis::SignatureMismatch);
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].code, Finding::SubjectTagged);
    let untouched = run(full[..sep].to_vec()).await;
    assert!(untouched.signatures[0].check.findings.is_empty());
}

#[test]
fn the_byte_budget_stops_the_search_and_says_so() {
    // 20 000 lines, one word changed: the per-line whitespace search alone
    // would hash gigabytes; a small budget must stop it.
    let mut body = Vec::new();
    for i in 0..20_000 {
        body.extend(format!("line {i} of a long body\r\n").into_bytes());
    }
    let bh = dkimscope::dkim::canon::body_hash(&body, Canon::Simple, HashAlg::Sha256, None).digest;
    body[10] = b'X';
    let t = BodyTarget {
        body: &body,
        canon: Canon::Simple,
        alg: HashAlg::Sha256,
        bh: &bh,
        l: None,
        cte: None,
    };
    let started = std::time::Instant::now();
    let f = localize::body(&t, &mut Budget::new(8 * body.len() as u64, 64));
    assert_eq!(f.code, Finding::Unknown);
    assert!(f.budget_stopped, "{}", f.detail);
    assert!(f.detail.contains("budget"), "{}", f.detail);
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn quoted_printable_re_encoding_is_recognised() {
    let original = "Gr\u{fc}\u{df}e aus K\u{f6}ln,\r\nder Preis ist 5 \u{20ac}.\r\n".as_bytes();
    let bh =
        dkimscope::dkim::canon::body_hash(original, Canon::Relaxed, HashAlg::Sha256, None).digest;
    let encoded = localize::qp_encode(original);
    let t = BodyTarget {
        body: &encoded,
        canon: Canon::Relaxed,
        alg: HashAlg::Sha256,
        bh: &bh,
        l: None,
        cte: Some("quoted-printable".into()),
    };
    let f = localize::body(&t, &mut Budget::default());
    assert!(f.detail.contains("quoted-printable"), "{}", f.detail);
    assert_ne!(f.evidence, Evidence::None);
}

#[tokio::test]
async fn many_signed_fields_stay_bounded() {
    // h= names x-f 300 times and 300 folded X-F fields are present: the
    // signature breaks (h= was edited), and the header search must stop at
    // its limits and say so instead of trying every edit.
    let n = 300;
    let msg = fixture("pass-simple.eml");
    let msg = replace_once(&msg, "h=from:", &format!("h={}from:", "x-f:".repeat(n)));
    let msg = replace_once(
        &msg,
        "From: Alice",
        &format!("{}From: Alice", "X-F: a\r\n b\r\n".repeat(n)),
    );
    let started = std::time::Instant::now();
    let (d, found) = findings(msg).await;
    assert_eq!(d, Diagnosis::SignatureMismatch);
    assert_eq!(found[0].code, Finding::Unknown);
    assert!(found[0].budget_stopped, "{}", found[0].detail);
    assert!(found[0].detail.contains("64 of"), "{}", found[0].detail);
    assert!(found[0].detail.contains("budget"), "{}", found[0].detail);
    assert!(started.elapsed().as_secs() < 30);
}
