//! The terminal UI: a thin shell over the same [`crate::diagnose::Report`]
//! the printers read. One `tokio::select!` loop over terminal events and
//! the results of background analyses; the terminal is restored on every
//! exit, panics included.

pub mod action;
pub mod app;
mod clipboard;
pub mod event;
pub mod keymap;
pub mod theme;
pub mod view;

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::cli::Common;
use crate::sanitize;
use action::Action;
use app::{App, Effect};

pub(crate) fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The one-line meaning of a tag (`bh`) or key tag (`key:p`).
pub(crate) fn tag_meaning(tag: &str) -> String {
    crate::explain::lookup(tag)
        .map(|t| t.short.to_string())
        .unwrap_or_default()
}

/// Title and text for the explain overlay.
pub(crate) fn explain_text(topic: &str) -> (String, String) {
    match crate::explain::lookup(topic) {
        Some(t) => {
            let mut text = format!("{}\n\n{}", t.short, t.body);
            if !t.example.is_empty() {
                text.push_str(&format!("\n\nExample: {}", t.example));
            }
            if !t.rfc.is_empty() {
                text.push_str(&format!("\n\nReference: {}", t.rfc));
            }
            (t.title.to_string(), text)
        }
        None => (
            topic.to_string(),
            "No explanation is written for this yet.".to_string(),
        ),
    }
}

/// Writes `case` into its folder (made if need be): the message as loaded
/// and the answers its check used, recorded at `now` from `resolver`. A
/// folder that already holds a case is left alone.
pub fn save_case(case: &app::Case, resolver: Option<String>, now: u64) -> Result<(), String> {
    let dir = std::path::Path::new(&case.dir);
    let shown = sanitize::visible(&case.dir);
    let (message, answers) = (dir.join(app::CASE_MESSAGE), dir.join(app::CASE_ANSWERS));
    if message.exists() || answers.exists() {
        return Err(format!(
            "{shown} already holds a saved case; name another folder"
        ));
    }
    let recording = crate::dns::Recording::of(&case.lookups, resolver);
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&message, &case.message))
        .and_then(|()| recording.write(&answers, now))
        .map_err(|e| format!("cannot save the case in {shown}: {e}"))
}

/// Restores the terminal when dropped, whatever the exit path.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(
            std::io::stdout(),
            DisableBracketedPaste,
            DisableMouseCapture
        );
        ratatui::restore();
    }
}

/// How the UI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit (or the terminal closed its input).
    Quit,
    /// A termination signal arrived (its number: SIGTERM 15, SIGHUP 1); the
    /// terminal was restored before returning.
    Signal(i32),
}

/// SIGTERM and SIGHUP as one stream of signal numbers. Handling them here,
/// rather than dying of them, lets the loop end and [`Restore`] run.
struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    async fn next(&mut self) -> i32 {
        tokio::select! {
            _ = self.term.recv() => 15,
            _ = self.hup.recv() => 1,
        }
    }
}

/// Test hook, built only with the `test-hooks` feature (off by default):
/// with `DKIMSCOPE_TEST_PANIC=1` in the environment the UI panics right
/// after drawing its first frame, so the tmux tests can check that a panic
/// still restores the terminal.
#[cfg(feature = "test-hooks")]
const TEST_PANIC_ENV: &str = "DKIMSCOPE_TEST_PANIC";

