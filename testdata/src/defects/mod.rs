//! `tests/fixtures/defects/`: one small message per diagnosis code and per
//! warning, with a manifest the main crate's tests read. Each fixture is one
//! spec (its manifest row and how its message is built), grouped by what is
//! at fault; this module lists the groups and writes the directory's
//! `keys.zone`, `servfail.txt` and `manifest.tsv`.

mod changed;
mod key;
mod pass;
mod signature;
mod warnings;

use crate::compose::{Keys, Rr, zone_file};
use crate::sign::normalize_crlf;

/// One fixture and its manifest row.
pub struct Fixture {
    pub file: &'static str,
    /// What dkimscope reports for the (first) signature.
    pub result: &'static str,
    pub diagnosis: &'static str,
    /// Warning codes separated by `,`; `-` for none.
    pub warnings: &'static str,
    /// The time to check at (Unix seconds).
    pub at: u64,
    /// What is special; a note starting `finding CODE` names the first
    /// localization finding.
    pub note: &'static str,
    pub build: fn(&Keys) -> Result<Vec<u8>, String>,
}

/// Every fixture, in manifest order.
pub fn all() -> impl Iterator<Item = &'static Fixture> {
    [
        pass::FIXTURES,
        signature::FIXTURES,
        key::FIXTURES,
        changed::FIXTURES,
        warnings::FIXTURES,
    ]
    .into_iter()
    .flatten()
}

/// The keys the fixtures refer to; a selector absent here is absent on
/// purpose (key-not-found, key-offline-missing, key-dns-error).
const ZONE: &[Rr] = &[
    Rr::Soa("example.com"),
    Rr::Key("s2025._domainkey.example.com", "rsa2048-example-com"),
    Rr::Key("ed2025._domainkey.example.com", "ed25519-example-com"),
    Rr::Key("weak1024._domainkey.example.com", "rsa1024"),
    Rr::Key("short512._domainkey.example.com", "rsa512"),
    Rr::Txt("revoked._domainkey.example.com", "v=DKIM1; k=rsa; p="),
    Rr::Txt(
        "badb64._domainkey.example.com",
        "v=DKIM1; k=rsa; p=MIIBIjANBg**not~base64!!",
    ),
    Rr::Txt(
        "garbage._domainkey.example.com",
        "v=DKIM1; k=rsa; p=VGhpcyBpcyBub3QgYW4gUlNBIHB1YmxpYyBrZXkgYXQgYWxsLg==",
    ),
    Rr::KeyAfter(
        "edkey._domainkey.example.com",
        "v=DKIM1; k=ed25519; p=",
        "ed25519-example-com",
    ),
    Rr::KeyAfter(
        "sha1only._domainkey.example.com",
        "v=DKIM1; k=rsa; h=sha1; p=",
        "rsa2048-example-com",
    ),
    Rr::KeyAfter(
        "othersvc._domainkey.example.com",
        "v=DKIM1; k=rsa; s=other; p=",
        "rsa2048-example-com",
    ),
    Rr::KeyAfter(
        "strict._domainkey.example.com",
        "v=DKIM1; k=rsa; t=s; p=",
        "rsa2048-example-com",
    ),
    Rr::KeyAfter(
        "testing._domainkey.example.com",
        "v=DKIM1; k=rsa; t=y; p=",
        "rsa2048-example-com",
    ),
    Rr::Key("esp1._domainkey.esp.example.net", "rsa2048-esp-example-net"),
    Rr::Cname(
        "selector1._domainkey.contoso.example",
        "selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com",
    ),
    Rr::Soa("onmicrosoft.com"),
];

/// Every file of `tests/fixtures/defects/`: (name, content).
pub fn files(keys: &Keys) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for f in all() {
        let data = (f.build)(keys).map_err(|e| format!("{}: {e}", f.file))?;
        out.push((f.file.to_string(), normalize_crlf(&data)));
    }
    out.push(("keys.zone".into(), zone_file(keys, ZONE).into_bytes()));
    // What the test DNS server must answer SERVFAIL for (key-dns-error).
    out.push((
        "servfail.txt".into(),
        b"s2025._domainkey.dnsfail.example.net.\n".to_vec(),
    ));
    out.push(("manifest.tsv".into(), manifest().into_bytes()));
    Ok(out)
}

/// `manifest.tsv`: a header line, then one line per fixture.
pub fn manifest() -> String {
    let mut tsv = String::from("file\tresult\tdiagnosis\twarnings\tat\tnote\n");
    for f in all() {
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            f.file, f.result, f.diagnosis, f.warnings, f.at, f.note
        ));
    }
    tsv
}
