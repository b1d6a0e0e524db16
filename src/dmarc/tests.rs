//! DMARC records as published in the wild, and alignment outcomes.

use super::*;
use crate::dns::{ServedBy, TxtRecord};

fn lookup(name: &str, answer: Answer) -> TxtLookup {
    TxtLookup {
        query: name.into(),
        hops: Vec::new(),
        answer,
        served_by: ServedBy::Offline,
        elapsed: std::time::Duration::ZERO,
        soa: None,
        recorded: None,
        dnssec: crate::dns::Dnssec::Unknown,
    }
}

fn txt(name: &str, texts: &[&str]) -> TxtLookup {
    lookup(
        name,
        Answer::Txt(
            texts
                .iter()
                .map(|t| TxtRecord {
                    strings: vec![t.as_bytes().to_vec()],
                    ttl: None,
                    origin: None,
                })
                .collect(),
        ),
    )
}

#[test]
fn parses_every_tag_and_keeps_problems() {
    let r = parse_record(
        "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; pct=50; rua=mailto:d@example.com,https://x.example; ruf=mailto:f@example.com; fo=1:d; rf=afrf; ri=3600; zz=1",
    );
    assert_eq!(r.p.as_deref(), Some("reject"));
    assert_eq!(r.sp.as_deref(), Some("quarantine"));
    assert_eq!(r.np.as_deref(), Some("reject"));
    assert_eq!(
        (r.adkim, r.aspf, r.pct, r.ri),
        (Mode::Strict, Mode::Relaxed, 50, 3600)
    );
    assert_eq!(r.rua.len(), 2);
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems); // https rua, unknown zz
    let bad = parse_record("p=block; v=DMARC1; pct=200; adkim=x");
    assert!(bad.p.is_none());
    assert!(bad.problems.iter().any(|p| p.contains("first tag")));
    assert!(bad.problems.iter().any(|p| p.contains("pct=200")));
    assert!(bad.problems.iter().any(|p| p.contains("not usable")));
    let rua_only = parse_record("v=DMARC1; rua=mailto:d@example.com");
    assert_eq!(rua_only.p.as_deref(), Some("none"));
}

#[test]
fn alignment_and_results() {
    let sigs = vec![
        (0, "mail.example.com".to_string(), true),
        (1, "esp.example.net".to_string(), true),
    ];
    let rec = txt("_dmarc.example.com", &["v=DMARC1; p=reject"]);
    let d = evaluate("example.com", "example.com", &[&rec], &sigs);
    assert_eq!(d.result, DmarcResult::Pass);
    assert!(d.alignments[0].passes && !d.alignments[1].aligned);

    let strict = txt("_dmarc.example.com", &["v=DMARC1; p=quarantine; adkim=s"]);
    let d = evaluate("example.com", "example.com", &[&strict], &sigs);
    assert_eq!(d.result, DmarcResult::Fail);
    assert!(
        d.alignments[0]
            .note
            .contains("relaxed alignment would accept")
    );

    // A subdomain falls back to the organizational domain, where sp= applies.
    let none = lookup("_dmarc.news.example.com", Answer::NxDomain);
    let orgrec = txt("_dmarc.example.com", &["v=DMARC1; p=reject; sp=none"]);
    let d = evaluate("news.example.com", "example.com", &[&none, &orgrec], &[]);
    assert_eq!(
        (d.result, d.policy.as_deref()),
        (DmarcResult::Fail, Some("none"))
    );
    assert_eq!(d.found_at.as_deref(), Some("_dmarc.example.com"));

    let spf_only = txt("_dmarc.example.org", &["v=spf1 -all"]);
    let d = evaluate("example.org", "example.org", &[&spf_only], &sigs);
    assert_eq!(d.result, DmarcResult::None);
    let two = txt(
        "_dmarc.example.org",
        &["v=DMARC1; p=none", "v=DMARC1; p=reject"],
    );
    assert_eq!(
        evaluate("example.org", "example.org", &[&two], &sigs).result,
        DmarcResult::PermError
    );
    let off = lookup("_dmarc.example.org", Answer::OfflineMissing);
    let d = evaluate("example.org", "example.org", &[&off], &sigs);
    assert_eq!(d.result, DmarcResult::TempError);
    assert!(d.explanation.contains("dig"));
}

#[test]
fn relaxed_alignment_uses_the_psl() {
    let relaxed = |d, f| aligned(d, f, Mode::Relaxed);
    assert!(relaxed("mail.example.com", "example.com"));
    assert!(relaxed("a.example.co.uk", "b.example.co.uk"));
    assert!(!relaxed("example.co.uk", "other.co.uk"));
    assert!(!relaxed("esp.example.net", "example.com"));
    assert!(!aligned("mail.example.com", "example.com", Mode::Strict));
}

fn spf(id: &str, result: &str, mailfrom: &str) -> crate::auth_results::AuthResult {
    crate::auth_results::AuthResult {
        authserv_id: id.into(),
        method: "spf".into(),
        result: result.into(),
        reason: None,
        props: vec![("smtp.mailfrom".into(), mailfrom.into())],
        comment: None,
        field: 0,
        problems: Vec::new(),
    }
}

#[test]
fn the_receivers_spf_is_judged_for_alignment() {
    let relaxed = parse_record("v=DMARC1; p=reject");
    let strict = parse_record("v=DMARC1; p=reject; aspf=s");
    let r = [spf("mx.example.net", "pass", "bounce@mail.example.com")];
    let s = receiver_spf(&r, "example.com", Some(&relaxed)).expect("spf");
    assert_eq!(
        (s.domain.as_str(), s.aligned, s.carries_dmarc),
        ("mail.example.com", true, true)
    );
    assert!(
        s.note.contains("SPF alone makes DMARC pass there"),
        "{}",
        s.note
    );
    // aspf=s wants the same name.
    let s = receiver_spf(&r, "example.com", Some(&strict)).expect("spf");
    assert!(!s.aligned && !s.carries_dmarc);
    // Another organization's MAIL FROM, or a fail, cannot carry DMARC.
    let other = [spf("mx.example.net", "pass", "esp.example.org")];
    assert!(
        !receiver_spf(&other, "example.com", None)
            .expect("spf")
            .carries_dmarc
    );
    let failed = [spf("mx.example.net", "softfail", "example.com")];
    let s = receiver_spf(&failed, "example.com", None).expect("spf");
    assert!(s.aligned && !s.carries_dmarc);
    // No MAIL FROM domain: nothing aligns.
    let empty = [spf("mx.example.net", "pass", "")];
    assert!(
        !receiver_spf(&empty, "example.com", None)
            .expect("spf")
            .aligned
    );
    assert!(receiver_spf(&[], "example.com", None).is_none());
}
