//! Who wrote the Authentication-Results of real deliveries (Fastmail's
//! internal hops, Gmail's field below its arrival, Exchange Online's
//! nameless fields) and of a forged one.

use crate::diagnose::{Clock, Report, analyse_trusting};
use crate::dns::{Layered, ZoneKeys};

const CLOCK: Clock = Clock {
    now: 1_764_000_000,
    real: false,
};

async fn report(raw: &[u8], trusted: &[&str]) -> Report {
    let keys = Layered::offline(ZoneKeys::parse("none", ""));
    let msg = crate::message::parse(raw.to_vec());
    let lookups = crate::diagnose::lookups(&msg, &keys).await;
    let trusted: Vec<String> = trusted.iter().map(|s| s.to_string()).collect();
    analyse_trusting(msg, &lookups, CLOCK, &trusted)
}

fn suspects(r: &Report) -> Vec<(String, String)> {
    r.auth_results
        .iter()
        .filter(|s| s.link.suspect)
        .map(|s| (s.parsed.authserv_id.clone(), s.parsed.method.clone()))
        .collect()
}

#[tokio::test]
async fn fastmail_statements_are_its_own_through_internal_hops() {
    let r = report(
        include_bytes!("../../../tests/fixtures/real/fastmail-delivery.eml"),
        &[],
    )
    .await;
    assert!(r.auth_results.len() >= 8);
    assert_eq!(suspects(&r), vec![]);
    let dkim = r
        .auth_results
        .iter()
        .find(|s| s.parsed.method == "dkim")
        .unwrap();
    let why = dkim.link.trusted_by.as_deref().unwrap();
    assert!(why.contains("phl-mx-04.messagingengine.com"), "{why}");
    assert!(why.contains("above"), "{why}");
    // The field number is the header field the statement came from.
    assert_eq!(dkim.link.field, dkim.parsed.field);
    // The receiving side ends at Fastmail's MX: Gmail's hops are the sender's.
    let side = super::receiving_side(&r.received);
    let arrival = side.arrival().unwrap();
    assert!(
        arrival
            .by
            .as_deref()
            .unwrap()
            .starts_with("phl-mx-04.messagingengine.com")
    );
    assert!(
        arrival
            .from
            .as_deref()
            .unwrap()
            .starts_with("mail-qk1-f174.google.com")
    );
    assert!(
        side.delivery()
            .unwrap()
            .by
            .as_deref()
            .unwrap()
            .starts_with("slotpi15m71")
    );
}

#[tokio::test]
async fn gmail_writes_its_field_just_below_its_arrival() {
    let r = report(
        include_bytes!("../../../tests/fixtures/real/gmail-delivery.eml"),
        &[],
    )
    .await;
    assert_eq!(suspects(&r), vec![]);
    let why = r.auth_results[0].link.trusted_by.as_deref().unwrap();
    assert!(why.contains("just below"), "{why}");
}

#[tokio::test]
async fn a_field_below_the_hop_before_the_receiver_is_flagged() {
    let r = report(
        include_bytes!("../../../tests/fixtures/real/gmail-forged-ar.eml"),
        &[],
    )
    .await;
    let forged: Vec<_> = r.auth_results.iter().filter(|s| s.link.suspect).collect();
    assert_eq!(forged.len(), 2, "{:?}", suspects(&r));
    assert!(forged.iter().all(|s| {
        s.parsed
            .props
            .iter()
            .any(|(k, v)| k == "header.b" && v == "FORGED00")
            || s.parsed.method == "dmarc"
    }));
    let why = forged[0].link.suspect_why.as_deref().unwrap();
    assert!(why.contains("came with the message"), "{why}");
    // The genuine field above stays trusted.
    assert!(
        r.auth_results
            .iter()
            .any(|s| !s.link.suspect && s.parsed.method == "dkim" && s.link.trusted_by.is_some())
    );
    // A site that strips its own id at the border may say so.
    let r = report(
        include_bytes!("../../../tests/fixtures/real/gmail-forged-ar.eml"),
        &["mx.google.com"],
    )
    .await;
    assert_eq!(suspects(&r), vec![]);
}

#[tokio::test]
async fn exchange_online_fields_without_an_id_are_microsofts() {
    let r = report(
        include_bytes!("../../../tests/fixtures/real/m365-delivery.eml"),
        &[],
    )
    .await;
    assert!(!r.auth_results.is_empty());
    assert_eq!(suspects(&r), vec![]);
    let why = r.auth_results[0].link.trusted_by.as_deref().unwrap();
    assert!(why.contains("Exchange Online delivered"), "{why}");
    assert_eq!(
        r.auth_results[0].writer(),
        "Exchange Online (no authserv-id)"
    );
}

#[tokio::test]
async fn nameless_fields_from_a_sending_exchange_are_flagged() {
    // Exchange Online sent it; another receiver delivered it.
    let raw = "Received: from mail-db8eur05olkn2018.outbound.protection.outlook.com (mail-db8 [40.92.89.18])\r\n\tby mx.example.net (Postfix) with ESMTPS id E2370DEB0B; Wed, 1 Dec 2021 10:00:02 +0000\r\nReceived: from AS8PR02MB6934.eurprd02.prod.outlook.com by AM6PR0202MB3477.eurprd02.prod.outlook.com with HTTPS; Wed, 1 Dec 2021 10:00:01 +0000\r\nAuthentication-Results: dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=example.org;\r\nFrom: a@example.org\r\n\r\nhi\r\n";
    let r = report(raw.as_bytes(), &[]).await;
    assert_eq!(suspects(&r).len(), 2);
    let why = r.auth_results[0].link.suspect_why.as_deref().unwrap();
    assert!(why.contains("did not deliver"), "{why}");
    assert_eq!(r.auth_results[0].writer(), "(no authserv-id)");
}

#[test]
fn quoted_ids_and_internal_names() {
    assert_eq!(super::clean_id("\"mx.google.com\""), "mx.google.com");
    assert!(!super::is_public_host("phl-compute-02.internal"));
    assert!(!super::is_public_host("slotpi15m71"));
    assert!(!super::is_public_host("2002:a05:6a20:3211::1"));
    assert!(super::is_public_host("mx.google.com"));
    assert_eq!(
        super::operator("SA1PR11MB8473.namprd11.prod.outlook.com"),
        super::operator("mx.microsoft.com")
    );
}

#[tokio::test]
async fn a_quoted_authserv_id_is_the_receiver() {
    let raw = "Received: from mail.example.com by mx.google.com with ESMTPS id x; Mon, 24 Nov 2025 04:00:09 -0800\r\nAuthentication-Results: \"mx.google.com\"; spf=pass smtp.mailfrom=a@example.com\r\nFrom: a@example.com\r\n\r\nhi\r\n";
    let r = report(raw.as_bytes(), &[]).await;
    assert_eq!(r.auth_results[0].parsed.authserv_id, "mx.google.com");
    assert!(!r.auth_results[0].link.suspect);
}

#[tokio::test]
async fn a_receiving_side_that_names_no_host_is_said_so() {
    let raw = "Received: from mail.example.org with SMTP id 1; Wed, 1 Dec 2021 10:00:02 +0000\r\nAuthentication-Results: spf=pass smtp.mailfrom=example.org;\r\nFrom: a@example.org\r\n\r\nhi\r\n";
    let r = report(raw.as_bytes(), &[]).await;
    let why = r.auth_results[0].link.suspect_why.as_deref().unwrap();
    assert!(why.contains("the receiving side is unnamed"), "{why}");
    assert!(!why.contains("by )"), "{why}");
}
