//! `check --json`: one object per message, one per line, in DESIGN.md's
//! shape. The wire structs live here, apart from the core types, so the
//! core can change without changing what scripts read.

use serde::Serialize;

use crate::diagnose::{Report, SignatureReport};
use crate::dkim::localize::Evidence;
use crate::dns::{Answer, TxtLookup};

#[derive(Serialize)]
pub struct MessageOut<'a> {
    pub file: &'a str,
    pub dkim: &'static str,
    pub summary: String,
    pub signatures: Vec<SignatureOut>,
    pub arc: ArcOut,
    pub authentication_results: Vec<AuthResultOut>,
    pub received: Vec<ReceivedOut>,
    pub received_summary: ReceivedSummaryOut,
    pub path: PathOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub m365: Option<M365Out>,
    /// Present when the message has exactly one From domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dmarc: Option<DmarcOut>,
    /// Microsoft 365's selector pair, for a `selector1`/`selector2`
    /// signature whose names point into Microsoft 365.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub m365_dkim: Option<M365DkimOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounce: Option<BounceOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub line_endings: &'static str,
    pub headers_only: bool,
    /// The time the checks used (Unix seconds).
    pub at: u64,
    /// Which time that was: now, time (`--at TIME`), delivery (`--at
    /// delivery`), or delivery-unknown (`--at delivery` on a message that
    /// shows no delivery time: checked now).
    pub as_of: &'static str,
    /// When the DNS answers were recorded (RFC 3339), present only when a
    /// recorded keys file (`--record`, `$RECORDED`) answered and the day
    /// differs from `at`'s; `notes` says it in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys_recorded: Option<String>,
}

#[derive(Serialize)]
pub struct M365DkimOut {
    /// Index into `signatures`.
    pub signature: usize,
    pub domain: String,
    pub signed_by: Option<String>,
    /// resolves, dangling, not-published or unknown.
    pub selector1: &'static str,
    pub selector2: &'static str,
    pub meaning: &'static str,
    pub note: String,
}

fn m365_dkim_out(m: &crate::selectors::m365::MessageStory) -> M365DkimOut {
    M365DkimOut {
        signature: m.signature,
        domain: m.domain.clone(),
        signed_by: m.story.signed_by.clone(),
        selector1: m.story.selector1.as_str(),
        selector2: m.story.selector2.as_str(),
        meaning: m.story.meaning,
        note: m.story.note.clone(),
    }
}

#[derive(Serialize)]
pub struct SignatureOut {
    pub index: usize,
    pub domain: String,
    pub selector: String,
    pub algorithm: String,
    pub result: &'static str,
    pub diagnosis: &'static str,
    pub reason: String,
    pub advice: std::borrow::Cow<'static, str>,
    pub warnings: Vec<&'static str>,
    pub warning_details: Vec<String>,
    pub findings: Vec<&'static str>,
    pub finding_details: Vec<String>,
    /// body-appended: what was added after the signed part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appended: Option<AppendedOut>,
    /// subject-tagged: the text the gateway added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_tag: Option<String>,
    pub mail_auth: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_auth_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
    /// mail-auth differs for a known reason, given here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_auth_expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyOut>,
    pub steps: Vec<StepOut>,
}

#[derive(Serialize)]
pub struct AppendedOut {
    pub lines: u64,
    pub bytes: u64,
    pub signed_lines: u64,
    pub signed_bytes: u64,
    /// The added text (lossy UTF-8, at most 16 KiB).
    pub text: String,
    pub truncated: bool,
}

#[derive(Serialize)]
pub struct KeyOut {
    pub name: String,
    pub answer: String,
    pub cname_hops: Vec<HopOut>,
    pub txt: Vec<String>,
    pub served_by: String,
    /// `secure`, `insecure`, `bogus` or `unknown` ([`crate::dns::Dnssec`]).
    pub dnssec: &'static str,
    /// Timing: excluded from the determinism guarantee.
    pub elapsed_ms: u64,
}

#[derive(Serialize)]
pub struct HopOut {
    pub from: String,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
}

