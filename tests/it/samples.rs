//! Every sample and every defect fixture, as stored (CRLF) and rewritten
//! with LF line ends, through the library with a fixed clock and the
//! offline keys files: the result, diagnosis and warnings must be the
//! ones the manifest of the fixtures or of the samples names.

use std::path::{Path, PathBuf};

use dkimscope::diagnose::{Report, analyse_with};
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

async fn report(path: &Path, keys: &Path, at: u64, lf: bool) -> Report {
    let bytes = std::fs::read(path).expect("read sample");
    let bytes = if lf { to_lf(&bytes) } else { bytes };
    let keys = Layered::offline(ZoneKeys::from_files(&[keys.to_path_buf()]).expect("keys"));
    analyse_with(
        message::parse(bytes),
        &keys,
        dkimscope::diagnose::Clock {
            now: at,
            real: false,
        },
    )
    .await
}

/// (result, diagnosis, warnings) of each signature, top first.
fn verdicts(r: &Report) -> Vec<(String, String, String)> {
    r.signatures
        .iter()
        .map(|s| {
            let w: Vec<&str> = s.check.warnings.iter().map(|(w, _)| w.as_str()).collect();
            (
                s.check.result.to_string(),
                s.check.diagnosis.to_string(),
                if w.is_empty() {
                    "-".into()
                } else {
                    w.join(",")
                },
            )
        })
        .collect()
}

#[tokio::test]
async fn defect_fixtures_give_the_diagnosis_their_manifest_names() {
    let dir = root().join("tests/fixtures/defects");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest");
    let mut checked = 0;
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, result, diagnosis, warnings, at) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        if diagnosis == "key-dns-error" {
            continue; // needs a DNS server that fails: tests/it/check_dns.rs
        }
        let at: u64 = at.parse().expect("at");
        for lf in [false, true] {
            let r = report(&dir.join(file), &dir.join("keys.zone"), at, lf).await;
            let got = match verdicts(&r).first() {
                Some(v) => v.clone(),
                None => (r.dkim.to_string(), "no-signature".into(), "-".into()),
            };
            assert_eq!(
                got,
                (result.into(), diagnosis.into(), warnings.into()),
                "{file} ({})",
                if lf { "LF" } else { "CRLF" }
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} fixture runs");
}

/// Every sample against its row in sample-headers/manifest.tsv: the overall
/// result, then (result, diagnosis, warnings) per signature, top first. A row
/// naming no-signature means the message has none.
#[tokio::test]
async fn samples_tell_their_story() {
    let dir = root().join("sample-headers");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest");
    let mut rows = manifest.lines();
    assert_eq!(
        rows.next(),
        Some("file\tdkim\tresult\tdiagnosis\twarnings\tat\tnote"),
        "manifest columns"
    );
    let mut listed = 0;
    for line in rows.filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, dkim, at) = (cols[0], cols[1], cols[5]);
        let at: u64 = at.parse().expect("at");
        let per_signature = |c: usize| cols[c].split(';').map(str::to_string);
        let mut want: Vec<(String, String, String)> = per_signature(2)
            .zip(per_signature(3))
            .zip(per_signature(4))
            .map(|((r, d), w)| (r, d, w))
            .collect();
        if want.len() == 1 && want[0].1 == "no-signature" {
            want.clear();
        }
        for lf in [false, true] {
            let r = report(&dir.join(file), &dir.join("keys.zone"), at, lf).await;
            assert_eq!(r.dkim.as_str(), dkim, "{file} lf={lf}");
            assert_eq!(verdicts(&r), want, "{file} lf={lf}");
            assert!(!r.headline().is_empty());
        }
        listed += 1;
    }
    // Every sample on disk is in the manifest.
    let on_disk = std::fs::read_dir(&dir)
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml"))
        })
        .count();
    assert_eq!(on_disk, listed);
}

#[tokio::test]
async fn the_trace_keeps_its_evidence() {
    let dir = root().join("sample-headers");
    let r = report(
        &dir.join("footer-appended.eml"),
        &dir.join("keys.zone"),
        1_763_985_600,
        false,
    )
    .await;
    let c = &r.signatures[0].check;
    let names: Vec<&str> = c.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(
        names,
        [
            "locate",
            "tags",
            "key",
            "body",
            "headers",
            "signature",
            "verdict"
        ]
    );
    let body = c.body.as_ref().expect("body step ran");
    assert!(!body.matches);
    assert_ne!(body.hash.digest, c.sig.bh);
    let hh = c.headers.as_ref().expect("headers hashed");
    assert!(hh.input.ends_with(&hh.signature_field));
    assert!(
        hh.signature_field.windows(3).any(|w| w == b"b=;") || hh.signature_field.ends_with(b"b=")
    );
    // The signature over the headers still verifies: only the body changed.
    assert_eq!(c.crypto, Some(true));
}

/// The localization findings the samples' README names, per signature.
#[tokio::test]
async fn samples_carry_their_findings() {
    let at = 1_764_000_000 - 4 * 3600;
    let table: &[(&str, &[&[&str]])] = &[
        ("footer-appended.eml", &[&["body-appended"]]),
        ("bounce-dsn-footer.eml", &[&["body-appended"]]),
        ("subject-spam-tagged.eml", &[&["subject-tagged"]]),
        ("pass-rsa-sha256-relaxed.eml", &[&[]]),
        ("mailing-list-body-length.eml", &[&[]]),
    ];
    let dir = root().join("sample-headers");
    for (file, want) in table {
        for lf in [false, true] {
            let r = report(&dir.join(file), &dir.join("keys.zone"), at, lf).await;
            let got: Vec<Vec<&str>> = r
                .signatures
                .iter()
                .map(|s| s.check.findings.iter().map(|f| f.code.as_str()).collect())
                .collect();
            assert_eq!(got, *want, "{file} lf={lf}");
        }
    }
    // The evidence: the footer's size and the tag text.
    let r = report(
        &dir.join("footer-appended.eml"),
        &dir.join("keys.zone"),
        at,
        false,
    )
    .await;
    match &r.signatures[0].check.findings[0].evidence {
        dkimscope::dkim::localize::Evidence::Appended(a) => {
            assert_eq!((a.lines, a.bytes), (4, 223));
            assert!(a.text.starts_with(b"--\r\nThis e-mail"));
        }
        other => panic!("no appended evidence: {other:?}"),
    }
    let r = report(
        &dir.join("subject-spam-tagged.eml"),
        &dir.join("keys.zone"),
        at,
        true,
    )
    .await;
    match &r.signatures[0].check.findings[0].evidence {
        dkimscope::dkim::localize::Evidence::Tag { tag, .. } => assert_eq!(tag, "[SPAM] "),
        other => panic!("no tag evidence: {other:?}"),
    }
}

/// A manifest note that starts with "finding CODE" names the fixture's
/// first localization finding.
#[tokio::test]
async fn defect_fixtures_give_the_finding_their_manifest_notes_name() {
    let dir = root().join("tests/fixtures/defects");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest");
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(code) = cols
            .get(5)
            .and_then(|n| n.strip_prefix("finding "))
            .and_then(|n| n.split(':').next())
        else {
            continue;
        };
        for lf in [false, true] {
            let r = report(
                &dir.join(cols[0]),
                &dir.join("keys.zone"),
                1_764_000_000,
                lf,
            )
            .await;
            let got = r.signatures[0]
                .check
                .findings
                .first()
                .map(|f| f.code.as_str());
            assert_eq!(got, Some(code), "{} lf={lf}", cols[0]);
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}
