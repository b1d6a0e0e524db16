//! The zone-file grammar behind `--keys`: RFC 1035 master-file syntax as BIND
//! writes it and `dig` prints it.
//!
//! Kept apart from the resolution logic so each stays small. The parser is
//! lenient by design: a line it cannot make sense of becomes a
//! `FILE:LINE: reason` warning and the rest of the file is still read.

/// One thing the parser found: a record, or a warning about a skipped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    Record(Record),
    Warning(String),
    /// `$RECORDED TIME`: when the file's answers were recorded (Unix seconds).
    Recorded(u64),
    /// `$DNSSEC STATUS NAME`: the DNSSEC status the lookup of NAME had.
    Dnssec(String, crate::dns::Dnssec),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    /// Line where the record starts (1-based).
    pub line: usize,
    /// Owner name, lower-case, without a trailing dot.
    pub owner: String,
    pub ttl: Option<u32>,
    pub data: Data,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Data {
    Txt(Vec<Vec<u8>>),
    Cname(String),
    Soa {
        mname: String,
        rname: String,
        timers: [String; 5],
    },
    /// `$NXDOMAIN NAME`: the name does not exist.
    Absent,
    /// `$NODATA NAME`: the name exists without TXT records.
    Empty,
    /// Any other type: only makes the name exist.
    Other,
}

/// One token of a logical line.
#[derive(Debug, Clone)]
struct Token {
    bytes: Vec<u8>,
    quoted: bool,
    /// Began with a literal `$` (not an escaped one): a directive's name.
    dollar: bool,
}

impl Token {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// A logical line: one physical line, or several joined by parentheses.
#[derive(Debug)]
struct Logical {
    line: usize,
    /// The line began with blank space: the owner is the previous one.
    blank_owner: bool,
    tokens: Vec<Token>,
    error: Option<String>,
}

/// Splits the text into logical lines, handling quotes, escapes, comments
/// and parentheses.
fn tokenize(text: &str) -> Vec<Logical> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line = 1usize;
    let mut i = 0usize;
    let mut depth = 0usize;
    let mut current: Option<Logical> = None;
    let mut at_line_start = true;

    while i < bytes.len() {
        let c = bytes[i];
        if at_line_start {
            at_line_start = false;
            if depth == 0 {
                current = Some(Logical {
                    line,
                    blank_owner: c == b' ' || c == b'\t',
                    tokens: Vec::new(),
                    error: None,
                });
            }
        }
        let Some(cur) = current.as_mut() else {
            i += 1;
            continue;
        };
        match c {
            b'\n' => {
                line += 1;
                i += 1;
                at_line_start = true;
                if depth == 0
                    && let Some(done) = current.take()
                {
                    out.push(done);
                }
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b';' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                if depth == 0 {
                    cur.error.get_or_insert_with(|| "unbalanced ')'".into());
                } else {
                    depth -= 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                let mut buf = Vec::new();
                let mut closed = false;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => {
                            closed = true;
                            i += 1;
                            break;
                        }
                        b'\n' => break,
                        b'\\' => i = unescape(bytes, i, &mut buf, &mut cur.error),
                        b => {
                            buf.push(b);
                            i += 1;
                        }
                    }
                }
                if !closed {
                    cur.error
                        .get_or_insert_with(|| "unterminated quoted string".into());
                }
                cur.tokens.push(Token {
                    bytes: buf,
                    quoted: true,
                    dollar: false,
                });
            }
            _ => {
                let dollar = c == b'$';
                let mut buf = Vec::new();
                // Inside a word, '(' is literal and ')' closes a group only
                // when one is open: dig prints such names unescaped.
                while i < bytes.len() {
                    match bytes[i] {
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'"' => break,
                        b')' if depth > 0 => break,
                        b'\\' => i = unescape(bytes, i, &mut buf, &mut cur.error),
                        b => {
                            buf.push(b);
                            i += 1;
                        }
                    }
                }
                cur.tokens.push(Token {
                    bytes: buf,
                    quoted: false,
                    dollar,
                });
            }
        }
    }
    if let Some(mut done) = current.take() {
        if depth > 0 {
            done.error
                .get_or_insert_with(|| "'(' never closed before end of file".into());
        }
        out.push(done);
    }
    out.retain(|l| !l.tokens.is_empty() || l.error.is_some());
    out
}

