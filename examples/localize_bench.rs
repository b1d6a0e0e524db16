//! Timing for localization on a large body: a 10 MB text body signed (its
//! body hash taken) and then a footer appended, as a relay would. Prints how
//! long verification's own body hash takes and how much the localization
//! search adds, for the appended case and for the worst case (a word
//! changed, so every reversal runs until the budget stops it).
//!
//! Run with `bench/localize.sh` (release build).

use std::time::{Duration, Instant};

use dkimscope::dkim::canon::body_hash;
use dkimscope::dkim::localize::{self, BodyTarget, Budget};
use dkimscope::dkim::signature::{Canon, HashAlg};

fn body(mb: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(mb * 1024 * 1024 + 100);
    let mut i = 0u64;
    while out.len() < mb * 1024 * 1024 {
        out.extend(
            format!("Line {i:08} of the quarterly report: revenue, costs and the outlook.\r\n")
                .into_bytes(),
        );
        i += 1;
    }
    out
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        last = Some(r);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let mb = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let original = body(mb);
    let footer = b"--\r\nThis e-mail and any attachments are confidential.\r\nExample Com Ltd.\r\n";
    for canon in [Canon::Relaxed, Canon::Simple] {
        let bh = body_hash(&original, canon, HashAlg::Sha256, None).digest;
        let mut received = original.clone();
        received.extend_from_slice(footer);
        let (verify, _) = best_of(3, || body_hash(&received, canon, HashAlg::Sha256, None));
        let t = BodyTarget {
            body: &received,
            canon,
            alg: HashAlg::Sha256,
            bh: &bh,
            l: None,
            cte: None,
        };
        let (appended, f) = best_of(3, || localize::body(&t, &mut Budget::default()));
        println!(
            "{} MB body, c=.../{}: body hash {:.1} ms; localization adds {:.1} ms -> {} ({})",
            received.len() / (1024 * 1024),
            canon.name(),
            verify.as_secs_f64() * 1e3,
            appended.as_secs_f64() * 1e3,
            f.code,
            f.detail
        );
        let mut changed = original.clone();
        changed[received.len() / 2] ^= 0x20;
        let t = BodyTarget {
            body: &changed,
            ..t
        };
        let (worst, f) = best_of(1, || localize::body(&t, &mut Budget::default()));
        println!(
            "   worst case (one byte changed): localization adds {:.1} ms -> {} (budget stopped: {})",
            worst.as_secs_f64() * 1e3,
            f.code,
            f.budget_stopped
        );
    }
}
