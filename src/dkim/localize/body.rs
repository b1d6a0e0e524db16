//! Body reversals: when `bh=` does not match, undo the changes relays are
//! known to make, one at a time, and report the first whose canonical hash
//! equals `bh=`. The appended-footer search is one pass: canonical lines go
//! into a running digest, and at each line boundary a copy of the digest is
//! finished and compared, so every prefix is tried for the price of one hash.

use super::{Appended, Budget, Evidence, LocalizedFinding};
use crate::dkim::canon::{self, Hasher, Sink};
use crate::dkim::codes::Finding;
use crate::dkim::signature::{Canon, HashAlg};

/// At most this many bytes of an appended part are kept for display.
const FOOTER_KEEP: usize = 16 * 1024;
/// Trailing whitespace a relay may have stripped from one line.
const STRIPPED: [&[u8]; 5] = [b" ", b"  ", b"   ", b"    ", b"\t"];

/// What the body reversals need to know about one signature.
pub struct BodyTarget<'a> {
    pub body: &'a [u8],
    pub canon: Canon,
    pub alg: HashAlg,
    pub bh: &'a [u8],
    pub l: Option<u64>,
    /// The message's top-level Content-Transfer-Encoding, lower-case.
    pub cte: Option<String>,
}

/// One physical line: `start..content_end` is the text as canonicalization
/// sees it, `end` is past its line end.
#[derive(Clone, Copy)]
struct RawLine {
    start: usize,
    content_end: usize,
    end: usize,
}

/// The lines of `body` exactly as [`canon::lines`] cuts them, with offsets.
fn raw_lines(body: &[u8]) -> impl Iterator<Item = RawLine> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= body.len() {
            return None;
        }
        let start = pos;
        let (text_end, end) = match memchr::memchr(b'\n', &body[pos..]) {
            Some(i) => (pos + i, pos + i + 1),
            None => (body.len(), body.len()),
        };
        let content_end = if text_end > start && body[text_end - 1] == b'\r' {
            text_end - 1
        } else {
            text_end
        };
        pos = end;
        Some(RawLine {
            start,
            content_end,
            end,
        })
    })
}

fn found(code: Finding, detail: String, evidence: Evidence) -> LocalizedFinding {
    LocalizedFinding {
        code,
        detail,
        evidence,
        tried: Vec::new(),
        budget_stopped: false,
    }
}

fn hash_with(t: &BodyTarget, bytes: &[u8], canon: Canon) -> Vec<u8> {
    canon::body_hash(bytes, canon, t.alg, t.l).digest
}

/// Hash `bytes` where only CRLF ends a line: a bare LF is data, as a signer
/// that never converted LF-only text would have hashed it.
fn hash_crlf_only(t: &BodyTarget, bytes: &[u8]) -> Vec<u8> {
    let mut rest = bytes;
    let lines = std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match memchr::memmem::find(rest, b"\r\n") {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        Some(line)
    });
    let mut hasher = Hasher::new(t.alg);
    let mut limited = canon::Limited::new(&mut hasher, t.l);
    canon::body_from_lines(lines, t.canon, &mut limited);
    hasher.finish()
}

