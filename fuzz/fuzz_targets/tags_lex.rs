//! The DKIM tag-list lexer on any bytes: it must finish without a panic and
//! keep every span inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let list = dkimscope::dkim::tags::lex(data);
    for t in &list.tags {
        assert!(t.span.end <= data.len() && t.value_span.end <= data.len());
        let _ = (t.text(), t.compact());
    }
    for p in &list.problems {
        assert!(p.span.end <= data.len());
    }
});
