//! The Received chain (RFC 5321 §4.4, RFC 5322 §3.6.7): every hop's from,
//! by, via, with, id and for clauses and its date, ordered from the first
//! hop (the bottom field) to the last, with the delay between hops. Clocks
//! that run backwards and dates nobody can read are flagged, not hidden:
//! they are often the first sign of a relay rewriting a message.

use crate::message::Message;

/// At most this many Received fields are read per message.
pub const MAX_HOPS: usize = 256;

/// One Received field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hop {
    /// Index of the field among the message's header fields.
    pub field: usize,
    pub from: Option<String>,
    pub by: Option<String>,
    pub via: Option<String>,
    pub with: Option<String>,
    pub id: Option<String>,
    pub for_: Option<String>,
    /// The date text after the last `;`, unfolded (white space runs, line
    /// ends included, made one space).
    pub date_text: Option<String>,
    /// The date as Unix seconds, when it could be read (fractional seconds
    /// cut).
    pub time: Option<i64>,
    /// The same date in milliseconds, fractional seconds kept: delays are
    /// measured on it and rounded to the second.
    pub time_ms: Option<i64>,
    /// Why the date could not be read, or what was guessed to read it.
    pub date_note: Option<String>,
    /// A field with no `from` or `by` clause (qmail's "(qmail 1234 invoked
    /// from network)"): its text, unfolded, instead of nothing.
    pub comment: Option<String>,
    /// Seconds since the previous hop (both dates read), rounded.
    pub delay: Option<i64>,
    /// This hop's clock says it received the message before the previous hop did.
    pub skew: bool,
}

/// The chain at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub hops: usize,
    /// Seconds from the first readable date to the last.
    pub total: Option<i64>,
    /// Hops whose clock runs behind the hop before them.
    pub skewed: usize,
    /// Hops whose date could not be read.
    pub unparsed: usize,
}

/// Every Received field of `msg`, first hop first, with delays.
pub fn chain(msg: &Message) -> (Vec<Hop>, Summary) {
    let mut hops: Vec<Hop> = msg
        .fields("Received")
        .take(MAX_HOPS)
        .map(|(i, h)| parse(&String::from_utf8_lossy(msg.value_bytes(h)), i))
        .collect();
    hops.reverse();
    let mut prev: Option<i64> = None;
    for hop in &mut hops {
        if let (Some(p), Some(t)) = (prev, hop.time_ms) {
            let d = seconds(t - p);
            hop.delay = Some(d);
            hop.skew = d < 0;
        }
        if hop.time_ms.is_some() {
            prev = hop.time_ms;
        }
    }
    let times: Vec<i64> = hops.iter().filter_map(|h| h.time_ms).collect();
    let summary = Summary {
        hops: hops.len(),
        total: match (times.first(), times.last()) {
            (Some(a), Some(b)) if times.len() > 1 => Some(seconds(b - a)),
            _ => None,
        },
        skewed: hops.iter().filter(|h| h.skew).count(),
        unparsed: hops.iter().filter(|h| h.time.is_none()).count(),
    };
    (hops, summary)
}

/// Milliseconds as whole seconds, rounded (half a second up): 0.9 s is
/// 1 s, not 0.
fn seconds(ms: i64) -> i64 {
    (ms + 500).div_euclid(1000)
}

/// Byte offset of the last `;` outside comments, if any.
fn last_semicolon(value: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut last = None;
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    last
}

/// Words and whole comments, in order. Words are cut from `s` whole; only
/// comments are rebuilt (their inner whitespace runs become one space).
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    let mut comment = String::new();
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if depth == 0 {
            match c {
                '(' => {
                    if let Some(start) = word.take() {
                        out.push(s[start..i].to_string());
                    }
                    depth = 1;
                    comment.push('(');
                }
                c if c.is_whitespace() => {
                    if let Some(start) = word.take() {
                        out.push(s[start..i].to_string());
                    }
                }
                _ => {
                    word.get_or_insert(i);
                }
            }
            continue;
        }
        match c {
            '(' => {
                depth += 1;
                comment.push(c);
            }
            ')' => {
                comment.push(c);
                depth -= 1;
                if depth == 0 {
                    out.push(std::mem::take(&mut comment));
                }
            }
            c if c.is_whitespace() => {
                if !comment.ends_with(' ') {
                    comment.push(' ');
                }
            }
            _ => comment.push(c),
        }
    }
    if let Some(start) = word {
        out.push(s[start..].to_string());
    } else if !comment.is_empty() {
        out.push(comment);
    }
    out
}

