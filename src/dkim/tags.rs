//! The DKIM tag-list lexer (RFC 6376 §3.2), shared by DKIM-Signature fields,
//! key records and ARC headers.
//!
//! A verifier may stop at the first error; a debugger must not. This lexer
//! keeps every tag with the byte span of its name and value, and every
//! problem it meets with its span, and always goes on to the end.

use std::ops::Range;

/// One `name=value` pair as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    /// The value as written, inner folding whitespace kept, outer trimmed.
    pub value: Vec<u8>,
    /// Span of the name, relative to the start of the lexed text.
    pub name_span: Range<usize>,
    /// Span of the trimmed value.
    pub value_span: Range<usize>,
    /// Span of the whole tag-spec, from the name to just before `;`.
    pub span: Range<usize>,
}

impl Tag {
    /// The value as text (lossy for non-UTF-8 bytes).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.value).into_owned()
    }
    /// The value with all whitespace removed (for base64 and lists).
    pub fn compact(&self) -> Vec<u8> {
        self.value
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect()
    }
}

/// A problem found while lexing, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexProblem {
    pub span: Range<usize>,
    pub message: String,
    /// True when the tag-list is not valid (RFC 6376 §3.2: then the whole
    /// signature or record is invalid); false for oddities worth showing.
    pub fatal: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagList {
    pub tags: Vec<Tag>,
    pub problems: Vec<LexProblem>,
}

impl TagList {
    /// The first tag with this (case-sensitive) name: tag names are
    /// case-sensitive in RFC 6376 §3.2.
    pub fn get(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    pub fn has_fatal(&self) -> bool {
        self.problems.iter().any(|p| p.fatal)
    }
}

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn trim_span(text: &[u8], mut r: Range<usize>) -> Range<usize> {
    while r.start < r.end && is_wsp(text[r.start]) {
        r.start += 1;
    }
    while r.end > r.start && is_wsp(text[r.end - 1]) {
        r.end -= 1;
    }
    r
}

fn valid_name(name: &[u8]) -> bool {
    match name.split_first() {
        Some((first, rest)) => {
            first.is_ascii_alphabetic()
                && rest.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        }
        None => false,
    }
}

/// Lex a tag-list. `text` is the field value (or record); spans are
/// relative to it.
pub fn lex(text: &[u8]) -> TagList {
    let mut list = TagList::default();
    let mut start = 0;
    let segments: Vec<Range<usize>> = {
        let mut v = Vec::new();
        for (i, b) in text.iter().enumerate() {
            if *b == b';' {
                v.push(start..i);
                start = i + 1;
            }
        }
        v.push(start..text.len());
        v
    };
    let last = segments.len() - 1;
    for (n, seg) in segments.into_iter().enumerate() {
        let spec = trim_span(text, seg.clone());
        if spec.is_empty() {
            if n != last {
                list.problems.push(LexProblem {
                    span: seg,
                    message: "empty tag-spec between two ';'".into(),
                    fatal: false,
                });
            }
            continue;
        }
        let Some(eq) = text[spec.clone()].iter().position(|b| *b == b'=') else {
            list.problems.push(LexProblem {
                span: spec.clone(),
                message: format!(
                    "'{}' has no '=': not a tag=value pair",
                    String::from_utf8_lossy(&text[spec.clone()])
                ),
                fatal: true,
            });
            continue;
        };
        let name_span = trim_span(text, spec.start..spec.start + eq);
        let value_span = trim_span(text, spec.start + eq + 1..spec.end);
        let name_bytes = &text[name_span.clone()];
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        if !valid_name(name_bytes) {
            list.problems.push(LexProblem {
                span: name_span.clone(),
                message: if name.is_empty() {
                    "a tag with an empty name".into()
                } else {
                    format!(
                        "'{name}' is not a valid tag name (a letter, then letters, digits or '_')"
                    )
                },
                fatal: true,
            });
        }
        let value = &text[value_span.clone()];
        if let Some(bad) = value
            .iter()
            .position(|b| !(is_wsp(*b) || (0x21..=0x7e).contains(b)))
        {
            list.problems.push(LexProblem {
                span: value_span.start + bad..value_span.start + bad + 1,
                message: format!(
                    "{name}= holds byte 0x{:02x}, not allowed in a tag value",
                    value[bad]
                ),
                fatal: false,
            });
        }
        if list.tags.iter().any(|t| t.name == name) {
            list.problems.push(LexProblem {
                span: spec.clone(),
                message: format!("{name}= appears twice (RFC 6376 §3.2: the tag-list is invalid)"),
                fatal: true,
            });
        }
        list.tags.push(Tag {
            name,
            value: value.to_vec(),
            name_span,
            value_span,
            span: spec,
        });
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_tags_with_spans_and_folding() {
        let text = b" v=1; a=rsa-sha256;\r\n\td=example.com; h=from : to;\r\n b=abc\r\n def ";
        let l = lex(text);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let names: Vec<_> = l.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["v", "a", "d", "h", "b"]);
        let b = l.get("b").unwrap();
        assert_eq!(b.value, b"abc\r\n def");
        assert_eq!(b.compact(), b"abcdef");
        assert_eq!(&text[b.value_span.clone()], b"abc\r\n def");
        assert_eq!(&text[l.get("d").unwrap().name_span.clone()], b"d");
    }

    #[test]
    fn keeps_every_problem() {
        let l = lex(b"v=1; v=2; junk; 9x=1;; a=\x01");
        let msgs: Vec<_> = l.problems.iter().map(|p| p.message.clone()).collect();
        assert!(msgs.iter().any(|m| m.contains("appears twice")));
        assert!(msgs.iter().any(|m| m.contains("has no '='")));
        assert!(msgs.iter().any(|m| m.contains("not a valid tag name")));
        assert!(msgs.iter().any(|m| m.contains("empty tag-spec")));
        assert!(msgs.iter().any(|m| m.contains("0x01")));
        assert!(l.has_fatal());
    }

    #[test]
    fn trailing_semicolon_and_empty_value_are_fine() {
        let l = lex(b"p=; t=y;");
        assert!(l.problems.is_empty());
        assert_eq!(l.get("p").unwrap().value, b"");
        assert_eq!(lex(b"").tags.len(), 0);
    }
}
