//! DMARC (RFC 7489) as far as DKIM decides it: the From domain's `_dmarc`
//! record (falling back to the organizational domain by the Public Suffix
//! List), every tag read with its problems kept, and for each DKIM
//! signature whether its d= aligns with the From domain (relaxed or strict
//! per adkim=) and so whether DMARC would pass on DKIM. SPF is not
//! evaluated here: a "fail" means no DKIM signature can carry DMARC. The
//! receiver's own SPF statement is read beside it ([`receiver_spf`]): when
//! it passed with a MAIL FROM aligned per aspf=, DMARC passed there on SPF.

use crate::dkim::codes::codes;
use crate::dns::{Answer, TxtLookup};
use crate::message::Message;

codes!(
    /// The DMARC result on DKIM alone (RFC 7489 §11.2 words).
    DmarcResult {
        Pass = "pass",
        Fail = "fail",
        None = "none",
        TempError = "temperror",
        PermError = "permerror",
    }
);

/// The domain of the single From address, lower-case.
pub fn from_domain(msg: &Message) -> Option<String> {
    let mut froms = msg.fields("from");
    let (_, field) = froms.next()?;
    if froms.next().is_some() {
        return None;
    }
    let value = String::from_utf8_lossy(msg.value_bytes(field)).into_owned();
    let addr = match (value.rfind('<'), value.rfind('>')) {
        (Some(a), Some(b)) if a < b => value[a + 1..b].to_string(),
        _ => value
            .split_whitespace()
            .find(|w| w.contains('@'))?
            .to_string(),
    };
    let domain = addr
        .rsplit_once('@')?
        .1
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// The organizational domain: the registrable domain by the Public Suffix
/// List, or the name itself when the list has no answer.
pub fn org_domain(name: &str) -> String {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&name).map(str::to_string).unwrap_or(name)
}

/// Identifier alignment mode (RFC 7489 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Relaxed,
    Strict,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Relaxed => "relaxed",
            Mode::Strict => "strict",
        }
    }
}

/// A DMARC record, every tag kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub raw: String,
    pub tags: Vec<(String, String)>,
    pub p: Option<String>,
    pub sp: Option<String>,
    pub np: Option<String>,
    pub adkim: Mode,
    pub aspf: Mode,
    pub pct: u32,
    pub rua: Vec<String>,
    pub ruf: Vec<String>,
    pub fo: String,
    pub rf: String,
    pub ri: u32,
    /// Everything wrong or odd about the record.
    pub problems: Vec<String>,
}

/// One signature's standing under the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigAlignment {
    /// Index into `Report.signatures`.
    pub index: usize,
    pub d: String,
    pub aligned: bool,
    pub dkim_pass: bool,
    /// Aligned and passing: DMARC passes on this signature.
    pub passes: bool,
    pub note: String,
}

/// What DMARC says about the message, on DKIM alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dmarc {
    pub from_domain: String,
    pub org_domain: String,
    /// Every `_dmarc` name asked, in order.
    pub queried: Vec<String>,
    /// The name whose record applies.
    pub found_at: Option<String>,
    pub record: Option<Record>,
    /// The policy that applies to this From domain (p=, or sp= for a
    /// subdomain of the organizational domain's record).
    pub policy: Option<String>,
    pub mode: Mode,
    pub alignments: Vec<SigAlignment>,
    pub result: DmarcResult,
    pub explanation: String,
    /// The trusted receiver's SPF statement, when there is one.
    pub spf: Option<ReceiverSpf>,
}

/// What the receiver's SPF check said, and whether it aligns with From.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverSpf {
    pub authserv_id: String,
    /// The receiver's spf= result as written.
    pub result: String,
    /// `smtp.mailfrom` as written (an address or a domain).
    pub mail_from: String,
    /// Its domain, lower-case.
    pub domain: String,
    /// Aligned with the From domain under `aspf`.
    pub aligned: bool,
    pub mode: Mode,
    /// spf=pass and aligned: DMARC passed at the receiver on SPF.
    pub carries_dmarc: bool,
    pub note: String,
}

