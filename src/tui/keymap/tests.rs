use std::collections::HashSet;
use std::mem::discriminant;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::*;
use crate::tui::action::{Action, Pane, Part};
use crate::tui::app::{App, Overlay};

const MODES: [Mode; 2] = [Mode::Panes, Mode::Prompt];

/// Every key (with and without Ctrl), mouse event and paste worth trying.
fn inputs() -> Vec<Input<'static>> {
    let mut out = Vec::new();
    for mods in [KeyModifiers::NONE, KeyModifiers::CONTROL] {
        for c in ' '..='~' {
            out.push(Input::Key(KeyEvent::new(KeyCode::Char(c), mods)));
        }
        for code in [
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Backspace,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Delete,
            KeyCode::Insert,
            KeyCode::F(1),
        ] {
            out.push(Input::Key(KeyEvent::new(code, mods)));
        }
    }
    let tabs = std::iter::once(None).chain(Pane::ALL.map(Some));
    for tab in tabs {
        for kind in [
            MouseEventKind::ScrollUp,
            MouseEventKind::ScrollDown,
            MouseEventKind::Down(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Moved,
        ] {
            for over in [None, Some(Part::List), Some(Part::Detail)] {
                out.push(Input::Mouse { kind, tab, over });
            }
        }
    }
    out.push(Input::Paste("a: 1\r\rbody"));
    out
}

/// Whether a user makes this action happen (a key, click or paste), as
/// opposed to the app's own work. No wildcard: a new action must be placed.
fn from_input(a: &Action) -> bool {
    match a {
        Action::Analysed { .. }
        | Action::Status(_)
        | Action::Resize { .. }
        | Action::CaseSaved { .. } => false,
        Action::Quit
        | Action::QuitNow
        | Action::Into
        | Action::Explain
        | Action::SearchPrev
        | Action::PromptComplete
        | Action::NextPane
        | Action::PrevPane
        | Action::Focus(_)
        | Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::NextSignature
        | Action::PrevSignature
        | Action::Back
        | Action::Help
        | Action::Copy
        | Action::PasteClipboard
        | Action::OpenPrompt
        | Action::Search
        | Action::SearchNext
        | Action::ToggleCanonical
        | Action::Rerun
        | Action::SavePrompt
        | Action::PromptChar(_)
        | Action::PromptBackspace
        | Action::PromptSubmit
        | Action::Load { .. }
        | Action::ScrollUp(_)
        | Action::ScrollDown(_) => true,
    }
}

#[test]
fn every_row_is_a_real_binding_no_earlier_row_shadows() {
    for (n, b) in BINDINGS.iter().enumerate() {
        for mode in MODES.into_iter().filter(|m| b.mode.covers(*m)) {
            let hit = first_match(&b.example, mode).map(|(i, _)| i);
            assert_eq!(
                hit,
                Some(n),
                "`{}` ({mode:?}): its example input is not answered by its own row",
                b.keys.label()
            );
        }
    }
}

#[test]
fn no_key_is_listed_on_two_rows() {
    for mode in MODES {
        let mut seen = HashSet::new();
        for b in BINDINGS.iter().filter(|b| b.mode.covers(mode)) {
            let label = b.keys.label();
            // `/` alone is the search key, not a separator.
            let keys: Vec<&str> = match label.as_ref() {
                "/" => vec!["/"],
                l => l.split(['/', ' ']).collect(),
            };
            for key in keys {
                assert!(
                    seen.insert(key.to_string()),
                    "`{key}` is listed twice in {mode:?}"
                );
            }
        }
    }
}

#[test]
fn every_action_a_user_can_cause_has_a_binding() {
    let mut reached = HashSet::new();
    for mode in MODES {
        for input in inputs() {
            if let Some(a) = action_for(&input, mode) {
                assert!(from_input(&a), "{a:?} from {input:?}");
                reached.insert(discriminant(&a));
            }
        }
    }
    let every = [
        Action::Quit,
        Action::QuitNow,
        Action::Into,
        Action::Explain,
        Action::SearchPrev,
        Action::PromptComplete,
        Action::NextPane,
        Action::PrevPane,
        Action::Focus(Pane::Overview),
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::NextSignature,
        Action::PrevSignature,
        Action::Back,
        Action::Help,
        Action::Copy,
        Action::PasteClipboard,
        Action::OpenPrompt,
        Action::Search,
        Action::SearchNext,
        Action::ToggleCanonical,
        Action::Rerun,
        Action::SavePrompt,
        Action::PromptChar('x'),
        Action::PromptBackspace,
        Action::PromptSubmit,
        Action::Load {
            label: String::new(),
            bytes: Vec::new(),
        },
        Action::ScrollUp(None),
        Action::ScrollDown(None),
    ];
    for a in every.iter().filter(|a| from_input(a)) {
        assert!(reached.contains(&discriminant(a)), "no input gives {a:?}");
    }
}

