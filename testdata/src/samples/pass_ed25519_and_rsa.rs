//! `pass-ed25519-and-rsa.eml`. RFC 8463 dual signing: an ed25519-sha256
//! signature on top of an rsa-sha256 one, both passing, so several signatures
//! are shown top first.

use super::{Sample, Verdict};
use crate::compose::{Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::{Algorithm, Signer};

pub const SAMPLE: Sample = Sample {
    file: "pass-ed25519-and-rsa.eml",
    shows: "RFC 8463 dual signing: ed25519-sha256 (top) and rsa-sha256, both pass",
    dkim: "pass",
    verdicts: &[
        Verdict {
            result: "pass",
            diagnosis: "pass",
            warnings: "-",
        },
        Verdict {
            result: "pass",
            diagnosis: "pass",
            warnings: "-",
        },
    ],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let com = keys.get("rsa2048-example-com");
    let ed = keys.get("ed25519-example-com");
    let t = T0 + 3_571;
    let m = msg(
        &[
            received(
                "[192.0.2.51] (unknown [192.0.2.51])",
                "mail.example.com (Postfix)",
                "ESMTPSA",
                "4dF3Yb0QwSz9sWf",
                "suzie@example.net",
                t - 1,
                -300,
            ),
            "From: Joe SixPack <joe@example.com>".into(),
            "To: Suzie Q <suzie@example.net>".into(),
            "Subject: Is dinner ready?".into(),
            format!("Date: {}", date(t - 2, -300)),
            "Message-ID: <20251123071320.46341.5F8J@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=us-ascii".into(),
        ],
        "Hi.\n\nWe lost the game.  Are you hungry yet?\n\nJoe.\n",
    );
    let h = &[
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "from",
        "subject",
        "date",
    ];
    let rsa = Signer::new(com, "example.com", "s2025")
        .headers(h)
        .identity("@example.com")
        .query("dns/txt")
        .timestamp(t)
        .sign(&m)?;
    let eds = Signer::new(ed, "example.com", "ed2025")
        .algorithm(Algorithm::Ed25519Sha256)
        .headers(h)
        .identity("@example.com")
        .query("dns/txt")
        .timestamp(t)
        .sign(&rsa.message)?;
    let full = prepend(
        &[
            "Return-Path: <joe@example.com>".into(),
            "Delivered-To: suzie@example.net".into(),
            format!(
                "Received: from mx1.example.net\n\tby mbox3.example.net with LMTP\n\tid kBv9Kk4AI2k3AgAA8p1XQw\n\t(envelope-from <joe@example.com>)\n\tfor <suzie@example.net>; {}",
                date(t + 3, 0)
            ),
            format!(
                "Authentication-Results: mx1.example.net;\n\tdkim=pass header.d=example.com header.i=@example.com header.a=ed25519-sha256 header.s=ed2025 header.b={};\n\tdkim=pass header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=joe@example.com;\n\tdmarc=pass (p=reject dis=none) header.from=example.com",
                hb(&eds.b),
                hb(&rsa.b)
            ),
            received(
                "mail.example.com (mail.example.com [192.0.2.25])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))",
                "mx1.example.net (Postfix)",
                "ESMTPS",
                "4dF3Yc2HkNz7tRm",
                "suzie@example.net",
                t + 1,
                0,
            ),
        ],
        &eds.message,
    );
    Ok(full)
}