/// The first SPF statement among `trusted` (the receivers' statements not
/// flagged as possibly forged), judged against `from` under `aspf=` (the
/// record's, relaxed when there is none).
pub fn receiver_spf<'a>(
    trusted: impl IntoIterator<Item = &'a crate::auth_results::AuthResult>,
    from: &str,
    record: Option<&Record>,
) -> Option<ReceiverSpf> {
    let r = trusted
        .into_iter()
        .find(|r| r.method.eq_ignore_ascii_case("spf"))?;
    let mail_from = r
        .props
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("smtp.mailfrom"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let domain = mail_from
        .rsplit('@')
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '<' || c == '>')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mode = record.map_or(Mode::Relaxed, |r| r.aspf);
    let aligned = !domain.is_empty() && aligned(&domain, from, mode);
    let pass = r.result.eq_ignore_ascii_case("pass");
    let carries_dmarc = pass && aligned;
    let id = if r.authserv_id.is_empty() {
        "the receiver".to_string()
    } else {
        r.authserv_id.clone()
    };
    let note = match (pass, aligned, domain.is_empty()) {
        (_, _, true) => format!("{id} said spf={} with no MAIL FROM domain", r.result),
        (true, true, _) => format!(
            "{id} said spf=pass for the MAIL FROM domain {domain}, aligned with {from} ({}): SPF alone makes DMARC pass there",
            mode.as_str()
        ),
        (true, false, _) => format!(
            "{id} said spf=pass for the MAIL FROM domain {domain}, not aligned with {from} ({}): SPF cannot carry DMARC",
            mode.as_str()
        ),
        (false, _, _) => format!(
            "{id} said spf={} for the MAIL FROM domain {domain}: SPF did not carry DMARC",
            r.result
        ),
    };
    Some(ReceiverSpf {
        authserv_id: r.authserv_id.clone(),
        result: r.result.to_ascii_lowercase(),
        mail_from,
        domain,
        aligned,
        mode,
        carries_dmarc,
        note,
    })
}

fn policy_value(v: &str, tag: &str, problems: &mut Vec<String>) -> Option<String> {
    let v = v.trim().to_ascii_lowercase();
    if matches!(v.as_str(), "none" | "quarantine" | "reject") {
        Some(v)
    } else {
        problems.push(format!("{tag}={v} is not none, quarantine or reject"));
        None
    }
}

fn mode(v: &str, tag: &str, problems: &mut Vec<String>) -> Mode {
    match v.trim().to_ascii_lowercase().as_str() {
        "r" => Mode::Relaxed,
        "s" => Mode::Strict,
        other => {
            problems.push(format!("{tag}={other} is not r or s; relaxed applies"));
            Mode::Relaxed
        }
    }
}

fn uris(v: &str, tag: &str, problems: &mut Vec<String>) -> Vec<String> {
    let list: Vec<String> = v
        .split(',')
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect();
    for u in &list {
        if !u.to_ascii_lowercase().starts_with("mailto:") {
            problems.push(format!("{tag} entry {u} is not a mailto: URI"));
        }
    }
    list
}

