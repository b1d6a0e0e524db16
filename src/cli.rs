//! The command line: `dkimscope [FILE|-]`, `dkimscope check ...`,
//! `dkimscope explain [TOPIC]`, `dkimscope selectors ...`, the shell
//! completions and man page generated from these same definitions, and the
//! options every command shares.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dkimscope",
    version,
    about = "Why did this mail fail DKIM? Dissects signatures, resolves keys and re-runs canonicalization step by step.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A message file (.eml, pasted headers, a bounce), or - for stdin.
    pub file: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify messages and print a report for each (exit 0 all pass, 1 any fails or unsigned, 2 input error).
    Check(CheckArgs),
    /// Explain a tag, result word or code (b, key:p, dmarc:p, arc:cv, key-cname-dangling, ...); no TOPIC lists them all.
    Explain(ExplainArgs),
    /// Audit the DKIM selectors domains publish, following CNAMEs (exit 0 every domain has a working selector, 1 any has none, 2 usage error).
    Selectors(SelectorsArgs),
    /// Print the shell completion script for SHELL (e.g. dkimscope completions bash > /etc/bash_completion.d/dkimscope).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the man page, in roff (e.g. dkimscope man > /usr/local/share/man/man1/dkimscope.1).
    Man,
}

/// The completion script for `shell`, from the parser's own definition.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dkimscope", &mut out);
    out
}

/// The man page (roff), from the parser's own definition. `.TH` comes
/// first, as man pages begin; the string definitions clap_mangen writes
/// before it (`\*(Aq`, the apostrophe) follow it, still ahead of any use.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    let text = String::from_utf8_lossy(&out);
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(at) = lines.iter().position(|l| l.starts_with(".TH ")) {
        let title = lines.remove(at);
        lines.insert(0, title);
    }
    let mut page = lines.join("\n");
    page.push('\n');
    Ok(page.into_bytes())
}

#[derive(Debug, Args)]
pub struct SelectorsArgs {
    /// Domains to audit.
    pub domains: Vec<String>,
    /// Read more domains from this file, one per line (# starts a comment).
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// Selectors to try, comma-separated (default: selector1, selector2, google, k1, k2, s1, s2, default, dkim, mail, mx, smtp, key1, key2, sig1).
    #[arg(long, value_name = "S1,S2,...", value_delimiter = ',')]
    pub selectors: Vec<String>,
    /// One JSON object per domain, one per line.
    #[arg(long)]
    pub json: bool,
    /// DNS queries in flight at once.
    #[arg(long, value_name = "N", default_value_t = crate::selectors::DEFAULT_PARALLEL)]
    pub parallel: usize,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A DKIM-Signature tag (b, bh=, dkim:l), key-record tag (key:p), ARC or DMARC tag (arc:cv, dmarc:p), Authentication-Results method or result (spf, softfail), or a diagnosis, warning or finding code.
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Message files, directories (every message file inside, Maildir cur/ and new/ included), or - for stdin.
    #[arg(default_value = "-")]
    pub inputs: Vec<String>,
    /// One JSON object per message, one per line.
    #[arg(long)]
    pub json: bool,
    /// Messages verified at once (default: the number of CPUs, times two).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Common {
    /// Never send a DNS query: keys come only from --keys files.
    #[arg(long, global = true)]
    pub offline: bool,
    /// DNS records in zone-file syntax (what `dig +noall +answer` prints) that answer before DNS does. Repeatable.
    #[arg(long = "keys", value_name = "FILE", global = true)]
    pub keys: Vec<PathBuf>,
    /// The DNS resolver to ask, ADDR or ADDR:PORT (default: the system resolver).
    #[arg(long, value_name = "ADDR[:PORT]", value_parser = parse_resolver, global = true)]
    pub resolver: Option<SocketAddr>,
    /// The "now" used for t= and x= checks: RFC 3339 (2025-11-24T12:00:00Z), Unix seconds, or `delivery`: each message's own delivery time (its receiving side's topmost Received date; a message without one is checked now, with a note).
    #[arg(long, value_name = "TIME|delivery", value_parser = crate::diagnose::timing::parse_at, global = true)]
    pub at: Option<crate::diagnose::timing::At>,
    /// An Authentication-Results authserv-id that is your own (your border removes incoming fields with it, RFC 8601 §5): its fields are believed wherever they sit. Repeatable.
    #[arg(long = "trust", value_name = "AUTHSERV-ID", global = true)]
    pub trust: Vec<String>,
    /// Seconds to wait for a DNS answer, retries included; past it the key is key-dns-error.
    #[arg(long, value_name = "SECS", default_value_t = 5.0, value_parser = parse_seconds, global = true)]
    pub dns_timeout: f64,
    /// Largest input accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64, global = true)]
    pub max_size: u64,
    /// Write every DNS answer used to FILE, as a keys file: `--keys FILE --offline --at TIME` replays the check.
    #[arg(long, value_name = "FILE", global = true)]
    pub record: Option<PathBuf>,
    /// Each key answer's DNSSEC status: `ad` reports the resolver's AD bit (secure, or unknown: no AD bit cannot tell an unsigned zone from a resolver that does not validate); `validate` checks the signatures here, from the root trust anchor (secure, insecure or bogus; a bogus answer fails like a DNS error).
    #[arg(long, value_name = "MODE", value_enum, default_value_t = DnssecArg::Ad, global = true)]
    pub dnssec: DnssecArg,
    /// With --dnssec validate: trust the DNSKEY records in FILE (zone syntax) instead of the root zone's keys.
    #[arg(long, value_name = "FILE", global = true)]
    pub trust_anchor: Option<PathBuf>,
}

