//! The binary: parse the command line, build the key source, run `check`
//! (or print the report for a single message), exit 0/1/2.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;

use dkimscope::batch::{self, Item, Settings};
use dkimscope::cli::{Cli, Command, Common, SelectorsArgs};
use dkimscope::dkim::codes::Outcome;
use dkimscope::dns::{Recording, TxtSource};
use dkimscope::message::load;
use dkimscope::report::{json, text};

fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("dkimscope: cannot start: {e}");
            None
        }
    }
}

/// The one key source of this run, built from `--keys`, `--offline` and
/// `--resolver`, recording into `recording` (`--record`); None (after
/// saying why) when it cannot be.
fn key_source(common: &Common, recording: Option<&Arc<Recording>>) -> Option<Arc<dyn TxtSource>> {
    match common.recorded_source(recording) {
        Ok(k) => Some(k),
        Err(e) => {
            eprintln!("dkimscope: {e}");
            None
        }
    }
}

/// The TUI, on FILE, on piped stdin, or empty (waiting for a paste).
fn interactive(
    rt: &tokio::runtime::Runtime,
    file: Option<String>,
    common: Common,
    keys: Arc<dyn TxtSource>,
    recording: Option<Arc<Recording>>,
) -> ExitCode {
    let input = match file {
        Some(f) if f == "-" => Some(load::Input::Stdin),
        Some(f) => Some(load::Input::Path(f.into())),
        None if !std::io::stdin().is_terminal() => Some(load::Input::Stdin),
        None => None,
    };
    let first = match input {
        None => None,
        Some(input) => match load::read(&input, common.max_size.saturating_mul(1024 * 1024)) {
            Ok(bytes) => Some((input.label(), bytes)),
            Err(e) => {
                eprintln!("dkimscope: {}: {e}", input.label());
                return ExitCode::from(2);
            }
        },
    };
    match rt.block_on(dkimscope::tui::run(first, common, keys, recording)) {
        Ok(dkimscope::tui::Ended::Quit) => ExitCode::SUCCESS,
        // The shell's convention for "killed by signal n", after a clean restore.
        Ok(dkimscope::tui::Ended::Signal(n)) => ExitCode::from((128 + n) as u8),
        Err(e) => {
            eprintln!("dkimscope: terminal error: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Explain(e)) => return explain(e.topic.as_deref()),
        Some(Command::Completions { shell }) => {
            return print(&dkimscope::cli::completions(*shell));
        }
        Some(Command::Man) => {
            return match dkimscope::cli::man_page() {
                Ok(page) => print(&page),
                Err(e) => {
                    eprintln!("dkimscope: cannot write the man page: {e}");
                    ExitCode::from(2)
                }
            };
        }
        _ => {}
    }
    let common = match &cli.command {
        Some(Command::Check(c)) => &c.common,
        Some(Command::Selectors(s)) => &s.common,
        _ => &cli.common,
    };
    let recording = common.recording();
    let Some(keys) = key_source(common, recording.as_ref()) else {
        return ExitCode::from(2);
    };
    let Some(rt) = runtime() else {
        return ExitCode::from(2);
    };
    let (inputs, common, as_json, jobs) = match cli.command {
        Some(Command::Check(c)) => (c.inputs, c.common, c.json, c.jobs),
        Some(Command::Explain(_) | Command::Completions { .. } | Command::Man) => {
            return ExitCode::from(2);
        }
        None if std::io::stdout().is_terminal() => {
            // The view shows one message; a directory holds many. Piped,
            // the same command reports on them all (below).
            if let Some(hint) = cli.file.as_deref().and_then(dkimscope::cli::directory_hint) {
                eprintln!("dkimscope: {hint}");
                return ExitCode::from(2);
            }
            return interactive(&rt, cli.file, cli.common, keys, recording);
        }
        Some(Command::Selectors(s)) => return selectors(&rt, s, keys, recording),
        None => {
            let file = match cli.file {
                Some(f) => f,
                None if !std::io::stdin().is_terminal() => "-".into(),
                None => {
                    eprintln!(
                        "dkimscope: give a message file, or pipe one in (dkimscope - < message.eml); see --help"
                    );
                    return ExitCode::from(2);
                }
            };
            (vec![file], cli.common, false, None)
        }
    };
    rt.block_on(check(inputs, common, keys, recording, as_json, jobs))
}

/// Unix seconds now.
fn wall_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Writes the `--record` file; exit code 2 (after saying why) when it
/// cannot be written, else `code`.
fn finish_recording(
    common: &Common,
    recording: Option<&Arc<Recording>>,
    started: u64,
    code: ExitCode,
) -> ExitCode {
    match dkimscope::cli::write_recording(common, recording, started) {
        Ok(()) => code,
        Err(e) => {
            eprintln!("dkimscope: {e}");
            ExitCode::from(2)
        }
    }
}

/// Generated text to stdout; a closed pipe (`| head`) is not an error.
fn print(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|_| out.flush());
    ExitCode::SUCCESS
}

/// `dkimscope explain [TOPIC]`: 0 with the text, 2 for an unknown topic.
fn explain(topic: Option<&str>) -> ExitCode {
    use dkimscope::explain;
    let text = match topic {
        None => explain::listing(),
        Some(q) => match explain::lookup(q) {
            Some(t) => explain::render(t),
            None => {
                let near = explain::closest(q);
                eprintln!(
                    "dkimscope: no explain topic {:?}{}; `dkimscope explain` lists them all",
                    q,
                    if near.is_empty() {
                        String::new()
                    } else {
                        format!(" (closest: {})", near.join(", "))
                    }
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    ExitCode::SUCCESS
}

/// How one message of a batch came out, for the summary and exit code.
enum Verdict {
    Pass,
    NotPass,
    Unreadable,
}

async fn check(
    inputs: Vec<String>,
    common: Common,
    keys: Arc<dyn TxtSource>,
    recording: Option<Arc<Recording>>,
    as_json: bool,
    jobs: Option<usize>,
) -> ExitCode {
    // mail-auth's verifier is built once, on first use: do it while the
    // first files are read.
    std::thread::spawn(dkimscope::dkim::crosscheck::prepare);
    let real_now = wall_clock();
    let settings = Settings {
        at: common.at,
        real_now,
        jobs: jobs
            .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get())),
        max_size: common.max_size.saturating_mul(1024 * 1024),
        trust: common.trust.clone(),
    };
    let style = text::Style {
        color: !as_json
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none(),
    };
    let (mut all_pass, mut input_error) = (true, false);
    let (mut count, mut passed, mut errors) = (0usize, 0usize, 0usize);
    // Ctrl-C stops the batch between messages: every line written is whole.
    let interrupted = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = interrupted.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Rendered on the workers: what the writer needs of each message.
    let render: batch::Render<(Verdict, String)> =
        Arc::new(move |Item { file, result }| match &result {
            Ok(r) => {
                let ok = r.dkim == Outcome::Pass
                    && r.signatures.iter().all(|s| s.check.result == Outcome::Pass);
                let line = if as_json {
                    json::message_line(&file, r)
                } else {
                    text::message(&file, r, style)
                };
                (if ok { Verdict::Pass } else { Verdict::NotPass }, line)
            }
            Err(e) => {
                let line = if as_json {
                    json::error_line(&file, e)
                } else {
                    text::error(&file, e)
                };
                (Verdict::Unreadable, line)
            }
        });
    batch::run(
        load::expand(&inputs),
        keys,
        &settings,
        render,
        |(verdict, line)| {
            if interrupted.load(std::sync::atomic::Ordering::SeqCst) {
                return false;
            }
            count += 1;
            match verdict {
                Verdict::Pass => passed += 1,
                Verdict::NotPass => all_pass = false,
                Verdict::Unreadable => {
                    input_error = true;
                    errors += 1;
                }
            }
            // A closed pipe (e.g. `| head`) ends the batch quietly.
            out.write_all(line.as_bytes())
                .and_then(|_| out.write_all(b"\n"))
                .and_then(|_| if as_json { out.flush() } else { Ok(()) })
                .is_ok()
        },
    )
    .await;
    let summary = format!(
        "checked {count} messages: {passed} fully pass, {} do not, {errors} could not be read",
        count - passed - errors
    );
    if !as_json && count > 1 {
        let _ = writeln!(out, "{summary}");
    }
    let _ = out.flush();
    if as_json && count > 1 {
        eprintln!("{summary}");
    }
    let code = if interrupted.load(std::sync::atomic::Ordering::SeqCst) {
        eprintln!("dkimscope: interrupted after {count} messages");
        ExitCode::from(130)
    } else if input_error {
        ExitCode::from(2)
    } else if all_pass && count > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    // What was answered before an interruption is recorded too.
    finish_recording(&common, recording.as_ref(), real_now, code)
}

/// `dkimscope selectors`: exit 0 when every domain has a working selector,
/// 1 when any has none, 2 on a usage or input error.
fn selectors(
    rt: &tokio::runtime::Runtime,
    args: SelectorsArgs,
    keys: Arc<dyn TxtSource>,
    recording: Option<Arc<Recording>>,
) -> ExitCode {
    let started = wall_clock();
    use dkimscope::report::selectors as print;
    use dkimscope::selectors::{DEFAULT_SELECTORS, audit, clean_domains};
    let mut items = args.domains.clone();
    if let Some(path) = &args.from_file {
        match std::fs::read_to_string(path) {
            Ok(text) => items.extend(text.lines().map(str::to_string)),
            Err(e) => {
                eprintln!("dkimscope: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let domains = clean_domains(items.iter().map(String::as_str));
    let sels: Vec<String> = if args.selectors.is_empty() {
        DEFAULT_SELECTORS.map(String::from).to_vec()
    } else {
        clean_domains(args.selectors.iter().map(String::as_str))
    };
    if domains.is_empty() || sels.is_empty() {
        eprintln!("dkimscope: selectors needs at least one domain (arguments or --from-file)");
        return ExitCode::from(2);
    }
    let style = text::Style {
        color: !args.json
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none(),
    };
    let (mut count, mut broken) = (0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    rt.block_on(audit(&domains, &sels, &*keys, args.parallel, |a| {
        count += 1;
        broken += usize::from(!a.ok());
        let line = if args.json {
            print::json_line(&a)
        } else {
            print::text(&a, style)
        };
        writeln!(out, "{line}").and_then(|_| out.flush()).is_ok()
    }));
    if !args.json && count > 1 {
        let _ = writeln!(
            out,
            "audited {count} domains: {} with a working selector, {broken} without",
            count - broken
        );
    }
    let _ = out.flush();
    let code = ExitCode::from(u8::from(broken > 0));
    finish_recording(&args.common, recording.as_ref(), started, code)
}
