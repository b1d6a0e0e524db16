//! The signature pane: every tag of the selected DKIM-Signature as a row
//! (tag, value shortened, meaning), problems marked, and the raw field
//! below with the selected tag highlighted in place.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use ratatui::style::Style;

use super::{Text, safe, safe_bytes, shorten};
use crate::dkim::codes::{Diagnosis, Status, Warning};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::view::scroll::wrap;

/// How bad a tag's problem is: a diagnosis fails the signature, a warning
/// does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    Fail,
    Warn,
}

/// One problem the report found, on the tag it is about.
struct Problem {
    tag: &'static str,
    severity: Severity,
    code: &'static str,
    message: String,
}

/// The tag a diagnosis is about: the one to change to fix it.
fn diagnosis_tag(d: Diagnosis) -> Option<&'static str> {
    use Diagnosis::*;
    Some(match d {
        Pass | HeadersOnlyPass | NoSignature | SigMalformed | SigMissingTag => return None,
        SigBadVersion => "v",
        SigUnknownAlgorithm | SigSha1 | KeyAlgorithmMismatch | KeyHashNotAllowed => "a",
        SigFromNotSigned => "h",
        SigIdentityMismatch | KeyStrictSubdomain => "i",
        SigExpired => "x",
        // The selector names the key: its record's problems show here.
        KeyNotFound | KeyCnameDangling | KeyDnsError | KeyOfflineMissing | KeyRevoked
        | KeyMalformed | KeyTooShort | KeyServiceMismatch => "s",
        BodyHashMismatch => "bh",
        SignatureMismatch => "b",
    })
}

/// The tag a warning is about.
fn warning_tag(w: Warning) -> &'static str {
    match w {
        Warning::WeakKey1024 | Warning::TestingMode => "s",
        Warning::BodyLengthLimit => "l",
        Warning::FromNotOversigned => "h",
        Warning::FutureTimestamp => "t",
        Warning::NotAlignedWithFrom => "d",
    }
}

/// Every problem of the selected signature the report knows, by tag: the
/// tag list's own, the steps' diagnoses and the warnings. Before the
/// report lands, the tag list's own only.
fn problems(app: &App) -> Vec<Problem> {
    let Some(sig) = app.selected_sig() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in &sig.issues {
        let Some(t) = sig
            .tags
            .tags
            .iter()
            .find(|t| p.span.start < t.span.end && t.span.start <= p.span.start)
            .filter(|_| !(p.span.start == 0 && p.span.end == 0))
        else {
            continue;
        };
        let tag = TAGS.iter().find(|n| t.name == **n).copied().unwrap_or("");
        out.push(Problem {
            tag,
            severity: Severity::Fail,
            code: p.code.as_str(),
            message: p.message.clone(),
        });
    }
    let Some(check) = app.selected().map(|s| &s.check) else {
        return out;
    };
    for c in check.outcomes.iter().flat_map(|o| &o.candidates) {
        let Some(tag) = diagnosis_tag(c.diagnosis) else {
            continue;
        };
        if sig
            .issues
            .iter()
            .any(|i| i.code == c.diagnosis && i.message == c.reason)
        {
            continue; // the tag list's own, already listed
        }
        out.push(Problem {
            tag,
            severity: Severity::Fail,
            code: c.diagnosis.as_str(),
            message: c.reason.clone(),
        });
    }
    for (w, detail) in &check.warnings {
        out.push(Problem {
            tag: warning_tag(*w),
            severity: Severity::Warn,
            code: w.as_str(),
            message: detail.clone(),
        });
    }
    if sig.l.is_some() && !out.iter().any(|p| p.tag == "l") {
        out.push(Problem {
            tag: "l",
            severity: Severity::Warn,
            code: Warning::BodyLengthLimit.as_str(),
            message: "l= is set: text appended to the body later does not break the signature"
                .into(),
        });
    }
    out
}

/// What `e` explains on the selected tag: its worst problem when it has
/// one, the algorithm for `a=`, else the tag itself.
pub fn topic(app: &App) -> Option<String> {
    let sig = app.selected_sig()?;
    let tag = sig.tags.tags.get(app.tag_row)?;
    let mut mine: Vec<Problem> = problems(app)
        .into_iter()
        .filter(|p| p.tag == tag.name)
        .collect();
    mine.sort_by_key(|p| p.severity != Severity::Fail);
    let topic = match mine.first() {
        Some(p) => p.code.to_string(),
        None if tag.name == "a" => super::known_or(tag.text().to_ascii_lowercase(), "a"),
        None => tag.name.clone(),
    };
    Some(super::known_or(topic, "dkim-signature"))
}

/// The tag names a problem can be about (the span of a tag list's own
/// problem names one of them, or none).
const TAGS: &[&str] = &[
    "v", "a", "b", "bh", "c", "d", "h", "i", "l", "q", "s", "t", "x", "z",
];

/// The value column: `t=` and `x=` as dates with their age at the check
/// time, the others as written.
fn value(app: &App, name: &str, compact: &str) -> String {
    let secs = match name {
        "t" => app.selected_sig().and_then(|s| s.t),
        "x" => app.selected_sig().and_then(|s| s.x),
        _ => None,
    };
    match (secs, app.report().map(|r| r.now)) {
        (Some(secs), Some(now)) => format!(
            "{}, {}",
            crate::time::format_utc_minutes(secs),
            crate::time::relative(secs, now)
        ),
        (Some(secs), None) => crate::time::format_utc_minutes(secs),
        _ => compact.to_string(),
    }
}

