//! Byte-exact splitting of a raw message into header fields and body.
//!
//! DKIM signs exact bytes, so this splitter never rewrites anything: every
//! field is reported as byte spans into the input (folding and line ends
//! kept), malformed lines become flagged fields instead of errors, and the
//! work is a single linear pass so huge inputs stay cheap.

use std::ops::Range;

use super::{HeaderField, LineEndings};

/// The result of splitting: everything a [`super::Message`] needs besides
/// the raw bytes and the bounce information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub headers: Vec<HeaderField>,
    pub body: Option<Range<usize>>,
    pub line_endings: LineEndings,
    pub notes: Vec<String>,
}

/// One physical line: `start..content_end` is the text, `content_end..end`
/// the line end (CRLF, LF, or nothing on an unterminated last line).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

impl Line {
    fn is_empty(&self) -> bool {
        self.start == self.content_end
    }
    fn is_terminated(&self) -> bool {
        self.content_end != self.end
    }
}

fn line_at(raw: &[u8], start: usize) -> Line {
    let rest = raw.get(start..).unwrap_or_default();
    match memchr::memchr(b'\n', rest) {
        Some(off) => {
            let nl = start + off;
            let content_end = if off > 0 && raw.get(nl - 1) == Some(&b'\r') {
                nl - 1
            } else {
                nl
            };
            Line {
                start,
                content_end,
                end: nl + 1,
            }
        }
        None => Line {
            start,
            content_end: raw.len(),
            end: raw.len(),
        },
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Counts of line-end kinds and other notable bytes over the whole input.
#[derive(Debug, Default)]
struct ByteFacts {
    crlf: usize,
    lf: usize,
    bare_cr: usize,
    nul: usize,
}

/// Raw counts over `raw`: (LF, CR, CR directly before LF, NUL), the byte
/// before `raw` being a CR when `prev_cr`.
fn counts(raw: &[u8], prev_cr: bool) -> [usize; 4] {
    // Counting into u8 lanes over short chunks lets the compiler vectorize
    // it; a search per line end would not.
    const CHUNK: usize = 240; // < 256: a u8 count cannot overflow
    let (mut lf, mut cr, mut crlf, mut nul) = (0usize, 0usize, 0usize, 0usize);
    let mut prev_cr = u8::from(prev_cr);
    for chunk in raw.chunks(CHUNK) {
        let (mut n_lf, mut n_cr, mut n_crlf, mut n_nul) = (0u8, 0u8, 0u8, 0u8);
        for &b in chunk {
            let is_lf = (b == b'\n') as u8;
            n_lf += is_lf;
            n_cr += (b == b'\r') as u8;
            n_crlf += is_lf & prev_cr;
            n_nul += (b == 0) as u8;
            prev_cr = (b == b'\r') as u8;
        }
        lf += n_lf as usize;
        cr += n_cr as usize;
        crlf += n_crlf as usize;
        nul += n_nul as usize;
    }
    [lf, cr, crlf, nul]
}

/// From this size on, the two halves of the input are counted on two
/// threads: on a 50 MB message this pass is the one piece of work before
/// the analysis that nothing else overlaps.
const PARALLEL_FACTS: usize = 8 << 20;

fn byte_facts(raw: &[u8]) -> ByteFacts {
    let [lf, cr, crlf, nul] = if raw.len() < PARALLEL_FACTS {
        counts(raw, false)
    } else {
        let (a, b) = raw.split_at(raw.len() / 2);
        let after_cr = a.last() == Some(&b'\r');
        let (x, y) = std::thread::scope(|scope| {
            let second = scope.spawn(|| counts(b, after_cr));
            let first = counts(a, false);
            (first, second.join().unwrap_or_else(|_| counts(b, after_cr)))
        });
        [x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3]]
    };
    ByteFacts {
        crlf,
        lf: lf - crlf,
        bare_cr: cr - crlf,
        nul,
    }
}

fn line_endings(f: &ByteFacts) -> LineEndings {
    if f.bare_cr > 0 || (f.crlf > 0 && f.lf > 0) {
        LineEndings::Mixed
    } else if f.crlf > 0 {
        LineEndings::Crlf
    } else if f.lf > 0 {
        LineEndings::Lf
    } else {
        LineEndings::None
    }
}

/// The most header fields kept (real mail has tens, rarely hundreds). Past
/// it the rest of the header is still walked to find the body, but no field
/// is kept, and a note says how many were not examined: a 64 MiB header of
/// one-byte fields would otherwise cost gigabytes of field records.
pub const MAX_HEADER_FIELDS: usize = 20_000;

/// Splits `raw` into header fields and body. Never fails: oddities become
/// notes or malformed fields.
pub fn split(raw: &[u8]) -> Split {
    let facts = byte_facts(raw);
    let mut notes = Vec::new();
    if facts.crlf > 0 && facts.lf > 0 {
        notes.push(format!(
            "mixed line endings: {} CRLF and {} bare LF",
            facts.crlf, facts.lf
        ));
    }
    if facts.bare_cr > 0 {
        notes.push(format!(
            "{} not followed by LF (not a line end)",
            crate::plural::count(facts.bare_cr, "bare CR byte", "bare CR bytes")
        ));
    }
    if facts.nul > 0 {
        notes.push(format!(
            "{} in the input",
            crate::plural::count(facts.nul, "NUL byte", "NUL bytes")
        ));
    }

    let mut pos = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(raw.len());
    if pos > 0 {
        notes.push(format!(
            "skipped {} of blank lines/whitespace before the first header",
            crate::plural::count(pos, "byte", "bytes")
        ));
    }
    if raw.get(pos..).is_some_and(|r| r.starts_with(b"From ")) {
        let line = line_at(raw, pos);
        notes.push("skipped an mbox \"From \" separator line at the top".to_string());
        pos = line.end;
    }

    let mut headers: Vec<HeaderField> = Vec::new();
    let mut body = None;
    let mut not_kept = 0usize;
    while pos < raw.len() {
        let first = line_at(raw, pos);
        if first.is_empty() {
            body = Some(first.end..raw.len());
            break;
        }
        // Gather folded continuation lines.
        let mut last = first;
        while last.is_terminated() && raw.get(last.end).is_some_and(|&b| is_wsp(b)) {
            last = line_at(raw, last.end);
        }
        if !last.is_terminated() {
            notes.push("the last header line has no line end".to_string());
        }
        if headers.len() < MAX_HEADER_FIELDS {
            headers.push(field(raw, first, last));
        } else {
            not_kept += 1;
        }
        pos = last.end;
    }
    if not_kept > 0 {
        notes.push(format!(
            "the header has {} fields; only the first {MAX_HEADER_FIELDS} are examined \
             (signatures, h= instances and other fields below them are not seen)",
            MAX_HEADER_FIELDS + not_kept
        ));
    }

    Split {
        headers,
        body,
        line_endings: line_endings(&facts),
        notes,
    }
}

/// Builds the field spanning `first..=last` lines.
fn field(raw: &[u8], first: Line, last: Line) -> HeaderField {
    let span = first.start..last.end;
    let value_end = last.content_end;
    let line = raw.get(first.start..first.content_end).unwrap_or_default();
    let (name_span, value_span, malformed) = if line.first().is_some_and(|&b| is_wsp(b)) {
        (
            first.start..first.start,
            first.start..value_end,
            Some("continuation line with no field before it".to_string()),
        )
    } else {
        match line.iter().position(|&b| b == b':') {
            None => (
                first.start..first.content_end,
                first.content_end..value_end,
                Some("no colon: not a header field".to_string()),
            ),
            Some(colon) => {
                let name = line.get(..colon).unwrap_or_default();
                // Obsolete syntax allows white space before the colon; it is
                // not part of the name.
                let trimmed = name.iter().rposition(|&b| !is_wsp(b)).map_or(0, |i| i + 1);
                let name_span = first.start..first.start + trimmed;
                let value_span = first.start + colon + 1..value_end;
                (
                    name_span,
                    value_span,
                    name_problem(name.get(..trimmed).unwrap_or_default()),
                )
            }
        }
    };
    let name = String::from_utf8_lossy(raw.get(name_span.clone()).unwrap_or_default()).into_owned();
    HeaderField {
        name,
        span,
        name_span,
        value_span,
        malformed,
    }
}

fn name_problem(name: &[u8]) -> Option<String> {
    if name.is_empty() {
        return Some("empty field name before the colon".to_string());
    }
    let bad = name.iter().find(|b| !(33..=126).contains(*b))?;
    Some(match bad {
        b' ' | b'\t' => "field name contains white space".to_string(),
        _ => format!("field name contains byte 0x{bad:02X} (not printable ASCII)"),
    })
}

/// A field value as display text: lossy UTF-8, folding removed, trimmed.
pub fn unfolded(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let mut out = String::with_capacity(text.len());
    for part in text.split(['\r', '\n']) {
        out.push_str(part);
    }
    out.trim().to_string()
}

/// Lines of `text` as `(start offset, content without line end)`; the line
/// end is LF or CRLF. Used for scanning bounce texts.
pub(crate) fn text_lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> + Clone {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let line = line_at(text, pos);
        let start = pos;
        pos = line.end;
        Some((
            start,
            text.get(line.start..line.content_end).unwrap_or_default(),
        ))
    })
}

/// Whether `line` (without its line end) starts like a well-formed header
/// field: a printable-ASCII name, then a colon.
pub(crate) fn looks_like_field(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) => {
            let name = line.get(..colon).unwrap_or_default();
            let trimmed = name.iter().rposition(|&b| !is_wsp(b)).map_or(0, |i| i + 1);
            name_problem(name.get(..trimmed).unwrap_or_default()).is_none()
        }
        None => false,
    }
}

#[cfg(test)]
mod tests;
