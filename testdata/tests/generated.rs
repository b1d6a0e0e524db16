//! The committed test data is exactly what the generator produces, covers every
//! code in DESIGN.md, its manifests agree with the specs, and mail-auth (the
//! cross-check) sees what we expect.

use dkimscope_testdata::compose::Keys;
use dkimscope_testdata::mailauth::Verifier;
use dkimscope_testdata::zone::Zone;
use dkimscope_testdata::{DEFECTS_DIR, SAMPLES_DIR, checkout, generate, samples};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    checkout()
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().to_string()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn committed_files_match_generator() {
    let keys = Keys::committed().unwrap();
    let generated = generate(&keys).unwrap();
    for sub in [SAMPLES_DIR, DEFECTS_DIR] {
        let fresh: BTreeMap<String, &[u8]> = generated
            .iter()
            .filter(|(p, _)| p.parent() == Some(Path::new(sub)))
            .map(|(p, d)| (name(p), d.as_slice()))
            .collect();
        let committed: Vec<String> = list(&root().join(sub)).iter().map(|p| name(p)).collect();
        assert_eq!(
            fresh.keys().cloned().collect::<Vec<_>>(),
            committed,
            "{sub}: file list differs"
        );
        for (file, data) in &fresh {
            let path = root().join(sub).join(file);
            assert!(
                std::fs::read(&path).unwrap() == *data,
                "{} is stale: run gen-samples",
                path.display()
            );
        }
    }
}

#[test]
fn sample_manifest_names_every_sample() {
    let dir = root().join(SAMPLES_DIR);
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut lines = manifest.lines();
    assert_eq!(
        lines.next(),
        Some("file\tdkim\tresult\tdiagnosis\twarnings\tat\tnote")
    );
    let mut files = Vec::new();
    for line in lines {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 7, "{line}");
        assert!(dir.join(cols[0]).exists(), "{line}");
        let per_signature: Vec<usize> = cols[2..5].iter().map(|c| c.split(';').count()).collect();
        assert!(
            per_signature.iter().all(|&n| n == per_signature[0]),
            "{line}: result, diagnosis and warnings name different numbers of signatures"
        );
        files.push(cols[0].to_string());
    }
    let eml: Vec<String> = list(&dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| name(p))
        .collect();
    files.sort();
    assert_eq!(files, eml);
}

/// Where the README's cells are written out by hand, they still name every
/// code of the manifest row.
#[test]
fn readme_cells_agree_with_the_verdicts() {
    for s in samples::ALL {
        let (result, diagnosis, warnings) = s.shown();
        for v in s.verdicts {
            assert!(result.contains(v.result), "{}: {result}", s.file);
            assert!(diagnosis.contains(v.diagnosis), "{}: {diagnosis}", s.file);
            for w in v.warnings.split(',').filter(|w| *w != "-") {
                assert!(warnings.contains(w), "{}: {warnings}", s.file);
            }
        }
    }
}

#[test]
fn messages_use_crlf_only() {
    for sub in ["sample-headers", "tests/fixtures/defects"] {
        for p in list(&root().join(sub)) {
            if p.extension().is_some_and(|e| e == "eml") {
                let d = std::fs::read(&p).unwrap();
                for (i, &b) in d.iter().enumerate() {
                    if b == b'\n' {
                        assert!(i > 0 && d[i - 1] == b'\r', "bare LF in {}", p.display());
                    }
                }
            }
        }
    }
}

