//! Drawing: `impl Widget for &App`. The frame (title, headline, tabs,
//! status line), one pane by focus, and the overlays. Drawing reads the
//! state and never changes it; every string from the message or DNS passes
//! the sanitizer first.

mod beyond;
mod headers;
mod help;
mod key;
mod overview;
pub mod scroll;
mod signature;
mod trace;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs, Widget, Wrap};

use super::action::{Action, Pane, Part};
use super::app::{App, Overlay, PromptKind};
use super::keymap::keys_for;
use super::theme::Theme;
use crate::sanitize::visible;
use scroll::{Scrolled, wrap};

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

/// Cut to `width` characters by taking out the middle, so both the start
/// and the end (a file name's directory and its name) stay readable.
pub(crate) fn shorten_middle(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width < 3 {
        return s.chars().take(width).collect();
    }
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
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

/// The style of a list's selected row: reversed while the list has the
/// focus, bold while its detail has it.
pub(crate) fn cursor(theme: &Theme, focused: bool) -> Style {
    if focused {
        theme.selected()
    } else {
        Style::new().add_modifier(ratatui::style::Modifier::BOLD)
    }
}

/// `topic` when `explain` knows it, else `fallback` (a broader topic
/// that does: the field or header the row belongs to).
pub(crate) fn known_or(topic: String, fallback: &str) -> String {
    if crate::explain::lookup(&topic).is_some() {
        topic
    } else {
        fallback.to_string()
    }
}

/// The topic of the Signature pane's selected tag.
pub fn signature_topic(app: &App) -> Option<String> {
    signature::topic(app)
}

/// A pane's text before it is wrapped: its lines, the line to show first
/// when the pane opens on it (the evidence), and the explain topic of the
/// lines that have one.
#[derive(Default)]
pub(crate) struct Text {
    pub lines: Vec<Line<'static>>,
    pub anchor: Option<usize>,
    pub topics: Vec<(usize, String)>,
    /// Lines whose wrapped rows start at a given column (a table row's
    /// last column) rather than the line's indent plus two.
    pub hangs: Vec<(usize, usize)>,
}

impl Text {
    pub fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    /// Wrapped to `width`, the anchor and topics following their lines.
    fn wrapped(self, width: usize) -> Text {
        let mut first_row = Vec::with_capacity(self.lines.len() + 1);
        let mut lines = Vec::new();
        for (i, line) in self.lines.into_iter().enumerate() {
            first_row.push(lines.len());
            match self.hangs.iter().find(|(l, _)| *l == i) {
                Some((_, hang)) => lines.extend(scroll::wrap_at(line, width, *hang)),
                None => lines.extend(wrap(vec![line], width)),
            }
        }
        first_row.push(lines.len());
        let row = |i: usize| first_row.get(i).copied().unwrap_or(lines.len());
        Text {
            anchor: self.anchor.map(row),
            topics: self.topics.into_iter().map(|(i, t)| (row(i), t)).collect(),
            hangs: Vec::new(),
            lines,
        }
    }
}

/// The frame's rows.
struct Areas {
    top: Rect,
    headline: Rect,
    tabs: Rect,
    main: Rect,
    bottom: Rect,
}

/// The headline's sentence: the verdict, then who must do what.
fn headline_text(app: &App) -> String {
    let Some(r) = app.report().filter(|_| !app.resolving()) else {
        let names: Vec<String> = app
            .loaded
            .iter()
            .flat_map(|l| &l.signatures)
            .filter(|(_, s)| !s.d.is_empty() && !s.s.is_empty())
            .map(|(_, s)| s.key_name())
            .collect();
        return if names.is_empty() {
            "analysing…".to_string()
        } else {
            safe(&format!("resolving {}…", names.join(", ")))
        };
    };
    let failing: Vec<_> = r
        .signatures
        .iter()
        .filter(|s| s.check.result != crate::dkim::codes::Outcome::Pass)
        .collect();
    // Nothing fails, or an aligned passing signature decides: the
    // report's own headline says it (and names the others).
    let Some(f) = failing
        .first()
        .filter(|_| crate::diagnose::advice::decides(r).is_none())
    else {
        return safe(&r.headline());
    };
    let c = &f.check;
    let who = if c.sig.d.is_empty() {
        format!("Signature #{}", c.index + 1)
    } else {
        format!("The signature of {} (s={})", c.sig.d, c.sig.s)
    };
    let also = crate::diagnose::advice::others_verify(r, r.signatures.len() - failing.len());
    // Where on the path it changed, when a host can be named.
    let story = r
        .path
        .brk
        .as_ref()
        .and_then(|b| b.story.as_ref())
        .map(|s| format!("{s}. "))
        .unwrap_or_default();
    // What a bounce is about comes first, as in the report's headline.
    let lead = crate::diagnose::advice::bounce_lead(r)
        .map(|l| format!("{l} "))
        .unwrap_or_default();
    safe(&format!(
        "{lead}{story}{who}: {} ({}){also}. What to do: {}",
        c.result,
        c.diagnosis,
        crate::diagnose::advice::advise(c)
    ))
}

/// The headline wrapped to the screen, and the rows it may take: all it
/// needs up to a quarter of the screen.
fn headline_rows(app: &App, area: Rect) -> (Vec<Line<'static>>, u16) {
    if app.loaded.is_none() || area.height < 12 {
        return (Vec::new(), 0);
    }
    let lines = wrap(
        vec![Line::from(headline_text(app))],
        usize::from(area.width),
    );
    let cap = (area.height / 6).max(2);
    let rows = u16::try_from(lines.len()).unwrap_or(u16::MAX).min(cap);
    (lines, rows)
}

fn areas(app: &App, area: Rect) -> Areas {
    let (_, headline) = headline_rows(app, area);
    let [top, headline, tabs, main, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(headline),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        top,
        headline,
        tabs,
        main,
        bottom,
    }
}

/// The screen row of the pane tabs (below the title and the headline).
pub fn tab_row(app: &App) -> u16 {
    areas(app, Rect::new(0, 0, app.width, app.height)).tabs.y
}

/// Where a pane's list and its scrolled text go in `main`.
fn layout(app: &App, pane: Pane, main: Rect) -> (Option<Rect>, Option<Rect>) {
    match pane {
        Pane::Overview => overview::split(app, main),
        Pane::Signature => signature::split(app, main),
        Pane::Trace => trace::split(app, main),
        Pane::Headers => (Some(main), None),
        Pane::Key | Pane::Auth | Pane::Hops | Pane::M365 => (None, Some(main)),
    }
}

/// A pane's scrolled text at `width`, wrapped.
fn pane_text(app: &App, pane: Pane, width: usize) -> Text {
    let theme = Theme { color: app.color };
    let text = match pane {
        Pane::Overview => overview::text(app, &theme),
        Pane::Signature => signature::text(app, &theme),
        Pane::Trace => trace::text(app, &theme),
        Pane::Key => key::text(app, &theme),
        Pane::Auth => beyond::auth(app, &theme),
        Pane::Hops => beyond::hops(app, &theme),
        Pane::M365 => beyond::m365(app, &theme),
        Pane::Headers => Text::default(),
    };
    text.wrapped(width)
}

/// The box a pane's text goes in at the app's terminal size, and whether
/// it has a rule on its left.
fn detail_box(app: &App, pane: Pane) -> Option<(Rect, bool)> {
    let main = areas(app, Rect::new(0, 0, app.width, app.height)).main;
    let (_, detail) = layout(app, pane, main);
    detail.map(|d| (d, pane == Pane::Trace && trace::wide(main)))
}

/// Rows of a pane's text, and rows its box shows, at the app's size.
pub fn text_extent(app: &App, pane: Pane) -> Option<(usize, usize)> {
    let (area, left) = detail_box(app, pane)?;
    let text = pane_text(app, pane, Scrolled::width(area, left));
    Some((text.lines.len(), Scrolled::rows(area)))
}

/// The Trace's offset that puts the selected step's evidence in view: a
/// few rows above the anchor (where the signed part ends, the changed
/// field), else the top.
pub fn trace_anchor(app: &App) -> usize {
    let Some((area, left)) = detail_box(app, Pane::Trace) else {
        return 0;
    };
    let text = pane_text(app, Pane::Trace, Scrolled::width(area, left));
    let max = scroll::max_offset(text.lines.len(), Scrolled::rows(area));
    text.anchor.map_or(0, |a| a.saturating_sub(3).min(max))
}

/// What `e` explains in a text pane, and the row marked: the first row
/// with a topic at or below `cursor` that is in view (`offset`, `rows`).
/// The cursor goes on past the last screenful, so the rows there can be
/// reached too; with no topic there, the section the cursor is in (the
/// last topic above it).
fn cursor_topic(text: &Text, cursor: usize, offset: usize, rows: usize) -> Option<(usize, String)> {
    text.topics
        .iter()
        .find(|(i, _)| *i >= cursor && *i < offset + rows)
        .or_else(|| text.topics.iter().rev().find(|(i, _)| *i < cursor))
        .cloned()
}

pub fn topic_at(app: &App) -> Option<String> {
    let (area, left) = detail_box(app, app.focus)?;
    let text = pane_text(app, app.focus, Scrolled::width(area, left));
    let rows = Scrolled::rows(area);
    let cursor = app.text[app.focus.index()];
    let offset = cursor.min(scroll::max_offset(text.lines.len(), rows));
    cursor_topic(&text, cursor, offset, rows).map(|(_, t)| t)
}

/// The part of the focused pane under a screen cell, for the wheel.
pub fn part_at(app: &App, column: u16, row: u16) -> Option<Part> {
    let main = areas(app, Rect::new(0, 0, app.width, app.height)).main;
    let (list, detail) = layout(app, app.focus, main);
    let inside =
        |r: &Rect| column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height;
    if list.as_ref().is_some_and(inside) {
        Some(Part::List)
    } else if detail.as_ref().is_some_and(inside) {
        Some(Part::Detail)
    } else {
        None
    }
}

/// Rows of the open overlay's text and rows its box shows.
pub fn overlay_extent(app: &App) -> (usize, usize) {
    let area = Rect::new(0, 0, app.width, app.height);
    let theme = Theme { color: app.color };
    match &app.overlay {
        Some(Overlay::Help) => {
            let (lines, rect) = help::layout(&theme, area);
            (lines.len(), usize::from(rect.height.saturating_sub(2)))
        }
        Some(Overlay::Explain { text, .. }) => {
            let rect = popup_rect(area);
            let lines = popup_lines(text, rect);
            (lines.len(), usize::from(rect.height.saturating_sub(2)))
        }
        None => (0, 0),
    }
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let theme = Theme { color: self.color };
        let a = areas(self, area);
        title_bar(self, &theme, a.top, buf);
        if self.loaded.is_none() {
            empty_screen(
                self,
                &theme,
                Rect {
                    y: a.tabs.y,
                    height: a.tabs.height + a.main.height,
                    ..a.tabs
                },
                buf,
            );
        } else {
            let (headline, rows) = headline_rows(self, area);
            headline_lines(headline, rows, &theme, a.headline, buf);
            let titles: Vec<Line> = Pane::ALL.iter().map(|p| Line::from(p.title())).collect();
            Tabs::new(titles)
                .select(self.focus.index())
                .highlight_style(theme.selected())
                .divider("│")
                .render(a.tabs, buf);
            render_pane(self, &theme, a.main, buf);
        }
        status_line(self, &theme, a.bottom, buf);
        match &self.overlay {
            Some(Overlay::Help) => help::render(&theme, self.overlay_scroll, area, buf),
            Some(Overlay::Explain { title, text }) => {
                popup(&theme, title, text, self.overlay_scroll, area, buf)
            }
            None => {}
        }
    }
}