#[derive(Serialize)]
pub struct StepOut {
    pub name: &'static str,
    pub status: &'static str,
    pub detail: String,
}

#[derive(Serialize)]
pub struct ArcOut {
    pub cv: &'static str,
    pub sets: usize,
    pub detail: String,
    pub instances: Vec<ArcInstanceOut>,
    /// The instance whose check broke the chain (RFC 8617 §5.2 order).
    pub broken_at: Option<usize>,
    /// Why the chain is not pass (empty when it is).
    pub reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The keys a `temperror` chain waits for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_keys: Vec<MissingKeyOut>,
    /// mail-auth's ARC verdict, when it ran.
    pub mail_auth: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_auth_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

#[derive(Serialize)]
pub struct MissingKeyOut {
    pub name: String,
    pub needed_by: Vec<String>,
    pub reason: String,
    pub dig: String,
}

#[derive(Serialize)]
pub struct ArcInstanceOut {
    pub i: usize,
    /// The seal's cv= as written.
    pub cv: Option<String>,
    /// Header field numbers (1-based) of this instance's AAR, AMS and AS.
    pub aar_fields: Vec<usize>,
    pub ams_fields: Vec<usize>,
    pub seal_fields: Vec<usize>,
    /// The AAR statement after `i=N;`.
    pub aar: Option<String>,
    pub ams: Option<ArcAmsOut>,
    pub seal: Option<ArcSealOut>,
}

#[derive(Serialize)]
pub struct ArcAmsOut {
    pub domain: String,
    pub selector: String,
    pub result: &'static str,
    pub diagnosis: &'static str,
    pub reason: String,
    pub steps: Vec<StepOut>,
}

#[derive(Serialize)]
pub struct ArcSealOut {
    pub domain: String,
    pub selector: String,
    pub result: &'static str,
    pub reason: String,
    pub steps: Vec<StepOut>,
}

fn steps_out(steps: &[crate::dkim::verify::TraceStep]) -> Vec<StepOut> {
    steps
        .iter()
        .map(|st| StepOut {
            name: st.step.as_str(),
            status: st.status.as_str(),
            detail: st.detail.clone(),
        })
        .collect()
}

fn arc_out(a: &crate::arc::ArcChain) -> ArcOut {
    let one_based = |v: &[usize]| v.iter().map(|f| f + 1).collect::<Vec<_>>();
    ArcOut {
        cv: a.cv.as_str(),
        sets: a.sets,
        detail: a.detail.clone(),
        instances: a
            .instances
            .iter()
            .map(|inst| ArcInstanceOut {
                i: inst.i,
                cv: inst.cv.clone(),
                aar_fields: one_based(&inst.aar),
                ams_fields: one_based(&inst.ams),
                seal_fields: one_based(&inst.seals),
                aar: inst.aar_text.clone(),
                ams: inst.ams_check.as_ref().map(|c| ArcAmsOut {
                    domain: c.sig.d.clone(),
                    selector: c.sig.s.clone(),
                    result: c.result.as_str(),
                    diagnosis: c.diagnosis.as_str(),
                    reason: c.reason.clone(),
                    steps: steps_out(&c.steps),
                }),
                seal: inst.seal_check.as_ref().map(|s| ArcSealOut {
                    domain: s.sig.d.clone(),
                    selector: s.sig.s.clone(),
                    result: s.result.as_str(),
                    reason: s.reason.clone(),
                    steps: steps_out(&s.steps),
                }),
            })
            .collect(),
        broken_at: a.broken_at,
        reason: a.reason.clone(),
        notes: a.notes.clone(),
        missing_keys: a
            .missing_keys
            .iter()
            .map(|k| MissingKeyOut {
                name: k.name.clone(),
                needed_by: k.needed_by.clone(),
                reason: k.reason.clone(),
                dig: crate::dns::dig_command(&k.name),
            })
            .collect(),
        mail_auth: a.mail_auth.as_ref().map(|o| o.result.as_str()),
        mail_auth_detail: a
            .mail_auth
            .as_ref()
            .filter(|o| !o.detail.is_empty())
            .map(|o| o.detail.clone()),
        disagreement: a.disagreement.clone(),
    }
}

#[derive(Serialize)]
pub struct AuthResultOut {
    pub authserv_id: String,
    pub method: String,
    pub result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<(String, String)>,
    /// The statement's comments: the receiver's own words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The reason code explained (compauth), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_meaning: Option<String>,
    /// Index into `signatures` of the signature a dkim= result names.
    pub signature: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// dkimscope's own result for the same check, when it has one.
    pub ours: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<String>,
    /// The receiver's result beside ours: agrees, agrees-at-delivery,
    /// differs or not-comparable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreement: Option<&'static str>,
    /// Written by someone other than the receiver that delivered the message.
    pub suspect: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspect_why: Option<String>,
    /// The rule that trusted the statement's writer, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_by: Option<String>,
    /// The header field (1-based) the statement came from.
    pub field: usize,
    /// What could not be read in that field (the same on each of its
    /// statements).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// The From domain's DMARC policy, evaluated on DKIM alone.
#[derive(Serialize)]
pub struct DmarcOut {
    pub from_domain: String,
    pub org_domain: String,
    pub queried: Vec<String>,
    pub record_at: Option<String>,
    pub record: Option<String>,
    pub tags: Vec<(String, String)>,
    pub problems: Vec<String>,
    pub policy: Option<String>,
    pub adkim: &'static str,
    pub pct: Option<u32>,
    pub result: &'static str,
    pub explanation: String,
    pub signatures: Vec<DmarcSigOut>,
    /// The trusted receiver's SPF statement, judged for alignment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spf: Option<DmarcSpfOut>,
}

#[derive(Serialize)]
pub struct DmarcSpfOut {
    pub authserv_id: String,
    pub result: String,
    pub mail_from: String,
    pub domain: String,
    pub aligned: bool,
    /// relaxed or strict (aspf=).
    pub mode: &'static str,
    /// spf=pass and aligned: DMARC passed at the receiver on SPF.
    pub dmarc_pass: bool,
    pub note: String,
}

#[derive(Serialize)]
pub struct DmarcSigOut {
    pub index: usize,
    pub domain: String,
    pub aligned: bool,
    pub dkim_pass: bool,
    pub dmarc_pass: bool,
    pub note: String,
}

fn dmarc_out(d: &crate::dmarc::Dmarc) -> DmarcOut {
    DmarcOut {
        from_domain: d.from_domain.clone(),
        org_domain: d.org_domain.clone(),
        queried: d.queried.clone(),
        record_at: d.found_at.clone(),
        record: d.record.as_ref().map(|r| r.raw.clone()),
        tags: d
            .record
            .as_ref()
            .map(|r| r.tags.clone())
            .unwrap_or_default(),
        problems: d
            .record
            .as_ref()
            .map(|r| r.problems.clone())
            .unwrap_or_default(),
        policy: d.policy.clone(),
        adkim: d.mode.as_str(),
        pct: d.record.as_ref().map(|r| r.pct),
        result: d.result.as_str(),
        explanation: d.explanation.clone(),
        spf: d.spf.as_ref().map(|s| DmarcSpfOut {
            authserv_id: s.authserv_id.clone(),
            result: s.result.clone(),
            mail_from: s.mail_from.clone(),
            domain: s.domain.clone(),
            aligned: s.aligned,
            mode: s.mode.as_str(),
            dmarc_pass: s.carries_dmarc,
            note: s.note.clone(),
        }),
        signatures: d
            .alignments
            .iter()
            .map(|a| DmarcSigOut {
                index: a.index,
                domain: a.d.clone(),
                aligned: a.aligned,
                dkim_pass: a.dkim_pass,
                dmarc_pass: a.passes,
                note: a.note.clone(),
            })
            .collect(),
    }
}

/// Microsoft 365 anti-spam headers, decoded.
#[derive(Serialize)]
pub struct M365Out {
    pub verdict: String,
    pub scl: Option<i32>,
    pub bcl: Option<u32>,
    pub sfv: Option<String>,
    pub cat: Option<String>,
    pub fields: Vec<M365FieldOut>,
}

#[derive(Serialize)]
pub struct M365FieldOut {
    pub header: &'static str,
    pub field: String,
    pub value: String,
    pub meaning: String,
}

fn m365_out(m: &crate::m365::M365) -> M365Out {
    M365Out {
        verdict: m.verdict.clone(),
        scl: m.scl,
        bcl: m.bcl,
        sfv: m.sfv.clone(),
        cat: m.cat.clone(),
        fields: m
            .fields
            .iter()
            .map(|f| M365FieldOut {
                header: f.header,
                field: f.key.clone(),
                value: f.value.clone(),
                meaning: f.meaning.clone(),
            })
            .collect(),
    }
}

/// One Received hop, first hop first.
#[derive(Serialize)]
pub struct ReceivedOut {
    pub field: usize,
    pub from: Option<String>,
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    pub with: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "for")]
    pub for_: Option<String>,
    pub date: Option<String>,
    /// Unix seconds, when the date could be read.
    pub time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_note: Option<String>,
    /// A field with no from or by clause (qmail's "qmail 1234 invoked from
    /// network"): its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Seconds since the previous readable hop, rounded.
    pub delay: Option<i64>,
    pub skew: bool,
}

