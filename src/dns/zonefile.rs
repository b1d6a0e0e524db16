//! Keys supplied with `--keys FILE`, in zone-file syntax.
//!
//! People debugging DKIM paste what `dig +noall +answer` printed, or point at
//! the BIND zone they are about to publish, and expect dkimscope to answer
//! from it exactly as DNS would. This module parses that syntax leniently (a
//! malformed line becomes a warning, never a fatal error) and resolves names
//! against the parsed records: CNAMEs are followed inside the files, files
//! holding an SOA are authoritative for their zone, and a name the files do
//! not cover is left to the next layer.
//!
//! Four directives of dkimscope's own, which `--record` writes (see
//! [`super::record`]): `$NXDOMAIN NAME` and `$NODATA NAME` say a name's
//! negative answer outright, `$RECORDED TIME` says when the file's answers
//! were recorded (RFC 3339 or Unix seconds), which each answer from the file
//! carries in [`TxtLookup::recorded`], and `$DNSSEC STATUS NAME` says the
//! DNSSEC status the lookup of NAME had ([`TxtLookup::dnssec`]; `unknown`
//! for a name the file says nothing of).

mod parse;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use super::{Answer, CnameHop, Dnssec, FileLine, ServedBy, Soa, TxtLookup, TxtRecord};

/// Longest CNAME chain followed before the lookup is reported as a loop.
pub const MAX_CNAME_HOPS: usize = 8;

/// A keys file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    #[error("cannot read keys file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Everything the keys files say about one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneEntry {
    /// Lower-case, without a trailing dot.
    pub name: String,
    /// TXT records in file order.
    pub txt: Vec<TxtRecord>,
    /// The CNAME at this name, if any (the first one when several were given).
    pub cname: Option<CnameHop>,
    /// `$NXDOMAIN`: the name does not exist (with no record given for it).
    pub nxdomain: bool,
    /// Where the name first appeared, whatever the record type.
    pub origin: FileLine,
}

/// Records parsed from one or more keys files.
#[derive(Debug, Clone, Default)]
pub struct ZoneKeys {
    names: HashMap<String, ZoneEntry>,
    /// Zone apexes for which the files hold an SOA, with the SOA's line.
    soa_zones: Vec<(String, FileLine, Soa)>,
    /// When each file's answers were recorded (`$RECORDED`), by file label.
    recorded: HashMap<String, u64>,
    /// `$DNSSEC`: the status of the lookup of each name asked.
    dnssec: HashMap<String, Dnssec>,
    warnings: Vec<String>,
}

impl ZoneKeys {
    /// Reads and merges every file. Only an unreadable file is an error;
    /// malformed lines are reported by [`ZoneKeys::warnings`].
    pub fn from_files(paths: &[PathBuf]) -> Result<ZoneKeys, ZoneError> {
        let mut keys = ZoneKeys::default();
        for path in paths {
            let bytes = std::fs::read(path).map_err(|source| ZoneError::Read {
                path: path.clone(),
                source,
            })?;
            let text = String::from_utf8_lossy(&bytes);
            keys.add_text(&path.display().to_string(), &text);
        }
        Ok(keys)
    }

    /// Parses one file's text; `path_label` names it in origins and warnings.
    pub fn parse(path_label: &str, text: &str) -> ZoneKeys {
        let mut keys = ZoneKeys::default();
        keys.add_text(path_label, text);
        keys
    }

    /// Adds the records of one more file.
    pub fn add_text(&mut self, path_label: &str, text: &str) {
        for item in parse::parse(path_label, text) {
            match item {
                parse::Item::Warning(w) => self.warnings.push(w),
                parse::Item::Record(r) => self.add_record(path_label, r),
                parse::Item::Recorded(t) => {
                    self.recorded.insert(path_label.to_string(), t);
                }
                parse::Item::Dnssec(name, status) => {
                    self.dnssec.insert(name, status);
                }
            }
        }
    }

