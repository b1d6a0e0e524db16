//! Authentication-Results (RFC 8601): who checked the message on the way
//! and what each method concluded, read leniently (comments anywhere,
//! folding, versions, RFC 7001/7601 forms, Microsoft's fields without an
//! authserv-id). What cannot be read is reported as the field's problems,
//! never skipped silently.

/// The method and result of `authserv-id; none`: the receiver checked
/// nothing (RFC 8601 §2.2).
pub const NONE: &str = "none";

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
    /// What could not be read in the field this statement came from (an
    /// unclosed comment, a statement that is not `method=result`, a word
    /// that is not `property=value`): the same list on every statement of
    /// one field.
    pub problems: Vec<String>,
}

impl AuthResult {
    /// `authserv-id; none`: this receiver says it checked nothing.
    pub fn checked_nothing(&self) -> bool {
        self.method == NONE && self.result == NONE
    }

    /// Stands for a field from which no statement could be read; its
    /// `problems` say why.
    pub fn unreadable(&self) -> bool {
        self.method.is_empty()
    }
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

/// Whether `s` ends inside a comment, and inside a quoted string.
fn unclosed(s: &str) -> (bool, bool) {
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in s.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' if depth == 0 => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ => {}
        }
    }
    (depth > 0, quoted)
}

/// The words of a statement with its comments removed, glued back where
/// RFC 8601 allows white space inside one: `dkim / 1 = fail` is
/// `dkim/1=fail`, `policy . expired = 1362471462` is
/// `policy.expired=1362471462` (Appendix B.7).
fn words(s: &str) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    let mut glue_next = false;
    for t in split_outside_quotes(s.trim(), ' ') {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        // After `a=`, a word that is itself `b=c` is the next pair, not
        // the missing value.
        let value_missing = joined.last().is_some_and(|l| l.ends_with('='));
        let glue = (glue_next && !(value_missing && t.contains('=')))
            || t.starts_with(['=', '/'])
            || t == ".";
        glue_next = t.ends_with(['=', '/']) || t == ".";
        match joined.last_mut() {
            Some(last) if glue => last.push_str(t),
            _ => joined.push(t.to_string()),
        }
    }
    joined
}

/// A word of the field, quoted for a problem line, cut when long.
fn shown(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{:?}…", &s[..at]),
        None => format!("{s:?}"),
    }
}

