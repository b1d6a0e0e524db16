//! Authentication-Results (RFC 8601): who checked the message on the way
//! and what each method concluded, read leniently (comments, folding,
//! RFC 7001/7601 forms).

/// One `method=result` statement of an Authentication-Results field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResult {
    pub authserv_id: String,
    pub method: String,
    pub result: String,
    pub reason: Option<String>,
    /// `ptype.property=value` pairs, e.g. ("header.d", "example.com").
    pub props: Vec<(String, String)>,
    /// The statement's comments, joined with "; ": the receiver's own words
    /// ("body hash did not verify", "p=REJECT sp=REJECT dis=NONE").
    pub comment: Option<String>,
    /// Index of the field among the message's header fields.
    pub field: usize,
}

/// What a Microsoft 365 `compauth` reason code means (Microsoft's
/// "Anti-spam message headers" page). The last two digits of most codes
/// are internal to Microsoft.
pub fn compauth_reason(code: &str) -> Option<String> {
    let code = code.trim();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let text = match code {
        "000" => {
            "explicit authentication failed: DMARC failed and the From domain's policy is quarantine or reject"
        }
        "001" => {
            "implicit authentication failed: the From domain publishes no authentication records, or only weak ones (SPF ~all or ?all, DMARC p=none), and Microsoft's own signals did not vouch for it"
        }
        "002" => {
            "the organization's policy forbids this sender and domain pair from sending spoofed mail"
        }
        "010" => {
            "DMARC failed with quarantine or reject, and the From domain is one of the organization's own accepted domains"
        }
        "130" => {
            "authentication passed because a trusted ARC sealer's result overrode the DMARC failure"
        }
        _ => match code.as_bytes()[0] {
            b'1' | b'7' => "authentication passed (explicitly or implicitly)",
            b'2' => "soft pass: implicit authentication passed weakly (compauth=softpass)",
            b'3' => "not checked for composite authentication (compauth=none)",
            b'4' | b'9' => {
                "composite authentication was bypassed (compauth=none), e.g. by an allow entry or complex routing"
            }
            b'6' => {
                "implicit authentication failed and the From domain is one of the organization's own accepted domains"
            }
            _ => return Some(format!("reason {code} is not documented by Microsoft")),
        },
    };
    Some(text.to_string())
}

/// Remove RFC 5322 comments (nested parentheses), keeping quoted strings.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The top-level comments of `s`, inner text trimmed, joined with "; ".
fn comments(s: &str) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    let mut cur = String::new();
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth > 0 {
                cur.push(c);
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' if depth == 0 => quoted = !quoted,
            '(' if !quoted => {
                if depth > 0 {
                    cur.push(c);
                }
                depth += 1;
            }
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let text = cur.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !text.is_empty() {
                        found.push(text);
                    }
                    cur.clear();
                } else {
                    cur.push(c);
                }
            }
            _ if depth > 0 => cur.push(c),
            _ => {}
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}

