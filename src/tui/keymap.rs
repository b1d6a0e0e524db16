//! Keys to actions, in one table. Every key, click and paste the app reacts
//! to goes through [`BINDINGS`], and everything that names a key is
//! generated from it: the help overlay, the bottom hints, the keys named on
//! screen and README.md's key table. So what is shown never drifts from
//! what the keys do.

use std::borrow::Cow;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};

use super::action::{Action, Pane, Part};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Over the panes and their overlays.
    Panes,
    /// While the open-file, search or save prompt takes text.
    Prompt,
    /// In both.
    Always,
}

impl Mode {
    fn covers(self, now: Mode) -> bool {
        self == now || self == Mode::Always
    }
}

/// An input as the keymap sees it.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Key(KeyEvent),
    /// A mouse event; `tab` is the pane whose tab it is over, if any;
    /// `over` the part of the pane it is over.
    Mouse {
        kind: MouseEventKind,
        tab: Option<Pane>,
        over: Option<Part>,
    },
    /// Text pasted into the terminal.
    Paste(&'a str),
}

/// How a binding's keys are written.
pub enum Keys {
    Text(&'static str),
    /// An input that is not a key: a click, the wheel, a paste.
    Words(&'static str),
    /// The pane number keys, from [`Pane::ALL`]: `1-8`.
    PaneNumbers,
}

impl Keys {
    pub fn label(&self) -> Cow<'static, str> {
        match self {
            Keys::Text(t) | Keys::Words(t) => Cow::Borrowed(t),
            Keys::PaneNumbers => {
                let last = Pane::ALL.iter().rev().find_map(|p| p.key()).unwrap_or('1');
                Cow::Owned(format!("1-{last}"))
            }
        }
    }
}

/// One row of the table: the keys as shown, what they do, and the action
/// each input they cover maps to.
pub struct Binding {
    pub mode: Mode,
    pub keys: Keys,
    pub help: &'static str,
    /// Shown in the bottom hint line, in these words.
    pub hint: Option<&'static str>,
    /// One input the row answers: what [`keys_for`] asks it, and what the
    /// tests check no earlier row takes.
    example: Input<'static>,
    action: fn(&Input) -> Option<Action>,
}

const fn key(code: KeyCode) -> Input<'static> {
    Input::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

const fn ch(c: char) -> Input<'static> {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Input<'static> {
    Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The key pressed, unless it is a character typed with Ctrl.
fn code(i: &Input) -> Option<KeyCode> {
    match i {
        Input::Key(k) if !(matches!(k.code, KeyCode::Char(_)) && is_ctrl(k)) => Some(k.code),
        _ => None,
    }
}

/// The character typed with Ctrl, if that is the input.
fn ctrl_char(i: &Input) -> Option<char> {
    match i {
        Input::Key(k) if is_ctrl(k) => match k.code {
            KeyCode::Char(c) => Some(c),
            _ => None,
        },
        _ => None,
    }
}

fn is_ctrl(k: &KeyEvent) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL)
}