/// `--dnssec`: where each answer's DNSSEC status comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DnssecArg {
    /// The resolver's AD bit.
    #[default]
    Ad,
    /// dkimscope's own validation.
    Validate,
}

impl Common {
    /// The key source these options describe: keys files first, then live
    /// DNS unless `--offline`.
    pub fn key_source(&self) -> Result<std::sync::Arc<dyn crate::dns::TxtSource>, String> {
        use crate::dns::{Layered, LiveConfig, LiveResolver, ZoneKeys};
        let files = ZoneKeys::from_files(&self.keys).map_err(|e| e.to_string())?;
        if self.trust_anchor.is_some() && self.dnssec != DnssecArg::Validate {
            return Err("--trust-anchor is only used with --dnssec validate".into());
        }
        let live = if self.offline {
            None
        } else {
            let cfg = LiveConfig {
                server: self.resolver,
                timeout: std::time::Duration::from_secs_f64(self.dns_timeout.clamp(0.05, 120.0)),
                dnssec: match self.dnssec {
                    DnssecArg::Ad => crate::dns::DnssecMode::AdBit,
                    DnssecArg::Validate => crate::dns::DnssecMode::Validate,
                },
                trust_anchor: self.trust_anchor.clone(),
                ..LiveConfig::default()
            };
            Some(LiveResolver::new(cfg).map_err(|e| e.to_string())?)
        };
        Ok(std::sync::Arc::new(Layered::new(files, live)))
    }

    /// [`Common::key_source`], recording into `recording` when given.
    pub fn recorded_source(
        &self,
        recording: Option<&std::sync::Arc<crate::dns::Recording>>,
    ) -> Result<std::sync::Arc<dyn crate::dns::TxtSource>, String> {
        let keys = self.key_source()?;
        Ok(match recording {
            Some(r) => std::sync::Arc::new(crate::dns::Recorder::new(keys, r.clone())),
            None => keys,
        })
    }

    /// The recording `--record` asks for (empty), if it does.
    pub fn recording(&self) -> Option<std::sync::Arc<crate::dns::Recording>> {
        self.record.as_ref().map(|_| {
            let r = crate::dns::Recording::new();
            r.set_replay_at(self.at.map(|at| match at {
                crate::diagnose::timing::At::Time(t) => crate::dns::record::rfc3339(t),
                crate::diagnose::timing::At::Delivery => "delivery".to_string(),
            }));
            r
        })
    }
}

/// Writes `recording` to the `--record` file; says why not on failure.
pub fn write_recording(
    common: &Common,
    recording: Option<&std::sync::Arc<crate::dns::Recording>>,
    now: u64,
) -> Result<(), String> {
    match (&common.record, recording) {
        (Some(path), Some(r)) => r.write(path, now).map_err(|e| {
            format!(
                "cannot write the recorded answers to {}: {e}",
                path.display()
            )
        }),
        _ => Ok(()),
    }
}

/// What to say when `dkimscope DIR` is run on a terminal: the interactive
/// view opens one message, and `check` is the command for a directory.
/// `None` when `file` is not a directory. (With stdout not a terminal,
/// `dkimscope DIR` prints the `check` report for every message in it.)
pub fn directory_hint(file: &str) -> Option<String> {
    std::path::Path::new(file).is_dir().then(|| {
        format!(
            "{file} is a directory, and the interactive view opens one message; for a report on every message in it, run: dkimscope check {file}"
        )
    })
}

/// A positive, finite number of seconds (`5`, `0.5`).
pub fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "'{s}' is not a positive number of seconds (e.g. 5 or 0.5)"
        )),
    }
}

/// `192.0.2.1`, `192.0.2.1:5353`, `::1`, `[::1]:5353`.
pub fn parse_resolver(s: &str) -> Result<SocketAddr, String> {
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Ok(sa);
    }
    if let Ok(ip) = s.trim_matches(|c| c == '[' || c == ']').parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err(format!(
        "'{s}' is not an IP address with an optional :port (e.g. 127.0.0.1:5353)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_forms() {
        assert_eq!(parse_resolver("127.0.0.1").unwrap().port(), 53);
        assert_eq!(parse_resolver("127.0.0.1:5353").unwrap().port(), 5353);
        assert_eq!(parse_resolver("[::1]:54").unwrap().port(), 54);
        assert!(parse_resolver("::1").unwrap().is_ipv6());
        assert!(parse_resolver("dns.example").is_err());
    }

    #[test]
    fn a_directory_is_pointed_to_check() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let hint = directory_hint(dir).unwrap();
        assert!(
            hint.ends_with(&format!("run: dkimscope check {dir}")),
            "{hint}"
        );
        assert_eq!(directory_hint(&format!("{dir}/Cargo.toml")), None);
        assert_eq!(directory_hint("-"), None);
    }

    #[test]
    fn seconds_are_positive_and_finite() {
        assert_eq!(parse_seconds("5"), Ok(5.0));
        assert_eq!(parse_seconds("0.5"), Ok(0.5));
        for bad in ["0", "-1", "NaN", "inf", "soon", ""] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }
}