#[derive(Serialize)]
pub struct ReceivedSummaryOut {
    pub hops: usize,
    pub total_seconds: Option<i64>,
    pub skewed: usize,
    pub unparsed_dates: usize,
}

fn received_out(r: &Report) -> (Vec<ReceivedOut>, ReceivedSummaryOut) {
    let hops = r
        .received
        .iter()
        .map(|h| ReceivedOut {
            field: h.field,
            from: h.from.clone(),
            by: h.by.clone(),
            via: h.via.clone(),
            with: h.with.clone(),
            id: h.id.clone(),
            for_: h.for_.clone(),
            date: h.date_text.clone(),
            time: h.time,
            date_note: h.date_note.clone(),
            comment: h.comment.clone(),
            delay: h.delay,
            skew: h.skew,
        })
        .collect();
    let s = &r.received_summary;
    let summary = ReceivedSummaryOut {
        hops: s.hops,
        total_seconds: s.total,
        skewed: s.skewed,
        unparsed_dates: s.unparsed,
    };
    (hops, summary)
}

/// The hops in order and where the message changed (`path.break`).
#[derive(Serialize)]
pub struct PathOut {
    pub hops: Vec<PathHopOut>,
    #[serde(rename = "break")]
    pub brk: Option<BreakOut>,
}

