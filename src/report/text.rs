//! The readable report `check` prints: per message, the headline, then per
//! signature the steps with ok/warn/fail marks, the diagnosis in plain
//! words, who must act, and mail-auth's opinion. Every piece of text that
//! came from the message or DNS goes through the sanitizer.

use std::fmt::Write as _;

use crate::arc::ArcCv;
use crate::diagnose::Report;
use crate::diagnose::path::{Position, Source};
use crate::dkim::codes::{Outcome, Status};
use crate::dkim::localize::Evidence;
use crate::plural::count;
use crate::sanitize::visible;

/// Lines of an appended footer shown under its finding.
const FOOTER_LINES: usize = 12;

/// Colours on or off (off when not a terminal or NO_COLOR is set).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub(crate) fn paint(&self, code: &str, s: &str) -> String {
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
    pub(crate) fn dim(&self, s: &str) -> String {
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
        if b.opened {
            let _ = writeln!(
                o,
                "   bounce: analysing the message it reports ({})",
                v(&b.how)
            );
        } else {
            let _ = writeln!(
                o,
                "   bounce: no copy of the reported message found in it; analysing the bounce itself"
            );
        }
        if let Some(st) = &b.status
            && let Some(code) = &st.code
        {
            let m = crate::explain::status::meaning(code, &st.line);
            let _ = writeln!(
                o,
                "   bounce status: {}{} ({}): {}",
                st.reply.map(|r| format!("{r} ")).unwrap_or_default(),
                v(code),
                if m.about_authentication {
                    "about authentication"
                } else {
                    "not about authentication"
                },
                v(&m.text)
            );
        }
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
                step.step.as_str(),
                v(&step.detail)
            );
        }
        if let Some(l) = &c.lookup {
            let mut chain = l.query.clone();
            for h in &l.hops {
                let ttl = h.ttl.map(|t| format!(" (ttl {t})")).unwrap_or_default();
                let _ = write!(chain, " -> CNAME {}{ttl}", h.to);
            }
            // A keys file that says nothing about DNSSEC has nothing to
            // report; a resolver's silence (no AD bit) is worth saying.
            let dnssec = if l.dnssec != crate::dns::Dnssec::Unknown
                || matches!(l.served_by, crate::dns::ServedBy::Resolver(_))
            {
                format!(", DNSSEC {}", l.dnssec)
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "        {} {} => {} via {}{dnssec}",
                st.dim("key lookup:"),
                v(&chain),
                v(&l.answer.to_string()),
                v(&l.served_by.to_string()),
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
                            "... {}",
                            count(
                                a.lines.saturating_sub(shown.len() as u64),
                                "more line",
                                "more lines"
                            )
                        ))
                    );
                }
            }
        }
        let _ = writeln!(o, "   what to do: {}", crate::diagnose::advice::advise(c));
        match &s.disagreement {
            None if s.mail_auth_expected.is_some() => {
                let why = s.mail_auth_expected.as_deref().unwrap_or_default();
                let _ = writeln!(o, "   {}", st.dim(&v(why)));
            }
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
        let _ = writeln!(
            o,
            " Authentication-Results (what receivers said | what dkimscope finds {}):",
            if r.as_of == crate::diagnose::timing::AsOf::Delivery {
                "as of delivery"
            } else {
                "now"
            }
        );
        let mut field_shown = None;
        for st_ in &r.auth_results {
            let (a, link) = (&st_.parsed, &st_.link);
            let props: Vec<String> = a
                .props
                .iter()
                .map(|(k, val)| format!("{k}={val}"))
                .collect();
            let who = v(st_.writer());
            if a.checked_nothing() {
                let _ = writeln!(o, "   {who}: none  (this receiver checked nothing)");
            } else if a.unreadable() {
                let _ = writeln!(o, "   {who}: nothing readable");
            } else {
                let _ = writeln!(
                    o,
                    "   {who}: {}={}{} {}{}",
                    v(&a.method),
                    v(&a.result),
                    a.reason
                        .as_ref()
                        .map(|r| format!(" ({})", v(r)))
                        .unwrap_or_default(),
                    v(&props.join(" ")),
                    link.signature
                        .map(|s| format!("  -> DKIM-Signature #{}", s + 1))
                        .unwrap_or_default(),
                );
            }
            // A field's problems, once, under its first statement.
            if field_shown != Some(a.field) {
                field_shown = Some(a.field);
                for p in &a.problems {
                    let _ = writeln!(
                        o,
                        "       {} {}",
                        st.paint("1;33", "problem in this field:"),
                        v(p)
                    );
                }
            }
            if let Some(c) = &a.comment {
                let _ = writeln!(o, "       receiver's words: ({})", v(c));
            }
            if let Some(m) = &link.reason_meaning {
                let _ = writeln!(o, "       reason: {}", v(m));
            }
            if let Some(c) = &link.comparison {
                let _ = writeln!(o, "       {}", v(c));
            } else if a.method == "dkim"
                && let Some(l) = &link.link
            {
                let _ = writeln!(o, "       {}", st.dim(&v(l)));
            }
            if let Some(w) = &link.suspect_why {
                let _ = writeln!(
                    o,
                    "       {} {}",
                    st.paint("1;33", "not the receiver's:"),
                    v(w)
                );
            }
        }
    }
    if let Some(m) = &r.m365_dkim {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            " Microsoft 365 selectors of {}: selector1 {}, selector2 {}",
            v(&m.domain),
            m.story.selector1.as_str(),
            m.story.selector2.as_str()
        );
        let _ = writeln!(o, "   {}: {}", m.story.meaning, v(&m.story.note));
    }
    if let Some(d) = &r.dmarc {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            " DMARC for {} (on DKIM only): {}  {}",
            v(&d.from_domain),
            d.result,
            v(&d.explanation)
        );
        if let (Some(at), Some(rec)) = (&d.found_at, &d.record) {
            let _ = writeln!(o, "   {} {}", v(at), st.dim(&v(&rec.raw)));
            for p in &rec.problems {
                let _ = writeln!(o, "   {} {}", st.status(Status::Warn), v(p));
            }
        }
        for a in &d.alignments {
            let _ = writeln!(o, "   #{} {}", a.index + 1, v(&a.note));
        }
    }
    received(&mut o, r, st);
    if let Some(m) = &r.m365 {
        let _ = writeln!(o);
        let _ = writeln!(o, " {}", v(&m.verdict));
        for f in &m.fields {
            let name = if f.key == f.header {
                f.header.to_string()
            } else {
                format!("{}:{}", f.key, f.value)
            };
            let _ = writeln!(o, "   {:<14} {}", v(&name), v(&f.meaning));
        }
    }
    arc(&mut o, r, st);
    path(&mut o, r, st);
    o
}

