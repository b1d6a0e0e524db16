//! The signature pane: every tag of the selected DKIM-Signature as a row
//! (tag, value shortened, meaning), problems marked, and the raw field
//! below with the selected tag highlighted in place.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::{safe, safe_bytes, shorten, window};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (Some(sig), Some(loaded)) = (app.selected_sig(), &app.loaded) else {
        Paragraph::new(" This message has no DKIM-Signature.").render(area, buf);
        return;
    };
    let field = loaded.signatures.get(app.sig).map(|(f, _)| *f);
    let tags = &sig.tags.tags;
    let list_h = ((tags.len() + 2) as u16).min(area.height.saturating_sub(area.height / 3));
    let [list, raw] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(area);

    let value_w = (area.width as usize).saturating_sub(40).clamp(10, 60);
    let mut lines = vec![Line::styled(
        format!(" {:<5}{:<w$}  {}", "tag", "value", "meaning", w = value_w),
        theme.dim(),
    )];
    let (start, end) = window(app.tag_row, tags.len(), list_h.saturating_sub(1) as usize);
    for (i, t) in tags.iter().enumerate().take(end).skip(start) {
        let problem = sig.issues.iter().find(|p| {
            p.span.start < t.span.end
                && t.span.start <= p.span.start
                && !(p.span.start == 0 && p.span.end == 0)
        });
        let meaning = problem
            .map(|p| safe(&p.message))
            .unwrap_or_else(|| crate::tui::tag_meaning(&t.name));
        let mut line = Line::from(vec![
            Span::styled(format!(" {:<5}", safe(&t.name)), theme.key()),
            Span::raw(format!(
                "{:<w$}  ",
                shorten(&safe_bytes(&t.compact()), value_w),
                w = value_w
            )),
            if problem.is_some() {
                Span::styled(meaning, theme.problem())
            } else {
                Span::raw(meaning)
            },
        ]);
        if i == app.tag_row {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    for p in sig
        .issues
        .iter()
        .filter(|p| p.span.start == 0 && p.span.end == 0)
    {
        lines.push(Line::styled(
            format!(" {}: {}", p.code, safe(&p.message)),
            theme.problem(),
        ));
    }
    Paragraph::new(lines).render(list, buf);

    // The raw field with the selected tag highlighted where it stands.
    let Some(field) = field else { return };
    let m = &loaded.message;
    let h = &m.headers[field];
    let raw_bytes = m.field_bytes(h);
    let base = h.value_span.start - h.span.start;
    let sel = tags
        .get(app.tag_row)
        .map(|t| base + t.span.start..base + t.span.end);
    let mut out: Vec<Line> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut pos = 0;
    for piece in raw_bytes.split_inclusive(|b| *b == b'\n') {
        let end = pos + piece.len();
        let content = piece.strip_suffix(b"\n").unwrap_or(piece);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let cend = pos + content.len();
        match &sel {
            Some(r) if r.start < cend && r.end > pos => {
                let a = r.start.max(pos) - pos;
                let b = r.end.min(cend) - pos;
                spans.push(Span::raw(safe_bytes(&content[..a])));
                spans.push(Span::styled(safe_bytes(&content[a..b]), theme.highlight()));
                spans.push(Span::raw(safe_bytes(&content[b..])));
            }
            _ => spans.push(Span::raw(safe_bytes(content))),
        }
        out.push(Line::from(std::mem::take(&mut spans)));
        pos = end;
    }
    Paragraph::new(out)
        .wrap(Wrap { trim: false })
        .block(Block::default().borders(Borders::TOP).title(Span::styled(
            format!(
                " the field as received ({} explains the selected tag) ",
                crate::tui::keymap::keys_for(|a| matches!(a, crate::tui::action::Action::Select))
            ),
            theme.dim(),
        )))
        .render(raw, buf);
}
