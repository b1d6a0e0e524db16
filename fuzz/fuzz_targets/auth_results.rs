//! The Authentication-Results parser (RFC 8601) on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = dkimscope::auth_results::parse(&text, 0);
});
