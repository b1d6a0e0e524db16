//! Loading a message exactly as given: ordered raw header fields with byte
//! spans (folding preserved), the body, line-ending facts, and the opening of
//! a bounce (NDR) to the message it reports.

pub mod bounce;
mod diagnostics;
pub mod headers;
pub mod load;
mod quoted;
pub mod sniff;
pub mod status;

pub use bounce::{parse, parse_plain};

use std::ops::Range;

/// How the lines of the input end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndings {
    Crlf,
    Lf,
    /// Both CRLF and bare LF (or a bare CR) occur.
    Mixed,
    /// No line end at all (a single line, or empty input).
    None,
}

/// One header field as it stands in the raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    /// The field name as written (lossy UTF-8 of the name bytes).
    pub name: String,
    /// The whole field: name, colon, value, folded continuation lines and the
    /// final line end (CRLF or LF) when present.
    pub span: Range<usize>,
    /// The name bytes.
    pub name_span: Range<usize>,
    /// Everything after the colon up to, not including, the final line end.
    pub value_span: Range<usize>,
    /// Why the field is malformed (no colon, empty name, ...), if it is.
    pub malformed: Option<String>,
}

/// What was done to reach the analysed message, when the input was a bounce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    /// How the original was found: "message/rfc822 part",
    /// "text/rfc822-headers part", "quoted after \"Original message headers:\"";
    /// for a bounce without a copy, that it has none.
    pub how: String,
    /// True when a copy of the reported message was found and is what is
    /// analysed; false when the bounce carries none and the bounce itself
    /// is analysed (its status still says what it is about).
    pub opened: bool,
    /// The bounce's own diagnostic lines (e.g. `550 5.7.1 ... DKIM ...`,
    /// `Diagnostic-Code: smtp; ...`), trimmed, at most a few.
    pub diagnostics: Vec<String>,
    /// The bounce's own Subject and From, for display.
    pub subject: Option<String>,
    pub from: Option<String>,
    /// The status the bounce reports (enhanced code, SMTP reply), read from
    /// its diagnostics.
    pub status: Option<status::Status>,
}

/// A message ready for analysis. For a bounce, `raw` is the reported
/// message (or its headers), not the bounce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub raw: Vec<u8>,
    pub headers: Vec<HeaderField>,
    /// Byte range of the body, after the blank line. `None` when the input
    /// has no header/body separator (a headers-only paste).
    pub body: Option<Range<usize>>,
    pub line_endings: LineEndings,
    pub bounce: Option<Bounce>,
    /// Problems met while loading (stray bytes before the first header,
    /// unterminated last line, ...): shown, never fatal.
    pub notes: Vec<String>,
}

impl Message {
    pub fn field_bytes(&self, h: &HeaderField) -> &[u8] {
        &self.raw[h.span.clone()]
    }
    pub fn value_bytes(&self, h: &HeaderField) -> &[u8] {
        &self.raw[h.value_span.clone()]
    }
    pub fn body_bytes(&self) -> Option<&[u8]> {
        self.body.clone().map(|r| &self.raw[r])
    }
    /// Header fields named `name` (case-insensitive), top first.
    pub fn fields<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (usize, &'a HeaderField)> + 'a {
        self.headers
            .iter()
            .enumerate()
            .filter(move |(_, h)| h.name.eq_ignore_ascii_case(name))
    }
}
