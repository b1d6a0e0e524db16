//! Tests of the byte-exact header splitter; every text input runs in an LF
//! and a CRLF form.

use super::*;
use crate::message::{Message, parse_plain};

/// The LF and CRLF forms of a test text written with `\n`.
fn forms(lf: &str) -> [(Vec<u8>, &'static str); 2] {
    [
        (lf.as_bytes().to_vec(), "\n"),
        (lf.replace('\n', "\r\n").into_bytes(), "\r\n"),
    ]
}

fn text(m: &Message, r: &Range<usize>) -> String {
    String::from_utf8_lossy(&m.raw[r.clone()]).into_owned()
}

/// Spans are in range, nested and contiguous; the body follows.
fn check_invariants(m: &Message) {
    let mut prev_end: Option<usize> = None;
    for h in &m.headers {
        assert!(h.span.start <= h.span.end && h.span.end <= m.raw.len());
        assert!(h.name_span.start >= h.span.start && h.name_span.end <= h.span.end);
        assert!(h.value_span.start >= h.name_span.end && h.value_span.end <= h.span.end);
        if let Some(p) = prev_end {
            assert_eq!(p, h.span.start, "fields are contiguous");
        }
        prev_end = Some(h.span.end);
    }
    if let Some(b) = &m.body {
        assert!(b.start <= b.end && b.end == m.raw.len());
    }
}

#[test]
fn simple_message() {
    for (raw, nl) in forms("From: a@example.com\nTo: b@example.org\nSubject: Hi\n\nBody line\n") {
        let m = parse_plain(raw);
        check_invariants(&m);
        let names: Vec<_> = m.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["From", "To", "Subject"]);
        let from = &m.headers[0];
        assert_eq!(text(&m, &from.span), format!("From: a@example.com{nl}"));
        assert_eq!(text(&m, &from.name_span), "From");
        assert_eq!(text(&m, &from.value_span), " a@example.com");
        assert!(from.malformed.is_none());
        assert_eq!(m.body_bytes(), Some(format!("Body line{nl}").as_bytes()));
        let expected = if nl == "\n" {
            LineEndings::Lf
        } else {
            LineEndings::Crlf
        };
        assert_eq!(m.line_endings, expected);
        assert!(m.notes.is_empty(), "{:?}", m.notes);
        assert_eq!(m.fields("subject").count(), 1);
    }
}

#[test]
fn folded_fields_keep_continuations() {
    let src =
        "DKIM-Signature: v=1; a=rsa-sha256;\n\td=example.com; s=sel;\n  b=abc\nSubject: x\n\nbody";
    for (raw, nl) in forms(src) {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.headers.len(), 2);
        let sig = &m.headers[0];
        assert_eq!(
            text(&m, &sig.span),
            format!("DKIM-Signature: v=1; a=rsa-sha256;{nl}\td=example.com; s=sel;{nl}  b=abc{nl}")
        );
        assert_eq!(
            text(&m, &sig.value_span),
            format!(" v=1; a=rsa-sha256;{nl}\td=example.com; s=sel;{nl}  b=abc")
        );
        assert_eq!(m.headers[1].name, "Subject");
        assert_eq!(m.body_bytes(), Some(&b"body"[..]));
    }
}

#[test]
fn headers_only_with_and_without_final_newline() {
    for (raw, nl) in forms("A: 1\nB: 2\n") {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.body, None);
        assert_eq!(m.headers.len(), 2);
        assert_eq!(text(&m, &m.headers[1].span), format!("B: 2{nl}"));
        assert!(m.notes.is_empty());
    }
    for (raw, _) in forms("A: 1\nB: 2") {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.body, None);
        assert_eq!(text(&m, &m.headers[1].span), "B: 2");
        assert_eq!(text(&m, &m.headers[1].value_span), " 2");
        assert!(m.notes.iter().any(|n| n.contains("no line end")));
    }
}

#[test]
fn empty_body_after_blank_line() {
    for (raw, _) in forms("A: 1\n\n") {
        let len = raw.len();
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.body, Some(len..len));
        assert_eq!(m.body_bytes(), Some(&b""[..]));
    }
}