fn render_pane(app: &App, theme: &Theme, main: Rect, buf: &mut Buffer) {
    let pane = app.focus;
    let (list, detail) = layout(app, pane, main);
    let active = app.active();
    if let Some(list) = list {
        let focused = active == Part::List;
        match pane {
            Pane::Overview => overview::render_list(app, theme, focused, list, buf),
            Pane::Signature => signature::render_list(app, theme, focused, list, buf),
            Pane::Trace => trace::render_list(app, theme, focused, list, buf),
            Pane::Headers => headers::render(app, theme, list, buf),
            _ => {}
        }
    }
    let Some(detail) = detail else { return };
    let left = pane == Pane::Trace && trace::wide(main);
    let text = pane_text(app, pane, Scrolled::width(detail, left));
    let rows = Scrolled::rows(detail);
    let offset = app.text[pane.index()].min(scroll::max_offset(text.lines.len(), rows));
    let focused = active == Part::Detail;
    let mut lines = text.lines.clone();
    // In a text pane, the row `e` explains is marked.
    if focused
        && !pane.has_list()
        && let Some((i, _)) = cursor_topic(&text, app.text[pane.index()], offset, rows)
        && let Some(line) = lines.get_mut(i)
    {
        let marked = std::mem::take(line);
        *line = marked.patch_style(theme.selected());
    }
    let title = match pane {
        Pane::Overview => "verdict".to_string(),
        Pane::Signature => format!(
            "the field as received ({} explains the selected tag)",
            keys_for(|a| matches!(a, Action::Explain))
        ),
        Pane::Trace => if app.canonical {
            "evidence (c: show raw)"
        } else {
            "evidence (c: show canonical)"
        }
        .to_string(),
        _ => pane.title().to_string(),
    };
    Scrolled {
        title: &title,
        lines,
        offset,
        focused,
        left,
    }
    .render(theme, detail, buf);
}

