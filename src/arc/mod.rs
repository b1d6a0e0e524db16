//! dkimscope's own ARC validation (RFC 8617 §5.2). The ARC fields are
//! grouped into sets by `i=`; the structure is checked (one AAR, AMS and AS
//! per instance, instances 1..N without gaps, N at most 50, every seal's
//! cv= right for its place); the most recent AMS is traced like a
//! DKIM-Signature; then each AS from N down to 1 is checked over the sets
//! below it. The chain's cv is `none`, `pass` or `fail`, with the first
//! instance that broke it, in the RFC's order, and why; or `temperror`
//! when no check failed but one needs a key we do not have (offline, DNS
//! error): what cannot be checked is not a failure. Every instance is
//! still traced in full, so a broken chain shows everything it holds.
//! mail-auth's ARC verdict stays beside ours, never merged.

mod collect;
mod seal;
#[cfg(test)]
mod tests;

pub use collect::{ArcField, BadInstance, Kind, MAX_SETS, present};
pub use seal::{SealCheck, SealResult};

use crate::dkim::canon::BodyCache;
use crate::dkim::codes::{Outcome, codes};
use crate::dkim::crosscheck::Opinion;
use crate::dkim::verify::SignatureCheck;
use crate::dns::TxtLookup;
use crate::message::Message;

codes!(
    /// A chain validation status (RFC 8617 §4.1.1 cv=, §5.2).
    ArcCv {
        None = "none",
        Pass = "pass",
        Fail = "fail",
        TempError = "temperror",
    }
);

impl ArcCv {
    /// The cv= word as written in a seal, any case; None when it is not one
    /// of the three a seal may carry (`temperror` is ours, never a seal's).
    pub fn parse(text: &str) -> Option<ArcCv> {
        [ArcCv::None, ArcCv::Pass, ArcCv::Fail]
            .into_iter()
            .find(|cv| text.trim().eq_ignore_ascii_case(cv.as_str()))
    }
}

/// A key the chain's verdict needs and dkimscope does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingKey {
    /// The `s._domainkey.d` name.
    pub name: String,
    /// Which signatures need it (`AMS i=1`, `AS i=2`).
    pub needed_by: Vec<String>,
    /// Why it is not available, with the `dig` command that would fetch it.
    pub reason: String,
}

/// One ARC set as found: the fields claiming instance `i` and their checks.
#[derive(Debug, Clone)]
pub struct ArcInstance {
    pub i: usize,
    /// Header indexes of the AARs, AMSs and ASs claiming this instance
    /// (exactly one each in a valid chain).
    pub aar: Vec<usize>,
    pub ams: Vec<usize>,
    pub seals: Vec<usize>,
    /// The AAR's statement after `i=N;`.
    pub aar_text: Option<String>,
    /// The seal's cv= as written.
    pub cv: Option<String>,
    /// The AMS trace, when the instance has exactly one AMS.
    pub ams_check: Option<SignatureCheck>,
    /// The seal check, when the instance has exactly one AS.
    pub seal_check: Option<SealCheck>,
}

/// The chain: our verdict, each set, and mail-auth's verdict beside it.
#[derive(Debug, Clone)]
pub struct ArcChain {
    pub cv: ArcCv,
    /// Highest valid instance seen (N).
    pub sets: usize,
    /// One line: the verdict and why.
    pub detail: String,
    pub instances: Vec<ArcInstance>,
    /// The instance whose check broke the chain, in RFC 8617 §5.2's order.
    pub broken_at: Option<usize>,
    /// Why the chain is not `pass` (empty when it is).
    pub reason: String,
    /// Limits met and other facts beside the verdict.
    pub notes: Vec<String>,
    /// Keys a `temperror` verdict waits for (empty otherwise).
    pub missing_keys: Vec<MissingKey>,
    /// For each instance i (index i-1): the cv of the sets 1..i-1 alone,
    /// the chain as the hop that added set i received it.
    pub below: Vec<ArcCv>,
    /// mail-auth's ARC verdict, when it ran.
    pub mail_auth: Option<Opinion>,
    /// Set when mail-auth's verdict differs from ours.
    pub disagreement: Option<String>,
}