/// Decodes the escape starting at `bytes[i] == b'\\'`; returns the index
/// after it.
fn unescape(bytes: &[u8], i: usize, buf: &mut Vec<u8>, error: &mut Option<String>) -> usize {
    let rest = &bytes[i + 1..];
    if rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit) {
        let value = rest[..3]
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        match u8::try_from(value) {
            Ok(b) => buf.push(b),
            Err(_) => {
                error.get_or_insert_with(|| format!("escape \\{value} is larger than 255"));
            }
        }
        return i + 4;
    }
    match rest.first() {
        Some(b'\n') | None => {
            error.get_or_insert_with(|| "backslash at end of line".into());
            i + 1
        }
        Some(&b) => {
            buf.push(b);
            i + 2
        }
    }
}

/// Parses a TTL: plain seconds, or BIND units such as `1h30m`, `2d`, `1w`.
fn parse_ttl(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    let mut total: u64 = 0;
    let mut num: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            num = Some(
                num.unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(u64::from(d))?,
            );
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(num.take()?.checked_mul(unit)?)?;
    }
    if let Some(n) = num {
        total = total.checked_add(n)?;
    }
    u32::try_from(total).ok()
}

fn is_class(s: &str) -> bool {
    ["IN", "CH", "CS", "HS", "NONE", "ANY"]
        .iter()
        .any(|c| c.eq_ignore_ascii_case(s))
}

fn is_type_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Completes a name against `$ORIGIN`, lower-cases it and drops the
/// trailing dot. `None` for `@` without an origin.
fn complete(name: &str, origin: Option<&str>) -> Option<String> {
    if name == "@" {
        return origin.map(str::to_string);
    }
    let lower = name.to_ascii_lowercase();
    if let Some(abs) = lower.strip_suffix('.') {
        return Some(abs.to_string());
    }
    Some(match origin {
        Some("") => lower,
        Some(o) => format!("{lower}.{o}"),
        // No $ORIGIN: a relative name is taken as written.
        None => lower,
    })
}

/// Parser state carried from line to line.
#[derive(Default)]
struct State {
    origin: Option<String>,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_owner: Option<String>,
}

/// Parses one file's text into records and warnings, in file order.
pub(super) fn parse(path: &str, text: &str) -> Vec<Item> {
    let mut state = State::default();
    let mut out = Vec::new();
    for logical in tokenize(text) {
        let line = logical.line;
        match parse_logical(&mut state, logical) {
            Ok(Some(item)) => out.push(item),
            Ok(None) => {}
            Err(reason) => out.push(Item::Warning(format!("{path}:{line}: {reason}"))),
        }
    }
    out
}

fn parse_logical(state: &mut State, logical: Logical) -> Result<Option<Item>, String> {
    if let Some(e) = logical.error {
        return Err(e);
    }
    let mut tokens = logical.tokens.into_iter().peekable();

    // Directives.
    if !logical.blank_owner
        && let Some(first) = tokens.peek().filter(|t| t.dollar)
    {
        let word = first.text();
        tokens.next();
        let args: Vec<Token> = tokens.collect();
        return directive(state, &word, &args, logical.line);
    }

    let owner = if logical.blank_owner {
        state
            .last_owner
            .clone()
            .ok_or("blank owner field but no previous owner")?
    } else {
        let tok = tokens.next().ok_or("empty record")?;
        if tok.quoted {
            return Err(format!("owner name \"{}\" must not be quoted", tok.text()));
        }
        complete(&tok.text(), state.origin.as_deref()).ok_or("'@' used with no $ORIGIN")?
    };

    let mut ttl: Option<u32> = None;
    let mut class_seen = false;
    let rtype = loop {
        let tok = tokens.next().ok_or("record has no type")?;
        let word = tok.text();
        if tok.quoted {
            return Err(format!("expected a record type, found \"{word}\""));
        }
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            if ttl.is_some() {
                return Err(format!("unexpected '{word}' after the TTL"));
            }
            ttl = Some(parse_ttl(&word).ok_or_else(|| format!("bad TTL '{word}'"))?);
        } else if is_class(&word) {
            if class_seen {
                return Err(format!("unexpected '{word}' after the class"));
            }
            if !word.eq_ignore_ascii_case("IN") {
                return Err(format!("class {word} is not supported (only IN)"));
            }
            class_seen = true;
        } else if is_type_name(&word) {
            break word.to_ascii_uppercase();
        } else {
            return Err(format!("expected a record type, found '{word}'"));
        }
    };
    let rdata: Vec<Token> = tokens.collect();

    let data = match rtype.as_str() {
        "TXT" => {
            if rdata.is_empty() {
                return Err("TXT record without data".into());
            }
            Data::Txt(rdata.into_iter().map(|t| t.bytes).collect())
        }
        "CNAME" => {
            let [target] = rdata.as_slice() else {
                return Err(format!(
                    "CNAME needs exactly one target name, found {} fields",
                    rdata.len()
                ));
            };
            if target.quoted {
                return Err("CNAME target must not be quoted".into());
            }
            let name = complete(&target.text(), state.origin.as_deref())
                .ok_or("'@' used with no $ORIGIN")?;
            Data::Cname(name)
        }
        "SOA" => {
            let [mname, rname, timers @ ..] = rdata.as_slice() else {
                return Err(soa_count(rdata.len()));
            };
            let timers: [String; 5] = timers
                .iter()
                .map(Token::text)
                .collect::<Vec<_>>()
                .try_into()
                .map_err(|_| soa_count(rdata.len()))?;
            let origin = state.origin.as_deref();
            Data::Soa {
                mname: complete(&mname.text(), origin).unwrap_or_default(),
                rname: complete(&rname.text(), origin).unwrap_or_default(),
                timers,
            }
        }
        _ => Data::Other,
    };

    if ttl.is_some() {
        state.last_ttl = ttl;
    }
    let ttl = ttl.or(state.default_ttl).or(state.last_ttl);
    state.last_owner = Some(owner.clone());
    Ok(Some(Item::Record(Record {
        line: logical.line,
        owner,
        ttl,
        data,
    })))
}

