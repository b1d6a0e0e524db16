//! `path-three-hops.eml`. Three ARC sealers: the list's gateway (i=1) and
//! the list (i=2) forward the message intact; an alumni forwarding service
//! appends its footer and seals i=3. The break is between i=2 and i=3.

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, H_AMS, Keys, SAMPLES_AT, T0, append, arc_hop, prepend};
use crate::samples::{Sample, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-three-hops.eml",
    shows: "path: three ARC hops; the gateway (i=1) and the list (i=2) forward it intact, a forwarding service appends a footer and seals i=3 (path.break: 2 -> 3, body, fwd.example.net)",
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
    let org = keys.get("rsa2048-example-org");
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 23 * 3_571;
    let rcpt = "class-2010@lists.example.org";
    let a = author(
        keys,
        t,
        rcpt,
        "Reunion dinner: date confirmed",
        &[],
        "Hello everyone,\n\nthe reunion dinner is confirmed for 14 March at 19:00.\nReply to this message if you are coming.\n\nAlice\n",
    )?;
    let gw = arc_hop(
        &a.message,
        &ArcHop {
            key: org,
            domain: "example.org",
            selector: "arc2025",
            host: "gw.example.org",
            received: hop("smtp.example.com", "gw.example.org", rcpt, t + 1),
            saw: saw_pass(&a),
            signs: H_AMS,
            t: t + 2,
            seal_key: None,
        },
    )?;
    let listed = prepend(
        &["List-Id: Class of 2010 <class-2010.lists.example.org>".into()],
        &gw,
    );
    let list = arc_hop(
        &listed,
        &ArcHop {
            key: org,
            domain: "lists.example.org",
            selector: "arc2025",
            host: "lists.example.org",
            received: hop("gw.example.org", "lists.example.org", rcpt, t + 3),
            saw: format!("arc=pass (i=1);\n\t{}", saw_pass(&a)),
            signs: &["from", "to", "subject", "date", "message-id", "list-id"],
            t: t + 4,
            seal_key: None,
        },
    )?;
    let forwarded = append(
        &list,
        "--\nForwarded by the example.net alumni address service\n",
    );
    let fwd = arc_hop(
        &forwarded,
        &ArcHop {
            key: net,
            domain: "example.net",
            selector: "arc2025",
            host: "fwd.example.net",
            received: hop(
                "lists.example.org",
                "fwd.example.net",
                "alice.b@alumni.example.net",
                t + 5,
            ),
            saw: format!("arc=pass (i=2);\n\t{}", saw_pass(&a)),
            signs: H_AMS,
            t: t + 6,
            seal_key: None,
        },
    )?;
    Ok(deliver(
        &fwd,
        "fwd.example.net",
        "bob@example.net",
        t + 8,
        &format!(
            "dkim=fail (body hash did not verify) header.d=example.com header.s=s2025 header.b={};\n\tarc=pass (i=3) smtp.remote-ip=198.51.100.35",
            a.hb
        ),
    ))
}
