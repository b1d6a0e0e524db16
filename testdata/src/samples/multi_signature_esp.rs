//! `multi-signature-esp.eml`. An email service provider signs twice: the author
//! domain before its click-tracking rewrite (which breaks that signature) and
//! its own domain after (which passes but is not aligned with From).

use super::{Sample, Shown, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "multi-signature-esp.eml",
    shows: "an email service provider signs twice: author domain (d=example.com) before its click-tracking rewrite, its own domain (d=esp.example.net) after; DMARC fails",
    dkim: "pass",
    verdicts: &[
        Verdict {
            result: "pass",
            diagnosis: "pass",
            warnings: "not-aligned-with-from",
        },
        Verdict {
            result: "fail",
            diagnosis: "body-hash-mismatch",
            warnings: "-",
        },
    ],
    table: Some(Shown {
        result: "pass (esp.example.net, index 0), fail (example.com, index 1)",
        diagnosis: "pass; body-hash-mismatch",
        warnings: "not-aligned-with-from (index 0)",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let com = keys.get("rsa2048-example-com");
    let esp = keys.get("rsa2048-esp-example-net");
    let t = T0 + 11 * 3_571;
    let boundary = "b1_5f3c9a7e2d1b4c8a9e0f1a2b3c4d5e6f";
    let html_orig = "<html><body><p>Hi Ivan,</p><p>Your order <b>#58213</b> has shipped.</p><p><a href=\"https://shop.example.com/orders/58213\">Track your parcel</a></p></body></html>";
    let html_tracked = "<html><body><p>Hi Ivan,</p><p>Your order <b>#58213</b> has shipped.</p><p><a href=\"https://click.esp.example.net/c/eJx1jk0KwjAQRq8S5gC\">Track your parcel</a></p><img src=\"https://open.esp.example.net/o/eJx1jk0KwjAQ\" width=\"1\" height=\"1\" alt=\"\"></body></html>";
    let body = |html: &str| {
        format!(
            "--{boundary}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\nHi Ivan,\n\nYour order #58213 has shipped.\nTrack your parcel: https://shop.example.com/orders/58213\n\n--{boundary}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{html}\n\n--{boundary}--\n"
        )
    };
    let headers: Vec<String> = vec![
        "From: Example Shop <shop@example.com>".into(),
        "To: ivan@example.org".into(),
        "Subject: Your order #58213 has shipped".into(),
        format!("Date: {}", date(t - 3, 0)),
        "Message-ID: <0100019ab2c3d4e5-58213@esp.example.net>".into(),
        "MIME-Version: 1.0".into(),
        format!("Content-Type: multipart/alternative; boundary=\"{boundary}\""),
    ];
    let author = Signer::new(com, "example.com", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&msg(&headers, &body(html_orig)))?;
    // The ESP rewrites links for click tracking after the author signature...
    let mut rewritten = prepend(
        &[author.header.trim_end().to_string()],
        &msg(&headers, &body(html_tracked)),
    );
    rewritten = prepend(
        &[
            "List-Unsubscribe: <https://esp.example.net/unsub/eJx1jk0KwjAQ>, <mailto:unsub-58213@esp.example.net>".into(),
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click".into(),
            "Feedback-ID: 58213:transactional:shop-example-com:esp".into(),
            "X-ESP-Message-Id: 0100019ab2c3d4e5-58213".into(),
        ],
        &rewritten,
    );
    // ...and then adds its own signature.
    let espsig = Signer::new(esp, "esp.example.net", "esp1")
        .headers(&[
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "mime-version",
            "content-type",
            "list-unsubscribe",
            "list-unsubscribe-post",
            "feedback-id",
            "from",
        ])
        .timestamp(t + 1)
        .sign(&rewritten)?;
    let full = prepend(
        &[
            "Return-Path: <0100019ab2c3d4e5-58213@bounce.esp.example.net>".into(),
            "Delivered-To: ivan@example.org".into(),
            format!(
                "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid 3mLxFm9VI2kLfgAAgYvYhA\n\t(envelope-from <0100019ab2c3d4e5-58213@bounce.esp.example.net>)\n\tfor <ivan@example.org>; {}",
                date(t + 4, 0)
            ),
            format!(
                "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; unprotected) header.d=esp.example.net header.i=@esp.example.net header.a=rsa-sha256 header.s=esp1 header.b={};\n\tdkim=fail reason=\"signature verification failed\" (2048-bit key; unprotected) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=0100019ab2c3d4e5-58213@bounce.esp.example.net;\n\tdmarc=fail (p=reject dis=reject) header.from=example.com",
                hb(&espsig.b),
                hb(&author.b)
            ),
            received(
                "a27-41.smtp-out.esp.example.net (a27-41.smtp-out.esp.example.net [203.0.113.141])\n\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits))",
                "mx.example.org (Postfix)",
                "ESMTPS",
                "4dFJr53mWkz1xZg",
                "ivan@example.org",
                t + 2,
                0,
            ),
        ],
        &espsig.message,
    );
    Ok(full)
}
