//! Terminal events to actions: keys through the keymap (or the prompt),
//! bracketed paste as a message to load, the mouse wheel and clicks on the
//! pane tabs.

use ratatui::crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};

use super::action::{Action, Pane};
use super::app::App;
use super::keymap;

pub fn translate(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            if app.prompt.is_some() {
                keymap::prompt_action(&k)
            } else {
                keymap::action_for(&k)
            }
        }
        Event::Paste(text) => Some(Action::Load {
            label: "pasted message".into(),
            bytes: paste_bytes(text),
        }),
        Event::Resize(_, h) => Some(Action::Resize(h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::Down(MouseButton::Left)
                if app.loaded.is_some() && m.row == super::view::tab_row(app.height) =>
            {
                tab_at(m.column).map(Action::Focus)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Terminals (and tmux) deliver pasted line ends as CR, so CRLF text
/// arrives as CR CR. Without any LF in the paste: when every run of CRs is
/// of even length the text had CRLF line ends and each CR pair is one line
/// end; otherwise each CR is one. A paste with LFs is taken as it is.
pub fn paste_bytes(text: String) -> Vec<u8> {
    let bytes = text.into_bytes();
    if bytes.contains(&b'\n') {
        return bytes;
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
            super::paste_bytes("a: 1\rb: 2\r\rbody".into()),
            b"a: 1\nb: 2\n\nbody"
        );
        assert_eq!(super::paste_bytes("a: 1\r\nb: 2".into()), b"a: 1\r\nb: 2");
        // CRLF text pasted through a terminal: CR CR per line end.
        assert_eq!(
            super::paste_bytes("a: 1\r\rb: 2\r\r\r\rbody\r\r".into()),
            b"a: 1\nb: 2\n\nbody\n"
        );
    }
}
