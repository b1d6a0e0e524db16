//! Keys files in zone-file syntax, exactly as `dig +noall +answer` prints:
//! `name. TTL IN TXT "..." "..."`, `name. TTL IN CNAME target.` and
//! `zone. TTL IN SOA ...` (the file is then authoritative for that zone).

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rdata {
    /// The character-strings of one TXT record.
    Txt(Vec<Vec<u8>>),
    Cname(String),
    Soa,
}

#[derive(Clone, Debug)]
pub struct Entry {
    /// Lower-case, fully qualified (trailing dot).
    pub name: String,
    pub ttl: u32,
    pub data: Rdata,
    /// 1-based line number in the file.
    pub line: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Zone {
    pub entries: Vec<Entry>,
}

/// The answer for a TXT query at a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// TXT records (each the concatenation of its strings), after `chain` CNAMEs.
    Txt {
        records: Vec<Vec<u8>>,
        chain: Vec<String>,
    },
    /// The name (or the end of a CNAME chain) does not exist in an authoritative zone.
    NxDomain { chain: Vec<String> },
    /// A CNAME chain ends at a name the file lacks (and no SOA covers it).
    Dangling { chain: Vec<String> },
    /// The file knows nothing about the name.
    Missing,
}

pub fn fqdn(name: &str) -> String {
    let mut n = name.trim().to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

impl Zone {
    pub fn parse(text: &str) -> Result<Zone, String> {
        let mut entries = Vec::new();
        for (idx, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
                continue;
            }
            let err = |m: &str| format!("line {}: {m}", idx + 1);
            let mut words = line.split_whitespace();
            let name = words.next().ok_or_else(|| err("empty"))?;
            let mut ttl = 3600u32;
            let mut w = words.next().ok_or_else(|| err("missing type"))?;
            if let Ok(t) = w.parse::<u32>() {
                ttl = t;
                w = words.next().ok_or_else(|| err("missing type"))?;
            }
            if w.eq_ignore_ascii_case("IN") {
                w = words.next().ok_or_else(|| err("missing type"))?;
            }
            let rtype = w.to_ascii_uppercase();
            // Everything after the type word.
            let type_at = find_word_end(line, 1 + usize::from(ttl_given(line)) + in_given(line))
                .ok_or_else(|| err("missing data"))?;
            let rest = line[type_at..].trim();
            let data = match rtype.as_str() {
                "TXT" => Rdata::Txt(parse_strings(rest).map_err(|m| err(&m))?),
                "CNAME" => Rdata::Cname(fqdn(rest.split_whitespace().next().unwrap_or(""))),
                "SOA" => Rdata::Soa,
                other => return Err(err(&format!("unsupported record type {other}"))),
            };
            entries.push(Entry {
                name: fqdn(name),
                ttl,
                data,
                line: idx + 1,
            });
        }
        Ok(Zone { entries })
    }

    pub fn load(path: &std::path::Path) -> Result<Zone, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Zone::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn merge(&mut self, other: Zone) {
        self.entries.extend(other.entries);
    }

    fn authoritative_for(&self, name: &str) -> bool {
        self.entries.iter().any(|e| {
            e.data == Rdata::Soa && (name == e.name || name.ends_with(&format!(".{}", e.name)))
        })
    }

    /// Answers a TXT query for `name`, following CNAMEs.
    pub fn lookup_txt(&self, name: &str) -> Answer {
        let mut chain = Vec::new();
        let mut current = fqdn(name);
        for _ in 0..16 {
            let here: Vec<&Entry> = self.entries.iter().filter(|e| e.name == current).collect();
            if let Some(target) = here.iter().find_map(|e| match &e.data {
                Rdata::Cname(t) => Some(t.clone()),
                _ => None,
            }) {
                chain.push(target.clone());
                current = target;
                continue;
            }
            let records: Vec<Vec<u8>> = here
                .iter()
                .filter_map(|e| match &e.data {
                    Rdata::Txt(s) => Some(s.concat()),
                    _ => None,
                })
                .collect();
            if !records.is_empty() {
                return Answer::Txt { records, chain };
            }
            if self.authoritative_for(&current) {
                return Answer::NxDomain { chain };
            }
            if !chain.is_empty() {
                return Answer::Dangling { chain };
            }
            return Answer::Missing;
        }
        Answer::Dangling { chain }
    }

    /// Every name that has a record, in file order, without duplicates.
    pub fn names(&self) -> Vec<String> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for e in &self.entries {
            if seen.insert(e.name.clone(), ()).is_none() {
                out.push(e.name.clone());
            }
        }
        out
    }
}

fn ttl_given(line: &str) -> bool {
    line.split_whitespace()
        .nth(1)
        .is_some_and(|w| w.parse::<u32>().is_ok())
}

fn in_given(line: &str) -> usize {
    let skip = 1 + usize::from(ttl_given(line));
    usize::from(
        line.split_whitespace()
            .nth(skip)
            .is_some_and(|w| w.eq_ignore_ascii_case("IN")),
    )
}

