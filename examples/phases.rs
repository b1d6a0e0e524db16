//! Where a batch's time goes: every file of a directory checked in process
//! on one thread, timed phase by phase (read, parse, the whole analysis,
//! mail-auth's verification alone on the same bytes and key answers, and
//! the JSON line), so the cost of the cross-check and of our own trace can
//! be told apart. Prints the mean per message of each phase.
//!
//!     cargo run --release --example phases -- KEYS DIR [ROUNDS]
//!
//! `bench/run.sh` prints these figures after its comparison table.

use std::time::{Duration, Instant};

use dkimscope::dns::{Layered, ZoneKeys};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: phases KEYS DIR [ROUNDS]");
        std::process::exit(2);
    }
    let keys_text = std::fs::read_to_string(&args[0]).expect("keys file");
    let keys = Layered::offline(ZoneKeys::parse(&args[0], &keys_text));
    let rounds: u32 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut files: Vec<_> = std::fs::read_dir(&args[1])
        .expect("directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    dkimscope::dkim::crosscheck::prepare();
    let names = [
        "read",
        "parse",
        "lookups",
        "analyse",
        "  of it mail-auth",
        "json",
    ];
    let mut total = [Duration::ZERO; 6];
    let mut count = 0u32;
    let clock = dkimscope::diagnose::Clock {
        now: 1_764_000_000,
        real: false,
    };
    for _ in 0..rounds {
        for file in &files {
            let t = Instant::now();
            let bytes = std::fs::read(file).expect("message file");
            let t1 = Instant::now();
            let msg = dkimscope::message::parse(bytes);
            let t2 = Instant::now();
            let lookups = rt.block_on(dkimscope::diagnose::lookups(&msg, &keys));
            let t3 = Instant::now();
            let report = dkimscope::diagnose::analyse(msg, &lookups, clock);
            let t4 = Instant::now();
            let has_arc = dkimscope::arc::present(&report.message);
            let second = dkimscope::dkim::crosscheck::second_opinion(
                &report.message.raw,
                &report.lookups,
                has_arc,
            );
            let t5 = Instant::now();
            let line = dkimscope::report::json::message_line(&file.to_string_lossy(), &report);
            let t6 = Instant::now();
            std::hint::black_box((second, line));
            for (slot, d) in
                total
                    .iter_mut()
                    .zip([t1 - t, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5])
            {
                *slot += d;
            }
            count += 1;
        }
    }
    let count = count.max(1);
    println!(
        "{} messages x {rounds} rounds, one thread; mean per message:",
        files.len()
    );
    for (name, t) in names.iter().zip(total) {
        println!(
            "  {name:<18} {:>8.1} us",
            t.as_secs_f64() * 1e6 / f64::from(count)
        );
    }
}
