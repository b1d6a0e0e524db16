//! `--record FILE`: every answer a check used, written back as a keys file
//! that `--keys FILE --offline --at TIME` replays.
//!
//! A helpdesk case outlives the DNS it was checked against: keys rotate,
//! selectors are deleted. [`Recorder`] wraps any [`TxtSource`] and keeps a
//! copy of each answer it passes on (the core never knows); [`Recording`]
//! writes them in the zone syntax [`super::zonefile`] reads, exactly as
//! answered: each TXT record's character-strings apart and escaped so they
//! read back byte for byte, each CNAME hop with its TTL, NXDOMAIN and NODATA
//! as the `$NXDOMAIN` and `$NODATA` directives with the SOA that made them
//! authoritative beside them, `$RECORDED` with the time, and `$DNSSEC
//! STATUS NAME` after each answer DNSSEC said something of (`secure`,
//! `insecure`, `bogus`; `unknown` is not written), so a replay reports the
//! same status. A SERVFAIL, a
//! timeout or an error is not an answer: it is written as a comment, so a
//! replay finds no record for that name and says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use super::{Answer, Dnssec, ServedBy, Soa, TxtLookup, TxtSource};

/// The answers seen so far, one per name asked (the latest), shared by the
/// [`Recorder`]s that feed it.
#[derive(Debug)]
pub struct Recording {
    answers: Mutex<BTreeMap<String, TxtLookup>>,
    /// The resolver live lookups went to, as the header names it.
    resolver: Mutex<Option<String>>,
    /// The `--at` the check ran with, for the replay line (`2025-11-24T12:00:00Z`
    /// or `delivery`); without one, the recording time.
    replay_at: Mutex<Option<String>>,
}

impl Recording {
    pub fn new() -> Arc<Recording> {
        Arc::new(Recording {
            answers: Mutex::new(BTreeMap::new()),
            resolver: Mutex::new(None),
            replay_at: Mutex::new(None),
        })
    }

    /// The `--at` a replay must give to see what the check saw: the one the
    /// check ran with.
    pub fn set_replay_at(&self, at: Option<String>) {
        *self
            .replay_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = at;
    }

    /// A recording of these answers alone (the TUI's saved case).
    pub fn of(lookups: &[TxtLookup], resolver: Option<String>) -> Arc<Recording> {
        let r = Recording::new();
        for l in lookups {
            r.add(l);
        }
        r.set_resolver(resolver);
        r
    }

    fn set_resolver(&self, resolver: Option<String>) {
        if resolver.is_some() {
            *self
                .resolver
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = resolver;
        }
    }

    /// Keeps `lookup`, replacing an earlier answer for the same name.
    pub fn add(&self, lookup: &TxtLookup) {
        self.answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(lookup.query.clone(), lookup.clone());
    }

    /// Number of names recorded.
    pub fn len(&self) -> usize {
        self.answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys file: a header (when, from whom), then each name asked, in
    /// name order, with what it answered. `now` is the recording time unless
    /// every answer came from recorded keys files: then the earliest of their
    /// times (re-recording a replay keeps the answers' real age).
    pub fn zone_text(&self, now: u64) -> String {
        let answers = self
            .answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let resolver = self
            .resolver
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let replay_at = self
            .replay_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        zone_text_at(
            answers.values(),
            resolver.as_deref(),
            now,
            replay_at.as_deref(),
        )
    }

    /// Writes [`Recording::zone_text`] to `path` (through a temporary file
    /// beside it, so a reader never sees half a file).
    pub fn write(&self, path: &std::path::Path, now: u64) -> std::io::Result<()> {
        let text = self.zone_text(now);
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = std::path::PathBuf::from(tmp);
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

/// A [`TxtSource`] that passes every lookup to `inner` and keeps a copy of
/// the answer in its [`Recording`].
pub struct Recorder {
    inner: Arc<dyn TxtSource>,
    recording: Arc<Recording>,
}

impl Recorder {
    pub fn new(inner: Arc<dyn TxtSource>, recording: Arc<Recording>) -> Recorder {
        recording.set_resolver(inner.resolver());
        Recorder { inner, recording }
    }

    pub fn recording(&self) -> &Arc<Recording> {
        &self.recording
    }
}

impl TxtSource for Recorder {
    fn lookup_txt<'a>(
        &'a self,
        name: &'a str,
    ) -> Pin<Box<dyn Future<Output = TxtLookup> + Send + 'a>> {
        Box::pin(async move {
            let found = self.inner.lookup_txt(name).await;
            self.recording.add(&found);
            found
        })
    }

    fn resolver(&self) -> Option<String> {
        self.inner.resolver()
    }
}

/// `2026-03-01T10:00:00Z`, the form `$RECORDED` and `--at` read.
pub fn rfc3339(secs: u64) -> String {
    crate::time::format_utc(secs).replacen(' ', "T", 1)
}

/// The keys-file text for `answers` (see [`Recording::zone_text`]).
pub fn zone_text<'a>(
    answers: impl IntoIterator<Item = &'a TxtLookup>,
    resolver: Option<&str>,
    now: u64,
) -> String {
    zone_text_at(answers, resolver, now, None)
}

