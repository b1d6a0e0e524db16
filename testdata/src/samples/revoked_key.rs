//! `revoked-key.eml`. An old mailing platform still signs with a selector whose
//! record was revoked (`p=` empty).

use super::{Sample, Verdict};
use crate::compose::{Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "revoked-key.eml",
    shows: "an old mailing platform still signs with selector old2023, whose record was revoked (p= empty)",
    dkim: "permerror",
    verdicts: &[Verdict {
        result: "permerror",
        diagnosis: "key-revoked",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let org = keys.get("rsa2048-example-org");
    let t = T0 + 7 * 3_571;
    let m = msg(
        &[
            "From: Example Org Newsletter <newsletter@example.org>".into(),
            "To: harry@example.com".into(),
            "Subject: November newsletter".into(),
            format!("Date: {}", date(t - 5, 0)),
            "Message-ID: <nl-2025-11.harry=example.com@mailer.example.org>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=utf-8".into(),
            "List-Unsubscribe: <https://mailer.example.org/u/8f2a6c>".into(),
        ],
        "November at Example Org\n=======================\n\n* New office in Lisbon\n* Holiday opening hours\n* Staff picks of the month\n\nRead online: https://www.example.org/news/2025-11\n",
    );
    let s = Signer::new(org, "example.org", "old2023")
        .headers(&[
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "list-unsubscribe",
            "from",
        ])
        .timestamp(t)
        .sign(&m)?;
    let full = prepend(
        &[
            "Return-Path: <bounce-8f2a6c@mailer.example.org>".into(),
            format!(
                "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFB7k0LhDz9sWr\n\tfor <harry@example.com>; {}",
                date(t + 4, 60)
            ),
            format!(
                "Authentication-Results: mx.example.com;\n\tdkim=permerror (key revoked) header.d=example.org header.i=@example.org header.s=old2023 header.b={};\n\tspf=pass smtp.mailfrom=bounce-8f2a6c@mailer.example.org;\n\tdmarc=fail (p=quarantine dis=quarantine) header.from=example.org",
                hb(&s.b)
            ),
            received(
                "mailer.example.org (mailer.example.org [198.51.100.33])",
                "mx.example.com (Postfix)",
                "ESMTPS",
                "4dFB7j5RmPz1yTd",
                "harry@example.com",
                t + 2,
                0,
            ),
        ],
        &s.message,
    );
    Ok(full)
}