/// Parse one record's text (`v=DMARC1; p=...`).
pub fn parse_record(text: &str) -> Record {
    let mut r = Record {
        raw: text.to_string(),
        tags: Vec::new(),
        p: None,
        sp: None,
        np: None,
        adkim: Mode::Relaxed,
        aspf: Mode::Relaxed,
        pct: 100,
        rua: Vec::new(),
        ruf: Vec::new(),
        fo: "0".into(),
        rf: "afrf".into(),
        ri: 86_400,
        problems: Vec::new(),
    };
    let mut problems = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            problems.push(format!("{part:?} is not a tag=value pair"));
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_string());
        if r.tags.iter().any(|(n, _)| *n == k) {
            problems.push(format!("{k}= appears twice; the first is used"));
            continue;
        }
        match k.as_str() {
            "v" if v != "DMARC1" => {
                problems.push(format!("v={v} but a DMARC record says v=DMARC1"))
            }
            "v" => {}
            "p" => r.p = policy_value(&v, "p", &mut problems),
            "sp" => r.sp = policy_value(&v, "sp", &mut problems),
            "np" => r.np = policy_value(&v, "np", &mut problems),
            "adkim" => r.adkim = mode(&v, "adkim", &mut problems),
            "aspf" => r.aspf = mode(&v, "aspf", &mut problems),
            "pct" => match v.parse::<u32>() {
                Ok(n) if n <= 100 => r.pct = n,
                _ => problems.push(format!("pct={v} is not 0-100; 100 applies")),
            },
            "rua" => r.rua = uris(&v, "rua", &mut problems),
            "ruf" => r.ruf = uris(&v, "ruf", &mut problems),
            "fo" => {
                if !v
                    .split(':')
                    .all(|f| matches!(f.trim(), "0" | "1" | "d" | "s"))
                {
                    problems.push(format!("fo={v} holds options other than 0, 1, d and s"));
                }
                r.fo = v.clone();
            }
            "rf" => r.rf = v.clone(),
            "ri" => match v.parse::<u32>() {
                Ok(n) => r.ri = n,
                Err(_) => problems.push(format!("ri={v} is not a number of seconds")),
            },
            _ => problems.push(format!("unknown tag {k}= (ignored)")),
        }
        r.tags.push((k, v));
    }
    if r.tags.first().map(|(k, _)| k.as_str()) != Some("v") {
        problems.push("v=DMARC1 must be the first tag".into());
    }
    if r.p.is_none() {
        if r.tags.iter().any(|(k, _)| k == "p") || r.rua.is_empty() {
            problems.push("no valid p= tag: the record is not usable".into());
        } else {
            // RFC 7489 §6.6.3: with rua= present, a missing p= reads as none.
            problems.push("no p= tag; read as p=none because rua= is present".into());
            r.p = Some("none".into());
        }
    }
    r.problems = problems;
    r
}

/// The DMARC records (`v=DMARC1...`) a lookup found, or why there are none.
fn records(l: &TxtLookup) -> Result<Vec<String>, (DmarcResult, String)> {
    if l.dnssec == crate::dns::Dnssec::Bogus
        && let Some(why) = l.dns_failure()
    {
        return Err((DmarcResult::TempError, format!("{}: {why}", l.query)));
    }
    match &l.answer {
        Answer::Txt(recs) => Ok(recs
            .iter()
            .map(|r| String::from_utf8_lossy(&r.joined()).into_owned())
            .filter(|t| t.trim_start().starts_with("v=DMARC1"))
            .collect()),
        Answer::NxDomain | Answer::NoData => Ok(Vec::new()),
        Answer::OfflineMissing => Err((
            DmarcResult::TempError,
            format!(
                "offline and no keys file has {}: {}",
                l.query,
                crate::dns::dig_command(&l.query)
            ),
        )),
        other => Err((
            DmarcResult::TempError,
            match l.dns_failure() {
                Some(why) => format!("{}: {why}", l.query),
                None => format!("{other} for {}", l.query),
            },
        )),
    }
}

/// True when this answer holds no DMARC record, so the organizational
/// domain's record must be asked for (RFC 7489 §6.6.3).
pub fn needs_fallback(l: &TxtLookup) -> bool {
    matches!(records(l), Ok(found) if found.is_empty())
}