/// [`zone_text`] whose replay line gives `replay_at` as `--at` (the check's
/// own `--at`), else the recording time.
pub fn zone_text_at<'a>(
    answers: impl IntoIterator<Item = &'a TxtLookup>,
    resolver: Option<&str>,
    now: u64,
    replay_at: Option<&str>,
) -> String {
    let answers: Vec<&TxtLookup> = answers.into_iter().collect();
    let all_recorded: Option<Vec<u64>> = answers.iter().map(|l| l.recorded).collect();
    let when = match all_recorded.as_deref().and_then(|t| t.iter().min()) {
        Some(&t) if !answers.is_empty() => t,
        _ => now,
    };
    let mut o = String::new();
    let _ = writeln!(o, "; DNS answers a dkimscope check used, as answered.");
    let _ = writeln!(
        o,
        "; Replay: dkimscope check --keys THIS-FILE --offline --at {} MESSAGE",
        replay_at.map_or_else(|| rfc3339(when), str::to_string)
    );
    let _ = writeln!(
        o,
        "; resolver: {}",
        resolver.map_or("none (offline, or keys files only)".to_string(), comment)
    );
    let _ = writeln!(o, "$RECORDED {}", rfc3339(when));
    // A name's records are written once, under the first lookup that
    // reached them (two selectors may share a CNAME target).
    let mut written: BTreeSet<String> = BTreeSet::new();
    for l in answers {
        let _ = writeln!(o);
        block(&mut o, l, &mut written);
    }
    o
}

/// One lookup: a comment naming it, its CNAME hops, then its answer.
fn block(o: &mut String, l: &TxtLookup, written: &mut BTreeSet<String>) {
    let by = match &l.served_by {
        ServedBy::Resolver(r) => format!("resolver {}", comment(r)),
        ServedBy::KeysFile(f) => format!("keys file {}", comment(f)),
        ServedBy::Offline => "nobody".to_string(),
    };
    let last = l.hops.last().map_or(l.query.as_str(), |h| h.to.as_str());
    let _ = writeln!(
        o,
        "; {}: {} (from {by})",
        comment(&l.query),
        comment(&l.answer.to_string())
    );
    let failed = matches!(
        l.answer,
        Answer::ServFail
            | Answer::Refused
            | Answer::Timeout
            | Answer::Error(_)
            | Answer::OfflineMissing
    );
    for h in &l.hops {
        if failed {
            // Written as data, these hops would replay as a dangling CNAME.
            let _ = writeln!(
                o,
                ";   CNAME {} -> {}{}",
                comment(&h.from),
                comment(&h.to),
                h.ttl.map(|t| format!(" (ttl {t})")).unwrap_or_default()
            );
        } else if written.insert(h.from.clone()) {
            let _ = writeln!(
                o,
                "{}\t{}IN\tCNAME\t{}",
                name(&h.from),
                ttl(h.ttl),
                name(&h.to)
            );
        }
    }
    let fresh = !written.contains(last);
    match &l.answer {
        Answer::Txt(records) if fresh => {
            written.insert(last.to_string());
            for r in records {
                if r.strings.is_empty() {
                    let _ = writeln!(
                        o,
                        "; a TXT record with no character-string, written as one empty string"
                    );
                }
                let strings: Vec<String> = if r.strings.is_empty() {
                    vec!["\"\"".into()]
                } else {
                    r.strings.iter().map(|s| quoted(s)).collect()
                };
                let _ = writeln!(
                    o,
                    "{}\t{}IN\tTXT\t{}",
                    name(last),
                    ttl(r.ttl),
                    strings.join(" ")
                );
            }
        }
        Answer::NxDomain | Answer::NoData if fresh => {
            written.insert(last.to_string());
            let _ = writeln!(o, ";   {}", authority(l.soa.as_ref()));
            let word = if l.answer == Answer::NxDomain {
                "$NXDOMAIN"
            } else {
                "$NODATA"
            };
            let _ = writeln!(o, "{word} {}", name(last));
        }
        Answer::Txt(_) | Answer::NxDomain | Answer::NoData => {
            let _ = writeln!(o, ";   {} is written above", comment(last));
        }
        Answer::CnameLoop => {
            let _ = writeln!(o, ";   the CNAME chain above loops or is too long");
        }
        Answer::OfflineMissing => {
            let _ = writeln!(
                o,
                ";   not answered: offline, and in no keys file (a replay says the same)"
            );
        }
        Answer::ServFail | Answer::Refused | Answer::Timeout | Answer::Error(_) => {
            let _ = writeln!(
                o,
                ";   not an answer, so no record: a replay finds none for {}",
                comment(last)
            );
        }
    }
    if !failed && l.dnssec != Dnssec::Unknown {
        let _ = writeln!(o, "$DNSSEC {} {}", l.dnssec, name(&l.query));
    }
}

/// What made a negative answer authoritative, said in a comment.
fn authority(soa: Option<&Soa>) -> String {
    match soa {
        Some(s) => format!(
            "authority: {}\t{}IN\tSOA\t{} {} {}",
            name(&s.zone),
            ttl(s.ttl),
            name(&s.mname),
            name(&s.rname),
            comment(&s.timers.join(" "))
        ),
        None => "no SOA came with this answer: who made it authoritative is not known".into(),
    }
}

fn ttl(t: Option<u32>) -> String {
    t.map(|t| format!("{t}\t")).unwrap_or_default()
}

/// A name as zone syntax writes it, absolute (trailing dot). Every byte but
/// letters, digits, `-`, `_`, `*` and the label dots is escaped `\DDD`, so
/// no name read from a message can start a directive (`$`), mean the
/// origin (`@`), end the field or the line, or open a comment.
pub fn name(n: &str) -> String {
    let mut out = String::with_capacity(n.len() + 1);
    for &b in n.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'*' | b'.') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\{b:03}");
        }
    }
    out.push('.');
    out
}

/// A character-string in quotes: `"` and `\` escaped with a backslash,
/// every byte outside printable ASCII as `\DDD`.
pub fn quoted(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
    out.push('"');
    out
}

/// Text for a comment: one line, printable ASCII, other bytes `\DDD`.
fn comment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if (0x20..=0x7e).contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\{b:03}");
        }
    }
    out
}

#[cfg(test)]
mod tests;
