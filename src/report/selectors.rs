//! Printers for `dkimscope selectors`: a compact table per domain (selectors
//! with no record at all folded into one line) and one JSON object per
//! domain, per line. Every name and record from DNS goes through the
//! sanitizer before it reaches a terminal.

use std::fmt::Write as _;

use serde::Serialize;

use super::json::{HopOut, hops_out, txt_out};
use super::text::Style;
use crate::sanitize::visible;
use crate::selectors::{Class, DomainAudit};

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// The readable report for one domain.
pub fn text(a: &DomainAudit, st: Style) -> String {
    let mut o = String::new();
    let working = a.working();
    let verdict = if working.is_empty() {
        st.paint("1;31", "NO WORKING SELECTOR")
    } else {
        st.paint("1;32", &format!("ok: {}", v(&working.join(", "))))
    };
    let _ = writeln!(o, "== {}  {verdict}", v(&a.domain));
    let (mut absent, mut offline) = (Vec::new(), Vec::new());
    for p in &a.probes {
        match p.class {
            Class::NxDomain => absent.push(p.selector.as_str()),
            Class::Offline => offline.push(p.selector.as_str()),
            _ => {}
        }
        if matches!(p.class, Class::NxDomain | Class::Offline) {
            continue;
        }
        let mark = match p.class {
            Class::Ok => st.paint("32", "ok            "),
            Class::WeakKey if p.works() => st.paint("33", "weak-key      "),
            c => st.paint("31", &format!("{:<14}", c.as_str())),
        };
        let _ = writeln!(o, "   {:<10} {mark} {}", v(&p.selector), v(&p.detail));
        for h in &p.lookup.hops {
            let ttl = h.ttl.map(|t| format!(" (ttl {t})")).unwrap_or_default();
            let _ = writeln!(
                o,
                "   {:<10} {}",
                "",
                st.dim(&format!("{} -> CNAME {}{ttl}", v(&h.from), v(&h.to)))
            );
        }
    }
    if !absent.is_empty() {
        let _ = writeln!(
            o,
            "   {}",
            st.dim(&format!("no record (NXDOMAIN): {}", v(&absent.join(", "))))
        );
    }
    if !offline.is_empty() {
        let _ = writeln!(
            o,
            "   {}",
            st.dim(&format!(
                "not asked (offline, in no keys file): {}",
                v(&offline.join(", "))
            ))
        );
    }
    if let Some(m) = &a.m365 {
        let _ = writeln!(o, "   {}", v(&m.note));
    }
    o
}

#[derive(Serialize)]
struct DomainOut<'a> {
    domain: &'a str,
    ok: bool,
    working: Vec<&'a str>,
    m365: Option<M365Out<'a>>,
    selectors: Vec<ProbeOut<'a>>,
}

#[derive(Serialize)]
struct M365Out<'a> {
    enabled: bool,
    live: &'a [String],
    inactive: &'a [String],
    meaning: &'static str,
    note: &'a str,
}

#[derive(Serialize)]
struct KeyOut {
    #[serde(rename = "type")]
    kind: &'static str,
    bits: usize,
}

#[derive(Serialize)]
struct ProbeOut<'a> {
    selector: &'a str,
    name: &'a str,
    class: &'static str,
    works: bool,
    detail: &'a str,
    key: Option<KeyOut>,
    cname_hops: Vec<HopOut>,
    answer: String,
    txt: Vec<String>,
    served_by: String,
    /// The answer's DNSSEC status, as for `key.dnssec` in `check --json`.
    dnssec: &'static str,
    /// Timing: excluded from the determinism guarantee.
    elapsed_ms: u64,
}

/// One JSON object for one domain.
pub fn json_line(a: &DomainAudit) -> String {
    let out = DomainOut {
        domain: &a.domain,
        ok: a.ok(),
        working: a.working(),
        m365: a.m365.as_ref().map(|m| M365Out {
            enabled: m.enabled,
            live: &m.live,
            inactive: &m.inactive,
            meaning: m.meaning,
            note: &m.note,
        }),
        selectors: a
            .probes
            .iter()
            .map(|p| ProbeOut {
                selector: &p.selector,
                name: &p.lookup.query,
                class: p.class.as_str(),
                works: p.works(),
                detail: &p.detail,
                key: p.key.map(|k| KeyOut {
                    kind: k.kind,
                    bits: k.bits,
                }),
                cname_hops: hops_out(&p.lookup),
                answer: p.lookup.answer.to_string(),
                txt: txt_out(&p.lookup),
                served_by: p.lookup.served_by.to_string(),
                dnssec: p.lookup.dnssec.as_str(),
                elapsed_ms: u64::try_from(p.lookup.elapsed.as_millis()).unwrap_or(u64::MAX),
            })
            .collect(),
    };
    serde_json::to_string(&out).unwrap_or_else(|e| {
        super::json::error_line(&a.domain, &format!("could not encode the audit: {e}"))
    })
}
