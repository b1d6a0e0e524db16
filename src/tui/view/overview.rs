//! The overview: one row per signature, what the receivers said beside
//! what dkimscope finds now, and the selected signature's verdict in plain
//! words with who must act.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Text, safe, shorten, window};
use crate::diagnose::advice;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// The signatures' table on top, the verdict below.
pub fn split(app: &App, area: Rect) -> (Option<Rect>, Option<Rect>) {
    let n = app.signature_count();
    let rows = u16::try_from(n.max(1) + 1).unwrap_or(u16::MAX);
    let [table, rest] = Layout::vertical([
        Constraint::Length(rows.min(area.height / 2 + 1)),
        Constraint::Min(0),
    ])
    .areas(area);
    (Some(table), Some(rest))
}

pub fn render_list(app: &App, theme: &Theme, focused: bool, table: Rect, buf: &mut Buffer) {
    let Some(loaded) = &app.loaded else { return };
    let n = loaded.signatures.len();
    let table_rows = table.height;
    let area = table;

    let dom_w = (area.width as usize)
        .saturating_sub(3 + 14 + 16 + 11 + 22)
        .clamp(12, 40);
    let mut lines = vec![Line::styled(
        format!(
            " {:<3}{:<dom_w$}{:<14}{:<16}{:<11}{}",
            "#", "domain (d=)", "selector", "algorithm", "result", "diagnosis"
        ),
        theme.dim(),
    )];
    if n == 0 {
        lines.push(Line::from(
            " no DKIM-Signature: the message was not signed (dkim=none)",
        ));
    }
    let (start, end) = window(app.sig, n, table_rows.saturating_sub(1) as usize);
    for i in start..end {
        let (_, sig) = &loaded.signatures[i];
        let check = app
            .report()
            .and_then(|r| r.signatures.get(i))
            .map(|s| &s.check);
        let (result, diag, style) = match check {
            Some(c) => (
                c.result.to_string(),
                c.diagnosis.to_string(),
                theme.outcome(c.result),
            ),
            None => ("…".into(), "resolving…".into(), theme.dim()),
        };
        let mut row = Line::from(vec![
            Span::raw(format!(" {:<3}", i + 1)),
            Span::raw(format!("{:<dom_w$}", shorten(&safe(&sig.d), dom_w - 1))),
            Span::raw(format!("{:<14}", shorten(&safe(&sig.s), 13))),
            Span::raw(format!("{:<16}", shorten(&safe(&sig.a), 15))),
            Span::styled(format!("{result:<11}"), style),
            Span::raw(diag),
        ]);
        if i == app.sig {
            row = row.style(super::cursor(theme, focused));
        }
        lines.push(row);
    }
    Paragraph::new(lines).render(table, buf);
}

/// The selected signature's verdict, the receivers' word beside ours,
/// the notes.
pub fn text(app: &App, theme: &Theme) -> Text {
    let mut t = Text::default();
    let Some(loaded) = &app.loaded else { return t };
    let text = &mut t.lines;
    if let Some(b) = &loaded.message.bounce {
        text.push(Line::styled(
            if b.opened {
                format!(" Bounce opened: {}", safe(&b.how))
            } else {
                " Bounce with no copy of the reported message found in it: the bounce itself is analysed"
                    .to_string()
            },
            theme.title(),
        ));
        for d in &b.diagnostics {
            text.push(Line::from(format!("   the bounce says: {}", safe(d))));
        }
    }
    if let Some(s) = app.selected() {
        let c = &s.check;
        text.push(Line::from(vec![
            Span::styled(format!(" Signature #{}: ", c.index + 1), theme.title()),
            Span::styled(
                format!("{} ({})", c.result, c.diagnosis),
                theme.outcome(c.result),
            ),
        ]));
        text.push(Line::from(format!("   why: {}", safe(&c.reason))));
        text.push(Line::from(format!(
            "   what to do: {}",
            advice::action(c.diagnosis)
        )));
        for (w, detail) in &c.warnings {
            text.push(Line::styled(
                format!("   warning {w}: {}", safe(detail)),
                theme.status(crate::dkim::codes::Status::Warn),
            ));
        }
        match &s.disagreement {
            Some(d) => text.push(Line::styled(
                format!("   mail-auth disagrees: {}", safe(d)),
                theme.highlight(),
            )),
            None => text.push(Line::styled(
                format!("   mail-auth agrees: {}", s.mail_auth.result),
                theme.dim(),
            )),
        }
    }
    if let Some(r) = app.report() {
        if !r.auth_results.is_empty() {
            text.push(Line::from(""));
            text.push(Line::styled(
                " What receivers said (Authentication-Results)  →  what dkimscope finds now",
                theme.title(),
            ));
            for st in &r.auth_results {
                let (a, link) = (&st.parsed, Some(&st.link));
                let now = match link.and_then(|l| l.ours) {
                    Some(ours) => format!("  →  now {}", safe(ours)),
                    None => String::new(),
                };
                let d = a
                    .props
                    .iter()
                    .find(|(k, _)| k == "header.d" || k == "header.i")
                    .map(|(_, v)| format!(" {}", safe(v)))
                    .unwrap_or_default();
                let who = safe(st.writer());
                let flag = if link.is_some_and(|l| l.suspect) {
                    "  ⚠ not the final receiver"
                } else {
                    ""
                };
                let said = if a.checked_nothing() {
                    "none (checked nothing)".to_string()
                } else if a.unreadable() {
                    "nothing readable".to_string()
                } else {
                    format!("{}={}", safe(&a.method), safe(&a.result))
                };
                text.push(Line::from(format!("   {who}: {said}{d}{now}{flag}")));
            }
        }
        for note in &r.notes {
            text.push(Line::styled(format!(" note: {}", safe(note)), theme.dim()));
        }
    }
    t
}
