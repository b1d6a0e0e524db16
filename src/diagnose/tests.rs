//! The stages together: what a later stage adds to a signature's verdict.

use crate::diagnose::{Clock, analyse_with};
use crate::dkim::codes::Warning;
use crate::dns::{Layered, ZoneKeys};

/// A subdomain signs for the parent's From; the parent's DMARC record says
/// `adkim` as given.
async fn warnings_under(adkim: &str) -> Vec<Warning> {
    let raw = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mail.example.com; s=s1;\r\n\th=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AbCd\r\nFrom: a@example.com\r\nSubject: x\r\n\r\nbody\r\n";
    let zone = format!("_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject; adkim={adkim}\"\n");
    let keys = Layered::offline(ZoneKeys::parse("keys", &zone));
    let clock = Clock {
        now: 1_764_000_000,
        real: false,
    };
    let r = analyse_with(crate::message::parse(raw.as_bytes().to_vec()), &keys, clock).await;
    let c = &r.signatures[0].check;
    c.warnings.iter().map(|(w, _)| *w).collect()
}

#[tokio::test]
async fn alignment_warning_follows_the_policys_adkim() {
    let relaxed = warnings_under("r").await;
    assert!(
        !relaxed.contains(&Warning::NotAlignedWithFrom),
        "{relaxed:?}"
    );
    let strict = warnings_under("s").await;
    assert!(strict.contains(&Warning::NotAlignedWithFrom), "{strict:?}");
}

async fn sample(raw: &[u8], zone: &str, clock: Clock) -> crate::diagnose::Report {
    let keys = Layered::offline(ZoneKeys::parse("keys", zone));
    analyse_with(crate::message::parse(raw.to_vec()), &keys, clock).await
}

const NOV_2025: Clock = Clock {
    now: 1_764_000_000,
    real: false,
};

/// The ed25519 key withdrawn: the RSA signature, aligned with From, decides.
#[tokio::test]
async fn the_headline_leads_with_the_aligned_passing_signature() {
    let zone: String = include_str!("../../sample-headers/keys.zone")
        .lines()
        .filter(|l| !l.starts_with("ed2025."))
        .map(|l| format!("{l}\n"))
        .collect();
    let r = sample(
        include_bytes!("../../sample-headers/pass-ed25519-and-rsa.eml"),
        &zone,
        NOV_2025,
    )
    .await;
    let h = r.headline();
    assert!(
        h.starts_with("The signature of example.com (s=s2025) verifies and is aligned"),
        "{h}"
    );
    assert!(h.contains("1 other signature does not verify"), "{h}");
}

/// mail-auth's known differences are expected, not disagreements: its
/// neutral for an expired signature, for a body hash mismatch, for a body
/// not supplied.
#[tokio::test]
async fn known_mail_auth_differences_are_expected() {
    let expired = sample(
        include_bytes!("../../tests/fixtures/real/fastmail-internal-expired.eml"),
        include_str!("../../tests/fixtures/real/keys.zone"),
        Clock {
            now: 1_800_000_000,
            real: true,
        },
    )
    .await;
    for s in &expired.signatures {
        assert_eq!(s.disagreement, None);
        let why = s.mail_auth_expected.as_deref().unwrap();
        assert!(why.contains("expired"), "{why}");
    }
    let footer = sample(
        include_bytes!("../../sample-headers/footer-appended.eml"),
        include_str!("../../sample-headers/keys.zone"),
        NOV_2025,
    )
    .await;
    let s = &footer.signatures[0];
    assert_eq!(
        s.check.diagnosis,
        crate::dkim::codes::Diagnosis::BodyHashMismatch
    );
    assert_eq!(s.disagreement, None);
    assert!(
        s.mail_auth_expected
            .as_deref()
            .unwrap()
            .contains("body hash")
    );
    let paste = sample(
        include_bytes!("../../sample-headers/headers-only-outlook-paste.eml"),
        include_str!("../../sample-headers/keys.zone"),
        NOV_2025,
    )
    .await;
    assert!(paste.signatures.iter().all(|s| s.disagreement.is_none()));
}

/// Fastmail's own signature (key known) checked long after delivery: still
/// permerror now, but valid when delivered, and Fastmail's pass agrees as
/// of delivery; the signature whose key is missing is not comparable.
#[tokio::test]
async fn expired_after_delivery_agrees_at_delivery() {
    use crate::diagnose::Agreement;
    use crate::dkim::codes::{Diagnosis, Finding};
    let r = sample(
        include_bytes!("../../tests/fixtures/real/fastmail-internal-expired.eml"),
        include_str!("../../tests/fixtures/real/keys.zone"),
        Clock {
            now: 1_800_000_000,
            real: true,
        },
    )
    .await;
    assert!(r.delivered_at.is_some());
    let fm3 = r
        .signatures
        .iter()
        .find(|s| s.check.sig.s == "fm3")
        .unwrap();
    assert_eq!(fm3.check.diagnosis, Diagnosis::SigExpired);
    let f = fm3
        .check
        .findings
        .iter()
        .find(|f| f.code == Finding::ExpiredAfterDelivery)
        .unwrap();
    assert!(
        f.detail.starts_with("valid when delivered at 2025-10-30"),
        "{}",
        f.detail
    );
    assert!(crate::diagnose::advice::advise(&fm3.check).contains("--at"));
    let said = |s: &str| {
        r.auth_results
            .iter()
            .find(|a| a.parsed.method == "dkim" && a.parsed.props.iter().any(|(_, v)| v == s))
            .and_then(|a| a.link.agreement)
    };
    assert_eq!(said("fm3"), Some(Agreement::AgreesAtDelivery));
    // The wezfurlong.org key is not in the zone: nothing to compare.
    let fm1 = r
        .signatures
        .iter()
        .find(|s| s.check.sig.s == "fm1")
        .unwrap();
    assert!(!crate::diagnose::timing::valid_at_delivery(&fm1.check));
    assert_eq!(said("fm1"), Some(Agreement::NotComparable));
    // Its x= still passed after delivery: the advice is not "use a longer
    // expiry" but "fetch the key and re-check as of delivery".
    assert!(crate::diagnose::timing::expired_later(&fm1.check));
    let advice = crate::diagnose::advice::advise(&fm1.check);
    assert!(
        advice.contains("dig +noall +answer TXT fm1._domainkey.wezfurlong.org")
            && !advice.contains("longer expiry"),
        "{advice}"
    );
}
