//! `path-broken-seal.eml`. A gateway forwards the message unchanged and adds
//! an ARC set, but seals it with a key other than the one it publishes: the
//! ARC chain fails at i=1 while the author's signature and the i=1 AMS both
//! verify. The path is intact (path.break is null).

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, H_AMS, Keys, SAMPLES_AT, T0, arc_hop};
use crate::samples::{Sample, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-broken-seal.eml",
    shows: "path: a gateway forwards the message intact but its seal does not verify (ARC fails at i=1; path.break is null)",
    dkim: "pass",
    verdicts: &[Verdict {
        result: "pass",
        diagnosis: "pass",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 18 * 3_571;
    let rcpt = "bob@example.net";
    let a = author(
        keys,
        t,
        rcpt,
        "Minutes of Tuesday's meeting",
        &[],
        "Hi Bob,\n\nthe minutes are attached to the wiki page of the meeting.\nTwo action items are yours.\n\nAlice\n",
    )?;
    let gw = arc_hop(
        &a.message,
        &ArcHop {
            key: net,
            domain: "example.net",
            selector: "arc2025",
            host: "gw.example.net",
            received: hop("smtp.example.com", "gw.example.net", rcpt, t + 1),
            saw: saw_pass(&a),
            signs: H_AMS,
            t: t + 2,
            seal_key: Some(keys.get("rsa2048-example-com")),
        },
    )?;
    Ok(deliver(
        &gw,
        "gw.example.net",
        rcpt,
        t + 4,
        &format!(
            "dkim=pass header.d=example.com header.s=s2025 header.b={};\n\tarc=fail (i=1 seal did not verify) smtp.remote-ip=198.51.100.34",
            a.hb
        ),
    ))
}
