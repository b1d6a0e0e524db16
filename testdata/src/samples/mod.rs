//! `sample-headers/`: realistic messages for people and tests. Each sample is
//! one spec in its own file (the message it builds and what dkimscope must
//! say about it); this module lists them and derives from the same specs the
//! directory's `keys.zone`, its `README.md` table and the machine-readable
//! `manifest.tsv` the main crate's tests read.

mod bounce_dsn_footer;
mod expired_signature;
mod footer_appended;
mod headers_only_outlook_paste;
mod m365_cname_pass;
mod m365_dangling_cname;
mod mailing_list_body_length;
mod multi_signature_esp;
mod pass_ed25519_and_rsa;
mod pass_rsa_sha256_relaxed;
mod path;
mod revoked_key;
mod rsa_sha1_legacy;
mod selector_missing_nxdomain;
mod subject_spam_tagged;
mod unsigned;
mod weak_key_1024;

use crate::compose::{Keys, Rr, SAMPLES_AT, zone_file};
use crate::sign::normalize_crlf;
use crate::util::rfc3339;

/// What dkimscope reports for one signature.
pub struct Verdict {
    pub result: &'static str,
    pub diagnosis: &'static str,
    /// Warning codes separated by `,`; `-` for none.
    pub warnings: &'static str,
}

/// The README table's result, diagnosis and warnings cells, where they say
/// more than the codes (a finding, which part of a bounce, which domain).
pub struct Shown {
    pub result: &'static str,
    pub diagnosis: &'static str,
    pub warnings: &'static str,
}

/// One sample: its file, what it shows, what dkimscope must report when it
/// is checked at `at` with `keys.zone`, and how it is built.
pub struct Sample {
    pub file: &'static str,
    /// The README's "what it shows"; the manifest's note.
    pub shows: &'static str,
    /// The message's overall DKIM result.
    pub dkim: &'static str,
    /// One per signature, top first; a message without signatures has the
    /// single verdict none / no-signature / -. For a bounce, those of the
    /// returned message, which dkimscope checks in its place.
    pub verdicts: &'static [Verdict],
    /// README cells when the codes alone do not tell the story.
    pub table: Option<Shown>,
    pub at: u64,
    pub build: fn(&Keys) -> Result<Vec<u8>, String>,
}

/// Every sample, in the README's order.
pub const ALL: &[&Sample] = &[
    &pass_rsa_sha256_relaxed::SAMPLE,
    &pass_ed25519_and_rsa::SAMPLE,
    &m365_dangling_cname::SAMPLE,
    &m365_cname_pass::SAMPLE,
    &selector_missing_nxdomain::SAMPLE,
    &footer_appended::SAMPLE,
    &subject_spam_tagged::SAMPLE,
    &revoked_key::SAMPLE,
    &expired_signature::SAMPLE,
    &headers_only_outlook_paste::SAMPLE,
    &bounce_dsn_footer::SAMPLE,
    &unsigned::SAMPLE,
    &multi_signature_esp::SAMPLE,
    &rsa_sha1_legacy::SAMPLE,
    &weak_key_1024::SAMPLE,
    &mailing_list_body_length::SAMPLE,
    &path::list_footer::SAMPLE,
    &path::gateway_before_i1::SAMPLE,
    &path::after_last_hop::SAMPLE,
    &path::three_hops::SAMPLE,
    &path::subject_tag_between_hops::SAMPLE,
    &path::reencoding_forwarder::SAMPLE,
    &path::broken_seal::SAMPLE,
    &path::receivers_ar::SAMPLE,
];

/// The keys every sample needs, zone by zone.
const ZONE: &[Rr] = &[
    Rr::Soa("example.com"),
    Rr::Key("s2025._domainkey.example.com", "rsa2048-example-com"),
    Rr::Key("ed2025._domainkey.example.com", "ed25519-example-com"),
    Rr::Txt(
        "_dmarc.example.com",
        "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    ),
    Rr::Soa("example.org"),
    Rr::Key("s2025._domainkey.example.org", "rsa2048-example-org"),
    Rr::Txt("old2023._domainkey.example.org", "v=DKIM1; k=rsa; p="),
    Rr::Key("legacy1024._domainkey.example.org", "rsa1024"),
    Rr::Key(
        "arc2025._domainkey.lists.example.org",
        "rsa2048-example-org",
    ),
    Rr::Txt(
        "_dmarc.example.org",
        "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org",
    ),
    Rr::Soa("example.net"),
    Rr::Key("k1._domainkey.example.net", "rsa2048-example-net"),
    Rr::Key("legacy._domainkey.example.net", "rsa2048-example-net"),
    Rr::Key("arc2025._domainkey.example.net", "rsa2048-example-net"),
    Rr::Key("esp1._domainkey.esp.example.net", "rsa2048-esp-example-net"),
    Rr::Txt("_dmarc.example.net", "v=DMARC1; p=none"),
    Rr::Cname(
        "selector1._domainkey.contoso.example",
        "selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com",
    ),
    Rr::Cname(
        "selector2._domainkey.contoso.example",
        "selector2-contoso-example._domainkey.contosoltd.onmicrosoft.com",
    ),
    Rr::Txt("_dmarc.contoso.example", "v=DMARC1; p=quarantine"),
    Rr::Cname(
        "selector1._domainkey.fabrikam.example",
        "selector1-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
    ),
    Rr::Cname(
        "selector2._domainkey.fabrikam.example",
        "selector2-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
    ),
    Rr::Txt("_dmarc.fabrikam.example", "v=DMARC1; p=none"),
    Rr::Soa("onmicrosoft.com"),
    Rr::Key(
        "selector2-contoso-example._domainkey.contosoltd.onmicrosoft.com",
        "rsa2048-contoso-example",
    ),
    Rr::Key(
        "selector1-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
        "rsa2048-fabrikam-example",
    ),
    Rr::Key(
        "selector2-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
        "rsa2048-fabrikam-example",
    ),
    // Last, so the lines above keep their numbers (answers cite them).
    Rr::Key("arc2025._domainkey.example.org", "rsa2048-example-org"),
];

/// Every file of `sample-headers/`: (name, content).
pub fn files(keys: &Keys) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for s in ALL {
        let data = (s.build)(keys).map_err(|e| format!("{}: {e}", s.file))?;
        out.push((s.file.to_string(), normalize_crlf(&data)));
    }
    out.push(("keys.zone".into(), zone_file(keys, ZONE).into_bytes()));
    out.push(("README.md".into(), readme().into_bytes()));
    out.push(("manifest.tsv".into(), manifest().into_bytes()));
    Ok(out)
}

