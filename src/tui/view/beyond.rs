//! What else the headers say, beside DKIM: the receivers'
//! Authentication-Results next to what dkimscope finds now, DMARC and
//! alignment, the ARC chain (Auth pane); the Received chain as a timeline
//! (Hops pane); Microsoft 365's anti-spam stamps decoded (M365 pane).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{Text, safe};
use crate::diagnose::Report;
use crate::diagnose::path::{Path, Position};
use crate::dkim::codes::Status;
use crate::plural::count;
use crate::time::{format_span, format_utc};
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// The text shown before the report lands.
fn waiting(app: &App) -> Option<Text> {
    if app.report().is_some() {
        return None;
    }
    let mut t = Text::default();
    t.push(Line::from(if app.resolving() {
        " resolving…"
    } else {
        " no message"
    }));
    Some(t)
}

pub fn auth(app: &App, theme: &Theme) -> Text {
    let Some(r) = app.report() else {
        return waiting(app).unwrap_or_default();
    };
    let mut t = Text::default();
    t.topics.push((0, "authentication-results".into()));
    let mut lines: Vec<Line<'static>> = vec![Line::styled(
        " What the receivers said (Authentication-Results, top = last hop)",
        theme.title(),
    )];
    if r.auth_results.is_empty() {
        lines.push(Line::from(
            "   none: no receiver stamped Authentication-Results",
        ));
    }
    let mut field_shown = None;
    for st in &r.auth_results {
        let (a, link) = (&st.parsed, Some(&st.link));
        let who = safe(st.writer());
        let props: Vec<String> = a
            .props
            .iter()
            .map(|(k, v)| format!("{k}={}", safe(v)))
            .collect();
        let reason = a
            .reason
            .as_ref()
            .map(|r| format!(" reason={}", safe(r)))
            .unwrap_or_default();
        let style = match a.result.as_str() {
            "pass" => theme.status(Status::Ok),
            "none" | "neutral" => theme.dim(),
            _ => theme.status(Status::Fail),
        };
        t.topics.push((
            lines.len(),
            super::known_or(
                format!("{}={}", a.method, a.result),
                "authentication-results",
            ),
        ));
        let said = if a.checked_nothing() {
            "none  (this receiver checked nothing)".to_string()
        } else if a.unreadable() {
            "nothing readable".to_string()
        } else {
            format!(
                "{}={}{reason} {}",
                safe(&a.method),
                safe(&a.result),
                props.join(" ")
            )
        };
        lines.push(Line::styled(format!("   {who}: {said}"), style));
        if field_shown != Some(a.field) {
            field_shown = Some(a.field);
            for p in &a.problems {
                lines.push(Line::styled(
                    format!("       problem in this field: {}", safe(p)),
                    theme.problem(),
                ));
            }
        }
        if let Some(link) = link {
            if let Some(m) = &link.reason_meaning {
                t.topics.push((
                    lines.len(),
                    super::known_or(format!("result:{}", a.result), "authentication-results"),
                ));
                lines.push(Line::from(format!("       reason: {}", safe(m))));
            }
            if let Some(c) = &link.comparison {
                lines.push(Line::from(format!("       now: {}", safe(c))));
            }
            if link.suspect {
                let why = link
                    .suspect_why
                    .as_deref()
                    .unwrap_or("not written by the receiver that delivered the message");
                lines.push(Line::styled(
                    format!(
                        "       ⚠ possibly forged or from an earlier hop: {}",
                        safe(why)
                    ),
                    theme.highlight(),
                ));
            }
        }
    }
    lines.push(Line::from(""));
    match &r.dmarc {
        None => lines.push(Line::styled(
            " DMARC: no single From domain to look up",
            theme.title(),
        )),
        Some(d) => {
            t.topics.push((lines.len(), "dmarc".into()));
            lines.push(Line::styled(
                format!(
                    " DMARC for {} (on DKIM alone): {}",
                    safe(&d.from_domain),
                    d.result
                ),
                theme.title(),
            ));
            lines.push(Line::from(format!("   {}", safe(&d.explanation))));
            if let Some(rec) = &d.record {
                lines.push(Line::from(format!(
                    "   record at {}: {}",
                    safe(d.found_at.as_deref().unwrap_or("?")),
                    safe(&rec.raw)
                )));
                for p in &rec.problems {
                    lines.push(Line::styled(
                        format!("   problem: {}", safe(p)),
                        theme.problem(),
                    ));
                }
            }
            for a in &d.alignments {
                let mark = if a.passes {
                    theme.status(Status::Ok)
                } else {
                    theme.status(Status::Fail)
                };
                lines.push(Line::styled(
                    format!(
                        "   signature #{} d={}: {}",
                        a.index + 1,
                        safe(&a.d),
                        safe(&a.note)
                    ),
                    mark,
                ));
            }
        }
    }
    lines.push(Line::from(""));
    let arc = &r.arc;
    t.topics.push((lines.len(), "arc:cv".into()));
    lines.push(Line::styled(
        format!(
            " ARC: cv={} over {}",
            arc.cv,
            count(arc.sets, "set", "sets")
        ),
        theme.title(),
    ));
    lines.push(Line::from(format!("   {}", safe(&arc.detail))));
    for inst in &arc.instances {
        let ams = inst
            .ams_check
            .as_ref()
            .map(|c| format!("AMS d={} {} ({})", safe(&c.sig.d), c.result, c.diagnosis))
            .unwrap_or_else(|| format!("{} AMS", inst.ams.len()));
        let seal = inst
            .seal_check
            .as_ref()
            .map(|c| format!("seal d={} {}", safe(&c.sig.d), c.result.as_str()))
            .unwrap_or_else(|| count(inst.seals.len(), "seal", "seals"));
        let cv = inst.cv.as_deref().map(safe).unwrap_or_else(|| "?".into());
        let style = if arc.broken_at == Some(inst.i) {
            theme.status(Status::Fail)
        } else {
            Style::new()
        };
        t.topics.push((lines.len(), "ARC-Message-Signature".into()));
        lines.push(Line::styled(
            format!("   i={} cv={cv}: {ams}; {seal}", inst.i),
            style,
        ));
        if let Some(aar) = &inst.aar_text {
            t.topics
                .push((lines.len(), "ARC-Authentication-Results".into()));
            lines.push(Line::styled(
                format!("       said: {}", super::shorten(&safe(aar), 200)),
                theme.dim(),
            ));
        }
    }
    if let Some(at) = arc.broken_at {
        lines.push(Line::styled(
            format!("   broken at i={at}: {}", safe(&arc.reason)),
            theme.problem(),
        ));
    }
    match (&arc.disagreement, &arc.mail_auth) {
        (Some(d), _) => lines.push(Line::styled(
            format!("   mail-auth disagrees: {}", safe(d)),
            theme.highlight(),
        )),
        (None, Some(m)) => lines.push(Line::styled(
            format!("   mail-auth agrees: {}", m.result),
            theme.dim(),
        )),
        _ => {}
    }
    t.lines = lines;
    t
}

