//! Hand-made ARC sets: each structure error gives `fail` with its reason
//! and instance, and ARC's tag rules differ from DKIM's where RFC 8617 says.
//! Signatures here are dummies: structure is decided before any crypto.

use super::collect::{self, BadInstance, Kind};
use super::*;
use crate::message;

/// bh= is the relaxed body hash of the test message's body ("body").
const AMS: &str = "a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; h=from:to; bh=Ck5SoRNWUpSR4X0COv7R5ub2pUTtl6xz4dTFz++ji4M=; b=AAAA";
const AS: &str = "a=rsa-sha256; d=example.org; s=sel; b=AAAA";

fn set(i: usize, cv: &str) -> String {
    format!(
        "ARC-Seal: i={i}; cv={cv}; {AS}\r\nARC-Message-Signature: i={i}; {AMS}\r\nARC-Authentication-Results: i={i}; mx.example.org; spf=pass\r\n"
    )
}

fn chain(headers: &str) -> ArcChain {
    chain_with(headers, &[])
}

fn chain_with(headers: &str, lookups: &[TxtLookup]) -> ArcChain {
    let raw = format!("{headers}From: a@example.org\r\nTo: b@example.net\r\n\r\nbody\r\n");
    let msg = message::parse(raw.into_bytes());
    validate(&msg, lookups, 0, &mut BodyCache::default())
}

/// The answer `--offline` gives for a name no keys file has.
fn offline(name: &str) -> TxtLookup {
    TxtLookup {
        query: name.into(),
        hops: Vec::new(),
        answer: crate::dns::Answer::OfflineMissing,
        served_by: crate::dns::ServedBy::Offline,
        elapsed: std::time::Duration::ZERO,
        soa: None,
        recorded: None,
        dnssec: crate::dns::Dnssec::Unknown,
    }
}

fn fails(headers: &str, at: Option<usize>, why: &str) {
    let c = chain(headers);
    assert_eq!(c.cv, ArcCv::Fail, "{headers}");
    assert_eq!(c.broken_at, at, "{}", c.reason);
    assert!(c.reason.contains(why), "{:?} lacks {why:?}", c.reason);
}

#[test]
fn no_arc_fields_is_none() {
    let c = chain("Subject: hi\r\n");
    assert_eq!((c.cv.as_str(), c.sets), ("none", 0));
}

