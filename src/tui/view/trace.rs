//! The trace pane: the steps with their marks, and the evidence of the
//! selected step: the bytes exactly as hashed with CR, LF, tabs and trailing
//! spaces made visible, the `l=` cut, and claimed against computed digests
//! with the first differing character marked. The canonical body shown is
//! made once when the report lands (`App::body_view`), not on every draw;
//! `check` never keeps a canonical body copy.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Text, safe, safe_bytes, window};
use crate::diagnose::SignatureReport;
use crate::dkim::codes::Status;
use crate::dkim::codes::Step;
use crate::dkim::hashing::field_text;
use crate::dkim::localize::Evidence;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// Side by side from this width on; list above evidence below it.
pub fn wide(area: Rect) -> bool {
    area.width >= 90
}

pub fn split(app: &App, area: Rect) -> (Option<Rect>, Option<Rect>) {
    let Some(s) = app.selected() else {
        return (None, Some(area));
    };
    let [list, evidence] = if wide(area) {
        Layout::horizontal([Constraint::Length(22), Constraint::Min(0)]).areas(area)
    } else {
        let n = u16::try_from(s.check.steps.len()).unwrap_or(u16::MAX);
        Layout::vertical([
            Constraint::Length(n.min(area.height / 2)),
            Constraint::Min(0),
        ])
        .areas(area)
    };
    (Some(list), Some(evidence))
}

pub fn render_list(app: &App, theme: &Theme, focused: bool, area: Rect, buf: &mut Buffer) {
    let Some(s) = app.selected() else { return };
    let steps = &s.check.steps;
    let (start, end) = window(app.step_row, steps.len(), usize::from(area.height));
    let lines: Vec<Line> = steps
        .iter()
        .enumerate()
        .take(end)
        .skip(start)
        .map(|(i, st)| {
            let mark = match st.status {
                Status::Ok => "ok  ",
                Status::Warn => "warn",
                Status::Fail => "FAIL",
                Status::Skipped => "skip",
            };
            let line = Line::from(vec![
                Span::styled(format!(" {mark} "), theme.status(st.status)),
                Span::raw(st.step.as_str()),
                Span::raw(if i == app.step_row && !focused {
                    " ▸"
                } else {
                    ""
                }),
            ]);
            if i == app.step_row {
                line.style(super::cursor(theme, focused))
            } else {
                line
            }
        })
        .collect();
    Paragraph::new(lines).render(area, buf);
}

/// The evidence of the selected step; its anchor is where the change is.
pub fn text(app: &App, theme: &Theme) -> Text {
    let mut t = Text::default();
    let Some(s) = app.selected() else {
        t.push(Line::from(if app.resolving() {
            " resolving… the trace appears when the key lookups land."
        } else {
            " This message has no DKIM-Signature: there is nothing to trace."
        }));
        return t;
    };
    let Some(step) = s.check.steps.get(app.step_row) else {
        return t;
    };
    t.push(Line::styled(safe(&step.detail), theme.status(step.status)));
    t.push(Line::from(""));
    let lines = &mut t.lines;
    match step.step {
        Step::Locate => lines.extend(field_lines(app, s.check.field, theme)),
        Step::Tags => {
            for p in &s.check.sig.issues {
                lines.push(Line::styled(
                    format!("{}: {}", p.code, safe(&p.message)),
                    theme.problem(),
                ));
            }
            lines.push(Line::from(
                "See the Signature pane (2) for every tag and its meaning.",
            ));
        }
        Step::Key => lines.push(Line::from(
            "See the Key pane (4) for the query, CNAME hops, TXT strings and key tags.",
        )),
        Step::Body => t.anchor = body_evidence(app, s, theme, lines),
        Step::Headers => t.anchor = header_evidence(app, s, theme, lines),
        Step::Signature => {
            if let Some(h) = &s.check.headers {
                lines.push(Line::from(format!(
                    "header hash: {}",
                    crate::tui::b64(&h.digest)
                )));
            }
            lines.push(Line::from(format!(
                "b= ({} bytes): {}",
                s.check.sig.b.len(),
                crate::tui::b64(&s.check.sig.b)
            )));
        }
        Step::Verdict => {
            lines.push(Line::from(format!("why: {}", safe(&s.check.reason))));
            lines.push(Line::from(format!(
                "what to do: {}",
                crate::diagnose::advice::action(s.check.diagnosis)
            )));
        }
    }
    t
}

/// Bytes as lines with invisible characters shown: `·` trailing space,
/// `→` tab, `␍␊` CRLF, `␊` bare LF.
pub(crate) fn marked(bytes: &[u8], theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for piece in bytes.split_inclusive(|b| *b == b'\n') {
        let (content, eol) = if let Some(c) = piece.strip_suffix(b"\r\n") {
            (c, "␍␊")
        } else if let Some(c) = piece.strip_suffix(b"\n") {
            (c, "␊")
        } else {
            (piece, "")
        };
        let trail = content.len()
            - content
                .iter()
                .rev()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
        let mut spans = Vec::new();
        for chunk in content[..trail].split_inclusive(|b| *b == b'\t') {
            match chunk.strip_suffix(b"\t") {
                Some(c) => {
                    spans.push(Span::raw(safe_bytes(c)));
                    spans.push(Span::styled("→", theme.marker()));
                }
                None => spans.push(Span::raw(safe_bytes(chunk))),
            }
        }
        let ws: String = content[trail..]
            .iter()
            .map(|b| if *b == b'\t' { '→' } else { '·' })
            .collect();
        spans.push(Span::styled(ws, theme.marker()));
        spans.push(Span::styled(eol, theme.marker()));
        out.push(Line::from(spans));
    }
    out
}

