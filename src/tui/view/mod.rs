//! Drawing: `impl Widget for &App`. The frame (title, headline, tabs,
//! status line), one pane by focus, and the overlays. Drawing reads the
//! state and never changes it; every string from the message or DNS passes
//! the sanitizer first.

mod beyond;
mod headers;
mod help;
mod key;
mod overview;
mod signature;
mod trace;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs, Widget, Wrap};

use super::action::{Action, Pane};
use super::app::{App, Overlay, PromptKind};
use super::keymap::keys_for;
use super::theme::Theme;
use crate::sanitize::visible;

/// Untrusted text, made safe for a cell.
pub(crate) fn safe(s: &str) -> String {
    visible(s).into_owned()
}

pub(crate) fn safe_bytes(b: &[u8]) -> String {
    crate::sanitize::visible_bytes(b)
}

/// Cut to `width` characters with an ellipsis.
pub(crate) fn shorten(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The window of `rows` lines that keeps `selected` visible.
pub(crate) fn window(selected: usize, total: usize, rows: usize) -> (usize, usize) {
    if rows == 0 || total == 0 {
        return (0, 0);
    }
    let start = selected
        .saturating_sub(rows / 2)
        .min(total.saturating_sub(rows));
    (start, (start + rows).min(total))
}

/// Lines given to the headline at a terminal height.
pub(crate) fn headline_height(height: u16) -> u16 {
    match height {
        24.. => 3,
        12.. => 2,
        _ => 0,
    }
}

/// The screen row of the pane tabs (below the title and the headline).
pub fn tab_row(height: u16) -> u16 {
    1 + headline_height(height)
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let theme = Theme { color: self.color };
        let headline_height = headline_height(area.height);
        let [top, headline, tabs, main, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(headline_height),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        title_bar(self, &theme, top, buf);
        if self.loaded.is_none() {
            empty_screen(
                self,
                &theme,
                Rect {
                    y: tabs.y,
                    height: tabs.height + main.height,
                    ..tabs
                },
                buf,
            );
        } else {
            headline_line(self, &theme, headline, buf);
            let titles: Vec<Line> = Pane::ALL.iter().map(|p| Line::from(p.title())).collect();
            Tabs::new(titles)
                .select(self.focus.index())
                .highlight_style(theme.selected())
                .divider("│")
                .render(tabs, buf);
            match self.focus {
                Pane::Overview => overview::render(self, &theme, main, buf),
                Pane::Signature => signature::render(self, &theme, main, buf),
                Pane::Trace => trace::render(self, &theme, main, buf),
                Pane::Key => key::render(self, &theme, main, buf),
                Pane::Headers => headers::render(self, &theme, main, buf),
                Pane::Auth => beyond::auth(self, &theme, main, buf),
                Pane::Hops => beyond::hops(self, &theme, main, buf),
                Pane::M365 => beyond::m365(self, &theme, main, buf),
            }
        }
        status_line(self, &theme, bottom, buf);
        match &self.overlay {
            Some(Overlay::Help) => help::render(&theme, area, buf),
            Some(Overlay::Explain { title, text }) => popup(&theme, title, text, area, buf),
            None => {}
        }
    }
}

fn title_bar(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::styled(" dkimscope ", theme.title())];
    if let Some(l) = &app.loaded {
        spans.push(Span::raw(safe(&l.label)));
        spans.push(Span::raw("  "));
        match (&l.report, l.pending) {
            (Some(r), None) => spans.push(Span::styled(
                format!("dkim={}", r.dkim),
                theme.outcome(r.dkim),
            )),
            _ => spans.push(Span::styled("resolving…", theme.highlight())),
        }
    }
    if app.offline {
        spans.push(Span::styled("  [offline]", theme.dim()));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn headline_line(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let text = match (app.report(), app.resolving()) {
        (Some(r), false) => safe(&r.headline()),
        _ => {
            let names: Vec<String> = app
                .loaded
                .iter()
                .flat_map(|l| &l.signatures)
                .filter(|(_, s)| !s.d.is_empty() && !s.s.is_empty())
                .map(|(_, s)| s.key_name())
                .collect();
            if names.is_empty() {
                "analysing…".to_string()
            } else {
                safe(&format!("resolving {}…", names.join(", ")))
            }
        }
    };
    Paragraph::new(text)
        .style(Style::new())
        .wrap(Wrap { trim: true })
        .render(area, buf);
    let _ = theme;
}

fn empty_screen(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut lines = vec![
        Line::from(""),
        Line::styled("  No message yet.", theme.title()),
        Line::from(""),
        Line::from(format!(
            "  paste a message (Ctrl+Shift+V / your terminal's paste) or press {} for the clipboard",
            keys_for(|a| matches!(a, Action::PasteClipboard)),
        )),
        Line::from(format!(
            "  {} opens a file · {} shows every key · {} quits",
            keys_for(|a| matches!(a, Action::OpenPrompt)),
            keys_for(|a| matches!(a, Action::Help)),
            keys_for(|a| matches!(a, Action::Quit)),
        )),
        Line::from(""),
        Line::from("  Headers only are fine: the header signature is still checked."),
    ];
    if app.offline {
        lines.push(Line::from("  Offline: keys come only from --keys files."));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

fn status_line(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let line = if let Some(p) = &app.prompt {
        let label = match p.kind {
            PromptKind::Open => "open file: ",
            PromptKind::Search => "search headers: /",
        };
        Line::from(vec![
            Span::styled(label, theme.highlight()),
            Span::raw(safe(&p.text)),
            Span::raw("▏"),
        ])
    } else {
        let mut spans = Vec::new();
        if let Some(s) = &app.status {
            spans.push(Span::styled(format!("{} ", safe(s)), theme.highlight()));
            spans.push(Span::raw("│ "));
        }
        for (keys, help) in super::keymap::hints() {
            spans.push(Span::styled(keys, theme.key()));
            spans.push(Span::raw(format!(" {help}  ")));
        }
        Line::from(spans)
    };
    Paragraph::new(line).render(area, buf);
}

/// A centred box over the panes.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup(theme: &Theme, title: &str, text: &str, area: Rect, buf: &mut Buffer) {
    let rect = centered(
        area,
        area.width.saturating_sub(8).max(20),
        area.height.saturating_sub(4).max(5),
    );
    Clear.render(rect, buf);
    Paragraph::new(text.to_string())
        .wrap(Wrap { trim: false })
        .block(Block::default().borders(Borders::ALL).title(Span::styled(
            format!(
                " {title} ({} closes) ",
                keys_for(|a| matches!(a, Action::Back))
            ),
            theme.title(),
        )))
        .render(rect, buf);
}
