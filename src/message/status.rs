//! The status a bounce reports: the enhanced status code (RFC 3463, e.g.
//! `5.7.26`) and the SMTP reply code (`550`), read from the lines the bounce
//! gave (a DSN's `Status:` and `Diagnostic-Code:`, Microsoft's "Remote
//! Server returned '550 5.7.509 ...'" and "Status code: 550 5.1.10",
//! Gmail's "550-5.7.26 ...", the prose of Exim, Postfix, Sendmail, qmail).
//!
//! A helpdesk pastes bounces of every kind; this status is what says first
//! whether the bounce is about authentication at all.

/// What a bounce reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The enhanced status code, `class.subject.detail`.
    pub code: Option<String>,
    /// The SMTP reply code.
    pub reply: Option<u16>,
    /// The line the status was read from (for the reason words).
    pub line: String,
}

/// Reads the status from a bounce's diagnostic lines, machine-readable DSN
/// fields first, then the first line holding a code.
pub fn from_diagnostics(lines: &[String]) -> Option<Status> {
    let field = |name: &str| {
        lines.iter().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    };
    let dsn_status = field("Status").and_then(|v| enhanced_in(v).map(|(_, c)| c));
    let diag = field("Diagnostic-Code");
    // The best line: the DSN's diagnostic, else the first with a code.
    let line = diag
        .map(str::to_string)
        .or_else(|| {
            lines
                .iter()
                .find(|l| enhanced_in(l).is_some() || reply_in(l).is_some())
                .cloned()
        })
        .or_else(|| dsn_status.clone())?;
    let in_line = enhanced_in(&line).map(|(_, c)| c);
    // A DSN's generic `5.0.0` gives way to the specific code its own
    // diagnostic carries ("550 5.7.1 ... reverse DNS").
    let dsn_status = match (dsn_status, &in_line) {
        (Some(d), Some(l)) if d.ends_with(".0.0") && l.get(..1) == d.get(..1) => Some(l.clone()),
        (d, _) => d,
    };
    let code = dsn_status
        .or(in_line)
        .or_else(|| lines.iter().find_map(|l| enhanced_in(l).map(|(_, c)| c)));
    let reply = reply_in(&line).or_else(|| lines.iter().find_map(|l| reply_in(l)));
    if code.is_none() && reply.is_none() {
        return None;
    }
    Some(Status { code, reply, line })
}

/// The first enhanced status code in `text`: its offset and the code.
fn enhanced_in(text: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    (0..b.len()).find_map(|i| enhanced_at(b, i).map(|len| (i, text[i..i + len].to_string())))
}

/// Length of a `[45].d{1,3}.d{1,3}` code at `i`, not part of a longer
/// dotted number or a word.
fn enhanced_at(b: &[u8], i: usize) -> Option<usize> {
    if !matches!(b.get(i), Some(b'4' | b'5')) {
        return None;
    }
    if i > 0
        && b.get(i - 1)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'.')
    {
        return None;
    }
    let mut pos = i + 1;
    for _ in 0..2 {
        if b.get(pos) != Some(&b'.') {
            return None;
        }
        pos += 1;
        let digits = b
            .get(pos..)
            .unwrap_or_default()
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(1..=3).contains(&digits) {
            return None;
        }
        pos += digits;
    }
    match b.get(pos) {
        Some(b'.') if b.get(pos + 1).is_some_and(u8::is_ascii_digit) => None,
        Some(c) if c.is_ascii_alphanumeric() => None,
        _ => Some(pos - i),
    }
}

/// The SMTP reply code of a line: `550 `/`550-` before an enhanced code,
/// or at the start of the line (after quoting and a `smtp;` type).
fn reply_in(text: &str) -> Option<u16> {
    let b = text.as_bytes();
    let reply_at = |i: usize| -> Option<u16> {
        let d = b.get(i..i + 3)?;
        if !matches!(d[0], b'4' | b'5') || !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        if i > 0
            && b.get(i - 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
        {
            return None;
        }
        if !matches!(b.get(i + 3), None | Some(b' ' | b'-')) {
            return None;
        }
        std::str::from_utf8(d).ok()?.parse().ok()
    };
    // Right before an enhanced code: "550 5.7.26", "550-5.7.26".
    if let Some((at, _)) = enhanced_in(text)
        && at >= 4
        && let Some(r) = reply_at(at - 4)
    {
        return Some(r);
    }
    // After a label: Zoho's "ERROR_CODE :550,", "reply code: 554".
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("code") {
        let after = from + at + 4;
        let rest = &text[after..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if let Some(value) = trimmed.strip_prefix(':') {
            let value = value.trim_start_matches([' ', '\t']);
            let off = text.len() - value.len();
            let end = b.get(off + 3);
            if matches!(end, None | Some(b',' | b';'))
                && let Some(r) = reply_at_loose(b, off)
            {
                return Some(r);
            }
            if let Some(r) = reply_at(off) {
                return Some(r);
            }
        }
        from = after;
    }
    // At the start, after a field name, quoting and "smtp;".
    let mut rest = text.trim_start();
    if let Some((name, value)) = rest.split_once(':')
        && !name.contains(' ')
    {
        rest = value;
    }
    let rest = rest
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(';')
        .trim_start_matches([' ', '\'', '"', '<', '(', '#']);
    let off = text.len() - rest.len();
    reply_at(off)
}

/// Three digits at `i` making a 4xx/5xx reply code, whatever follows.
fn reply_at_loose(b: &[u8], i: usize) -> Option<u16> {
    let d = b.get(i..i + 3)?;
    if !matches!(d[0], b'4' | b'5') || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(d).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(lines: &[&str]) -> (Option<String>, Option<u16>) {
        let v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        from_diagnostics(&v).map_or((None, None), |s| (s.code, s.reply))
    }

    #[test]
    fn vendor_shapes() {
        assert_eq!(
            st(&[
                "Remote Server returned '550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification'"
            ]),
            (Some("5.7.509".into()), Some(550))
        );
        assert_eq!(
            st(&["Status code: 550 5.1.10"]),
            (Some("5.1.10".into()), Some(550))
        );
        assert_eq!(
            st(&["host gmail-smtp-in.l.google.com said: 550-5.7.26 Unauthenticated email"]),
            (Some("5.7.26".into()), Some(550))
        );
        assert_eq!(
            st(&[
                "Final-Recipient: rfc822; bob@example.org",
                "Action: failed",
                "Status: 5.2.2",
                "Diagnostic-Code: smtp; 552 mailbox full",
            ]),
            (Some("5.2.2".into()), Some(552))
        );
        assert_eq!(
            st(&["Diagnostic-Code: SMTP; 554 Transaction failed"]),
            (None, Some(554))
        );
        assert_eq!(
            st(&[
                "Status: 5.0.0",
                "Diagnostic-Code: smtp; 550 5.7.1 Fix reverse DNS for 203.0.113.2",
            ]),
            (Some("5.7.1".into()), Some(550))
        );
        // Zoho.
        assert_eq!(
            st(&[
                "kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown"
            ]),
            (Some("5.1.1".into()), Some(550))
        );
        assert_eq!(st(&["error code: 5501234 in log"]), (None, None));
        assert_eq!(st(&["Received from 10.5.7.1 today"]), (None, None));
        assert_eq!(st(&["Version 2.10.1 is out"]), (None, None));
    }
}
