//! In-process timing of one message's whole check: parse plus analyse (our
//! trace, mail-auth's cross-check, Received, DMARC) against a keys file,
//! without process start-up. Prints the header field count and the median
//! of RUNS runs for each file, so a series of files shows how the time grows
//! with the header.
//!
//!     cargo run --release --example analyse_bench -- KEYS RUNS FILE...
//!
//! `bench/header_heavy.sh` runs it on header-heavy messages of growing size.

use std::time::{Duration, Instant};

use dkimscope::dns::{Layered, ZoneKeys};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: analyse_bench KEYS RUNS FILE...");
        std::process::exit(2);
    }
    let keys_text = std::fs::read_to_string(&args[0]).expect("keys file");
    let keys = Layered::offline(ZoneKeys::parse(&args[0], &keys_text));
    let runs: usize = args[1].parse().expect("RUNS is a number");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    // mail-auth's verifier is built once per process; not part of a check.
    dkimscope::dkim::crosscheck::prepare();
    for file in &args[2..] {
        let raw = std::fs::read(file).expect("message file");
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut fields = 0;
        let mut result = String::new();
        for _ in 0..runs.max(1) {
            let bytes = raw.clone();
            let t = Instant::now();
            let msg = dkimscope::message::parse(bytes);
            fields = msg.headers.len();
            let report = rt.block_on(dkimscope::diagnose::analyse_with(
                msg,
                &keys,
                dkimscope::diagnose::Clock {
                    now: 1_764_000_000,
                    real: false,
                },
            ));
            times.push(t.elapsed());
            result = report.dkim.as_str().to_string();
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{file}: {fields} header fields, dkim={result}, median {:.2} ms over {} runs",
            median.as_secs_f64() * 1e3,
            times.len()
        );
    }
}