fn title_bar(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    const NAME: &str = " dkimscope ";
    let mut spans = vec![Span::styled(NAME, theme.title())];
    let offline = if app.offline { "  [offline]" } else { "" };
    if let Some(l) = &app.loaded {
        let verdict = match (&l.report, l.pending) {
            (Some(r), None) => Span::styled(format!("dkim={}", r.dkim), theme.outcome(r.dkim)),
            _ => Span::styled("resolving…", theme.highlight()),
        };
        // The verdict always shows: the file name gives way, from its
        // middle.
        let room = usize::from(area.width)
            .saturating_sub(NAME.len() + 2 + verdict.width() + offline.chars().count())
            .max(5);
        spans.push(Span::raw(shorten_middle(&safe(&l.label), room)));
        spans.push(Span::raw("  "));
        spans.push(verdict);
    }
    spans.push(Span::styled(offline, theme.dim()));
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn headline_lines(
    mut lines: Vec<Line<'static>>,
    rows: u16,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let rows = usize::from(rows);
    if lines.len() > rows && rows > 0 {
        // Never cut silently: say where the rest is.
        lines.truncate(rows - 1);
        lines.push(Line::styled(
            "… the whole verdict is in the Overview (1)",
            theme.dim(),
        ));
    }
    Paragraph::new(lines).render(area, buf);
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
            PromptKind::Save => "save the case in folder: ",
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

fn popup_rect(area: Rect) -> Rect {
    centered(
        area,
        area.width.saturating_sub(8).max(20),
        area.height.saturating_sub(4).max(5),
    )
}

fn popup_lines(text: &str, rect: Rect) -> Vec<Line<'static>> {
    let lines = text.lines().map(|l| Line::from(l.to_string())).collect();
    wrap(lines, usize::from(rect.width.saturating_sub(2)))
}

/// The box's title, naming the keys that close it.
pub(crate) fn closes() -> String {
    format!(
        "{} or {} closes",
        keys_for(|a| matches!(a, Action::Quit)),
        keys_for(|a| matches!(a, Action::Back))
            .split(' ')
            .next()
            .unwrap_or("Esc")
    )
}

/// A text in a box over the panes, scrolled, its position in the frame.
pub(crate) fn boxed(
    theme: &Theme,
    title: &str,
    lines: Vec<Line<'static>>,
    offset: usize,
    rect: Rect,
    buf: &mut Buffer,
) {
    Clear.render(rect, buf);
    let rows = usize::from(rect.height.saturating_sub(2));
    let total = lines.len();
    let offset = offset.min(scroll::max_offset(total, rows));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    if total > rows {
        block = block.title_bottom(
            Line::styled(
                format!(" {} j/k PgDn/PgUp ", scroll::position(offset, rows, total)),
                theme.dim(),
            )
            .right_aligned(),
        );
    }
    Paragraph::new(
        lines
            .into_iter()
            .skip(offset)
            .take(rows)
            .collect::<Vec<_>>(),
    )
    .block(block)
    .render(rect, buf);
}

fn popup(theme: &Theme, title: &str, text: &str, offset: usize, area: Rect, buf: &mut Buffer) {
    let rect = popup_rect(area);
    let lines = popup_lines(text, rect);
    boxed(
        theme,
        &format!("{title} ({})", closes()),
        lines,
        offset,
        rect,
        buf,
    );
}
