//! The building blocks every sample and defect spec shares: the fixed clock,
//! the committed keys by name, header lists, and small functions that join,
//! prepend, append and edit message text. Kept in one place so each spec
//! reads as the story of one message, not as plumbing.

use crate::sign::{Key, Signer, normalize_crlf};
use crate::util::rfc5322;
use crate::zone::{cname_line, soa_line, txt_line};
use std::collections::BTreeMap;
use std::path::Path;

/// Signing time of most samples and of the defect fixtures: 2025-11-23T12:13:20Z.
pub const T0: u64 = 1_763_900_000;
/// `--at` for every sample: 2025-11-24T12:00:00Z.
pub const SAMPLES_AT: u64 = 1_763_985_600;
/// `at` for every defect fixture: 2025-11-24T16:00:00Z.
pub const DEFECTS_AT: u64 = 1_764_000_000;

/// Header fields most samples sign; From is listed twice (over-signed).
pub const H_DEFAULT: &[&str] = &[
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "from",
];
/// What Microsoft 365 signs (From only once).
pub const H_M365: &[&str] = &[
    "From",
    "Date",
    "Subject",
    "Message-ID",
    "Content-Type",
    "MIME-Version",
    "X-MS-Exchange-SenderADCheck",
];
/// Header fields the defect fixtures sign; From over-signed.
pub const H_FIXTURE: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "from",
];

/// The committed keys, by file stem (`rsa2048-example-com`, `rsa1024`, ...).
pub struct Keys(BTreeMap<String, Key>);

impl Keys {
    pub fn load(dir: &Path) -> Result<Keys, String> {
        let mut map = BTreeMap::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pem"))
            .collect();
        entries.sort();
        for p in entries {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            map.insert(stem, Key::load(&p)?);
        }
        Ok(Keys(map))
    }

    /// The keys in `testdata/keys`.
    pub fn committed() -> Result<Keys, String> {
        Keys::load(&crate::keys_dir())
    }

    pub fn get(&self, name: &str) -> &Key {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("key {name}.pem missing from testdata/keys"))
    }
}

/// Joins header lines and a body into a CRLF message.
pub fn msg(headers: &[String], body: &str) -> Vec<u8> {
    let mut s = headers.join("\n");
    s.push_str("\n\n");
    s.push_str(body);
    normalize_crlf(s.as_bytes())
}

/// Puts header lines on top of a message.
pub fn prepend(top: &[String], m: &[u8]) -> Vec<u8> {
    let mut s = top.join("\n").into_bytes();
    s.push(b'\n');
    s.extend_from_slice(m);
    normalize_crlf(&s)
}

/// Adds text (LF or CRLF) at the end of a message, as CRLF.
pub fn append(m: &[u8], text: &str) -> Vec<u8> {
    let mut out = m.to_vec();
    out.extend_from_slice(&normalize_crlf(text.as_bytes()));
    out
}

/// Replaces the first occurrence of `from`, which must be there.
pub fn replace_once(m: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(m.to_vec()).expect("generated mail is UTF-8");
    assert!(s.contains(from), "{from:?} not found");
    s.replacen(from, to, 1).into_bytes()
}

/// The first 8 characters of `b=`, as `header.b=` in Authentication-Results.
pub fn hb(b: &str) -> &str {
    &b[..8.min(b.len())]
}

/// RFC 5322 date at a UTC offset in minutes.
pub fn date(ts: u64, off: i64) -> String {
    rfc5322(ts, off)
}

/// A Postfix-style Received header field.
pub fn received(
    from: &str,
    by: &str,
    with: &str,
    id: &str,
    rcpt: &str,
    ts: u64,
    off: i64,
) -> String {
    format!(
        "Received: from {from}\n\tby {by} with {with} id {id}\n\tfor <{rcpt}>; {}",
        date(ts, off)
    )
}

/// The plain message most defect fixtures start from; the Message-ID is
/// made from the subject.
pub fn fixture_message(subject: &str, from: &str) -> Vec<u8> {
    msg(
        &[
            format!("From: Alice <{from}>"),
            "To: Bob <bob@example.org>".into(),
            format!("Subject: {subject}"),
            format!("Date: {}", date(T0 - 5, 0)),
            format!("Message-ID: <{}@example.com>", subject.replace(' ', "-")),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=us-ascii".into(),
        ],
        "Hello Bob,\n\nThis is a test message for dkimscope.\n\nAlice\n",
    )
}

