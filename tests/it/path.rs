//! `path.break` on the path samples: each puts the change at a known place
//! on the way (before i=1, between two sealers, after the last one, in the
//! headers only, a re-encoding, past `l=`, a bad seal on an intact path,
//! receivers' results without ARC), with CRLF and LF line ends, and the
//! report must say where, what and who.

use std::path::PathBuf;

use dkimscope::diagnose::path::{Break, By, Position, What};
use dkimscope::diagnose::{Clock, Report, analyse_with};
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;

/// 2025-11-24T12:00:00Z, as sample-headers/README.md.
const AT: u64 = 1_763_985_600;

async fn report(name: &str, lf: bool) -> Report {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-headers");
    let raw = std::fs::read(dir.join(name)).expect("read sample");
    let raw = if lf {
        String::from_utf8_lossy(&raw)
            .replace("\r\n", "\n")
            .into_bytes()
    } else {
        raw
    };
    let keys = Layered::offline(ZoneKeys::from_files(&[dir.join("keys.zone")]).expect("keys"));
    analyse_with(
        message::parse(raw),
        &keys,
        Clock {
            now: AT,
            real: false,
        },
    )
    .await
}

/// The break of `name`, the same with either line ending (the byte
/// counts in the evidence differ by the CRs).
async fn brk(name: &str) -> Option<Break> {
    let crlf = report(name, false).await.path.brk;
    let lf = report(name, true).await.path.brk;
    let key = |b: &Option<Break>| {
        b.as_ref().map(|b| {
            (
                b.last_intact,
                b.first_changed,
                b.what,
                b.by,
                b.suspect_host.clone(),
                b.story.clone(),
                b.evidence.len(),
            )
        })
    };
    assert_eq!(key(&crlf), key(&lf), "{name}: CRLF and LF disagree");
    crlf
}

fn expect(
    b: Option<Break>,
    name: &str,
    (last, first): (Position, Position),
    what: What,
    by: By,
    host: &str,
) -> Break {
    let b = b.unwrap_or_else(|| panic!("{name}: no break"));
    assert_eq!(
        (b.last_intact, b.first_changed, b.what, b.by),
        (last, first, what, by),
        "{name}: {:#?}",
        b.evidence
    );
    assert_eq!(b.suspect_host.as_deref(), Some(host), "{name}");
    b
}

#[tokio::test]
async fn a_list_footer_sealed_at_i2_breaks_between_i1_and_i2() {
    let name = "path-list-footer.eml";
    let b = expect(
        brk(name).await,
        name,
        (Position::Signer(1), Position::Signer(2)),
        What::Body,
        By::Arc,
        "lists.example.org",
    );
    assert_eq!(
        b.story.as_deref(),
        Some("lists.example.org appended 4 lines after the author signed")
    );
    let r = report(name, false).await;
    assert!(
        r.headline()
            .starts_with("lists.example.org appended 4 lines after the author signed. "),
        "{}",
        r.headline()
    );
    // The hops carry the sets they sealed and what they saw.
    let sealed: Vec<(usize, Option<usize>)> =
        r.path.hops.iter().map(|h| (h.number, h.arc)).collect();
    assert_eq!(
        sealed,
        vec![(1, None), (2, Some(1)), (3, Some(2)), (4, None)]
    );
    let saw: Vec<Option<&str>> = r.path.hops[1..3]
        .iter()
        .map(|h| h.wrote[0].dkim.as_deref())
        .collect();
    assert_eq!(saw, vec![Some("pass"), Some("pass")]);
}

#[tokio::test]
async fn a_gateway_that_changes_the_body_before_its_own_seal_breaks_before_i1() {
    let name = "path-gateway-before-i1.eml";
    expect(
        brk(name).await,
        name,
        (Position::Signer(0), Position::Signer(1)),
        What::Body,
        By::Arc,
        "gw.example.net",
    );
}

