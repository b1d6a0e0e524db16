//! Robustness: thousands of deterministic pseudo-random and mutated inputs
//! go through `parse`; nothing may panic and every span must lie in `raw`.

use dkimscope::message::{Message, parse};

/// xorshift64*: small, deterministic, no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers, drawn more often than others.
const INTERESTING: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b":",
    b"-",
    b"--",
    b"\0",
    b"\xff",
    b"=",
    b"From ",
    b"Content-Type: multipart/report; boundary=\"b\"\n",
    b"Content-Type: message/rfc822\n",
    b"Content-Transfer-Encoding: base64\n",
    b"\n--b\n",
    b"\n--b--\n",
    b"Original message headers:\n",
    b"------ This is a copy of the message, including all the headers. ------\n",
    b"From: MAILER-DAEMON@x\n",
    b"Subject: Undeliverable: x\n",
    b"550 5.7.1 no\n",
    b"DKIM-Signature: v=1;\n\td=a\n",
    b"A: b\n",
];

fn check(m: &Message) {
    let len = m.raw.len();
    for h in &m.headers {
        assert!(h.span.start <= h.span.end && h.span.end <= len, "{h:?}");
        assert!(h.name_span.start >= h.span.start && h.name_span.end <= h.span.end);
        assert!(h.name_span.start <= h.name_span.end);
        assert!(h.value_span.start <= h.value_span.end);
        assert!(h.value_span.start >= h.span.start && h.value_span.end <= h.span.end);
        let _ = m.field_bytes(h);
        let _ = m.value_bytes(h);
    }
    if let Some(b) = &m.body {
        assert!(b.start <= b.end && b.end <= len);
    }
    let _ = m.body_bytes();
    if let Some(b) = &m.bounce {
        assert!(b.diagnostics.len() <= 8);
        assert!(b.diagnostics.iter().all(|d| d.chars().count() <= 300));
    }
}

fn random_input(rng: &mut Rng) -> Vec<u8> {
    let pieces = rng.below(60);
    let mut out = Vec::new();
    for _ in 0..pieces {
        if rng.below(3) == 0 {
            out.push(rng.next() as u8);
        } else {
            out.extend_from_slice(INTERESTING[rng.below(INTERESTING.len())]);
        }
    }
    out
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..=rng.below(6) {
        let at = rng.below(v.len() + 1);
        match rng.below(4) {
            0 => v.truncate(at),
            1 => {
                if let Some(b) = v.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            2 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                v.splice(at..at, piece.iter().copied());
            }
            _ => {
                let end = (at + rng.below(40)).min(v.len());
                v.drain(at..end);
            }
        }
    }
    v
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let input = random_input(&mut rng);
        check(&parse(input));
    }
}

#[test]
fn mutated_bounces_never_panic() {
    let dir = format!("{}/tests/fixtures/bounces", env!("CARGO_MANIFEST_DIR"));
    let mut bases = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        bases.push(std::fs::read(path).expect("read"));
    }
    bases.sort();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..3000 {
        let base = &bases[rng.below(bases.len())];
        check(&parse(mutate(&mut rng, base)));
    }
}