#[derive(Serialize)]
pub struct PathHopOut {
    pub hop: usize,
    pub from: Option<String>,
    pub by: Option<String>,
    pub time: Option<i64>,
    /// The ARC instance this hop sealed.
    pub arc: Option<usize>,
    pub wrote: Vec<PathStatementOut>,
}

#[derive(Serialize)]
pub struct PathStatementOut {
    /// `aar` or `ar`.
    pub field: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<usize>,
    pub authserv_id: String,
    /// Its dkim= result for the author's signature.
    pub dkim: Option<String>,
}

/// An ARC instance (0 = the original DKIM signer) or Received hop number,
/// or `"after-last"`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum PositionOut {
    Number(usize),
    Word(&'static str),
}

#[derive(Serialize)]
pub struct BreakOut {
    pub last_intact: PositionOut,
    pub first_changed: PositionOut,
    pub what: &'static str,
    pub suspect_host: Option<String>,
    pub evidence: Vec<String>,
    pub by: &'static str,
}

fn position_out(p: crate::diagnose::path::Position) -> PositionOut {
    use crate::diagnose::path::Position;
    match p {
        Position::Signer(n) | Position::Hop(n) => PositionOut::Number(n),
        Position::AfterLast => PositionOut::Word("after-last"),
    }
}