/// The prefix pass. Returns the appended part when a prefix cut at a line
/// boundary hashes to `bh=`, else the two trailing-blank-line variants'
/// verdict (`Some` description when one of them matches).
enum PrefixOutcome {
    Appended(Appended),
    TrailingLine(&'static str),
    Nothing { lines: u64 },
}

fn prefix_pass(t: &BodyTarget) -> PrefixOutcome {
    let empty_canonical = |h: &Hasher, wrote: bool| {
        let mut c = h.clone();
        if !wrote && t.canon == Canon::Simple {
            c.put(b"\r\n");
        }
        c.finish()
    };
    let mut ctx = Hasher::new(t.alg);
    let mut before_eol: Option<Hasher> = None;
    let mut wrote = false;
    let mut pending = 0u64;
    // (cut offset, lines kept) of the longest matching prefix so far.
    let mut best: Option<(usize, u64)> = (empty_canonical(&ctx, false) == t.bh).then_some((0, 0));
    let mut n = 0u64;
    for line in raw_lines(t.body) {
        n += 1;
        let text = &t.body[line.start..line.content_end];
        if canon::is_blank(text, t.canon) {
            pending += 1;
            // A blank line does not change the canonical hash of a prefix.
            if best.is_some_and(|(_, kept)| kept == n - 1) {
                best = Some((line.end, n));
            }
            continue;
        }
        if best.is_some() {
            break; // a later match would be a hash collision
        }
        for _ in 0..pending {
            ctx.put(b"\r\n");
        }
        pending = 0;
        canon::body_line(text, t.canon, &mut ctx);
        before_eol = Some(ctx.clone());
        ctx.put(b"\r\n");
        wrote = true;
        if ctx.clone().finish() == t.bh {
            best = Some((line.end, n));
        }
    }
    if let Some((cut, kept)) = best
        && cut < t.body.len()
    {
        let footer = &t.body[cut..];
        let lines = raw_lines(footer).count() as u64;
        return PrefixOutcome::Appended(Appended {
            signed_lines: kept,
            signed_bytes: cut as u64,
            lines,
            bytes: footer.len() as u64,
            text: footer[..footer.len().min(FOOTER_KEEP)].to_vec(),
            truncated: footer.len() > FOOTER_KEEP,
        });
    }
    // The signer kept one trailing empty line, or did not end the last line.
    if wrote {
        let mut extra = ctx.clone();
        extra.put(b"\r\n");
        if extra.finish() == t.bh {
            return PrefixOutcome::TrailingLine(
                "a trailing blank line was removed after signing (or the signer hashed one that canonicalization drops)",
            );
        }
        if let Some(b) = before_eol
            && b.finish() == t.bh
        {
            return PrefixOutcome::TrailingLine(
                "the signer hashed the last line without its line end (the body did not end in CRLF when signed)",
            );
        }
    }
    PrefixOutcome::Nothing { lines: n }
}

/// Every bare CR run before LF collapsed to one CR (undoes CRLF -> CRCRLF).
fn collapse_cr(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for (i, &b) in body.iter().enumerate() {
        if b == b'\r' && body.get(i + 1) == Some(&b'\r') {
            // Drop this CR when the run ends in LF.
            let run_end = body[i..]
                .iter()
                .position(|c| *c != b'\r')
                .map_or(body.len(), |p| i + p);
            if body.get(run_end) == Some(&b'\n') {
                continue;
            }
        }
        out.push(b);
    }
    out
}

/// Every line end (CRLF or LF) written as a bare LF.
fn to_lf(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for (i, &b) in body.iter().enumerate() {
        if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// Every bare CR (not before LF) turned into CRLF.
fn bare_cr_to_crlf(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 16);
    for (i, &b) in body.iter().enumerate() {
        out.push(b);
        if b == b'\r' && body.get(i + 1) != Some(&b'\n') {
            out.push(b'\n');
        }
    }
    out
}

/// Trailing spaces and tabs removed from every line (line ends kept).
fn strip_trailing_ws(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for line in raw_lines(body) {
        let text = &body[line.start..line.content_end];
        let keep = text
            .iter()
            .rposition(|b| *b != b' ' && *b != b'\t')
            .map_or(0, |p| p + 1);
        out.extend_from_slice(&text[..keep]);
        out.extend_from_slice(&body[line.content_end..line.end]);
    }
    out
}

fn has_bare_cr(body: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', body).any(|i| body.get(i + 1) != Some(&b'\n'))
}

fn has_bare_lf(body: &[u8]) -> bool {
    memchr::memchr_iter(b'\n', body).any(|i| i == 0 || body[i - 1] != b'\r')
}

/// Search for one line whose trailing whitespace was stripped (simple body
/// canonicalization only): re-add a few spaces or a tab to each line in
/// turn. The prefix before the line comes from a running digest; only the
/// rest is re-hashed, within the byte budget.
fn stripped_line(t: &BodyTarget, budget: &mut Budget) -> Option<(u64, &'static str)> {
    // The simple canonical body and each line's span in it.
    let mut canonical = Vec::with_capacity(t.body.len() + 64);
    canon::body(t.body, Canon::Simple, &mut canonical);
    let mut spans = Vec::new();
    let mut pos = 0;
    while pos < canonical.len() {
        let end =
            memchr::memmem::find(&canonical[pos..], b"\r\n").map_or(canonical.len(), |p| pos + p);
        spans.push((pos, end));
        pos = end + 2;
    }
    let mut ctx = Hasher::new(t.alg);
    for (n, &(start, end)) in spans.iter().enumerate() {
        let line = &canonical[start..end];
        if !line.last().is_some_and(|b| *b == b' ' || *b == b'\t') {
            let rest = canonical.get(end..).unwrap_or_default();
            for add in STRIPPED {
                if !budget.take((line.len() + rest.len()) as u64) {
                    return None;
                }
                let mut c = ctx.clone();
                c.put(line);
                c.put(add);
                c.put(rest);
                if c.finish() == t.bh {
                    return Some((n as u64 + 1, describe_ws(add)));
                }
            }
        }
        ctx.put(&canonical[start..(end + 2).min(canonical.len())]);
    }
    None
}

fn describe_ws(add: &[u8]) -> &'static str {
    match add {
        b" " => "1 trailing space",
        b"  " => "2 trailing spaces",
        b"   " => "3 trailing spaces",
        b"    " => "4 trailing spaces",
        _ => "a trailing tab",
    }
}

/// Decode quoted-printable (RFC 2045 §6.7): `=XX`, soft line breaks, and
/// trailing whitespace on encoded lines dropped.
pub fn qp_decode(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for line in raw_lines(body) {
        let mut text = &body[line.start..line.content_end];
        while let [rest @ .., b' ' | b'\t'] = text {
            text = rest;
        }
        let soft = text.last() == Some(&b'=');
        if soft {
            text = &text[..text.len() - 1];
        }
        let mut i = 0;
        while i < text.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            match (text[i], text.get(i + 1).copied(), text.get(i + 2).copied()) {
                (b'=', Some(a), Some(b)) if hex(a).is_some() && hex(b).is_some() => {
                    out.push((hex(a).unwrap_or(0) * 16 + hex(b).unwrap_or(0)) as u8);
                    i += 3;
                }
                (c, _, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        if !soft {
            out.extend_from_slice(&body[line.content_end..line.end]);
        }
    }
    out
}

/// Encode as quoted-printable the way common MTAs do when downgrading 8bit:
/// lines of at most 76 characters with `=` soft breaks, CRLF line ends.
pub fn qp_encode(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 8);
    for line in raw_lines(body) {
        let text = &body[line.start..line.content_end];
        let mut col = 0;
        for (i, &b) in text.iter().enumerate() {
            let last = i + 1 == text.len();
            let plain = (b == b' ' || b == b'\t') && !last || (33..=126).contains(&b) && b != b'=';
            let piece_len = if plain { 1 } else { 3 };
            if col + piece_len > 75 {
                out.extend_from_slice(b"=\r\n");
                col = 0;
            }
            if plain {
                out.push(b);
            } else {
                out.extend_from_slice(format!("={b:02X}").as_bytes());
            }
            col += piece_len;
        }
        if line.end > line.content_end {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// One body reversal: the finding it would mean, its description, and the
/// hash of the body with it undone (computed only when tried).
type Reversal<'a> = (Finding, String, Box<dyn Fn() -> Vec<u8> + 'a>);

/// Try the body reversals in order; the first whose hash equals `bh=` wins.
pub fn localize(t: &BodyTarget, budget: &mut Budget) -> LocalizedFinding {
    let mut tried: Vec<String> = Vec::new();
    let simple = t.canon == Canon::Simple;
    let len = t.body.len() as u64;

    // 1. A footer appended (and the trailing blank line variants, free).
    if t.l.is_some() {
        tried.push("no appended-footer search: l= already leaves appended text unsigned".into());
    } else if budget.take(len) {
        match prefix_pass(t) {
            PrefixOutcome::Appended(a) => {
                let detail = format!(
                    "{} line{} ({} bytes) {} added after the signed part (the first {} line{}, {} bytes, still match bh=)",
                    a.lines,
                    plural(a.lines),
                    a.bytes,
                    if a.lines == 1 { "was" } else { "were" },
                    a.signed_lines,
                    plural(a.signed_lines),
                    a.signed_bytes
                );
                return found(Finding::BodyAppended, detail, Evidence::Appended(a));
            }
            PrefixOutcome::TrailingLine(what) => {
                return found(
                    Finding::BodyWhitespace,
                    what.into(),
                    Evidence::Change(what.into()),
                );
            }
            PrefixOutcome::Nothing { lines } => tried.push(format!(
                "an appended footer (no prefix of the {lines} line{} matches) and a trailing blank line added or removed",
                plural(lines)
            )),
        }
    }

    // 2. Whitespace under c=.../simple.
    let mut candidates: Vec<Reversal> = Vec::new();
    if simple {
        candidates.push((
            Finding::BodyWhitespace,
            "the body verifies under relaxed body canonicalization although c= says simple: whitespace changed in transit (trailing spaces added, or runs of spaces/tabs changed)".into(),
            Box::new(|| hash_with(t, t.body, Canon::Relaxed)),
        ));
        if t.body
            .windows(3)
            .any(|w| w[1..] == *b"\r\n" && (w[0] == b' ' || w[0] == b'\t'))
            || t.body
                .windows(2)
                .any(|w| w[1] == b'\n' && (w[0] == b' ' || w[0] == b'\t'))
        {
            candidates.push((
                Finding::BodyWhitespace,
                "trailing whitespace was added to lines after signing (it verifies with trailing spaces and tabs removed)".into(),
                Box::new(|| hash_with(t, &strip_trailing_ws(t.body), Canon::Simple)),
            ));
        }
    }
    // 3. Line endings. CRLF <-> LF alone is neutral here (a bare LF already
    // counts as a line end); what can differ is CR handling.
    if memchr::memmem::find(t.body, b"\r\r\n").is_some() {
        candidates.push((
            Finding::BodyLineEndings,
            "line ends were doubled in transit (CRLF became CR CR LF); it verifies with the extra CR removed".into(),
            Box::new(|| hash_with(t, &collapse_cr(t.body), t.canon)),
        ));
    }
    candidates.push((
        Finding::BodyLineEndings,
        "the signer hashed LF-only text without turning LF into CRLF; a relay converted the line ends afterwards".into(),
        Box::new(|| hash_crlf_only(t, &to_lf(t.body))),
    ));
    if has_bare_lf(t.body) && memchr::memmem::find(t.body, b"\r\n").is_some() {
        candidates.push((
            Finding::BodyLineEndings,
            "the body mixes CRLF and bare LF, and the signer treated only CRLF as a line end"
                .into(),
            Box::new(|| hash_crlf_only(t, t.body)),
        ));
    }
    if has_bare_cr(t.body) {
        candidates.push((
            Finding::BodyLineEndings,
            "bare CR line ends were turned into CRLF by the signer but not in transit (it verifies with CR read as CRLF)".into(),
            Box::new(|| hash_with(t, &bare_cr_to_crlf(t.body), t.canon)),
        ));
    }
    // 4. Quoted-printable re-encoding of a single-part body.
    match t.cte.as_deref() {
        Some("quoted-printable") => candidates.push((
            Finding::Unknown,
            "the body was re-encoded to quoted-printable in transit (it verifies after decoding; the signer sent 8bit)".into(),
            Box::new(|| hash_with(t, &qp_decode(t.body), t.canon)),
        )),
        Some("8bit" | "binary") | None if t.body.iter().any(|b| *b >= 0x80) => candidates.push((
            Finding::Unknown,
            "the body was decoded from quoted-printable to 8bit in transit (it verifies after re-encoding)".into(),
            Box::new(|| hash_with(t, &qp_encode(t.body), t.canon)),
        )),
        _ => {}
    }
    let mut stopped = false;
    for (code, what, hash) in &candidates {
        if !budget.take(len) {
            stopped = true;
            break;
        }
        if hash() == t.bh {
            return found(*code, what.clone(), Evidence::Change(what.clone()));
        }
    }
    tried.push(
        [
            if simple {
                "relaxed instead of simple body canonicalization, trailing whitespace removed, "
            } else {
                ""
            },
            "CR/LF rewrites (CRLF->CRCRLF, LF hashed literally, bare CR)",
            match t.cte.as_deref() {
                Some("quoted-printable") => ", quoted-printable decoded",
                _ if t.body.iter().any(|b| *b >= 0x80) => ", 8bit re-encoded as quoted-printable",
                _ => "",
            },
        ]
        .concat(),
    );

    // 5. One line's trailing whitespace stripped (simple only, bounded).
    if simple && !stopped && t.l.is_none() {
        match stripped_line(t, budget) {
            Some((line, what)) => {
                let d = format!(
                    "a relay stripped trailing whitespace from body line {line}: it verifies with {what} put back"
                );
                return found(Finding::BodyWhitespace, d.clone(), Evidence::Change(d));
            }
            None => tried.push(if budget.exhausted() {
                "trailing whitespace re-added to single lines (stopped by the byte budget)".into()
            } else {
                "trailing whitespace re-added to each single line".into()
            }),
        }
    }
    let budget_stopped = stopped || budget.exhausted();
    LocalizedFinding {
        code: Finding::Unknown,
        detail: format!(
            "the body changed in a way dkimscope cannot undo (e.g. a word or link rewritten, MIME re-encoded, text inserted in the middle); tried: {}{}",
            tried.join("; "),
            if budget_stopped {
                "; the work budget stopped the search early"
            } else {
                ""
            }
        ),
        evidence: Evidence::None,
        tried,
        budget_stopped,
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_lines_match_canon_lines() {
        let bodies: [&[u8]; 5] = [b"a\r\nb\nc", b"x\r", b"\r\n\r\n", b"a\r\r\nb\r\n", b""];
        for b in bodies {
            let ours: Vec<&[u8]> = raw_lines(b).map(|l| &b[l.start..l.content_end]).collect();
            let theirs: Vec<&[u8]> = canon::lines(b).collect();
            assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(b));
        }
    }

    #[test]
    fn qp_round_trip_and_rules() {
        assert_eq!(
            qp_decode(b"caf=C3=A9 =\r\nbar  \r\n"),
            b"caf\xc3\xa9 bar\r\n"
        );
        let enc = qp_encode("caf\u{e9} = ok \r\n".as_bytes());
        assert_eq!(enc, b"caf=C3=A9 =3D ok=20\r\n");
        assert_eq!(qp_decode(&enc), "caf\u{e9} = ok \r\n".as_bytes());
        let long = vec![b'x'; 200];
        let enc = qp_encode(&long);
        assert!(canon::lines(&enc).all(|l| l.len() <= 76));
        assert_eq!(qp_decode(&enc), long);
    }

    #[test]
    fn cr_rewrites() {
        assert_eq!(collapse_cr(b"a\r\r\nb\r\r\r\nc\rd"), b"a\r\nb\r\nc\rd");
        assert_eq!(to_lf(b"a\r\nb\nc\r"), b"a\nb\nc\r");
        assert_eq!(bare_cr_to_crlf(b"a\rb\r\n"), b"a\r\nb\r\n");
        assert_eq!(strip_trailing_ws(b"a \t\r\nb\n c  "), b"a\r\nb\n c");
    }
}
