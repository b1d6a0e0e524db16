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