fn path_out(p: &crate::diagnose::path::Path) -> PathOut {
    use crate::diagnose::path::Source;
    PathOut {
        hops: p
            .hops
            .iter()
            .map(|h| PathHopOut {
                hop: h.number,
                from: h.from.clone(),
                by: h.by.clone(),
                time: h.time,
                arc: h.arc,
                wrote: h
                    .wrote
                    .iter()
                    .map(|w| PathStatementOut {
                        field: match w.source {
                            Source::Aar(_) => "aar",
                            Source::Ar => "ar",
                        },
                        instance: match w.source {
                            Source::Aar(i) => Some(i),
                            Source::Ar => None,
                        },
                        authserv_id: w.authserv_id.clone(),
                        dkim: w.dkim.clone(),
                    })
                    .collect(),
            })
            .collect(),
        brk: p.brk.as_ref().map(|b| BreakOut {
            last_intact: position_out(b.last_intact),
            first_changed: position_out(b.first_changed),
            what: b.what.as_str(),
            suspect_host: b.suspect_host.clone(),
            evidence: b.evidence.clone(),
            by: b.by.as_str(),
        }),
    }
}

#[derive(Serialize)]
pub struct BounceOut {
    pub how: String,
    /// True when the analysed message is the copy the bounce carries;
    /// false when it carries none and the bounce itself was analysed.
    pub opened: bool,
    pub diagnostics: Vec<String>,
    /// The enhanced status code the bounce reports (RFC 3463), e.g. 5.7.26.
    pub status: Option<String>,
    /// The SMTP reply code, e.g. 550.
    pub reply: Option<u16>,
    pub status_meaning: Option<String>,
    /// Whether the rejection is about DKIM, SPF, DMARC or "unauthenticated"
    /// mail; null when the bounce gives no status.
    pub about_authentication: Option<bool>,
}

#[derive(Serialize)]
pub struct ErrorOut<'a> {
    pub file: &'a str,
    pub error: &'a str,
}

/// The CNAME links of a lookup, for the wire.
pub fn hops_out(l: &TxtLookup) -> Vec<HopOut> {
    l.hops
        .iter()
        .map(|h| HopOut {
            from: h.from.clone(),
            to: h.to.clone(),
            ttl: h.ttl,
        })
        .collect()
}

/// The TXT records of a lookup, each joined, for the wire.
pub fn txt_out(l: &TxtLookup) -> Vec<String> {
    match &l.answer {
        Answer::Txt(r) => r
            .iter()
            .map(|r| String::from_utf8_lossy(&r.joined()).into_owned())
            .collect(),
        _ => Vec::new(),
    }
}

fn key_out(l: &TxtLookup) -> KeyOut {
    KeyOut {
        name: l.query.clone(),
        answer: l.answer.to_string(),
        cname_hops: hops_out(l),
        txt: txt_out(l),
        served_by: l.served_by.to_string(),
        dnssec: l.dnssec.as_str(),
        elapsed_ms: l.elapsed.as_millis() as u64,
    }
}

fn signature_out(s: &SignatureReport) -> SignatureOut {
    let c = &s.check;
    SignatureOut {
        index: c.index,
        domain: c.sig.d.clone(),
        selector: c.sig.s.clone(),
        algorithm: c.sig.a.clone(),
        result: c.result.as_str(),
        diagnosis: c.diagnosis.as_str(),
        reason: c.reason.clone(),
        advice: crate::diagnose::advice::advise(c),
        warnings: c.warnings.iter().map(|(w, _)| w.as_str()).collect(),
        warning_details: c.warnings.iter().map(|(_, d)| d.clone()).collect(),
        findings: c.findings.iter().map(|f| f.code.as_str()).collect(),
        finding_details: c.findings.iter().map(|f| f.detail.clone()).collect(),
        appended: c.findings.iter().find_map(|f| match &f.evidence {
            Evidence::Appended(a) => Some(AppendedOut {
                lines: a.lines,
                bytes: a.bytes,
                signed_lines: a.signed_lines,
                signed_bytes: a.signed_bytes,
                text: String::from_utf8_lossy(&a.text).into_owned(),
                truncated: a.truncated,
            }),
            _ => None,
        }),
        subject_tag: c.findings.iter().find_map(|f| match &f.evidence {
            Evidence::Tag { tag, .. } => Some(tag.clone()),
            _ => None,
        }),
        mail_auth: s.mail_auth.result.as_str(),
        mail_auth_detail: (!s.mail_auth.detail.is_empty()).then(|| s.mail_auth.detail.clone()),
        disagreement: s.disagreement.clone(),
        mail_auth_expected: s.mail_auth_expected.clone(),
        key: c.lookup.as_ref().map(key_out),
        steps: steps_out(&c.steps),
    }
}

