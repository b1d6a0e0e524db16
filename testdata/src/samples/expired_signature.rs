//! `expired-signature.eml`. Stored mail checked again later: the signature
//! passed on delivery but its `x=` is now in the past.

use super::{Sample, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "expired-signature.eml",
    shows: "stored mail re-checked later: x= (t= + 7 days, 2025-11-20) is before --at; it passed on delivery",
    dkim: "permerror",
    verdicts: &[Verdict {
        result: "permerror",
        diagnosis: "sig-expired",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let com = keys.get("rsa2048-example-com");
    let t = 1_763_000_000; // 2025-11-13, x = t + 7 days, before --at
    let m = msg(
        &[
            received(
                "[192.0.2.44] (unknown [192.0.2.44])",
                "mail.example.com (Postfix)",
                "ESMTPSA",
                "4d6lHk2sXwz9sVb",
                "bob@example.org",
                t - 1,
                60,
            ),
            "From: Alice Martin <alice@example.com>".into(),
            "To: Bob Keller <bob@example.org>".into(),
            "Subject: Signed offer, valid for one week".into(),
            format!("Date: {}", date(t - 2, 60)),
            "Message-ID: <0a9e8d7c-6b5a-4f3e-2d1c-0b9a8f7e6d5c@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=UTF-8".into(),
        ],
        "Bob,\n\nas agreed on the phone: the offer below is valid until 20 November.\n\nAlice\n",
    );
    let s = Signer::new(com, "example.com", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .expiration(t + 86_400 * 7)
        .sign(&m)?;
    let full = prepend(
        &[
            "Return-Path: <alice@example.com>".into(),
            "Delivered-To: bob@example.org".into(),
            format!(
                "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid Yk2wF0DFFWnKNgAAgYvYhA\n\t(envelope-from <alice@example.com>)\n\tfor <bob@example.org>; {}",
                date(t + 3, 0)
            ),
            format!(
                "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; secure) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=alice@example.com;\n\tdmarc=pass (p=reject dis=none) header.from=example.com",
                hb(&s.b)
            ),
            received(
                "mail.example.com (mail.example.com [192.0.2.25])",
                "mx.example.org (Postfix)",
                "ESMTPS",
                "4d6lHm0bYtz1xYs",
                "bob@example.org",
                t + 1,
                0,
            ),
        ],
        &s.message,
    );
    Ok(full)
}
