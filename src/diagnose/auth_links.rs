//! What the receivers said beside what dkimscope finds now: each
//! Authentication-Results statement linked to the DKIM signature it names
//! (RFC 6008 `header.b` prefix, else `header.d`/`header.s`/`header.i`),
//! compared with our own result, and judged by who wrote it
//! ([`super::trust`]: a field another hop or the sender wrote is not to be
//! trusted, RFC 8601 §5).

use super::SignatureReport;
use super::trust::{Context, Judgement};
use crate::arc::{ArcChain, ArcCv};
use crate::auth_results::{AuthResult, compauth_reason};
use crate::dkim::codes::codes;
use crate::dmarc::DmarcResult;

codes!(
    /// A receiver's result beside the one dkimscope finds now:
    /// agrees-at-delivery differs now only because time passed since
    /// delivery; not-comparable when dkimscope could not check it (a key
    /// missing offline, a DNS error).
    Agreement {
        Agrees = "agrees",
        AgreesAtDelivery = "agrees-at-delivery",
        Differs = "differs",
        NotComparable = "not-comparable",
    }
);

/// The analysis of one [`AuthResult`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthLink {
    /// The reason code explained (compauth), when known.
    pub reason_meaning: Option<String>,
    /// Index into `Report.signatures` of the signature this result names.
    pub signature: Option<usize>,
    /// How the link was made, or why none could be.
    pub link: Option<String>,
    /// dkimscope's own result for the same thing, when it has one.
    pub ours: Option<&'static str>,
    /// Whether the receiver's result is ours, when we have one.
    pub agreement: Option<Agreement>,
    /// The receiver's result beside ours, in words.
    pub comparison: Option<String>,
    /// Not written by the receiver that delivered the message.
    pub suspect: bool,
    pub suspect_why: Option<String>,
    /// The rule that trusted it, when one did.
    pub trusted_by: Option<String>,
    /// Index of the header field the statement came from.
    pub field: usize,
}

fn prop<'a>(r: &'a AuthResult, name: &str) -> Option<&'a str> {
    r.props
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// The signature a `dkim=` statement names, and how it was found.
pub(super) fn link_signature(r: &AuthResult, sigs: &[SignatureReport]) -> (Option<usize>, String) {
    let d = prop(r, "header.d");
    let s = prop(r, "header.s");
    let i = prop(r, "header.i");
    let by_tags = |idx: &usize| {
        let sig = &sigs[*idx].check.sig;
        d.is_none_or(|d| sig.d.eq_ignore_ascii_case(d))
            && s.is_none_or(|s| sig.s.eq_ignore_ascii_case(s))
            && i.is_none_or(|i| {
                let auid = sig.auid();
                auid.eq_ignore_ascii_case(i) || auid.rsplit('@').next() == i.rsplit('@').next()
            })
    };
    let all: Vec<usize> = (0..sigs.len()).collect();
    let mut found: Vec<usize> = match prop(r, "header.b") {
        Some(prefix) => all
            .iter()
            .copied()
            .filter(|&idx| {
                sigs[idx]
                    .check
                    .sig
                    .tags
                    .get("b")
                    .is_some_and(|b| b.compact().starts_with(prefix.as_bytes()))
            })
            .collect(),
        None if d.is_none() && s.is_none() && i.is_none() => {
            return (None, "names no signature (no header.b/d/s/i)".into());
        }
        None => all.clone(),
    };
    let via_b = prop(r, "header.b").is_some();
    if found.len() > 1 || !via_b {
        found.retain(by_tags);
    }
    match found.as_slice() {
        [one] => (
            Some(*one),
            if via_b {
                format!("header.b= prefix matches signature #{}", one + 1)
            } else {
                format!("header.d/s/i match signature #{}", one + 1)
            },
        ),
        [] => (None, "no signature in this message matches it".into()),
        many => (
            None,
            format!("{} signatures match it; cannot tell which", many.len()),
        ),
    }
}

fn compare(theirs: &str, ours: &str) -> String {
    if theirs.eq_ignore_ascii_case(ours) {
        return format!("the receiver said {theirs}; dkimscope agrees");
    }
    let why = match (theirs, ours) {
        (_, "temperror") => {
            "dkimscope cannot check it now (a key or record is not available), which contradicts nothing the receiver said"
        }
        ("pass", _) => "the message or the key changed after this receiver checked it",
        (_, "pass") => {
            "this receiver saw other bytes or another key (a key published since, or a hop that changed the message before it)"
        }
        _ => "both fail, for different reasons",
    };
    format!("the receiver said {theirs}; dkimscope finds {ours} now: {why}")
}

