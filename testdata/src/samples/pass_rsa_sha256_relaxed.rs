//! `pass-rsa-sha256-relaxed.eml`. The everyday case: one rsa-sha256
//! relaxed/relaxed signature that passes, with the Received and
//! Authentication-Results fields a real delivery adds. The baseline every other
//! sample is a variation of.

use super::{Sample, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "pass-rsa-sha256-relaxed.eml",
    shows: "ordinary passing rsa-sha256 relaxed/relaxed signature, From over-signed",
    dkim: "pass",
    verdicts: &[Verdict {
        result: "pass",
        diagnosis: "pass",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let com = keys.get("rsa2048-example-com");
    let t = T0;
    let m = msg(
        &[
            received(
                "[192.0.2.44] (unknown [192.0.2.44])",
                "mail.example.com (Postfix)",
                "ESMTPSA",
                "4dF2kq1XyZz9sWd",
                "bob@example.org",
                t - 2,
                60,
            ),
            "From: Alice Martin <alice@example.com>".into(),
            "To: Bob Keller <bob@example.org>".into(),
            "Subject: Q4 planning notes".into(),
            format!("Date: {}", date(t - 3, 60)),
            "Message-ID: <5c0f1e2a-9b7d-4e61-a3f2-7d1c8e9b0a11@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=UTF-8; format=flowed".into(),
            "Content-Transfer-Encoding: 7bit".into(),
            "User-Agent: Mozilla Thunderbird".into(),
        ],
        "Hi Bob,\n\nattached are the notes from this morning. The short version:\n\n  - budget review moves to 2 December\n  - the migration freeze starts on the 15th\n  - Carol owns the vendor shortlist\n\nLet me know if I missed anything.\n\nAlice\n",
    );
    let s = Signer::new(com, "example.com", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&m)?;
    let full = prepend(
        &[
            "Return-Path: <alice@example.com>".into(),
            "Delivered-To: bob@example.org".into(),
            format!(
                "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid 2LQmMEEAI2nGbQAAgYvYhA\n\t(envelope-from <alice@example.com>)\n\tfor <bob@example.org>; {}",
                date(t + 4, 0)
            ),
            format!(
                "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; secure) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass (mx.example.org: domain of alice@example.com designates 192.0.2.25 as permitted sender) smtp.mailfrom=alice@example.com;\n\tdmarc=pass (p=reject dis=none) header.from=example.com",
                hb(&s.b)
            ),
            received(
                "mail.example.com (mail.example.com [192.0.2.25])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits))\n\t(No client certificate requested)",
                "mx.example.org (Postfix)",
                "ESMTPS",
                "4dF2kr0m9Qz1xYq",
                "bob@example.org",
                t + 1,
                0,
            ),
        ],
        &s.message,
    );
    Ok(full)
}
