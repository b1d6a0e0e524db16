//! The DKIM key record (RFC 6376 §3.6.1, RFC 8463 for Ed25519): every tag,
//! the public key decoded and sized, and every problem with its span.

use std::ops::Range;

use base64::Engine;

use super::codes::Diagnosis;
use super::tags::{self, TagList};

/// Keys above this size are refused before any arithmetic.
pub const MAX_RSA_BITS: usize = 8192;

/// Key records longer than this (the concatenated TXT strings) are not
/// parsed: an 8192-bit RSA key needs about 1.4 KB, and a DNS message holds
/// at most 64 KiB, so only a keys file can supply more.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// RSA modulus and exponent (big-endian, no leading zeros), its size,
    /// and whether it came wrapped in a SubjectPublicKeyInfo.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
        bits: usize,
        spki: bool,
    },
    Ed25519([u8; 32]),
}

impl PublicKey {
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa { bits, .. } => format!("RSA {bits} bits"),
            PublicKey::Ed25519(_) => "Ed25519 (256 bits)".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyIssue {
    pub code: Diagnosis,
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub tags: TagList,
    /// k= as written, lower-case; "rsa" when absent.
    pub k: String,
    /// h= acceptable hashes, when restricted.
    pub hashes: Option<Vec<String>>,
    /// s= service types; `["*"]` when absent.
    pub services: Vec<String>,
    /// t= flags (y: testing, s: strict identity).
    pub flags: Vec<String>,
    pub public: Option<PublicKey>,
    pub issues: Vec<KeyIssue>,
}

fn list(value: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(value)
        .split(':')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

impl KeyRecord {
    pub fn parse(record: &[u8]) -> KeyRecord {
        if record.len() > MAX_RECORD_BYTES {
            return KeyRecord {
                tags: TagList::default(),
                k: "rsa".into(),
                hashes: None,
                services: vec!["*".into()],
                flags: Vec::new(),
                public: None,
                issues: vec![KeyIssue {
                    code: Diagnosis::KeyMalformed,
                    span: 0..0,
                    message: format!(
                        "the record is {} bytes, over the {} KiB limit for a key record; not parsed",
                        record.len(),
                        MAX_RECORD_BYTES / 1024
                    ),
                }],
            };
        }
        let tags = tags::lex(record);
        let mut issues = Vec::new();
        let mut issue = |code, span: Range<usize>, message: String| {
            issues.push(KeyIssue {
                code,
                span,
                message,
            })
        };
        for p in tags.problems.iter().filter(|p| p.fatal) {
            issue(Diagnosis::KeyMalformed, p.span.clone(), p.message.clone());
        }
        if let Some(v) = tags.get("v") {
            if v.text() != "DKIM1" {
                issue(
                    Diagnosis::KeyMalformed,
                    v.value_span.clone(),
                    format!("v={} but a DKIM key record says v=DKIM1", v.text()),
                );
            } else if tags.tags.first().map(|t| t.name.as_str()) != Some("v") {
                issue(
                    Diagnosis::KeyMalformed,
                    v.span.clone(),
                    "v=DKIM1 must be the first tag of the record (RFC 6376 §3.6.1)".into(),
                );
            }
        }
        let k = tags
            .get("k")
            .map(|k| k.text().trim().to_ascii_lowercase())
            .unwrap_or_else(|| "rsa".into());
        let mut public = None;
        match tags.get("p") {
            None => issue(
                Diagnosis::KeyMalformed,
                0..0,
                "no p= tag: the record holds no public key".into(),
            ),
            Some(p) if p.compact().is_empty() => issue(
                Diagnosis::KeyRevoked,
                p.value_span.clone(),
                "p= is empty: the key has been revoked".into(),
            ),
            Some(p) => {
                let decoded = base64::engine::general_purpose::STANDARD.decode(p.compact());
                match decoded {
                    Err(e) => issue(
                        Diagnosis::KeyMalformed,
                        p.value_span.clone(),
                        format!("p= is not valid base64: {e}"),
                    ),
                    Ok(der) => match decode_public(&k, &der) {
                        Ok(key) => public = Some(key),
                        Err(e) => issue(Diagnosis::KeyMalformed, p.value_span.clone(), e),
                    },
                }
            }
        }
        KeyRecord {
            k,
            hashes: tags.get("h").map(|h| list(&h.compact())),
            services: tags
                .get("s")
                .map(|s| list(&s.compact()))
                .unwrap_or_else(|| vec!["*".into()]),
            flags: tags
                .get("t")
                .map(|t| list(&t.compact()))
                .unwrap_or_default(),
            public,
            issues,
            tags,
        }
    }

    pub fn testing(&self) -> bool {
        self.flags.iter().any(|f| f == "y")
    }

    pub fn strict_identity(&self) -> bool {
        self.flags.iter().any(|f| f == "s")
    }

    /// True when this record looks like it is meant as a DKIM key at all
    /// (used to pick among several TXT records at one name).
    pub fn looks_like_key(&self) -> bool {
        self.tags.get("p").is_some() || self.tags.get("v").is_some_and(|v| v.text() == "DKIM1")
    }
}

fn decode_public(k: &str, der: &[u8]) -> Result<PublicKey, String> {
    match k {
        "ed25519" => {
            let raw = match der.len() {
                32 => der,
                44 if der.starts_with(&ED25519_SPKI_PREFIX) => {
                    return Err("p= holds the Ed25519 key wrapped in a 44-byte SubjectPublicKeyInfo; RFC 8463 §4.2 wants the bare 32-byte key (drop the first 12 bytes)".into());
                }
                n => {
                    return Err(format!(
                        "an Ed25519 key is 32 bytes (RFC 8463 §4.2); p= holds {n}"
                    ));
                }
            };
            let mut key = [0u8; 32];
            key.copy_from_slice(raw);
            Ok(PublicKey::Ed25519(key))
        }
        "rsa" => decode_rsa(der),
        other => Err(format!("k={other} is not a key type this verifier knows")),
    }
}

const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

const RSA_OID: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// One DER element: (tag, contents, rest).
fn der_next(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first & 0x80 == 0 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
fn rsa_components(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (0x30, seq, _) = der_next(der)? else {
        return None;
    };
    let (0x02, n, rest) = der_next(seq)? else {
        return None;
    };
    let (0x02, e, _) = der_next(rest)? else {
        return None;
    };
    Some((strip_zeros(n).to_vec(), strip_zeros(e).to_vec()))
}

fn decode_rsa(der: &[u8]) -> Result<PublicKey, String> {
    // SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { OID, params }, BIT STRING }
    let spki = (|| {
        let (0x30, outer, _) = der_next(der)? else {
            return None;
        };
        let (0x30, alg, rest) = der_next(outer)? else {
            return None;
        };
        let (0x06, oid, _) = der_next(alg)? else {
            return None;
        };
        if oid != RSA_OID {
            return Some(Err(
                "the key is not an RSA key (its algorithm OID differs)".to_string()
            ));
        }
        let (0x03, bits, _) = der_next(rest)? else {
            return None;
        };
        let (&0, inner) = bits.split_first()? else {
            return None;
        };
        Some(
            rsa_components(inner)
                .ok_or_else(|| "the RSA key inside p= is not valid DER".to_string()),
        )
    })();
    let ((n, e), spki) = match spki {
        Some(r) => (r?, true),
        // RFC 3447 RSAPublicKey without the SPKI wrapper, as some publish.
        None => (
            rsa_components(der).ok_or("p= is not a DER SubjectPublicKeyInfo or RSAPublicKey")?,
            false,
        ),
    };
    let bits = match n.first() {
        Some(top) => n.len() * 8 - top.leading_zeros() as usize,
        None => return Err("the RSA modulus is zero".into()),
    };
    if bits > MAX_RSA_BITS {
        return Err(format!(
            "an RSA key of {bits} bits is over the {MAX_RSA_BITS}-bit limit"
        ));
    }
    if e.is_empty() {
        return Err("the RSA exponent is zero".into());
    }
    Ok(PublicKey::Rsa { n, e, bits, spki })
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6376 Appendix C's 1024-bit example key.
    const RFC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

    #[test]
    fn parses_rfc6376_key() {
        let r = KeyRecord::parse(format!("v=DKIM1; p={RFC_KEY}").as_bytes());
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        match r.public {
            Some(PublicKey::Rsa {
                bits, spki, ref e, ..
            }) => {
                assert_eq!(bits, 1024);
                assert!(spki);
                assert_eq!(e, &[1, 0, 1]);
            }
            ref other => panic!("{other:?}"),
        }
        assert_eq!(r.services, ["*"]);
    }

    #[test]
    fn revoked_malformed_and_flags() {
        let r = KeyRecord::parse(b"v=DKIM1; k=rsa; t=y:s; h=sha256; s=email; p=");
        assert_eq!(r.issues[0].code, Diagnosis::KeyRevoked);
        assert!(r.testing() && r.strict_identity());
        assert_eq!(r.hashes.as_deref(), Some(&["sha256".to_string()][..]));
        let bad = KeyRecord::parse(b"v=DKIM1; p=AAAA");
        assert_eq!(bad.issues[0].code, Diagnosis::KeyMalformed);
        let late_v = KeyRecord::parse(format!("k=rsa; v=DKIM1; p={RFC_KEY}").as_bytes());
        assert!(late_v.issues[0].message.contains("first tag"));
        assert!(
            KeyRecord::parse(b"v=spf1 -all")
                .issues
                .iter()
                .any(|i| i.code == Diagnosis::KeyMalformed)
        );
    }

    #[test]
    fn ed25519_rfc8463() {
        let r =
            KeyRecord::parse(b"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert!(r.issues.is_empty());
        assert!(matches!(r.public, Some(PublicKey::Ed25519(_))));
        let wrapped = KeyRecord::parse(
            b"v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA3SUqa9UbfciWkk7tlcJ9P1VD5pXAasg0JUn/OgjVbKE=",
        );
        assert!(wrapped.issues[0].message.contains("SubjectPublicKeyInfo"));
    }

    #[test]
    fn der_garbage_never_panics() {
        for len in 0..64u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0x30).collect();
            let _ = decode_rsa(&bytes);
            let _ = decode_rsa(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]);
        }
    }
}
