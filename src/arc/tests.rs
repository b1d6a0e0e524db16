//! Hand-made ARC sets: each structure error gives `fail` with its reason
//! and instance, and ARC's tag rules differ from DKIM's where RFC 8617 says.
//! Signatures here are dummies: structure is decided before any crypto.

use super::collect::{self, BadInstance, Kind};
use super::*;
use crate::message;

const AMS: &str =
    "a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; h=from:to; bh=AAAA; b=AAAA";
const AS: &str = "a=rsa-sha256; d=example.org; s=sel; b=AAAA";

fn set(i: usize, cv: &str) -> String {
    format!(
        "ARC-Seal: i={i}; cv={cv}; {AS}\r\nARC-Message-Signature: i={i}; {AMS}\r\nARC-Authentication-Results: i={i}; mx.example.org; spf=pass\r\n"
    )
}

fn chain(headers: &str) -> ArcChain {
    let raw = format!("{headers}From: a@example.org\r\nTo: b@example.net\r\n\r\nbody\r\n");
    let msg = message::parse(raw.into_bytes());
    validate(&msg, &[], 0, &mut BodyCache::default())
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
    // No keys: the structure holds, the AMS then fails on its key.
    let c = chain(&set(1, "none"));
    assert_eq!(c.sets, 1);
    assert_eq!(c.broken_at, Some(1));
    assert!(c.reason.contains("most recent AMS"), "{}", c.reason);
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
        Some(SealResult::Fail)
    );
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
}