impl ArcChain {
    /// The chain of a message without ARC fields.
    pub fn none() -> ArcChain {
        ArcChain {
            cv: ArcCv::None,
            sets: 0,
            detail: "no ARC headers".into(),
            instances: Vec::new(),
            broken_at: None,
            reason: String::new(),
            notes: Vec::new(),
            missing_keys: Vec::new(),
            below: Vec::new(),
            mail_auth: None,
            disagreement: None,
        }
    }

    /// The cv of the chain as it reached the hop that added set `i`
    /// (the sets below it alone): `none` for i=1.
    pub fn cv_below(&self, i: usize) -> Option<ArcCv> {
        i.checked_sub(1).and_then(|k| self.below.get(k)).copied()
    }

    /// Put mail-auth's verdict beside ours, saying so when they differ.
    pub fn set_mail_auth(&mut self, op: Option<Opinion>) {
        self.disagreement = op.as_ref().and_then(|op| {
            let theirs = match op.result {
                Outcome::Pass => ArcCv::Pass,
                Outcome::None => ArcCv::None,
                Outcome::TempError => ArcCv::TempError,
                _ => ArcCv::Fail,
            };
            (theirs != self.cv).then(|| {
                format!(
                    "mail-auth says {} ({}) where dkimscope says cv={}{}",
                    op.result,
                    if op.detail.is_empty() {
                        "no reason given"
                    } else {
                        &op.detail
                    },
                    self.cv,
                    if self.reason.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", self.reason)
                    }
                )
            })
        });
        self.mail_auth = op;
    }
}

fn lookup_for<'a>(lookups: &'a [TxtLookup], name: &str) -> Option<&'a TxtLookup> {
    lookups.iter().find(|l| l.query == name)
}

