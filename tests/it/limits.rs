//! The documented limits (README "Limits") end in a note or a named
//! diagnosis, never a panic or a silent cut: key records over 64 KiB, ARC
//! chains over 50 sets. (Header fields, h= picks and signatures are in
//! tests/it/adversarial.rs.)

use dkimscope::arc::MAX_SETS as MAX_ARC_SETS;
use dkimscope::diagnose::analyse_with;
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;

const SIG: &str = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=huge; h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n";

#[tokio::test]
async fn a_key_record_over_64_kib_is_malformed_with_the_reason() {
    let mut zone = String::from("huge._domainkey.example.com. 3600 IN TXT \"v=DKIM1; p=\"");
    for _ in 0..280 {
        zone.push_str(&format!(" \"{}\"", "A".repeat(255)));
    }
    zone.push('\n');
    let keys = Layered::offline(ZoneKeys::parse("huge.zone", &zone));
    let msg = message::parse(format!("{SIG}From: a@example.com\r\n\r\n").into_bytes());
    let r = analyse_with(
        msg,
        &keys,
        dkimscope::diagnose::Clock {
            now: 1_764_000_000,
            real: false,
        },
    )
    .await;
    let c = &r.signatures[0].check;
    assert_eq!(c.diagnosis.as_str(), "key-malformed");
    let key = c
        .steps
        .iter()
        .find(|s| s.step == dkimscope::dkim::codes::Step::Key)
        .unwrap();
    assert!(
        key.detail.contains("over the 64 KiB limit"),
        "{}",
        key.detail
    );
}

#[tokio::test]
async fn an_arc_chain_over_50_sets_fails_with_a_note() {
    let mut m = String::new();
    for i in (1..=MAX_ARC_SETS + 1).rev() {
        m.push_str(&format!(
            "ARC-Seal: i={i}; a=rsa-sha256; cv=pass; d=example.com; s=s; b=AAAA\r\n"
        ));
    }
    m.push_str("From: a@example.com\r\n\r\nx\r\n");
    let keys = Layered::offline(ZoneKeys::default());
    let r = analyse_with(
        message::parse(m.into_bytes()),
        &keys,
        dkimscope::diagnose::Clock {
            now: 1_764_000_000,
            real: false,
        },
    )
    .await;
    assert_eq!(r.arc.cv, dkimscope::arc::ArcCv::Fail);
    let said = format!("{} {:?}", r.arc.reason, r.arc.notes);
    assert!(
        said.contains(&format!("more than {MAX_ARC_SETS} ARC sets")),
        "{said}"
    );
}