/// "i=2", "the author (0)", "after the last ARC signer", "hop 4".
pub fn position(p: Position) -> String {
    match p {
        Position::Signer(0) => "the author's signature (0)".into(),
        Position::Signer(k) => format!("i={k}"),
        Position::AfterLast => "after the last ARC signer".into(),
        Position::Hop(n) => format!("hop {n}"),
    }
}

/// The Path section: the hops with what each sealed and saw, then where
/// the message changed. Only for a path that carries evidence.
fn path(o: &mut String, r: &Report, st: Style) {
    let p = &r.path;
    let marked = p
        .hops
        .iter()
        .any(|h| h.arc.is_some() || !h.wrote.is_empty());
    if !marked && p.brk.is_none() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        " Path: {}, first hop first; {}",
        count(p.hops.len(), "hop", "hops"),
        match &p.brk {
            None => st.paint("1;32", "no change located"),
            Some(b) => st.paint(
                "1;31",
                &match b.first_changed {
                    Position::AfterLast => format!(
                        "changed after {}, the last ARC signer ({}, by {})",
                        position(b.last_intact),
                        b.what.as_str(),
                        b.by.as_str()
                    ),
                    _ => format!(
                        "changed between {} and {} ({}, by {})",
                        position(b.last_intact),
                        position(b.first_changed),
                        b.what.as_str(),
                        b.by.as_str()
                    ),
                },
            ),
        }
    );
    for h in &p.hops {
        let mut notes = Vec::new();
        if let Some(i) = h.arc {
            notes.push(format!("sealed ARC i={i}"));
        }
        for w in &h.wrote {
            let what = match w.source {
                Source::Aar(i) => format!("AAR i={i}"),
                Source::Ar => "Authentication-Results".into(),
            };
            notes.push(format!(
                "{what} ({}): {}",
                w.authserv_id,
                w.dkim
                    .as_deref()
                    .map_or("no dkim= for the author's signature".into(), |d| format!(
                        "saw dkim={d}"
                    ))
            ));
        }
        let _ = writeln!(
            o,
            "   {:>2}. {}{}",
            h.number,
            v(h.by.as_deref().unwrap_or("?")),
            if notes.is_empty() {
                String::new()
            } else {
                format!("  {}", st.dim(&v(&notes.join("; "))))
            }
        );
    }
    if let Some(b) = &p.brk {
        if let Some(h) = &b.suspect_host {
            let _ = writeln!(o, "   {} {}", st.paint("1;31", "suspect:"), v(h));
        }
        for e in &b.evidence {
            let _ = writeln!(o, "   - {}", v(e));
        }
    }
}

