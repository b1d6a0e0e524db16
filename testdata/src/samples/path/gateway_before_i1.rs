//! `path-gateway-before-i1.eml`. A security gateway verifies the author's
//! signature (its AAR says dkim=pass), rewrites the link in the body to go
//! through its URL scanner, then seals i=1 over the rewritten message. The
//! change sits between the author (0) and the i=1 signer, gw.example.net.

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, H_AMS, Keys, SAMPLES_AT, T0, arc_hop, replace_once};
use crate::samples::{Sample, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-gateway-before-i1.eml",
    shows: "path: a security gateway rewrites a link in the body, then seals i=1 over it (path.break: 0 -> 1, body, gw.example.net)",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 21 * 3_571;
    let rcpt = "bob@example.net";
    let a = author(
        keys,
        t,
        rcpt,
        "Your November invoice",
        &[],
        "Hello Bob,\n\nyour invoice for November is ready:\nhttps://billing.example.com/invoices/2025-11\n\nAlice\n",
    )?;
    let rewritten = replace_once(
        &a.message,
        "https://billing.example.com/invoices/2025-11",
        "https://urlscan.example.net/v2/?u=https%3A%2F%2Fbilling.example.com%2Finvoices%2F2025-11",
    );
    let gw = arc_hop(
        &rewritten,
        &ArcHop {
            key: net,
            domain: "example.net",
            selector: "arc2025",
            host: "gw.example.net",
            received: hop("smtp.example.com", "gw.example.net", rcpt, t + 1),
            saw: saw_pass(&a),
            signs: H_AMS,
            t: t + 2,
            seal_key: None,
        },
    )?;
    Ok(deliver(
        &gw,
        "gw.example.net",
        rcpt,
        t + 4,
        &format!(
            "dkim=fail (body hash did not verify) header.d=example.com header.s=s2025 header.b={};\n\tarc=pass (i=1) smtp.remote-ip=198.51.100.34",
            a.hb
        ),
    ))
}