/// The ARC chain an `arc=` statement describes: the one its writer
/// received, below the set it then added (the set whose AAR carries the
/// same authserv-id, else by position: the lowest set above the statement;
/// receivers write their set above their own Authentication-Results), and
/// that set's i. A statement with no set of its own saw the whole chain.
fn arc_as_received(r: &AuthResult, arc: &ArcChain) -> (ArcCv, Option<usize>) {
    let id = r.authserv_id.to_ascii_lowercase();
    let by_id = arc
        .instances
        .iter()
        .filter(|inst| {
            !id.is_empty()
                && inst
                    .aar_text
                    .as_deref()
                    .and_then(|t| t.split([';', ' ']).next())
                    .is_some_and(|a| a.eq_ignore_ascii_case(&id))
        })
        .min_by_key(|inst| {
            inst.aar
                .first()
                .map_or(usize::MAX, |&f| f.abs_diff(r.field))
        })
        .map(|inst| inst.i);
    let own = by_id.or_else(|| {
        arc.instances
            .iter()
            .find(|inst| !inst.aar.is_empty() && inst.aar.iter().all(|&f| f < r.field))
            .map(|inst| inst.i)
    });
    match own.and_then(|i| arc.cv_below(i).map(|cv| (cv, i))) {
        Some((cv, i)) => (cv, Some(i)),
        None => (arc.cv, None),
    }
}

/// Analyse every statement; `dmarc` is our DMARC result when there is one.
pub fn links(
    results: &[AuthResult],
    sigs: &[SignatureReport],
    ctx: &Context,
    arc: &ArcChain,
    dmarc: Option<DmarcResult>,
) -> Vec<AuthLink> {
    results
        .iter()
        .map(|r| {
            let mut l = AuthLink {
                field: r.field,
                ..AuthLink::default()
            };
            if r.method == "compauth" {
                l.reason_meaning = r.reason.as_deref().and_then(compauth_reason);
            }
            match r.method.as_str() {
                "dkim" => {
                    let (sig, how) = link_signature(r, sigs);
                    l.signature = sig;
                    l.link = Some(how);
                    l.ours = sig.map(|i| sigs[i].check.result.as_str());
                }
                "arc" => {
                    let (cv, own) = arc_as_received(r, arc);
                    l.ours = Some(cv.as_str());
                    l.link = own.map(|i| {
                        format!("compared with the chain as it reached this receiver: the sets below its own set i={i}")
                    });
                }
                "dmarc" => l.ours = dmarc.map(DmarcResult::as_str),
                _ => {}
            }
            let valid_then = l
                .signature
                .is_some_and(|i| super::timing::valid_at_delivery(&sigs[i].check));
            // A key we could not fetch leaves the rest unknown.
            let unchecked = l.signature.is_some_and(|i| {
                sigs[i]
                    .check
                    .outcomes
                    .iter()
                    .flat_map(|o| o.candidates.iter())
                    .any(|c| c.diagnosis.outcome() == crate::dkim::codes::Outcome::TempError)
            });
            l.agreement = l.ours.map(|o| {
                if r.result.eq_ignore_ascii_case(o) {
                    Agreement::Agrees
                } else if o == "temperror" || unchecked {
                    Agreement::NotComparable
                } else if valid_then && r.result.eq_ignore_ascii_case("pass") {
                    Agreement::AgreesAtDelivery
                } else {
                    Agreement::Differs
                }
            });
            l.comparison = l.ours.zip(l.agreement).map(|(o, a)| {
                let mut c = match a {
                    Agreement::NotComparable => format!(
                        "the receiver said {}; dkimscope cannot check it now ({o}: a key or record is not available), so nothing here contradicts it",
                        r.result
                    ),
                    Agreement::AgreesAtDelivery => format!(
                        "the receiver said {}; dkimscope finds {o} now only because x= passed after delivery: it agrees as of delivery",
                        r.result
                    ),
                    _ => compare(&r.result, o),
                };
                if r.method == "dmarc" && !r.result.eq_ignore_ascii_case(o) {
                    c.push_str(" (dkimscope judges DMARC on DKIM alone; SPF may have carried it at the receiver)");
                }
                c
            });
            match ctx.judge(r) {
                Judgement::Trusted(why) => l.trusted_by = Some(why),
                Judgement::Suspect(why) => {
                    l.suspect = true;
                    l.suspect_why = Some(why);
                }
            }
            l
        })
        .collect()
}

#[cfg(test)]
mod tests;
