//! The only part of an analysis that waits: every DNS name a message needs
//! (each DKIM key, each ARC key, the other selector of a Microsoft 365
//! `selector1`/`selector2` signature, the From domain's `_dmarc` record and
//! its organizational fallback), asked once, in first-use order. Everything
//! after it is a pure function of the message, these answers and the clock.

use std::collections::BTreeSet;

use futures::future::join_all;

use crate::dkim::signature::Signature;
use crate::dmarc;
use crate::dns::{TxtLookup, TxtSource};
use crate::message::Message;

/// At most this many DKIM-Signature fields are examined per message.
pub const MAX_SIGNATURES: usize = 64;

/// Every answer one analysis uses, in first-use order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookups(pub Vec<TxtLookup>);

impl Lookups {
    pub fn get(&self, name: &str) -> Option<&TxtLookup> {
        self.0.iter().find(|l| l.query == name)
    }
    pub fn as_slice(&self) -> &[TxtLookup] {
        &self.0
    }
}

/// The key names the ARC fields name (AMS and AS both carry d= and s=).
fn arc_key_names(msg: &Message) -> impl Iterator<Item = String> + '_ {
    msg.headers
        .iter()
        .filter(|h| {
            h.name.eq_ignore_ascii_case("ARC-Seal")
                || h.name.eq_ignore_ascii_case("ARC-Message-Signature")
        })
        .filter_map(|h| Signature::key_name_of(msg.value_bytes(h)))
        .take(2 * MAX_SIGNATURES)
}

fn dkim_key_names(msg: &Message) -> impl Iterator<Item = String> + '_ {
    msg.fields("DKIM-Signature")
        .take(MAX_SIGNATURES)
        .filter_map(|(_, h)| Signature::key_name_of(msg.value_bytes(h)))
}

/// For a `selector1`/`selector2` key name, the other selector's: what
/// Microsoft 365's pair means depends on both answers.
fn m365_partner(name: &str) -> Option<String> {
    let (s, d) = name.split_once("._domainkey.")?;
    let other = crate::selectors::m365::partner(s)?;
    Some(format!("{other}._domainkey.{d}"))
}

/// Ask `keys` for every name `msg` needs, concurrently.
pub async fn lookups(msg: &Message, keys: &dyn TxtSource) -> Lookups {
    let from = dmarc::from_domain(msg);
    let dmarc_name = from.as_ref().map(|f| format!("_dmarc.{f}"));
    let mut seen = BTreeSet::new();
    let dkim: Vec<String> = dkim_key_names(msg).collect();
    let partners: Vec<String> = dkim.iter().filter_map(|n| m365_partner(n)).collect();
    let names: Vec<String> = dkim
        .into_iter()
        .chain(arc_key_names(msg))
        .chain(partners)
        .chain(dmarc_name.clone())
        .filter(|n| seen.insert(n.clone()))
        .collect();
    let mut found: Vec<TxtLookup> = join_all(names.iter().map(|n| keys.lookup_txt(n))).await;
    // No DMARC record at the From domain: ask its organizational domain.
    if let (Some(from), Some(first)) = (&from, &dmarc_name) {
        let org = dmarc::org_domain(from);
        let org_name = format!("_dmarc.{org}");
        let needs = found
            .iter()
            .find(|l| l.query == *first)
            .is_some_and(dmarc::needs_fallback);
        if org != *from && needs && seen.insert(org_name.clone()) {
            found.push(keys.lookup_txt(&org_name).await);
        }
    }
    Lookups(found)
}