/// Splits at `;` outside quotes and comments, keeping the comments.
fn statements(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in s.chars() {
        if escaped {
            escaped = false;
        } else {
            match c {
                '\\' => escaped = true,
                '"' if depth == 0 => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted && depth > 0 => depth -= 1,
                _ => {}
            }
        }
        if c == ';' && depth == 0 && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == sep && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').to_string()
}

/// Parse one Authentication-Results value.
pub fn parse(value: &str, field: usize) -> Vec<AuthResult> {
    // Folding may use tabs: every white space separates tokens.
    let value = value.replace(['\t', '\r', '\n'], " ");
    let mut raw_parts = statements(&value);
    let head = strip_comments(raw_parts.first().map(String::as_str).unwrap_or_default());
    let first = head.split_whitespace().next().unwrap_or("");
    // Some receivers (Microsoft 365) write no authserv-id: the field starts
    // with a result.
    let authserv_id = if first.contains('=') {
        String::new()
    } else {
        raw_parts.remove(0);
        unquote(first)
    };
    let mut out = Vec::new();
    for raw_part in raw_parts {
        let comment = comments(&raw_part);
        let part = strip_comments(&raw_part);
        let tokens: Vec<String> = split_outside_quotes(part.trim(), ' ')
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .collect();
        // Re-join "a = b" into "a=b".
        let mut joined: Vec<String> = Vec::new();
        for t in tokens {
            let t = t.trim().to_string();
            match joined.last_mut() {
                Some(last) if last.ends_with('=') || t.starts_with('=') => last.push_str(&t),
                _ => joined.push(t),
            }
        }
        let Some((first, rest)) = joined.split_first() else {
            continue;
        };
        let Some((method, result)) = first.split_once('=') else {
            continue;
        };
        if method.eq_ignore_ascii_case("none") {
            continue;
        }
        let mut r = AuthResult {
            authserv_id: authserv_id.clone(),
            method: method
                .split('/')
                .next()
                .unwrap_or(method)
                .to_ascii_lowercase(),
            result: result.to_ascii_lowercase(),
            reason: None,
            props: Vec::new(),
            comment,
            field,
        };
        for t in rest {
            if let Some((k, v)) = t.split_once('=') {
                if k.eq_ignore_ascii_case("reason") {
                    r.reason = Some(unquote(v));
                } else {
                    r.props.push((k.to_ascii_lowercase(), unquote(v)));
                }
            }
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_real_world_forms() {
        let v = " mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=sel header.b=AbCd1234;\r\n       spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com";
        let r = parse(v, 3);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].authserv_id, "mx.google.com");
        assert_eq!(
            (r[0].method.as_str(), r[0].result.as_str()),
            ("dkim", "pass")
        );
        assert!(r[0].props.contains(&("header.b".into(), "AbCd1234".into())));
        assert_eq!(r[1].method, "spf");
        assert_eq!(r[2].result, "pass");
        let ms = parse(
            "spf.protection.outlook.com; dkim=fail (body hash did not verify)\r\n header.d=contoso.example;dmarc=fail action=quarantine header.from=contoso.example;compauth=fail reason=001",
            0,
        );
        assert_eq!(ms[0].result, "fail");
        assert_eq!(ms[2].method, "compauth");
        assert_eq!(ms[2].reason.as_deref(), Some("001"));
        assert!(parse("example.net; none", 0).is_empty());
        assert_eq!(ms[0].comment.as_deref(), Some("body hash did not verify"));
        assert_eq!(r[2].comment.as_deref(), Some("p=REJECT sp=REJECT dis=NONE"));
        assert_eq!(r[0].comment, None);
        // Tab folding separates properties; a quoted authserv-id is unquoted.
        let tab = parse(
            "\"mx.google.com\";\r\n\tdkim=pass header.d=a.example\r\n\theader.i=@a.example",
            0,
        );
        assert_eq!(tab[0].authserv_id, "mx.google.com");
        assert_eq!(
            tab[0].props,
            vec![
                ("header.d".to_string(), "a.example".to_string()),
                ("header.i".to_string(), "@a.example".to_string())
            ]
        );
        let no_id = parse(
            "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=contoso.example; dkim=permerror (no key for signature) header.d=contoso.example",
            0,
        );
        assert_eq!(no_id.len(), 2);
        assert_eq!(
            (no_id[0].authserv_id.as_str(), no_id[0].method.as_str()),
            ("", "spf")
        );
        assert_eq!(no_id[1].result, "permerror");
    }

    #[test]
    fn compauth_codes() {
        assert!(
            compauth_reason("000")
                .unwrap()
                .contains("quarantine or reject")
        );
        assert!(compauth_reason("001").unwrap().contains("implicit"));
        assert!(compauth_reason("105").unwrap().contains("passed"));
        assert!(compauth_reason("703").unwrap().contains("passed"));
        assert!(compauth_reason("201").unwrap().contains("soft"));
        assert!(compauth_reason("301").unwrap().contains("not checked"));
        assert!(compauth_reason("451").unwrap().contains("bypassed"));
        assert!(compauth_reason("905").unwrap().contains("bypassed"));
        assert!(compauth_reason("601").unwrap().contains("accepted domains"));
        assert!(compauth_reason("801").unwrap().contains("not documented"));
        assert!(compauth_reason("1").is_none() && compauth_reason("abc").is_none());
    }
}