#[test]
fn a_well_formed_set_reaches_the_key_step() {
    // The key is missing offline: the structure holds, and the verdict
    // waits for the key: temperror, naming it and how to fetch it.
    let c = chain_with(&set(1, "none"), &[offline("sel._domainkey.example.org")]);
    assert_eq!(c.sets, 1);
    assert_eq!(
        (c.cv, c.broken_at),
        (ArcCv::TempError, None),
        "{}",
        c.reason
    );
    assert!(
        c.reason
            .contains("dig +noall +answer TXT sel._domainkey.example.org"),
        "{}",
        c.reason
    );
    assert_eq!(c.missing_keys.len(), 1);
    assert_eq!(c.missing_keys[0].name, "sel._domainkey.example.org");
    assert_eq!(c.missing_keys[0].needed_by, ["AMS i=1", "AS i=1"]);
    let inst = &c.instances[0];
    assert_eq!(inst.cv.as_deref(), Some("none"));
    assert_eq!(inst.aar_text.as_deref(), Some("mx.example.org; spf=pass"));
    let steps: Vec<&str> = inst
        .ams_check
        .as_ref()
        .map(|a| a.steps.iter().map(|s| s.step.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        steps,
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
    assert_eq!(
        inst.seal_check.as_ref().map(|s| s.result),
        Some(SealResult::TempError)
    );
}

#[test]
fn two_sets_claiming_one_instance_fail_even_without_keys() {
    // rspamd-style: a second hop numbered its set i=1 again.
    let c = chain_with(
        &format!("{}{}", set(1, "none"), set(1, "none")),
        &[offline("sel._domainkey.example.org")],
    );
    assert_eq!((c.cv, c.broken_at), (ArcCv::Fail, Some(1)), "{}", c.reason);
    assert!(c.reason.contains("set i=1 has 2"), "{}", c.reason);
    assert!(c.missing_keys.is_empty());
}

#[test]
fn a_definite_failure_outranks_a_missing_key() {
    // Set 2's seal says cv=none where cv=pass belongs: broken, whatever
    // the keys would say.
    let c = chain_with(
        &format!("{}{}", set(2, "none"), set(1, "none")),
        &[offline("sel._domainkey.example.org")],
    );
    assert_eq!((c.cv, c.broken_at), (ArcCv::Fail, Some(2)), "{}", c.reason);
    // The chain each hop received: nothing below set 1; set 1 alone below
    // set 2, which waits for its key.
    assert_eq!(c.cv_below(1), Some(ArcCv::None));
    assert_eq!(c.cv_below(2), Some(ArcCv::TempError));
    assert_eq!(c.cv_below(3), None);
}

#[test]
fn a_body_that_changed_fails_without_the_key() {
    // bh= does not match the body: the AMS fails whatever key is published.
    let headers =
        set(1, "none").replace("bh=Ck5SoRNWUpSR4X0COv7R5ub2pUTtl6xz4dTFz++ji4M=", "bh=AAAA");
    let c = chain_with(&headers, &[offline("sel._domainkey.example.org")]);
    assert_eq!((c.cv, c.broken_at), (ArcCv::Fail, Some(1)), "{}", c.reason);
    assert!(c.reason.contains("most recent AMS"), "{}", c.reason);
}

#[test]
fn missing_and_duplicated_fields() {
    let one = set(1, "none");
    let no_ams: String = one
        .lines()
        .filter(|l| !l.starts_with("ARC-Message"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    fails(&no_ams, Some(1), "has no ARC-Message-Signature");
    let no_aar: String = one
        .lines()
        .filter(|l| !l.starts_with("ARC-Auth"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    fails(&no_aar, Some(1), "has no ARC-Authentication-Results");
    let dup_seal = format!("ARC-Seal: i=1; cv=none; {AS}\r\n{one}");
    fails(&dup_seal, Some(1), "has 2 ARC-Seal fields");
}

#[test]
fn instances_must_run_from_one_without_gaps() {
    fails(
        &format!("{}{}", set(3, "pass"), set(1, "none")),
        Some(2),
        "set i=2 has no",
    );
}

#[test]
fn unreadable_instances() {
    fails(
        &set(1, "none").replace("ARC-Seal: i=1;", "ARC-Seal:"),
        None,
        "ARC-Seal (header field 1): no i= tag",
    );
    fails(
        &set(1, "none").replace("ARC-Message-Signature: i=1", "ARC-Message-Signature: i=a"),
        None,
        "i=a is not a number",
    );
    fails(
        &set(1, "none").replace(
            "Results: i=1; mx.example.org;",
            "Results: mx.example.org; i=1;",
        ),
        None,
        "does not start with i=",
    );
    fails(
        &set(1, "none").replace("Results: i=1;", "Results: i=1"),
        None,
        "is not followed by ';'",
    );
    fails(&set(1, "none").replace("i=1", "i=0"), None, "i=0");
}

#[test]
fn more_than_fifty_sets() {
    let c = chain(&set(51, "pass"));
    assert_eq!(c.cv, ArcCv::Fail);
    assert!(c.reason.contains("more than 50"), "{}", c.reason);
    assert_eq!(c.notes.len(), 1);
}

#[test]
fn cv_values_must_fit_their_place() {
    fails(&set(1, "pass"), Some(1), "the first seal must say cv=none");
    fails(
        &format!("{}{}", set(2, "none"), set(1, "none")),
        Some(2),
        "a later seal must say cv=pass",
    );
    fails(
        &format!("{}{}", set(2, "pass"), set(1, "fail")),
        Some(1),
        "cv=fail",
    );
    // The most recent seal saying fail ends it before anything else.
    fails(
        &format!("{}{}", set(2, "fail"), set(1, "none")),
        Some(2),
        "a hop before found the chain broken",
    );
}

#[test]
fn arc_tag_rules() {
    let issues = |v: &str, k| {
        collect::read_sig(v.as_bytes(), k)
            .issues
            .into_iter()
            .map(|i| i.message)
            .collect::<Vec<_>>()
    };
    // i= is an instance (no identity problem), v= is ignored.
    assert!(issues(&format!("i=1; v=9; {AMS}"), Kind::Ams).is_empty());
    assert!(issues(&format!("i=1; cv=none; {AS}"), Kind::Seal).is_empty());
    let has = |v: Vec<String>, want: &str| {
        assert!(v.iter().any(|m| m.contains(want)), "{v:?} lacks {want:?}");
    };
    has(
        issues(&format!("i=1; cv=none; h=from; {AS}"), Kind::Seal),
        "no h= tag",
    );
    has(
        issues(&format!("i=1;; cv=none; {AS}"), Kind::Seal),
        "empty tag-spec",
    );
    has(
        issues(
            &format!("i=1; cv=none; {AS}").replace("s=sel", "S=sel"),
            Kind::Seal,
        ),
        "s= is missing",
    );
    has(
        issues(&format!("i=1; cv=maybe; {AS}"), Kind::Seal),
        "not none, pass or fail",
    );
    has(
        issues(
            &format!("i=1; cv=none; {AS}").replace("b=AAAA", ""),
            Kind::Seal,
        ),
        "b= is missing",
    );
    has(
        issues(
            &format!("i=1; {AMS}").replace("h=from:to", "h=from:arc-seal"),
            Kind::Ams,
        ),
        "must not sign ARC-Seal",
    );
    // SHA-1 is refused for a seal, whatever the key says.
    let sha1 = collect::read_sig(
        format!("i=1; cv=none; {AS}")
            .replace("rsa-sha256", "rsa-sha1")
            .as_bytes(),
        Kind::Seal,
    );
    let msg = message::parse(set(1, "none").into_bytes());
    let s = seal::check_seal(&msg, &[[2, 1, 0]], sha1, None);
    assert_eq!(s.result, SealResult::Fail);
    assert!(s.reason.contains("RFC 8301"), "{}", s.reason);
}

#[test]
fn aar_instance_forms() {
    let inst = |v: &str| {
        let raw = format!("ARC-Authentication-Results:{v}\r\n\r\n");
        collect::fields(&message::parse(raw.into_bytes()))[0]
            .instance
            .clone()
    };
    assert_eq!(inst(" i=2; mx.example"), Ok(2));
    assert_eq!(inst("  i = 7 ;mx"), Ok(7));
    assert!(matches!(inst(" i=; mx"), Err(BadInstance::Unreadable(_))));
    assert_eq!(inst(" i=99; mx"), Err(BadInstance::TooHigh(99)));
}

#[test]
fn seal_input_is_in_rfc_order() {
    let msg = message::parse(set(1, "none").into_bytes());
    let sig = collect::read_sig(msg.value_bytes(&msg.headers[0]), Kind::Seal);
    let input = seal::seal_input(&msg, &[[2, 1, 0]], &sig);
    let text = String::from_utf8_lossy(&input);
    assert!(text.starts_with(
        "arc-authentication-results:i=1; mx.example.org; spf=pass\r\narc-message-signature:i=1;"
    ));
    assert!(
        text.ends_with("arc-seal:i=1; cv=none; a=rsa-sha256; d=example.org; s=sel; b="),
        "{text}"
    );
}

#[test]
fn mail_auth_disagreement_is_shown() {
    let mut c = chain(&set(1, "pass"));
    c.set_mail_auth(Some(crate::dkim::crosscheck::Opinion {
        result: crate::dkim::codes::Outcome::Pass,
        detail: String::new(),
    }));
    assert!(
        c.disagreement
            .as_deref()
            .is_some_and(|d| d.contains("mail-auth says pass")),
        "{:?}",
        c.disagreement
    );
    c.set_mail_auth(Some(crate::dkim::crosscheck::Opinion {
        result: crate::dkim::codes::Outcome::Fail,
        detail: "x".into(),
    }));
    assert!(c.disagreement.is_none());
    // mail-auth's temperror is not our fail.
    c.set_mail_auth(Some(crate::dkim::crosscheck::Opinion {
        result: crate::dkim::codes::Outcome::TempError,
        detail: "dns".into(),
    }));
    assert!(c.disagreement.is_some());
}