    /// Each malformed line, as `FILE:LINE: reason`. Those lines were skipped.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// True when no file held any record.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.soa_zones.is_empty()
    }

    /// Every name the files hold, sorted by name.
    pub fn entries(&self) -> Vec<&ZoneEntry> {
        let mut all: Vec<&ZoneEntry> = self.names.values().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    /// Apexes of the zones the files hold an SOA for.
    pub fn soa_zones(&self) -> impl Iterator<Item = &str> {
        self.soa_zones.iter().map(|(z, _, _)| z.as_str())
    }

    /// When the answers of the file `path_label` were recorded, if it says.
    pub fn recorded(&self, path_label: &str) -> Option<u64> {
        self.recorded.get(path_label).copied()
    }

    fn add_record(&mut self, path: &str, r: parse::Record) {
        let origin = FileLine {
            path: path.to_string(),
            line: r.line,
        };
        let entry = self
            .names
            .entry(r.owner.clone())
            .or_insert_with(|| ZoneEntry {
                name: r.owner.clone(),
                txt: Vec::new(),
                cname: None,
                nxdomain: false,
                origin: origin.clone(),
            });
        match r.data {
            parse::Data::Txt(strings) => entry.txt.push(TxtRecord {
                strings,
                ttl: r.ttl,
                origin: Some(origin),
            }),
            parse::Data::Cname(target) => {
                if entry.cname.is_some() {
                    self.warnings.push(format!(
                        "{path}:{}: second CNAME for {} ignored",
                        r.line, r.owner
                    ));
                } else {
                    entry.cname = Some(CnameHop {
                        from: r.owner,
                        to: target,
                        ttl: r.ttl,
                        origin: Some(origin),
                    });
                }
            }
            parse::Data::Soa {
                mname,
                rname,
                timers,
            } => {
                if !self.soa_zones.iter().any(|(z, _, _)| *z == r.owner) {
                    let soa = Soa {
                        zone: r.owner.clone(),
                        ttl: r.ttl,
                        mname,
                        rname,
                        timers,
                    };
                    self.soa_zones.push((r.owner, origin, soa));
                }
            }
            parse::Data::Absent => entry.nxdomain = true,
            parse::Data::Empty | parse::Data::Other => {}
        }
    }

    /// The SOA (and its line) of the most specific zone holding `name`.
    fn authority_for(&self, name: &str) -> Option<(&FileLine, &Soa)> {
        self.soa_zones
            .iter()
            .filter(|(zone, _, _)| is_at_or_under(name, zone))
            .max_by_key(|(zone, _, _)| zone.len())
            .map(|(_, line, soa)| (line, soa))
    }

    /// True when some stored name lies strictly under `name` (an empty
    /// non-terminal such as `_domainkey.example.com`).
    fn has_descendants(&self, name: &str) -> bool {
        self.names
            .keys()
            .any(|n| n.len() > name.len() && is_at_or_under(n, name))
    }

    /// Answers `name` from the files, or `None` when they do not cover it.
    pub fn lookup(&self, name: &str) -> Option<TxtLookup> {
        let start = Instant::now();
        let query = normalize_name(name);
        let mut hops: Vec<CnameHop> = Vec::new();
        let mut seen: HashSet<String> = HashSet::from([query.clone()]);
        let mut current = query.clone();
        let first_hop_file = |hops: &[CnameHop]| -> Option<String> {
            hops.first()
                .and_then(|h| h.origin.as_ref())
                .map(|o| o.path.clone())
        };

        let (answer, file) = loop {
            match self.names.get(&current) {
                Some(entry) => {
                    if let Some(link) = &entry.cname {
                        let target = link.to.clone();
                        hops.push(link.clone());
                        if hops.len() > MAX_CNAME_HOPS || !seen.insert(target.clone()) {
                            break (Answer::CnameLoop, first_hop_file(&hops));
                        }
                        current = target;
                        continue;
                    }
                    if entry.txt.is_empty() {
                        let answer = if entry.nxdomain {
                            Answer::NxDomain
                        } else {
                            Answer::NoData
                        };
                        break (answer, Some(entry.origin.path.clone()));
                    }
                    let file = entry.txt[0]
                        .origin
                        .as_ref()
                        .map_or_else(|| entry.origin.path.clone(), |o| o.path.clone());
                    break (Answer::Txt(entry.txt.clone()), Some(file));
                }
                None => {
                    if let Some((soa, _)) = self.authority_for(&current) {
                        let answer = if self.has_descendants(&current) {
                            Answer::NoData
                        } else {
                            Answer::NxDomain
                        };
                        break (answer, Some(soa.path.clone()));
                    }
                    if hops.is_empty() {
                        return None;
                    }
                    break (Answer::NxDomain, first_hop_file(&hops));
                }
            }
        };

        let soa = match answer {
            Answer::NxDomain | Answer::NoData => {
                self.authority_for(&current).map(|(_, soa)| soa.clone())
            }
            _ => None,
        };
        let file = file.unwrap_or_default();
        let dnssec = self.dnssec.get(&query).copied().unwrap_or_default();
        Some(TxtLookup {
            query,
            hops,
            answer,
            recorded: self.recorded(&file),
            served_by: ServedBy::KeysFile(file),
            elapsed: start.elapsed(),
            soa,
            dnssec,
        })
    }
}

/// Lower-case, trimmed, without a trailing dot.
pub fn normalize_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// True when `name` equals `zone` or lies under it (both normalized).
fn is_at_or_under(name: &str, zone: &str) -> bool {
    if zone.is_empty() {
        return true;
    }
    name == zone
        || (name.len() > zone.len()
            && name.ends_with(zone)
            && name.as_bytes()[name.len() - zone.len() - 1] == b'.')
}

#[cfg(test)]
mod tests;
