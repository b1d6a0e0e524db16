//! The header side of verification: picking the field instances h= names,
//! emptying b= in the signature field, hashing them, and the public-key
//! check of b= (RFC 6376 §3.7, §5.4.2; RFC 8463 for Ed25519). Shared by the
//! trace and by localization, which re-verifies edited headers.

use std::collections::HashMap;

use super::canon::{self, Hasher};
use super::key::PublicKey;
use super::signature::{Algorithm, HashAlg, Signature};
use crate::message::Message;

/// Which field instance each h= entry picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickedHeader {
    /// The h= entry as written.
    pub name: String,
    /// Index into `Message::headers`, or None when absent (over-signed).
    pub field: Option<usize>,
    /// The canonical form as hashed (empty when absent).
    pub canonical: Vec<u8>,
}

/// The header hash of one signature: what was picked, what was hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderHash {
    /// The first [`MAX_PICKS_KEPT`] picks, in h= order.
    pub picked: Vec<PickedHeader>,
    /// How many h= entries were picked and hashed (all of them).
    pub picked_total: usize,
    /// How many of them named no field left (over-signed), over all entries.
    pub absent: usize,
    /// The signature field with b= emptied, canonicalized, no final CRLF.
    pub signature_field: Vec<u8>,
    /// Everything hashed, in order.
    pub input: Vec<u8>,
    pub digest: Vec<u8>,
}

/// The bytes of a field from its name to the end of its value.
pub fn field_text(msg: &Message, i: usize) -> &[u8] {
    let h = &msg.headers[i];
    &msg.raw[h.span.start..h.value_span.end.max(h.span.start)]
}

/// The signature field with the value of b= (and its surrounding
/// whitespace) removed, ready to be canonicalized (RFC 6376 §3.7).
pub fn strip_b(msg: &Message, field: usize, sig: &Signature) -> Vec<u8> {
    let h = &msg.headers[field];
    let text = field_text(msg, field);
    let value_off = h.value_span.start - h.span.start;
    let value = &text[value_off..];
    let Some(b) = sig.tags.get("b") else {
        return text.to_vec();
    };
    let start = value_off
        + b.name_span.end
        + value[b.name_span.end..]
            .iter()
            .position(|c| *c == b'=')
            .map_or(0, |p| p + 1);
    let end = value_off
        + value[b.value_span.end..]
            .iter()
            .position(|c| *c == b';')
            .map_or(value.len(), |p| b.value_span.end + p);
    let mut out = text[..start].to_vec();
    out.extend_from_slice(&text[end..]);
    out
}

/// The field each h= entry picks: bottom-up, one instance per mention, None
/// once a name's instances are used up (over-signing). The signature field
/// itself and `skip` are never picked. A usual header (tens of fields, an
/// h= of ten names) is scanned per name; a large one is indexed once per
/// name, since h= may name a field thousands of times (RFC 6376 §5.4.2).
pub fn pick_instances(
    msg: &Message,
    field: usize,
    h: &[String],
    skip: Option<usize>,
) -> Vec<Option<usize>> {
    if h.len().saturating_mul(msg.headers.len()) <= SMALL_PICK {
        pick_by_scan(msg, field, h, skip)
    } else {
        pick_by_index(msg, field, h, skip)
    }
}

fn pick_by_scan(
    msg: &Message,
    field: usize,
    h: &[String],
    skip: Option<usize>,
) -> Vec<Option<usize>> {
    let mut used = vec![false; msg.headers.len()];
    h.iter()
        .map(|name| {
            let i = (0..msg.headers.len()).rev().find(|&i| {
                !used[i]
                    && i != field
                    && Some(i) != skip
                    && msg.headers[i].name.eq_ignore_ascii_case(name)
            })?;
            used[i] = true;
            Some(i)
        })
        .collect()
}

fn pick_by_index(
    msg: &Message,
    field: usize,
    h: &[String],
    skip: Option<usize>,
) -> Vec<Option<usize>> {
    let wanted: std::collections::HashSet<String> =
        h.iter().map(|n| n.to_ascii_lowercase()).collect();
    let mut lists: HashMap<String, std::vec::IntoIter<usize>> = HashMap::new();
    {
        let mut found: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, hf) in msg.headers.iter().enumerate().rev() {
            let lower = hf.name.to_ascii_lowercase();
            if i != field && Some(i) != skip && wanted.contains(&lower) {
                found.entry(lower).or_default().push(i);
            }
        }
        lists.extend(found.into_iter().map(|(k, v)| (k, v.into_iter())));
    }
    h.iter()
        .map(|name| {
            lists
                .get_mut(&name.to_ascii_lowercase())
                .and_then(Iterator::next)
        })
        .collect()
}

