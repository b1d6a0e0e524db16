//! A small, deterministic DKIM signer for test data (RFC 6376, RFC 8301, RFC 8463).
//!
//! It is deliberately flexible: every tag can be overridden, dropped, duplicated
//! or reordered so that broken signatures can be produced on purpose. The same
//! input always gives the same bytes (RSA PKCS#1 v1.5 and Ed25519 are
//! deterministic; `t=` is never taken from the clock).

use base64::{Engine, engine::general_purpose::STANDARD as B64};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Canonicalization algorithm (RFC 6376 §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canon {
    Simple,
    Relaxed,
}

impl Canon {
    pub fn name(self) -> &'static str {
        match self {
            Canon::Simple => "simple",
            Canon::Relaxed => "relaxed",
        }
    }
}

/// Signing algorithm actually used to compute `bh=` and `b=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    RsaSha256,
    RsaSha1,
    Ed25519Sha256,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "rsa-sha256",
            Algorithm::RsaSha1 => "rsa-sha1",
            Algorithm::Ed25519Sha256 => "ed25519-sha256",
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Algorithm::RsaSha1 => Sha1::digest(data).to_vec(),
            _ => Sha256::digest(data).to_vec(),
        }
    }
}

/// A private key loaded from PEM (PKCS#8 or PKCS#1 RSA, PKCS#8 Ed25519).
pub enum Key {
    Rsa(Box<RsaPrivateKey>),
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

impl Key {
    pub fn from_pem(pem: &str) -> Result<Key, String> {
        use rsa::pkcs8::DecodePrivateKey as _;
        if let Ok(k) = RsaPrivateKey::from_pkcs8_pem(pem) {
            return Ok(Key::Rsa(Box::new(k)));
        }
        if let Ok(k) = RsaPrivateKey::from_pkcs1_pem(pem) {
            return Ok(Key::Rsa(Box::new(k)));
        }
        match ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
            Ok(k) => Ok(Key::Ed25519(Box::new(k))),
            Err(e) => Err(format!("not an RSA or Ed25519 private key: {e}")),
        }
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Key, String> {
        let path = path.as_ref();
        let pem = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Key::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// `k=` value for the key record.
    pub fn dns_k(&self) -> &'static str {
        match self {
            Key::Rsa(_) => "rsa",
            Key::Ed25519(_) => "ed25519",
        }
    }

    /// `p=` value: SubjectPublicKeyInfo DER for RSA, the raw 32-byte key for Ed25519.
    pub fn dns_p(&self) -> String {
        match self {
            Key::Rsa(k) => {
                let der = k
                    .to_public_key()
                    .to_public_key_der()
                    .expect("RSA public key encodes");
                B64.encode(der.as_bytes())
            }
            Key::Ed25519(k) => B64.encode(k.verifying_key().as_bytes()),
        }
    }

    /// Key size in bits (256 for Ed25519).
    pub fn bits(&self) -> usize {
        match self {
            Key::Rsa(k) => k.size() * 8,
            Key::Ed25519(_) => 256,
        }
    }

    /// The usual key record: `v=DKIM1; k=rsa; p=...`.
    pub fn dns_record(&self) -> String {
        format!("v=DKIM1; k={}; p={}", self.dns_k(), self.dns_p())
    }

    /// The natural algorithm for this key.
    pub fn default_algorithm(&self) -> Algorithm {
        match self {
            Key::Rsa(_) => Algorithm::RsaSha256,
            Key::Ed25519(_) => Algorithm::Ed25519Sha256,
        }
    }

    /// Signs the header hash input. For Ed25519 the SHA-256 digest of the
    /// input is signed (RFC 8463 §3); for RSA, PKCS#1 v1.5 over the digest.
    fn sign_input(&self, alg: Algorithm, input: &[u8]) -> Result<Vec<u8>, String> {
        match (self, alg) {
            (Key::Rsa(k), Algorithm::RsaSha256) => k
                .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input))
                .map_err(|e| e.to_string()),
            (Key::Rsa(k), Algorithm::RsaSha1) => k
                .sign(Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(input))
                .map_err(|e| e.to_string()),
            (Key::Ed25519(k), Algorithm::Ed25519Sha256) => {
                use ed25519_dalek::Signer as _;
                Ok(k.sign(&Sha256::digest(input)).to_bytes().to_vec())
            }
            (k, a) => Err(format!("a {} key cannot sign {}", k.dns_k(), a.name())),
        }
    }
}