#[test]
fn every_pane_has_its_number_key() {
    for (i, pane) in Pane::ALL.into_iter().enumerate() {
        assert_eq!(pane.index(), i, "Pane::ALL is in declaration order");
        let c = pane
            .key()
            .unwrap_or_else(|| panic!("{pane:?} has no number key"));
        assert!(
            matches!(action_for(&ch(c), Mode::Panes), Some(Action::Focus(p)) if p == pane),
            "{c} does not focus {pane:?}"
        );
    }
    assert_eq!(Keys::PaneNumbers.label(), format!("1-{}", Pane::ALL.len()));
    for c in ['0', char::from(b'1' + Pane::ALL.len() as u8)] {
        assert!(Pane::for_key(c).is_none(), "{c}");
    }
}

#[test]
fn prompts_take_letters_that_are_keys_elsewhere() {
    assert!(matches!(
        action_for(&ch('q'), Mode::Prompt),
        Some(Action::PromptChar('q'))
    ));
    assert!(matches!(
        action_for(&ctrl('c'), Mode::Prompt),
        Some(Action::QuitNow)
    ));
    assert!(matches!(
        action_for(&key(KeyCode::Esc), Mode::Prompt),
        Some(Action::Back)
    ));
}

/// The help overlay as rows of text.
fn help_screen() -> Vec<String> {
    let area = Rect::new(0, 0, 120, 50);
    let mut buf = Buffer::empty(area);
    let mut app = App::new(true, false);
    app.update(Action::Help);
    assert_eq!(app.overlay, Some(Overlay::Help));
    (&app).render(area, &mut buf);
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

#[test]
fn help_lists_every_binding_once() {
    let screen = help_screen();
    let width = keys_width();
    let mut listed = 0;
    for b in BINDINGS {
        let line = format!(" {:<width$}  {}", b.keys.label(), b.help);
        let n = screen.iter().filter(|row| row.contains(&line)).count();
        assert_eq!(n, 1, "`{line}` in the help:\n{}", screen.join("\n"));
        listed += n;
    }
    assert_eq!(listed, BINDINGS.len());
    assert!(screen.iter().any(|row| row.contains(PROMPT_HEADING)));
}

#[test]
fn keys_named_on_screen_are_bound() {
    for (wanted, keys) in [
        (
            (|a: &Action| matches!(a, Action::PasteClipboard)) as fn(&Action) -> bool,
            "p",
        ),
        (|a| matches!(a, Action::OpenPrompt), "o"),
        (|a| matches!(a, Action::Help), "?"),
        (|a| matches!(a, Action::Quit), "q"),
        (|a| matches!(a, Action::Back), "Esc h ←"),
        (|a| matches!(a, Action::Into), "Enter l →"),
        (|a| matches!(a, Action::Explain), "e"),
        (|a| matches!(a, Action::QuitNow), "Q"),
    ] {
        assert_eq!(keys_for(wanted), keys);
    }
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"))
}

/// The text of `readme` between two markers.
fn between<'a>(readme: &'a str, start: &str, end: &str) -> &'a str {
    let (_, rest) = readme
        .split_once(start)
        .unwrap_or_else(|| panic!("README.md lacks {start}"));
    let (inside, _) = rest
        .split_once(end)
        .unwrap_or_else(|| panic!("README.md lacks {end} after {start}"));
    inside
}

#[test]
fn readme_key_table_is_the_keymap() {
    let readme = readme();
    let table = between(&readme, "<!-- keys:start -->", "<!-- keys:end -->");
    let want = markdown_table();
    assert!(
        table.trim() == want.trim(),
        "README.md's key table is not the keymap's; put this between \
         <!-- keys:start --> and <!-- keys:end -->:\n\n{want}"
    );
}

#[test]
fn readme_names_every_pane_in_order() {
    const COUNT: [&str; 10] = [
        "No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
    ];
    let readme = readme();
    let prose = between(&readme, "## The interactive view", "<!-- keys:start -->");
    let count = COUNT[Pane::ALL.len()];
    assert!(
        prose.contains(&format!("{count} panes")),
        "README.md should say \"{count} panes\":\n{prose}"
    );
    let mut from = 0;
    for pane in Pane::ALL {
        let name = format!("**{}**", pane.title());
        let at = prose[from..]
            .find(&name)
            .unwrap_or_else(|| panic!("README.md does not name {name} after the pane before"));
        from += at + name.len();
    }
}
