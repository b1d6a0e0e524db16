//! Entry point for loading a message, opening bounces (NDRs) on the way.
//!
//! Users often hold only the bounce that reports a DKIM failure, not the
//! original. When the input is a bounce, this module finds the copy of the
//! reported message inside it (a MIME part, or a block quoted after a marker
//! line), takes those bytes unchanged (or transfer-decoded when the part is
//! encoded), and analyses that instead, keeping the bounce's own diagnostics.
//! MIME structure comes from `mail-parser`; header splitting stays ours.

use std::borrow::Cow;

use mail_parser::decoders::{base64::base64_decode, quoted_printable::quoted_printable_decode};
use mail_parser::{Encoding, MessageParser, MessagePart, MimeHeaders, PartType};

use super::diagnostics::{self, Diagnostics};
use super::headers::{looks_like_field, split, text_lines, unfolded};
use super::sniff::unquote;
use super::{Bounce, Message, quoted};

/// Bounces of bounces are opened at most this deep.
pub const MAX_LEVELS: usize = 5;

/// [`Bounce::how`] for a bounce that carries no copy of the reported
/// message.
pub const NO_COPY: &str =
    "no copy of the reported message found in it: the bounce itself is analysed";

/// Splits `bytes` into a [`Message`] without looking for a bounce.
pub fn parse_plain(bytes: Vec<u8>) -> Message {
    let s = split(&bytes);
    Message {
        raw: bytes,
        headers: s.headers,
        body: s.body,
        line_endings: s.line_endings,
        bounce: None,
        notes: s.notes,
    }
}

/// Loads `bytes` as a message; when it is a bounce, returns the reported
/// message instead, with [`Message::bounce`] saying how it was found.
///
/// For nested bounces, `how` lists every level outermost first, `subject`
/// and `from` are those of the outermost bounce (the one the user holds),
/// and the diagnostics of the innermost bounce (the one that refused the
/// analysed message) come first.
pub fn parse(bytes: Vec<u8>) -> Message {
    let mut msg = parse_plain(bytes);
    if let Some(unquoted) = unquoted_paste(&msg) {
        msg = parse_plain(unquoted);
        msg.notes
            .push("removed `> ` quoting from a quoted paste before reading it".to_string());
    }
    let mut hows: Vec<String> = Vec::new();
    let mut levels: Vec<Diagnostics> = Vec::new();
    let (mut subject, mut from) = (None, None);
    let mut notes = Vec::new();
    loop {
        match open(&msg) {
            Outcome::NotBounce => break,
            Outcome::NoCopy(diags) => {
                let list = diags.into_vec();
                if hows.is_empty() {
                    // The bounce is the message analysed; what it reports
                    // is still read, and said first.
                    let start = msg.headers.first().map_or(0, |h| h.span.start);
                    let (subject, from) = subject_from(msg.raw.get(start..).unwrap_or_default());
                    msg.bounce = Some(Bounce {
                        how: NO_COPY.to_string(),
                        opened: false,
                        status: super::status::from_diagnostics(&list),
                        diagnostics: list,
                        subject,
                        from,
                    });
                } else {
                    let mut note = "the reported message is itself a bounce, with no copy \
                                    of the message it reports"
                        .to_string();
                    if !list.is_empty() {
                        note.push_str(&format!(" (its diagnostics: {})", list.join(" | ")));
                    }
                    notes.push(note);
                }
                break;
            }
            Outcome::Opened(opened) => {
                if hows.len() == MAX_LEVELS {
                    notes.push(format!(
                        "stopped after opening {MAX_LEVELS} nested bounces; \
                         the message analysed is itself a bounce"
                    ));
                    break;
                }
                if hows.is_empty() {
                    subject = opened.subject;
                    from = opened.from;
                }
                hows.push(opened.how);
                levels.push(opened.diagnostics);
                let mut inner = opened.inner;
                if opened.headers_only {
                    cut_to_header_block(&mut inner);
                    notes.push(
                        "the bounce carries only the headers of the reported message; \
                         its body is not available"
                            .to_string(),
                    );
                }
                msg = parse_plain(inner);
            }
        }
    }
    if !hows.is_empty() {
        let mut diagnostics = Diagnostics::default();
        for level in levels.into_iter().rev() {
            diagnostics.extend(level);
        }
        let diagnostics = diagnostics.into_vec();
        msg.bounce = Some(Bounce {
            how: hows.join(", then "),
            opened: true,
            status: super::status::from_diagnostics(&diagnostics),
            diagnostics,
            subject,
            from,
        });
    }
    msg.notes.extend(notes);
    msg
}