/// How `l=` is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyLength {
    /// No `l=` tag.
    None,
    /// `l=` equal to the whole canonical body (a later append stays unsigned).
    Full,
    /// `l=` with this many bytes of canonical body.
    Bytes(usize),
}

/// A DKIM (or ARC-Message-Signature) signer with every knob exposed.
#[derive(Clone)]
pub struct Signer<'k> {
    pub key: &'k Key,
    pub algorithm: Algorithm,
    pub domain: String,
    pub selector: String,
    pub header_canon: Canon,
    pub body_canon: Canon,
    /// `h=` names in order; a name listed more often than present hashes as empty.
    pub headers: Vec<String>,
    pub timestamp: Option<u64>,
    pub expiration: Option<u64>,
    pub identity: Option<String>,
    pub body_length: BodyLength,
    pub query: Option<String>,
    /// Emit `z=` with the signed header fields (DKIM quoted-printable).
    pub copied_headers: bool,
    /// Replace the value of a tag, or add it (before `bh=`) if absent.
    pub overrides: Vec<(String, String)>,
    /// Tags removed from the header (e.g. `bh` for a missing-tag signature).
    pub omit: Vec<String>,
    /// Tags appended before `b=` even if already present (duplicates allowed).
    pub extra: Vec<(String, String)>,
    /// Tag order: listed tags first in this order, others after in default order.
    pub order: Vec<String>,
    /// Replaces the computed `b=` value after signing.
    pub b_override: Option<String>,
    /// Replaces the computed `bh=` value before signing.
    pub bh_override: Option<String>,
    pub header_name: String,
    pub fold_width: usize,
}

/// The result of signing one message.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The complete signature header field, folded, ending in CRLF.
    pub header: String,
    /// `b=` value as emitted.
    pub b: String,
    /// `bh=` value as emitted (empty if omitted).
    pub bh: String,
    /// The signature header followed by the CRLF-normalized message.
    pub message: Vec<u8>,
}

