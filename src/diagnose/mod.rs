//! One analysis of one message: every DKIM signature traced, the keys they
//! needed, mail-auth's second opinion, the receivers' Authentication-Results
//! and dkimscope's own ARC validation (with mail-auth's ARC verdict beside
//! it), gathered into the [`Report`] that every printer and view reads.

pub mod advice;
mod alignment;
pub mod auth_links;

use std::collections::BTreeSet;

use futures::future::join_all;

use crate::arc::ArcChain;
use crate::auth_results::{self, AuthResult};
use crate::dkim::codes::{Outcome, Warning};
use crate::dkim::crosscheck::{self, Opinion};
use crate::dkim::signature::Signature;
use crate::dkim::verify::{self, BodyCache, SignatureCheck};
use crate::dns::{TxtLookup, TxtSource};
use crate::message::Message;
use crate::received::{self, Hop};

/// At most this many DKIM-Signature fields are examined per message.
pub const MAX_SIGNATURES: usize = 64;

/// From this size on, our trace and mail-auth's run on two threads.
const SIDE_BY_SIDE_BYTES: usize = 256 * 1024;

/// One signature's trace with mail-auth's verdict beside it.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    pub check: SignatureCheck,
    pub mail_auth: Opinion,
    /// Set when mail-auth's result differs from ours, saying why if known.
    pub disagreement: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub message: Message,
    pub signatures: Vec<SignatureReport>,
    /// Message-level DKIM result: pass when any signature passes, none
    /// when there is none, else the most telling failure.
    pub dkim: Outcome,
    /// The ARC chain, validated by dkimscope, mail-auth's verdict beside it.
    pub arc: ArcChain,
    pub auth_results: Vec<AuthResult>,
    /// Per Authentication-Results statement (same index): the signature it
    /// names, our result beside it, and whether to trust who wrote it.
    pub auth_links: Vec<auth_links::AuthLink>,
    /// The Received chain, first hop (bottom field) first.
    pub received: Vec<Hop>,
    pub received_summary: received::Summary,
    /// Microsoft 365 anti-spam headers, when present.
    pub m365: Option<crate::m365::M365>,
    /// Every key and record lookup made, in first-use order.
    pub lookups: Vec<TxtLookup>,
    /// The domain of the From field, when there is exactly one.
    pub from_domain: Option<String>,
    /// The From domain's DMARC policy and each signature's alignment.
    pub dmarc: Option<crate::dmarc::Dmarc>,
    /// The time the checks used (Unix seconds).
    pub now: u64,
    /// Loading and limit notes (bounce opened, fields skipped, ...).
    pub notes: Vec<String>,
}

impl Report {
    /// A one-line, plain-language summary of the whole message.
    pub fn headline(&self) -> String {
        advice::headline(self)
    }
}

/// The selectors an ARC header names (AMS and AS are both tag-lists with
/// d= and s=).
fn arc_key_names(msg: &Message) -> Vec<String> {
    msg.headers
        .iter()
        .filter(|h| {
            h.name.eq_ignore_ascii_case("ARC-Seal")
                || h.name.eq_ignore_ascii_case("ARC-Message-Signature")
        })
        .map(|h| Signature::parse_with(msg.value_bytes(h), &[]))
        .filter(|s| !s.d.is_empty() && !s.s.is_empty())
        .map(|s| s.key_name())
        .collect()
}

fn message_outcome(sigs: &[SignatureReport]) -> Outcome {
    if sigs.is_empty() {
        return Outcome::None;
    }
    const ORDER: [Outcome; 6] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::PermError,
        Outcome::TempError,
        Outcome::Policy,
        Outcome::Neutral,
    ];
    ORDER
        .into_iter()
        .find(|o| sigs.iter().any(|s| s.check.result == *o))
        .unwrap_or(Outcome::Neutral)
}

fn disagreement(ours: &SignatureCheck, theirs: &Opinion, now_is_real: bool) -> Option<String> {
    if theirs.result == ours.result.as_str() {
        return None;
    }
    let mut why = format!(
        "mail-auth says {} ({}) where dkimscope says {} ({})",
        theirs.result,
        if theirs.detail.is_empty() {
            "no reason given"
        } else {
            &theirs.detail
        },
        ours.result,
        ours.diagnosis
    );
    if !now_is_real && ours.sig.x.is_some() {
        why.push_str("; mail-auth checks x= against the real clock, not --at");
    }
    Some(why)
}