/// A paste quoted with `> ` (forwarded in a reply): no well-formed field
/// as it stands, but the first line is quoted. The text without quoting.
fn unquoted_paste(msg: &Message) -> Option<Vec<u8>> {
    if msg.headers.iter().any(|h| h.malformed.is_none()) {
        return None;
    }
    let first = text_lines(&msg.raw).find(|(_, l)| !l.trim_ascii().is_empty())?;
    if !first.1.starts_with(b">") || !looks_like_field(unquote(first.1)) {
        return None;
    }
    let mut out = Vec::with_capacity(msg.raw.len());
    let mut lines = text_lines(&msg.raw).peekable();
    while let Some((start, line)) = lines.next() {
        out.extend_from_slice(unquote(line));
        // The line end as written: up to where the next line starts.
        let next = lines.peek().map_or(msg.raw.len(), |&(n, _)| n);
        out.extend_from_slice(msg.raw.get(start + line.len()..next).unwrap_or_default());
    }
    Some(out)
}

/// Drops anything after the header block (a blank line and whatever a
/// headers-only part carried after it), so `body` is `None`.
fn cut_to_header_block(inner: &mut Vec<u8>) {
    let s = split(inner);
    if s.body.is_some()
        && let Some(end) = s.headers.last().map(|h| h.span.end)
    {
        inner.truncate(end);
    }
}

enum Outcome {
    NotBounce,
    /// A bounce without a usable copy of the original; its diagnostics.
    NoCopy(Diagnostics),
    Opened(Opened),
}

struct Opened {
    inner: Vec<u8>,
    how: String,
    diagnostics: Diagnostics,
    subject: Option<String>,
    from: Option<String>,
    headers_only: bool,
}

/// What the top-level header block says about the input.
struct Outer {
    content_type: String,
    transfer_encoding: String,
    /// The input starts with a well-formed header field (not a paste of
    /// bounce text).
    real_message: bool,
    looks_like_bounce: bool,
    /// A bounce's Subject or X-Failed-Recipients, not only a sender such as
    /// postmaster@ (which also sends DMARC and TLS reports).
    says_undelivered: bool,
}

impl Outer {
    /// `multipart/report; report-type=delivery-status` (RFC 3464, or its
    /// RFC 6533 global form).
    fn delivery_report(&self) -> bool {
        self.content_type.starts_with("multipart/report")
            && self.content_type.contains("delivery-status")
    }
}

fn header_value(msg: &Message, name: &str) -> Option<String> {
    msg.fields(name)
        .find(|(_, h)| h.malformed.is_none())
        .and_then(|(_, h)| msg.raw.get(h.value_span.clone()))
        .map(unfolded)
}

