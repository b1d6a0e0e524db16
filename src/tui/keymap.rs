//! Keys to actions, in one table: the help overlay and the key hints are
//! generated from it, so they never drift from what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// One binding: the keys as shown, what it does, and the action.
pub struct Binding {
    pub keys: &'static str,
    pub help: &'static str,
    /// Shown in the bottom hint line.
    pub hint: bool,
    make: fn() -> Action,
    matches: fn(&KeyEvent) -> bool,
}

fn plain(k: &KeyEvent, c: char) -> bool {
    k.code == KeyCode::Char(c) && !k.modifiers.contains(KeyModifiers::CONTROL)
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "q",
        help: "quit",
        hint: true,
        make: || Action::Quit,
        matches: |k| {
            plain(k, 'q')
                || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
        },
    },
    Binding {
        keys: "Tab/S-Tab",
        help: "next / previous pane",
        hint: true,
        make: || Action::NextPane,
        matches: |k| k.code == KeyCode::Tab,
    },
    Binding {
        keys: "S-Tab",
        help: "previous pane",
        hint: false,
        make: || Action::PrevPane,
        matches: |k| k.code == KeyCode::BackTab,
    },
    Binding {
        keys: "1-5",
        help: "go to pane 1-5",
        hint: false,
        make: || Action::Focus(super::action::Pane::Overview),
        matches: |_| false,
    },
    Binding {
        keys: "j/k ↓/↑",
        help: "move",
        hint: true,
        make: || Action::Down,
        matches: |k| plain(k, 'j') || k.code == KeyCode::Down,
    },
    Binding {
        keys: "k/↑",
        help: "move up",
        hint: false,
        make: || Action::Up,
        matches: |k| plain(k, 'k') || k.code == KeyCode::Up,
    },
    Binding {
        keys: "PgDn",
        help: "page down",
        hint: false,
        make: || Action::PageDown,
        matches: |k| {
            k.code == KeyCode::PageDown
                || (k.code == KeyCode::Char('d') && k.modifiers.contains(KeyModifiers::CONTROL))
        },
    },
    Binding {
        keys: "PgUp",
        help: "page up",
        hint: false,
        make: || Action::PageUp,
        matches: |k| {
            k.code == KeyCode::PageUp
                || (k.code == KeyCode::Char('u') && k.modifiers.contains(KeyModifiers::CONTROL))
        },
    },
    Binding {
        keys: "g/G",
        help: "top / bottom",
        hint: false,
        make: || Action::Top,
        matches: |k| plain(k, 'g') || k.code == KeyCode::Home,
    },
    Binding {
        keys: "G",
        help: "bottom",
        hint: false,
        make: || Action::Bottom,
        matches: |k| plain(k, 'G') || k.code == KeyCode::End,
    },
    Binding {
        keys: "]/[",
        help: "next / previous signature",
        hint: true,
        make: || Action::NextSignature,
        matches: |k| plain(k, ']'),
    },
    Binding {
        keys: "[",
        help: "previous signature",
        hint: false,
        make: || Action::PrevSignature,
        matches: |k| plain(k, '['),
    },
    Binding {
        keys: "Enter",
        help: "explain the tag / show the step",
        hint: true,
        make: || Action::Select,
        matches: |k| k.code == KeyCode::Enter,
    },
    Binding {
        keys: "c",
        help: "raw / canonical view",
        hint: false,
        make: || Action::ToggleCanonical,
        matches: |k| plain(k, 'c'),
    },
    Binding {
        keys: "y",
        help: "copy the selection",
        hint: true,
        make: || Action::Copy,
        matches: |k| plain(k, 'y'),
    },
    Binding {
        keys: "p",
        help: "paste a message from the clipboard",
        hint: false,
        make: || Action::PasteClipboard,
        matches: |k| plain(k, 'p'),
    },
    Binding {
        keys: "o",
        help: "open a file",
        hint: false,
        make: || Action::OpenPrompt,
        matches: |k| plain(k, 'o'),
    },
    Binding {
        keys: "r",
        help: "look the keys up again",
        hint: false,
        make: || Action::Rerun,
        matches: |k| plain(k, 'r'),
    },
    Binding {
        keys: "/",
        help: "search the headers",
        hint: false,
        make: || Action::Search,
        matches: |k| plain(k, '/'),
    },
    Binding {
        keys: "n",
        help: "next search match",
        hint: false,
        make: || Action::SearchNext,
        matches: |k| plain(k, 'n'),
    },
    Binding {
        keys: "?",
        help: "help",
        hint: true,
        make: || Action::Help,
        matches: |k| plain(k, '?'),
    },
    Binding {
        keys: "Esc",
        help: "close / quit",
        hint: false,
        make: || Action::Back,
        matches: |k| k.code == KeyCode::Esc,
    },
];

/// The action for a key, outside prompts.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    if let KeyCode::Char(c @ '1'..='8') = key.code {
        let i = c as usize - '1' as usize;
        return Some(Action::Focus(super::action::Pane::ALL[i]));
    }
    BINDINGS
        .iter()
        .find(|b| (b.matches)(key))
        .map(|b| (b.make)())
}

/// The action for a key while a prompt (open, search) takes input.
pub fn prompt_action(key: &KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Esc => Some(Action::Back),
        KeyCode::Enter => Some(Action::PromptSubmit),
        KeyCode::Backspace => Some(Action::PromptBackspace),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            Some(Action::PromptChar(c))
        }
        _ => None,
    }
}

/// The bottom line: `q quit · Tab next pane · ...`.
pub fn hints() -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.hint)
        .map(|b| (b.keys, b.help))
        .collect()
}

/// Every binding, for the help overlay.
pub fn help() -> Vec<(&'static str, &'static str)> {
    BINDINGS.iter().map(|b| (b.keys, b.help)).collect()
}