/// At most this many characters of an AAR statement are shown.
const AAR_CHARS: usize = 100;

fn arc(o: &mut String, r: &Report, st: Style) {
    let a = &r.arc;
    if a.instances.is_empty() && a.cv == ArcCv::None {
        return;
    }
    let word = match a.cv {
        ArcCv::Pass => st.paint("1;32", "pass"),
        ArcCv::None => st.paint("1", "none"),
        ArcCv::Fail => st.paint("1;31", "fail"),
        ArcCv::TempError => st.paint("1;33", "temperror"),
    };
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        " ARC: cv={word} over {}: {}",
        count(a.sets, "set", "sets"),
        v(&a.detail)
    );
    for inst in &a.instances {
        let aar = inst.aar_text.as_deref().unwrap_or("(no AAR)");
        let short: String = aar.chars().take(AAR_CHARS).collect();
        let more = if aar.chars().count() > AAR_CHARS {
            "..."
        } else {
            ""
        };
        let _ = writeln!(o, "   i={}  AAR {}{more}", inst.i, st.dim(&v(&short)));
        match &inst.ams_check {
            Some(c) => {
                let _ = writeln!(
                    o,
                    "        AMS d={} s={}: {} ({}){}",
                    v(&c.sig.d),
                    v(&c.sig.s),
                    st.outcome(c.result),
                    c.diagnosis,
                    if c.result == Outcome::Pass {
                        String::new()
                    } else {
                        format!(": {}", v(&c.reason))
                    }
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "        AMS: {} for this instance",
                    count(inst.ams.len(), "field", "fields")
                );
            }
        }
        match &inst.seal_check {
            Some(s) => {
                let mark = match s.result {
                    crate::arc::SealResult::Pass => st.status(Status::Ok),
                    crate::arc::SealResult::Fail => st.status(Status::Fail),
                    crate::arc::SealResult::NotChecked => st.status(Status::Skipped),
                    crate::arc::SealResult::TempError => st.paint("1;33", "temperror"),
                };
                let _ = writeln!(
                    o,
                    "        AS  d={} s={} cv={}: {mark} {}",
                    v(&s.sig.d),
                    v(&s.sig.s),
                    v(inst.cv.as_deref().unwrap_or("?")),
                    v(&s.reason)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "        AS: {} for this instance",
                    count(inst.seals.len(), "field", "fields")
                );
            }
        }
    }
    if let Some(i) = a.broken_at {
        let _ = writeln!(
            o,
            "   {} at i={i}: {}",
            st.paint("1;31", "broken"),
            v(&a.reason)
        );
    } else if a.cv == ArcCv::Fail {
        let _ = writeln!(o, "   {} {}", st.paint("1;31", "broken:"), v(&a.reason));
    }
    for k in &a.missing_keys {
        let _ = writeln!(
            o,
            "   {} {} (for {}): {}",
            st.paint("1;33", "key not available:"),
            v(&k.name),
            v(&k.needed_by.join(", ")),
            v(&k.reason)
        );
    }
    for n in &a.notes {
        let _ = writeln!(o, "   note: {}", v(n));
    }
    match (&a.mail_auth, &a.disagreement) {
        (_, Some(d)) => {
            let _ = writeln!(
                o,
                "   {} {}",
                st.paint("1;33", "mail-auth disagrees:"),
                v(d)
            );
        }
        (Some(m), None) => {
            let _ = writeln!(
                o,
                "   {}",
                st.dim(&format!("mail-auth: {} (agrees)", m.result))
            );
        }
        (None, None) => {}
    }
}

