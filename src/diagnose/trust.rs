//! Who wrote an Authentication-Results field, judged the way mail travels
//! (RFC 8601 §5, §7.1): the receiving side is the run of Received fields at
//! the top of the header that belong to one operator (its public hosts,
//! with the internal hops it hands mail through: LMTP, `*.internal`, bare
//! names, IP literals). A field is the receiver's when its authserv-id
//! names a host of that side and it sits where that host writes it: above
//! the host's first Received field, or just below it (Gmail and milters
//! write theirs there on arrival), but never below the hop before. A field
//! below that came with the message: an earlier hop or the sender wrote it,
//! possibly to forge a pass.

use crate::auth_results::AuthResult;
use crate::dmarc::org_domain;
use crate::received::{self, Hop};

/// Operators whose hosts and authserv-ids sit under different registrable
/// domains.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "microsoft",
        &[
            "outlook.com",
            "office365.com",
            "exchangelabs.com",
            "microsoft.com",
            "office.com",
            "hotmail.com",
        ],
    ),
    ("google", &["google.com", "gmail.com", "googlemail.com"]),
    ("yahoo", &["yahoo.com", "yahoodns.net", "yahoo.net"]),
];

/// Top-level names that never reach the public DNS: hosts under them are a
/// site's internal machines.
const INTERNAL_TLDS: &[&str] = &[
    "internal",
    "local",
    "localdomain",
    "localhost",
    "lan",
    "loc",
    "home",
    "corp",
    "intranet",
    "private",
];

/// The organization a host name belongs to: its registrable domain, or the
/// operator grouping several of them.
pub fn operator(name: &str) -> String {
    let org = org_domain(name);
    GROUPS
        .iter()
        .find(|(_, members)| members.contains(&org.as_str()))
        .map_or(org, |(group, _)| (*group).to_string())
}

/// A name in the public DNS (not an address, a bare name or an internal one).
pub fn is_public_host(s: &str) -> bool {
    s.contains('.')
        && !s.contains(':')
        && !s.starts_with('[')
        && s.rsplit('.').next().is_some_and(|tld| {
            !tld.is_empty()
                && tld.bytes().all(|b| b.is_ascii_alphabetic())
                && !INTERNAL_TLDS.contains(&tld.to_ascii_lowercase().as_str())
        })
}

/// An authserv-id as compared: lower case, quotes and a trailing dot gone.
pub fn clean_id(id: &str) -> String {
    id.trim()
        .trim_matches('"')
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

pub(super) fn by_host(h: &Hop) -> String {
    h.by.as_deref()
        .map(received::host)
        .unwrap_or("")
        .trim_matches(|c| c == '[' || c == ']')
        .to_ascii_lowercase()
}

/// The hops that delivered the message, top first (see the module text).
#[derive(Debug, Clone, Default)]
pub struct ReceivingSide<'a> {
    pub hops: Vec<&'a Hop>,
    /// The operator of the side's public hosts, when it shows one.
    pub operator: Option<String>,
}

impl ReceivingSide<'_> {
    /// The side's topmost hop: the last one, where the message was
    /// delivered.
    pub fn delivery(&self) -> Option<&Hop> {
        self.hops.first().copied()
    }

    /// The side's lowest hop: where the message arrived.
    pub fn arrival(&self) -> Option<&Hop> {
        self.hops.last().copied()
    }

    fn public_hosts(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for h in &self.hops {
            let host = by_host(h);
            if is_public_host(&host) && !out.contains(&host) {
                out.push(host);
            }
        }
        out
    }
}

/// The receiving side of `hops` (first hop first, as [`received::chain`]
/// orders them).
pub fn receiving_side(hops: &[Hop]) -> ReceivingSide<'_> {
    let mut side = ReceivingSide::default();
    let mut keep = 0;
    for h in hops.iter().rev() {
        let host = by_host(h);
        if is_public_host(&host) {
            let op = operator(&host);
            match &side.operator {
                None => side.operator = Some(op),
                Some(o) if *o == op => {}
                Some(_) => break,
            }
            side.hops.push(h);
            keep = side.hops.len();
        } else {
            side.hops.push(h);
        }
    }
    // Internal hops below the operator's lowest public host are the
    // sending side's (Gmail's `by 10.x` submission hops, say).
    if side.operator.is_some() {
        side.hops.truncate(keep);
    }
    side
}

/// Whether to believe a statement's authserv-id, and the rule that decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Trusted(String),
    Suspect(String),
}