/// Aligned under `mode` (RFC 7489 §3.1.1): strict wants the same name,
/// relaxed the same organizational domain. The one alignment rule, used by
/// the DMARC evaluation and by the `not-aligned-with-from` warning.
pub fn aligned(d: &str, from: &str, mode: Mode) -> bool {
    let (d, from) = (d.trim_end_matches('.'), from.trim_end_matches('.'));
    match mode {
        Mode::Strict => d.eq_ignore_ascii_case(from),
        Mode::Relaxed => org_domain(d) == org_domain(from),
    }
}

/// Evaluate DMARC for `from` given the lookups of `_dmarc.<from>` and
/// (when asked) `_dmarc.<org>`, and each signature's (index, d=, passed).
pub fn evaluate(
    from: &str,
    org: &str,
    lookups: &[&TxtLookup],
    sigs: &[(usize, String, bool)],
) -> Dmarc {
    let mut d = Dmarc {
        from_domain: from.to_string(),
        org_domain: org.to_string(),
        queried: lookups.iter().map(|l| l.query.clone()).collect(),
        found_at: None,
        record: None,
        policy: None,
        mode: Mode::Relaxed,
        alignments: Vec::new(),
        result: DmarcResult::None,
        explanation: String::new(),
        spf: None,
    };
    for l in lookups {
        match records(l) {
            Err((result, why)) => {
                d.result = result;
                d.explanation = format!("the DMARC record could not be fetched: {why}");
                return d;
            }
            Ok(found) if found.is_empty() => continue,
            Ok(found) => {
                d.found_at = Some(l.query.clone());
                if found.len() > 1 {
                    d.result = DmarcResult::PermError;
                    d.explanation = format!(
                        "{} holds {} DMARC records; RFC 7489 §6.6.3 says to apply none",
                        l.query,
                        found.len()
                    );
                    return d;
                }
                d.record = Some(parse_record(&found[0]));
                break;
            }
        }
    }
    let Some(rec) = &d.record else {
        d.explanation = format!(
            "no DMARC record for {from}{}: receivers apply no DMARC policy",
            if org != from {
                format!(" or its organizational domain {org}")
            } else {
                String::new()
            }
        );
        return d;
    };
    let at_org = d.found_at.as_deref() != Some(&format!("_dmarc.{from}"));
    d.policy = if at_org {
        rec.sp.clone().or_else(|| rec.p.clone())
    } else {
        rec.p.clone()
    };
    d.mode = rec.adkim;
    let Some(policy) = d.policy.clone() else {
        d.result = DmarcResult::PermError;
        d.explanation = "the DMARC record has no usable p= tag".into();
        return d;
    };
    for (index, dom, pass) in sigs {
        let al = aligned(dom, from, rec.adkim);
        let note = match (al, *pass) {
            (true, true) => format!(
                "d={dom} aligns ({}) and passes: DMARC passes on it",
                rec.adkim.as_str()
            ),
            (true, false) => format!(
                "d={dom} aligns ({}) but the signature does not pass",
                rec.adkim.as_str()
            ),
            (false, _) => format!(
                "d={dom} does not align with {from} ({}{})",
                rec.adkim.as_str(),
                if rec.adkim == Mode::Strict && org_domain(dom) == org_domain(from) {
                    ": relaxed alignment would accept it"
                } else {
                    ""
                }
            ),
        };
        d.alignments.push(SigAlignment {
            index: *index,
            d: dom.clone(),
            aligned: al,
            dkim_pass: *pass,
            passes: al && *pass,
            note,
        });
    }
    if d.alignments.iter().any(|a| a.passes) {
        d.result = DmarcResult::Pass;
        d.explanation = format!("DMARC passes on DKIM (policy {policy})");
    } else {
        d.result = DmarcResult::Fail;
        d.explanation = format!(
            "no aligned DKIM signature passes: unless SPF passes aligned, receivers apply p={policy}{}",
            if rec.pct < 100 {
                format!(" to {}% of such mail", rec.pct)
            } else {
                String::new()
            }
        );
    }
    d
}

#[cfg(test)]
mod tests;
