//! Finding a copy of the original message quoted inside a plain-text bounce.
//!
//! Many bounces (Exim, qmail, Exchange pastes, older sendmail) do not use
//! MIME to carry the original: they print a marker line such as
//! "Original message headers:" and then the headers, sometimes the whole
//! message. This module locates such a block by byte offsets so the caller
//! can take it unchanged.

use super::diagnostics::has_status_code;
use super::headers::{looks_like_field, text_lines};

/// A quoted original found in a text: `start..end` within that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quoted {
    pub start: usize,
    pub end: usize,
    /// The marker line as written (trimmed, shortened), for display.
    pub marker: String,
    /// The bounce quoted only the header block.
    pub headers_only: bool,
    /// Offset of the marker line, so the text before it can be read for
    /// diagnostics.
    pub marker_start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    HeadersOnly,
    FullCopy,
    /// A marker also used by mail clients for replies; trusted only in a
    /// text that otherwise reads like a bounce.
    Weak,
}

const MARKERS: &[(&str, Kind)] = &[
    ("original message headers", Kind::HeadersOnly),
    (
        "the header of the original message is following",
        Kind::HeadersOnly,
    ),
    ("undelivered message headers", Kind::HeadersOnly),
    ("headers of the original message", Kind::HeadersOnly),
    ("original message header", Kind::HeadersOnly),
    // DragonFly Mail Agent.
    ("message headers follow", Kind::HeadersOnly),
    (
        "this is a copy of the headers that were received before the error was detected",
        Kind::HeadersOnly,
    ),
    (
        "this is a copy of the message, including all the headers",
        Kind::FullCopy,
    ),
    ("below this line is a copy of the message", Kind::FullCopy),
    ("returned message", Kind::FullCopy),
    ("original message follows", Kind::FullCopy),
    ("unsent message below", Kind::FullCopy),
    ("copy of the original message", Kind::FullCopy),
    ("original message", Kind::Weak),
];

/// Reduces a line to the phrase a marker is compared with: lowercase,
/// decoration (dashes, equals, stars) and final punctuation removed.
fn normalize(line: &[u8]) -> Option<String> {
    if line.len() > 200 {
        return None;
    }
    let text = String::from_utf8_lossy(line).to_ascii_lowercase();
    let deco: &[char] = &['-', '=', '*', '_', ' ', '\t', '<', '>'];
    let text = text.trim_matches(deco);
    let text = text.trim_end_matches(['.', ':', ' ', '\t']);
    Some(text.to_string())
}

fn marker_kind(line: &[u8]) -> Option<Kind> {
    let phrase = normalize(line)?;
    MARKERS
        .iter()
        .find(|(m, _)| *m == phrase)
        .map(|&(_, kind)| kind)
}

/// Words that make a text read like a delivery failure report.
fn reads_like_bounce(line: &[u8]) -> bool {
    if has_status_code(line) {
        return true;
    }
    let lower = String::from_utf8_lossy(line).to_ascii_lowercase();
    [
        "undeliver",
        "could not be delivered",
        "couldn't be delivered",
        "delivery failed",
        "delivery has failed",
        "delivery to the following",
        "permanent error",
        "permanent fatal error",
        "was not delivered",
        "returned to sender",
        "rejected",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// Finds the first marker in `text` followed by something shaped like a
/// header block. `weak_ok` accepts the weak marker without further evidence.
pub(crate) fn find(text: &[u8], weak_ok: bool) -> Option<Quoted> {
    let mut evidence = weak_ok;
    let mut lines = text_lines(text);
    while let Some((marker_start, line)) = lines.next() {
        let Some(kind) = marker_kind(line) else {
            evidence = evidence || reads_like_bounce(line);
            continue;
        };
        if kind == Kind::Weak && !evidence {
            continue;
        }
        // Skip blank lines after the marker; the next line must be a field.
        let mut rest = lines.clone();
        let mut first = None;
        for (start, l) in rest.by_ref() {
            if !is_blank(l) {
                first = Some((start, l));
                break;
            }
        }
        // Only blank lines after the marker: nothing further can follow.
        let (start, first_line) = first?;
        if !looks_like_field(first_line) || first_line.starts_with(b" ") {
            continue;
        }
        let end = if kind == Kind::HeadersOnly {
            header_block_end(text, start)
        } else {
            text.len()
        };
        let marker = String::from_utf8_lossy(line)
            .trim()
            .chars()
            .take(80)
            .collect();
        return Some(Quoted {
            start,
            end,
            marker,
            headers_only: kind == Kind::HeadersOnly,
            marker_start,
        });
    }
    None
}

/// End (after the line end) of the last line before the first blank line
/// from `start`, or the end of the text.
fn header_block_end(text: &[u8], start: usize) -> usize {
    let tail = text.get(start..).unwrap_or_default();
    for (off, line) in text_lines(tail) {
        if is_blank(line) {
            return start + off;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_normalize() {
        assert_eq!(
            marker_kind(b"------ This is a copy of the message, including all the headers. ------"),
            Some(Kind::FullCopy)
        );
        assert_eq!(
            marker_kind(b"Original message headers:"),
            Some(Kind::HeadersOnly)
        );
        assert_eq!(
            marker_kind(b"ORIGINAL MESSAGE HEADERS"),
            Some(Kind::HeadersOnly)
        );
        assert_eq!(
            marker_kind(b"----- Original message -----"),
            Some(Kind::Weak)
        );
        assert_eq!(marker_kind(b"Hello there"), None);
    }

    #[test]
    fn weak_marker_needs_evidence() {
        let reply =
            b"Thanks!\n\n----- Original message -----\nFrom: a@example.com\nSubject: hi\n\nbody\n";
        assert_eq!(find(reply, false), None);
        let ndr = b"550 5.1.1 user unknown\n\n----- Original message -----\nFrom: a@example.com\nSubject: hi\n\nbody\n";
        let q = find(ndr, false).expect("found");
        assert!(ndr[q.start..].starts_with(b"From: a@example.com"));
        assert_eq!(q.end, ndr.len());
    }

    #[test]
    fn headers_only_block_stops_at_blank_line() {
        for nl in ["\n", "\r\n"] {
            let text = "x\nOriginal message headers:\n\nFrom: a@example.com\nSubject: s\n\ntrailing text\n"
                .replace('\n', nl);
            let q = find(text.as_bytes(), false).expect("found");
            assert_eq!(
                &text[q.start..q.end],
                "From: a@example.com\nSubject: s\n".replace('\n', nl)
            );
            assert!(q.headers_only);
        }
    }

    #[test]
    fn marker_not_followed_by_headers_is_ignored() {
        let text = b"Original message headers:\nnothing here\n";
        assert_eq!(find(text, true), None);
    }
}
