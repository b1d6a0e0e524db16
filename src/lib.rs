//! dkimscope: why did this mail fail DKIM?
//!
//! - [`message`]: load a message exactly as given; open bounces.
//! - [`dkim`]: tag lexing, signatures, keys, canonicalization, the trace.
//! - [`dns`]: key answers from keys files and live DNS; the offline rule.
//! - [`diagnose`]: one [`diagnose::Report`] per message.
//! - [`auth_results`]: Authentication-Results parsing.
//! - [`arc`]: ARC chain validation (RFC 8617) with the DKIM machinery.
//! - [`explain`]: the teaching texts behind `dkimscope explain`.
//! - [`received`]: the Received chain, hop by hop, with delays.
//! - [`m365`]: Microsoft 365 anti-spam headers, field by field.
//! - [`dmarc`]: the From domain's DMARC policy and DKIM alignment.
//! - [`selectors`]: audit the selectors many domains publish.
//! - [`batch`]: many messages in parallel, results in order.
//! - [`memo`]: pure parses remembered across a batch's messages.
//! - [`report`]: text and JSON printers.
//! - [`sanitize`]: the gate every untrusted string passes to reach a terminal.
//! - [`time`]: RFC 3339 and Unix seconds.
//! - [`tui`]: the terminal UI over the same report.
//! - [`cli`]: the command line.

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
pub mod received;
pub mod report;
pub mod sanitize;
pub mod selectors;
pub mod time;
pub mod tui;
