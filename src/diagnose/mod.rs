//! One analysis of one message, as stages that run one after another over
//! typed inputs: [`lookups`] (the only async part: every DNS answer the
//! message needs), then [`analyse`], pure and synchronous:
//!
//! 1. verify: every DKIM signature's steps ([`crate::dkim::verify`]);
//! 2. localize: what changed, where a body or signature step failed;
//! 3. ARC: the chain, its AMS traced like a DKIM signature;
//! 4. DMARC and alignment: the From domain's policy, each d= aligned or not
//!    (one rule, [`crate::dmarc::aligned`], for the policy and the warning);
//! 5. verdict: each signature decided and its trace written, last, once
//!    every warning is known;
//! 6. mail-auth's second opinion on the same bytes and answers;
//! 7. the receivers' statements, Received hops and Microsoft 365 headers;
//! 8. the path: where on the hops the message changed ([`path`]).
//!
//! The result is the [`Report`] every printer and view reads.

pub mod advice;
pub mod auth_links;
pub mod expected;
mod lookups;
pub mod path;
pub mod recorded;
pub mod timing;
pub mod trust;

pub use lookups::{Lookups, MAX_SIGNATURES, lookups};

use std::sync::Arc;

use crate::arc::ArcChain;
use crate::auth_results::{self, AuthResult};
use crate::dkim::canon::BodyCache;
use crate::dkim::codes::{Outcome, Warning};
use crate::dkim::crosscheck::{self, Opinion, SecondOpinion};
use crate::dkim::localize::Localized;
use crate::dkim::signature::Signature;
use crate::dkim::verify::{self, SigKind, SignatureCheck, Target, Verified, verdict};
use crate::dmarc::{self, Dmarc, Mode};
use crate::dns::TxtLookup;
use crate::message::Message;
use crate::received::{self, Hop};

pub use auth_links::{Agreement, AuthLink};

/// From this size on, our trace and mail-auth's run on two threads.
const SIDE_BY_SIDE_BYTES: usize = 256 * 1024;

/// One signature's trace with mail-auth's verdict beside it.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    pub check: SignatureCheck,
    pub mail_auth: Opinion,
    /// Set when mail-auth's result differs from ours for no known reason.
    pub disagreement: Option<String>,
    /// Set when it differs for a known reason (its words for a result, its
    /// real clock, a body not supplied), saying which.
    pub mail_auth_expected: Option<String>,
}

/// One Authentication-Results statement as written, and what dkimscope
/// makes of it (the signature it names, our result beside it, whether to
/// trust who wrote it).
#[derive(Debug, Clone)]
pub struct AuthStatement {
    pub parsed: AuthResult,
    pub link: AuthLink,
}