/// Byte offset just after the `n`-th (0-based) whitespace-separated word.
fn find_word_end(line: &str, n: usize) -> Option<usize> {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            if in_word {
                if count == n {
                    return Some(i);
                }
                count += 1;
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    if in_word && count == n {
        Some(line.len())
    } else {
        None
    }
}

/// Parses `"a" "b\"c" "\065"` into character-strings (unquoted words allowed).
fn parse_strings(s: &str) -> Result<Vec<Vec<u8>>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let quoted = b[i] == b'"';
        if quoted {
            i += 1;
        }
        let mut cur = Vec::new();
        loop {
            if i >= b.len() {
                if quoted {
                    return Err("unterminated quoted string".into());
                }
                break;
            }
            let c = b[i];
            if quoted && c == b'"' {
                i += 1;
                break;
            }
            if !quoted && c.is_ascii_whitespace() {
                break;
            }
            if c == b'\\' && i + 1 < b.len() {
                if i + 3 < b.len() && b[i + 1..i + 4].iter().all(u8::is_ascii_digit) {
                    let v: u32 = std::str::from_utf8(&b[i + 1..i + 4])
                        .unwrap_or("0")
                        .parse()
                        .unwrap_or(0);
                    cur.push(v.min(255) as u8);
                    i += 4;
                } else {
                    cur.push(b[i + 1]);
                    i += 2;
                }
                continue;
            }
            cur.push(c);
            i += 1;
        }
        out.push(cur);
    }
    Ok(out)
}

fn quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &c in s {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\{c:03}")),
        }
    }
    out.push('"');
    out
}

/// Splits TXT content into character-strings of at most 255 bytes. The tags
/// before `p=` form the first string (as DNS hosting panels usually store it).
pub fn split_txt(content: &str) -> Vec<Vec<u8>> {
    let bytes = content.as_bytes();
    let mut out = Vec::new();
    let mut rest = bytes;
    if let Some(p) = content.find("p=")
        && p > 0
        && p <= 255
        && content.len() > 255
    {
        out.push(bytes[..p].to_vec());
        rest = &bytes[p..];
    }
    while rest.len() > 255 {
        out.push(rest[..255].to_vec());
        rest = &rest[255..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(rest.to_vec());
    }
    out
}

/// A TXT line as `dig +noall +answer` prints it.
pub fn txt_line(name: &str, ttl: u32, content: &str) -> String {
    let strings: Vec<String> = split_txt(content).iter().map(|s| quote(s)).collect();
    format!("{}\t{ttl}\tIN\tTXT\t{}\n", fqdn(name), strings.join(" "))
}

pub fn cname_line(name: &str, ttl: u32, target: &str) -> String {
    format!("{}\t{ttl}\tIN\tCNAME\t{}\n", fqdn(name), fqdn(target))
}

pub fn soa_line(zone: &str) -> String {
    format!(
        "{}\t3600\tIN\tSOA\tns1.example. hostmaster.example. 1 3600 600 86400 3600\n",
        fqdn(zone)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_lookup() {
        let long = format!("v=DKIM1; k=rsa; p={}", "A".repeat(400));
        let mut z = txt_line("s1._domainkey.Example.com", 3600, &long);
        z.push_str(&cname_line(
            "selector1._domainkey.contoso.example",
            3600,
            "selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com",
        ));
        z.push_str(&soa_line("onmicrosoft.com"));
        z.push_str(&cname_line(
            "x._domainkey.example.net",
            300,
            "y.example.org",
        ));
        z.push_str("; comment\n");
        let zone = Zone::parse(&z).unwrap();
        assert!(
            z.lines()
                .next()
                .unwrap()
                .contains("\"v=DKIM1; k=rsa; \" \"p=AAA")
        );
        match zone.lookup_txt("s1._domainkey.example.com") {
            Answer::Txt { records, chain } => {
                assert_eq!(records, vec![long.into_bytes()]);
                assert!(chain.is_empty());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            zone.lookup_txt("selector1._domainkey.contoso.example"),
            Answer::NxDomain { chain } if chain.len() == 1
        ));
        assert!(matches!(
            zone.lookup_txt("x._domainkey.example.net"),
            Answer::Dangling { .. }
        ));
        assert_eq!(zone.lookup_txt("nothing.example"), Answer::Missing);
        for line in z.lines().filter(|l| l.contains("TXT")) {
            for s in line.split('"').skip(1).step_by(2) {
                assert!(s.len() <= 255);
            }
        }
    }

    #[test]
    fn dig_style_input() {
        let z = "sel._domainkey.example.com. 3600 IN TXT \"v=DKIM1; k=rsa; \" \"p=MIIB\"\n\
                 a.example.com. IN CNAME sel._domainkey.example.com.\n";
        let zone = Zone::parse(z).unwrap();
        assert!(matches!(
            zone.lookup_txt("a.example.com"),
            Answer::Txt { records, .. } if records[0] == b"v=DKIM1; k=rsa; p=MIIB"
        ));
    }
}
