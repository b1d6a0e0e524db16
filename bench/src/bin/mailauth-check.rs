//! Baseline verifier: checks every given message with mail-auth alone
//! (keys only from `--keys` zone files, never the network), on `--threads`
//! threads (default: one per core), one message at a time on each. One line
//! per file, then a summary.
//!
//! Built twice from this file: `mailauth-check` here, on mail-auth's
//! RustCrypto backend, and `mailauth-check-ring` by bench/mailauth-ring/, on
//! ring (dkimscope's backend). Nothing else differs.
//!
//! Usage: mailauth-check --keys FILE [--keys FILE]... [--threads N] [--quiet] PATH...
//!
//! A directory means every `*.eml` / `*.msg` / extension-less regular file
//! under it (recursively, sorted). Exit 0 on success even if signatures fail;
//! 2 on a usage error.

use dkimscope_testdata::mailauth::Verifier;
use dkimscope_testdata::zone::Zone;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// One line per signature, or why the file could not be checked.
type FileResult = Result<Vec<String>, String>;

struct Args {
    keys: Vec<PathBuf>,
    paths: Vec<PathBuf>,
    threads: usize,
    quiet: bool,
}

fn usage() -> ! {
    eprintln!("usage: mailauth-check --keys FILE [--keys FILE]... [--threads N] [--quiet] PATH...");
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut a = Args {
        keys: Vec::new(),
        paths: Vec::new(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        quiet: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--keys" => a.keys.push(it.next().unwrap_or_else(|| usage()).into()),
            "--threads" => {
                a.threads = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage())
            }
            "--quiet" | "-q" => a.quiet = true,
            "-h" | "--help" => usage(),
            _ => a.paths.push(arg.into()),
        }
    }
    if a.paths.is_empty() {
        usage();
    }
    a
}

fn is_message_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.') {
        return false;
    }
    match p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
    {
        None => true,
        Some(e) => e == "eml" || e == "msg",
    }
}

fn collect(path: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
                Err(e) => {
                    errors.push((path.to_path_buf(), e.to_string()));
                    return;
                }
            };
            entries.sort();
            for e in entries {
                if e.is_dir() {
                    collect(&e, out, errors);
                } else if is_message_file(&e) {
                    out.push(e);
                }
            }
        }
        Ok(_) => out.push(path.to_path_buf()),
        Err(e) => errors.push((path.to_path_buf(), e.to_string())),
    }
}

fn main() {
    let args = parse_args();
    let mut zone = Zone::default();
    for k in &args.keys {
        match Zone::load(k) {
            Ok(z) => zone.merge(z),
            Err(e) => {
                eprintln!("mailauth-check: {e}");
                std::process::exit(2);
            }
        }
    }
    let verifier = match Verifier::new(&zone) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("mailauth-check: {e}");
            std::process::exit(2);
        }
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in &args.paths {
        collect(p, &mut files, &mut errors);
    }
    for (p, e) in &errors {
        println!("{}\terror: {e}", p.display());
    }

    // Keep panics from mail-auth off the terminal; they are reported per file.
    std::panic::set_hook(Box::new(|_| {}));

    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileResult>>> = Mutex::new(vec![None; files.len()]);
    let threads = args.threads.min(files.len()).max(1);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut rt = new_runtime();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    let r = match std::fs::read(&files[i]) {
                        Err(e) => Err(e.to_string()),
                        Ok(raw) => {
                            let v = &verifier;
                            let rt_ref = &rt;
                            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                rt_ref.block_on(v.verify(&raw))
                            })) {
                                Ok(Ok(out)) => Ok(out
                                    .iter()
                                    .map(|o| {
                                        format!("d={} s={} {}", o.domain, o.selector, o.detail)
                                    })
                                    .collect()),
                                Ok(Err(e)) => Err(e),
                                Err(_) => {
                                    rt = new_runtime();
                                    Err("mail-auth panicked on this message".into())
                                }
                            }
                        }
                    };
                    if let Ok(mut g) = results.lock() {
                        g[i] = Some(r);
                    }
                }
            });
        }
    });
    let elapsed = start.elapsed();

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    if !errors.is_empty() {
        counts.insert("error".into(), errors.len());
    }
    let mut sigs = 0usize;
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    for (f, r) in files.iter().zip(results) {
        let line = match r {
            Some(Ok(list)) if list.is_empty() => {
                *counts.entry("none".into()).or_default() += 1;
                "none".to_string()
            }
            Some(Ok(list)) => {
                for l in &list {
                    sigs += 1;
                    let word = l
                        .split_whitespace()
                        .nth(2)
                        .unwrap_or("")
                        .trim_end_matches(';');
                    let key = match word {
                        "temp" => "temperror",
                        "perm" => "permerror",
                        w => w,
                    };
                    *counts.entry(key.to_string()).or_default() += 1;
                }
                list.join(" | ")
            }
            Some(Err(e)) => {
                *counts.entry("error".into()).or_default() += 1;
                format!("error: {e}")
            }
            None => {
                *counts.entry("error".into()).or_default() += 1;
                "error: not checked".into()
            }
        };
        if !args.quiet {
            println!("{}\t{}", f.display(), sanitize(&line));
        }
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!(
        "summary: files={} signatures={} {} threads={} elapsed_ms={} files_per_s={:.0}",
        files.len() + errors.len(),
        sigs,
        summary.join(" "),
        threads,
        elapsed.as_millis(),
        files.len() as f64 / elapsed.as_secs_f64().max(1e-9)
    );
}

fn new_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime can always be built")
}

/// Never print control characters from a message raw.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                format!("\\x{:02x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}