/// Signed seconds as `+5s`, `-2m 3s`, `+1h 4m`.
fn delay(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    match a {
        a if a < 60 => format!("{sign}{a}s"),
        a if a < 3600 => format!("{sign}{}m {}s", a / 60, a % 60),
        a => format!("{sign}{}h {}m", a / 3600, a / 60 % 60),
    }
}

fn received(o: &mut String, r: &Report, st: Style) {
    if r.received.is_empty() {
        return;
    }
    let s = &r.received_summary;
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        " Received chain: {}, first hop first{}{}{}",
        count(s.hops, "hop", "hops"),
        s.total
            .map(|t| format!(", {} in transit", delay(t)))
            .unwrap_or_default(),
        if s.skewed > 0 {
            format!(
                ", {} behind the hop before",
                count(s.skewed, "clock", "clocks")
            )
        } else {
            String::new()
        },
        if s.unparsed > 0 {
            format!(
                ", {}",
                count(s.unparsed, "unreadable date", "unreadable dates")
            )
        } else {
            String::new()
        },
    );
    for (n, h) in r.received.iter().enumerate() {
        let when = match (h.time, h.delay) {
            (Some(t), Some(d)) => format!(
                "{} ({})",
                crate::time::format_utc(t.max(0) as u64),
                delay(d)
            ),
            (Some(t), None) => crate::time::format_utc(t.max(0) as u64),
            (None, _) => "date unreadable".into(),
        };
        let mark = if h.skew {
            st.paint("1;33", " CLOCK SKEW")
        } else {
            String::new()
        };
        let by = v(h.by.as_deref().map(crate::received::host).unwrap_or("?"));
        let hosts = match (&h.comment, &h.from) {
            (Some(c), _) => format!("({})", v(c)),
            // A field with only `by`: the message started there (local
            // submission, or a message the host made itself).
            (None, None) => format!("by {by} (no from: submitted or made there)"),
            (None, Some(f)) => format!(
                "from {} by {by}",
                v(f.split_whitespace().next().unwrap_or(f)),
            ),
        };
        let _ = writeln!(o, "   {:>2}. {}  {}{}", n + 1, when, hosts, mark);
        let mut extra = Vec::new();
        let from_ips = h
            .from
            .as_deref()
            .map(crate::received::ips)
            .unwrap_or_default();
        if !from_ips.is_empty() {
            extra.push(format!("from IP {}", from_ips.join(" ")));
        }
        let by_ips =
            h.by.as_deref()
                .map(crate::received::by_ips)
                .unwrap_or_default();
        if !by_ips.is_empty() {
            extra.push(format!("by IP {}", by_ips.join(" ")));
        }
        if let Some(w) = &h.with {
            extra.push(format!("with {w}"));
        }
        if let Some(i) = &h.id {
            extra.push(format!("id {i}"));
        }
        if let Some(f) = &h.for_ {
            extra.push(format!("for {f}"));
        }
        if !extra.is_empty() {
            let _ = writeln!(o, "       {}", st.dim(&v(&extra.join("  "))));
        }
        if let Some(note) = &h.date_note {
            let _ = writeln!(o, "       date: {}", v(note));
        }
    }
}

pub fn error(file: &str, error: &str) -> String {
    format!("== {}\n   error: {}\n", v(file), v(error))
}
