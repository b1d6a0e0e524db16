//! The key source the verifier actually uses: `--keys` files first, then
//! live DNS, or nothing at all with `--offline`.
//!
//! A batch of thousands of messages usually shares a handful of selectors,
//! so live answers are cached per name and concurrent lookups of the same
//! name wait for the one query in flight instead of each sending their own.
//! Offline mode holds no resolver, so it cannot open a socket by mistake.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::OnceCell;

use super::live::LiveResolver;
use super::zonefile::{ZoneKeys, normalize_name};
use super::{Answer, ServedBy, TxtLookup, TxtSource};

/// Keys files layered over live DNS (or over nothing, offline).
#[derive(Debug)]
pub struct Layered {
    /// Answers first, for every name they cover.
    pub files: ZoneKeys,
    /// `None` means offline: uncovered names answer
    /// [`Answer::OfflineMissing`].
    pub live: Option<LiveResolver>,
    cache: Mutex<HashMap<String, Arc<OnceCell<TxtLookup>>>>,
}

impl Layered {
    pub fn new(files: ZoneKeys, live: Option<LiveResolver>) -> Layered {
        Layered {
            files,
            live,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Keys files only; nothing ever goes to the network.
    pub fn offline(files: ZoneKeys) -> Layered {
        Layered::new(files, None)
    }

    /// True when lookups may reach live DNS.
    pub fn is_online(&self) -> bool {
        self.live.is_some()
    }

    /// Answers `name` from the files, else from live DNS (once per name),
    /// else [`Answer::OfflineMissing`].
    pub async fn lookup(&self, name: &str) -> TxtLookup {
        let start = Instant::now();
        if let Some(found) = self.files.lookup(name) {
            return found;
        }
        let query = normalize_name(name);
        let Some(live) = &self.live else {
            return TxtLookup {
                query,
                hops: Vec::new(),
                answer: Answer::OfflineMissing,
                served_by: ServedBy::Offline,
                elapsed: start.elapsed(),
                soa: None,
                recorded: None,
                dnssec: crate::dns::Dnssec::Unknown,
            };
        };
        let cell = {
            let mut cache = self
                .cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(cache.entry(query.clone()).or_default())
        };
        cell.get_or_init(|| live.lookup(&query)).await.clone()
    }

    /// Number of distinct names looked up live so far.
    pub fn cached_names(&self) -> usize {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

impl TxtSource for Layered {
    fn lookup_txt<'a>(
        &'a self,
        name: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = TxtLookup> + Send + 'a>> {
        Box::pin(self.lookup(name))
    }

    fn resolver(&self) -> Option<String> {
        self.live.as_ref().map(|l| l.label().to_string())
    }
}