fn field_lines(app: &App, field: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(m) = app.message() else {
        return vec![];
    };
    let Some(h) = m.headers.get(field) else {
        return vec![];
    };
    marked(m.field_bytes(h), theme)
}

/// Claimed and computed digests. Where two digests first differ says
/// nothing about where the input changed, so no position is marked here;
/// the lines below show where.
fn compare(claimed: &str, computed: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut v = vec![
        Line::from(format!("claimed  bh= {claimed}")),
        Line::from(format!("computed bh= {computed}")),
    ];
    if claimed == computed {
        v.push(Line::styled(
            "             identical",
            theme.status(Status::Ok),
        ));
    } else {
        v.push(Line::styled(
            "             differ: the hashed text changed (see below where)",
            theme.problem(),
        ));
    }
    v
}

/// The body as hashed; returns the line where the added text starts.
fn body_evidence(
    app: &App,
    s: &SignatureReport,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) -> Option<usize> {
    let c = &s.check;
    if let Some(b) = &c.body {
        lines.extend(compare(
            &crate::tui::b64(&c.sig.bh),
            &crate::tui::b64(&b.hash.digest),
            theme,
        ));
        lines.push(Line::from(format!(
            "{} body canonicalization, {} canonical bytes, {} hashed{}",
            c.sig.body_canon.name(),
            b.hash.canonical_len,
            b.hash.hashed_len,
            c.sig.l.map(|l| format!(" (l={l})")).unwrap_or_default()
        )));
        lines.push(Line::from(""));
    } else if let Some(why) = &c.body_unavailable {
        lines.push(Line::from(safe(why)));
        return None;
    }
    let body = app.message().and_then(|m| m.body_bytes())?;
    let view = app.body_view(c.sig.body_canon)?;
    let mut anchor = None;
    let cut = view.raw_len;
    let shown: &[u8] = if app.canonical {
        &view.canonical
    } else {
        &body[..cut]
    };
    let limit = if app.canonical { c.sig.l } else { None };
    let mut count = 0u64;
    let mut cut_shown = false;
    // Where body-appended found the signed part to end.
    let appended = c.findings.iter().find_map(|f| match &f.evidence {
        Evidence::Appended(a) => Some(a),
        _ => None,
    });
    for (n, line) in marked(shown, theme).into_iter().enumerate() {
        if let Some(a) = appended
            && n as u64 == a.signed_lines
        {
            anchor = Some(lines.len());
            lines.push(Line::styled(
                format!(
                    "──── signed part ends; added after signing: {}, {} ────",
                    crate::plural::count(a.lines, "line", "lines"),
                    crate::plural::count(a.bytes, "byte", "bytes")
                ),
                theme.problem(),
            ));
        }
        let len: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
        if let Some(l) = limit
            && !cut_shown
            && count >= l
        {
            lines.push(Line::styled(
                "──── l= cut: everything below is not signed ────",
                theme.problem(),
            ));
            cut_shown = true;
            anchor = anchor.or(Some(lines.len() - 1));
        }
        count += len as u64;
        lines.push(line);
    }
    if cut < body.len() {
        lines.push(Line::styled(
            format!("… {} more bytes not shown", body.len() - cut),
            theme.dim(),
        ));
    }
    anchor
}

/// The header fields as hashed, the one a finding names as changed
/// marked; returns its line.
fn header_evidence(
    app: &App,
    s: &SignatureReport,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) -> Option<usize> {
    let (Some(hh), Some(m)) = (&s.check.headers, app.message()) else {
        return None;
    };
    // What localization found changed: a field, and the text a gateway put
    // in it.
    let changed: Vec<(usize, String)> = s
        .check
        .findings
        .iter()
        .filter_map(|f| match &f.evidence {
            Evidence::Tag { field, tag } => Some((
                *field,
                format!("changed in transit: \"{}\" was added", safe(tag)),
            )),
            Evidence::Field { field, name } => Some((
                *field,
                format!("changed in transit: {} ({})", safe(name), f.code),
            )),
            _ => None,
        })
        .collect();
    let mut anchor = None;
    for p in &hh.picked {
        match p.field {
            None => lines.push(Line::styled(
                format!(
                    "h={}: absent (over-signed: hashes as nothing)",
                    safe(&p.name)
                ),
                theme.dim(),
            )),
            Some(i) => {
                let note = changed.iter().find(|(f, _)| *f == i);
                if note.is_some() {
                    anchor = anchor.or(Some(lines.len()));
                }
                lines.push(Line::styled(
                    format!("h={}: header field {} (bottom-up)", safe(&p.name), i + 1),
                    theme.title(),
                ));
                if let Some((_, why)) = note {
                    lines.push(Line::styled(format!("▶ {why}"), theme.problem()));
                }
                if app.canonical {
                    lines.extend(marked(&p.canonical, theme));
                } else {
                    lines.extend(marked(field_text(m, i), theme));
                }
            }
        }
    }
    if hh.picked.len() < hh.picked_total {
        lines.push(Line::styled(
            format!(
                "... {} more h= entries hashed, not shown (only the first {} are kept)",
                hh.picked_total - hh.picked.len(),
                hh.picked.len()
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::styled(
        "the signature itself, b= emptied, no final CRLF:",
        theme.title(),
    ));
    lines.extend(marked(&hh.signature_field, theme));
    lines.push(Line::from(""));
    lines.push(Line::from(format!(
        "{} bytes hashed; digest {}",
        hh.input.len(),
        crate::tui::b64(&hh.digest)
    )));
    anchor
}