#[test]
fn manifest_covers_every_code() {
    let manifest =
        std::fs::read_to_string(root().join("tests/fixtures/defects/manifest.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = manifest
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    for r in &rows {
        assert_eq!(r.len(), 6, "{r:?}");
        assert!(root().join("tests/fixtures/defects").join(r[0]).exists());
    }
    let codes = [
        "pass",
        "headers-only-pass",
        "no-signature",
        "sig-malformed",
        "sig-missing-tag",
        "sig-bad-version",
        "sig-unknown-algorithm",
        "sig-from-not-signed",
        "sig-identity-mismatch",
        "sig-expired",
        "sig-sha1",
        "key-not-found",
        "key-cname-dangling",
        "key-dns-error",
        "key-offline-missing",
        "key-revoked",
        "key-malformed",
        "key-too-short",
        "key-algorithm-mismatch",
        "key-hash-not-allowed",
        "key-service-mismatch",
        "key-strict-subdomain",
        "body-hash-mismatch",
        "signature-mismatch",
    ];
    for c in codes {
        assert!(rows.iter().any(|r| r[2] == c), "no fixture for {c}");
    }
    let warnings = [
        "weak-key-1024",
        "body-length-limit",
        "from-not-oversigned",
        "testing-mode",
        "future-timestamp",
        "not-aligned-with-from",
    ];
    for w in warnings {
        let with: Vec<_> = rows
            .iter()
            .filter(|r| r[3].split(',').any(|x| x == w))
            .collect();
        assert_eq!(
            with.len(),
            1,
            "warning {w} should appear in exactly one fixture"
        );
    }
}

/// What mail-auth 0.13 itself answers for each fixture. Where it differs from
/// the product's verdict (manifest.tsv) the product must show the disagreement.
#[test]
fn mail_auth_view_of_fixtures() {
    let dir = root().join("tests/fixtures/defects");
    let zone = Zone::load(&dir.join("keys.zone")).unwrap();
    let v = Verifier::new(&zone).unwrap();
    let expected = [
        ("pass.eml", "pass"),
        ("pass-ed25519.eml", "pass"),
        ("pass-simple.eml", "pass"),
        ("headers-only-pass.eml", "neutral"),
        ("no-signature.eml", "-"),
        ("sig-malformed-base64.eml", "-"),
        ("sig-malformed-duplicate-tag.eml", "pass"),
        ("sig-missing-tag.eml", "-"),
        ("sig-bad-version.eml", "neutral"),
        ("sig-unknown-algorithm.eml", "neutral"),
        ("sig-from-not-signed.eml", "pass"),
        ("sig-identity-mismatch.eml", "fail"),
        ("sig-expired.eml", "neutral"),
        ("sig-sha1.eml", "pass"),
        ("key-not-found.eml", "permerror"),
        ("key-cname-dangling.eml", "permerror"),
        ("key-dns-error.eml", "temperror"),
        ("key-offline-missing.eml", "temperror"),
        ("key-revoked.eml", "permerror"),
        ("key-malformed-base64.eml", "permerror"),
        ("key-malformed-keydata.eml", "permerror"),
        ("key-too-short.eml", "pass"),
        ("key-algorithm-mismatch.eml", "fail"),
        ("key-hash-not-allowed.eml", "pass"),
        ("key-service-mismatch.eml", "pass"),
        ("key-strict-subdomain.eml", "fail"),
        ("body-hash-mismatch.eml", "neutral"),
        ("body-hash-mismatch-whitespace.eml", "neutral"),
        ("signature-mismatch.eml", "fail"),
        ("signature-mismatch-refolded.eml", "fail"),
        ("weak-key-1024.eml", "pass"),
        ("body-length-limit.eml", "neutral"),
        ("from-not-oversigned.eml", "pass"),
        ("testing-mode.eml", "pass"),
        ("future-timestamp.eml", "pass"),
        ("not-aligned-with-from.eml", "pass"),
    ];
    let rt = rt();
    for (file, want) in expected {
        let raw = std::fs::read(dir.join(file)).unwrap();
        let out = rt.block_on(v.verify(&raw)).unwrap();
        let got = out.first().map_or("-", |o| o.result.as_str());
        assert_eq!(got, want, "{file}: {out:?}");
    }
}

#[test]
fn mail_auth_view_of_samples() {
    let dir = root().join("sample-headers");
    let zone = Zone::load(&dir.join("keys.zone")).unwrap();
    let v = Verifier::new(&zone).unwrap();
    let expected: &[(&str, &[&str])] = &[
        ("pass-rsa-sha256-relaxed.eml", &["pass"]),
        ("pass-ed25519-and-rsa.eml", &["pass", "pass"]),
        ("m365-dangling-cname.eml", &["permerror"]),
        ("m365-cname-pass.eml", &["pass"]),
        ("selector-missing-nxdomain.eml", &["permerror"]),
        ("footer-appended.eml", &["neutral"]),
        ("subject-spam-tagged.eml", &["fail"]),
        ("revoked-key.eml", &["permerror"]),
        ("expired-signature.eml", &["neutral"]),
        ("headers-only-outlook-paste.eml", &["neutral"]),
        ("bounce-dsn-footer.eml", &[]),
        ("unsigned.eml", &[]),
        ("multi-signature-esp.eml", &["pass", "neutral"]),
        ("rsa-sha1-legacy.eml", &["pass"]),
        ("weak-key-1024.eml", &["pass"]),
        ("mailing-list-body-length.eml", &["neutral"]),
        ("path-list-footer.eml", &["neutral"]),
        ("path-gateway-before-i1.eml", &["neutral"]),
        ("path-after-last-hop.eml", &["neutral"]),
        ("path-three-hops.eml", &["neutral"]),
        ("path-subject-tag-between-hops.eml", &["fail"]),
        ("path-reencoding-forwarder.eml", &["neutral"]),
        ("path-broken-seal.eml", &["pass"]),
        ("path-receivers-ar.eml", &["neutral"]),
    ];
    let rt = rt();
    let eml = list(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .count();
    assert_eq!(eml, expected.len());
    for (file, want) in expected {
        let raw = std::fs::read(dir.join(file)).unwrap();
        let out = rt.block_on(v.verify(&raw)).unwrap();
        let got: Vec<&str> = out.iter().map(|o| o.result.as_str()).collect();
        assert_eq!(&got, want, "{file}: {out:?}");
    }
    for file in ["subject-spam-tagged.eml", "mailing-list-body-length.eml"] {
        let raw = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(rt.block_on(v.verify_arc(&raw)).unwrap(), "pass", "{file}");
    }
    // The returned message inside the bounce fails on its body hash.
    let dsn = std::fs::read_to_string(dir.join("bounce-dsn-footer.eml")).unwrap();
    let start = dsn.find("Content-Type: message/rfc822").unwrap();
    let inner_start = dsn[start..].find("\r\n\r\n").unwrap() + start + 4;
    let inner_end = dsn.rfind("\r\n--").unwrap();
    let out = rt
        .block_on(v.verify(&dsn.as_bytes()[inner_start..inner_end]))
        .unwrap();
    assert_eq!(out[0].result, "neutral", "{out:?}");
    assert!(out[0].detail.contains("body hash"), "{out:?}");
}

/// mail-auth's ARC verdict on the path samples: every chain the generator
/// sealed verifies, except where the story breaks it (a change after the
/// last seal, a seal made with the wrong key).
#[test]
fn mail_auth_view_of_the_path_samples_arc() {
    let dir = root().join("sample-headers");
    let zone = Zone::load(&dir.join("keys.zone")).unwrap();
    let v = Verifier::new(&zone).unwrap();
    let rt = rt();
    for (file, want) in [
        ("path-list-footer.eml", "pass"),
        ("path-gateway-before-i1.eml", "pass"),
        // mail-auth says neutral for an AMS body hash that does not match.
        ("path-after-last-hop.eml", "neutral"),
        ("path-three-hops.eml", "pass"),
        ("path-subject-tag-between-hops.eml", "pass"),
        ("path-reencoding-forwarder.eml", "pass"),
        ("path-broken-seal.eml", "fail"),
        ("path-receivers-ar.eml", "none"),
    ] {
        let raw = std::fs::read(dir.join(file)).unwrap();
        let got = rt.block_on(v.verify_arc(&raw)).unwrap();
        assert_eq!(got, want, "{file}");
    }
}
