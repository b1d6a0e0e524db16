//! What else the headers say, beside DKIM: the receivers'
//! Authentication-Results next to what dkimscope finds now, DMARC and
//! alignment, the ARC chain (Auth pane); the Received chain as a timeline
//! (Hops pane); Microsoft 365's anti-spam stamps decoded (M365 pane).

use ratatui::style::Style;
use ratatui::text::Line;

use super::{Text, safe};
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
    for (a, link) in r.auth_results.iter().map(|s| (&s.parsed, Some(&s.link))) {
        let who = if a.authserv_id.is_empty() {
            "(no authserv-id)".to_string()
        } else {
            safe(&a.authserv_id)
        };
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
        t.topics
            .push((lines.len(), format!("{}={}", a.method, a.result)));
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
                t.topics.push((lines.len(), a.result.clone()));
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
        t.topics.push((lines.len(), "Received".into()));
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
                let from = from.as_deref().map(safe).unwrap_or_else(|| "?".into());
                let by = by.as_deref().map(safe).unwrap_or_else(|| "?".into());
                lines.push(Line::from(format!("     from {from}")));
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
    t.lines = lines;
    t
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
        t.push(Line::from(" No Microsoft 365 anti-spam headers (X-Forefront-Antispam-Report, X-MS-Exchange-Organization-SCL, X-Microsoft-Antispam) in this message."));
        return t;
    };
    let mut lines: Vec<Line<'static>> = vec![
        Line::styled(format!(" {}", safe(&m.verdict)), theme.title()),
        Line::from(""),
    ];
    for f in &m.fields {
        t.topics.push((lines.len(), format!("m365:{}", f.key)));
        lines.push(Line::from(vec![
            ratatui::text::Span::styled(format!(" {:<8}", safe(&f.key)), theme.key()),
            ratatui::text::Span::raw(format!("{:<12} ", safe(&f.value))),
            ratatui::text::Span::raw(safe(&f.meaning)),
        ]));
    }
    t.lines = lines;
    t
}