/// The tag rows at `width`: the column header, each tag's rows (its
/// meaning or problems wrapped under the meaning column) and the tag
/// list's problems that have no tag. Also the range of rows of each tag.
fn list_lines(
    app: &App,
    theme: &Theme,
    focused: bool,
    width: usize,
) -> (Vec<Line<'static>>, Vec<std::ops::Range<usize>>) {
    let Some(sig) = app.selected_sig() else {
        return (Vec::new(), Vec::new());
    };
    let value_w = (width.saturating_sub(8) * 4 / 9).clamp(12, 60);
    let col = 1 + 5 + value_w + 2;
    let room = width.saturating_sub(col).max(12);
    let problems = problems(app);
    let mut lines = vec![Line::styled(
        format!(" {:<5}{:<w$}  {}", "tag", "value", "meaning", w = value_w),
        theme.dim(),
    )];
    let mut ranges = Vec::with_capacity(sig.tags.tags.len());
    for (i, t) in sig.tags.tags.iter().enumerate() {
        let first = lines.len();
        let mine: Vec<&Problem> = problems.iter().filter(|p| p.tag == t.name).collect();
        let worst = mine
            .iter()
            .map(|p| p.severity)
            .min_by_key(|s| *s != Severity::Fail);
        let (mark, mark_style) = match worst {
            Some(Severity::Fail) => ("✗", theme.problem()),
            Some(Severity::Warn) => ("⚠", theme.status(Status::Warn)),
            None => (" ", Style::new()),
        };
        // The meaning, or each problem as `code: message`.
        let mut meanings: Vec<(String, Style)> = mine
            .iter()
            .map(|p| {
                let style = match p.severity {
                    Severity::Fail => theme.problem(),
                    Severity::Warn => theme.status(Status::Warn),
                };
                (format!("{}: {}", p.code, safe(&p.message)), style)
            })
            .collect();
        if meanings.is_empty() {
            meanings.push((crate::tui::tag_meaning(&t.name), Style::new()));
        }
        let mut rows: Vec<Vec<Span<'static>>> = Vec::new();
        for (text, style) in meanings {
            // Continuation rows start at the meaning column itself: the
            // tag and value columns are the hanging indent.
            for piece in wrap(vec![Line::from(text)], room) {
                let piece = piece.to_string();
                rows.push(vec![Span::styled(piece.trim_start().to_string(), style)]);
            }
        }
        let shown = shorten(
            &safe(&value(app, &t.name, &safe_bytes(&t.compact()))),
            value_w,
        );
        for (k, rest) in rows.into_iter().enumerate() {
            let mut spans = if k == 0 {
                vec![
                    Span::styled(mark, mark_style),
                    Span::styled(format!("{:<5}", safe(&t.name)), theme.key()),
                    Span::raw(format!("{shown:<value_w$}  ")),
                ]
            } else {
                vec![Span::raw(" ".repeat(col))]
            };
            spans.extend(rest);
            let mut line = Line::from(spans);
            if i == app.tag_row {
                line = line.style(super::cursor(theme, focused));
            }
            lines.push(line);
        }
        ranges.push(first..lines.len());
    }
    for p in sig
        .issues
        .iter()
        .filter(|p| p.span.start == 0 && p.span.end == 0)
    {
        lines.extend(wrap(
            vec![Line::styled(
                format!(" {}: {}", p.code, safe(&p.message)),
                theme.problem(),
            )],
            width,
        ));
    }
    (lines, ranges)
}

/// The tags on top, the field as received below.
pub fn split(app: &App, area: Rect) -> (Option<Rect>, Option<Rect>) {
    if app.selected_sig().is_none() {
        return (None, Some(area));
    }
    let theme = Theme { color: false };
    let (lines, _) = list_lines(app, &theme, false, usize::from(area.width));
    let rows = u16::try_from(lines.len() + 1).unwrap_or(u16::MAX);
    let list_h = rows.min(area.height.saturating_sub(area.height / 3));
    let [list, raw] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(area);
    (Some(list), Some(raw))
}

pub fn render_list(app: &App, theme: &Theme, focused: bool, list: Rect, buf: &mut Buffer) {
    let (mut lines, ranges) = list_lines(app, theme, focused, usize::from(list.width));
    if lines.is_empty() {
        return;
    }
    let header = lines.remove(0);
    let rows = usize::from(list.height.saturating_sub(1));
    let total = lines.len();
    // Keep the selected tag's rows in view, a third of the way down.
    let offset = ranges.get(app.tag_row).map_or(0, |r| {
        let (a, b) = (r.start - 1, r.end - 1);
        let ideal = a.saturating_sub(rows / 3);
        let lowest = b.saturating_sub(rows);
        let offset = ideal
            .max(lowest)
            .min(super::scroll::max_offset(total, rows));
        // Start on a tag's first row, not in the middle of its meaning,
        // when that keeps the selected tag in view.
        ranges
            .iter()
            .map(|r| r.start - 1)
            .find(|s| *s >= offset)
            .filter(|s| *s <= a)
            .unwrap_or(offset)
    });
    let position = format!(
        "tag {}/{} · {}",
        app.tag_row + 1,
        ranges.len(),
        super::scroll::position(offset, rows, total)
    );
    let mut shown = vec![header];
    shown.extend(lines.into_iter().skip(offset).take(rows));
    Paragraph::new(shown).render(list, buf);
    let w = u16::try_from(position.chars().count() + 1).unwrap_or(u16::MAX);
    if list.width > w + 30 {
        let r = Rect {
            x: list.x + list.width - w,
            y: list.y,
            width: w,
            height: 1,
        };
        Paragraph::new(Line::styled(position, theme.dim())).render(r, buf);
    }
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