/// Analyse `msg` at time `now`, asking `keys` for every record needed.
/// `now_is_real` says whether `now` is the real clock (not `--at`).
pub async fn analyse(msg: Message, keys: &dyn TxtSource, now: u64, now_is_real: bool) -> Report {
    let mut notes = msg.notes.clone();
    let sig_fields: Vec<usize> = msg.fields("DKIM-Signature").map(|(i, _)| i).collect();
    if sig_fields.len() > MAX_SIGNATURES {
        notes.push(format!(
            "the message has {} DKIM-Signature fields; only the first {MAX_SIGNATURES} are examined",
            sig_fields.len()
        ));
    }
    // Each signature is read once; the trace takes ownership of it.
    let parsed: Vec<(usize, Signature)> = sig_fields[..sig_fields.len().min(MAX_SIGNATURES)]
        .iter()
        .map(|&i| (i, Signature::parse(msg.value_bytes(&msg.headers[i]))))
        .collect();

    // Every name needed, once, in first-use order.
    let mut names: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let dkim_names = parsed
        .iter()
        .filter(|(_, s)| !s.d.is_empty() && !s.s.is_empty())
        .map(|(_, s)| s.key_name());
    let arc_names = arc_key_names(&msg);
    let from_domain = alignment::from_domain(&msg);
    let dmarc_names: Vec<String> = from_domain.iter().map(|f| format!("_dmarc.{f}")).collect();
    for n in dkim_names
        .chain(arc_names.into_iter().take(2 * MAX_SIGNATURES))
        .chain(dmarc_names.iter().cloned())
    {
        if seen.insert(n.clone()) {
            names.push(n);
        }
    }
    let mut lookups: Vec<TxtLookup> = join_all(names.iter().map(|n| keys.lookup_txt(n))).await;
    // No DMARC record at the From domain: ask its organizational domain.
    if let Some(from) = &from_domain {
        let org = alignment::org_domain(from);
        let org_name = format!("_dmarc.{org}");
        let first = lookups
            .iter()
            .find(|l| Some(&l.query) == dmarc_names.first());
        if org != *from
            && first.is_some_and(crate::dmarc::needs_fallback)
            && seen.insert(org_name.clone())
        {
            lookups.push(keys.lookup_txt(&org_name).await);
        }
    }

    // Our trace and mail-auth's verification read the same bytes and share
    // nothing: for a large message run them side by side, so it uses two
    // cores. A small one is done in turn: a batch already keeps every core
    // busy, and a thread per message would cost more than it saves.
    let has_arc = crate::arc::present(&msg);
    let ours = || {
        let mut bodies = BodyCache::default();
        let checks = parsed
            .into_iter()
            .enumerate()
            .map(|(index, (field, sig))| {
                let name = sig.key_name();
                let lookup = lookups.iter().find(|l| l.query == name);
                verify::check(&msg, index, field, sig, lookup, now, &mut bodies)
            })
            .collect::<Vec<SignatureCheck>>();
        // The AMS body hashes are often the DKIM ones: same cache.
        let arc = crate::arc::validate(&msg, &lookups, now, &mut bodies);
        (checks, arc)
    };
    // mail-auth answers from its pre-filled cache: nothing here waits on I/O.
    let theirs =
        || futures::executor::block_on(crosscheck::second_opinion(&msg.raw, &lookups, has_arc));
    let ((checks, mut arc), second) = if msg.raw.len() >= SIDE_BY_SIDE_BYTES {
        std::thread::scope(|scope| {
            let ours = scope.spawn(ours);
            let second = theirs();
            match ours.join() {
                Ok(ours) => (ours, second),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    } else {
        (ours(), theirs())
    };
    if has_arc {
        arc.set_mail_auth(Some(second.arc.clone().unwrap_or(Opinion {
            result: "none".into(),
            detail: "mail-auth could not parse the message".into(),
        })));
    }
    let signatures: Vec<SignatureReport> = checks
        .into_iter()
        .map(|mut check| {
            if let Some(from) = &from_domain
                && !check.sig.d.is_empty()
                && !alignment::relaxed_aligned(&check.sig.d, from)
            {
                check.warnings.push((
                    Warning::NotAlignedWithFrom,
                    format!("d={} is not aligned with the From domain {from}: this signature cannot make DMARC pass", check.sig.d),
                ));
            }
            let off = msg.headers[check.field].value_span.start;
            let mail_auth = second.dkim.get(&off).cloned().unwrap_or(Opinion {
                result: "none".into(),
                detail: "mail-auth did not evaluate this signature".into(),
            });
            let disagreement = disagreement(&check, &mail_auth, now_is_real);
            SignatureReport { check, mail_auth, disagreement }
        })
        .collect();

    let auth_results: Vec<AuthResult> = msg
        .fields("Authentication-Results")
        .flat_map(|(i, h)| auth_results::parse(&String::from_utf8_lossy(msg.value_bytes(h)), i))
        .collect();

    let (received, received_summary) = received::chain(&msg);
    let received_fields = msg.fields("Received").count();
    if received_fields > received::MAX_HOPS {
        notes.push(format!(
            "the message has {received_fields} Received fields; only the top {} hops are shown",
            received::MAX_HOPS
        ));
    }
    let dmarc = from_domain.as_ref().map(|from| {
        let org = alignment::org_domain(from);
        let mut wanted = vec![format!("_dmarc.{from}")];
        if org != *from {
            wanted.push(format!("_dmarc.{org}"));
        }
        let asked: Vec<&TxtLookup> = wanted
            .iter()
            .filter_map(|n| lookups.iter().find(|l| l.query == *n))
            .collect();
        let sigs: Vec<(usize, String, bool)> = signatures
            .iter()
            .map(|s| {
                (
                    s.check.index,
                    s.check.sig.d.clone(),
                    s.check.result == Outcome::Pass,
                )
            })
            .collect();
        crate::dmarc::evaluate(from, &org, &asked, &sigs, alignment::org_domain)
    });
    let auth_links = auth_links::links(
        &auth_results,
        &signatures,
        &received,
        &arc.cv,
        dmarc.as_ref().map(|d| d.result),
    );
    Report {
        dkim: message_outcome(&signatures),
        received,
        received_summary,
        m365: crate::m365::decode(&msg),
        signatures,
        arc,
        auth_results,
        auth_links,
        lookups,
        from_domain,
        dmarc,
        now,
        notes,
        message: msg,
    }
}
