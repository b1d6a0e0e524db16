//! `weak-key-1024.eml`. A passing signature made with an RSA 1024-bit key, the
//! RFC 8301 minimum: it passes with a warning to rotate.

use super::{Sample, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "weak-key-1024.eml",
    shows: "passes, but the key is RSA 1024 (the RFC 8301 minimum; should be rotated to 2048)",
    dkim: "pass",
    verdicts: &[Verdict {
        result: "pass",
        diagnosis: "pass",
        warnings: "weak-key-1024",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let weak = keys.get("rsa1024");
    let t = T0 + 13 * 3_571;
    let m = msg(
        &[
            received(
                "helpdesk.example.org (helpdesk.example.org [198.51.100.55])",
                "smtp.example.org (Postfix)",
                "ESMTP",
                "4dFMZ83pYrz4wLw",
                "judy@example.com",
                t - 1,
                0,
            ),
            "From: Example Org Helpdesk <helpdesk@example.org>".into(),
            "To: judy@example.com".into(),
            "Subject: [Ticket #40921] Password reset completed".into(),
            format!("Date: {}", date(t - 2, 0)),
            "Message-ID: <ticket-40921-3@helpdesk.example.org>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=utf-8".into(),
            "Auto-Submitted: auto-generated".into(),
        ],
        "Hello Judy,\n\nyour password reset request #40921 has been completed. If you did not\nrequest this, reply to this message.\n\nExample Org Helpdesk\n",
    );
    let s = Signer::new(weak, "example.org", "legacy1024")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&m)?;
    let full = prepend(
        &[
            "Return-Path: <helpdesk@example.org>".into(),
            format!(
                "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFMZB0dNqz9sX2\n\tfor <judy@example.com>; {}",
                date(t + 3, 60)
            ),
            format!(
                "Authentication-Results: mx.example.com;\n\tdkim=pass (1024-bit key; unprotected) header.d=example.org header.i=@example.org header.a=rsa-sha256 header.s=legacy1024 header.b={};\n\tspf=pass smtp.mailfrom=helpdesk@example.org;\n\tdmarc=pass (p=quarantine dis=none) header.from=example.org",
                hb(&s.b)
            ),
            received(
                "smtp.example.org (smtp.example.org [198.51.100.10])",
                "mx.example.com (Postfix)",
                "ESMTPS",
                "4dFMZ96yLhz1yTj",
                "judy@example.com",
                t + 1,
                0,
            ),
        ],
        &s.message,
    );
    Ok(full)
}
