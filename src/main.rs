//! The binary: parse the command line, build the key source, run `check`
//! (or print the report for a single message), exit 0/1/2.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;

use dkimscope::batch::{self, Item, Settings};
use dkimscope::cli::{Cli, Command, Common, SelectorsArgs};
use dkimscope::dkim::codes::Outcome;
use dkimscope::dns::{Layered, LiveConfig, LiveResolver, TxtSource, ZoneKeys};
use dkimscope::message::load;
use dkimscope::report::{json, text};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (inputs, common, as_json, jobs) = match cli.command {
        Some(Command::Check(c)) => (c.inputs, c.common, c.json, c.jobs),
        Some(Command::Selectors(s)) => return selectors(s),
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dkimscope: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(check(inputs, common, as_json, jobs))
}

fn key_source(common: &Common) -> Result<Arc<dyn TxtSource>, String> {
    let files = ZoneKeys::from_files(&common.keys).map_err(|e| e.to_string())?;
    let live = if common.offline {
        None
    } else {
        let cfg = LiveConfig {
            server: common.resolver,
            timeout: Duration::from_secs_f64(common.dns_timeout.clamp(0.05, 120.0)),
            ..LiveConfig::default()
        };
        Some(LiveResolver::new(cfg).map_err(|e| e.to_string())?)
    };
    Ok(Arc::new(Layered::new(files, live)))
}

async fn check(
    inputs: Vec<String>,
    common: Common,
    as_json: bool,
    jobs: Option<usize>,
) -> ExitCode {
    let keys = match key_source(&common) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("dkimscope: {e}");
            return ExitCode::from(2);
        }
    };
    let real_now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let settings = Settings {
        now: common.at.unwrap_or(real_now),
        now_is_real: common.at.is_none(),
        jobs: jobs
            .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get())),
        max_size: common.max_size.saturating_mul(1024 * 1024),
    };
    let style = text::Style {
        color: !as_json
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none(),
    };
    let (mut all_pass, mut input_error) = (true, false);
    let (mut count, mut passed) = (0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    batch::run(
        load::expand(&inputs),
        keys,
        &settings,
        |Item { file, result }| {
            count += 1;
            let line = match &result {
                Ok(r) => {
                    let ok = r.dkim == Outcome::Pass
                        && r.signatures.iter().all(|s| s.check.result == Outcome::Pass);
                    all_pass &= ok;
                    passed += usize::from(ok);
                    if as_json {
                        json::message_line(&file, r)
                    } else {
                        text::message(&file, r, style)
                    }
                }
                Err(e) => {
                    input_error = true;
                    if as_json {
                        json::error_line(&file, e)
                    } else {
                        text::error(&file, e)
                    }
                }
            };
            // A closed pipe (e.g. `| head`) ends the batch quietly.
            writeln!(out, "{line}")
                .and_then(|_| if as_json { out.flush() } else { Ok(()) })
                .is_ok()
        },
    )
    .await;
    if !as_json && count > 1 {
        let _ = writeln!(
            out,
            "checked {count} messages: {passed} fully pass, {} do not",
            count - passed
        );
    }
    let _ = out.flush();
    if input_error {
        ExitCode::from(2)
    } else if all_pass && count > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `dkimscope selectors`: exit 0 when every domain has a working selector,
/// 1 when any has none, 2 on a usage or input error.
fn selectors(args: SelectorsArgs) -> ExitCode {
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
    let keys = match key_source(&args.common) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("dkimscope: {e}");
            return ExitCode::from(2);
        }
    };
    let style = text::Style {
        color: !args.json
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none(),
    };
    let (mut count, mut broken) = (0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let Ok(runtime) = tokio::runtime::Runtime::new() else {
        eprintln!("dkimscope: cannot start the async runtime");
        return ExitCode::from(2);
    };
    runtime.block_on(audit(&domains, &sels, &*keys, args.parallel, |a| {
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
    ExitCode::from(u8::from(broken > 0))
}