/// Parse one Received value.
pub fn parse(value: &str, field: usize) -> Hop {
    let mut hop = Hop {
        field,
        ..Hop::default()
    };
    let mut no_semicolon = false;
    let (clauses, date) = match last_semicolon(value) {
        Some(i) => (&value[..i], Some(value[i + 1..].trim())),
        // SendGrid and some relays write no ';' before the date: it would
        // end up glued to the `id`.
        None => match trailing_date(value) {
            Some(i) => {
                no_semicolon = true;
                (&value[..i], Some(value[i..].trim()))
            }
            None => (value, None),
        },
    };
    let mut parts: Vec<(&'static str, Vec<String>)> = Vec::new();
    for t in tokens(clauses) {
        let kw = ["from", "by", "via", "with", "id", "for"]
            .into_iter()
            .find(|k| t.eq_ignore_ascii_case(k));
        // A keyword opens a clause once; a second `for` or `with` is a
        // word of the clause already open (`with ESMTPS for ...` in comments
        // is already inside one token).
        match kw {
            Some(k) if !parts.iter().any(|(n, _)| *n == k) => parts.push((k, Vec::new())),
            _ => {
                if let Some((_, words)) = parts.last_mut() {
                    words.push(t);
                }
            }
        }
    }
    for (k, words) in parts {
        let text = words.join(" ");
        let text = (!text.is_empty()).then_some(text);
        match k {
            "from" => hop.from = text,
            "by" => hop.by = text,
            "via" => hop.via = text,
            "with" => hop.with = text,
            "id" => hop.id = text,
            _ => hop.for_ = text,
        }
    }
    if hop.from.is_none() && hop.by.is_none() {
        let text = clauses.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = text.trim_start_matches('(').trim_end_matches(')').trim();
        if !text.is_empty() {
            hop.comment = Some(text.to_string());
        }
    }
    match date {
        None | Some("") => hop.date_note = Some("no date after a ';'".into()),
        Some(d) => {
            hop.date_text = Some(d.split_whitespace().collect::<Vec<_>>().join(" "));
            match parse_date_ms(d) {
                Ok((ms, note)) => {
                    hop.time = Some(ms.div_euclid(1000));
                    hop.time_ms = Some(ms);
                    hop.date_note = note;
                    if no_semicolon {
                        let n = "no ';' before the date".to_string();
                        hop.date_note = Some(match hop.date_note.take() {
                            Some(other) => format!("{n}; {other}"),
                            None => n,
                        });
                    }
                }
                Err(e) => hop.date_note = Some(e),
            }
        }
    }
    hop
}

/// Where a date starts in a Received value that has no `;`: the first word
/// (a weekday, or a day number before a month) from which the rest reads as
/// a date.
fn trailing_date(value: &str) -> Option<usize> {
    let starts = value
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || value[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| i);
    for i in starts.skip(1) {
        let rest = &value[i..];
        let word = rest.split_whitespace().next().unwrap_or_default();
        let word = word.trim_end_matches(',');
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .any(|d| word.eq_ignore_ascii_case(d));
        let day_month = word.len() <= 2
            && word.chars().all(|c| c.is_ascii_digit())
            && rest
                .split_whitespace()
                .nth(1)
                .is_some_and(|m| month(m).is_some());
        if (weekday || day_month) && parse_date(rest).is_ok() {
            return Some(i);
        }
    }
    None
}

/// The IP address literals of a `from` or `by` clause (`[192.0.2.1]`,
/// `(2001:db8::1)`, `[IPv6:2001:db8::1]`), in order: the connecting IP is
/// what helpdesks look for.
pub fn ips(clause: &str) -> Vec<String> {
    clause
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ','))
        .map(|w| {
            let w = w.strip_prefix("IPv6:").unwrap_or(w);
            w.trim_end_matches('.')
        })
        .filter(|w| w.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_string)
        .fold(Vec::new(), |mut acc, ip| {
            if !acc.contains(&ip) {
                acc.push(ip);
            }
            acc
        })
}

/// The IP addresses of a `by` clause other than its host word (which
/// already shows when the host is written as an address).
pub fn by_ips(clause: &str) -> Vec<String> {
    let name = host(clause).trim_matches(['[', ']']);
    let name = name.strip_prefix("IPv6:").unwrap_or(name);
    ips(clause).into_iter().filter(|ip| ip != name).collect()
}

/// The first word of a `by` clause: the receiving host.
pub fn host(clause: &str) -> &str {
    clause.split_whitespace().next().unwrap_or("")
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let w = w.get(..3)?;
    MONTHS.iter().position(|m| *m == w).map(|i| i as u32 + 1)
}

