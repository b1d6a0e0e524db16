//! Every input the fuzzers (fuzz/, cargo-fuzz) ever stopped on, kept in
//! tests/fixtures/fuzz/ and run through the same function as its target.
//! A file's name says which: `TARGET-HASH` (see tests/fixtures/fuzz/README.md).
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::path::PathBuf;

use dkimscope::dns::{Layered, ZoneKeys};

const NOW: u64 = 1_764_000_000;

/// The fuzz target `analyse` checks against these same two keys files.
fn keys() -> Layered {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let mut zone = ZoneKeys::parse(
        "sample-headers/keys.zone",
        &read("sample-headers/keys.zone"),
    );
    zone.add_text(
        "tests/fixtures/defects/keys.zone",
        &read("tests/fixtures/defects/keys.zone"),
    );
    Layered::offline(zone)
}

fn run(target: &str, data: &[u8]) {
    match target {
        "tags_lex" => {
            let list = dkimscope::dkim::tags::lex(data);
            assert!(list.tags.iter().all(|t| t.span.end <= data.len()));
        }
        "key_record" => {
            let _ = dkimscope::dkim::key::KeyRecord::parse(data);
        }
        "auth_results" => {
            let _ = dkimscope::auth_results::parse(&String::from_utf8_lossy(data), 0);
        }
        "zone_keys" => {
            let zone = ZoneKeys::parse("fuzz.zone", &String::from_utf8_lossy(data));
            let names: Vec<String> = zone.entries().iter().map(|e| e.name.clone()).collect();
            for n in &names {
                let _ = zone.lookup(n);
            }
        }
        "message_parse" => {
            let msg = dkimscope::message::parse(data.to_vec());
            for h in &msg.headers {
                let _ = msg.field_bytes(h);
            }
        }
        "analyse" => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            let msg = dkimscope::message::parse(data.to_vec());
            let report = rt.block_on(dkimscope::diagnose::analyse_with(
                msg,
                &keys(),
                dkimscope::diagnose::Clock {
                    now: NOW,
                    real: false,
                },
            ));
            let _ = dkimscope::report::json::message_line("fuzz.eml", &report);
            let _ = dkimscope::report::text::message(
                "fuzz.eml",
                &report,
                dkimscope::report::text::Style { color: false },
            );
        }
        other => panic!("unknown fuzz target {other:?}"),
    }
}

#[test]
fn every_kept_fuzz_input_runs_through_its_target() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some((target, _)) = name.rsplit_once('-') else {
            continue;
        };
        if name.ends_with(".md") {
            continue;
        }
        run(target, &std::fs::read(&path).unwrap());
        ran += 1;
    }
    assert!(ran > 0, "no inputs in {}", dir.display());
}