/// `action` when the input is the character `c` (without Ctrl).
fn on(i: &Input, c: char, action: Action) -> Option<Action> {
    (code(i) == Some(KeyCode::Char(c))).then_some(action)
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("q"),
        help: "close the popup; else quit (asks once over a pasted message)",
        hint: Some("quit"),
        example: ch('q'),
        action: |i| on(i, 'q', Action::Quit),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("Q"),
        help: "quit at once",
        hint: None,
        example: ch('Q'),
        action: |i| on(i, 'Q', Action::QuitNow),
    },
    Binding {
        mode: Mode::Always,
        keys: Keys::Text("C-c"),
        help: "quit at once, from a prompt too",
        hint: None,
        example: ctrl('c'),
        action: |i| (ctrl_char(i) == Some('c')).then_some(Action::QuitNow),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("Tab/S-Tab"),
        help: "next / previous pane",
        hint: Some("pane"),
        example: key(KeyCode::Tab),
        action: |i| match code(i)? {
            KeyCode::Tab => Some(Action::NextPane),
            KeyCode::BackTab => Some(Action::PrevPane),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::PaneNumbers,
        help: "go to a pane by its number",
        hint: None,
        example: ch('1'),
        action: |i| match code(i)? {
            KeyCode::Char(c) => Pane::for_key(c).map(Action::Focus),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Always,
        keys: Keys::Words("click a tab"),
        help: "go to that pane",
        hint: None,
        example: Input::Mouse {
            kind: MouseEventKind::Down(MouseButton::Left),
            tab: Some(Pane::Overview),
            over: None,
        },
        action: |i| match i {
            Input::Mouse {
                kind: MouseEventKind::Down(MouseButton::Left),
                tab: Some(p),
                ..
            } => Some(Action::Focus(*p)),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("Enter l →"),
        help: "focus the detail (the evidence) of the selected row",
        hint: Some("detail"),
        example: key(KeyCode::Enter),
        action: |i| match code(i)? {
            KeyCode::Enter | KeyCode::Char('l') | KeyCode::Right => Some(Action::Into),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("Esc h ←"),
        help: "back: close the popup, or from the detail to the list",
        hint: Some("back"),
        example: key(KeyCode::Esc),
        action: |i| match code(i)? {
            KeyCode::Esc | KeyCode::Char('h') | KeyCode::Left => Some(Action::Back),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("j/k ↓/↑"),
        help: "move in the focused part (list, detail or popup)",
        hint: Some("move"),
        example: ch('j'),
        action: |i| match code(i)? {
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Always,
        keys: Keys::Words("wheel"),
        help: "scroll the part under the mouse",
        hint: None,
        example: Input::Mouse {
            kind: MouseEventKind::ScrollDown,
            tab: None,
            over: None,
        },
        action: |i| match i {
            Input::Mouse {
                kind: MouseEventKind::ScrollUp,
                over,
                ..
            } => Some(Action::ScrollUp(*over)),
            Input::Mouse {
                kind: MouseEventKind::ScrollDown,
                over,
                ..
            } => Some(Action::ScrollDown(*over)),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("PgDn/PgUp C-d/C-u"),
        help: "page down / up",
        hint: None,
        example: key(KeyCode::PageDown),
        action: |i| match (code(i), ctrl_char(i)) {
            (Some(KeyCode::PageDown), _) | (_, Some('d')) => Some(Action::PageDown),
            (Some(KeyCode::PageUp), _) | (_, Some('u')) => Some(Action::PageUp),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("g/G Home/End"),
        help: "top / bottom",
        hint: None,
        example: ch('g'),
        action: |i| match code(i)? {
            KeyCode::Char('g') | KeyCode::Home => Some(Action::Top),
            KeyCode::Char('G') | KeyCode::End => Some(Action::Bottom),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("]/["),
        help: "next / previous signature",
        hint: None,
        example: ch(']'),
        action: |i| match code(i)? {
            KeyCode::Char(']') => Some(Action::NextSignature),
            KeyCode::Char('[') => Some(Action::PrevSignature),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("e"),
        help: "explain the row under the cursor (tag, step, field, result word)",
        hint: Some("explain"),
        example: ch('e'),
        action: |i| on(i, 'e', Action::Explain),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("c"),
        help: "raw / canonical view of headers and body",
        hint: None,
        example: ch('c'),
        action: |i| on(i, 'c', Action::ToggleCanonical),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("y"),
        help: "copy the selection (no system clipboard: OSC 52 to the terminal)",
        hint: None,
        example: ch('y'),
        action: |i| on(i, 'y', Action::Copy),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("p"),
        help: "load a message from the clipboard (none: paste with the terminal)",
        hint: None,
        example: ch('p'),
        action: |i| on(i, 'p', Action::PasteClipboard),
    },
    Binding {
        mode: Mode::Always,
        keys: Keys::Words("paste"),
        help: "load the pasted message in place of the one shown",
        hint: None,
        example: Input::Paste(""),
        action: |i| match i {
            Input::Paste(text) => Some(Action::Load {
                label: super::app::PASTED.into(),
                bytes: super::event::paste_bytes(text),
            }),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("o"),
        help: "open a file",
        hint: None,
        example: ch('o'),
        action: |i| on(i, 'o', Action::OpenPrompt),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("/"),
        help: "search the headers",
        hint: None,
        example: ch('/'),
        action: |i| on(i, '/', Action::Search),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("n/N"),
        help: "next / previous search match",
        hint: None,
        example: ch('n'),
        action: |i| match code(i)? {
            KeyCode::Char('n') => Some(Action::SearchNext),
            KeyCode::Char('N') => Some(Action::SearchPrev),
            _ => None,
        },
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("r"),
        help: "look the keys up again (offline: re-read the --keys files)",
        hint: None,
        example: ch('r'),
        action: |i| on(i, 'r', Action::Rerun),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("w"),
        help: "save the case (the message and the DNS answers it used) in a folder, to replay anywhere",
        hint: None,
        example: ch('w'),
        action: |i| on(i, 'w', Action::SavePrompt),
    },
    Binding {
        mode: Mode::Panes,
        keys: Keys::Text("?"),
        help: "help",
        hint: Some("help"),
        example: ch('?'),
        action: |i| on(i, '?', Action::Help),
    },
    Binding {
        mode: Mode::Prompt,
        keys: Keys::Text("Enter"),
        help: "open the file / search / save the case",
        hint: None,
        example: key(KeyCode::Enter),
        action: |i| (code(i) == Some(KeyCode::Enter)).then_some(Action::PromptSubmit),
    },
    Binding {
        mode: Mode::Prompt,
        keys: Keys::Text("Esc"),
        help: "cancel",
        hint: None,
        example: key(KeyCode::Esc),
        action: |i| (code(i) == Some(KeyCode::Esc)).then_some(Action::Back),
    },
    Binding {
        mode: Mode::Prompt,
        keys: Keys::Text("Tab"),
        help: "complete the file or folder path (~ is your home)",
        hint: None,
        example: key(KeyCode::Tab),
        action: |i| (code(i) == Some(KeyCode::Tab)).then_some(Action::PromptComplete),
    },
    Binding {
        mode: Mode::Prompt,
        keys: Keys::Text("Backspace"),
        help: "delete the last character",
        hint: None,
        example: key(KeyCode::Backspace),
        action: |i| (code(i) == Some(KeyCode::Backspace)).then_some(Action::PromptBackspace),
    },
    Binding {
        mode: Mode::Prompt,
        keys: Keys::Words("characters"),
        help: "type into the prompt",
        hint: None,
        example: ch('x'),
        action: |i| match code(i)? {
            KeyCode::Char(c) => Some(Action::PromptChar(c)),
            _ => None,
        },
    },
];

/// The heading of the prompt's bindings in the help and README.md.
pub const PROMPT_HEADING: &str = "In the open-file, search and save prompts:";

/// The first row that takes `input` in `mode`, with its action.
fn first_match(input: &Input, mode: Mode) -> Option<(usize, Action)> {
    BINDINGS
        .iter()
        .enumerate()
        .filter(|(_, b)| b.mode.covers(mode))
        .find_map(|(n, b)| (b.action)(input).map(|a| (n, a)))
}

/// The action for an input in `mode`.
pub fn action_for(input: &Input, mode: Mode) -> Option<Action> {
    first_match(input, mode).map(|(_, a)| a)
}

/// The keys of the first binding whose action passes `wanted`, for text
/// that names a key ("o opens a file"); the panes' bindings come first.
pub fn keys_for(wanted: fn(&Action) -> bool) -> Cow<'static, str> {
    let (panes, prompt) = groups();
    panes
        .into_iter()
        .chain(prompt)
        .find(|b| (b.action)(&b.example).is_some_and(|a| wanted(&a)))
        .map_or(Cow::Borrowed(""), |b| b.keys.label())
}

/// The bottom line: `q quit  Tab pane  ...`, each with its first key.
pub fn hints() -> Vec<(Cow<'static, str>, &'static str)> {
    BINDINGS
        .iter()
        .filter_map(|b| {
            let label = b.keys.label();
            let first = match label.split_once(' ') {
                Some((first, _)) => Cow::Owned(first.to_string()),
                None => label,
            };
            Some((first, b.hint?))
        })
        .collect()
}

/// Every binding, in the order the help and README.md show them: those
/// over the panes (with those that apply everywhere), then the prompt's.
pub fn groups() -> (Vec<&'static Binding>, Vec<&'static Binding>) {
    BINDINGS.iter().partition(|b| b.mode != Mode::Prompt)
}

/// The widest keys label, in characters, to align the help.
pub fn keys_width() -> usize {
    BINDINGS
        .iter()
        .map(|b| b.keys.label().chars().count())
        .max()
        .unwrap_or(0)
}

/// README.md's key table, between its `<!-- keys:start -->` and
/// `<!-- keys:end -->` comments.
pub fn markdown_table() -> String {
    fn table(out: &mut String, rows: &[&Binding]) {
        out.push_str("| keys | action |\n|---|---|\n");
        for b in rows {
            let keys = match b.keys {
                Keys::Words(w) => w.to_string(),
                _ => format!("`{}`", b.keys.label()),
            };
            out.push_str(&format!("| {keys} | {} |\n", b.help));
        }
    }
    let (panes, prompt) = groups();
    let mut out = String::new();
    table(&mut out, &panes);
    out.push_str(&format!("\n{PROMPT_HEADING}\n\n"));
    table(&mut out, &prompt);
    out
}

#[cfg(test)]
mod tests;
