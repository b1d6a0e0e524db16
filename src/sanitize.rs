//! The one gate between message- or DNS-derived text and a terminal.
//!
//! Mail comes from strangers: an escape sequence in a Subject could move
//! the cursor, retitle the window or hide text. Everything printed passes
//! through here and comes out with control bytes, C1 controls, BiDi
//! overrides and invisible format characters shown visibly, and invalid
//! UTF-8 shown as `\xNN`.

use std::borrow::Cow;

/// Characters that must not reach a terminal raw, as their visible form.
fn escape(c: char) -> Option<String> {
    let u = c as u32;
    Some(match c {
        '\t' => return None,
        '\r' => "\\r".into(),
        '\n' => "\\n".into(),
        '\x1b' => "\\x1b".into(),
        _ if u < 0x20 || u == 0x7f => format!("\\x{u:02x}"),
        _ if (0x80..=0x9f).contains(&u) => format!("<U+{u:04X}>"),
        '\u{00AD}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}' => format!("<U+{u:04X}>"),
        _ => return None,
    })
}

/// Text made safe to print.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| escape(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match escape(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Bytes made safe to print: valid UTF-8 runs through [`visible`], every
/// invalid byte as `\xNN`.
pub fn visible_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&visible(chunk.valid()));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_shown_not_obeyed() {
        assert_eq!(visible("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(visible("x\u{202E}gpj.exe"), "x<U+202E>gpj.exe");
        assert_eq!(visible("c1\u{9b}31m"), "c1<U+009B>31m");
        assert_eq!(visible("tab\tok"), "tab\tok");
        assert_eq!(visible_bytes(b"ok\xff\xfe\x00"), "ok\\xff\\xfe\\x00");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }
}