/// Up to this many (h= entry, field) pairs, [`pick_instances`] scans
/// instead of indexing.
const SMALL_PICK: usize = 1024;

/// The most h= picks kept as evidence. RFC 6376 sets no limit on h= and a
/// long one is still hashed in full (picking is indexed), but only this
/// many picks are kept to show; [`HeaderHash::picked_total`] says how many
/// there were, and header localization is not attempted past it.
pub const MAX_PICKS_KEPT: usize = 1_000;

/// Pick the field instances h= names, bottom-up, and hash them with the
/// signature field (RFC 6376 §5.4.2).
pub fn hash_headers(msg: &Message, field: usize, sig: &Signature, alg: HashAlg) -> HeaderHash {
    let instances = pick_instances(msg, field, &sig.h, None);
    let mut picked = Vec::with_capacity(sig.h.len().min(MAX_PICKS_KEPT));
    let mut input = Vec::new();
    let mut absent = 0;
    for (k, (name, instance)) in sig.h.iter().zip(instances).enumerate() {
        let start = input.len();
        absent += usize::from(instance.is_none());
        if let Some(i) = instance {
            canon::header(field_text(msg, i), sig.header_canon, true, &mut input);
        }
        if k < MAX_PICKS_KEPT {
            picked.push(PickedHeader {
                name: name.clone(),
                field: instance,
                canonical: input[start..].to_vec(),
            });
        }
    }
    let mut signature_field = Vec::new();
    canon::header(
        &strip_b(msg, field, sig),
        sig.header_canon,
        false,
        &mut signature_field,
    );
    input.extend_from_slice(&signature_field);
    let mut hasher = Hasher::new(alg);
    canon::Sink::put(&mut hasher, &input);
    HeaderHash {
        picked_total: sig.h.len(),
        absent,
        picked,
        signature_field,
        digest: hasher.finish(),
        input,
    }
}

/// Check b= over the header hash input with the key.
pub fn verify_crypto(key: &PublicKey, alg: Algorithm, input: &[u8], b: &[u8]) -> bool {
    use ring::signature::{self as rs, RsaPublicKeyComponents, UnparsedPublicKey};
    match (key, alg) {
        (PublicKey::Rsa { n, e, .. }, Algorithm::RsaSha256 | Algorithm::RsaSha1) => {
            let params = if alg == Algorithm::RsaSha1 {
                &rs::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
            } else {
                &rs::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
            };
            RsaPublicKeyComponents { n, e }
                .verify(params, input, b)
                .is_ok()
        }
        (PublicKey::Ed25519(k), Algorithm::Ed25519Sha256) => {
            // RFC 8463 §3: Ed25519 signs the SHA-256 of the hash input.
            let digest = ring::digest::digest(&ring::digest::SHA256, input);
            UnparsedPublicKey::new(&rs::ED25519, k)
                .verify(digest.as_ref(), b)
                .is_ok()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_and_index_pick_the_same_instances() {
        // Repeated, differently cased names, the signature in the middle,
        // names absent from the header and names over-signed.
        let mut raw = Vec::new();
        for i in 0..12 {
            let name = ["From", "to", "SUBJECT", "Received", "from"][i % 5];
            raw.extend(format!("{name}: v{i}\r\n").into_bytes());
            if i == 6 {
                raw.extend_from_slice(b"DKIM-Signature: v=1\r\n");
            }
        }
        raw.extend_from_slice(b"\r\nbody\r\n");
        let msg = crate::message::parse(raw);
        let field = msg.fields("DKIM-Signature").next().map(|(i, _)| i).unwrap();
        let names = [
            "from", "To", "subject", "received", "date", "FROM", "from", "from", "x-none",
        ];
        for len in 0..=names.len() {
            let h: Vec<String> = names[..len].iter().map(|n| n.to_string()).collect();
            for skip in [None, Some(0), Some(4), Some(field)] {
                let scanned = pick_by_scan(&msg, field, &h, skip);
                assert_eq!(
                    scanned,
                    pick_by_index(&msg, field, &h, skip),
                    "h={h:?} skip={skip:?}"
                );
                assert!(!scanned.contains(&Some(field)));
            }
        }
        // Bottom-up: the first "from" is the last From field above the end.
        let picks = pick_instances(&msg, field, &["from".to_string()], None);
        let last_from = (0..msg.headers.len())
            .rev()
            .find(|&i| msg.headers[i].name.eq_ignore_ascii_case("from"));
        assert_eq!(picks, vec![last_from]);
    }
}
