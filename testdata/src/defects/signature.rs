//! Fixtures whose DKIM-Signature itself is at fault: malformed, missing a tag,
//! a version or algorithm dkimscope cannot use, From not signed, an identity
//! outside `d=`, expired, or rsa-sha1.

use super::Fixture;
use crate::compose::{DEFECTS_AT, fixture_message, fixture_signer};
use crate::sign::Algorithm;

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "sig-malformed-base64.eml",
        result: "permerror",
        diagnosis: "sig-malformed",
        warnings: "-",
        at: DEFECTS_AT,
        note: "b= contains characters outside base64 (* ! $ %)",
        build: |keys| {
            let m = fixture_message("bad base64", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .b_value("dGhpcyBpcyBub3Q*base64!/$%")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-malformed-duplicate-tag.eml",
        result: "permerror",
        diagnosis: "sig-malformed",
        warnings: "-",
        at: DEFECTS_AT,
        note: "c= appears twice (same value); otherwise a valid signature",
        build: |keys| {
            let m = fixture_message("duplicate tag", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .extra_tag("c", "relaxed/relaxed")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-missing-tag.eml",
        result: "permerror",
        diagnosis: "sig-missing-tag",
        warnings: "-",
        at: DEFECTS_AT,
        note: "no bh= tag",
        build: |keys| {
            let m = fixture_message("missing bh", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .omit("bh")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-bad-version.eml",
        result: "permerror",
        diagnosis: "sig-bad-version",
        warnings: "-",
        at: DEFECTS_AT,
        note: "v=2",
        build: |keys| {
            let m = fixture_message("version two", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .tag("v", "2")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-unknown-algorithm.eml",
        result: "permerror",
        diagnosis: "sig-unknown-algorithm",
        warnings: "-",
        at: DEFECTS_AT,
        note: "a=rsa-md5 (b= computed as rsa-sha256)",
        build: |keys| {
            let m = fixture_message("md5", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .tag("a", "rsa-md5")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-from-not-signed.eml",
        result: "permerror",
        diagnosis: "sig-from-not-signed",
        warnings: "-",
        at: DEFECTS_AT,
        note: "h=to:subject:date:message-id",
        build: |keys| {
            let m = fixture_message("from not signed", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .headers(&["to", "subject", "date", "message-id"])
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-identity-mismatch.eml",
        result: "permerror",
        diagnosis: "sig-identity-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "i=@other.example with d=example.com",
        build: |keys| {
            let m = fixture_message("identity", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .identity("@other.example")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-expired.eml",
        result: "permerror",
        diagnosis: "sig-expired",
        warnings: "-",
        at: DEFECTS_AT,
        note: "t=1763000000, x=1763604800 (t + 7 days) < at",
        build: |keys| {
            let m = fixture_message("expired", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .timestamp(1_763_000_000)
                .expiration(1_763_604_800)
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "sig-sha1.eml",
        result: "policy",
        diagnosis: "sig-sha1",
        warnings: "-",
        at: DEFECTS_AT,
        note: "a=rsa-sha1 with a 2048-bit key; cryptographically valid",
        build: |keys| {
            let m = fixture_message("sha1", "alice@example.com");
            Ok(fixture_signer(keys, "com", "s2025")
                .algorithm(Algorithm::RsaSha1)
                .sign(&m)?
                .message)
        },
    },
];
