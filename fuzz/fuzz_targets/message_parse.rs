//! Message loading, bounce unwrapping included, on any bytes: every span it
//! returns must lie inside the bytes it keeps.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let msg = dkimscope::message::parse(data.to_vec());
    for h in &msg.headers {
        let _ = (
            msg.field_bytes(h),
            msg.value_bytes(h),
            &msg.raw[h.name_span.clone()],
        );
    }
    let _ = msg.body_bytes();
});
