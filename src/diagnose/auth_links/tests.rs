//! Authentication-Results as Gmail, Microsoft 365, Proofpoint and Mimecast
//! write them, linked to a message's signatures and judged by who wrote them.

use crate::diagnose::{Report, analyse_with};
use crate::dns::{Layered, ZoneKeys};

const SIGS: &str = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s2025;\r\n\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=AbCdEf12Gh34Ij56Kl78Mn90OpQrStUvWxYz0123456789AB\r\n\tCDEFGHIJKLMNOPQRSTUVWXYZab==\r\nDKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=esp.example.net; s=esp1;\r\n\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=XyZw9876Vu54Ts32Rq10PoNmLkJiHgFeDcBa0123456789AB\r\n\tCDEFGHIJKLMNOPQRSTUVWXYZab==\r\nFrom: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nbody\r\n";

const GMAIL: &str = "Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=s2025 header.b=AbCdEf12;\r\n       dkim=pass header.i=@esp.example.net header.s=esp1 header.b=XyZw9876;\r\n       spf=pass (google.com: domain of alice@example.com designates 192.0.2.10 as permitted sender) smtp.mailfrom=alice@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com\r\n";
const PROOFPOINT: &str = "Authentication-Results: mx0a-00123401.pphosted.com;\r\n\tdkim=pass header.d=example.com header.s=s2025 header.b=\"AbCdEf12\";\r\n\tspf=pass smtp.mailfrom=alice@example.com; dmarc=pass (p=reject dis=none) header.from=example.com\r\n";
const MIMECAST: &str = "Authentication-Results: relay.mimecast.com;\r\n\tdkim=fail (\"body hash did not verify\") header.d=esp.example.net header.s=esp1 header.b=XyZw9876;\r\n\tdmarc=pass (policy=reject) header.from=example.com;\r\n\tspf=pass (relay.mimecast.com: domain of alice@example.com designates 192.0.2.10 as permitted sender) smtp.mailfrom=alice@example.com\r\n";
const M365: &str = "Authentication-Results: spf=pass (sender IP is 192.0.2.10)\r\n smtp.mailfrom=example.com; dkim=pass (signature was verified)\r\n header.d=example.com;dmarc=pass action=none\r\n header.from=example.com;compauth=fail reason=001\r\n";

async fn report(top: &str) -> Report {
    let raw = format!("{top}{GMAIL}{PROOFPOINT}{MIMECAST}{M365}{SIGS}");
    let keys = Layered::offline(ZoneKeys::parse("none", ""));
    analyse_with(
        crate::message::parse(raw.into_bytes()),
        &keys,
        crate::diagnose::Clock {
            now: 1_764_000_000,
            real: false,
        },
    )
    .await
}

#[tokio::test]
async fn links_each_vendor_statement_to_its_signature() {
    let r = report("Received: by 2002:a05:6f02:1::1 with SMTP id y2; Mon, 24 Nov 2025 04:00:10 -0800\r\nReceived: from mail-sor-f41.google.com by mx.google.com with SMTPS id x1;\r\n Mon, 24 Nov 2025 04:00:09 -0800\r\n").await;
    let rows: Vec<(&str, &str, Option<usize>, bool)> = r
        .auth_results
        .iter()
        .map(|s| (&s.parsed, &s.link))
        .map(|(a, l)| {
            (
                a.authserv_id.as_str(),
                a.method.as_str(),
                l.signature,
                l.suspect,
            )
        })
        .collect();
    let dkim: Vec<_> = rows.iter().filter(|r| r.1 == "dkim").collect();
    assert_eq!(dkim.len(), 5);
    // Gmail (the receiver: its host, not Gmail's IPv6 top line) links by header.b.
    assert_eq!(*dkim[0], ("mx.google.com", "dkim", Some(0), false));
    assert_eq!(*dkim[1], ("mx.google.com", "dkim", Some(1), false));
    // Proofpoint and Mimecast name no host of Gmail's receiving side.
    assert_eq!(
        *dkim[2],
        ("mx0a-00123401.pphosted.com", "dkim", Some(0), true)
    );
    assert_eq!(*dkim[3], ("relay.mimecast.com", "dkim", Some(1), true));
    // Microsoft 365 writes no authserv-id and only header.d: linked by d=.
    assert_eq!(*dkim[4], ("", "dkim", Some(0), true));
    let i = r
        .auth_results
        .iter()
        .position(|a| a.parsed.method == "compauth")
        .unwrap();
    let l = &r.auth_results[i].link;
    assert!(l.reason_meaning.as_deref().unwrap().contains("implicit"));
    // Ours beside the receiver's pass: offline without keys, these
    // signatures cannot be checked, which contradicts nothing.
    let first = &r.auth_results[0].link;
    let ours = r.signatures[0].check.result.as_str();
    assert_eq!(first.ours, Some(ours));
    assert_eq!(first.agreement, Some(super::Agreement::NotComparable));
    let said = first.comparison.as_deref().unwrap();
    assert!(said.contains("cannot check it now"), "{said}");
}

#[tokio::test]
async fn microsoft_receivers_trust_their_own_unnamed_results() {
    let r = report("Received: from BN9PR03CA0123.namprd03.prod.outlook.com by SA1PR11MB8473.namprd11.prod.outlook.com with HTTPS;\r\n Mon, 24 Nov 2025 12:00:01 +0000\r\n").await;
    for (a, l) in r.auth_results.iter().map(|s| (&s.parsed, &s.link)) {
        assert_eq!(l.suspect, !a.authserv_id.is_empty(), "{a:?}");
    }
}

#[tokio::test]
async fn ambiguous_and_unmatched_names() {
    let raw = format!(
        "Authentication-Results: mx.example.org; dkim=pass header.d=example.com header.s=other; dkim=none\r\n{SIGS}"
    );
    let keys = Layered::offline(ZoneKeys::parse("none", ""));
    let r = analyse_with(
        crate::message::parse(raw.into_bytes()),
        &keys,
        crate::diagnose::Clock {
            now: 0,
            real: false,
        },
    )
    .await;
    assert_eq!(r.auth_results[0].link.signature, None);
    assert!(
        r.auth_results[0]
            .link
            .link
            .as_deref()
            .unwrap()
            .contains("no signature")
    );
    // Without Received fields the topmost Authentication-Results is the receiver.
    assert!(!r.auth_results[0].link.suspect);
}