fn soa_count(found: usize) -> String {
    format!("SOA needs 7 fields (mname rname serial refresh retry expire minimum), found {found}")
}

/// A directive line. `$ORIGIN` and `$TTL` as RFC 1035 has them; three of
/// dkimscope's own, which `--record` writes so that a replay gives the
/// same answers: `$NXDOMAIN NAME` and `$NODATA NAME` (a negative answer,
/// said outright rather than implied by an SOA, which would make the file
/// answer for every other name of the zone too), `$RECORDED TIME`, and
/// `$DNSSEC STATUS NAME` (the lookup of NAME was `secure`, `insecure`,
/// `bogus` or `unknown`; it makes no name exist).
fn directive(
    state: &mut State,
    word: &str,
    args: &[Token],
    line: usize,
) -> Result<Option<Item>, String> {
    let upper = word.to_ascii_uppercase();
    if let Some(data) = match upper.as_str() {
        "$NXDOMAIN" => Some(Data::Absent),
        "$NODATA" => Some(Data::Empty),
        _ => None,
    } {
        let [name] = args else {
            return Err(format!("{upper} needs exactly one name"));
        };
        let owner =
            complete(&name.text(), state.origin.as_deref()).ok_or("'@' used with no $ORIGIN")?;
        return Ok(Some(Item::Record(Record {
            line,
            owner,
            ttl: None,
            data,
        })));
    }
    if upper == "$RECORDED" {
        let text: Vec<String> = args.iter().map(Token::text).collect();
        let time =
            crate::time::parse_time(&text.join(" ")).map_err(|e| format!("$RECORDED: {e}"))?;
        return Ok(Some(Item::Recorded(time)));
    }
    if upper == "$DNSSEC" {
        let [status, name] = args else {
            return Err("$DNSSEC needs a status and a name".into());
        };
        let word = status.text();
        let status = crate::dns::Dnssec::parse(&word).ok_or_else(|| {
            format!("$DNSSEC: unknown status '{word}' (secure, insecure, bogus or unknown)")
        })?;
        let owner =
            complete(&name.text(), state.origin.as_deref()).ok_or("'@' used with no $ORIGIN")?;
        return Ok(Some(Item::Dnssec(owner, status)));
    }
    directive_rfc(state, &upper, args).map(|()| None)
}

fn directive_rfc(state: &mut State, word: &str, args: &[Token]) -> Result<(), String> {
    match word {
        "$ORIGIN" => {
            let [name] = args else {
                return Err("$ORIGIN needs exactly one name".into());
            };
            let text = name.text();
            if text == "@" {
                return Err("$ORIGIN cannot be '@'".into());
            }
            state.origin = complete(&text, state.origin.as_deref());
            Ok(())
        }
        "$TTL" => {
            let [value] = args else {
                return Err("$TTL needs exactly one value".into());
            };
            let text = value.text();
            state.default_ttl = Some(parse_ttl(&text).ok_or_else(|| format!("bad $TTL '{text}'"))?);
            Ok(())
        }
        "$INCLUDE" => Err("$INCLUDE is not supported; pass the file with another --keys".into()),
        other => Err(format!("unknown directive {other}")),
    }
}
