//! The keys-file (zone-file syntax) parser on any text, then a lookup of a
//! few names through it (CNAME chains, SOA authority).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let zone = dkimscope::dns::ZoneKeys::parse("fuzz.zone", &text);
    let _ = zone.warnings();
    let names: Vec<String> = zone
        .entries()
        .iter()
        .take(8)
        .map(|e| e.name.clone())
        .collect();
    for n in names
        .iter()
        .map(String::as_str)
        .chain(["s._domainkey.example.com", "."])
    {
        let _ = zone.lookup(n);
    }
});
