//! Text that is longer than its box: wrapped here (not by the Paragraph)
//! so the number of screen rows is known before drawing, each wrapped
//! line keeping a hanging indent; then drawn from an offset with the
//! position (`13-22/40`) and `↑`/`↓` when more is above or below, and a
//! title that shows whether this part has the focus.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::tui::theme::Theme;

/// The display width of one character.
fn char_width(c: char) -> usize {
    if c.is_ascii() {
        usize::from(!c.is_ascii_control())
    } else {
        Span::raw(c.to_string()).width()
    }
}

/// Lines wrapped to `width` columns. A wrapped line breaks after its last
/// space that fits (or mid-word when none does) and its continuation rows
/// start at the line's own indent plus two, so a paragraph's shape stays
/// readable. A line's style and its spans' styles are kept.
pub fn wrap(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        out.extend(wrap_line(line, width, None));
    }
    out
}

/// One line wrapped with its continuation rows starting at column `hang`
/// (a table's last column), or as [`wrap`] does when that leaves too
/// little room.
pub fn wrap_at(line: Line<'static>, width: usize, hang: usize) -> Vec<Line<'static>> {
    wrap_line(line, width, Some(hang).filter(|h| *h + 12 <= width))
}

fn wrap_line(line: Line<'static>, width: usize, at: Option<usize>) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if width < 4 {
        out.push(line);
        return out;
    }
    {
        if line.width() <= width {
            out.push(line);
            return out;
        }
        let style = line.style;
        // Characters with their style, to cut anywhere.
        let chars: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
            .collect();
        let indent = chars.iter().take_while(|(c, _)| *c == ' ').count();
        let hang = at.unwrap_or((indent + 2).min(width / 2));
        let mut start = 0;
        let mut first = true;
        while start < chars.len() {
            let room = if first { width } else { width - hang };
            // How many characters fit in `room` columns.
            let mut used = 0;
            let mut end = start;
            while end < chars.len() {
                let w = char_width(chars[end].0);
                if used + w > room {
                    break;
                }
                used += w;
                end += 1;
            }
            if end == start {
                end = start + 1; // a character wider than the room
            }
            if end < chars.len() {
                // Break after the last space, when there is one past the
                // indent.
                if let Some(sp) = chars[start..end]
                    .iter()
                    .rposition(|(c, _)| *c == ' ')
                    .map(|p| start + p + 1)
                    .filter(|p| *p > start + if first { indent } else { 0 } + 1)
                {
                    end = sp;
                }
            }
            let mut spans: Vec<Span<'static>> = Vec::new();
            if !first {
                spans.push(Span::raw(" ".repeat(hang)));
            }
            let mut run = String::new();
            let mut run_style = chars[start].1;
            for (c, s) in &chars[start..end] {
                if *s != run_style {
                    spans.push(Span::styled(std::mem::take(&mut run), run_style));
                    run_style = *s;
                }
                run.push(*c);
            }
            spans.push(Span::styled(run, run_style));
            out.push(Line::from(spans).style(style));
            start = end;
            first = false;
        }
    }
    out
}

/// The largest useful offset: the last line at the bottom of the box.
pub fn max_offset(total: usize, rows: usize) -> usize {
    total.saturating_sub(rows)
}

/// `13-22/40 ↑↓`: which rows are shown, and which way more is.
pub fn position(offset: usize, rows: usize, total: usize) -> String {
    if total == 0 {
        return "0/0".into();
    }
    let first = offset + 1;
    let last = (offset + rows).min(total);
    let up = if offset > 0 { " ↑" } else { "" };
    let down = if last < total { " ↓" } else { "" };
    if first == last {
        format!("{first}/{total}{up}{down}")
    } else {
        format!("{first}-{last}/{total}{up}{down}")
    }
}

/// One scrolled text in its box: a top rule with the title (bright when
/// `focused`) and the position on the right.
pub struct Scrolled<'a> {
    pub title: &'a str,
    pub lines: Vec<Line<'static>>,
    pub offset: usize,
    pub focused: bool,
    /// Also draw a rule on the left (the side-by-side layout).
    pub left: bool,
}

impl Scrolled<'_> {
    /// Rows of text the box shows in `area`.
    pub fn rows(area: Rect) -> usize {
        usize::from(area.height.saturating_sub(1))
    }

    /// The width text is wrapped to in `area`.
    pub fn width(area: Rect, left: bool) -> usize {
        usize::from(area.width.saturating_sub(u16::from(left)))
    }

    pub fn render(self, theme: &Theme, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let rows = Self::rows(area);
        let total = self.lines.len();
        let offset = self.offset.min(max_offset(total, rows));
        let (mark, style) = if self.focused {
            ("▶ ", theme.focused())
        } else {
            ("", theme.dim())
        };
        let borders = if self.left {
            Borders::TOP | Borders::LEFT
        } else {
            Borders::TOP
        };
        let block = Block::default()
            .borders(borders)
            .border_style(if self.focused {
                theme.focused()
            } else {
                Style::new()
            })
            .title(Span::styled(format!(" {mark}{} ", self.title), style))
            .title(
                Line::styled(format!(" {} ", position(offset, rows, total)), style).right_aligned(),
            );
        let shown: Vec<Line<'static>> = self.lines.into_iter().skip(offset).take(rows).collect();
        Paragraph::new(shown).block(block).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wrapping_keeps_a_hanging_indent_and_every_character() {
        let long = "   why: the body no longer hashes to the signed value at all";
        let out = wrap(vec![Line::from(long)], 24);
        let rows = text(&out);
        assert!(rows.iter().all(|r| r.chars().count() <= 24), "{rows:?}");
        assert!(rows[1..].iter().all(|r| r.starts_with("     ")), "{rows:?}");
        let joined: String = rows.iter().map(|r| r.trim()).collect::<Vec<_>>().join(" ");
        assert_eq!(joined, long.trim());
    }

    #[test]
    fn a_word_longer_than_the_row_is_cut_not_lost() {
        let out = wrap(vec![Line::from("x".repeat(50))], 20);
        let n: usize = text(&out).iter().map(|r| r.trim().len()).sum();
        assert_eq!(n, 50);
        assert!(text(&out).iter().all(|r| r.chars().count() <= 20));
    }

    #[test]
    fn position_says_which_way_more_is() {
        assert_eq!(position(0, 10, 40), "1-10/40 ↓");
        assert_eq!(position(30, 10, 40), "31-40/40 ↑");
        assert_eq!(position(5, 10, 40), "6-15/40 ↑ ↓");
        assert_eq!(position(0, 10, 3), "1-3/3");
        assert_eq!(max_offset(40, 10), 30);
        assert_eq!(max_offset(3, 10), 0);
    }
}
