//! The headers pane: every field in order, folded as received, the fields
//! the selected signature signs marked, `/` to search.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{safe, safe_bytes};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(m) = app.message() else { return };
    let signed: Vec<usize> = app
        .selected()
        .and_then(|s| s.check.headers.as_ref())
        .map(|h| h.picked.iter().filter_map(|p| p.field).collect())
        .unwrap_or_default();
    let needle = app.search.as_ref().map(|s| s.to_lowercase());
    // Lines of every field; keep the selected field in view.
    let mut lines: Vec<Line> = Vec::new();
    let mut first_line_of = Vec::with_capacity(m.headers.len());
    for (i, h) in m.headers.iter().enumerate() {
        first_line_of.push(lines.len());
        let mark = if signed.contains(&i) { "✓" } else { " " };
        let text = m.field_bytes(h);
        let hit = needle.as_ref().is_some_and(|n| {
            String::from_utf8_lossy(text)
                .to_lowercase()
                .contains(n.as_str())
        });
        for (k, piece) in text
            .split(|b| *b == b'\n')
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let piece = piece.strip_suffix(b"\r").unwrap_or(piece);
            let prefix = if k == 0 {
                format!("{mark}{:>3} ", i + 1)
            } else {
                "     ".into()
            };
            let mut spans = vec![Span::styled(
                prefix,
                theme.status(crate::dkim::codes::Status::Ok),
            )];
            let shown = safe_bytes(piece);
            match needle.as_deref().filter(|_| hit) {
                Some(n) => {
                    // On the selected (reversed) row a match is the
                    // reverse of the row.
                    let style = if i == app.header_row {
                        theme.matched().remove_modifier(Modifier::REVERSED)
                    } else {
                        theme.matched()
                    };
                    spans.extend(marked(&shown, n, style));
                }
                None => spans.push(Span::raw(shown)),
            }
            if k == 0 && h.malformed.is_some() {
                spans.push(Span::styled(
                    format!(
                        "  ← malformed: {}",
                        safe(h.malformed.as_deref().unwrap_or(""))
                    ),
                    theme.problem(),
                ));
            }
            let mut line = Line::from(spans);
            if i == app.header_row {
                line = line.style(theme.selected());
            } else if hit {
                line = line.style(theme.highlight());
            }
            lines.push(line);
        }
    }
    if m.body.is_none() {
        lines.push(Line::styled("      (headers only: no body)", theme.dim()));
    }
    // The last row is the legend: the fields get the others.
    let body_rows = (area.height as usize).saturating_sub(1);
    let sel = first_line_of.get(app.header_row).copied().unwrap_or(0);
    let start = sel
        .saturating_sub(body_rows / 3)
        .min(lines.len().saturating_sub(body_rows));
    let total = lines.len();
    let hits = app.search_hits();
    let search = match hits.iter().position(|&i| i == app.header_row) {
        Some(k) => format!(" · match {}/{} (n/N)", k + 1, hits.len()),
        None if !hits.is_empty() => format!(" · {} matches (n/N)", hits.len()),
        _ => String::new(),
    };
    let legend = Line::styled(
        format!(
            "  field {}/{} · lines {}{search} · ✓ signed · / search",
            app.header_row + 1,
            m.headers.len(),
            super::scroll::position(start, body_rows, total),
        ),
        theme.dim(),
    );
    let mut shown: Vec<Line> = lines.into_iter().skip(start).take(body_rows).collect();
    shown.push(legend);
    Paragraph::new(shown).render(area, buf);
}

/// `text` as spans, every case-insensitive occurrence of `needle` (already
/// lower-case) in `style`.
fn marked(text: &str, needle: &str, style: Style) -> Vec<Span<'static>> {
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let chars: Vec<char> = text.chars().collect();
    let n: Vec<char> = needle.chars().collect();
    let mut out = Vec::new();
    if n.is_empty() {
        out.push(Span::raw(text.to_string()));
        return out;
    }
    let (mut plain, mut i) = (String::new(), 0);
    while i < chars.len() {
        let here = chars.len() - i >= n.len()
            && chars[i..i + n.len()]
                .iter()
                .zip(&n)
                .all(|(a, b)| lower(*a) == *b);
        if here {
            if !plain.is_empty() {
                out.push(Span::raw(std::mem::take(&mut plain)));
            }
            out.push(Span::styled(
                chars[i..i + n.len()].iter().collect::<String>(),
                style,
            ));
            i += n.len();
        } else {
            plain.push(chars[i]);
            i += 1;
        }
    }
    if !plain.is_empty() {
        out.push(Span::raw(plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_match_is_marked_whatever_its_case() {
        let spans = marked(
            "From: Example <a@EXAMPLE.com>",
            "example",
            Style::new().bold(),
        );
        let shown: Vec<(String, bool)> = spans
            .iter()
            .map(|s| (s.content.to_string(), s.style == Style::new().bold()))
            .collect();
        assert_eq!(
            shown,
            [
                ("From: ".to_string(), false),
                ("Example".to_string(), true),
                (" <a@".to_string(), false),
                ("EXAMPLE".to_string(), true),
                (".com>".to_string(), false),
            ]
        );
    }
}