impl Sample {
    /// The README's result, diagnosis and warnings cells.
    pub fn shown(&self) -> (String, String, String) {
        if let Some(t) = &self.table {
            return (t.result.into(), t.diagnosis.into(), t.warnings.into());
        }
        let join = |f: fn(&Verdict) -> &str| {
            let v: Vec<&str> = self.verdicts.iter().map(f).collect();
            v.join(", ")
        };
        let warnings = if self.verdicts.iter().all(|v| v.warnings == "-") {
            "-".to_string()
        } else {
            join(|v| v.warnings)
        };
        (join(|v| v.result), join(|v| v.diagnosis), warnings)
    }
}

/// `manifest.tsv`: the header line, then one line per sample; README.md
/// says how the columns read.
pub fn manifest() -> String {
    let mut tsv = String::from("file\tdkim\tresult\tdiagnosis\twarnings\tat\tnote\n");
    for s in ALL {
        let col = |f: fn(&Verdict) -> &str| {
            let v: Vec<&str> = s.verdicts.iter().map(f).collect();
            v.join(";")
        };
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            s.file,
            s.dkim,
            col(|v| v.result),
            col(|v| v.diagnosis),
            col(|v| v.warnings),
            s.at,
            s.shows
        ));
    }
    tsv
}

fn readme() -> String {
    let at = rfc3339(SAMPLES_AT);
    let mut r = String::new();
    r.push_str("# sample-headers\n\n");
    r.push_str(
        "Realistic messages for people and tests. Generated by `testdata` (do not edit by hand):\n\n",
    );
    r.push_str("    cd testdata && cargo run --release --bin gen-samples\n\n");
    r.push_str(&format!(
        "All keys live in `keys.zone` (throwaway test keys from `testdata/keys/`). Every sample is checked at the fixed time\n`--at {at}` so expiry is stable; every `t=` is earlier. Domains are RFC 2606 style\n(example.com/.org/.net, contoso.example, fabrikam.example) plus `*.onmicrosoft.com` for the Microsoft 365 targets,\nfor which `keys.zone` holds an SOA (so a name it lacks there is NXDOMAIN).\n\n",
    ));
    r.push_str("Results and diagnosis codes are those of DESIGN.md; several signatures are listed top first (index 0 first).\n\n");
    r.push_str("| file | what it shows | dkim result | diagnosis | warnings | command |\n|---|---|---|---|---|---|\n");
    for s in ALL {
        let (result, diagnosis, warnings) = s.shown();
        r.push_str(&format!(
            "| `{}` | {} | {result} | {diagnosis} | {warnings} | `cargo run --release -- check sample-headers/{} --offline --keys sample-headers/keys.zone --at {}` |\n",
            s.file,
            s.shows,
            s.file,
            rfc3339(s.at)
        ));
    }
    r.push_str("\nNotes:\n\n");
    r.push_str("- The Microsoft 365 samples sign `From` once (as Microsoft 365 does), so they carry `from-not-oversigned`.\n");
    r.push_str("- `headers-only-outlook-paste.eml` ends after the last header field (no empty line): there is no body.\n");
    r.push_str("- `bounce-dsn-footer.eml`: the bounce itself is unsigned; the diagnosis that matters is the one of the returned message inside (message/rfc822).\n");
    r.push_str("- `subject-spam-tagged.eml` and `mailing-list-body-length.eml` carry a valid ARC set (i=1, cv=none) signed with keys in `keys.zone`.\n");
    r.push_str("- The `path-*.eml` samples crossed several hops, each ARC sealer adding its Received field and ARC set (`testdata/src/samples/path/`); the note says where `path.break` must put the change. `mailing-list-body-length.eml` is the `l=` case of the same story.\n");
    r.push_str("- mail-auth 0.13 (the cross-check) answers `neutral` for any signature with `l=` and for expired ones, and accepts rsa-sha1 and dangling/NXDOMAIN keys as permerror.\n");
    r.push_str("\n`manifest.tsv` holds the same expectations for programs (`tests/samples.rs` reads it):\na header line, then one tab-separated line per sample with the columns\n`file`, `dkim`, `result`, `diagnosis`, `warnings`, `at`, `note`.\n\n");
    r.push_str("- `dkim` is the message's overall DKIM result.\n");
    r.push_str("- `result`, `diagnosis` and `warnings` hold one entry per signature, top first (index 0 first), separated by `;`.\n  Several warnings of one signature are separated by `,` (as in `tests/fixtures/defects/manifest.tsv`); `-` means none.\n");
    r.push_str(
        "- A message without signatures has the single entry `none` / `no-signature` / `-`.\n",
    );
    r.push_str("- For a bounce the entries are those of the returned message, which dkimscope checks in its place.\n");
    r.push_str("- `at` is the time to check at, in Unix seconds (`--at`); `note` is the \"what it shows\" text above.\n");
    r
}