impl AuthStatement {
    /// Who wrote it, for people: the authserv-id; for a field without one
    /// that the trust rule accepted, Exchange Online (the only receiver
    /// that writes them so, and the only way such a field is trusted).
    pub fn writer(&self) -> &str {
        match (self.parsed.authserv_id.as_str(), &self.link.trusted_by) {
            ("", Some(_)) => "Exchange Online (no authserv-id)",
            ("", None) => "(no authserv-id)",
            (id, _) => id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    /// The message analysed, shared with whoever showed it meanwhile.
    pub message: Arc<Message>,
    pub signatures: Vec<SignatureReport>,
    /// Message-level DKIM result: pass when any signature passes, none
    /// when there is none, else the most telling failure.
    pub dkim: Outcome,
    /// The ARC chain, validated by dkimscope, mail-auth's verdict beside it.
    pub arc: ArcChain,
    /// Every Authentication-Results statement, in field order.
    pub auth_results: Vec<AuthStatement>,
    /// The Received chain, first hop (bottom field) first.
    pub received: Vec<Hop>,
    pub received_summary: received::Summary,
    /// Microsoft 365 anti-spam headers, when present.
    pub m365: Option<crate::m365::M365>,
    /// The hops in order and where on them the message changed.
    pub path: path::Path,
    /// Every key and record lookup made, in first-use order.
    pub lookups: Vec<TxtLookup>,
    /// The domain of the From field, when there is exactly one.
    pub from_domain: Option<String>,
    /// The From domain's DMARC policy and each signature's alignment.
    pub dmarc: Option<Dmarc>,
    /// Microsoft 365's selector pair, for a signature made with one of it.
    pub m365_dkim: Option<crate::selectors::m365::MessageStory>,
    /// The time the checks used (Unix seconds).
    pub now: u64,
    /// Which "now" that was: the real clock, `--at TIME`, or the message's
    /// delivery time (`--at delivery`).
    pub as_of: timing::AsOf,
    /// When the receiving side delivered the message, if its Received
    /// fields say (Unix seconds).
    pub delivered_at: Option<u64>,
    /// Loading and limit notes (bounce opened, fields skipped, ...).
    pub notes: Vec<String>,
    /// When the answers used were recorded (`$RECORDED` of a keys file),
    /// if on another day than `now` (Unix seconds); a note says so too.
    pub keys_recorded: Option<u64>,
}

impl Report {
    /// A one-line, plain-language summary of the whole message.
    pub fn headline(&self) -> String {
        advice::headline(self)
    }
}

/// The clock an analysis runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Unix seconds used for `t=`/`x=`.
    pub now: u64,
    /// True when `now` is the real clock, false for `--at`.
    pub real: bool,
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

/// Stages 1 and 2 for every DKIM signature, then stage 3 (ARC), sharing
/// the body hashes.
fn verify_all(
    msg: &Message,
    sig_fields: &[usize],
    lookups: &Lookups,
    now: u64,
) -> (Vec<(Verified, Localized)>, ArcChain) {
    let mut bodies = BodyCache::default();
    let verified = sig_fields
        .iter()
        .enumerate()
        .map(|(index, &field)| {
            let sig = Signature::parse(msg.value_bytes(&msg.headers[field]));
            let lookup = lookups.get(&sig.key_name());
            let target = Target {
                kind: SigKind::Dkim,
                index,
                field,
            };
            let v = verify::verify(msg, target, sig, lookup, now, &mut bodies);
            let found = verify::what_changed(msg, &v);
            (v, found)
        })
        .collect();
    let arc = crate::arc::validate(msg, lookups.as_slice(), now, &mut bodies);
    (verified, arc)
}

/// Stage 4: the From domain's DMARC policy over each signature's result.
fn evaluate_dmarc(from: &str, lookups: &Lookups, verified: &[(Verified, Localized)]) -> Dmarc {
    let org = dmarc::org_domain(from);
    let mut wanted = vec![format!("_dmarc.{from}")];
    if org != from {
        wanted.push(format!("_dmarc.{org}"));
    }
    let asked: Vec<&TxtLookup> = wanted.iter().filter_map(|n| lookups.get(n)).collect();
    let sigs: Vec<(usize, String, bool)> = verified
        .iter()
        .map(|(v, _)| {
            (
                v.index,
                v.sig.d.clone(),
                verdict::result(v) == Outcome::Pass,
            )
        })
        .collect();
    dmarc::evaluate(from, &org, &asked, &sigs)
}

/// Stage 4's warning: a d= that cannot make DMARC pass, under the
/// alignment mode the policy asks for (relaxed when there is none).
fn alignment_warning(v: &Verified, from: &str, dmarc: Option<&Dmarc>) -> Option<(Warning, String)> {
    let mode = dmarc.map_or(Mode::Relaxed, |d| d.mode);
    if v.sig.d.is_empty() || dmarc::aligned(&v.sig.d, from, mode) {
        return None;
    }
    Some((
        Warning::NotAlignedWithFrom,
        format!(
            "d={} is not aligned with the From domain {from}{}: this signature cannot make DMARC pass",
            v.sig.d,
            if mode == Mode::Strict {
                " (adkim=s)"
            } else {
                ""
            }
        ),
    ))
}

/// Stage 4, finished once the receivers' statements are read: the trusted
/// receiver's SPF beside our DKIM-only DMARC, and each `dmarc=` statement
/// compared like with like (DMARC passes on aligned DKIM or aligned SPF;
/// the SPF half is the receiver's word).
fn spf_beside_dmarc(d: &mut Dmarc, parsed: &[AuthResult], links: &mut [AuthLink]) {
    let trusted = parsed
        .iter()
        .zip(links.iter())
        .filter(|(_, l)| !l.suspect)
        .map(|(r, _)| r);
    d.spf = dmarc::receiver_spf(trusted, &d.from_domain, d.record.as_ref());
    let Some(spf) = d.spf.as_ref().filter(|s| s.carries_dmarc) else {
        return;
    };
    if d.result != dmarc::DmarcResult::Pass {
        d.explanation.push_str(&format!("; but {}", spf.note));
    }
    for (r, l) in parsed.iter().zip(links.iter_mut()) {
        // Only a pass is explained by SPF; a receiver's fail stays compared
        // with our DKIM-only result.
        if r.method != "dmarc"
            || d.result == dmarc::DmarcResult::Pass
            || !r.result.eq_ignore_ascii_case("pass")
        {
            continue;
        }
        l.ours = Some(dmarc::DmarcResult::Pass.as_str());
        l.agreement = Some(Agreement::Agrees);
        l.comparison = Some(format!(
            "the receiver said pass, on SPF: {} (on DKIM alone dkimscope finds {})",
            spf.note, d.result
        ));
    }
}

/// Analyse `msg` with the answers in `lookups` at `clock`. Pure: no I/O, no
/// clock of its own.
pub fn analyse(msg: impl Into<Arc<Message>>, lookups: &Lookups, clock: Clock) -> Report {
    analyse_trusting(msg, lookups, clock, &[])
}

/// [`analyse`], believing Authentication-Results fields whose authserv-id
/// is one of `trusted` wherever they sit (`--trust`).
pub fn analyse_trusting(
    msg: impl Into<Arc<Message>>,
    lookups: &Lookups,
    clock: Clock,
    trusted: &[String],
) -> Report {
    let msg: Arc<Message> = msg.into();
    let now = clock.now;
    let mut notes = msg.notes.clone();
    let all_fields: Vec<usize> = msg.fields("DKIM-Signature").map(|(i, _)| i).collect();
    if all_fields.len() > MAX_SIGNATURES {
        notes.push(format!(
            "the message has {} DKIM-Signature fields; only the first {MAX_SIGNATURES} are examined",
            all_fields.len()
        ));
    }
    let sig_fields = &all_fields[..all_fields.len().min(MAX_SIGNATURES)];
    let has_arc = crate::arc::present(&msg);

    // Stages 1-3, beside mail-auth's own verification (stage 6): they read
    // the same bytes and share nothing, so a large message uses two cores.
    // A small one is done in turn: a batch already keeps every core busy.
    let ours = || verify_all(&msg, sig_fields, lookups, now);
    let theirs = || crosscheck::second_opinion(&msg.raw, lookups.as_slice(), has_arc);
    let ((verified, mut arc), second): (_, SecondOpinion) = if msg.raw.len() >= SIDE_BY_SIDE_BYTES {
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
        arc.set_mail_auth(Some(second.arc.clone().unwrap_or_else(|| {
            Opinion::none("mail-auth could not parse the message")
        })));
    }

    // Stage 4.
    let from_domain = dmarc::from_domain(&msg);
    let mut dmarc = from_domain
        .as_deref()
        .map(|from| evaluate_dmarc(from, lookups, &verified));

    // Stage 5, with mail-auth's opinion beside each verdict, and the
    // delivery time beside x=.
    let (received, received_summary) = received::chain(&msg);
    let delivered = timing::delivered_at(&trust::receiving_side(&received));
    let signatures: Vec<SignatureReport> = verified
        .into_iter()
        .map(|(v, found)| {
            let more: Vec<(Warning, String)> = from_domain
                .as_deref()
                .and_then(|from| alignment_warning(&v, from, dmarc.as_ref()))
                .into_iter()
                .collect();
            let off = msg.headers[v.field].value_span.start;
            let mut check = verdict::finish(v, found, more);
            timing::note_expiry(&mut check, delivered);
            let mail_auth = second
                .dkim
                .get(&off)
                .cloned()
                .unwrap_or_else(|| Opinion::none("mail-auth did not evaluate this signature"));
            let (disagreement, mail_auth_expected) =
                match expected::classify(&check, &mail_auth, clock.real, msg.body.is_none()) {
                    expected::Second::Agrees => (None, None),
                    expected::Second::Expected(why) => (None, Some(why)),
                    expected::Second::Disagrees(why) => (Some(why), None),
                };
            SignatureReport {
                check,
                mail_auth,
                disagreement,
                mail_auth_expected,
            }
        })
        .collect();

    // Stage 7.
    let mut parsed: Vec<AuthResult> = msg
        .fields("Authentication-Results")
        .flat_map(|(i, h)| auth_results::parse(&String::from_utf8_lossy(msg.value_bytes(h)), i))
        .collect();
    for r in &mut parsed {
        // `"mx.google.com";` names mx.google.com.
        r.authserv_id = r.authserv_id.trim().trim_matches('"').to_string();
    }
    let received_fields = msg.fields("Received").count();
    if received_fields > received::MAX_HOPS {
        notes.push(format!(
            "the message has {received_fields} Received fields; only the top {} hops are shown",
            received::MAX_HOPS
        ));
    }
    let origin: Vec<usize> = ["From", "Date", "Message-ID", "DKIM-Signature"]
        .into_iter()
        .flat_map(|name| msg.fields(name).map(|(i, _)| i))
        .collect();
    let ctx = trust::Context::new(&received, &parsed, origin, trusted);
    let links = auth_links::links(
        &parsed,
        &signatures,
        &ctx,
        &arc,
        dmarc.as_ref().map(|d| d.result),
    );
    let mut links = links;
    if let Some(d) = dmarc.as_mut() {
        spf_beside_dmarc(d, &parsed, &mut links);
    }
    let auth_results: Vec<AuthStatement> = parsed
        .into_iter()
        .zip(links)
        .map(|(parsed, link)| AuthStatement { parsed, link })
        .collect();
    let keys_recorded = recorded::keys_recorded(lookups.as_slice(), now);
    notes.extend(keys_recorded.iter().map(|(_, note)| note.clone()));
    let path = path::locate(&path::Inputs {
        msg: &msg,
        signatures: &signatures,
        arc: &arc,
        hops: &received,
        statements: &auth_results,
        from_domain: from_domain.as_deref(),
    });
    let m365_dkim = crate::selectors::m365::for_message(
        signatures
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.check.sig.d.as_str(), s.check.sig.s.as_str())),
        |name| lookups.get(name),
    );
    Report {
        path,
        m365_dkim,
        dkim: message_outcome(&signatures),
        received,
        received_summary,
        m365: crate::m365::decode(&msg),
        signatures,
        arc,
        auth_results,
        lookups: lookups.0.clone(),
        from_domain,
        dmarc,
        now,
        as_of: if clock.real {
            timing::AsOf::Now
        } else {
            timing::AsOf::Time
        },
        delivered_at: delivered,
        keys_recorded: keys_recorded.map(|(t, _)| t),
        notes,
        message: msg,
    }
}

