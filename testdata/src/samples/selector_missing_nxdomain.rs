//! `selector-missing-nxdomain.eml`. A sender signs with a selector it never
//! published: `k2` is NXDOMAIN while `k1` exists, so the key lookup fails with
//! a permanent error.

use super::{Sample, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "selector-missing-nxdomain.eml",
    shows: "signed with selector k2 but only k1 is published; example.net is authoritative in keys.zone so k2 is NXDOMAIN",
    dkim: "permerror",
    verdicts: &[Verdict {
        result: "permerror",
        diagnosis: "key-not-found",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 4 * 3_571;
    let m = msg(
        &[
            received(
                "app01.internal.example.net (app01.internal.example.net [10.20.1.17])",
                "smtp-out.example.net (Postfix)",
                "ESMTP",
                "4dF6w72kLpz3kQn",
                "dave@example.com",
                t - 1,
                0,
            ),
            "From: Carol Nguyen <carol@example.net>".into(),
            "To: dave@example.com".into(),
            "Subject: Your invoice INV-2025-1187".into(),
            format!("Date: {}", date(t - 2, 0)),
            "Message-ID: <inv-2025-1187.1763914283@example.net>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=utf-8".into(),
            "Content-Transfer-Encoding: 7bit".into(),
        ],
        "Dear Dave,\n\nyour invoice INV-2025-1187 for November is ready in the customer portal.\nAmount due: EUR 1,240.00, payable by 7 December 2025.\n\nKind regards,\nCarol Nguyen\nAccounts, Example Net\n",
    );
    let s = Signer::new(net, "example.net", "k2")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&m)?;
    let full = prepend(
        &[
            "Return-Path: <carol@example.net>".into(),
            format!(
                "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dF6w93fTnz9sWk\n\tfor <dave@example.com>; {}",
                date(t + 3, 60)
            ),
            format!(
                "Authentication-Results: mx.example.com;\n\tdkim=permerror (no key for signature) header.d=example.net header.i=@example.net header.s=k2 header.b={};\n\tspf=pass smtp.mailfrom=carol@example.net;\n\tdmarc=pass (p=none dis=none) header.from=example.net",
                hb(&s.b)
            ),
            received(
                "smtp-out.example.net (smtp-out.example.net [198.51.100.20])",
                "mx.example.com (Postfix)",
                "ESMTPS",
                "4dF6w84BvXz1yTc",
                "dave@example.com",
                t + 2,
                0,
            ),
        ],
        &s.message,
    );
    Ok(full)
}
