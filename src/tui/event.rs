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
            bytes: text.into_bytes(),
        }),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            // The tab row is the fourth line (title, two headline lines).
            MouseEventKind::Down(MouseButton::Left) if app.loaded.is_some() && m.row <= 3 => {
                tab_at(m.column).map(Action::Focus)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Which tab a column falls in (tabs are `N Title` separated by `│`).
fn tab_at(column: u16) -> Option<Pane> {
    let mut x = 0u16;
    for (i, p) in Pane::ALL.iter().enumerate() {
        let w = (format!("{} {}", i + 1, p.title()).len() + 3) as u16;
        if column < x + w {
            return Some(*p);
        }
        x += w;
    }
    None
}