/// [`analyse_trusting`] as of `at` (`--at`; `None`: the real clock,
/// `real_now`). For `--at delivery` the clock is each message's own
/// delivery time ([`timing::delivery_of`]); a message that does not show
/// one is checked as of now, and its report says so first.
pub fn analyse_at(
    msg: impl Into<Arc<Message>>,
    lookups: &Lookups,
    at: Option<timing::At>,
    real_now: u64,
    trusted: &[String],
) -> Report {
    use timing::{AsOf, At};
    let msg: Arc<Message> = msg.into();
    let real = Clock {
        now: real_now,
        real: true,
    };
    let (clock, as_of, note) = match at {
        None => (real, AsOf::Now, None),
        Some(At::Time(t)) => (
            Clock {
                now: t,
                real: false,
            },
            AsOf::Time,
            None,
        ),
        Some(At::Delivery) => match timing::delivery_of(&msg) {
            Ok((t, host)) => (
                Clock {
                    now: t,
                    real: false,
                },
                AsOf::Delivery,
                Some(format!(
                    "checked as of delivery, {} (the topmost Received date of the receiving side{})",
                    crate::time::format_utc(t),
                    if host.is_empty() {
                        String::new()
                    } else {
                        format!(", by {host}")
                    }
                )),
            ),
            Err(why) => (
                real,
                AsOf::DeliveryUnknown,
                Some(format!(
                    "--at delivery: no delivery time found ({why}); checked as of now, {}",
                    crate::time::format_utc(real_now)
                )),
            ),
        },
    };
    let mut r = analyse_trusting(msg, lookups, clock, trusted);
    r.as_of = as_of;
    if let Some(note) = note {
        r.notes.insert(0, note);
    }
    r
}

/// Both parts in one call: ask `keys` for what `msg` needs, then analyse.
pub async fn analyse_with(
    msg: impl Into<Arc<Message>>,
    keys: &dyn crate::dns::TxtSource,
    clock: Clock,
) -> Report {
    let msg: Arc<Message> = msg.into();
    let lookups = lookups(&msg, keys).await;
    analyse(msg, &lookups, clock)
}

#[cfg(test)]
mod tests;
