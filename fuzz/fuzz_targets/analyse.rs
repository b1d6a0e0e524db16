//! The whole check of one message against a fixed offline key set (the
//! samples' and defect fixtures' keys files) at a fixed time, on a small
//! current-thread runtime, then both report printers.
#![no_main]

use std::sync::OnceLock;

use dkimscope::dns::{Layered, ZoneKeys};
use libfuzzer_sys::fuzz_target;

const SAMPLE_KEYS: &str = include_str!("../../sample-headers/keys.zone");
const DEFECT_KEYS: &str = include_str!("../../tests/fixtures/defects/keys.zone");
const NOW: u64 = 1_764_000_000;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
    })
}

fn keys() -> &'static Layered {
    static KEYS: OnceLock<Layered> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut zone = ZoneKeys::parse("sample-headers/keys.zone", SAMPLE_KEYS);
        zone.add_text("tests/fixtures/defects/keys.zone", DEFECT_KEYS);
        Layered::offline(zone)
    })
}

fuzz_target!(|data: &[u8]| {
    let msg = dkimscope::message::parse(data.to_vec());
    let report = runtime().block_on(dkimscope::diagnose::analyse_with(
        msg,
        keys(),
        dkimscope::diagnose::Clock {
            now: NOW,
            real: false,
        },
    ));
    let _ = report.headline();
    let _ = dkimscope::report::json::message_line("fuzz.eml", &report);
    let _ = dkimscope::report::text::message(
        "fuzz.eml",
        &report,
        dkimscope::report::text::Style { color: false },
    );
});