pub fn hops(app: &App, theme: &Theme) -> Text {
    let Some(r) = app.report() else {
        return waiting(app).unwrap_or_default();
    };
    let mut t = Text::default();
    t.topics.push((0, "received".into()));
    let s = &r.received_summary;
    let total = s
        .total
        .map(|t| format!(", {} in all", span(t)))
        .unwrap_or_default();
    let mut lines: Vec<Line<'static>> = vec![Line::styled(
        format!(
            " {}, first hop first{total}; {}, {}",
            count(s.hops, "hop", "hops"),
            count(s.skewed, "clock skew", "clock skews"),
            count(s.unparsed, "unreadable date", "unreadable dates")
        ),
        theme.title(),
    )];
    let marker_at = break_before(&r.path);
    for (n, h) in r.received.iter().enumerate() {
        let when = h
            .time
            .map(|t| format_utc(t.max(0) as u64))
            .unwrap_or_else(|| "date unreadable".into());
        let delay = match (h.delay, h.skew) {
            (Some(d), true) => format!("  ⚠ {} BEFORE the previous hop (clock skew)", span(-d)),
            (Some(d), false) => format!("  +{}", span(d)),
            _ => String::new(),
        };
        let style = if h.skew {
            theme.highlight()
        } else {
            theme.title()
        };
        if marker_at == Some(n) {
            lines.extend(path_break(r, theme));
        }
        // The connecting IP is what helpdesks look for: on the hop's line.
        let mut ips = String::new();
        for (word, list) in [
            ("from", h.from.as_deref().map(crate::received::ips)),
            ("by", h.by.as_deref().map(crate::received::by_ips)),
        ] {
            if let Some(list) = list.filter(|l| !l.is_empty()) {
                ips.push_str(&format!("  {word} IP {}", safe(&list.join(" "))));
            }
        }
        t.topics.push((lines.len(), "received".into()));
        lines.push(Line::styled(
            format!(" {:>2}. {when}{delay}{ips}", n + 1),
            style,
        ));
        let with = h
            .with
            .as_deref()
            .map(|w| format!(" with {}", safe(w)))
            .unwrap_or_default();
        match (&h.comment, &h.from, &h.by) {
            (Some(c), None, None) => lines.push(Line::from(format!("     ({})", safe(c)))),
            (_, from, by) => {
                let by = by.as_deref().map(safe).unwrap_or_else(|| "?".into());
                lines.push(Line::from(match from {
                    Some(from) => format!("     from {}", safe(from)),
                    None => "     (no from: submitted or made there)".to_string(),
                }));
                lines.push(Line::from(format!("     by {by}{with}")));
            }
        }
        if let Some(note) = &h.date_note {
            lines.push(Line::styled(
                format!("     date: {}", safe(note)),
                theme.dim(),
            ));
        }
    }
    if r.path.brk.is_some() && marker_at.is_none_or(|m| m >= r.received.len()) {
        lines.extend(path_break(r, theme));
    }
    t.lines = lines;
    t
}

