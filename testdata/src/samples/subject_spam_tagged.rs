//! `subject-spam-tagged.eml`. A filtering gateway verifies the signature,
//! records that in its ARC set, then prefixes the Subject with "[SPAM] ": the
//! header hash fails while the body is intact (finding subject-tagged), and ARC
//! still tells the story.

use super::{Sample, Shown, Verdict};
use crate::compose::{
    H_DEFAULT, Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received, replace_once,
};
use crate::sign::{Signer, arc_seal};

pub const SAMPLE: Sample = Sample {
    file: "subject-spam-tagged.eml",
    shows: "a filtering gateway verified the signature (recorded in its ARC set), then prefixed the Subject with \"[SPAM] \"; body intact",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "signature-mismatch",
        warnings: "-",
    }],
    table: Some(Shown {
        result: "fail",
        diagnosis: "signature-mismatch (finding subject-tagged \"[SPAM] \")",
        warnings: "-",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let org = keys.get("rsa2048-example-org");
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 6 * 3_571;
    let m = msg(
        &[
            received(
                "[198.51.100.77] (unknown [198.51.100.77])",
                "smtp.example.org (Postfix)",
                "ESMTPSA",
                "4dF9Rd6zWcz4wLp",
                "gina@example.net",
                t - 1,
                0,
            ),
            "From: \"Example Org Offers\" <offers@example.org>".into(),
            "To: gina@example.net".into(),
            "Subject: Last chance: 40% off annual plans".into(),
            format!("Date: {}", date(t - 2, 0)),
            "Message-ID: <offer-77120.1763921420@example.org>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=utf-8".into(),
        ],
        "Hi Gina,\n\nour Black Friday offer ends tonight: 40% off every annual plan.\nUse code FRIDAY40 at checkout.\n\nThe Example Org team\n",
    );
    let s = Signer::new(org, "example.org", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&m)?;
    // gw.example.net verifies (pass), records it in ARC, then tags the Subject.
    let tagged = replace_once(
        &s.message,
        "Subject: Last chance",
        "Subject: [SPAM] Last chance",
    );
    let tagged = prepend(
        &[
            "X-Spam-Flag: YES".into(),
            "X-Spam-Score: 6.2".into(),
            "X-Spam-Status: Yes, score=6.2 required=5.0 tests=BAYES_80,HTML_MESSAGE,\n\tSUBJ_ALL_CAPS_OFFER,URIBL_GREY autolearn=no".into(),
        ],
        &tagged,
    );
    let with_aar = prepend(
        &[
            format!(
                "ARC-Authentication-Results: i=1; gw.example.net;\n\tdkim=pass header.d=example.org header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=offers@example.org;\n\tdmarc=pass (p=quarantine) header.from=example.org",
                hb(&s.b)
            ),
            received(
                "smtp.example.org (smtp.example.org [198.51.100.10])",
                "gw.example.net (Postfix)",
                "ESMTPS",
                "4dF9Rf1KqSz2mNv",
                "gina@example.net",
                t + 1,
                0,
            ),
        ],
        &tagged,
    );
    let ams = Signer::new(net, "example.net", "arc2025")
        .header_name("ARC-Message-Signature")
        .headers(&[
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "mime-version",
            "content-type",
        ])
        .timestamp(t + 1)
        .omit("v")
        .tag("i", "1")
        .order(&["i", "a", "c", "d", "s", "t", "h", "bh", "b"])
        .sign(&with_aar)?;
    let seal = arc_seal(net, "example.net", "arc2025", t + 1, &ams.message)?;
    let sealed = prepend(&[seal.trim_end().to_string()], &ams.message);
    let full = prepend(
        &[
            "Return-Path: <offers@example.org>".into(),
            "Delivered-To: gina@example.net".into(),
            format!(
                "Received: from gw.example.net (gw.example.net [198.51.100.40])\n\tby mx2.example.net (Postfix) with ESMTP id 4dF9Rg3VbTz7tRq\n\tfor <gina@example.net>; {}",
                date(t + 3, 0)
            ),
            format!(
                "Authentication-Results: mx2.example.net;\n\tdkim=fail reason=\"signature verification failed\" header.d=example.org header.s=s2025 header.b={};\n\tarc=pass (i=1) smtp.remote-ip=198.51.100.40",
                hb(&s.b)
            ),
        ],
        &sealed,
    );
    Ok(full)
}