pub fn message_line(file: &str, r: &Report) -> String {
    let m = &r.message;
    let (received, received_summary) = received_out(r);
    let out = MessageOut {
        received,
        received_summary,
        path: path_out(&r.path),
        m365: r.m365.as_ref().map(m365_out),
        dmarc: r.dmarc.as_ref().map(dmarc_out),
        m365_dkim: r.m365_dkim.as_ref().map(m365_dkim_out),
        file,
        dkim: r.dkim.as_str(),
        summary: r.headline(),
        signatures: r.signatures.iter().map(signature_out).collect(),
        arc: arc_out(&r.arc),
        authentication_results: r
            .auth_results
            .iter()
            .map(|st| {
                let (a, l) = (&st.parsed, st.link.clone());
                AuthResultOut {
                    comment: a.comment.clone(),
                    authserv_id: a.authserv_id.clone(),
                    method: a.method.clone(),
                    result: a.result.clone(),
                    reason: a.reason.clone(),
                    properties: a.props.clone(),
                    reason_meaning: l.reason_meaning,
                    signature: l.signature,
                    link: l.link,
                    ours: l.ours,
                    comparison: l.comparison,
                    agreement: l.agreement.map(|a| a.as_str()),
                    suspect: l.suspect,
                    suspect_why: l.suspect_why,
                    trusted_by: l.trusted_by,
                    field: l.field + 1,
                    problems: a.problems.clone(),
                }
            })
            .collect(),
        bounce: m.bounce.as_ref().map(|b| {
            let st = b.status.as_ref();
            let meaning = st.and_then(|s| {
                s.code
                    .as_ref()
                    .map(|c| crate::explain::status::meaning(c, &s.line))
            });
            BounceOut {
                how: b.how.clone(),
                opened: b.opened,
                diagnostics: b.diagnostics.clone(),
                status: st.and_then(|s| s.code.clone()),
                reply: st.and_then(|s| s.reply),
                status_meaning: meaning.as_ref().map(|m| m.text.clone()),
                about_authentication: meaning.map(|m| m.about_authentication),
            }
        }),
        notes: r.notes.clone(),
        line_endings: match m.line_endings {
            crate::message::LineEndings::Crlf => "crlf",
            crate::message::LineEndings::Lf => "lf",
            crate::message::LineEndings::Mixed => "mixed",
            crate::message::LineEndings::None => "none",
        },
        headers_only: m.body.is_none(),
        at: r.now,
        as_of: r.as_of.as_str(),
        keys_recorded: r.keys_recorded.map(crate::dns::record::rfc3339),
    };
    serde_json::to_string(&out)
        .unwrap_or_else(|e| error_line(file, &format!("could not encode the report: {e}")))
}

pub fn error_line(file: &str, error: &str) -> String {
    serde_json::to_string(&ErrorOut { file, error })
        .unwrap_or_else(|_| String::from("{\"error\":\"unencodable\"}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Dnssec, ServedBy};

    #[test]
    fn key_out_carries_the_dnssec_status() {
        let mut l = TxtLookup {
            query: "s._domainkey.example.com".into(),
            hops: Vec::new(),
            answer: Answer::NoData,
            served_by: ServedBy::Resolver("127.0.0.1:53".into()),
            elapsed: std::time::Duration::ZERO,
            soa: None,
            recorded: None,
            dnssec: Dnssec::Bogus,
        };
        let v = serde_json::to_value(key_out(&l)).expect("JSON");
        assert_eq!(v["dnssec"], "bogus");
        l.dnssec = Dnssec::Unknown;
        let v = serde_json::to_value(key_out(&l)).expect("JSON");
        assert_eq!(v["dnssec"], "unknown");
    }
}