/// Run the UI, optionally on a first message. Returns when the user quits
/// or a termination signal arrives.
pub async fn run(
    first: Option<(String, Vec<u8>)>,
    common: Common,
    mut keys: std::sync::Arc<dyn crate::dns::TxtSource>,
    recording: Option<std::sync::Arc<crate::dns::Recording>>,
) -> std::io::Result<Ended> {
    // Signal handlers first: a SIGTERM from now on ends the loop instead
    // of killing the process with the terminal still in raw mode.
    let mut signals = Signals::new()?;
    #[cfg(feature = "test-hooks")]
    let test_panic = std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1");
    let mut terminal = ratatui::init();
    let _restore = Restore;
    execute!(std::io::stdout(), EnableBracketedPaste, EnableMouseCapture)?;
    let color = std::env::var_os("NO_COLOR").is_none();
    let mut app = App::new(common.offline, color);
    app.replay_args = common
        .trust
        .iter()
        .map(|t| format!("--trust {}", app::shell_word(t)))
        .collect();
    let mut clipboard = clipboard::Clipboard::new();
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let mut events = EventStream::new();
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    let mut pending = first.map(|(label, bytes)| Action::Load { label, bytes });
    loop {
        if let Some(action) = pending.take() {
            match app.update(action) {
                None => {}
                Some(Effect::Quit) => break,
                Some(Effect::Analyse { id, message, fresh }) => {
                    if fresh {
                        // `r`: the keys files may have changed, and live
                        // answers are asked again.
                        match common.recorded_source(recording.as_ref()) {
                            Ok(k) => keys = k,
                            Err(e) => {
                                let _ = tx.send(Action::Status(format!(
                                    "{e}; checked again with the keys read before"
                                )));
                            }
                        }
                    }
                    let tx = tx.clone();
                    let (keys, at, trust) = (keys.clone(), common.at, common.trust.clone());
                    let (common, recording) = (common.clone(), recording.clone());
                    tokio::spawn(async move {
                        let real = SystemTime::now()
                            .duration_since(UNIX_EPOCH)
                            .map_or(0, |d| d.as_secs());
                        let lookups = crate::diagnose::lookups(&message, &*keys).await;
                        // `--record`: the file holds every answer of the
                        // session so far, rewritten as each check lands.
                        if let Err(e) =
                            crate::cli::write_recording(&common, recording.as_ref(), real)
                        {
                            let _ = tx.send(Action::Status(e));
                        }
                        // The analysis is CPU work: off the async workers.
                        let report = tokio::task::spawn_blocking(move || {
                            crate::diagnose::analyse_at(message, &lookups, at, real, &trust)
                        })
                        .await;
                        if let Ok(report) = report {
                            let _ = tx.send(Action::Analysed {
                                id,
                                report: Box::new(report),
                            });
                        }
                    });
                }
                Some(Effect::Copy(text)) => {
                    pending = Some(Action::Status(clipboard.copy(&text)));
                    continue;
                }
                Some(Effect::ReadClipboard) => {
                    pending = Some(match clipboard.paste() {
                        Ok(text) => Action::Load {
                            label: app::CLIPBOARD.into(),
                            bytes: text.into_bytes(),
                        },
                        Err(e) => Action::Status(e),
                    });
                    continue;
                }
                Some(Effect::SaveCase(case)) => {
                    let now = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs());
                    pending = Some(match save_case(&case, keys.resolver(), now) {
                        Ok(()) => Action::CaseSaved {
                            answers: case.lookups.len(),
                            dir: case.dir,
                            command: case.command,
                        },
                        Err(e) => Action::Status(e),
                    });
                    continue;
                }
                Some(Effect::ReadFile(path)) => {
                    let input = crate::message::load::Input::Path(path.clone().into());
                    pending = Some(
                        match crate::message::load::read(
                            &input,
                            common.max_size.saturating_mul(1024 * 1024),
                        ) {
                            Ok(bytes) => Action::Load { label: path, bytes },
                            Err(e) => Action::Status(format!("{path}: {e}")),
                        },
                    );
                    continue;
                }
            }
        }
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
        #[cfg(feature = "test-hooks")]
        if test_panic {
            panic!("{TEST_PANIC_ENV}=1: panicking after the first frame (test hook)");
        }
        pending = tokio::select! {
            n = signals.next() => {
                let _ = std::io::stdout().flush();
                return Ok(Ended::Signal(n));
            }
            ev = events.next() => match ev {
                Some(Ok(ev)) => event::translate(&app, ev),
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(action) = rx.recv() => Some(action),
        };
    }
    let _ = std::io::stdout().flush();
    Ok(Ended::Quit)
}
