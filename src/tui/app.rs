//! The UI state and the one place it changes: [`App::update`]. Drawing only
//! reads it (view/), and slow work (DNS, clipboard, files) is asked for by
//! returning an [`Effect`] that the event loop carries out.

use std::sync::Arc;

use crate::diagnose::{Report, SignatureReport};
use crate::dkim::canon;
use crate::dkim::signature::{Canon, Signature};
use crate::message::{self, Message};

use super::action::{Action, Pane, Part};

mod select;

/// Work the event loop does for the app.
#[derive(Debug)]
pub enum Effect {
    /// Analyse `message` (DNS included) and report back as `Analysed { id }`;
    /// with `fresh`, first build the key source anew (the `--keys` files
    /// read again, no live answer kept).
    Analyse {
        id: u64,
        message: Arc<Message>,
        fresh: bool,
    },
    Copy(String),
    ReadClipboard,
    ReadFile(String),
    /// Write a case to its folder, then report `CaseSaved`.
    SaveCase(Case),
    Quit,
}

/// A case to hand on: the message as loaded and the answers its check
/// used, to be written side by side in `dir`.
#[derive(Debug, Clone)]
pub struct Case {
    pub dir: String,
    pub message: Arc<[u8]>,
    pub lookups: Vec<crate::dns::TxtLookup>,
    /// The command that replays the case, for the confirmation.
    pub command: String,
}

