//! dkimscope: why did this mail fail DKIM?
//!
//! The layers, each using only those above it:
//!
//! - [`message`]: load a message exactly as given; open bounces.
//! - [`dns`]: key answers from keys files and live DNS; the offline rule.
//! - [`dkim`]: tag lexing, signatures, keys, canonicalization and hashing,
//!   localization of what changed, the step trace and its verdict, and the
//!   cross-check with mail-auth.
//! - [`arc`], [`dmarc`], [`received`], [`m365`], [`auth_results`]: ARC chain
//!   validation (RFC 8617), the From domain's DMARC policy and the one
//!   alignment rule, the Received chain, Microsoft 365 anti-spam headers,
//!   Authentication-Results parsing.
//! - [`diagnose`]: the stages of one analysis (DNS answers, then a pure
//!   analysis) giving one [`diagnose::Report`] per message.
//! - [`batch`], [`selectors`]: many messages in parallel, results in order;
//!   the selectors many domains publish.
//! - [`report`], [`tui`]: the text and JSON printers and the terminal UI,
//!   all reading the same report; [`cli`]: the command line.
//!
//! Beside them: [`explain`] (the teaching texts), [`sanitize`] (the gate
//! every untrusted string passes to reach a terminal), [`time`] (RFC 3339
//! and Unix seconds), [`plural`] (counts in words: 1 set, 2 sets), [`memo`]
//! (pure parses remembered across a batch).

pub mod arc;
pub mod auth_results;
pub mod batch;
pub mod cli;
pub mod diagnose;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod explain;
pub mod m365;
pub mod memo;
pub mod message;
pub mod plural;
pub mod received;
pub mod report;
pub mod sanitize;
pub mod selectors;
pub mod time;
pub mod tui;
