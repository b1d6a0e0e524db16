//! dkimscope's own ARC validation on the samples that carry a valid ARC
//! set, and on copies with one sealed or signed field changed: the chain
//! must pass as stored, and fail at the right instance once tampered with,
//! whichever line endings the file has.

use std::path::PathBuf;

use dkimscope::arc::SealResult;
use dkimscope::diagnose::{Report, analyse_with};
use dkimscope::dkim::codes::Outcome;
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::message;

/// 2025-11-24T12:00:00Z, as sample-headers/README.md.
const AT: u64 = 1_764_000_000 - 4 * 3600;

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-headers")
        .join(name);
    std::fs::read(path).expect("read sample")
}

async fn analyse_bytes(bytes: Vec<u8>) -> Report {
    let keys = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-headers/keys.zone");
    let keys = Layered::offline(ZoneKeys::from_files(&[keys]).expect("keys"));
    analyse_with(
        message::parse(bytes),
        &keys,
        dkimscope::diagnose::Clock {
            now: AT,
            real: false,
        },
    )
    .await
}

fn to_lf(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .into_bytes()
}

/// Replace the first `from` with `to` in the message.
fn edit(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    assert!(text.contains(from), "{from:?} not in the sample");
    text.replacen(from, to, 1).into_bytes()
}

const SAMPLES: [&str; 2] = ["subject-spam-tagged.eml", "mailing-list-body-length.eml"];

#[tokio::test]
async fn samples_with_an_arc_set_pass() {
    for name in SAMPLES {
        for lf in [false, true] {
            let raw = sample(name);
            let raw = if lf { to_lf(&raw) } else { raw };
            let r = analyse_bytes(raw).await;
            let a = &r.arc;
            assert_eq!(
                (a.cv.as_str(), a.sets, a.broken_at),
                ("pass", 1, None),
                "{name} lf={lf}: {}",
                a.reason
            );
            let inst = &a.instances[0];
            assert_eq!(inst.cv.as_deref(), Some("none"));
            let ams = inst.ams_check.as_ref().expect("AMS traced");
            assert_eq!(ams.result, Outcome::Pass, "{name}: {}", ams.reason);
            assert_eq!(ams.steps.len(), 7);
            let seal = inst.seal_check.as_ref().expect("seal checked");
            assert_eq!(seal.result, SealResult::Pass, "{name}: {}", seal.reason);
            assert_eq!(
                a.mail_auth.as_ref().map(|m| m.result.as_str()),
                Some("pass")
            );
            assert!(a.disagreement.is_none(), "{:?}", a.disagreement);
        }
    }
}

#[tokio::test]
async fn a_changed_aar_breaks_the_seal() {
    for name in SAMPLES {
        let raw = edit(
            &sample(name),
            "ARC-Authentication-Results: i=1; ",
            "ARC-Authentication-Results: i=1;  forged.example; dkim=pass;",
        );
        let r = analyse_bytes(raw).await;
        let a = &r.arc;
        assert_eq!((a.cv.as_str(), a.broken_at), ("fail", Some(1)), "{name}");
        assert!(
            a.reason.contains("the seal i=1 does not verify"),
            "{}",
            a.reason
        );
        let inst = &a.instances[0];
        // The AAR is sealed, not signed by the AMS in these samples.
        assert_eq!(
            inst.ams_check.as_ref().map(|c| c.result),
            Some(Outcome::Pass)
        );
        assert_eq!(
            inst.seal_check.as_ref().map(|s| s.result),
            Some(SealResult::Fail)
        );
    }
}

#[tokio::test]
async fn a_changed_signed_header_breaks_the_ams() {
    let raw = edit(
        &sample("mailing-list-body-length.eml"),
        "Subject: Proposal",
        "Subject: [list] Proposal",
    );
    let r = analyse_bytes(raw).await;
    let a = &r.arc;
    assert_eq!((a.cv.as_str(), a.broken_at), ("fail", Some(1)));
    assert!(a.reason.contains("most recent AMS (i=1)"), "{}", a.reason);
    // The seal does not cover the Subject: it still verifies.
    let inst = &a.instances[0];
    assert_eq!(
        inst.seal_check.as_ref().map(|s| s.result),
        Some(SealResult::Pass)
    );
}

