//! The signature pane: every tag of the selected DKIM-Signature as a row
//! (tag, value shortened, meaning), problems marked, and the raw field
//! below with the selected tag highlighted in place.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Text, safe, safe_bytes, shorten, window};
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// The tags on top, the field as received below.
pub fn split(app: &App, area: Rect) -> (Option<Rect>, Option<Rect>) {
    let Some(sig) = app.selected_sig() else {
        return (None, Some(area));
    };
    let rows = u16::try_from(sig.tags.tags.len() + 2).unwrap_or(u16::MAX);
    let list_h = rows.min(area.height.saturating_sub(area.height / 3));
    let [list, raw] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(area);
    (Some(list), Some(raw))
}

pub fn render_list(app: &App, theme: &Theme, focused: bool, list: Rect, buf: &mut Buffer) {
    let Some(sig) = app.selected_sig() else {
        return;
    };
    let area = list;
    let tags = &sig.tags.tags;
    let list_h = list.height;

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
            line = line.style(super::cursor(theme, focused));
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
}

/// The raw field with the selected tag highlighted where it stands.
pub fn text(app: &App, theme: &Theme) -> Text {
    let mut t = Text::default();
    let (Some(sig), Some(loaded)) = (app.selected_sig(), &app.loaded) else {
        t.push(Line::from(" This message has no DKIM-Signature."));
        return t;
    };
    let tags = &sig.tags.tags;
    let Some(field) = loaded.signatures.get(app.sig).map(|(f, _)| *f) else {
        return t;
    };
    let m = &loaded.message;
    let Some(h) = m.headers.get(field) else {
        return t;
    };
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
    t.lines = out;
    t
}
