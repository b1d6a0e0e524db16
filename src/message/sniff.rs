//! Telling a message from something that is not one.
//!
//! Users drop whatever they hold onto the tool: an Outlook `.msg`, a README,
//! a zone file, an empty file. Read as mail, each would have no header field
//! and be reported as "never signed", which sends an admin to turn on
//! signing that may well be on. So input in which no header field can be
//! found is refused as an input error that names what it looks like.
//!
//! Leading noise still loads: blank lines, an mbox `From ` line, Outlook's
//! "Microsoft Mail Internet Headers Version 2.0" banner, a paste quoted with
//! `> `, and a bounce's prose before a quoted original.

use super::headers::{looks_like_field, text_lines};
use super::quoted;

/// Why `bytes` is not a message, naming what it looks like; `None` when it
/// has at least one header field (or quotes a message, like a pasted
/// bounce text).
pub fn not_a_message(bytes: &[u8]) -> Option<String> {
    if let Some(what) = by_magic(bytes) {
        return Some(what.to_string());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some(if bytes.is_empty() {
            "the input is empty".to_string()
        } else {
            "the input holds only blank lines".to_string()
        });
    }
    if first_block_has_field(bytes) || quoted::find(bytes, false).is_some() {
        return None;
    }
    Some(format!("no header field found: {}", looks_like(bytes)))
}

/// File formats recognised by their first bytes.
fn by_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "this is an Outlook .msg file (OLE compound file), not a message in Internet format: \
             save it as .eml, or paste the Internet headers (File > Properties in Outlook)",
        ),
        (b"%PDF-", "this is a PDF document, not a message"),
        (
            b"PK\x03\x04",
            "this is a ZIP archive (or an Office document), not a message: unpack it first",
        ),
        (b"\x1F\x8B", "this is gzip-compressed: decompress it first"),
        (b"\x89PNG", "this is a PNG image, not a message"),
        (b"\xFF\xD8\xFF", "this is a JPEG image, not a message"),
        (
            b"\x7FELF",
            "this is a program (ELF executable), not a message",
        ),
        (b"MZ", "this is a Windows program, not a message"),
    ];
    MAGICS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, what)| what)
}

/// Lines that open a paste without being part of the header.
fn is_noise(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii();
    trimmed.is_empty()
        || trimmed.eq_ignore_ascii_case(b"Microsoft Mail Internet Headers Version 2.0")
        || line.starts_with(b"From ")
}

/// Whether the first block of lines (up to the first blank line after
/// something else) holds a line shaped like a header field, with `> `
/// quoting removed.
fn first_block_has_field(bytes: &[u8]) -> bool {
    let mut started = false;
    for (_, line) in text_lines(bytes) {
        if !started && is_noise(line) {
            continue;
        }
        if started && line.trim_ascii().is_empty() {
            break;
        }
        started = true;
        if looks_like_field(unquote(line)) {
            return true;
        }
    }
    false
}

/// `line` without leading `>` quoting (`> `, `>> `, `>`).
pub(crate) fn unquote(line: &[u8]) -> &[u8] {
    let mut rest = line;
    while let Some(after) = rest.strip_prefix(b">") {
        rest = after.strip_prefix(b" ").unwrap_or(after);
    }
    rest
}

/// A short description of text that has no header field.
fn looks_like(bytes: &[u8]) -> &'static str {
    let sample = bytes.get(..bytes.len().min(64 * 1024)).unwrap_or_default();
    let binary = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    if binary * 20 > sample.len() || std::str::from_utf8(sample).is_err() && binary > 0 {
        return "this looks like binary data, not a message";
    }
    let text = String::from_utf8_lossy(sample);
    let zone_lines = text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("$ORIGIN")
                || l.starts_with("$TTL")
                || [" IN TXT ", " IN CNAME ", " IN SOA ", " IN MX ", " IN A "]
                    .iter()
                    .any(|rr| l.replace('\t', " ").contains(rr))
        })
        .count();
    if zone_lines > 0 {
        return "this looks like a DNS zone file: give it with --keys to answer key lookups";
    }
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if first.is_some_and(|l| l.starts_with('#') || l.starts_with("==")) {
        return "this looks like a text document, not a message: give a message (.eml) \
                or paste its headers";
    }
    "this is text without the `Name: value` lines a message starts with: give a message \
     (.eml) or paste its headers"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_pastes_are_messages() {
        for ok in [
            &b"From: a@example.com\r\n\r\nbody"[..],
            b"\n\n  \nReceived: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\n",
            b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nFrom: a@b\n\nx\n",
            b"Microsoft Mail Internet Headers Version 2.0\r\nReceived: from x\r\n",
            b"> Received: from x by y\n> From: a@example.com\n",
            b"Delivery has failed to these recipients or groups:\n\nbob@example.org\n\nOriginal message headers:\n\nFrom: a@example.com\n",
        ] {
            assert_eq!(not_a_message(ok), None, "{}", String::from_utf8_lossy(ok));
        }
    }

    #[test]
    fn non_messages_say_what_they_look_like() {
        let msg = not_a_message(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0").unwrap();
        assert!(msg.contains("Outlook .msg"), "{msg}");
        assert!(msg.contains(".eml"), "{msg}");
        assert_eq!(not_a_message(b"").unwrap(), "the input is empty");
        assert!(not_a_message(b"\r\n\r\n").unwrap().contains("blank"));
        let zone = b"example.com.\t3600\tIN\tTXT\t\"v=spf1 include:_spf.example.net -all\"\n";
        assert!(not_a_message(zone).unwrap().contains("zone file"));
        let readme = b"# sample-headers\n\nRealistic messages: see below.\n";
        assert!(not_a_message(readme).unwrap().contains("text document"));
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(not_a_message(&noise).unwrap().contains("binary"));
    }

    #[test]
    fn unquote_strips_nested_quoting() {
        assert_eq!(unquote(b">> > From: a"), b"From: a");
        assert_eq!(unquote(b">From: a"), b"From: a");
        assert_eq!(unquote(b"From: a"), b"From: a");
    }
}