impl Outer {
    fn of(msg: &Message) -> Outer {
        let lower = |name| {
            header_value(msg, name)
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        let from = lower("From");
        let subject = lower("Subject");
        let from_bounce = [
            "mailer-daemon",
            "postmaster@",
            "mail delivery system",
            "mail delivery subsystem",
            "microsoft outlook",
        ]
        .iter()
        .any(|w| from.contains(w))
            || from.starts_with("postmaster");
        let subject_bounce = [
            "undeliverable",
            "undelivered mail",
            "undelivered message",
            "delivery status notification",
            "mail delivery failed",
            "mail delivery failure",
            "message delivery failure",
            "delivery failure",
            "returned mail",
            "failure notice",
            "non-delivery",
            "delivery has failed",
        ]
        .iter()
        .any(|w| subject.starts_with(w));
        let says_undelivered = subject_bounce || msg.fields("X-Failed-Recipients").next().is_some();
        Outer {
            content_type: lower("Content-Type"),
            transfer_encoding: lower("Content-Transfer-Encoding"),
            real_message: msg.headers.first().is_some_and(|h| h.malformed.is_none()),
            looks_like_bounce: from_bounce || says_undelivered,
            says_undelivered,
        }
    }
}

fn open(msg: &Message) -> Outcome {
    let outer = Outer::of(msg);
    let found = if outer.real_message && outer.content_type.starts_with("multipart/") {
        if outer.content_type.starts_with("multipart/report") || outer.looks_like_bounce {
            open_mime(msg)
        } else {
            // A forwarded message or any other multipart mail: not a bounce.
            Outcome::NotBounce
        }
    } else {
        open_text(msg, &outer)
    };
    match found {
        // A report that is not a delivery report (a TLS or DMARC report, a
        // read receipt), or mail from postmaster@ that says nothing of a
        // failure, is not a bounce.
        Outcome::NoCopy(d)
            if d.is_empty() && !outer.says_undelivered && !outer.delivery_report() =>
        {
            Outcome::NotBounce
        }
        other => other,
    }
}

/// Runs mail-parser on untrusted bytes; should it panic, the input is
/// treated as not openable instead of taking the tool down.
fn guarded<T>(f: impl FnOnce() -> Option<T>) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .ok()
        .flatten()
}

/// The (display) Subject and From of a message whose headers start at
/// `raw`, with encoded words decoded.
fn subject_from(raw: &[u8]) -> (Option<String>, Option<String>) {
    let Some(m) = guarded(|| MessageParser::new().parse_headers(raw)) else {
        return (None, None);
    };
    let subject = m
        .subject()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| match (a.name(), a.address()) {
            (Some(n), Some(addr)) => Some(format!("{n} <{addr}>")),
            (None, Some(addr)) => Some(addr.to_string()),
            (Some(n), None) => Some(n.to_string()),
            (None, None) => None,
        });
    (subject, from)
}

/// The kinds of MIME part that carry the reported message.
fn carrier_kind(ctype: &str) -> Option<(&'static str, bool)> {
    Some(match ctype {
        "message/rfc822" => ("message/rfc822", false),
        "message/global" => ("message/global", false),
        "text/rfc822-headers" => ("text/rfc822-headers", true),
        "message/rfc822-headers" => ("message/rfc822-headers", true),
        _ => return None,
    })
}

fn part_type(part: &MessagePart<'_>) -> String {
    part.content_type().map_or_else(
        || "text/plain".to_string(),
        |c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or_default()).to_ascii_lowercase(),
    )
}

/// A part's body: exactly as it stands in `outer` when not
/// transfer-encoded, otherwise decoded.
fn part_bytes<'a>(outer: &'a [u8], part: &'a MessagePart<'a>) -> &'a [u8] {
    if part.encoding == Encoding::None
        && let Some(raw) = outer.get(part.offset_body as usize..part.offset_end as usize)
    {
        return raw;
    }
    match &part.body {
        PartType::Message(m) => m.raw_message.as_ref(),
        _ => part.contents(),
    }
}

fn encoding_label(e: Encoding) -> &'static str {
    match e {
        Encoding::Base64 => " (base64-decoded)",
        Encoding::QuotedPrintable => " (quoted-printable-decoded)",
        Encoding::None => "",
    }
}

fn has_wellformed_field(bytes: &[u8]) -> bool {
    split(bytes).headers.iter().any(|h| h.malformed.is_none())
}

