//! The DKIM key record parser (`v=DKIM1; k=...; p=...`) on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = dkimscope::dkim::key::KeyRecord::parse(data);
    let _ = (key.testing(), key.strict_identity(), key.looks_like_key());
});
