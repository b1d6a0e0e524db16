//! `footer-appended.eml`. An outbound relay appends a disclaimer after signing:
//! the body hash fails and dkimscope should point at the appended lines
//! (finding body-appended).

use super::{Sample, Shown, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, append, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "footer-appended.eml",
    shows: "an outbound relay appended a 3-line disclaimer (plus `--` line) after signing",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
    }],
    table: Some(Shown {
        result: "fail",
        diagnosis: "body-hash-mismatch (finding body-appended)",
        warnings: "-",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let com = keys.get("rsa2048-example-com");
    let t = T0 + 5 * 3_571;
    let m = msg(
        &[
            received(
                "[192.0.2.61] (unknown [192.0.2.61])",
                "mail.example.com (Postfix)",
                "ESMTPSA",
                "4dF8Bq0yZkz9sWp",
                "erin@example.org",
                t - 1,
                60,
            ),
            "From: Frank Olsen <frank@example.com>".into(),
            "To: Erin Walsh <erin@example.org>".into(),
            "Subject: Updated price list".into(),
            format!("Date: {}", date(t - 2, 60)),
            "Message-ID: <b3a1d2e4-77f0-4c1a-9a55-2f6e1d0c9b8a@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=UTF-8".into(),
            "Content-Transfer-Encoding: 7bit".into(),
        ],
        "Hello Erin,\n\nthe updated price list is now online. Prices change from 1 January;\norders placed before then keep the old prices.\n\nBest regards,\nFrank\n",
    );
    let s = Signer::new(com, "example.com", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&m)?;
    let changed = append(
        &s.message,
        "\n--\nThis e-mail and any attachments are confidential and intended solely for\nthe addressee. If you received it in error, please notify the sender and\ndelete it. Example Com Ltd, registered in Exampleshire, no. 01234567.\n",
    );
    let changed = prepend(
        &[format!(
            "Received: from mail.example.com (mail.example.com [10.0.0.25])\n\tby relay.example.com (Postfix) with ESMTP id 4dF8Br2CmVz9sXa\n\tfor <erin@example.org>; {}",
            date(t, 60)
        )],
        &changed,
    );
    let full = prepend(
        &[
            "Return-Path: <frank@example.com>".into(),
            "Delivered-To: erin@example.org".into(),
            format!(
                "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid aH3kN8AoI2mIdgAAgYvYhA\n\t(envelope-from <frank@example.com>)\n\tfor <erin@example.org>; {}",
                date(t + 3, 0)
            ),
            format!(
                "Authentication-Results: mx.example.org;\n\tdkim=fail reason=\"signature verification failed\" (2048-bit key; secure) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=frank@example.com;\n\tdmarc=fail (p=reject dis=quarantine) header.from=example.com",
                hb(&s.b)
            ),
            received(
                "relay.example.com (relay.example.com [192.0.2.26])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))",
                "mx.example.org (Postfix)",
                "ESMTPS",
                "4dF8Bs0x7Rz1xZb",
                "erin@example.org",
                t + 2,
                0,
            ),
        ],
        &changed,
    );
    Ok(full)
}
