//! Checking many messages: files are read and analysed in parallel on the
//! runtime's workers, while results come out in input order, one per input,
//! with a bounded number in flight.

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

pub struct Settings {
    pub now: u64,
    pub now_is_real: bool,
    pub jobs: usize,
    pub max_size: u64,
}

fn label(input: &Input) -> String {
    match input {
        Input::Stdin => "-".into(),
        Input::Path(p) => p.to_string_lossy().into_owned(),
    }
}

enum Job {
    Failed(String),
    Running(tokio::task::JoinHandle<Result<Box<Report>, String>>),
}

/// Analyse every input; `emit` gets each result in order and returns false
/// to stop early (a closed pipe, an interrupt).
pub async fn run(
    inputs: Vec<Result<Input, (String, String)>>,
    keys: Arc<dyn TxtSource>,
    settings: &Settings,
    mut emit: impl FnMut(Item) -> bool,
) {
    let mut pending: VecDeque<(String, Job)> = VecDeque::new();
    let mut inputs = inputs.into_iter();
    loop {
        while pending.len() < settings.jobs.max(1) {
            match inputs.next() {
                None => break,
                Some(Err((file, why))) => pending.push_back((file, Job::Failed(why))),
                Some(Ok(input)) => {
                    let file = label(&input);
                    let keys = keys.clone();
                    let (now, real, max) = (settings.now, settings.now_is_real, settings.max_size);
                    let task = tokio::spawn(async move {
                        let bytes = message::load::read(&input, max).map_err(|e| e.to_string())?;
                        let msg = message::parse(bytes);
                        Ok(Box::new(diagnose::analyse(msg, &*keys, now, real).await))
                    });
                    pending.push_back((file, Job::Running(task)));
                }
            }
        }
        let Some((file, job)) = pending.pop_front() else {
            break;
        };
        let result = match job {
            Job::Failed(why) => Err(why),
            Job::Running(task) => task
                .await
                .unwrap_or_else(|e| Err(format!("the analysis failed: {e}"))),
        };
        if !emit(Item { file, result }) {
            for (_, job) in pending {
                if let Job::Running(task) = job {
                    task.abort();
                }
            }
            return;
        }
    }
}