#[test]
fn malformed_lines_are_kept_as_fields() {
    let src = "A: 1\nno colon here\n: empty\nBad Name: x\nSubject : obsolete\nGood: y\n\nbody\n";
    for (raw, _) in forms(src) {
        let m = parse_plain(raw);
        check_invariants(&m);
        let reasons: Vec<_> = m.headers.iter().map(|h| h.malformed.clone()).collect();
        assert_eq!(reasons.len(), 6);
        assert!(reasons[0].is_none());
        assert!(
            reasons[1]
                .as_deref()
                .is_some_and(|r| r.contains("no colon"))
        );
        assert!(
            reasons[2]
                .as_deref()
                .is_some_and(|r| r.contains("empty field name"))
        );
        assert!(
            reasons[3]
                .as_deref()
                .is_some_and(|r| r.contains("white space"))
        );
        // White space before the colon is obsolete syntax, not part of the name.
        assert!(reasons[4].is_none());
        assert_eq!(m.headers[4].name, "Subject");
        assert_eq!(text(&m, &m.headers[4].value_span), " obsolete");
        assert!(reasons[5].is_none());
        assert_eq!(m.headers[1].name, "no colon here");
        assert!(m.body.is_some());
    }
}

#[test]
fn mixed_line_endings() {
    let m = parse_plain(b"A: 1\r\nB: 2\n\r\nbody\n".to_vec());
    check_invariants(&m);
    assert_eq!(m.line_endings, LineEndings::Mixed);
    assert_eq!(m.body_bytes(), Some(&b"body\n"[..]));
    assert!(m.notes.iter().any(|n| n.contains("mixed line endings")));

    let m = parse_plain(b"A: 1\r\n\nbody".to_vec());
    assert_eq!(m.line_endings, LineEndings::Mixed);
    assert_eq!(m.body_bytes(), Some(&b"body"[..]));
}

#[test]
fn bare_cr_is_not_a_line_end() {
    for (raw, nl) in forms("A: 1\rstill A\nB: 2\n\nbody") {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.line_endings, LineEndings::Mixed);
        assert_eq!(m.headers.len(), 2);
        assert_eq!(text(&m, &m.headers[0].span), format!("A: 1\rstill A{nl}"));
        assert!(m.notes.iter().any(|n| n.contains("bare CR")));
    }
    let m = parse_plain(b"A: 1\rB: 2".to_vec());
    assert_eq!(m.line_endings, LineEndings::Mixed);
    assert_eq!(m.headers.len(), 1);
}

#[test]
fn leading_blank_lines_are_skipped() {
    for (raw, nl) in forms("\n\n  \n\tA: 1\n\nbody") {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.headers.len(), 1);
        assert_eq!(m.headers[0].name, "A");
        assert_eq!(text(&m, &m.headers[0].span), format!("A: 1{nl}"));
        assert!(m.headers[0].span.start > 0);
        assert!(
            m.notes
                .iter()
                .any(|n| n.contains("before the first header"))
        );
    }
}

#[test]
fn mbox_separator_is_skipped() {
    for (raw, _) in
        forms("From alice@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\nb")
    {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.headers.len(), 1);
        assert_eq!(m.headers[0].name, "From");
        assert!(m.notes.iter().any(|n| n.contains("mbox")));
    }
}

#[test]
fn nul_bytes_do_not_break_anything() {
    for (raw, _) in forms("A: x\0y\nB\0: z\n\n\0") {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.headers.len(), 2);
        assert!(m.headers[0].malformed.is_none());
        assert_eq!(text(&m, &m.headers[0].value_span), " x\0y");
        assert!(
            m.headers[1]
                .malformed
                .as_deref()
                .is_some_and(|r| r.contains("0x00"))
        );
        assert_eq!(m.body_bytes(), Some(&b"\0"[..]));
        assert!(m.notes.iter().any(|n| n.contains("NUL")));
    }
}

#[test]
fn invalid_utf8_is_lossy_in_names_only() {
    let mut lf = b"A: \xff\xfe\nN\xe9: v\n\n\xff".to_vec();
    let crlf: Vec<u8> = lf
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect();
    for raw in [std::mem::take(&mut lf), crlf] {
        let m = parse_plain(raw);
        check_invariants(&m);
        assert_eq!(m.value_bytes(&m.headers[0]), b" \xff\xfe");
        assert_eq!(m.headers[1].name, "N\u{FFFD}");
        assert!(
            m.headers[1]
                .malformed
                .as_deref()
                .is_some_and(|r| r.contains("0xE9"))
        );
        assert_eq!(m.body_bytes(), Some(&b"\xff"[..]));
    }
}

