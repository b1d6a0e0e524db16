//! The help overlay, generated from the keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::centered;
use crate::tui::keymap;
use crate::tui::theme::Theme;

pub fn render(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let help = keymap::help();
    let mut lines: Vec<Line> = help
        .iter()
        .map(|(k, h)| {
            Line::from(vec![
                Span::styled(format!(" {k:<12}"), theme.key()),
                Span::raw(*h),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(
        " Paste a message at any time to replace the one shown.",
    ));
    let rect = centered(area, 60, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" keys (? or Esc closes) ", theme.title())),
        )
        .render(rect, buf);
}