/// Parse one Authentication-Results value. A field from which no statement
/// can be read still gives one, [`AuthResult::unreadable`], carrying its
/// problems.
pub fn parse(value: &str, field: usize) -> Vec<AuthResult> {
    // Folding may use tabs: every white space separates tokens.
    let value = value.replace(['\t', '\r', '\n'], " ");
    let mut problems: Vec<String> = Vec::new();
    let (open_comment, open_quote) = unclosed(&value);
    if open_comment {
        problems.push(
            "a comment opened with '(' is never closed: the rest of the field was read as a comment"
                .into(),
        );
    }
    if open_quote {
        problems.push(
            "a quoted string is never closed: the rest of the field was read as one value".into(),
        );
    }
    let mut raw_parts = statements(&value);
    let head = words(&strip_comments(
        raw_parts.first().map(String::as_str).unwrap_or_default(),
    ));
    // Some receivers (Microsoft 365) write no authserv-id: the field starts
    // with a result.
    let authserv_id = if head.first().is_some_and(|w| w.contains('=')) {
        String::new()
    } else {
        raw_parts.remove(0);
        let mut head = head.into_iter();
        let id = head.next().map(|w| unquote(&w)).unwrap_or_default();
        let rest: Vec<String> = head.collect();
        match rest.as_slice() {
            [] => {}
            // The authres-version.
            [v] if v.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => problems.push(format!(
                "{} after the authserv-id is not a version number: ignored",
                shown(&rest.join(" "))
            )),
        }
        if id.is_empty() && !value.trim().is_empty() {
            problems.push("no authserv-id before the first ';'".into());
        }
        id
    };
    let mut out = Vec::new();
    for raw_part in raw_parts {
        let comment = comments(&raw_part);
        let joined = words(&strip_comments(&raw_part));
        // An empty statement: a trailing or doubled ';'.
        let Some((first, rest)) = joined.split_first() else {
            continue;
        };
        let (method, result) = match first.split_once('=') {
            None if first.eq_ignore_ascii_case(NONE) && rest.is_empty() => (NONE, NONE),
            // Exchange Online, in a field without an authserv-id, names the
            // receiving domain as a statement of its own
            // (`... smtp.mailfrom=a.example; contoso.com; dkim=...`).
            None if authserv_id.is_empty() && rest.is_empty() && first.contains('.') => continue,
            None => {
                problems.push(format!(
                    "{} is not method=result: not read",
                    shown(&joined.join(" "))
                ));
                continue;
            }
            Some((m, "")) => {
                problems.push(format!(
                    "{} has no result: not read",
                    shown(&format!("{m}="))
                ));
                continue;
            }
            Some(pair) => pair,
        };
        let mut r = AuthResult {
            authserv_id: authserv_id.clone(),
            // `dkim/1`: the method's version is not kept.
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
            problems: Vec::new(),
        };
        for t in rest {
            match t.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("reason") => r.reason = Some(unquote(v)),
                Some((k, v)) => r.props.push((k.to_ascii_lowercase(), unquote(v))),
                None => problems.push(format!(
                    "{} in the {} statement is not property=value: ignored",
                    shown(t),
                    r.method
                )),
            }
        }
        out.push(r);
    }
    if out.is_empty() {
        if problems.is_empty() {
            problems.push(if value.trim().is_empty() {
                "the field is empty".to_string()
            } else {
                "no result after the authserv-id (a receiver that checked nothing writes `none`)"
                    .to_string()
            });
        }
        out.push(AuthResult {
            authserv_id,
            method: String::new(),
            result: String::new(),
            reason: None,
            props: Vec::new(),
            comment: comments(&value),
            field,
            problems: Vec::new(),
        });
    }
    for r in &mut out {
        r.problems = problems.clone();
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
            "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=contoso.example; contoso.example; dkim=permerror (no key for signature) header.d=contoso.example",
            0,
        );
        assert_eq!(no_id.len(), 2);
        // The receiving domain Exchange Online names between statements is
        // its form, not a problem.
        assert!(no_id[0].problems.is_empty());
        assert_eq!(
            (no_id[0].authserv_id.as_str(), no_id[0].method.as_str()),
            ("", "spf")
        );
        assert_eq!(no_id[1].result, "permerror");
    }

    /// A statement as (authserv-id, method, result, reason, properties),
    /// for comparing with RFC 8601's examples.
    type Read = (
        String,
        String,
        String,
        Option<String>,
        Vec<(String, String)>,
    );

    fn read(v: &str) -> Vec<Read> {
        parse(v, 0)
            .into_iter()
            .map(|r| {
                assert!(r.problems.is_empty(), "{v}: {:?}", r.problems);
                (r.authserv_id, r.method, r.result, r.reason, r.props)
            })
            .collect()
    }

    fn st(
        id: &str,
        method: &str,
        result: &str,
        reason: Option<&str>,
        props: &[(&str, &str)],
    ) -> Read {
        (
            id.into(),
            method.into(),
            result.into(),
            reason.map(String::from),
            props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn rfc_8601_appendix_b() {
        // B.2: service provided, no authentication done.
        let b2 = parse("example.org 1; none", 0);
        assert_eq!(
            read("example.org 1; none"),
            vec![st("example.org", "none", "none", None, &[])]
        );
        assert!(b2[0].checked_nothing() && !b2[0].unreadable());
        // B.3.
        assert_eq!(
            read("example.com;\r\n          spf=pass smtp.mailfrom=example.net"),
            vec![st(
                "example.com",
                "spf",
                "pass",
                None,
                &[("smtp.mailfrom", "example.net")]
            )]
        );
        // B.4: two fields from one MTA.
        assert_eq!(
            read(
                "example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n          spf=pass smtp.mailfrom=example.net"
            ),
            vec![
                st(
                    "example.com",
                    "auth",
                    "pass",
                    None,
                    &[("smtp.auth", "sender@example.net")]
                ),
                st(
                    "example.com",
                    "spf",
                    "pass",
                    None,
                    &[("smtp.mailfrom", "example.net")]
                ),
            ]
        );
        assert_eq!(
            read("example.com; iprev=pass\r\n          policy.iprev=192.0.2.200"),
            vec![st(
                "example.com",
                "iprev",
                "pass",
                None,
                &[("policy.iprev", "192.0.2.200")]
            )]
        );
        // B.5: two MTAs.
        let b5 = parse(
            "example.com;\r\n          dkim=pass (good signature) header.d=example.com",
            0,
        );
        assert_eq!(b5[0].comment.as_deref(), Some("good signature"));
        assert_eq!(
            read("example.com;\r\n          dkim=pass (good signature) header.d=example.com"),
            vec![st(
                "example.com",
                "dkim",
                "pass",
                None,
                &[("header.d", "example.com")]
            )]
        );
        assert_eq!(
            read(
                "example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n          spf=fail smtp.mailfrom=example.com"
            ),
            vec![
                st(
                    "example.com",
                    "auth",
                    "pass",
                    None,
                    &[("smtp.auth", "sender@example.com")]
                ),
                st(
                    "example.com",
                    "spf",
                    "fail",
                    None,
                    &[("smtp.mailfrom", "example.com")]
                ),
            ]
        );
        // B.6: multi-tiered, with quoted reasons.
        assert_eq!(
            read(
                "example.com;\r\n      dkim=pass reason=\"good signature\"\r\n        header.i=@mail-router.example.net;\r\n      dkim=fail reason=\"bad signature\"\r\n        header.i=@newyork.example.com"
            ),
            vec![
                st(
                    "example.com",
                    "dkim",
                    "pass",
                    Some("good signature"),
                    &[("header.i", "@mail-router.example.net")]
                ),
                st(
                    "example.com",
                    "dkim",
                    "fail",
                    Some("bad signature"),
                    &[("header.i", "@newyork.example.com")]
                ),
            ]
        );
        assert_eq!(
            read("example.net;\r\n      dkim=pass (good signature) header.i=@newyork.example.com"),
            vec![st(
                "example.net",
                "dkim",
                "pass",
                None,
                &[("header.i", "@newyork.example.com")]
            )]
        );
        // B.7: comments between every token, a version on the id and on
        // the method.
        let heavy = "foo.example.net (foobar) 1 (baz);\r\n    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n      policy (A dot can go here) . (like that) expired\r\n      (this surprised me) = (as I wasn't expecting it) 1362471462";
        assert_eq!(
            read(heavy),
            vec![st(
                "foo.example.net",
                "dkim",
                "fail",
                None,
                &[("policy.expired", "1362471462")]
            )]
        );
        assert_eq!(
            parse(heavy, 0)[0].comment.as_deref(),
            Some(
                "Because I like it; One yay; wait for it; A dot can go here; like that; this surprised me; as I wasn't expecting it"
            )
        );
    }

    #[test]
    fn problems_are_reported_not_skipped() {
        let p = |v: &str| parse(v, 0);
        // A statement that is not method=result, beside a readable one:
        // every statement of the field carries the field's problems.
        let r = p("mx.example.net; dkim pass; spf=pass smtp.mailfrom=a.example");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].method, "spf");
        assert_eq!(
            r[0].problems,
            vec!["\"dkim pass\" is not method=result: not read"]
        );
        let r =
            p("mx.example.net; dkim= header.d=a.example; spf=pass bogus smtp.mailfrom=a.example");
        assert_eq!(
            r[0].problems,
            vec![
                "\"dkim=\" has no result: not read",
                "\"bogus\" in the spf statement is not property=value: ignored"
            ]
        );
        assert_eq!(
            r[0].props,
            vec![("smtp.mailfrom".into(), "a.example".into())]
        );
        // Yahoo's `from=` beside the authserv-id.
        let r = p("mta1.mail.example.com  from=example.org; dkim=pass (ok)");
        assert_eq!(r[0].authserv_id, "mta1.mail.example.com");
        assert_eq!(
            r[0].problems,
            vec!["\"from=example.org\" after the authserv-id is not a version number: ignored"]
        );
        // An unclosed comment swallows the rest, and says so.
        let r = p("mx.example.net; dkim=pass (good; spf=pass");
        assert_eq!(r.len(), 1);
        assert!(r[0].problems[0].starts_with("a comment opened with '(' is never closed"));
        let r = p("mx.example.net; dkim=pass header.b=\"abc");
        assert!(r[0].problems[0].starts_with("a quoted string is never closed"));
        // Nothing readable at all: one placeholder with the reasons.
        for (v, why) in [
            ("mx.example.net", "no result after the authserv-id"),
            ("mx.example.net;", "no result after the authserv-id"),
            ("", "the field is empty"),
            ("; dkim", "no authserv-id before the first ';'"),
        ] {
            let r = p(v);
            assert_eq!(r.len(), 1, "{v:?}");
            assert!(r[0].unreadable(), "{v:?}");
            assert!(
                r[0].problems.iter().any(|x| x.starts_with(why)),
                "{v:?}: {:?}",
                r[0].problems
            );
        }
        // A long word is cut in the problem line.
        let long = format!("mx.example.net; {}", "x".repeat(500));
        assert!(p(&long)[0].problems[0].len() < 120);
        // Well-formed fields have none.
        assert!(
            p("mx.example.net; dkim=pass header.d=a.example;")
                .iter()
                .all(|r| r.problems.is_empty())
        );
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
