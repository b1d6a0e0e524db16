//! `path-receivers-ar.eml`. No ARC at all: the recipient's inbound MX
//! verifies the author's signature (its Authentication-Results says
//! dkim=pass), an internal scanner appends a disclaimer, and the mailbox
//! server's Authentication-Results says dkim=fail. The Received hops
//! locate the change between hop 2 (mx.example.net) and hop 4.

use super::{author, hop};
use crate::compose::{Keys, SAMPLES_AT, T0, append, prepend};
use crate::samples::{Sample, Shown, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-receivers-ar.eml",
    shows: "path without ARC: the inbound MX writes dkim=pass, an internal scanner appends a disclaimer, the mailbox server writes dkim=fail (path.break by received: hop 2 -> hop 4, scan.example.net)",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
    }],
    table: Some(Shown {
        result: "fail",
        diagnosis: "body-hash-mismatch (finding body-appended: 2 lines)",
        warnings: "-",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let t = T0 + 19 * 3_571;
    let rcpt = "bob@example.net";
    let a = author(
        keys,
        t,
        rcpt,
        "Contract draft v3",
        &[],
        "Hi Bob,\n\nversion 3 of the contract draft is in the shared folder.\nI changed clauses 4 and 7 as discussed.\n\nAlice\n",
    )?;
    let mx = prepend(
        &[
            format!(
                "Authentication-Results: mx.example.net;\n\tdkim=pass header.d=example.com header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=alice@example.com",
                a.hb
            ),
            hop("smtp.example.com", "mx.example.net", rcpt, t + 1),
        ],
        &a.message,
    );
    let scanned = append(
        &mx,
        "\n[External sender] Be careful with links and attachments.\n",
    );
    let scanned = prepend(
        &[hop("mx.example.net", "scan.example.net", rcpt, t + 2)],
        &scanned,
    );
    Ok(prepend(
        &[
            "Return-Path: <alice@example.com>".into(),
            format!(
                "Authentication-Results: mbox.example.net;\n\tdkim=fail (body hash did not verify) header.d=example.com header.s=s2025 header.b={}",
                a.hb
            ),
            hop("scan.example.net", "mbox.example.net", rcpt, t + 3),
        ],
        &scanned,
    ))
}