/// Zone offset in seconds east of UTC, and a note when the zone was
/// obsolete or unknown.
fn zone(word: &str) -> Option<(i64, Option<String>)> {
    let w = word.trim_matches(|c| c == '(' || c == ')');
    let upper = w.to_ascii_uppercase();
    let obs = |h: i64| Some((h * 3600, None));
    match upper.as_str() {
        "UT" | "UTC" | "GMT" | "Z" => return obs(0),
        "EST" => return obs(-5),
        "EDT" => return obs(-4),
        "CST" => return obs(-6),
        "CDT" => return obs(-5),
        "MST" => return obs(-7),
        "MDT" => return obs(-6),
        "PST" => return obs(-8),
        "PDT" => return obs(-7),
        _ => {}
    }
    // RFC 5322 §4.3: military zones are unreliable; read as -0000.
    if upper.len() == 1 && upper.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Some((
            0,
            Some(format!(
                "military zone {w} read as UTC (RFC 5322 §4.3: its meaning is unreliable)"
            )),
        ));
    }
    let rest = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .unwrap_or(&upper);
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits[2..].parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    Some((sign * (h * 3600 + m * 60), None))
}

/// `hh:mm[:ss[.fff]]` as hours, minutes, seconds and milliseconds.
fn clock(word: &str) -> Option<(i64, i64, i64, i64)> {
    let mut it = word.split(':');
    let h = it.next()?.parse::<i64>().ok()?;
    let m = it.next()?.parse::<i64>().ok()?;
    let (s, ms) = match it.next() {
        // Fractional seconds: a broken but common form (SendGrid, Go
        // programs); kept to the millisecond.
        Some(s) => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
            if !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let digits: String = frac.chars().chain("000".chars()).take(3).collect();
            (whole.parse::<i64>().ok()?, digits.parse::<i64>().ok()?)
        }
        None => (0, 0),
    };
    if it.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((h, m, s, ms))
}

/// Read an RFC 5322 date-time, obsolete forms and common broken ones
/// included (no weekday, two-digit years, no seconds, `asctime` order,
/// `+01:00`, a missing zone). Returns Unix seconds and a note on anything
/// guessed.
pub fn parse_date(text: &str) -> Result<(i64, Option<String>), String> {
    parse_date_ms(text).map(|(ms, note)| (ms.div_euclid(1000), note))
}

/// [`parse_date`] in milliseconds, fractional seconds kept.
pub fn parse_date_ms(text: &str) -> Result<(i64, Option<String>), String> {
    let bad = |why: &str| Err(format!("unreadable date {text:?}: {why}"));
    let cleaned = text.replace(',', " ");
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !w.starts_with('('))
        .collect();
    let mut words: &[&str] = &words;
    // An optional weekday.
    if let Some(first) = words.first()
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && month(first).is_none()
        && first.len() >= 3
    {
        words = &words[1..];
    }
    let mut notes: Vec<String> = Vec::new();
    // day month year time zone, or asctime's month day time year.
    let (day, mon, year, time, zone_word) = match words {
        [d, m, y, t, rest @ ..] if month(m).is_some() => (*d, *m, *y, *t, rest.first().copied()),
        [m, d, t, y, rest @ ..] if month(m).is_some() && t.contains(':') => {
            notes.push("asctime order (month day time year)".into());
            (*d, *m, *y, *t, rest.first().copied())
        }
        _ => return bad("expected day, month, year, time and zone"),
    };
    let Ok(day) = day.parse::<u32>() else {
        return bad("the day is not a number");
    };
    let Some(mon) = month(mon) else {
        return bad("unknown month");
    };
    let Ok(mut y) = year.parse::<i64>() else {
        return bad("the year is not a number");
    };
    if year.len() == 2 {
        y += if y < 50 { 2000 } else { 1900 };
        notes.push(format!("two-digit year {year} read as {y}"));
    } else if year.len() == 3 {
        y += 1900;
        notes.push(format!("three-digit year {year} read as {y}"));
    }
    if !(1..=31).contains(&day) || !(1900..=9999).contains(&y) {
        return bad("day or year out of range");
    }
    let Some((h, mi, s, ms)) = clock(time) else {
        return bad("the time is not hh:mm[:ss]");
    };
    let offset = match zone_word.map(zone) {
        Some(Some((off, note))) => {
            notes.extend(note);
            off
        }
        Some(None) => return bad("unknown time zone"),
        None => {
            notes.push("no time zone; read as UTC".into());
            0
        }
    };
    let days = crate::time::days_from_civil(y, mon, day);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset;
    Ok((
        secs * 1000 + ms,
        (!notes.is_empty()).then(|| notes.join("; ")),
    ))
}

#[cfg(test)]
mod tests;
