//! DKIM canonicalization (RFC 6376 §3.4) and hashing.
//!
//! Everything is written into a [`Sink`], so the same code feeds a digest
//! while verifying (no second copy of a large body) and a buffer when the
//! exact bytes are wanted as evidence. A bare LF counts as a line end and is
//! written as CRLF, as every verifier does with LF-only stored mail.

use super::signature::{Canon, HashAlg};

pub trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// A running digest. Cloning it is cheap (a copy of the hash state), which
/// is what lets localization compare many prefixes in one pass.
#[derive(Clone)]
pub struct Hasher(ring::digest::Context);

impl Hasher {
    pub fn new(alg: HashAlg) -> Self {
        Hasher(ring::digest::Context::new(match alg {
            HashAlg::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            HashAlg::Sha256 => &ring::digest::SHA256,
        }))
    }
    pub fn finish(self) -> Vec<u8> {
        self.0.finish().as_ref().to_vec()
    }
}

impl Sink for Hasher {
    fn put(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Gathers many small writes (a canonical body arrives a line at a time)
/// into large ones: a digest takes one 64 KiB update much faster than a
/// thousand 64-byte ones. Not for hashers that are cloned per line.
pub struct Buffered<S: Sink> {
    inner: S,
    buf: Vec<u8>,
}

impl<S: Sink> Buffered<S> {
    const CAPACITY: usize = 64 * 1024;
    /// Writes at least this long skip the buffer.
    const DIRECT: usize = 4 * 1024;
    pub fn new(inner: S) -> Self {
        Buffered {
            inner,
            buf: Vec::with_capacity(Self::CAPACITY),
        }
    }
    /// Everything written so far, passed on.
    pub fn into_inner(mut self) -> S {
        self.inner.put(&self.buf);
        self.inner
    }
}

impl<S: Sink> Sink for Buffered<S> {
    fn put(&mut self, bytes: &[u8]) {
        // A large slice (a run of canonical lines) goes on as it is: copying
        // it into the buffer first would cost more than the extra update.
        let direct = bytes.len() >= Self::DIRECT;
        if (direct || self.buf.len() + bytes.len() > Self::CAPACITY) && !self.buf.is_empty() {
            self.inner.put(&self.buf);
            self.buf.clear();
        }
        if direct {
            self.inner.put(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }
}

/// Counts what passes and forwards at most `limit` bytes (the `l=` cut).
pub struct Limited<'a, S: Sink> {
    inner: &'a mut S,
    limit: Option<u64>,
    pub total: u64,
}

impl<'a, S: Sink> Limited<'a, S> {
    pub fn new(inner: &'a mut S, limit: Option<u64>) -> Self {
        Limited {
            inner,
            limit,
            total: 0,
        }
    }
    pub fn forwarded(&self) -> u64 {
        self.limit.map_or(self.total, |l| l.min(self.total))
    }
}

impl<S: Sink> Sink for Limited<'_, S> {
    fn put(&mut self, bytes: &[u8]) {
        let before = self.total;
        self.total += bytes.len() as u64;
        match self.limit {
            None => self.inner.put(bytes),
            Some(limit) if before < limit => {
                let room = (limit - before).min(bytes.len() as u64) as usize;
                self.inner.put(&bytes[..room]);
            }
            Some(_) => {}
        }
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Splits into lines without their terminator (CRLF or bare LF). The last
/// piece, if not terminated, is a line too; an empty last piece is not.
pub fn lines(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = body;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

/// Write `line` with whitespace runs reduced to one SP and trailing
/// whitespace removed (relaxed rules; also used for header values).
fn relaxed_into<S: Sink>(line: &[u8], out: &mut S) {
    let end = line.iter().rposition(|b| !is_wsp(*b)).map_or(0, |p| p + 1);
    let line = &line[..end];
    let mut i = 0;
    // Most lines (base64 above all) hold no whitespace run to squeeze: a
    // SIMD search finds each run, and the text between goes out whole.
    while let Some(p) = memchr::memchr2(b' ', b'\t', &line[i..]) {
        let run = i + p;
        let after = run + line[run..].iter().take_while(|b| is_wsp(**b)).count();
        if line[run] == b' ' && after == run + 1 {
            // A single space is canonical already: one write with the text.
            out.put(&line[i..after]);
        } else {
            out.put(&line[i..run]);
            out.put(b" ");
        }
        i = after;
    }
    out.put(&line[i..]);
}

/// Whether a body line counts as empty: trailing runs of such lines are not
/// part of the canonical body.
pub fn is_blank(line: &[u8], canon: Canon) -> bool {
    match canon {
        Canon::Simple => line.is_empty(),
        Canon::Relaxed => line.iter().all(|b| is_wsp(*b)),
    }
}

/// Write one body line's canonical text (without its CRLF).
pub fn body_line<S: Sink>(line: &[u8], canon: Canon, out: &mut S) {
    match canon {
        Canon::Simple => out.put(line),
        Canon::Relaxed => relaxed_into(line, out),
    }
}

/// Whether a CRLF-terminated line's text is its own canonical form, so the
/// raw bytes can be hashed as they stand.
fn is_canonical(line: &[u8], canon: Canon) -> bool {
    match canon {
        Canon::Simple => true,
        // Only single spaces between words: no tab, no run, no trailing.
        // A few SIMD scans of the line; a scan per word costs more on prose.
        Canon::Relaxed => {
            static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
                std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
            // Base64 lines hold no whitespace at all: one scan says so.
            let Some(first) = memchr::memchr2(b' ', b'\t', line) else {
                return true;
            };
            let rest = &line[first..];
            line.last() != Some(&b' ')
                && memchr::memchr(b'\t', rest).is_none()
                && DOUBLE_SPACE.find(rest).is_none()
        }
    }
}

/// Canonicalize a body into `out` (RFC 6376 §3.4.3, §3.4.4). Gives the
/// same bytes as [`body_from_lines`] over [`lines`], but passes runs of
/// lines that are canonical already (CRLF mail, base64 above all) on as
/// one slice instead of a write per line.
pub fn body<S: Sink>(body: &[u8], canon: Canon, out: &mut S) {
    let mut pending_empty = 0u64;
    let mut wrote = false;
    // Raw bytes from `run` up to the current line are canonical already
    // and not yet written.
    let mut run: Option<usize> = None;
    let flush = |run: &mut Option<usize>, to: usize, out: &mut S| {
        if let Some(from) = run.take() {
            out.put(&body[from..to]);
        }
    };
    let mut pos = 0;
    while pos < body.len() {
        let (end, next) = match memchr::memchr(b'\n', &body[pos..]) {
            Some(i) => (pos + i, pos + i + 1),
            None => (body.len(), body.len()),
        };
        // As in `lines`: one CR before the LF (or at the very end) goes.
        let line = body[pos..end]
            .strip_suffix(b"\r")
            .unwrap_or(&body[pos..end]);
        let crlf = next > end && line.len() < end - pos;
        if is_blank(line, canon) {
            flush(&mut run, pos, out);
            pending_empty += 1;
        } else {
            for _ in 0..pending_empty {
                out.put(b"\r\n");
            }
            pending_empty = 0;
            wrote = true;
            if crlf && is_canonical(line, canon) {
                run.get_or_insert(pos);
            } else {
                flush(&mut run, pos, out);
                body_line(line, canon, out);
                out.put(b"\r\n");
            }
        }
        pos = next;
    }
    flush(&mut run, pos, out);
    // An empty body is one CRLF under simple, nothing under relaxed.
    if !wrote && canon == Canon::Simple {
        out.put(b"\r\n");
    }
}

/// Canonicalize a body already split into lines (without terminators), so
/// a caller can choose what counts as a line end.
pub fn body_from_lines<'a, S: Sink>(
    lines: impl Iterator<Item = &'a [u8]>,
    canon: Canon,
    out: &mut S,
) {
    let mut pending_empty = 0u64;
    let mut wrote = false;
    for line in lines {
        if is_blank(line, canon) {
            pending_empty += 1;
            continue;
        }
        for _ in 0..pending_empty {
            out.put(b"\r\n");
        }
        pending_empty = 0;
        body_line(line, canon, out);
        out.put(b"\r\n");
        wrote = true;
    }
    // An empty body is one CRLF under simple, nothing under relaxed.
    if !wrote && canon == Canon::Simple {
        out.put(b"\r\n");
    }
}

/// Canonicalize one header field. `field` runs from the first byte of the
/// name to the end of the value, without the final line end. With `eol`
/// false no CRLF is added (the signature field itself, RFC 6376 §3.7).
pub fn header<S: Sink>(field: &[u8], canon: Canon, eol: bool, out: &mut S) {
    match canon {
        Canon::Simple => {
            let mut start = 0;
            for (i, b) in field.iter().enumerate() {
                if *b == b'\n' && (i == 0 || field[i - 1] != b'\r') {
                    out.put(&field[start..i]);
                    out.put(b"\r\n");
                    start = i + 1;
                }
            }
            out.put(&field[start..]);
        }
        Canon::Relaxed => {
            let (name, value) = match memchr::memchr(b':', field) {
                Some(c) => (&field[..c], &field[c + 1..]),
                None => (field, &field[field.len()..]),
            };
            let name_end = name.iter().rposition(|b| !is_wsp(*b)).map_or(0, |p| p + 1);
            let name_start = name.iter().position(|b| !is_wsp(*b)).unwrap_or(name_end);
            out.put(&name[name_start..name_end].to_ascii_lowercase());
            out.put(b":");
            // Unfold (drop CR and LF), then squeeze whitespace; leading WSP goes.
            let unfolded: Vec<u8> = value
                .iter()
                .copied()
                .filter(|b| *b != b'\r' && *b != b'\n')
                .collect();
            let start = unfolded
                .iter()
                .position(|b| !is_wsp(*b))
                .unwrap_or(unfolded.len());
            relaxed_into(&unfolded[start..], out);
        }
    }
    if eol {
        out.put(b"\r\n");
    }
}

/// The hash of a body under one canonicalization, with its sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyHash {
    pub digest: Vec<u8>,
    /// Length of the whole canonical body.
    pub canonical_len: u64,
    /// Bytes actually hashed (after the `l=` cut).
    pub hashed_len: u64,
}

pub fn body_hash(raw: &[u8], canon: Canon, alg: HashAlg, limit: Option<u64>) -> BodyHash {
    let mut hasher = Buffered::new(Hasher::new(alg));
    let mut limited = Limited::new(&mut hasher, limit);
    body(raw, canon, &mut limited);
    let (canonical_len, hashed_len) = (limited.total, limited.forwarded());
    BodyHash {
        digest: hasher.into_inner().finish(),
        canonical_len,
        hashed_len,
    }
}

/// Body hashes shared by the signatures of one message (and its ARC
/// message signatures, which often hash the body the same way).
#[derive(Default)]
pub struct BodyCache(std::collections::HashMap<(Canon, HashAlg, Option<u64>), BodyHash>);

impl BodyCache {
    pub fn get(&mut self, body: &[u8], c: Canon, h: HashAlg, l: Option<u64>) -> BodyHash {
        self.0
            .entry((c, h, l))
            .or_insert_with(|| body_hash(body, c, h, l))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon_body(b: &[u8], c: Canon) -> Vec<u8> {
        let mut v = Vec::new();
        body(b, c, &mut v);
        v
    }

    fn canon_header(f: &[u8], c: Canon) -> Vec<u8> {
        let mut v = Vec::new();
        header(f, c, true, &mut v);
        v
    }

    /// RFC 6376 §3.4.5 examples, in CRLF and LF form.
    #[test]
    fn rfc6376_examples() {
        for eol in ["\r\n", "\n"] {
            let fix = |s: &str| s.replace("\r\n", eol).into_bytes();
            let body_in = fix(" C \r\nD \t E\r\n\r\n\r\n");
            assert_eq!(canon_body(&body_in, Canon::Relaxed), b" C\r\nD E\r\n");
            assert_eq!(canon_body(&body_in, Canon::Simple), b" C \r\nD \t E\r\n");
            assert_eq!(canon_header(&fix("A: X"), Canon::Relaxed), b"a:X\r\n");
            assert_eq!(
                canon_header(&fix("B : Y\t\r\n\tZ  "), Canon::Relaxed),
                b"b:Y Z\r\n"
            );
            assert_eq!(
                canon_header(&fix("B : Y\t\r\n\tZ  "), Canon::Simple),
                b"B : Y\t\r\n\tZ  \r\n"
            );
        }
    }

    #[test]
    fn empty_bodies() {
        assert_eq!(canon_body(b"", Canon::Simple), b"\r\n");
        assert_eq!(canon_body(b"\r\n\r\n", Canon::Simple), b"\r\n");
        assert_eq!(canon_body(b"", Canon::Relaxed), b"");
        assert_eq!(canon_body(b" \r\n\t\r\n", Canon::Relaxed), b"");
        // Well-known digests of the empty body.
        use base64::Engine;
        let b64 = |d: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(d);
        assert_eq!(
            b64(body_hash(b"", Canon::Simple, HashAlg::Sha256, None).digest),
            "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="
        );
        assert_eq!(
            b64(body_hash(b"", Canon::Relaxed, HashAlg::Sha256, None).digest),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn unterminated_last_line_and_inner_blank_lines() {
        assert_eq!(canon_body(b"a\r\n\r\nb", Canon::Simple), b"a\r\n\r\nb\r\n");
        assert_eq!(canon_body(b"a  b \t", Canon::Relaxed), b"a b\r\n");
        assert_eq!(canon_body(b"x\r\r\n", Canon::Simple), b"x\r\r\n");
    }

    #[test]
    fn length_limit_cuts_and_counts() {
        let full = body_hash(b"hello\r\nworld\r\n", Canon::Simple, HashAlg::Sha256, None);
        let cut = body_hash(
            b"hello\r\nworld\r\n",
            Canon::Simple,
            HashAlg::Sha256,
            Some(7),
        );
        let only = body_hash(b"hello\r\n", Canon::Simple, HashAlg::Sha256, None);
        assert_eq!(cut.digest, only.digest);
        assert_eq!((cut.canonical_len, cut.hashed_len), (14, 7));
        assert_ne!(full.digest, cut.digest);
    }

    #[test]
    fn idempotent_and_fold_insensitive() {
        let samples: [&[u8]; 4] = [b"a \t b\r\n\r\n", b"  x\n\ny  \n", b"", b"\t\r\nz"];
        for s in samples {
            for c in [Canon::Simple, Canon::Relaxed] {
                let once = canon_body(s, c);
                assert_eq!(canon_body(&once, c), once);
            }
        }
        assert_eq!(
            canon_header(b"Subject: a\r\n  long\r\n\tsubject", Canon::Relaxed),
            canon_header(b"subject:a long subject", Canon::Relaxed)
        );
    }
}