/// A defect fixture's signer: key and domain by short name, [`H_FIXTURE`],
/// t=[`T0`].
pub fn fixture_signer<'a>(keys: &'a Keys, k: &str, sel: &str) -> Signer<'a> {
    let (key, d) = match k {
        "com" => ("rsa2048-example-com", "example.com"),
        "weak" => ("rsa1024", "example.com"),
        "short" => ("rsa512", "example.com"),
        "ed" => ("ed25519-example-com", "example.com"),
        "esp" => ("rsa2048-esp-example-net", "esp.example.net"),
        "contoso" => ("rsa2048-contoso-example", "contoso.example"),
        "net" => ("rsa2048-example-net", "dnsfail.example.net"),
        _ => ("rsa2048-example-org", "example.org"),
    };
    Signer::new(keys.get(key), d, sel)
        .headers(H_FIXTURE)
        .timestamp(T0)
}

/// One record of a generated keys.zone (TTL 3600 throughout).
pub enum Rr {
    /// An SOA: the zone is authoritative, so a name it lacks is NXDOMAIN.
    Soa(&'static str),
    /// TXT `v=DKIM1; k=...; p=...` of a committed key, by file stem.
    Key(&'static str, &'static str),
    /// TXT: the given tags, then `p=` of a committed key (the tags end in `p=`).
    KeyAfter(&'static str, &'static str, &'static str),
    /// TXT as written.
    Txt(&'static str, &'static str),
    /// CNAME: owner, target.
    Cname(&'static str, &'static str),
}

/// A keys.zone holding `records` in order.
pub fn zone_file(keys: &Keys, records: &[Rr]) -> String {
    let mut z = String::new();
    for r in records {
        z.push_str(&match r {
            Rr::Soa(zone) => soa_line(zone),
            Rr::Key(owner, key) => txt_line(owner, 3600, &keys.get(key).dns_record()),
            Rr::KeyAfter(owner, tags, key) => {
                txt_line(owner, 3600, &format!("{tags}{}", keys.get(key).dns_p()))
            }
            Rr::Txt(owner, text) => txt_line(owner, 3600, text),
            Rr::Cname(owner, target) => cname_line(owner, 3600, target),
        });
    }
    z
}

/// One hop that forwards a message and adds its ARC set (RFC 8617 §5.1):
/// its Received field, an ARC-Authentication-Results saying what it saw on
/// arrival, an ARC-Message-Signature over the message as it forwards it,
/// and an ARC-Seal over the sets so far. The instance is one more than the
/// highest ARC-Seal present.
pub struct ArcHop<'k> {
    pub key: &'k Key,
    /// `d=` and `s=` of the AMS and the seal.
    pub domain: &'static str,
    pub selector: &'static str,
    /// The authserv-id of its AAR: the hop's host name.
    pub host: &'static str,
    /// Its Received field (see [`received`]).
    pub received: String,
    /// The AAR's statements after the authserv-id (`dkim=pass ...`).
    pub saw: String,
    /// `h=` of the AMS.
    pub signs: &'static [&'static str],
    /// When it signs and seals.
    pub t: u64,
    /// Seal with this key instead of `key` (a seal that cannot verify).
    pub seal_key: Option<&'k Key>,
}

/// Header fields an AMS signs when the hop has no list headers to add.
pub const H_AMS: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
];

/// `m` as `hop` forwards it: its Received and ARC set on top.
pub fn arc_hop(m: &[u8], hop: &ArcHop) -> Result<Vec<u8>, String> {
    let text = String::from_utf8_lossy(m);
    let i = 1 + text
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("arc-seal:"))
        .count();
    let with_aar = prepend(
        &[
            format!(
                "ARC-Authentication-Results: i={i}; {};\n\t{}",
                hop.host, hop.saw
            ),
            hop.received.clone(),
        ],
        m,
    );
    let ams = Signer::new(hop.key, hop.domain, hop.selector)
        .header_name("ARC-Message-Signature")
        .headers(hop.signs)
        .timestamp(hop.t)
        .omit("v")
        .tag("i", &i.to_string())
        .order(&["i", "a", "c", "d", "s", "t", "h", "bh", "b"])
        .sign(&with_aar)?;
    let seal = crate::sign::arc_seal(
        hop.seal_key.unwrap_or(hop.key),
        hop.domain,
        hop.selector,
        hop.t,
        &ams.message,
    )?;
    Ok(prepend(&[seal.trim_end().to_string()], &ams.message))
}
