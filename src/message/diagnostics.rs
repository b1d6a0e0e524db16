//! Extracting a bounce's own diagnostic lines.
//!
//! A bounce usually says why the message was refused ("550 5.7.26 ...
//! unauthenticated", an Exchange "Remote Server returned '...'"); showing
//! those lines next to the DKIM analysis is often the quickest explanation.
//! Sources are the machine-readable delivery-status part and the
//! human-readable text.

use super::headers::text_lines;

/// At most this many diagnostics are kept.
pub(crate) const MAX_DIAGNOSTICS: usize = 8;
/// Each diagnostic is cut to this many characters.
const MAX_CHARS: usize = 300;

/// An ordered, de-duplicated, bounded list of diagnostic lines.
#[derive(Debug, Default, Clone)]
pub(crate) struct Diagnostics(Vec<String>);

impl Diagnostics {
    pub fn push(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.0.len() >= MAX_DIAGNOSTICS {
            return;
        }
        let line: String = if line.chars().count() > MAX_CHARS {
            let mut cut: String = line.chars().take(MAX_CHARS - 1).collect();
            cut.push('…');
            cut
        } else {
            line.to_string()
        };
        if !self.0.contains(&line) {
            self.0.push(line);
        }
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for line in other.0 {
            self.push(&line);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

/// Per-recipient fields of a `message/delivery-status` body worth showing.
const DSN_FIELDS: &[&str] = &["final-recipient", "action", "status", "diagnostic-code"];

/// Reads `Final-Recipient`, `Action`, `Status` and `Diagnostic-Code` from a
/// delivery-status body, unfolding continuation lines.
pub(crate) fn from_delivery_status(body: &[u8], out: &mut Diagnostics) {
    let mut current: Option<String> = None;
    for (_, line) in text_lines(body) {
        let text = String::from_utf8_lossy(line);
        if line.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            if let Some(cur) = current.as_mut() {
                cur.push(' ');
                cur.push_str(text.trim());
            }
            continue;
        }
        if let Some(done) = current.take() {
            out.push(&done);
        }
        let wanted = text.split_once(':').is_some_and(|(name, _)| {
            DSN_FIELDS
                .iter()
                .any(|f| name.trim().eq_ignore_ascii_case(f))
        });
        if wanted {
            current = Some(text.trim().to_string());
        }
    }
    if let Some(done) = current {
        out.push(&done);
    }
}

/// Amazon SES bounce notifications (delivered as JSON through SNS or
/// straight from SES): when `body` is one, pushes each bounced recipient's
/// `Status:` and `Diagnostic-Code:` as a DSN would write them and returns
/// true. Read by scanning, not parsing: the JSON arrives with lines broken
/// ("!" and a folded line) and is often cut.
pub(crate) fn from_ses_json(body: &[u8], out: &mut Diagnostics) -> bool {
    // Every ordinary message comes through here: no JSON object, no
    // notification (a memchr); then decide on bytes, without whitespace and
    // SES's "!" line-break marks, before any text is made.
    if !body.contains(&b'{') {
        return false;
    }
    let compact: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'!')
        .collect();
    let bounce = [
        b"\"notificationType\":\"Bounce\"".as_slice(),
        b"\"eventType\":\"Bounce\"".as_slice(),
    ]
    .iter()
    .any(|k| compact.windows(k.len()).any(|w| w == *k));
    if !bounce {
        return false;
    }
    let text = String::from_utf8_lossy(body);
    // Spaces matter inside the diagnostic: read it from the text as
    // written, with SES's "!" line breaks removed.
    let unbroken = text.replace("!\r\n ", "").replace("!\n ", "");
    for (key, name) in [
        ("\"status\":\"", "Status"),
        ("\"diagnosticCode\":\"", "Diagnostic-Code"),
    ] {
        let mut rest = unbroken.as_str();
        while let Some(at) = rest.find(key) {
            rest = &rest[at + key.len()..];
            let end = rest
                .char_indices()
                .scan(false, |escaped, (i, c)| {
                    let stop = c == '"' && !*escaped;
                    *escaped = c == '\\' && !*escaped;
                    Some((i, stop))
                })
                .find(|&(_, stop)| stop)
                .map_or(rest.len(), |(i, _)| i);
            out.push(&format!("{name}: {}", &rest[..end]));
            rest = &rest[end..];
        }
    }
    true
}

/// Reads diagnostic lines from human-readable bounce text: lines carrying an
/// SMTP reply or enhanced status code, and the line after Exchange's
/// "Diagnostic information for administrators:".
pub(crate) fn from_text(text: &[u8], out: &mut Diagnostics) {
    let mut after_admin_heading = false;
    for (_, line) in text_lines(text) {
        let trimmed = String::from_utf8_lossy(line);
        let trimmed = trimmed.trim();
        if trimmed.is_empty() {
            continue;
        }
        if after_admin_heading {
            after_admin_heading = false;
            out.push(trimmed);
            continue;
        }
        if trimmed
            .to_ascii_lowercase()
            .starts_with("diagnostic information for administrators")
        {
            after_admin_heading = true;
            continue;
        }
        if has_status_code(line) {
            out.push(trimmed);
        }
    }
}

/// Whether `line` holds a failure enhanced status code (`5.7.26`, `4.4.1`)
/// or starts with an SMTP failure reply code (`550 `, `554-`).
pub(crate) fn has_status_code(line: &[u8]) -> bool {
    let start = line
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\'' | b'"' | b'>' | b'<' | b'('))
        .unwrap_or(line.len());
    if reply_code_at(line, start) {
        return true;
    }
    (0..line.len()).any(|i| enhanced_code_at(line, i))
}

