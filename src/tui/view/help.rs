//! The help overlay, generated from the keymap; it scrolls when the
//! terminal is shorter than the table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{boxed, centered, closes};
use crate::tui::keymap::{self, Binding};
use crate::tui::theme::Theme;

fn title() -> String {
    format!("keys ({})", closes())
}

/// The help's lines and the box they go in.
pub fn layout(theme: &Theme, area: Rect) -> (Vec<Line<'static>>, Rect) {
    let width = keymap::keys_width();
    let row = |b: &Binding| {
        Line::from(vec![
            Span::styled(format!(" {:<width$}  ", b.keys.label()), theme.key()),
            Span::raw(b.help),
        ])
    };
    let (panes, prompt) = keymap::groups();
    let mut lines: Vec<Line<'static>> = panes.iter().map(|b| row(b)).collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(" {}", keymap::PROMPT_HEADING),
        theme.title(),
    ));
    lines.extend(prompt.iter().map(|b| row(b)));
    let inner = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .max(title().chars().count() + 4);
    let size = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let rect = centered(area, size(inner + 3), size(lines.len() + 2));
    // A long description wraps under its own column.
    let lines = lines
        .into_iter()
        .flat_map(|l| {
            super::scroll::wrap_at(l, usize::from(rect.width.saturating_sub(2)), width + 3)
        })
        .collect();
    (lines, rect)
}

pub fn render(theme: &Theme, offset: usize, area: Rect, buf: &mut Buffer) {
    let (lines, rect) = layout(theme, area);
    boxed(theme, &title(), lines, offset, rect, buf);
}
