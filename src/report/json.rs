//! `check --json`: one object per message, one per line, in DESIGN.md's
//! shape. The wire structs live here, apart from the core types, so the
//! core can change without changing what scripts read.

use serde::Serialize;

use crate::diagnose::{Report, SignatureReport};
use crate::dkim::localize::Evidence;
use crate::dns::{Answer, ServedBy, TxtLookup};

#[derive(Serialize)]
pub struct MessageOut<'a> {
    pub file: &'a str,
    pub dkim: &'static str,
    pub summary: String,
    pub signatures: Vec<SignatureOut>,
    pub arc: ArcOut,
    pub authentication_results: Vec<AuthResultOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounce: Option<BounceOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub line_endings: &'static str,
    pub headers_only: bool,
    /// The time the checks used (Unix seconds).
    pub at: u64,
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
    pub advice: &'static str,
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
    pub mail_auth: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_auth_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
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
    pub cv: String,
    pub sets: usize,
    pub detail: String,
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
}

#[derive(Serialize)]
pub struct BounceOut {
    pub how: String,
    pub diagnostics: Vec<String>,
}

#[derive(Serialize)]
pub struct ErrorOut<'a> {
    pub file: &'a str,
    pub error: &'a str,
}

pub fn answer_word(a: &Answer) -> String {
    match a {
        Answer::Txt(r) => format!(
            "{} TXT record{}",
            r.len(),
            if r.len() == 1 { "" } else { "s" }
        ),
        Answer::NxDomain => "NXDOMAIN".into(),
        Answer::NoData => "NODATA".into(),
        Answer::ServFail => "SERVFAIL".into(),
        Answer::Refused => "REFUSED".into(),
        Answer::Timeout => "timeout".into(),
        Answer::CnameLoop => "CNAME loop".into(),
        Answer::OfflineMissing => "offline: not in any keys file".into(),
        Answer::Error(e) => format!("error: {e}"),
    }
}

pub fn served_by(s: &ServedBy) -> String {
    match s {
        ServedBy::KeysFile(p) => format!("keys file {p}"),
        ServedBy::Resolver(a) => format!("resolver {a}"),
        ServedBy::Offline => "nobody (offline)".into(),
    }
}

fn key_out(l: &TxtLookup) -> KeyOut {
    KeyOut {
        name: l.query.clone(),
        answer: answer_word(&l.answer),
        cname_hops: l
            .hops
            .iter()
            .map(|h| HopOut {
                from: h.from.clone(),
                to: h.to.clone(),
                ttl: h.ttl,
            })
            .collect(),
        txt: match &l.answer {
            Answer::Txt(r) => r
                .iter()
                .map(|r| String::from_utf8_lossy(&r.joined()).into_owned())
                .collect(),
            _ => Vec::new(),
        },
        served_by: served_by(&l.served_by),
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
        advice: crate::diagnose::advice::action(c.diagnosis),
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
        mail_auth: s.mail_auth.result.clone(),
        mail_auth_detail: (!s.mail_auth.detail.is_empty()).then(|| s.mail_auth.detail.clone()),
        disagreement: s.disagreement.clone(),
        key: c.lookup.as_ref().map(key_out),
        steps: c
            .steps
            .iter()
            .map(|st| StepOut {
                name: st.name,
                status: st.status.as_str(),
                detail: st.detail.clone(),
            })
            .collect(),
    }
}

pub fn message_line(file: &str, r: &Report) -> String {
    let m = &r.message;
    let out = MessageOut {
        file,
        dkim: r.dkim.as_str(),
        summary: r.headline(),
        signatures: r.signatures.iter().map(signature_out).collect(),
        arc: ArcOut {
            cv: r.arc.cv.clone(),
            sets: r.arc.sets,
            detail: r.arc.detail.clone(),
        },
        authentication_results: r
            .auth_results
            .iter()
            .map(|a| AuthResultOut {
                authserv_id: a.authserv_id.clone(),
                method: a.method.clone(),
                result: a.result.clone(),
                reason: a.reason.clone(),
                properties: a.props.clone(),
            })
            .collect(),
        bounce: m.bounce.as_ref().map(|b| BounceOut {
            how: b.how.clone(),
            diagnostics: b.diagnostics.clone(),
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
    };
    serde_json::to_string(&out)
        .unwrap_or_else(|e| error_line(file, &format!("could not encode the report: {e}")))
}

pub fn error_line(file: &str, error: &str) -> String {
    serde_json::to_string(&ErrorOut { file, error })
        .unwrap_or_else(|_| String::from("{\"error\":\"unencodable\"}"))
}
