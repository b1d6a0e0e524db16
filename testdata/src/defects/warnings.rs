//! Fixtures that pass with exactly one warning each: a 1024-bit key, `l=`, From
//! signed once, a key in testing mode, a future `t=`, a signing domain not
//! aligned with From.

use super::Fixture;
use crate::compose::{DEFECTS_AT, append, fixture_message, fixture_signer};
use crate::sign::BodyLength;

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "weak-key-1024.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "weak-key-1024",
        at: DEFECTS_AT,
        note: "RSA 1024-bit key",
        build: |keys| {
            let m = fixture_message("weak key", "alice@example.com");
            Ok(fixture_signer(keys, "weak", "weak1024").sign(&m)?.message)
        },
    },
    Fixture {
        file: "body-length-limit.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "body-length-limit",
        at: DEFECTS_AT,
        note: "l= covers the original body; one line appended",
        build: |keys| {
            let m = fixture_message("length limit", "alice@example.com");
            let s = fixture_signer(keys, "com", "s2025")
                .body_length(BodyLength::Full)
                .sign(&m)?;
            Ok(append(
                &s.message,
                "Unsigned text appended after the l= count.\n",
            ))
        },
    },
    Fixture {
        file: "from-not-oversigned.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "from-not-oversigned",
        at: DEFECTS_AT,
        note: "h= lists from once",
        build: |keys| {
            let m = fixture_message("from once", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .headers(&[
                    "from",
                    "to",
                    "subject",
                    "date",
                    "message-id",
                    "mime-version",
                    "content-type",
                ])
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "testing-mode.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "testing-mode",
        at: DEFECTS_AT,
        note: "record t=y",
        build: |keys| {
            let m = fixture_message("testing", "alice@example.com");
            Ok(fixture_signer(keys, "com", "testing").sign(&m)?.message)
        },
    },
    Fixture {
        file: "future-timestamp.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "future-timestamp",
        at: DEFECTS_AT,
        note: "t=1764086400 is one day after at",
        build: |keys| {
            let m = fixture_message("future", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .timestamp(DEFECTS_AT + 86_400)
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "not-aligned-with-from.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "not-aligned-with-from",
        at: DEFECTS_AT,
        note: "d=esp.example.net, From @example.com",
        build: |keys| {
            let m = fixture_message("not aligned", "alice@example.com");
            Ok(fixture_signer(keys, "esp", "esp1").sign(&m)?.message)
        },
    },
];
