//! The UI state and the one place it changes: [`App::update`]. Drawing only
//! reads it (view/), and slow work (DNS, clipboard, files) is asked for by
//! returning an [`Effect`] that the event loop carries out.

use std::sync::Arc;

use crate::diagnose::{Report, SignatureReport};
use crate::dkim::canon;
use crate::dkim::signature::{Canon, Signature};
use crate::message::{self, Message};

use super::action::{Action, Pane};

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
    Quit,
}

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
    /// The canonical body views the signatures need, once analysed.
    pub body_views: Vec<BodyView>,
    /// The DKIM-Signature fields read at load time (shown while resolving).
    pub signatures: Vec<(usize, Signature)>,
    pub report: Option<Box<Report>>,
    /// The tag of the analysis whose result is awaited.
    pub pending: Option<u64>,
}

pub struct App {
    pub focus: Pane,
    pub offline: bool,
    pub color: bool,
    pub loaded: Option<Loaded>,
    /// Selected signature (index into the report's signatures).
    pub sig: usize,
    pub tag_row: usize,
    pub step_row: usize,
    pub header_row: usize,
    pub key_scroll: usize,
    /// Scroll of the Auth, Hops and M365 panes.
    pub scroll: usize,
    pub canonical: bool,
    pub overlay: Option<Overlay>,
    pub prompt: Option<Prompt>,
    pub search: Option<String>,
    pub status: Option<String>,
    /// The terminal's height, for mouse hit-testing.
    pub height: u16,
    next_id: u64,
}

const PAGE: usize = 10;

