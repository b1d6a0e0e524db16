//! What more than one test module needs.

pub mod dns_server;

/// A test cannot do its work here (`why`: a tool is not installed, the
/// system does not allow it). Under CI (`CI` set, as CI services do) that
/// is a failure, since CI must run every test; elsewhere the test says so
/// on stderr and the caller returns, passing.
pub fn skip_unless_ci(why: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    assert!(
        !ci,
        "{why}: under CI every test must run (.ci/run installs what they need)"
    );
    eprintln!("skipped: {why}");
}
