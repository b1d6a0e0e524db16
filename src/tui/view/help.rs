//! The help overlay, generated from the keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::centered;
use crate::tui::action::Action;
use crate::tui::keymap::{self, Binding};
use crate::tui::theme::Theme;

pub fn render(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = keymap::keys_width();
    let row = |b: &Binding| {
        Line::from(vec![
            Span::styled(format!(" {:<width$}  ", b.keys.label()), theme.key()),
            Span::raw(b.help),
        ])
    };
    let (panes, prompt) = keymap::groups();
    let mut lines: Vec<Line> = panes.iter().map(|b| row(b)).collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(" {}", keymap::PROMPT_HEADING),
        theme.title(),
    ));
    lines.extend(prompt.iter().map(|b| row(b)));
    let title = format!(
        " keys ({} or {} closes) ",
        keymap::keys_for(|a| matches!(a, Action::Help)),
        keymap::keys_for(|a| matches!(a, Action::Back)),
    );
    let inner = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .max(title.len());
    let size = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let rect = centered(area, size(inner + 3), size(lines.len() + 2));
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.title())),
        )
        .render(rect, buf);
}
