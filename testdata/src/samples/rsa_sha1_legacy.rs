//! `rsa-sha1-legacy.eml`. A legacy system signing rsa-sha1 (simple/simple):
//! cryptographically valid, but not acceptable under RFC 8301, so the result is
//! policy.

use super::{Sample, Verdict};
use crate::compose::{Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::{Algorithm, Canon, Signer};

pub const SAMPLE: Sample = Sample {
    file: "rsa-sha1-legacy.eml",
    shows: "a legacy billing system signs rsa-sha1 (simple/simple); cryptographically valid but not acceptable per RFC 8301",
    dkim: "policy",
    verdicts: &[Verdict {
        result: "policy",
        diagnosis: "sig-sha1",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 12 * 3_571;
    let m = msg(
        &[
            "From: Billing <billing@example.net>".into(),
            "To: accounts@example.com".into(),
            "Subject: Payment received - thank you".into(),
            format!("Date: {}", date(t - 1, 0)),
            "Message-ID: <20251123233213.7781.billing@legacy.example.net>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=us-ascii".into(),
            "X-Mailer: LegacyBilling 4.2".into(),
        ],
        "We have received your payment of USD 310.00. Thank you.\n\nReference: PAY-00917733\n",
    );
    let s = Signer::new(net, "example.net", "legacy")
        .algorithm(Algorithm::RsaSha1)
        .canon(Canon::Simple, Canon::Simple)
        .headers(&["from", "to", "subject", "date", "message-id", "from"])
        .timestamp(t)
        .sign(&m)?;
    let full = prepend(
        &[
            "Return-Path: <billing@example.net>".into(),
            format!(
                "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFLCm1bWsz9sX1\n\tfor <accounts@example.com>; {}",
                date(t + 3, 60)
            ),
            format!(
                "Authentication-Results: mx.example.com;\n\tdkim=policy (rsa-sha1 is not accepted) header.d=example.net header.i=@example.net header.a=rsa-sha1 header.s=legacy header.b={};\n\tspf=pass smtp.mailfrom=billing@example.net;\n\tdmarc=pass (p=none dis=none) header.from=example.net",
                hb(&s.b)
            ),
            received(
                "legacy.example.net (legacy.example.net [198.51.100.21])",
                "mx.example.com (Postfix)",
                "ESMTP",
                "4dFLCk6GfVz1yTh",
                "accounts@example.com",
                t + 1,
                0,
            ),
        ],
        &s.message,
    );
    Ok(full)
}
