//! Checking many messages: files are read, analysed and rendered in
//! parallel on the runtime's workers, while the rendered results come out in
//! input order, one per input, with a bounded number in flight. Rendering
//! (and dropping the report) in the worker keeps the one thread that writes
//! from becoming the bottleneck of a batch of small messages.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::diagnose::{self, Report};
use crate::dns::TxtSource;
use crate::message::{self, load::Input};

/// One input's outcome: its label as given, and its report or why it could
/// not be analysed.
pub struct Item {
    pub file: String,
    pub result: Result<Box<Report>, String>,
}

/// Turns an [`Item`] into what the caller writes; run on a worker.
pub type Render<T> = Arc<dyn Fn(Item) -> T + Send + Sync>;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `--at`: none for the real clock.
    pub at: Option<diagnose::timing::At>,
    /// The real clock, read once for the whole batch.
    pub real_now: u64,
    pub jobs: usize,
    pub max_size: u64,
    /// Authserv-ids to believe wherever they sit (`--trust`).
    pub trust: Vec<String>,
}

fn label(input: &Input) -> String {
    match input {
        Input::Stdin => "-".into(),
        Input::Path(p) => p.to_string_lossy().into_owned(),
    }
}

enum Job<T> {
    Failed(String),
    Running(tokio::task::JoinHandle<T>),
}

/// Read, parse and analyse one input.
async fn analyse_one(input: &Input, keys: &dyn TxtSource, settings: &Settings) -> Item {
    let result = match message::load::read(input, settings.max_size) {
        Err(e) => Err(e.to_string()),
        Ok(bytes) => {
            let msg = message::parse(bytes);
            let lookups = diagnose::lookups(&msg, keys).await;
            Ok(Box::new(diagnose::analyse_at(
                msg,
                &lookups,
                settings.at,
                settings.real_now,
                &settings.trust,
            )))
        }
    };
    Item {
        file: label(input),
        result,
    }
}

/// Analyse every input and `render` each result; `emit` gets the rendered
/// results in order and returns false to stop early (a closed pipe, an
/// interrupt). One job at a time runs on the calling task: no hand-off
/// between threads per message.
pub async fn run<T: Send + 'static>(
    inputs: Vec<Result<Input, (String, String)>>,
    keys: Arc<dyn TxtSource>,
    settings: &Settings,
    render: Render<T>,
    mut emit: impl FnMut(T) -> bool,
) {
    if settings.jobs <= 1 {
        for input in inputs {
            let item = match input {
                Err((file, why)) => Item {
                    file,
                    result: Err(why),
                },
                Ok(input) => analyse_one(&input, &*keys, settings).await,
            };
            if !emit(render(item)) {
                return;
            }
        }
        return;
    }
    let mut pending: VecDeque<(String, Job<T>)> = VecDeque::new();
    let mut inputs = inputs.into_iter();
    loop {
        while pending.len() < settings.jobs.max(1) {
            match inputs.next() {
                None => break,
                Some(Err((file, why))) => pending.push_back((file, Job::Failed(why))),
                Some(Ok(input)) => {
                    let file = label(&input);
                    let (keys, render) = (keys.clone(), render.clone());
                    let settings = settings.clone();
                    let task = tokio::spawn(async move {
                        render(analyse_one(&input, &*keys, &settings).await)
                    });
                    pending.push_back((file, Job::Running(task)));
                }
            }
        }
        let Some((file, job)) = pending.pop_front() else {
            break;
        };
        let out = match job {
            Job::Failed(why) => render(Item {
                file,
                result: Err(why),
            }),
            Job::Running(task) => match task.await {
                Ok(out) => out,
                Err(e) => render(Item {
                    file,
                    result: Err(format!("the analysis failed: {e}")),
                }),
            },
        };
        if !emit(out) {
            for (_, job) in pending {
                if let Job::Running(task) = job {
                    task.abort();
                }
            }
            return;
        }
    }
}
