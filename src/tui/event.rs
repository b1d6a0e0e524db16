//! Terminal events to actions: keys, mouse and bracketed paste all go
//! through the keymap, in the prompt's mode while a prompt is open; this
//! file only works out which pane tab the mouse is over.

use ratatui::crossterm::event::{Event, KeyEventKind};

use super::action::{Action, Pane};
use super::app::App;
use super::keymap::{self, Input, Mode};

pub fn translate(app: &App, event: Event) -> Option<Action> {
    let mode = if app.prompt.is_some() {
        Mode::Prompt
    } else {
        Mode::Panes
    };
    let input = match &event {
        Event::Key(k) if k.kind != KeyEventKind::Release => Input::Key(*k),
        Event::Mouse(m) => Input::Mouse {
            kind: m.kind,
            tab: (app.loaded.is_some() && m.row == super::view::tab_row(app))
                .then(|| tab_at(m.column))
                .flatten(),
            over: super::view::part_at(app, m.column, m.row),
        },
        Event::Paste(text) => Input::Paste(text),
        Event::Resize(w, h) => {
            return Some(Action::Resize {
                width: *w,
                height: *h,
            });
        }
        _ => return None,
    };
    keymap::action_for(&input, mode)
}

/// Terminals (and tmux) deliver pasted line ends as CR, so CRLF text
/// arrives as CR CR. Without any LF in the paste: when every run of CRs is
/// of even length the text had CRLF line ends and each CR pair is one line
/// end; otherwise each CR is one. A paste with LFs is taken as it is.
pub fn paste_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    if bytes.contains(&b'\n') {
        return bytes.to_vec();
    }
    let runs_even = bytes
        .split(|b| *b != b'\r')
        .filter(|run| !run.is_empty())
        .all(|run| run.len() % 2 == 0);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' {
            out.push(b'\n');
            i += if runs_even { 2 } else { 1 };
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Which tab a column falls in (tabs are titles separated by `│`).
fn tab_at(column: u16) -> Option<Pane> {
    let mut x = 0u16;
    for p in Pane::ALL.iter() {
        let w = (p.title().len() + 3) as u16;
        if column < x + w {
            return Some(*p);
        }
        x += w;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn pasted_cr_line_ends_become_lf() {
        assert_eq!(
            super::paste_bytes("a: 1\rb: 2\r\rbody"),
            b"a: 1\nb: 2\n\nbody"
        );
        assert_eq!(super::paste_bytes("a: 1\r\nb: 2"), b"a: 1\r\nb: 2");
        // CRLF text pasted through a terminal: CR CR per line end.
        assert_eq!(
            super::paste_bytes("a: 1\r\rb: 2\r\r\r\rbody\r\r"),
            b"a: 1\nb: 2\n\nbody\n"
        );
    }
}