fn digit(line: &[u8], i: usize) -> bool {
    line.get(i).is_some_and(u8::is_ascii_digit)
}

fn reply_code_at(line: &[u8], i: usize) -> bool {
    matches!(line.get(i), Some(b'4' | b'5'))
        && digit(line, i + 1)
        && digit(line, i + 2)
        && matches!(line.get(i + 3), None | Some(b' ' | b'-'))
}

/// `[45].d{1,3}.d{1,3}` at `i`, not part of a longer dotted number.
fn enhanced_code_at(line: &[u8], i: usize) -> bool {
    if !matches!(line.get(i), Some(b'4' | b'5')) {
        return false;
    }
    if i > 0
        && line
            .get(i - 1)
            .is_some_and(|&b| b.is_ascii_digit() || b == b'.')
    {
        return false;
    }
    let mut pos = i + 1;
    for _ in 0..2 {
        if line.get(pos) != Some(&b'.') {
            return false;
        }
        pos += 1;
        let digits = line
            .get(pos..)
            .unwrap_or_default()
            .iter()
            .take(4)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=3).contains(&digits) {
            return false;
        }
        pos += digits;
    }
    match line.get(pos) {
        None => true,
        Some(b'.') => !digit(line, pos + 1),
        Some(b) => !b.is_ascii_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amazon_ses_json_bounces() {
        // As SNS delivers it: one long line broken with "!" and a space.
        let body = b"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":\"a@example.org\",\"action\":\"failed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user !\n unknown\"}]}}\n";
        let mut d = Diagnostics::default();
        assert!(from_ses_json(body, &mut d));
        assert_eq!(
            d.into_vec(),
            vec![
                "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 user unknown"
            ]
        );
        // A complaint, or any other JSON, is not a bounce.
        let mut d = Diagnostics::default();
        assert!(!from_ses_json(
            b"{\"notificationType\":\"Complaint\"}",
            &mut d
        ));
        assert!(!from_ses_json(b"plain text", &mut d));
        // Cut short: what is there is read, nothing panics.
        assert!(from_ses_json(
            b"{\"eventType\":\"Bounce\",\"status\":\"5.",
            &mut d
        ));
    }

    #[test]
    fn status_codes() {
        assert!(has_status_code(b"550 5.7.1 rejected"));
        assert!(has_status_code(
            b"Remote Server returned '550 5.7.509 Access denied'"
        ));
        assert!(has_status_code(b"  host mx: 550-5.7.26 unauthenticated"));
        assert!(has_status_code(b"554 Transaction failed"));
        assert!(has_status_code(b"Status: 5.7.26"));
        assert!(!has_status_code(b"Received from 10.5.7.1 today"));
        assert!(!has_status_code(b"Version 2.10.1"));
        assert!(!has_status_code(b"5500 people"));
        assert!(!has_status_code(b"see 5.7.1x"));
    }

    #[test]
    fn delivery_status_fields_unfolded() {
        let body = b"Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; bob@example.org\r\nAction: failed\r\nStatus: 5.7.1\r\nDiagnostic-Code: smtp; 550 5.7.1 DKIM\r\n signature did not verify\r\n";
        let mut d = Diagnostics::default();
        from_delivery_status(body, &mut d);
        assert_eq!(
            d.into_vec(),
            vec![
                "Final-Recipient: rfc822; bob@example.org",
                "Action: failed",
                "Status: 5.7.1",
                "Diagnostic-Code: smtp; 550 5.7.1 DKIM signature did not verify",
            ]
        );
    }

    #[test]
    fn bounded_deduplicated_and_cut() {
        let mut d = Diagnostics::default();
        d.push("  550 5.7.1 a  ");
        d.push("550 5.7.1 a");
        let long = "x".repeat(1000);
        d.push(&long);
        for i in 0..20 {
            d.push(&format!("line {i}"));
        }
        let v = d.into_vec();
        assert_eq!(v.len(), MAX_DIAGNOSTICS);
        assert_eq!(v[0], "550 5.7.1 a");
        assert_eq!(v[1].chars().count(), MAX_CHARS);
    }
}