#[tokio::test]
async fn a_change_after_the_last_seal_is_after_last() {
    let name = "path-after-last-hop.eml";
    let b = expect(
        brk(name).await,
        name,
        (Position::Signer(1), Position::AfterLast),
        What::Body,
        By::Arc,
        "relay.example.net",
    );
    assert!(
        b.evidence[0].contains("after the last ARC signer"),
        "{b:#?}"
    );
}

#[tokio::test]
async fn three_hops_changed_at_the_third() {
    let name = "path-three-hops.eml";
    expect(
        brk(name).await,
        name,
        (Position::Signer(2), Position::Signer(3)),
        What::Body,
        By::Arc,
        "fwd.example.net",
    );
}

#[tokio::test]
async fn a_subject_tag_between_hops_is_a_header_change() {
    let name = "path-subject-tag-between-hops.eml";
    let b = expect(
        brk(name).await,
        name,
        (Position::Signer(1), Position::Signer(2)),
        What::Headers,
        By::Arc,
        "filter.example.net",
    );
    assert_eq!(
        b.story.as_deref(),
        Some("filter.example.net tagged the Subject with \"[EXTERNAL] \" after the author signed")
    );
    // The older sample tells the same story at i=1.
    let name = "subject-spam-tagged.eml";
    expect(
        brk(name).await,
        name,
        (Position::Signer(0), Position::Signer(1)),
        What::Headers,
        By::Arc,
        "gw.example.net",
    );
}

#[tokio::test]
async fn a_reencoding_forwarder_changed_the_body_before_i1() {
    let name = "path-reencoding-forwarder.eml";
    let b = expect(
        brk(name).await,
        name,
        (Position::Signer(0), Position::Signer(1)),
        What::Body,
        By::Arc,
        "fwd.example.net",
    );
    assert!(
        b.evidence.iter().any(|e| e.contains("quoted-printable")),
        "{b:#?}"
    );
}

#[tokio::test]
async fn a_footer_past_l_shows_on_the_path_while_dkim_passes() {
    let name = "mailing-list-body-length.eml";
    let r = report(name, false).await;
    assert_eq!(r.dkim.as_str(), "pass");
    let b = expect(
        brk(name).await,
        name,
        (Position::Signer(0), Position::Signer(1)),
        What::Body,
        By::Arc,
        "lists.example.org",
    );
    assert!(b.evidence.iter().any(|e| e.contains("unsigned")), "{b:#?}");
}

#[tokio::test]
async fn a_broken_seal_on_an_intact_path_is_no_break() {
    let name = "path-broken-seal.eml";
    let r = report(name, false).await;
    assert_eq!(r.arc.cv.as_str(), "fail", "{}", r.arc.reason);
    assert_eq!(r.dkim.as_str(), "pass");
    assert_eq!(brk(name).await, None);
    // Intact paths say nothing either.
    for name in ["pass-rsa-sha256-relaxed.eml", "unsigned.eml"] {
        assert_eq!(brk(name).await, None, "{name}");
    }
}

#[tokio::test]
async fn receivers_results_without_arc_place_the_break_on_received_hops() {
    let name = "path-receivers-ar.eml";
    let b = expect(
        brk(name).await,
        name,
        (Position::Hop(2), Position::Hop(4)),
        What::Body,
        By::Received,
        "scan.example.net",
    );
    assert!(
        b.evidence
            .iter()
            .any(|e| e.contains("hop 3 (scan.example.net)"))
    );
}

#[tokio::test]
async fn a_forged_pass_below_the_receiving_side_is_not_evidence() {
    // The same story, but the "pass" is written under a name no Received
    // hop shows: it cannot place a break.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-headers");
    let raw = std::fs::read_to_string(dir.join("path-receivers-ar.eml")).expect("read");
    let forged = raw.replacen(
        "Authentication-Results: mx.example.net;",
        "Authentication-Results: mx.forger.example;",
        1,
    );
    assert_ne!(forged, raw);
    let keys = Layered::offline(ZoneKeys::from_files(&[dir.join("keys.zone")]).expect("keys"));
    let r = analyse_with(
        message::parse(forged.into_bytes()),
        &keys,
        Clock {
            now: AT,
            real: false,
        },
    )
    .await;
    assert_eq!(r.path.brk, None);
}