fn open_mime(msg: &Message) -> Outcome {
    let start = msg.headers.first().map_or(0, |h| h.span.start);
    let outer = msg.raw.get(start..).unwrap_or_default();
    // mail-parser keeps offsets as u32.
    if u32::try_from(outer.len()).is_err() {
        return Outcome::NotBounce;
    }
    let Some(parsed) = guarded(|| MessageParser::new().parse(outer)) else {
        return Outcome::NotBounce;
    };
    let mut diags = Diagnostics::default();
    let mut carrier: Option<(Vec<u8>, String, bool)> = None;
    let mut quoted_copy: Option<(Vec<u8>, String, bool)> = None;
    for part in parsed.parts.iter().skip(1) {
        let ctype = part_type(part);
        let bytes = part_bytes(outer, part);
        if let Some((kind, headers_only)) = carrier_kind(&ctype) {
            if carrier.is_none() && has_wellformed_field(bytes) {
                let how = format!("{kind} part{}", encoding_label(part.encoding));
                carrier = Some((bytes.to_vec(), how, headers_only));
            }
        } else if ctype == "message/delivery-status" || ctype == "message/global-delivery-status" {
            diagnostics::from_delivery_status(bytes, &mut diags);
        } else if ctype == "text/plain" {
            match quoted::find(bytes, true) {
                Some(q) => {
                    let before = bytes.get(..q.marker_start).unwrap_or_default();
                    diagnostics::from_text(before, &mut diags);
                    if quoted_copy.is_none()
                        && let Some(copy) = bytes.get(q.start..q.end)
                    {
                        let how = format!("quoted after \"{}\" in the text/plain part", q.marker);
                        quoted_copy = Some((copy.to_vec(), how, q.headers_only));
                    }
                }
                None => diagnostics::from_text(bytes, &mut diags),
            }
        }
    }
    let (subject, from) = subject_from(outer);
    match carrier.or(quoted_copy) {
        Some((inner, how, headers_only)) => Outcome::Opened(Opened {
            inner,
            how,
            diagnostics: diags,
            subject,
            from,
            headers_only,
        }),
        None => Outcome::NoCopy(diags),
    }
}

/// Plain-text bounces: a marker line followed by the quoted original.
fn open_text(msg: &Message, outer: &Outer) -> Outcome {
    // The text to search, and where the bounce's own prose starts in it.
    let (region, prose_start): (Cow<'_, [u8]>, usize) = if outer.real_message {
        if !outer.looks_like_bounce {
            // Amazon SES reports a bounce as a JSON notification, from an
            // ordinary sender, with the original's headers only as JSON.
            let mut diags = Diagnostics::default();
            if diagnostics::from_ses_json(msg.body_range_bytes(), &mut diags) {
                return Outcome::NoCopy(diags);
            }
            return Outcome::NotBounce;
        }
        let body = msg.body_range_bytes();
        let decoded = match outer.transfer_encoding.as_str() {
            "base64" => base64_decode(body),
            "quoted-printable" => quoted_printable_decode(body),
            _ => None,
        };
        match decoded {
            Some(d) => (Cow::Owned(d), 0),
            None => {
                let body_start = msg.body.as_ref().map_or(msg.raw.len(), |b| b.start);
                (Cow::Borrowed(&msg.raw[..]), body_start)
            }
        }
    } else {
        (Cow::Borrowed(&msg.raw[..]), 0)
    };
    let mut diags = Diagnostics::default();
    let Some(q) = quoted::find(&region, outer.real_message) else {
        if outer.real_message {
            diagnostics::from_text(region.get(prose_start..).unwrap_or_default(), &mut diags);
            return Outcome::NoCopy(diags);
        }
        return Outcome::NotBounce;
    };
    let prose = region.get(prose_start.min(q.marker_start)..q.marker_start);
    diagnostics::from_text(prose.unwrap_or_default(), &mut diags);
    let (subject, from) = if outer.real_message {
        let start = msg.headers.first().map_or(0, |h| h.span.start);
        subject_from(msg.raw.get(start..).unwrap_or_default())
    } else {
        (None, None)
    };
    Outcome::Opened(Opened {
        inner: region.get(q.start..q.end).unwrap_or_default().to_vec(),
        how: format!("quoted after \"{}\"", q.marker),
        diagnostics: diags,
        subject,
        from,
        headers_only: q.headers_only,
    })
}

impl Message {
    /// The body bytes, or nothing for a headers-only message.
    fn body_range_bytes(&self) -> &[u8] {
        self.body
            .clone()
            .and_then(|r| self.raw.get(r))
            .unwrap_or_default()
    }
}
