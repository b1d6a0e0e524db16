//! Fixtures changed in transit after signing, one per localization finding:
//! text appended to the body, trailing spaces stripped, a Subject tag, a
//! refolded header.

use super::Fixture;
use crate::compose::{
    DEFECTS_AT, T0, append, date, fixture_message, fixture_signer, msg, replace_once,
};
use crate::sign::Canon;

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "body-hash-mismatch.eml",
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "finding body-appended: 3 lines appended after signing",
        build: |keys| {
            let m = fixture_message("body changed", "alice@example.com");
            let s = fixture_signer(keys, "com", "s2025").sign(&m)?;
            Ok(append(
                &s.message,
                "--\nThis message was scanned by ExampleGuard.\nNo viruses found.\n",
            ))
        },
    },
    Fixture {
        file: "body-hash-mismatch-whitespace.eml",
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "finding body-whitespace: c=relaxed/simple and a relay stripped trailing spaces from one line",
        build: |keys| {
            let m = msg(
                &[
                    "From: Alice <alice@example.com>".into(),
                    "To: Bob <bob@example.org>".into(),
                    "Subject: whitespace".into(),
                    format!("Date: {}", date(T0 - 5, 0)),
                    "Message-ID: <whitespace@example.com>".into(),
                    "MIME-Version: 1.0".into(),
                    "Content-Type: text/plain; charset=us-ascii".into(),
                ],
                "Hello Bob,   \n\nTrailing spaces on this line.   \nAlice\n",
            );
            let s = fixture_signer(keys, "com", "s2025")
                .canon(Canon::Relaxed, Canon::Simple)
                .sign(&m)?;
            Ok(replace_once(&s.message, "line.   \r\n", "line.\r\n"))
        },
    },
    Fixture {
        file: "signature-mismatch.eml",
        result: "fail",
        diagnosis: "signature-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "finding subject-tagged: \"[EXTERNAL] \" prefixed after signing",
        build: |keys| {
            let m = fixture_message("header changed", "alice@example.com");
            let s = fixture_signer(keys, "com", "s2025").sign(&m)?;
            Ok(replace_once(
                &s.message,
                "Subject: header changed",
                "Subject: [EXTERNAL] header changed",
            ))
        },
    },
    Fixture {
        file: "signature-mismatch-refolded.eml",
        result: "fail",
        diagnosis: "signature-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "finding header-refolded: c=simple/simple and the Subject was folded in transit",
        build: |keys| {
            let m = msg(
                &[
                    "From: Alice <alice@example.com>".into(),
                    "To: Bob <bob@example.org>".into(),
                    "Subject: a rather long subject line that a relay decided to fold".into(),
                    format!("Date: {}", date(T0 - 5, 0)),
                    "Message-ID: <refolded@example.com>".into(),
                    "MIME-Version: 1.0".into(),
                    "Content-Type: text/plain; charset=us-ascii".into(),
                ],
                "Hello Bob,\n\nThis is a test message for dkimscope.\n\nAlice\n",
            );
            let s = fixture_signer(keys, "com", "s2025")
                .canon(Canon::Simple, Canon::Simple)
                .sign(&m)?;
            Ok(replace_once(
                &s.message,
                "line that a relay",
                "line that\r\n a relay",
            ))
        },
    },
];
