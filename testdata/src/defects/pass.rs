//! Fixtures that pass, or carry no signature at all: the baselines (rsa-sha256
//! relaxed and simple, ed25519), a header block without a body, and an unsigned
//! message.

use super::Fixture;
use crate::compose::{DEFECTS_AT, fixture_message, fixture_signer};
use crate::sign::Canon;

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "pass.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "-",
        at: DEFECTS_AT,
        note: "rsa-sha256 relaxed/relaxed, 2048-bit key",
        build: |keys| {
            let m = fixture_message("pass", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025").sign(&m)?.message)
        },
    },
    Fixture {
        file: "pass-ed25519.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "-",
        at: DEFECTS_AT,
        note: "ed25519-sha256 (RFC 8463)",
        build: |keys| {
            let m = fixture_message("pass ed25519", "alice@example.com");
            Ok(fixture_signer(keys, "ed", "ed2025").sign(&m)?.message)
        },
    },
    Fixture {
        file: "pass-simple.eml",
        result: "pass",
        diagnosis: "pass",
        warnings: "-",
        at: DEFECTS_AT,
        note: "rsa-sha256 simple/simple",
        build: |keys| {
            let m = fixture_message("pass simple", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .canon(Canon::Simple, Canon::Simple)
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "headers-only-pass.eml",
        result: "pass",
        diagnosis: "headers-only-pass",
        warnings: "-",
        at: DEFECTS_AT,
        note: "header block only: no empty line, no body",
        build: |keys| {
            let m = fixture_message("headers only", "alice@example.com");
            let signed = String::from_utf8(fixture_signer(keys, "com", "s2025").sign(&m)?.message)
                .map_err(|e| e.to_string())?;
            let head = format!(
                "{}\r\n",
                signed.split("\r\n\r\n").next().unwrap_or_default()
            );
            Ok(head.into_bytes())
        },
    },
    Fixture {
        file: "no-signature.eml",
        result: "none",
        diagnosis: "no-signature",
        warnings: "-",
        at: DEFECTS_AT,
        note: "no DKIM-Signature header field",
        build: |_| Ok(fixture_message("unsigned", "alice@example.com")),
    },
];