impl App {
    pub fn new(offline: bool, color: bool) -> App {
        App {
            focus: Pane::Overview,
            offline,
            color,
            loaded: None,
            sig: 0,
            tag_row: 0,
            step_row: 0,
            header_row: 0,
            key_scroll: 0,
            scroll: 0,
            canonical: true,
            overlay: None,
            prompt: None,
            search: None,
            status: None,
            height: 0,
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

    fn rows(&self, pane: Pane) -> usize {
        match pane {
            Pane::Overview => self.signature_count(),
            Pane::Signature => self.selected_sig().map_or(0, |s| s.tags.tags.len()),
            Pane::Trace => self.selected().map_or(0, |s| s.check.steps.len()),
            Pane::Key | Pane::Auth | Pane::Hops | Pane::M365 => usize::MAX,
            Pane::Headers => self.message().map_or(0, |m| m.headers.len()),
        }
    }

    fn row_mut(&mut self, pane: Pane) -> &mut usize {
        match pane {
            Pane::Overview => &mut self.sig,
            Pane::Signature => &mut self.tag_row,
            Pane::Trace => &mut self.step_row,
            Pane::Key => &mut self.key_scroll,
            Pane::Headers => &mut self.header_row,
            Pane::Auth | Pane::Hops | Pane::M365 => &mut self.scroll,
        }
    }

    fn move_by(&mut self, delta: isize) {
        let pane = self.focus;
        let max = self.rows(pane).saturating_sub(1);
        let row = self.row_mut(pane);
        *row = row.saturating_add_signed(delta).min(max);
        if pane == Pane::Overview {
            self.tag_row = 0;
            self.step_row = 0;
        }
    }

    fn load(&mut self, label: String, bytes: Vec<u8>) -> Option<Effect> {
        let message = Arc::new(message::parse(bytes));
        let signatures = message
            .fields("DKIM-Signature")
            .take(crate::diagnose::MAX_SIGNATURES)
            .map(|(i, h)| (i, Signature::parse(message.value_bytes(h))))
            .collect();
        self.next_id += 1;
        let id = self.next_id;
        self.status = Some(format!("loaded {}", crate::sanitize::visible(&label)));
        self.loaded = Some(Loaded {
            label,
            message: message.clone(),
            body_views: Vec::new(),
            signatures,
            report: None,
            pending: Some(id),
        });
        (
            self.sig,
            self.tag_row,
            self.step_row,
            self.header_row,
            self.key_scroll,
        ) = (0, 0, 0, 0, 0);
        self.overlay = None;
        Some(Effect::Analyse {
            id,
            message,
            fresh: false,
        })
    }

    fn explain_selection(&mut self) {
        let topic = match self.focus {
            Pane::Signature => self
                .selected_sig()
                .and_then(|s| s.tags.tags.get(self.tag_row))
                .map(|t| t.name.clone()),
            _ => self
                .selected()
                .map(|s| s.check.diagnosis.as_str().to_string()),
        };
        if let Some(topic) = topic {
            let (title, text) = super::explain_text(&topic);
            self.overlay = Some(Overlay::Explain { title, text });
        }
    }

    fn copy_selection(&self) -> Option<String> {
        let report = self.report();
        match self.focus {
            Pane::Overview | Pane::Auth | Pane::Hops | Pane::M365 => report.map(|r| {
                let label = self.loaded.as_ref().map_or("", |l| l.label.as_str());
                crate::report::text::message(label, r, crate::report::text::Style { color: false })
            }),
            Pane::Signature => self
                .selected_sig()
                .and_then(|s| s.tags.tags.get(self.tag_row))
                .map(|t| format!("{}={}", t.name, t.text())),
            Pane::Trace => self.selected().and_then(|s| {
                let step = s.check.steps.get(self.step_row)?;
                Some(match step.step {
                    crate::dkim::codes::Step::Body => s
                        .check
                        .body
                        .as_ref()
                        .map(|b| super::b64(&b.hash.digest))
                        .unwrap_or_else(|| step.detail.clone()),
                    crate::dkim::codes::Step::Headers => s
                        .check
                        .headers
                        .as_ref()
                        .map(|h| super::b64(&h.digest))
                        .unwrap_or_else(|| step.detail.clone()),
                    _ => step.detail.clone(),
                })
            }),
            Pane::Key => self
                .selected_sig()
                .filter(|s| !s.d.is_empty() && !s.s.is_empty())
                .map(|s| crate::dns::dig_command(&s.key_name())),
            Pane::Headers => self.message().and_then(|m| {
                m.headers
                    .get(self.header_row)
                    .map(|h| String::from_utf8_lossy(m.field_bytes(h)).into_owned())
            }),
        }
    }

    fn search_next(&mut self, from: usize) {
        let (Some(needle), Some(m)) = (self.search.clone(), self.message()) else {
            return;
        };
        let needle = needle.to_lowercase();
        let n = m.headers.len();
        let hit = (0..n).map(|k| (from + k) % n.max(1)).find(|&i| {
            m.headers.get(i).is_some_and(|h| {
                String::from_utf8_lossy(m.field_bytes(h))
                    .to_lowercase()
                    .contains(&needle)
            })
        });
        match hit {
            Some(i) => {
                self.header_row = i;
                self.status = None;
            }
            None => {
                self.status = Some(format!(
                    "no header contains \"{}\"",
                    crate::sanitize::visible(&needle)
                ))
            }
        }
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
                Action::Back => {
                    self.prompt = None;
                    return None;
                }
                Action::PromptSubmit => {
                    let Prompt { kind, text } = self.prompt.take()?;
                    return match kind {
                        PromptKind::Open if !text.trim().is_empty() => {
                            Some(Effect::ReadFile(text.trim().to_string()))
                        }
                        PromptKind::Open => None,
                        PromptKind::Search => {
                            self.search = (!text.is_empty()).then_some(text);
                            self.focus = Pane::Headers;
                            self.search_next(self.header_row);
                            None
                        }
                    };
                }
                _ => {}
            }
        }
        match action {
            Action::Quit => return Some(Effect::Quit),
            Action::Back => {
                if self.overlay.take().is_none() {
                    return Some(Effect::Quit);
                }
            }
            Action::Help => {
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
                self.focus = Pane::ALL[j];
                self.overlay = None;
                self.scroll = 0;
            }
            Action::Focus(p) => {
                self.focus = p;
                self.scroll = 0;
                self.overlay = None;
            }
            Action::Up | Action::ScrollUp => self.move_by(-1),
            Action::Down | Action::ScrollDown => self.move_by(1),
            Action::PageUp => self.move_by(-(PAGE as isize)),
            Action::PageDown => self.move_by(PAGE as isize),
            Action::Top => *self.row_mut(self.focus) = 0,
            Action::Bottom => {
                let last = self.rows(self.focus).saturating_sub(1);
                *self.row_mut(self.focus) = if last == usize::MAX - 1 { 0 } else { last };
            }
            Action::NextSignature | Action::PrevSignature => {
                let n = self.signature_count();
                if n > 0 {
                    self.sig = if matches!(action, Action::NextSignature) {
                        (self.sig + 1) % n
                    } else {
                        (self.sig + n - 1) % n
                    };
                    self.tag_row = 0;
                    self.step_row = 0;
                }
            }
            Action::Select => self.explain_selection(),
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
            Action::SearchNext => self.search_next(self.header_row + 1),
            Action::ToggleCanonical => self.canonical = !self.canonical,
            Action::Rerun => {
                self.status = Some(if self.offline {
                    "offline: the --keys files read again; nothing is looked up".into()
                } else {
                    "the keys looked up again (and the --keys files read again)".into()
                });
                let loaded = self.loaded.as_mut()?;
                self.next_id += 1;
                loaded.pending = Some(self.next_id);
                return Some(Effect::Analyse {
                    id: self.next_id,
                    message: loaded.message.clone(),
                    fresh: true,
                });
            }
            Action::Load { label, bytes } => return self.load(label, bytes),
            Action::Analysed { id, report } => {
                if let Some(l) = self.loaded.as_mut().filter(|l| l.pending == Some(id)) {
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
                }
            }
            Action::Status(s) => self.status = Some(s),
            Action::Resize(h) => self.height = h,
            Action::PromptChar(_) | Action::PromptBackspace | Action::PromptSubmit => {}
        }
        None
    }
}
