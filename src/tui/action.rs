//! Every change of the UI's state is one of these. Keys map to them
//! (keymap.rs), background work reports through them, and tests drive the
//! app with them alone.

use crate::diagnose::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Overview,
    Signature,
    Trace,
    Key,
    Headers,
    /// Authentication-Results, DMARC and ARC.
    Auth,
    /// The Received chain.
    Hops,
    /// Microsoft 365 anti-spam headers.
    M365,
}

impl Pane {
    pub const ALL: [Pane; 8] = [
        Pane::Overview,
        Pane::Signature,
        Pane::Trace,
        Pane::Key,
        Pane::Headers,
        Pane::Auth,
        Pane::Hops,
        Pane::M365,
    ];

    /// Where the pane stands in [`Pane::ALL`], which is declaration order.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The number key that focuses the pane: `1` for the first; none past
    /// the ninth.
    pub fn key(self) -> Option<char> {
        u32::try_from(self.index() + 1)
            .ok()
            .and_then(|n| char::from_digit(n, 10))
    }

    /// The pane a number key focuses.
    pub fn for_key(c: char) -> Option<Pane> {
        let n = usize::try_from(c.to_digit(10)?).ok()?;
        Pane::ALL.get(n.checked_sub(1)?).copied()
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Overview => "Overview",
            Pane::Signature => "Signature",
            Pane::Trace => "Trace",
            Pane::Key => "Key",
            Pane::Headers => "Headers",
            Pane::Auth => "Auth",
            Pane::Hops => "Hops",
            Pane::M365 => "M365",
        }
    }
}

/// The two parts of a pane that has both: the list on the left (or top)
/// and the detail of its selected row. Panes with one part use the one
/// they have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    List,
    Detail,
}

impl Pane {
    /// Panes with a list whose rows are selected.
    pub fn has_list(self) -> bool {
        matches!(
            self,
            Pane::Overview | Pane::Signature | Pane::Trace | Pane::Headers
        )
    }

    /// Panes with a text that scrolls (alone, or beside the list).
    pub fn has_detail(self) -> bool {
        self != Pane::Headers
    }

    /// The part a pane's keys act on when `part` is asked for.
    pub fn part(self, part: Part) -> Part {
        match (self.has_list(), self.has_detail()) {
            (true, false) => Part::List,
            (false, true) => Part::Detail,
            _ => part,
        }
    }
}

#[derive(Debug)]
pub enum Action {
    /// Quit; from a pasted message, ask first.
    Quit,
    /// Quit at once.
    QuitNow,
    NextPane,
    PrevPane,
    Focus(Pane),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextSignature,
    PrevSignature,
    /// Explain the row under the cursor (a tag, a step, a field, a
    /// result word), or else the signature's diagnosis.
    Explain,
    /// Focus the detail of the selected row.
    Into,
    /// Close an overlay or prompt, or go from the detail back to the list.
    Back,
    Help,
    /// Copy what is selected.
    Copy,
    /// Take a message from the clipboard.
    PasteClipboard,
    /// Ask for a file path to open.
    OpenPrompt,
    /// Start a search in the headers pane.
    Search,
    SearchNext,
    SearchPrev,
    /// Toggle the raw / canonical view of headers and bodies.
    ToggleCanonical,
    /// Look the keys up again.
    Rerun,
    /// Ask for a folder to save the case in (the message and its answers).
    SavePrompt,
    /// The case was saved in `dir`; `command` replays it.
    CaseSaved {
        dir: String,
        command: String,
        answers: usize,
    },
    /// A key typed into the open prompt.
    PromptChar(char),
    PromptBackspace,
    PromptSubmit,
    /// Complete the path typed into the open-file prompt.
    PromptComplete,
    /// A message arrived (bracketed paste, file, clipboard, stdin).
    Load {
        label: String,
        bytes: Vec<u8>,
    },
    /// The analysis tagged `id` finished.
    Analysed {
        id: u64,
        report: Box<Report>,
    },
    /// A message for the status line (clipboard failures, errors).
    Status(String),
    /// The terminal's new size.
    Resize {
        width: u16,
        height: u16,
    },
    /// Mouse wheel, over a part of the pane when it is known.
    ScrollUp(Option<Part>),
    ScrollDown(Option<Part>),
}