impl<'k> Signer<'k> {
    pub fn new(key: &'k Key, domain: &str, selector: &str) -> Self {
        Signer {
            key,
            algorithm: key.default_algorithm(),
            domain: domain.to_string(),
            selector: selector.to_string(),
            header_canon: Canon::Relaxed,
            body_canon: Canon::Relaxed,
            headers: ["from", "to", "subject", "date", "message-id", "from"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            timestamp: None,
            expiration: None,
            identity: None,
            body_length: BodyLength::None,
            query: None,
            copied_headers: false,
            overrides: Vec::new(),
            omit: Vec::new(),
            extra: Vec::new(),
            order: Vec::new(),
            b_override: None,
            bh_override: None,
            header_name: "DKIM-Signature".to_string(),
            fold_width: 78,
        }
    }

    pub fn algorithm(mut self, a: Algorithm) -> Self {
        self.algorithm = a;
        self
    }
    pub fn canon(mut self, header: Canon, body: Canon) -> Self {
        self.header_canon = header;
        self.body_canon = body;
        self
    }
    pub fn headers(mut self, names: &[&str]) -> Self {
        self.headers = names.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn timestamp(mut self, t: u64) -> Self {
        self.timestamp = Some(t);
        self
    }
    pub fn expiration(mut self, x: u64) -> Self {
        self.expiration = Some(x);
        self
    }
    pub fn identity(mut self, i: &str) -> Self {
        self.identity = Some(i.to_string());
        self
    }
    pub fn body_length(mut self, l: BodyLength) -> Self {
        self.body_length = l;
        self
    }
    pub fn query(mut self, q: &str) -> Self {
        self.query = Some(q.to_string());
        self
    }
    pub fn copied_headers(mut self, z: bool) -> Self {
        self.copied_headers = z;
        self
    }
    pub fn tag(mut self, name: &str, value: &str) -> Self {
        self.overrides.push((name.to_string(), value.to_string()));
        self
    }
    pub fn omit(mut self, name: &str) -> Self {
        self.omit.push(name.to_string());
        self
    }
    pub fn extra_tag(mut self, name: &str, value: &str) -> Self {
        self.extra.push((name.to_string(), value.to_string()));
        self
    }
    pub fn order(mut self, names: &[&str]) -> Self {
        self.order = names.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn b_value(mut self, b: &str) -> Self {
        self.b_override = Some(b.to_string());
        self
    }
    pub fn bh_value(mut self, bh: &str) -> Self {
        self.bh_override = Some(bh.to_string());
        self
    }
    pub fn header_name(mut self, name: &str) -> Self {
        self.header_name = name.to_string();
        self
    }

    /// Computes the `bh=` value and the `l=` count (if any) for a message.
    pub fn body_hash(&self, message: &[u8]) -> (String, Option<usize>) {
        let msg = normalize_crlf(message);
        let (_, body) = split_message(&msg);
        let canon = canonicalize_body(body.unwrap_or(b""), self.body_canon);
        let len = match self.body_length {
            BodyLength::None => None,
            BodyLength::Full => Some(canon.len()),
            BodyLength::Bytes(n) => Some(n.min(canon.len())),
        };
        let hashed = &canon[..len.unwrap_or(canon.len())];
        (
            B64.encode(self.algorithm.digest(hashed)),
            match self.body_length {
                BodyLength::Bytes(n) => Some(n),
                _ => len,
            },
        )
    }

    fn tags(&self, fields: &[HeaderField], bh: &str, l: Option<usize>) -> Vec<(String, String)> {
        let mut tags: Vec<(String, String)> = Vec::new();
        let mut push = |n: &str, v: String| tags.push((n.to_string(), v));
        push("v", "1".into());
        push("a", self.algorithm.name().into());
        push(
            "c",
            format!("{}/{}", self.header_canon.name(), self.body_canon.name()),
        );
        push("d", self.domain.clone());
        push("s", self.selector.clone());
        if let Some(i) = &self.identity {
            push("i", i.clone());
        }
        if let Some(q) = &self.query {
            push("q", q.clone());
        }
        if let Some(l) = l {
            push("l", l.to_string());
        }
        if let Some(t) = self.timestamp {
            push("t", t.to_string());
        }
        if let Some(x) = self.expiration {
            push("x", x.to_string());
        }
        push("h", self.headers.join(":"));
        if self.copied_headers {
            push("z", copied_header_value(fields, &self.headers));
        }
        push("bh", bh.to_string());
        push("b", String::new());
        for (n, v) in &self.overrides {
            if let Some(t) = tags.iter_mut().find(|(tn, _)| tn == n) {
                t.1 = v.clone();
            } else {
                let at = tags
                    .iter()
                    .position(|(tn, _)| tn == "bh")
                    .unwrap_or(tags.len());
                tags.insert(at, (n.clone(), v.clone()));
            }
        }
        tags.retain(|(n, _)| !self.omit.contains(n));
        for (n, v) in &self.extra {
            let at = tags
                .iter()
                .position(|(tn, _)| tn == "b")
                .unwrap_or(tags.len());
            tags.insert(at, (n.clone(), v.clone()));
        }
        if !self.order.is_empty() {
            let rank = |n: &str| {
                self.order
                    .iter()
                    .position(|o| o == n)
                    .unwrap_or(self.order.len())
            };
            tags.sort_by_key(|(n, _)| rank(n));
        }
        tags
    }

    /// Signs `message` and returns the signature header and the signed message.
    pub fn sign(&self, message: &[u8]) -> Result<Signed, String> {
        let msg = normalize_crlf(message);
        let (fields, _) = split_message(&msg);
        let (bh_computed, l) = self.body_hash(&msg);
        let bh = self.bh_override.clone().unwrap_or(bh_computed);
        let tags = self.tags(&fields, &bh, l);

        let template = render_header(&self.header_name, &tags, "", self.fold_width);
        let mut input = header_hash_input(&fields, &self.headers, self.header_canon);
        let sig_field = HeaderField::parse(template.as_bytes());
        let mut canon_sig = canonicalize_header(&sig_field, self.header_canon);
        // The signature header itself is hashed without its trailing CRLF.
        canon_sig.truncate(canon_sig.len() - 2);
        input.extend_from_slice(&canon_sig);

        let sig = self.key.sign_input(self.algorithm, &input)?;
        let b = self.b_override.clone().unwrap_or_else(|| B64.encode(sig));
        let header = render_header(&self.header_name, &tags, &b, self.fold_width);
        let mut out = header.clone().into_bytes();
        out.extend_from_slice(&msg);
        Ok(Signed {
            header,
            b,
            bh: if self.omit.iter().any(|o| o == "bh") {
                String::new()
            } else {
                bh
            },
            message: out,
        })
    }
}

/// Renders a tag-list header field folded like common signers do. `b=` always
/// starts a new line and its value is folded in chunks; the field with an empty
/// `b=` is byte-identical to the signed one once the `b=` value is removed.
pub fn render_header(name: &str, tags: &[(String, String)], b: &str, width: usize) -> String {
    let mut out = format!("{name}:");
    let mut line_len = out.len();
    let mut force_break = false;
    let last = tags.len().saturating_sub(1);
    for (idx, (t, v)) in tags.iter().enumerate() {
        let semi = if idx == last { "" } else { ";" };
        if t == "b" {
            out.push_str("\r\n\tb=");
            line_len = 3;
            let mut rest = b;
            while !rest.is_empty() {
                let room = width.saturating_sub(line_len).max(8);
                let take = room.min(rest.len());
                // Base64 and other tag values here are ASCII; stay on a char boundary anyway.
                let take = (take..=rest.len())
                    .find(|&n| rest.is_char_boundary(n))
                    .unwrap_or(rest.len());
                out.push_str(&rest[..take]);
                rest = &rest[take..];
                if !rest.is_empty() {
                    out.push_str("\r\n\t ");
                    line_len = 2;
                } else {
                    line_len += take;
                }
            }
            out.push_str(semi);
            line_len += semi.len();
            force_break = true;
            continue;
        }
        let item = format!("{t}={v}{semi}");
        if force_break || line_len + 1 + item.len() > width {
            if item.len() + 1 > width && (t == "h" || t == "z") {
                // Fold a long list after its separators.
                let sep = if t == "h" { ':' } else { '|' };
                out.push_str("\r\n\t");
                line_len = 1;
                let mut first = true;
                for p in item.split_inclusive(sep) {
                    if !first && line_len + p.len() > width {
                        out.push_str("\r\n\t ");
                        line_len = 2;
                    }
                    out.push_str(p);
                    line_len += p.len();
                    first = false;
                }
            } else {
                out.push_str("\r\n\t");
                out.push_str(&item);
                line_len = 1 + item.len();
            }
        } else {
            out.push(' ');
            out.push_str(&item);
            line_len += 1 + item.len();
        }
        force_break = false;
    }
    out.push_str("\r\n");
    out
}

/// One header field: its name and raw bytes (including the final CRLF).
#[derive(Clone, Debug)]
pub struct HeaderField {
    pub name: String,
    pub raw: Vec<u8>,
}

impl HeaderField {
    pub fn parse(raw: &[u8]) -> HeaderField {
        let colon = raw.iter().position(|&b| b == b':').unwrap_or(raw.len());
        let name = String::from_utf8_lossy(&raw[..colon])
            .trim_end_matches([' ', '\t'])
            .to_string();
        HeaderField {
            name,
            raw: raw.to_vec(),
        }
    }

    /// The unfolded value, trimmed (for display and `z=`).
    pub fn value(&self) -> String {
        let colon = self
            .raw
            .iter()
            .position(|&b| b == b':')
            .map_or(self.raw.len(), |c| c + 1);
        let v: Vec<u8> = self.raw[colon..]
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect();
        String::from_utf8_lossy(&v).trim().to_string()
    }
}

/// Converts every bare LF to CRLF (a CR already before LF is kept).
pub fn normalize_crlf(msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(msg.len() + msg.len() / 32);
    let mut prev = 0u8;
    for &b in msg {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// Splits a CRLF message into header fields and body. The body is `None` when
/// the input has no empty line after the headers (a headers-only paste).
pub fn split_message(msg: &[u8]) -> (Vec<HeaderField>, Option<&[u8]>) {
    let mut fields: Vec<HeaderField> = Vec::new();
    let mut pos = 0;
    let mut start: Option<usize> = None;
    while pos < msg.len() {
        let end = find_crlf(msg, pos).map_or(msg.len(), |e| e + 2);
        let line = &msg[pos..end];
        if line == b"\r\n" {
            if let Some(s) = start {
                fields.push(HeaderField::parse(&msg[s..pos]));
            }
            return (fields, Some(&msg[end..]));
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if start.is_none() {
                start = Some(pos);
            }
        } else {
            if let Some(s) = start {
                fields.push(HeaderField::parse(&msg[s..pos]));
            }
            start = Some(pos);
        }
        pos = end;
    }
    if let Some(s) = start {
        fields.push(HeaderField::parse(&msg[s..]));
    }
    (fields, None)
}

fn find_crlf(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < data.len() {
        match data[i + 1..].iter().position(|&b| b == b'\n') {
            Some(p) => {
                let lf = i + 1 + p;
                if data[lf - 1] == b'\r' {
                    return Some(lf - 1);
                }
                i = lf;
            }
            None => return None,
        }
    }
    None
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Canonicalizes one header field (result ends in CRLF).
pub fn canonicalize_header(field: &HeaderField, canon: Canon) -> Vec<u8> {
    match canon {
        Canon::Simple => {
            let mut raw = field.raw.clone();
            if !raw.ends_with(b"\r\n") {
                raw.extend_from_slice(b"\r\n");
            }
            raw
        }
        Canon::Relaxed => {
            let colon = field
                .raw
                .iter()
                .position(|&b| b == b':')
                .unwrap_or(field.raw.len());
            let mut out: Vec<u8> = field.name.to_ascii_lowercase().into_bytes();
            out.push(b':');
            let mut value = Vec::new();
            let mut in_wsp = false;
            for &b in field.raw.get(colon + 1..).unwrap_or(b"") {
                if b == b'\r' || b == b'\n' {
                    continue;
                }
                if is_wsp(b) {
                    in_wsp = true;
                    continue;
                }
                if in_wsp && !value.is_empty() {
                    value.push(b' ');
                }
                in_wsp = false;
                value.push(b);
            }
            out.extend_from_slice(&value);
            out.extend_from_slice(b"\r\n");
            out
        }
    }
}

/// The concatenated canonical header fields selected by `h=` (bottom-up;
/// a name listed more often than present contributes nothing).
pub fn header_hash_input(fields: &[HeaderField], names: &[String], canon: Canon) -> Vec<u8> {
    let mut used = vec![false; fields.len()];
    let mut out = Vec::new();
    for name in names {
        let name = name.trim();
        if let Some(idx) = (0..fields.len())
            .rev()
            .find(|&i| !used[i] && fields[i].name.eq_ignore_ascii_case(name))
        {
            used[idx] = true;
            out.extend_from_slice(&canonicalize_header(&fields[idx], canon));
        }
    }
    out
}

/// Canonicalizes a (CRLF) body per RFC 6376 §3.4.3/§3.4.4.
pub fn canonicalize_body(body: &[u8], canon: Canon) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut pos = 0;
    while pos < body.len() {
        match find_crlf(body, pos) {
            Some(e) => {
                lines.push(&body[pos..e]);
                pos = e + 2;
            }
            None => {
                lines.push(&body[pos..]);
                pos = body.len();
            }
        }
    }
    let mut out = Vec::with_capacity(body.len() + 2);
    let mut pending_empty = 0usize;
    for line in lines {
        let canon_line: Vec<u8>;
        let line = match canon {
            Canon::Simple => line,
            Canon::Relaxed => {
                let mut l = Vec::with_capacity(line.len());
                let mut in_wsp = false;
                for &b in line {
                    if is_wsp(b) {
                        in_wsp = true;
                        continue;
                    }
                    if in_wsp {
                        l.push(b' ');
                    }
                    in_wsp = false;
                    l.push(b);
                }
                canon_line = l;
                &canon_line
            }
        };
        if line.is_empty() {
            pending_empty += 1;
            continue;
        }
        for _ in 0..pending_empty {
            out.extend_from_slice(b"\r\n");
        }
        pending_empty = 0;
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    if out.is_empty() && canon == Canon::Simple {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// `z=` value: the signed header fields, DKIM quoted-printable, `|`-separated.
fn copied_header_value(fields: &[HeaderField], names: &[String]) -> String {
    let mut used = vec![false; fields.len()];
    let mut parts = Vec::new();
    for name in names {
        if let Some(idx) = (0..fields.len())
            .rev()
            .find(|&i| !used[i] && fields[i].name.eq_ignore_ascii_case(name))
        {
            used[idx] = true;
            let f = &fields[idx];
            parts.push(dkim_qp(&format!("{}:{}", f.name, f.value())));
        }
    }
    parts.join("|")
}

fn dkim_qp(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if (0x21..=0x3a).contains(&b) || b == 0x3c || ((0x3e..=0x7e).contains(&b) && b != b'|') {
            out.push(b as char);
        } else {
            out.push_str(&format!("={b:02X}"));
        }
    }
    out
}

/// Signs an ARC-Seal (RFC 8617 §5.1.1) for the highest instance present in
/// `message` (its AAR and AMS must already be prepended). Returns the header
/// field (ending in CRLF).
pub fn arc_seal(
    key: &Key,
    domain: &str,
    selector: &str,
    t: u64,
    message: &[u8],
) -> Result<String, String> {
    let msg = normalize_crlf(message);
    let (fields, _) = split_message(&msg);
    let instance_of = |f: &HeaderField| -> Option<u32> {
        let v = f.value();
        v.split(';').find_map(|t| {
            let (n, val) = t.split_once('=')?;
            if n.trim() == "i" {
                val.trim().parse().ok()
            } else {
                None
            }
        })
    };
    let named = |name: &str, i: u32| {
        fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name) && instance_of(f) == Some(i))
    };
    let n = fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("ARC-Message-Signature"))
        .filter_map(instance_of)
        .max()
        .ok_or("no ARC-Message-Signature")?;
    let cv = if n == 1 { "none" } else { "pass" };
    let alg = key.default_algorithm();
    let tags: Vec<(String, String)> = vec![
        ("i".into(), n.to_string()),
        ("a".into(), alg.name().into()),
        ("t".into(), t.to_string()),
        ("cv".into(), cv.into()),
        ("d".into(), domain.into()),
        ("s".into(), selector.into()),
        ("b".into(), String::new()),
    ];
    let mut input = Vec::new();
    for i in 1..=n {
        for name in [
            "ARC-Authentication-Results",
            "ARC-Message-Signature",
            "ARC-Seal",
        ] {
            if i == n && name == "ARC-Seal" {
                continue;
            }
            let f = named(name, i).ok_or(format!("missing {name} i={i}"))?;
            input.extend_from_slice(&canonicalize_header(f, Canon::Relaxed));
        }
    }
    let template = render_header("ARC-Seal", &tags, "", 78);
    let mut own = canonicalize_header(&HeaderField::parse(template.as_bytes()), Canon::Relaxed);
    own.truncate(own.len() - 2);
    input.extend_from_slice(&own);
    let sig = key.sign_input(alg, &input)?;
    Ok(render_header("ARC-Seal", &tags, &B64.encode(sig), 78))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailauth::{Verifier, VerifyOutcome};
    use crate::zone::Zone;

    const MSG: &str = "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: Hello\n  there\nDate: Sun, 23 Nov 2025 12:13:20 +0000\nMessage-ID: <a1@example.com>\n\nHi Bob,  \n\tsee you\n\n\n";

    fn key(name: &str) -> Key {
        Key::load(format!("{}/keys/{name}.pem", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn check(zone: &str, msg: &[u8]) -> Vec<VerifyOutcome> {
        let zone = Zone::parse(zone).unwrap();
        let v = Verifier::new(&zone).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(v.verify(msg)).unwrap()
    }

    fn zone_for(k: &Key, name: &str) -> String {
        crate::zone::txt_line(name, 3600, &k.dns_record())
    }

    #[test]
    fn canon_body_rules() {
        assert_eq!(canonicalize_body(b"", Canon::Simple), b"\r\n");
        assert_eq!(canonicalize_body(b"", Canon::Relaxed), b"");
        assert_eq!(
            canonicalize_body(b"a  b \t\r\n\r\n\r\n", Canon::Relaxed),
            b"a b\r\n"
        );
        assert_eq!(
            canonicalize_body(b"a \r\n\r\nb", Canon::Simple),
            b"a \r\n\r\nb\r\n"
        );
        assert_eq!(canonicalize_body(b" x\r\n", Canon::Relaxed), b" x\r\n");
    }

    #[test]
    fn canon_header_relaxed() {
        let f = HeaderField::parse(b"SubJect :  Hello\r\n \t there  \r\n");
        assert_eq!(
            canonicalize_header(&f, Canon::Relaxed),
            b"subject:Hello there\r\n"
        );
    }

    #[test]
    fn bare_lf_becomes_crlf() {
        assert_eq!(normalize_crlf(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
    }

    #[test]
    fn deterministic() {
        let k = key("rsa2048-example-com");
        let s = Signer::new(&k, "example.com", "s2025").timestamp(1763900000);
        let a = s.sign(MSG.as_bytes()).unwrap();
        let b = s.sign(MSG.as_bytes()).unwrap();
        assert_eq!(a.message, b.message);
    }

    #[test]
    fn mail_auth_accepts_all_algorithms_and_canons() {
        let rsa = key("rsa2048-example-com");
        let r1024 = key("rsa1024");
        let ed = key("ed25519-example-com");
        let mut zone = zone_for(&rsa, "s2025._domainkey.example.com");
        zone.push_str(&zone_for(&ed, "ed2025._domainkey.example.com"));
        zone.push_str(&zone_for(&r1024, "k1024._domainkey.example.com"));
        for (k, sel, alg) in [
            (&rsa, "s2025", Algorithm::RsaSha256),
            (&ed, "ed2025", Algorithm::Ed25519Sha256),
            (&r1024, "k1024", Algorithm::RsaSha256),
        ] {
            for hc in [Canon::Simple, Canon::Relaxed] {
                for bc in [Canon::Simple, Canon::Relaxed] {
                    let signed = Signer::new(k, "example.com", sel)
                        .algorithm(alg)
                        .canon(hc, bc)
                        .timestamp(1763900000)
                        .identity("alice@example.com")
                        .copied_headers(true)
                        .headers(&["from", "to", "subject", "date", "subject", "from"])
                        .sign(MSG.as_bytes())
                        .unwrap();
                    let out = check(&zone, &signed.message);
                    assert_eq!(out.len(), 1);
                    assert_eq!(out[0].result, "pass", "{sel} {hc:?}/{bc:?}: {out:?}");
                }
            }
        }
    }

    #[test]
    fn mail_auth_accepts_reordered_and_extra_tags() {
        let rsa = key("rsa2048-example-com");
        let zone = zone_for(&rsa, "s2025._domainkey.example.com");
        let signed = Signer::new(&rsa, "example.com", "s2025")
            .timestamp(1763900000)
            .query("dns/txt")
            .extra_tag("foo", "bar")
            .order(&["b", "bh", "h", "s", "d", "a", "v"])
            .sign(MSG.as_bytes())
            .unwrap();
        assert!(signed.header.starts_with("DKIM-Signature:\r\n\tb="));
        let out = check(&zone, &signed.message);
        assert_eq!(out[0].result, "pass", "{out:?}\n{}", signed.header);
    }

    #[test]
    fn body_length_covers_only_the_signed_part() {
        // mail-auth refuses every l= signature ("Insecure 'l=' tag"), so check
        // that the body hash ignores an append instead.
        let rsa = key("rsa2048-example-com");
        let s = Signer::new(&rsa, "example.com", "s2025")
            .timestamp(1763900000)
            .body_length(BodyLength::Full);
        let signed = s.sign(MSG.as_bytes()).unwrap();
        assert!(signed.header.contains("l=19;"), "{}", signed.header);
        let mut appended = MSG.as_bytes().to_vec();
        appended.extend_from_slice(b"unsigned trailer\n");
        let fixed = s.clone().body_length(BodyLength::Bytes(19));
        assert_eq!(fixed.body_hash(&appended).0, signed.bh);
        let out = check(
            &zone_for(&rsa, "s2025._domainkey.example.com"),
            &signed.message,
        );
        assert_eq!(out[0].result, "neutral", "{out:?}");
    }

    #[test]
    fn mail_auth_detects_changes() {
        let rsa = key("rsa2048-example-com");
        let zone = zone_for(&rsa, "s2025._domainkey.example.com");
        let signed = Signer::new(&rsa, "example.com", "s2025")
            .timestamp(1763900000)
            .sign(MSG.as_bytes())
            .unwrap();
        let text = String::from_utf8(signed.message).unwrap();
        let body = format!("{text}--\r\nfooter\r\n");
        assert_ne!(check(&zone, body.as_bytes())[0].result, "pass");
        let subj = text.replace("Subject: Hello", "Subject: [SPAM] Hello");
        assert_ne!(check(&zone, subj.as_bytes())[0].result, "pass");
    }

    #[test]
    fn mail_auth_accepts_rsa_sha1_signature_bytes() {
        // rsa-sha1 is verified by mail-auth; the product reports it as policy.
        let rsa = key("rsa2048-example-com");
        let zone = zone_for(&rsa, "s2025._domainkey.example.com");
        let signed = Signer::new(&rsa, "example.com", "s2025")
            .algorithm(Algorithm::RsaSha1)
            .timestamp(1763900000)
            .sign(MSG.as_bytes())
            .unwrap();
        let out = check(&zone, &signed.message);
        assert_eq!(out[0].result, "pass", "{out:?}");
    }

    #[test]
    fn mail_auth_accepts_arc_seal() {
        let rsa = key("rsa2048-example-org");
        let zone = zone_for(&rsa, "arc2025._domainkey.lists.example.org");
        let aar = "ARC-Authentication-Results: i=1; lists.example.org; dkim=none\r\n";
        let mut m = aar.as_bytes().to_vec();
        m.extend_from_slice(MSG.as_bytes());
        let ams = Signer::new(&rsa, "lists.example.org", "arc2025")
            .header_name("ARC-Message-Signature")
            .timestamp(1763900000)
            .omit("v")
            .tag("i", "1")
            .order(&["i", "a", "c", "d", "s", "t", "h", "bh", "b"])
            .sign(&m)
            .unwrap();
        let seal = arc_seal(
            &rsa,
            "lists.example.org",
            "arc2025",
            1763900000,
            &ams.message,
        )
        .unwrap();
        let mut full = seal.into_bytes();
        full.extend_from_slice(&ams.message);
        let zone = Zone::parse(&zone).unwrap();
        let v = Verifier::new(&zone).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(v.verify_arc(&full)).unwrap(), "pass");
    }
}
