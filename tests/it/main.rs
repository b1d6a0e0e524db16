//! The integration tests, built as one test binary: a module per subject,
//! all linking the library once, sharing one loopback DNS server
//! (`support::dns_server`). Fixtures live in tests/fixtures/, insta
//! snapshots in tests/it/snapshots/, proptest's saved failures in
//! tests/proptest-regressions/.

mod adversarial;
mod arc;
mod batch;
mod bounces;
mod check_dns;
mod cli;
mod dns;
mod dnssec;
mod explain;
mod fuzz_regressions;
mod garbage;
mod golden;
mod limits;
mod load;
mod localize;
mod offline_net;
mod path;
mod properties;
mod real;
mod record;
mod samples;
mod selectors;
mod support;
mod tui;
mod tui_tmux;
