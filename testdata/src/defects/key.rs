//! Fixtures whose key record is at fault: absent, behind a dangling CNAME,
//! unreachable, revoked, malformed, too short, or restricted (`k=`, `h=`, `s=`,
//! `t=s`) so that the signature cannot use it.

use super::Fixture;
use crate::compose::{DEFECTS_AT, fixture_message, fixture_signer};

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "key-not-found.eml",
        result: "permerror",
        diagnosis: "key-not-found",
        warnings: "-",
        at: DEFECTS_AT,
        note: "missing._domainkey.example.com is absent and keys.zone has an SOA for example.com (NXDOMAIN)",
        build: |keys| {
            let m = fixture_message("key not found", "alice@example.com");
            Ok(fixture_signer(keys, "com", "missing").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-cname-dangling.eml",
        result: "permerror",
        diagnosis: "key-cname-dangling",
        warnings: "-",
        at: DEFECTS_AT,
        note: "selector1._domainkey.contoso.example CNAME selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com. whose target is absent (SOA onmicrosoft.com)",
        build: |keys| {
            let m = fixture_message("dangling cname", "alice@contoso.example");
            Ok(fixture_signer(keys, "contoso", "selector1")
                .sign(&m)?
                .message)
        },
    },
    Fixture {
        file: "key-dns-error.eml",
        result: "temperror",
        diagnosis: "key-dns-error",
        warnings: "-",
        at: DEFECTS_AT,
        note: "test DNS server must answer SERVFAIL for s2025._domainkey.dnsfail.example.net. (listed in servfail.txt); offline this is key-offline-missing",
        build: |keys| {
            let m = fixture_message("servfail", "alice@dnsfail.example.net");
            Ok(fixture_signer(keys, "net", "s2025").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-offline-missing.eml",
        result: "temperror",
        diagnosis: "key-offline-missing",
        warnings: "-",
        at: DEFECTS_AT,
        note: "offline only: s2025._domainkey.example.org is not in keys.zone and no SOA covers example.org",
        build: |keys| {
            let m = fixture_message("offline missing", "alice@example.org");
            Ok(fixture_signer(keys, "org", "s2025").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-revoked.eml",
        result: "permerror",
        diagnosis: "key-revoked",
        warnings: "-",
        at: DEFECTS_AT,
        note: "record p= is empty",
        build: |keys| {
            let m = fixture_message("revoked", "alice@example.com");
            Ok(fixture_signer(keys, "com", "revoked").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-malformed-base64.eml",
        result: "permerror",
        diagnosis: "key-malformed",
        warnings: "-",
        at: DEFECTS_AT,
        note: "record p= is not base64",
        build: |keys| {
            let m = fixture_message("malformed key base64", "alice@example.com");
            Ok(fixture_signer(keys, "com", "badb64").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-malformed-keydata.eml",
        result: "permerror",
        diagnosis: "key-malformed",
        warnings: "-",
        at: DEFECTS_AT,
        note: "record p= is valid base64 of bytes that are not a public key",
        build: |keys| {
            let m = fixture_message("malformed key data", "alice@example.com");
            Ok(fixture_signer(keys, "com", "garbage").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-too-short.eml",
        result: "permerror",
        diagnosis: "key-too-short",
        warnings: "-",
        at: DEFECTS_AT,
        note: "RSA 512-bit key (valid signature)",
        build: |keys| {
            let m = fixture_message("short key", "alice@example.com");
            Ok(fixture_signer(keys, "short", "short512").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-algorithm-mismatch.eml",
        result: "permerror",
        diagnosis: "key-algorithm-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "a=rsa-sha256 but the record is k=ed25519",
        build: |keys| {
            let m = fixture_message("algorithm mismatch", "alice@example.com");
            Ok(fixture_signer(keys, "com", "edkey").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-hash-not-allowed.eml",
        result: "permerror",
        diagnosis: "key-hash-not-allowed",
        warnings: "-",
        at: DEFECTS_AT,
        note: "record h=sha1, signature a=rsa-sha256",
        build: |keys| {
            let m = fixture_message("hash not allowed", "alice@example.com");
            Ok(fixture_signer(keys, "com", "sha1only").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-service-mismatch.eml",
        result: "permerror",
        diagnosis: "key-service-mismatch",
        warnings: "-",
        at: DEFECTS_AT,
        note: "record s=other",
        build: |keys| {
            let m = fixture_message("service mismatch", "alice@example.com");
            Ok(fixture_signer(keys, "com", "othersvc").sign(&m)?.message)
        },
    },
    Fixture {
        file: "key-strict-subdomain.eml",
        result: "permerror",
        diagnosis: "key-strict-subdomain",
        warnings: "-",
        at: DEFECTS_AT,
        note: "record t=s, signature i=@sub.example.com with d=example.com",
        build: |keys| {
            let m = fixture_message("strict subdomain", "alice@example.com");
            Ok(fixture_signer(keys, "com", "strict")
                .identity("@sub.example.com")
                .sign(&m)?
                .message)
        },
    },
];