/// The file names of a saved case, in its folder.
pub const CASE_MESSAGE: &str = "message.eml";
pub const CASE_ANSWERS: &str = "answers.zone";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// An explanation: a title and its text.
    Explain {
        title: String,
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Open,
    Search,
    /// The folder to save the case in.
    Save,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

/// At most this much of a body is kept canonicalized to show.
pub const SHOW_BYTES: usize = 64 * 1024;

/// The start of a body as one canonicalization writes it, cut at a line
/// boundary: made once when the report lands, drawn as often as needed.
pub struct BodyView {
    pub canon: Canon,
    /// Raw body bytes the view covers (a prefix of the body).
    pub raw_len: usize,
    pub canonical: Vec<u8>,
}

impl BodyView {
    fn new(body: &[u8], canon: Canon) -> BodyView {
        let cut = body.len().min(SHOW_BYTES);
        let raw_len = body[..cut]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(cut, |p| p + 1);
        let mut canonical = Vec::new();
        canon::body(&body[..raw_len], canon, &mut canonical);
        BodyView {
            canon,
            raw_len,
            canonical,
        }
    }
}

/// The message on screen and, once the analysis lands, its report (which
/// shares the message: there is one copy).
pub struct Loaded {
    pub label: String,
    pub message: Arc<Message>,
    /// The bytes as loaded (a bounce's message is the one it carries;
    /// this is the whole bounce), for `w`.
    pub original: Arc<[u8]>,
    /// The canonical body views the signatures need, once analysed.
    pub body_views: Vec<BodyView>,
    /// The DKIM-Signature fields read at load time (shown while resolving).
    pub signatures: Vec<(usize, Signature)>,
    pub report: Option<Box<Report>>,
    /// The tag of the analysis whose result is awaited.
    pub pending: Option<u64>,
    /// Pasted or taken from the clipboard: quitting loses it, so `q` asks.
    pub pasted: bool,
}

/// The labels of messages that exist only in the app.
pub const PASTED: &str = "pasted message";
pub const CLIPBOARD: &str = "clipboard";

pub struct App {
    pub focus: Pane,
    /// Which part of a two-part pane the keys act on.
    pub part: Part,
    /// The scroll offset of each pane's text (by [`Pane::index`]), in
    /// screen rows.
    pub text: [usize; 8],
    /// The scroll offset of the help or explanation.
    pub overlay_scroll: usize,
    /// `q` was pressed once over a pasted message.
    pub confirm_quit: bool,
    pub offline: bool,
    pub color: bool,
    pub loaded: Option<Loaded>,
    /// Selected signature (index into the report's signatures).
    pub sig: usize,
    pub tag_row: usize,
    pub step_row: usize,
    pub header_row: usize,
    pub canonical: bool,
    pub overlay: Option<Overlay>,
    pub prompt: Option<Prompt>,
    pub search: Option<String>,
    pub status: Option<String>,
    /// The terminal's size, for mouse hit-testing and scroll limits.
    pub width: u16,
    pub height: u16,
    /// Options a replay of a saved case repeats (`--trust ...`), as
    /// shell words.
    pub replay_args: Vec<String>,
    next_id: u64,
}

const PAGE: usize = 10;

impl App {
    pub fn new(offline: bool, color: bool) -> App {
        App {
            focus: Pane::Overview,
            part: Part::List,
            text: [0; 8],
            overlay_scroll: 0,
            confirm_quit: false,
            offline,
            color,
            loaded: None,
            sig: 0,
            tag_row: 0,
            step_row: 0,
            header_row: 0,
            canonical: true,
            overlay: None,
            prompt: None,
            search: None,
            status: None,
            width: 80,
            height: 24,
            replay_args: Vec::new(),
            next_id: 0,
        }
    }

    pub fn report(&self) -> Option<&Report> {
        self.loaded.as_ref().and_then(|l| l.report.as_deref())
    }

    pub fn message(&self) -> Option<&Message> {
        self.loaded.as_ref().map(|l| &*l.message)
    }

    /// The start of the body canonicalized as `canon` does it.
    pub fn body_view(&self, canon: Canon) -> Option<&BodyView> {
        self.loaded
            .as_ref()?
            .body_views
            .iter()
            .find(|v| v.canon == canon)
    }

    /// The selected signature's full check, once analysed.
    pub fn selected(&self) -> Option<&SignatureReport> {
        self.report().and_then(|r| r.signatures.get(self.sig))
    }

    /// The selected signature as read at load time.
    pub fn selected_sig(&self) -> Option<&Signature> {
        match self.selected() {
            Some(s) => Some(&s.check.sig),
            None => self
                .loaded
                .as_ref()
                .and_then(|l| l.signatures.get(self.sig))
                .map(|(_, s)| s),
        }
    }

    pub fn signature_count(&self) -> usize {
        self.loaded.as_ref().map_or(0, |l| l.signatures.len())
    }

    pub fn resolving(&self) -> bool {
        self.loaded.as_ref().is_some_and(|l| l.pending.is_some())
    }

    /// Rows of a pane's list.
    fn rows(&self, pane: Pane) -> usize {
        match pane {
            Pane::Overview => self.signature_count(),
            Pane::Signature => self.selected_sig().map_or(0, |s| s.tags.tags.len()),
            Pane::Trace => self.selected().map_or(0, |s| s.check.steps.len()),
            Pane::Headers => self.message().map_or(0, |m| m.headers.len()),
            Pane::Key | Pane::Auth | Pane::Hops | Pane::M365 => 0,
        }
    }

    fn row_mut(&mut self, pane: Pane) -> Option<&mut usize> {
        match pane {
            Pane::Overview => Some(&mut self.sig),
            Pane::Signature => Some(&mut self.tag_row),
            Pane::Trace => Some(&mut self.step_row),
            Pane::Headers => Some(&mut self.header_row),
            Pane::Key | Pane::Auth | Pane::Hops | Pane::M365 => None,
        }
    }

    /// The part the scrolling keys act on now.
    pub fn active(&self) -> Part {
        self.focus.part(self.part)
    }

    /// Move what `part` of the focused pane shows by `delta` rows
    /// (`isize::MIN` / `isize::MAX` for the top and the bottom); over an
    /// open overlay, scroll the overlay.
    fn scroll(&mut self, part: Part, delta: isize) {
        if self.overlay.is_some() {
            let (total, rows) = super::view::overlay_extent(self);
            let max = total.saturating_sub(rows);
            self.overlay_scroll = self.overlay_scroll.saturating_add_signed(delta).min(max);
            return;
        }
        let pane = self.focus;
        match pane.part(part) {
            Part::List => {
                let max = self.rows(pane).saturating_sub(1);
                let Some(row) = self.row_mut(pane) else {
                    return;
                };
                let before = *row;
                *row = row.saturating_add_signed(delta).min(max);
                if *row != before {
                    self.selection_changed(pane);
                }
            }
            Part::Detail => {
                // A text pane's cursor goes on to its last row (what `e`
                // explains), the view stopping at the last screenful; a
                // detail beside a list stops with its view.
                let max =
                    super::view::text_extent(self, pane).map_or(usize::MAX, |(total, rows)| {
                        if pane.has_list() {
                            total.saturating_sub(rows)
                        } else {
                            total.saturating_sub(1)
                        }
                    });
                let t = &mut self.text[pane.index()];
                *t = t.saturating_add_signed(delta).min(max);
            }
        }
    }

    /// A page for the active part: the rows its box shows.
    fn page(&self, part: Part) -> isize {
        let rows = if self.overlay.is_some() {
            super::view::overlay_extent(self).1
        } else {
            match self.focus.part(part) {
                Part::Detail => super::view::text_extent(self, self.focus).map_or(PAGE, |e| e.1),
                Part::List => PAGE,
            }
        };
        isize::try_from(rows.saturating_sub(1).max(1)).unwrap_or(1)
    }

    /// After the list's selection moved: the detail starts over, on the
    /// evidence of the new row.
    fn selection_changed(&mut self, pane: Pane) {
        match pane {
            Pane::Overview => {
                self.tag_row = 0;
                self.step_row = self.first_failing_step();
                self.text = [0; 8];
                self.text[Pane::Trace.index()] = super::view::trace_anchor(self);
            }
            Pane::Trace => {
                self.text[Pane::Trace.index()] = super::view::trace_anchor(self);
            }
            _ => self.text[pane.index()] = 0,
        }
    }

    /// The step that decided a failing signature, else the first. When
    /// localization names a changed header field, the headers step: that
    /// is where the change shows.
    fn first_failing_step(&self) -> usize {
        use crate::dkim::codes::{Status, Step};
        use crate::dkim::localize::Evidence;
        let Some(s) = self.selected() else { return 0 };
        let steps = &s.check.steps;
        let field_changed = s
            .check
            .findings
            .iter()
            .any(|f| matches!(f.evidence, Evidence::Tag { .. } | Evidence::Field { .. }));
        field_changed
            .then(|| steps.iter().position(|st| st.step == Step::Headers))
            .flatten()
            .or_else(|| steps.iter().position(|st| st.status == Status::Fail))
            .unwrap_or(0)
    }

    fn load(&mut self, label: String, bytes: Vec<u8>) -> Option<Effect> {
        let original: Arc<[u8]> = Arc::from(bytes.as_slice());
        let message = Arc::new(message::parse(bytes));
        let signatures = message
            .fields("DKIM-Signature")
            .take(crate::diagnose::MAX_SIGNATURES)
            .map(|(i, h)| (i, Signature::parse(message.value_bytes(h))))
            .collect();
        self.next_id += 1;
        let id = self.next_id;
        self.status = Some(format!("loaded {}", crate::sanitize::visible(&label)));
        let pasted = label == PASTED || label == CLIPBOARD;
        self.loaded = Some(Loaded {
            pasted,
            label,
            original,
            message: message.clone(),
            body_views: Vec::new(),
            signatures,
            report: None,
            pending: Some(id),
        });
        (self.sig, self.tag_row, self.step_row, self.header_row) = (0, 0, 0, 0);
        self.text = [0; 8];
        self.overlay = None;
        Some(Effect::Analyse {
            id,
            message,
            fresh: false,
        })
    }

    /// Apply one action; return the work it asks for.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if let Some(prompt) = self.prompt.as_mut() {
            match action {
                Action::PromptChar(c) => {
                    prompt.text.push(c);
                    return None;
                }
                Action::PromptBackspace => {
                    prompt.text.pop();
                    return None;
                }
                Action::PromptComplete => {
                    if matches!(prompt.kind, PromptKind::Open | PromptKind::Save) {
                        let (text, note) = select::complete_path(&prompt.text);
                        prompt.text = text;
                        self.status = note;
                    }
                    return None;
                }
                Action::Back => {
                    self.prompt = None;
                    return None;
                }
                Action::PromptSubmit => {
                    let Prompt { kind, text } = self.prompt.take()?;
                    return match kind {
                        PromptKind::Open if !text.trim().is_empty() => {
                            Some(Effect::ReadFile(select::expand_home(text.trim())))
                        }
                        PromptKind::Open => None,
                        PromptKind::Save => self.save_case(&text),
                        PromptKind::Search => {
                            self.search = (!text.is_empty()).then_some(text);
                            self.focus = Pane::Headers;
                            self.search_step(true, true);
                            None
                        }
                    };
                }
                _ => {}
            }
        }
        let confirm = std::mem::take(&mut self.confirm_quit);
        match action {
            Action::Quit => {
                if self.overlay.take().is_some() {
                    self.overlay_scroll = 0;
                } else if confirm || !self.loaded.as_ref().is_some_and(|l| l.pasted) {
                    return Some(Effect::Quit);
                } else {
                    self.confirm_quit = true;
                    self.status = Some(format!(
                        "quit and lose the pasted message? {} again quits, {} quits at once",
                        super::keymap::keys_for(|a| matches!(a, Action::Quit)),
                        super::keymap::keys_for(|a| matches!(a, Action::QuitNow)),
                    ));
                }
            }
            Action::QuitNow => return Some(Effect::Quit),
            Action::Back => {
                if self.overlay.take().is_some() {
                    self.overlay_scroll = 0;
                } else {
                    self.part = Part::List;
                }
            }
            Action::Into => {
                if self.overlay.is_none() {
                    if self.focus.has_list() && self.focus.has_detail() {
                        self.part = Part::Detail;
                    } else {
                        self.explain_selection();
                    }
                }
            }
            Action::Help => {
                self.overlay_scroll = 0;
                self.overlay = match self.overlay {
                    Some(Overlay::Help) => None,
                    _ => Some(Overlay::Help),
                }
            }
            Action::NextPane | Action::PrevPane => {
                let i = self.focus.index();
                let n = Pane::ALL.len();
                let j = if matches!(action, Action::NextPane) {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.focus_pane(Pane::ALL[j]);
            }
            Action::Focus(p) => self.focus_pane(p),
            Action::Up => self.scroll(self.active(), -1),
            Action::Down => self.scroll(self.active(), 1),
            Action::ScrollUp(part) => self.scroll(part.unwrap_or(self.active()), -3),
            Action::ScrollDown(part) => self.scroll(part.unwrap_or(self.active()), 3),
            Action::PageUp => self.scroll(self.active(), -self.page(self.active())),
            Action::PageDown => self.scroll(self.active(), self.page(self.active())),
            Action::Top => self.scroll(self.active(), isize::MIN),
            Action::Bottom => self.scroll(self.active(), isize::MAX),
            Action::NextSignature | Action::PrevSignature => {
                let n = self.signature_count();
                if n > 0 {
                    self.sig = if matches!(action, Action::NextSignature) {
                        (self.sig + 1) % n
                    } else {
                        (self.sig + n - 1) % n
                    };
                    self.selection_changed(Pane::Overview);
                }
            }
            Action::Explain => self.explain_selection(),
            Action::Copy => match self.copy_selection() {
                Some(text) => return Some(Effect::Copy(text)),
                None => self.status = Some("nothing to copy here yet".into()),
            },
            Action::PasteClipboard => return Some(Effect::ReadClipboard),
            Action::OpenPrompt => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Open,
                    text: String::new(),
                })
            }
            Action::Search => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Search,
                    text: String::new(),
                })
            }
            Action::SavePrompt => {
                if self.report().is_some() && !self.resolving() {
                    self.prompt = Some(Prompt {
                        kind: PromptKind::Save,
                        text: String::new(),
                    });
                } else {
                    self.status = Some(if self.loaded.is_some() {
                        "nothing to save until the check has its answers".into()
                    } else {
                        "nothing to save: load a message first".into()
                    });
                }
            }
            Action::CaseSaved {
                dir,
                command,
                answers,
            } => {
                // Typed text: shown, never sent raw.
                let dir = crate::sanitize::visible(&dir).into_owned();
                let command = crate::sanitize::visible(&command).into_owned();
                self.status = Some(format!("case saved in {dir}"));
                self.overlay_scroll = 0;
                self.overlay = Some(Overlay::Explain {
                    title: "Case saved".into(),
                    text: format!(
                        "In {dir}:\n  {CASE_MESSAGE:<13} the message as loaded\n  {CASE_ANSWERS:<13} {}, recorded now\n\nOn any machine, this replays the same check without DNS:\n\n{command}",
                        crate::plural::count(answers, "DNS answer", "DNS answers"),
                    ),
                });
            }
            Action::SearchNext => self.search_step(true, false),
            Action::SearchPrev => self.search_step(false, false),
            Action::ToggleCanonical => {
                self.canonical = !self.canonical;
                self.text[Pane::Trace.index()] = super::view::trace_anchor(self);
            }
            Action::Rerun => {
                let loaded = self.loaded.as_mut()?;
                self.status = Some(if self.offline {
                    "offline: re-read the --keys files and checked again (no DNS)".into()
                } else {
                    "looking the keys up again (and the --keys files read again)…".into()
                });
                self.next_id += 1;
                loaded.pending = Some(self.next_id);
                return Some(Effect::Analyse {
                    id: self.next_id,
                    message: loaded.message.clone(),
                    fresh: true,
                });
            }
            Action::Load { label, bytes } => return self.load(label, bytes),
            Action::Analysed { id, report } => self.analysed(id, report),
            Action::Status(s) => self.status = Some(s),
            Action::Resize { width, height } => (self.width, self.height) = (width, height),
            Action::PromptChar(_)
            | Action::PromptBackspace
            | Action::PromptSubmit
            | Action::PromptComplete => {}
        }
        None
    }

    /// The case shown, to be saved in the folder `typed`.
    fn save_case(&mut self, typed: &str) -> Option<Effect> {
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        let dir = select::expand_home(typed);
        let loaded = self.loaded.as_ref()?;
        let report = loaded.report.as_deref()?;
        let path =
            |file: &str| shell_word(&std::path::Path::new(&dir).join(file).display().to_string());
        let mut words = vec![
            "dkimscope check --keys".to_string(),
            path(CASE_ANSWERS),
            "--offline --at".to_string(),
            crate::dns::record::rfc3339(report.now),
        ];
        words.extend(self.replay_args.iter().cloned());
        words.push(path(CASE_MESSAGE));
        Some(Effect::SaveCase(Case {
            dir,
            message: loaded.original.clone(),
            lookups: report.lookups.clone(),
            command: words.join(" "),
        }))
    }

    fn focus_pane(&mut self, pane: Pane) {
        self.focus = pane;
        self.part = Part::List;
        self.overlay = None;
    }

    fn analysed(&mut self, id: u64, report: Box<Report>) {
        let Some(l) = self.loaded.as_mut().filter(|l| l.pending == Some(id)) else {
            return;
        };
        let first = l.report.is_none();
        l.message = report.message.clone();
        let mut canons: Vec<Canon> = report
            .signatures
            .iter()
            .map(|s| s.check.sig.body_canon)
            .collect();
        canons.sort_by_key(|c| c.name());
        canons.dedup();
        l.body_views = match l.message.body_bytes() {
            Some(body) => canons.into_iter().map(|c| BodyView::new(body, c)).collect(),
            None => Vec::new(),
        };
        l.report = Some(report);
        l.pending = None;
        self.sig = self.sig.min(l.signatures.len().saturating_sub(1));
        if first {
            // The trace opens on the step that failed, its evidence in view.
            self.step_row = self.first_failing_step();
            self.text[Pane::Trace.index()] = super::view::trace_anchor(self);
        }
    }
}

/// `text` as one shell word: as is when it is plain, else in single quotes.
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