/// Validate the ARC chain of `msg` at `now`, with keys from `lookups`.
pub fn validate(
    msg: &Message,
    lookups: &[TxtLookup],
    now: u64,
    bodies: &mut BodyCache,
) -> ArcChain {
    let fields = collect::fields(msg);
    if fields.is_empty() {
        return ArcChain::none();
    }
    let n = fields
        .iter()
        .filter_map(|f| f.instance.as_ref().ok().copied())
        .max()
        .unwrap_or(0);
    let mut instances: Vec<ArcInstance> = (1..=n)
        .map(|i| ArcInstance {
            i,
            aar: Vec::new(),
            ams: Vec::new(),
            seals: Vec::new(),
            aar_text: None,
            cv: None,
            ams_check: None,
            seal_check: None,
        })
        .collect();
    for f in &fields {
        if let Ok(i) = f.instance
            && let Some(inst) = instances.get_mut(i - 1)
        {
            match f.kind {
                Kind::Aar => inst.aar.push(f.field),
                Kind::Ams => inst.ams.push(f.field),
                Kind::Seal => inst.seals.push(f.field),
            }
        }
    }

    // Trace every AMS and seal that stands alone in its instance.
    let complete =
        |inst: &ArcInstance| inst.aar.len() == 1 && inst.ams.len() == 1 && inst.seals.len() == 1;
    let mut chain: Vec<[usize; 3]> = Vec::new();
    let mut prefix_complete = true;
    for inst in instances.iter_mut() {
        if let [a] = inst.aar[..] {
            inst.aar_text = Some(collect::aar_text(msg, a));
        }
        if let [f] = inst.ams[..] {
            let sig = collect::read_sig(msg.value_bytes(&msg.headers[f]), Kind::Ams);
            let lookup = lookup_for(lookups, &sig.key_name());
            inst.ams_check = Some(seal::check_ams(msg, inst.i, f, sig, lookup, now, bodies));
        }
        prefix_complete &= complete(inst);
        if prefix_complete {
            chain.push([inst.aar[0], inst.ams[0], inst.seals[0]]);
        }
        if let [f] = inst.seals[..] {
            let sig = collect::read_sig(msg.value_bytes(&msg.headers[f]), Kind::Seal);
            inst.cv = sig.tags.get("cv").map(|t| t.text());
            inst.seal_check = Some(if prefix_complete {
                let lookup = lookup_for(lookups, &sig.key_name());
                seal::check_seal(msg, &chain, sig, lookup)
            } else {
                SealCheck {
                    result: SealResult::NotChecked,
                    reason: format!(
                        "not checked: the sets 1..{} do not each hold exactly one AAR, AMS and AS",
                        inst.i
                    ),
                    key_name: None,
                    steps: Vec::new(),
                    sig,
                }
            });
        }
    }

    let mut notes = Vec::new();
    let verdict = decide(&fields, &instances, &mut notes);
    // The chain each hop received: the sets below its own, judged alone.
    let below: Vec<ArcCv> = (1..=n)
        .map(|i| {
            if i == 1 {
                return ArcCv::None;
            }
            let lower: Vec<ArcField> = fields
                .iter()
                .filter(|f| matches!(f.instance, Ok(k) if k < i))
                .cloned()
                .collect();
            decide(&lower, &instances[..i - 1], &mut Vec::new()).cv()
        })
        .collect();
    let cv = verdict.cv();
    let (broken_at, reason, missing_keys) = match verdict {
        Verdict::Pass => (None, String::new(), Vec::new()),
        Verdict::Fail(at, why) => (at, why, Vec::new()),
        Verdict::TempError(keys) => {
            let why = format!(
                "cannot be checked without {}",
                keys.iter()
                    .map(|k| format!(
                        "the key {} (for {}): {}",
                        k.name,
                        k.needed_by.join(", "),
                        k.reason
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            (None, why, keys)
        }
    };
    let detail = match (cv, broken_at) {
        (ArcCv::Pass, _) => format!(
            "{n} ARC set{} verif{} (most recent AMS and every seal)",
            if n == 1 { "" } else { "s" },
            if n == 1 { "ies" } else { "y" }
        ),
        (_, Some(i)) => format!("broken at i={i}: {reason}"),
        _ => reason.clone(),
    };
    ArcChain {
        cv,
        sets: n,
        detail,
        instances,
        broken_at,
        reason,
        notes,
        missing_keys,
        below,
        mail_auth: None,
        disagreement: None,
    }
}

type Broken = (Option<usize>, String);

/// How the checks over a chain came out.
enum Verdict {
    Pass,
    /// The instance that broke it, if one did, and why.
    Fail(Option<usize>, String),
    /// Nothing failed, but these keys are needed to know.
    TempError(Vec<MissingKey>),
}

impl Verdict {
    fn cv(&self) -> ArcCv {
        match self {
            Verdict::Pass => ArcCv::Pass,
            Verdict::Fail(..) => ArcCv::Fail,
            Verdict::TempError(_) => ArcCv::TempError,
        }
    }
}

/// RFC 8617 §5.2 over what was found: the structure first, then the
/// signatures. The first definite failure wins; a check that waits for a
/// key makes the chain `temperror` only when nothing else failed.
fn decide(fields: &[ArcField], instances: &[ArcInstance], notes: &mut Vec<String>) -> Verdict {
    if let Err((at, why)) = structure(fields, instances, notes) {
        return Verdict::Fail(at, why);
    }
    let mut missing: Vec<MissingKey> = Vec::new();
    let mut wait = |name: Option<String>, who: String, reason: &str| {
        let name = name.unwrap_or_default();
        match missing.iter_mut().find(|m| m.name == name) {
            Some(m) => m.needed_by.push(who),
            None => missing.push(MissingKey {
                name,
                needed_by: vec![who],
                reason: reason.to_string(),
            }),
        }
    };
    // 4. The most recent AMS. A body hash that does not match fails
    // whatever key is published.
    if let Some(top) = instances.last()
        && let Some(c) = &top.ams_check
        && c.result != Outcome::Pass
    {
        let body_failed = c.steps.iter().any(|s| {
            s.step == crate::dkim::codes::Step::Body && s.status == crate::dkim::codes::Status::Fail
        });
        if c.result == Outcome::TempError && !body_failed {
            let name = (!c.sig.d.is_empty() && !c.sig.s.is_empty()).then(|| c.sig.key_name());
            wait(name, format!("AMS i={}", top.i), &c.reason);
        } else {
            return Verdict::Fail(
                Some(top.i),
                format!(
                    "the most recent AMS (i={}) does not verify: {}: {}",
                    top.i, c.diagnosis, c.reason
                ),
            );
        }
    }
    // 8. Every seal, most recent first.
    for inst in instances.iter().rev() {
        if let Some(s) = &inst.seal_check {
            match s.result {
                SealResult::Pass => {}
                SealResult::TempError => {
                    wait(s.key_name.clone(), format!("AS i={}", inst.i), &s.reason)
                }
                _ => {
                    return Verdict::Fail(
                        Some(inst.i),
                        format!("the seal i={} does not verify: {}", inst.i, s.reason),
                    );
                }
            }
        }
    }
    if missing.is_empty() {
        Verdict::Pass
    } else {
        Verdict::TempError(missing)
    }
}

/// RFC 8617 §5.2 steps 1 to 3: the chain's shape; the first failure wins.
fn structure(
    fields: &[ArcField],
    instances: &[ArcInstance],
    notes: &mut Vec<String>,
) -> Result<(), Broken> {
    let n = instances.len();
    // 1. At most 50 sets.
    if let Some(f) = fields
        .iter()
        .find(|f| matches!(f.instance, Err(BadInstance::TooHigh(_))))
    {
        let shown = match f.instance {
            Err(BadInstance::TooHigh(v)) => v.to_string(),
            _ => String::new(),
        };
        notes.push(format!(
            "ARC allows at most {MAX_SETS} sets; the chain was not checked further"
        ));
        return Err((
            None,
            format!(
                "{} (header field {}) claims i={shown}: more than {MAX_SETS} ARC sets (RFC 8617 §5.2 step 1)",
                f.kind.header(),
                f.field + 1
            ),
        ));
    }
    // 2. The most recent seal says the chain had already failed.
    if let Some(top) = instances.last()
        && top.seals.len() == 1
        && top.cv.as_deref().and_then(ArcCv::parse) == Some(ArcCv::Fail)
    {
        return Err((
            Some(top.i),
            format!(
                "the most recent seal (i={}) says cv=fail: a hop before found the chain broken",
                top.i
            ),
        ));
    }
    // 3. Structure.
    if let Some(f) = fields.iter().find(|f| f.instance.is_err()) {
        let why = match &f.instance {
            Err(BadInstance::Unreadable(w)) => w.clone(),
            _ => String::new(),
        };
        return Err((
            None,
            format!("{} (header field {}): {why}", f.kind.header(), f.field + 1),
        ));
    }
    for inst in instances {
        for (kind, list) in [
            (Kind::Aar, &inst.aar),
            (Kind::Ams, &inst.ams),
            (Kind::Seal, &inst.seals),
        ] {
            if list.len() != 1 {
                let what = if list.is_empty() {
                    format!("has no {}", kind.header())
                } else {
                    format!("has {} {} fields", list.len(), kind.header())
                };
                return Err((
                    Some(inst.i),
                    format!(
                        "set i={} {what}: each set needs exactly one AAR, AMS and AS, numbered 1..{n} (RFC 8617 §5.2 step 3)",
                        inst.i
                    ),
                ));
            }
        }
    }
    for inst in instances {
        let want = if inst.i == 1 {
            ArcCv::None
        } else {
            ArcCv::Pass
        };
        let got = inst.cv.as_deref().and_then(ArcCv::parse);
        if got != Some(want) {
            let written = inst.cv.clone().unwrap_or_else(|| "(missing)".into());
            return Err((
                Some(inst.i),
                format!(
                    "the seal i={} says cv={written}; {} (RFC 8617 §5.2 step 3)",
                    inst.i,
                    if inst.i == 1 {
                        "the first seal must say cv=none"
                    } else {
                        "a later seal must say cv=pass"
                    }
                ),
            ));
        }
    }
    Ok(())
}
