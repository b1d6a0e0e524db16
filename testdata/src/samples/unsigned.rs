//! `unsigned.eml`. A message with no DKIM-Signature at all (a scanner sending
//! through an open relay): the no-signature diagnosis, and the hops and
//! Authentication-Results still shown.

use super::{Sample, Verdict};
use crate::compose::{Keys, SAMPLES_AT, T0, date, msg, received};

pub const SAMPLE: Sample = Sample {
    file: "unsigned.eml",
    shows: "a scanner sending through an open relay: no DKIM-Signature at all",
    dkim: "none",
    verdicts: &[Verdict {
        result: "none",
        diagnosis: "no-signature",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(_keys: &Keys) -> Result<Vec<u8>, String> {
    let t = T0 + 10 * 3_571;
    let m = msg(
        &[
            "Return-Path: <scanner@example.net>".into(),
            "Delivered-To: bob@example.org".into(),
            format!(
                "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid mQ4xKDpII2nvfAAAgYvYhA\n\t(envelope-from <scanner@example.net>)\n\tfor <bob@example.org>; {}",
                date(t + 3, 0)
            ),
            "Authentication-Results: mx.example.org;\n\tdkim=none;\n\tspf=softfail (mx.example.org: 198.51.100.90 is neither permitted nor denied by domain of scanner@example.net) smtp.mailfrom=scanner@example.net;\n\tdmarc=fail (p=none dis=none) header.from=example.net".into(),
            received(
                "copier-3f.example.net (unknown [198.51.100.90])",
                "mx.example.org (Postfix)",
                "ESMTP",
                "4dFHMd1yTqz1xZf",
                "bob@example.org",
                t + 1,
                0,
            ),
            "From: Scan to Email <scanner@example.net>".into(),
            "To: bob@example.org".into(),
            "Subject: Scanned document from MFP-3F".into(),
            format!("Date: {}", date(t, 60)),
            "Message-ID: <MFP3F.20251123222333.0001@copier-3f.example.net>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=us-ascii".into(),
            "X-Mailer: MFP-3F ScanToMail 2.1".into(),
        ],
        "Scanned document attached.\n\nDevice: MFP-3F\nPages: 2\n",
    );
    Ok(m)
}
