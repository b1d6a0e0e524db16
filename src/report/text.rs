//! The readable report `check` prints: per message, the headline, then per
//! signature the steps with ok/warn/fail marks, the diagnosis in plain
//! words, who must act, and mail-auth's opinion. Every piece of text that
//! came from the message or DNS goes through the sanitizer.

use std::fmt::Write as _;

use crate::diagnose::Report;
use crate::dkim::codes::{Outcome, Status};
use crate::dkim::localize::Evidence;
use crate::report::json::{answer_word, served_by};
use crate::sanitize::visible;

/// Lines of an appended footer shown under its finding.
const FOOTER_LINES: usize = 12;

/// Colours on or off (off when not a terminal or NO_COLOR is set).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn status(&self, s: Status) -> String {
        match s {
            Status::Ok => self.paint("32", "ok  "),
            Status::Warn => self.paint("33", "warn"),
            Status::Fail => self.paint("1;31", "FAIL"),
            Status::Skipped => self.paint("2", "skip"),
        }
    }
    fn outcome(&self, o: Outcome) -> String {
        let code = match o {
            Outcome::Pass => "1;32",
            Outcome::TempError | Outcome::Neutral | Outcome::Policy => "1;33",
            Outcome::None => "1",
            _ => "1;31",
        };
        self.paint(code, o.as_str())
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// The report for one message.
pub fn message(file: &str, r: &Report, st: Style) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "== {}", v(file));
    if let Some(b) = &r.message.bounce {
        let _ = writeln!(
            o,
            "   bounce: analysing the message it reports ({})",
            v(&b.how)
        );
        for d in &b.diagnostics {
            let _ = writeln!(o, "   bounce says: {}", v(d));
        }
    }
    for n in &r.notes {
        let _ = writeln!(o, "   note: {}", v(n));
    }
    if r.message.body.is_none() {
        let _ = writeln!(o, "   headers only: the body was not supplied");
    }
    let _ = writeln!(o, "   dkim={}  {}", st.outcome(r.dkim), v(&r.headline()));
    for s in &r.signatures {
        let c = &s.check;
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            " DKIM-Signature #{}  d={} s={} a={}  -> {} ({})",
            c.index + 1,
            v(&c.sig.d),
            v(&c.sig.s),
            v(&c.sig.a),
            st.outcome(c.result),
            c.diagnosis
        );
        for step in &c.steps {
            let _ = writeln!(
                o,
                "   {} {:<9} {}",
                st.status(step.status),
                step.name,
                v(&step.detail)
            );
        }
        if let Some(l) = &c.lookup {
            let mut chain = l.query.clone();
            for h in &l.hops {
                let ttl = h.ttl.map(|t| format!(" (ttl {t})")).unwrap_or_default();
                let _ = write!(chain, " -> CNAME {}{ttl}", h.to);
            }
            let _ = writeln!(
                o,
                "        {} {} => {} via {}",
                st.dim("key lookup:"),
                v(&chain),
                v(&answer_word(&l.answer)),
                v(&served_by(&l.served_by))
            );
        }
        for (w, detail) in &c.warnings {
            let _ = writeln!(o, "   {} {}: {}", st.status(Status::Warn), w, v(detail));
        }
        for f in &c.findings {
            let _ = writeln!(
                o,
                "   {} {}: {}",
                st.paint("1;36", "find"),
                f.code,
                v(&f.detail)
            );
            if let Evidence::Appended(a) = &f.evidence {
                let text = String::from_utf8_lossy(&a.text);
                let shown: Vec<&str> = text.lines().take(FOOTER_LINES).collect();
                for line in &shown {
                    let _ = writeln!(o, "        {} {}", st.dim("+"), v(line));
                }
                if a.lines > shown.len() as u64 || a.truncated {
                    let _ = writeln!(
                        o,
                        "        {}",
                        st.dim(&format!(
                            "... {} more line(s)",
                            a.lines.saturating_sub(shown.len() as u64)
                        ))
                    );
                }
            }
        }
        let _ = writeln!(
            o,
            "   what to do: {}",
            crate::diagnose::advice::action(c.diagnosis)
        );
        match &s.disagreement {
            None => {
                let _ = writeln!(
                    o,
                    "   {}",
                    st.dim(&format!("mail-auth agrees: {}", s.mail_auth.result))
                );
            }
            Some(d) => {
                let _ = writeln!(
                    o,
                    "   {} {}",
                    st.paint("1;33", "mail-auth disagrees:"),
                    v(d)
                );
            }
        }
    }
    if !r.auth_results.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, " Authentication-Results (what receivers said):");
        for a in &r.auth_results {
            let props: Vec<String> = a
                .props
                .iter()
                .map(|(k, val)| format!("{k}={val}"))
                .collect();
            let _ = writeln!(
                o,
                "   {}: {}={}{} {}",
                if a.authserv_id.is_empty() {
                    "(no authserv-id)".to_string()
                } else {
                    v(&a.authserv_id)
                },
                v(&a.method),
                v(&a.result),
                a.reason
                    .as_ref()
                    .map(|r| format!(" ({})", v(r)))
                    .unwrap_or_default(),
                v(&props.join(" "))
            );
        }
    }
    if r.arc.sets > 0 {
        let _ = writeln!(
            o,
            " ARC: cv={} over {} set(s): {}",
            r.arc.cv,
            r.arc.sets,
            v(&r.arc.detail)
        );
    }
    o
}

pub fn error(file: &str, error: &str) -> String {
    format!("== {}\n   error: {}\n", v(file), v(error))
}
