//! Properties over generated input (proptest, default 256 cases each, kept
//! fast): any bytes load and analyse offline without a panic; body and
//! header canonicalization are idempotent; the fast body path equals the
//! line-by-line rules; relaxed header canonicalization
//! does not see folding; the sanitizer lets no terminal control through.
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use dkimscope::diagnose::analyse_with;
use dkimscope::dkim::canon;
use dkimscope::dkim::signature::Canon;
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;
use proptest::prelude::*;

fn canon_strategy() -> impl Strategy<Value = Canon> {
    prop_oneof![Just(Canon::Simple), Just(Canon::Relaxed)]
}

/// Bytes biased towards what matters to mail parsing and canonicalization.
fn mailish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => any::<u8>().prop_map(|b| vec![b]),
        2 => Just(b"\r\n".to_vec()),
        2 => Just(b"\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        2 => Just(b" ".to_vec()),
        1 => Just(b"\t".to_vec()),
        1 => Just(b"\r\n\r\n".to_vec()),
        1 => Just(b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=; b=\r\n".to_vec()),
        1 => Just(b"From: a@example.com\r\n".to_vec()),
        1 => Just(b"Content-Type: multipart/report; boundary=\"b\"\r\n\r\n--b\r\n".to_vec()),
        1 => Just(b"Content-Type: message/rfc822\r\n\r\n".to_vec()),
        1 => "[a-zA-Z:;=-]{1,12}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(piece, 0..64).prop_map(|v| v.concat())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn canon_body(bytes: &[u8], c: Canon) -> Vec<u8> {
    let mut out = Vec::new();
    canon::body(bytes, c, &mut out);
    out
}

fn canon_header(bytes: &[u8], c: Canon) -> Vec<u8> {
    let mut out = Vec::new();
    canon::header(bytes, c, false, &mut out);
    out
}

proptest! {
    #[test]
    fn any_bytes_load_and_analyse_offline(raw in prop_oneof![mailish(), prop::collection::vec(any::<u8>(), 0..512)]) {
        let rt = runtime();
        let keys = Layered::offline(ZoneKeys::default());
        let msg = message::parse(raw);
        for h in &msg.headers {
            prop_assert!(h.span.end <= msg.raw.len());
        }
        let report = rt.block_on(analyse_with(msg, &keys, dkimscope::diagnose::Clock { now: 1_764_000_000, real: false }));
        let _ = dkimscope::report::json::message_line("p.eml", &report);
    }

    #[test]
    fn body_canonicalization_is_idempotent(raw in mailish(), c in canon_strategy()) {
        let once = canon_body(&raw, c);
        prop_assert_eq!(canon_body(&once, c), once);
    }

    #[test]
    fn body_canonicalization_equals_the_line_by_line_rules(raw in mailish(), c in canon_strategy()) {
        // `body` hashes runs of already-canonical lines whole; the plain
        // per-line rules must give the very same bytes.
        let mut by_line = Vec::new();
        canon::body_from_lines(canon::lines(&raw), c, &mut by_line);
        prop_assert_eq!(canon_body(&raw, c), by_line);
    }

    #[test]
    fn header_canonicalization_is_idempotent(name in "[A-Za-z-]{1,10}", value in mailish(), c in canon_strategy()) {
        let mut field = format!("{name}:").into_bytes();
        field.extend_from_slice(&value);
        let once = canon_header(&field, c);
        prop_assert_eq!(canon_header(&once, c), once);
    }

    #[test]
    fn relaxed_header_ignores_folding(
        name in "[A-Za-z-]{1,10}",
        words in prop::collection::vec("[!-~]{1,8}", 1..8),
        folds in prop::collection::vec(any::<bool>(), 8),
        eol in prop_oneof![Just("\r\n"), Just("\n")],
        wsp in prop_oneof![Just(" "), Just("\t"), Just("  ")],
    ) {
        let mut unfolded = format!("{name}:");
        let mut folded = unfolded.clone();
        for (i, w) in words.iter().enumerate() {
            unfolded.push_str(wsp);
            unfolded.push_str(w);
            if folds[i] {
                folded.push_str(eol);
            }
            folded.push_str(wsp);
            folded.push_str(w);
        }
        prop_assert_eq!(
            canon_header(folded.as_bytes(), Canon::Relaxed),
            canon_header(unfolded.as_bytes(), Canon::Relaxed)
        );
    }

    #[test]
    fn sanitized_text_has_no_terminal_controls(
        raw in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..256),
            any::<String>().prop_map(String::into_bytes),
            prop::collection::vec(prop_oneof![
                (0u32..0xa0).prop_map(|u| char::from_u32(u).unwrap_or('?')),
                (0x2000u32..0x2070).prop_map(|u| char::from_u32(u).unwrap_or('?')),
                any::<char>(),
            ], 0..64).prop_map(|cs| cs.into_iter().collect::<String>().into_bytes()),
        ]
    ) {
        let out = dkimscope::sanitize::visible_bytes(&raw);
        for c in out.chars() {
            let u = c as u32;
            prop_assert!(c == '\t' || u >= 0x20, "C0 {u:#x} in {out:?}");
            prop_assert!(u != 0x7f && !(0x80..=0x9f).contains(&u), "DEL/C1 {u:#x} in {out:?}");
            prop_assert!(!(0x202a..=0x202e).contains(&u) && !(0x2066..=0x2069).contains(&u),
                "BiDi {u:#x} in {out:?}");
        }
    }
}