/// The hop (0-based) the path's break marker goes before: the hop that
/// sealed the first changed ARC instance, the hop after the last sealer,
/// or the hop after the last receiver that saw the message intact.
fn break_before(p: &Path) -> Option<usize> {
    let b = p.brk.as_ref()?;
    let sealed = |i: usize| p.hops.iter().position(|h| h.arc == Some(i));
    match (b.first_changed, b.last_intact) {
        (Position::Signer(m), _) => sealed(m),
        (Position::AfterLast, Position::Signer(n)) => sealed(n).map(|k| k + 1),
        (_, Position::Hop(n)) => Some(n),
        _ => None,
    }
}

/// The marker line between the last intact and the first changed hop,
/// with the evidence under it.
fn path_break(r: &Report, theme: &Theme) -> Vec<Line<'static>> {
    let Some(b) = &r.path.brk else {
        return Vec::new();
    };
    let at = |p: Position| match p {
        Position::Signer(0) => "the author (0)".to_string(),
        Position::Signer(k) => format!("i={k}"),
        Position::AfterLast => "after the last ARC signer".into(),
        Position::Hop(n) => format!("hop {n}"),
    };
    let who = b
        .suspect_host
        .as_deref()
        .map(|h| format!(" · suspect {}", safe(h)))
        .unwrap_or_default();
    let mut out = vec![Line::styled(
        match b.first_changed {
            Position::AfterLast => format!(
                " ── changed here: after {}, the last ARC signer ({}){who} ──",
                at(b.last_intact),
                b.what.as_str()
            ),
            _ => format!(
                " ── changed here: {} intact → {} changed ({}){who} ──",
                at(b.last_intact),
                at(b.first_changed),
                b.what.as_str()
            ),
        },
        theme.status(Status::Fail),
    )];
    for e in &b.evidence {
        out.push(Line::styled(format!("     · {}", safe(e)), theme.dim()));
    }
    out
}

fn span(secs: i64) -> String {
    format_span(secs.unsigned_abs())
}

pub fn m365(app: &App, theme: &Theme) -> Text {
    let Some(r) = app.report() else {
        return waiting(app).unwrap_or_default();
    };
    let mut t = Text::default();
    let Some(m) = &r.m365 else {
        t.topics
            .push((0, "m365:x-forefront-antispam-report".into()));
        t.push(Line::from(" No Microsoft 365 anti-spam headers (X-Forefront-Antispam-Report, X-MS-Exchange-Organization-SCL, X-Microsoft-Antispam) in this message."));
        return t;
    };
    t.topics
        .push((0, "m365:x-forefront-antispam-report".into()));
    let mut lines: Vec<Line<'static>> = vec![
        Line::styled(format!(" {}", safe(&m.verdict)), theme.title()),
        Line::from(""),
    ];
    for f in &m.fields {
        t.topics.push((
            lines.len(),
            super::known_or(format!("m365:{}", f.key), &format!("m365:{}", f.header)),
        ));
        // Key, value, meaning in columns; a long key or value gets its
        // own row, and the meaning wraps under its column.
        let (key, value) = (safe(&f.key), safe(&f.value));
        let mut spans = vec![Span::styled(format!(" {key:<8}"), theme.key())];
        if key.chars().count() > 7 {
            t.hangs.push((lines.len(), 9));
            lines.push(Line::from(spans));
            spans = vec![Span::raw(" ".repeat(9))];
        }
        let hang = if value.chars().count() <= 12 {
            spans.push(Span::raw(format!("{value:<12} ")));
            22
        } else {
            spans.push(Span::raw(format!("{value} ")));
            9
        };
        spans.push(Span::raw(safe(&f.meaning)));
        t.hangs.push((lines.len(), hang));
        lines.push(Line::from(spans));
    }
    t.lines = lines;
    t
}