#[test]
fn empty_and_blank_input() {
    let m = parse_plain(Vec::new());
    assert!(m.headers.is_empty());
    assert_eq!(m.body, None);
    assert_eq!(m.line_endings, LineEndings::None);
    assert!(m.notes.is_empty());

    for (raw, _) in forms("\n \n") {
        let m = parse_plain(raw);
        assert!(m.headers.is_empty());
        assert_eq!(m.body, None);
    }
    let m = parse_plain(b"A: 1".to_vec());
    assert_eq!(m.line_endings, LineEndings::None);
}

#[test]
fn body_that_looks_like_headers_stays_body() {
    for (raw, nl) in forms("A: 1\n\nB: 2\n\nC: 3\n") {
        let m = parse_plain(raw);
        assert_eq!(m.headers.len(), 1);
        assert_eq!(
            m.body_bytes(),
            Some(format!("B: 2{nl}{nl}C: 3{nl}").as_bytes())
        );
    }
}

#[test]
fn large_inputs_stay_linear() {
    let mut many = String::with_capacity(2_000_000);
    for i in 0..100_000 {
        many.push_str(&format!("X-F{i}: v\r\n"));
    }
    many.push_str("\r\nbody");
    let m = parse_plain(many.into_bytes());
    // Past the cap the fields are skipped, with a note, not lost silently.
    assert_eq!(m.headers.len(), super::MAX_HEADER_FIELDS);
    assert!(
        m.notes
            .iter()
            .any(|n| n.contains("20000") || n.contains("20,000")),
        "{:?}",
        m.notes
    );

    let mut long = b"Subject: ".to_vec();
    long.extend(std::iter::repeat_n(b'a', 1 << 20));
    long.extend_from_slice(b"\r\n\r\n");
    let m = parse_plain(long);
    assert_eq!(m.headers[0].value_span.len(), (1 << 20) + 1);

    let mut big = b"A: 1\n\n".to_vec();
    big.extend(std::iter::repeat_n(b'x', 50 << 20));
    let m = parse_plain(big);
    assert_eq!(m.body.map(|b| b.len()), Some(50 << 20));
}

#[test]
fn byte_facts_count_exactly_across_chunk_edges() {
    // A CR at the end of one counting chunk and its LF at the start of the
    // next, at every offset, beside bare CRs, bare LFs and NULs.
    for shift in 0..300 {
        let mut raw = vec![b'a'; shift];
        raw.extend_from_slice(b"\r\n\n\r x\0\r\r\n");
        raw.extend(std::iter::repeat_n(b'b', 250));
        raw.extend_from_slice(b"\r\n\0");
        let f = super::byte_facts(&raw);
        let crlf = raw.windows(2).filter(|w| w == b"\r\n").count();
        let lf = raw.iter().filter(|b| **b == b'\n').count() - crlf;
        let cr = raw.iter().filter(|b| **b == b'\r').count() - crlf;
        let nul = raw.iter().filter(|b| **b == 0).count();
        assert_eq!(
            (f.crlf, f.lf, f.bare_cr, f.nul),
            (crlf, lf, cr, nul),
            "shift {shift}"
        );
        assert_eq!((crlf, lf, cr, nul), (3, 1, 2, 2));
    }
}

#[test]
fn byte_facts_count_exactly_across_the_two_halves() {
    // Large enough to be counted on two threads, with a CRLF split exactly
    // at the midpoint (the CR ends the first half, the LF starts the second).
    let len = super::PARALLEL_FACTS + 2;
    let mut raw = vec![b'a'; len];
    raw[len / 2 - 1] = b'\r';
    raw[len / 2] = b'\n';
    raw[10] = b'\r';
    raw[len - 3] = b'\n';
    raw[len - 1] = 0;
    let f = super::byte_facts(&raw);
    assert_eq!((f.crlf, f.lf, f.bare_cr, f.nul), (1, 1, 1, 1));
}
