//! Every code and tag dkimscope can show has a teaching text: the lists
//! below are the RFCs' tag lists and dkimscope's own code lists, and a
//! missing or empty text fails. Also the `explain` command's exit codes.

use std::process::Command;

use dkimscope::diagnose::advice;
use dkimscope::dkim::codes::{Diagnosis, Finding, Warning};
use dkimscope::explain::{self, Kind, Topic};

fn complete(kind: Kind, name: &str) -> &'static Topic {
    let t = explain::topic(kind, name)
        .unwrap_or_else(|| panic!("no explain text for {}:{name}", kind.prefix()));
    for (what, text) in [
        ("title", t.title),
        ("short", t.short),
        ("body", t.body),
        ("rfc", t.rfc),
        ("example", t.example),
    ] {
        assert!(
            text.trim().len() >= 3,
            "{}:{name} has no {what}",
            kind.prefix()
        );
    }
    t
}

#[test]
fn every_code_has_a_text() {
    for d in Diagnosis::ALL {
        let t = complete(Kind::Diagnosis, d.as_str());
        // The report's "what to do" line is the topic's short text.
        assert_eq!(advice::action(*d), t.short, "{d}");
        assert!(t.rfc.contains("RFC"), "{d}: {}", t.rfc);
    }
    for w in Warning::ALL {
        complete(Kind::Warning, w.as_str());
    }
    for f in Finding::ALL {
        complete(Kind::Finding, f.as_str());
    }
}

#[test]
fn every_tag_method_and_result_has_a_text() {
    let lists: &[(Kind, &[&str])] = &[
        (
            Kind::DkimTag,
            &[
                "v", "a", "b", "bh", "c", "d", "h", "i", "l", "q", "s", "t", "x", "z",
            ],
        ),
        (Kind::KeyTag, &["v", "h", "k", "n", "p", "s", "t"]),
        (Kind::Arc, &["i", "cv", "ams", "as", "aar"]),
        (
            Kind::Method,
            &[
                "dkim",
                "spf",
                "dmarc",
                "arc",
                "iprev",
                "auth",
                "compauth",
                "dkim-atps",
            ],
        ),
        (
            Kind::Result,
            &[
                "pass",
                "fail",
                "none",
                "neutral",
                "policy",
                "temperror",
                "permerror",
                "softfail",
                "hardfail",
                "bestguesspass",
            ],
        ),
        (
            Kind::DmarcTag,
            &[
                "v", "p", "sp", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri", "np",
            ],
        ),
    ];
    for (kind, names) in lists {
        for name in *names {
            let t = complete(*kind, name);
            // What a user types finds it: `key:p`, `dkim:l`, `b=`.
            let typed = format!("{}:{name}=", kind.prefix());
            let found = explain::lookup(&typed).unwrap_or_else(|| panic!("{typed} not found"));
            assert!(std::ptr::eq(found, t), "{typed}");
        }
    }
    // The RFC sections named for the DKIM tags are the tag list's.
    assert!(complete(Kind::DkimTag, "l").rfc.contains("RFC 6376 §3.5"));
    assert!(complete(Kind::KeyTag, "p").rfc.contains("RFC 6376 §3.6.1"));
    assert!(complete(Kind::DmarcTag, "np").rfc.contains("RFC 9091"));
}

fn explain_cmd(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dkimscope"))
        .arg("explain")
        .args(args)
        .output()
        .expect("run dkimscope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_explain_command() {
    let (code, out, _) = explain_cmd(&[]);
    assert_eq!(code, 0);
    for heading in [
        "DKIM-Signature tags",
        "diagnosis codes",
        "DMARC record tags",
    ] {
        assert!(out.contains(heading), "{heading} missing:\n{out}");
    }
    assert!(out.contains("key:p") && out.contains("key-cname-dangling"));

    let (code, out, _) = explain_cmd(&["key-cname-dangling"]);
    assert_eq!(code, 0);
    assert!(out.contains("Microsoft 365 Defender portal"), "{out}");
    assert!(out.contains("RFC 6376"), "{out}");

    let (code, out, _) = explain_cmd(&["bh="]);
    assert_eq!(code, 0);
    assert!(out.starts_with("bh — "), "{out}");

    let (code, out, err) = explain_cmd(&["key-cname-dangeling"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("closest: key-cname-dangling"), "{err}");
}
