//! `mailing-list-body-length.eml`. A mailing list appends a footer to a
//! signature with `l=`: it still passes, with a warning that the footer is
//! unsigned; the list adds its ARC set.

use super::{Sample, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, append, date, hb, msg, prepend, received};
use crate::sign::{BodyLength, Signer, arc_seal};

pub const SAMPLE: Sample = Sample {
    file: "mailing-list-body-length.eml",
    shows: "signature with l= covering the original body; the list appended a 3-line footer (unsigned content) and added an ARC set",
    dkim: "pass",
    verdicts: &[Verdict {
        result: "pass",
        diagnosis: "pass",
        warnings: "body-length-limit",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let org = keys.get("rsa2048-example-org");
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 14 * 3_571;
    let m = msg(
        &[
            received(
                "[198.51.100.99] (unknown [198.51.100.99])",
                "smtp-out.example.net (Postfix)",
                "ESMTPSA",
                "4dFNw45jTbz3kQs",
                "dev@lists.example.org",
                t - 1,
                0,
            ),
            "From: Kim Tanaka <kim@example.net>".into(),
            "To: dev@lists.example.org".into(),
            "Subject: Proposal: drop support for the v1 API".into(),
            format!("Date: {}", date(t - 2, 540)),
            "Message-ID: <8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a@example.net>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=UTF-8".into(),
        ],
        "Hi all,\n\nthe v1 API has had no traffic for three months. I propose we remove it\nin the January release. Objections by Friday, please.\n\nKim\n",
    );
    let s = Signer::new(net, "example.net", "k1")
        .headers(H_DEFAULT)
        .timestamp(t)
        .body_length(BodyLength::Full)
        .sign(&m)?;
    let listed = append(
        &s.message,
        "_______________________________________________\ndev mailing list -- dev@lists.example.org\nTo unsubscribe send an email to dev-leave@lists.example.org\n",
    );
    let listed = prepend(
        &[
            "List-Id: Developers <dev.lists.example.org>".into(),
            "List-Post: <mailto:dev@lists.example.org>".into(),
            "List-Unsubscribe: <mailto:dev-leave@lists.example.org>".into(),
            "Precedence: list".into(),
        ],
        &listed,
    );
    let with_aar = prepend(
        &[
            format!(
                "ARC-Authentication-Results: i=1; lists.example.org;\n\tdkim=pass header.d=example.net header.s=k1 header.b={};\n\tspf=pass smtp.mailfrom=kim@example.net;\n\tdmarc=pass (p=none) header.from=example.net",
                hb(&s.b)
            ),
            received(
                "smtp-out.example.net (smtp-out.example.net [198.51.100.20])",
                "lists.example.org (Postfix)",
                "ESMTPS",
                "4dFNw61bQvz2mNx",
                "dev@lists.example.org",
                t + 1,
                0,
            ),
        ],
        &listed,
    );
    let ams = Signer::new(org, "lists.example.org", "arc2025")
        .header_name("ARC-Message-Signature")
        .headers(&[
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "list-id",
            "list-post",
            "list-unsubscribe",
        ])
        .timestamp(t + 2)
        .omit("v")
        .tag("i", "1")
        .order(&["i", "a", "c", "d", "s", "t", "h", "bh", "b"])
        .sign(&with_aar)?;
    let seal = arc_seal(org, "lists.example.org", "arc2025", t + 2, &ams.message)?;
    let sealed = prepend(&[seal.trim_end().to_string()], &ams.message);
    let full = prepend(
        &[
            "Return-Path: <dev-bounces@lists.example.org>".into(),
            format!(
                "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFNw84kLcz9sX3\n\tfor <liam@example.com>; {}",
                date(t + 4, 60)
            ),
            format!(
                "Authentication-Results: mx.example.com;\n\tdkim=pass (2048-bit key; unprotected) header.d=example.net header.i=@example.net header.a=rsa-sha256 header.s=k1 header.b={};\n\tarc=pass (i=1 spf=pass dkim=pass dkim=pass) header.s=arc2025 arc.oldest-pass=1 smtp.remote-ip=198.51.100.60;\n\tspf=pass smtp.mailfrom=dev-bounces@lists.example.org;\n\tdmarc=pass (p=none dis=none) header.from=example.net",
                hb(&s.b)
            ),
            received(
                "lists.example.org (lists.example.org [198.51.100.60])",
                "mx.example.com (Postfix)",
                "ESMTPS",
                "4dFNw73nHfz1yTk",
                "liam@example.com",
                t + 3,
                0,
            ),
        ],
        &sealed,
    );
    Ok(full)
}