#[tokio::test]
async fn the_json_report_carries_each_instance() {
    let r = analyse_bytes(sample("subject-spam-tagged.eml")).await;
    let line = dkimscope::report::json::message_line("x.eml", &r);
    let v: serde_json::Value = serde_json::from_str(&line).expect("json");
    let arc = &v["arc"];
    assert_eq!(arc["cv"], "pass");
    assert_eq!(arc["sets"], 1);
    assert_eq!(arc["broken_at"], serde_json::Value::Null);
    assert_eq!(arc["mail_auth"], "pass");
    let inst = &arc["instances"][0];
    assert_eq!(inst["i"], 1);
    assert_eq!(inst["cv"], "none");
    assert_eq!(inst["ams"]["result"], "pass");
    assert_eq!(inst["ams"]["diagnosis"], "pass");
    assert_eq!(inst["ams"]["steps"].as_array().map(Vec::len), Some(7));
    assert_eq!(inst["seal"]["result"], "pass");
    let text = dkimscope::report::text::message(
        "x.eml",
        &r,
        dkimscope::report::text::Style { color: false },
    );
    assert!(text.contains(" ARC: cv=pass over 1 set: "), "{text}");
    assert!(
        text.contains("AS  d=example.net s=arc2025 cv=none: ok"),
        "{text}"
    );
}

/// A real Fastmail-sealed message (tests/fixtures/real), checked offline.
async fn fastmail(with_key: bool) -> Report {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let raw = std::fs::read(dir.join("kumomta-fastmail-arc-gmail-2025.eml")).expect("fixture");
    let files = if with_key {
        vec![dir.join("keys.zone")]
    } else {
        Vec::new()
    };
    let keys = Layered::offline(ZoneKeys::from_files(&files).expect("keys"));
    // 2025-10-30T10:00:00Z, just after delivery.
    let clock = dkimscope::diagnose::Clock {
        now: 1_761_818_400,
        real: false,
    };
    analyse_with(message::parse(raw), &keys, clock).await
}

#[tokio::test]
async fn a_seal_whose_key_is_missing_is_temperror_not_fail() {
    let r = fastmail(false).await;
    let a = &r.arc;
    assert_eq!(
        (a.cv.as_str(), a.broken_at),
        ("temperror", None),
        "{}",
        a.reason
    );
    assert!(
        a.reason
            .contains("dig +noall +answer TXT fm3._domainkey.messagingengine.com"),
        "{}",
        a.reason
    );
    // mail-auth also says temperror: no disagreement.
    assert_eq!(
        a.mail_auth.as_ref().map(|m| m.result),
        Some(Outcome::TempError)
    );
    assert!(a.disagreement.is_none(), "{:?}", a.disagreement);
    let line = dkimscope::report::json::message_line("x.eml", &r);
    let v: serde_json::Value = serde_json::from_str(&line).expect("json");
    assert_eq!(v["arc"]["cv"], "temperror");
    assert_eq!(
        v["arc"]["missing_keys"][0]["name"],
        "fm3._domainkey.messagingengine.com"
    );
    assert_eq!(
        v["arc"]["missing_keys"][0]["dig"],
        "dig +noall +answer TXT fm3._domainkey.messagingengine.com"
    );
}

#[tokio::test]
async fn arc_none_before_the_receivers_own_set_agrees() {
    for with_key in [false, true] {
        let r = fastmail(with_key).await;
        let want = if with_key { "pass" } else { "temperror" };
        assert_eq!(r.arc.cv.as_str(), want);
        let st = r
            .auth_results
            .iter()
            .find(|s| s.parsed.method == "arc")
            .expect("an arc= statement");
        assert_eq!(st.parsed.result, "none");
        // Fastmail said arc=none, then added set i=1: it described the
        // message before its own set, where there was no chain.
        assert_eq!(st.link.ours, Some("none"), "with_key={with_key}");
        assert_eq!(
            st.link.agreement.map(|a| a.as_str()),
            Some("agrees"),
            "{:?}",
            st.link.comparison
        );
        assert!(
            st.link.link.as_deref().is_some_and(|l| l.contains("i=1")),
            "{:?}",
            st.link.link
        );
    }
}