/// Everything the rule needs besides the statement.
pub struct Context<'a> {
    pub hops: &'a [Hop],
    pub side: ReceivingSide<'a>,
    /// Header field indices of fields the sender wrote (From, Date,
    /// Message-ID, DKIM-Signature): a receiver's field sits above them.
    pub origin: Vec<usize>,
    /// Authserv-ids the site says are its own (`--trust`), cleaned.
    pub trusted_ids: Vec<String>,
    /// When there is no Received field: the topmost statement's id.
    pub topmost_id: Option<String>,
}

impl<'a> Context<'a> {
    pub fn new(
        hops: &'a [Hop],
        results: &[AuthResult],
        origin: Vec<usize>,
        trusted: &[String],
    ) -> Self {
        Context {
            hops,
            side: receiving_side(hops),
            origin,
            trusted_ids: trusted.iter().map(|t| clean_id(t)).collect(),
            topmost_id: results
                .iter()
                .min_by_key(|r| r.field)
                .map(|r| clean_id(&r.authserv_id)),
        }
    }

    /// The first field below `field` that came with the message: the next
    /// Received field, else the first field the sender wrote.
    fn boundary_below(&self, field: usize) -> usize {
        self.hops
            .iter()
            .map(|h| h.field)
            .filter(|&f| f > field)
            .min()
            .or_else(|| self.origin.iter().copied().filter(|&f| f > field).min())
            .unwrap_or(usize::MAX)
    }

    /// Judge one statement.
    pub fn judge(&self, r: &AuthResult) -> Judgement {
        let id = clean_id(&r.authserv_id);
        if !id.is_empty() && self.trusted_ids.contains(&id) {
            return Judgement::Trusted(format!("--trust {id}: the site says this id is its own"));
        }
        if self.hops.is_empty() {
            return match &self.topmost_id {
                Some(top) if *top == id => Judgement::Trusted(
                    "no Received field: the topmost Authentication-Results names the receiver"
                        .into(),
                ),
                _ => Judgement::Suspect(format!(
                    "no Received field, and authserv-id {} is not the topmost Authentication-Results field's: an earlier hop or the sender may have written it",
                    shown(&id)
                )),
            };
        }
        let microsoft = self.side.operator.as_deref() == Some("microsoft");
        let names = |h: &&&Hop| {
            let host = by_host(h);
            if id.is_empty() {
                microsoft && is_public_host(&host) && operator(&host) == "microsoft"
            } else {
                host == id
                    || (is_public_host(&host)
                        && is_public_host(&id)
                        && operator(&host) == operator(&id))
            }
        };
        let Some(first) = self.side.hops.iter().rev().find(names) else {
            let hosts = self.side.public_hosts();
            let side = if hosts.is_empty() {
                self.side
                    .delivery()
                    .map(by_host)
                    .filter(|h| !h.is_empty())
                    .map_or_else(
                        || "unnamed: no Received field names a host".into(),
                        |h| format!("by {h}"),
                    )
            } else {
                format!("by {}", hosts.join(", "))
            };
            return Judgement::Suspect(if id.is_empty() {
                format!(
                    "it has no authserv-id (Exchange Online writes them so), but Exchange Online did not deliver this message (the receiving side is {side}): nothing says who wrote it"
                )
            } else {
                format!(
                    "authserv-id {id} names no host of the receiving side ({side}): an earlier hop or the sender may have written it"
                )
            });
        };
        let host = by_host(first);
        let who = if id.is_empty() {
            format!(
                "no authserv-id, as Exchange Online writes them; Exchange Online delivered the message ({host}"
            )
        } else if id == host {
            format!("authserv-id {id} is the receiving host ({host}")
        } else {
            format!("authserv-id {id} belongs to the receiving side ({host}")
        };
        let n = first.field + 1;
        if r.field < first.field {
            return Judgement::Trusted(format!(
                "{who}, Received field {n}), and the field sits above that host's first Received field: written on arrival or later"
            ));
        }
        let below = self.boundary_below(first.field);
        if r.field < below {
            return Judgement::Trusted(format!(
                "{who}, Received field {n}), and the field sits just below that host's first Received field, where receivers such as Gmail write it on arrival"
            ));
        }
        Judgement::Suspect(format!(
            "authserv-id {} names the receiver ({host}, Received field {n}), but the field sits below the hop before it: it came with the message, written by an earlier hop or the sender under the receiver's name (a forgery, unless that hop is yours: then --trust {})",
            shown(&id),
            if id.is_empty() { "ID" } else { &id }
        ))
    }
}

fn shown(id: &str) -> &str {
    if id.is_empty() { "(none)" } else { id }
}

#[cfg(test)]
mod tests;
