//! Regenerates `sample-headers/` and `tests/fixtures/defects/` from the
//! committed keys and the specs in `src/samples/` and `src/defects/`.
//! Deterministic: running it twice changes nothing; it writes only files
//! whose content differs.
//!
//! Usage: gen-samples [--root DIR]   (DIR defaults to the dkimscope checkout)

use dkimscope_testdata::compose::Keys;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-samples: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut root = dkimscope_testdata::checkout();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--root" => root = PathBuf::from(args.next().ok_or("--root needs a directory")?),
            "-h" | "--help" => {
                println!("usage: gen-samples [--root DIR]");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let files = dkimscope_testdata::generate(&Keys::committed()?)?;
    let mut changed = 0;
    for (rel, data) in &files {
        let p = root.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        if std::fs::read(&p).ok().as_deref() != Some(data.as_slice()) {
            std::fs::write(&p, data).map_err(|e| format!("{}: {e}", p.display()))?;
            changed += 1;
        }
    }
    println!(
        "gen-samples: {} files under {}, {changed} changed",
        files.len(),
        root.display()
    );
    Ok(())
}
