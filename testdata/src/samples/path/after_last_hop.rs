//! `path-after-last-hop.eml`. The list seals i=1 without changing the
//! message; on the way to the mailbox a relay that seals nothing appends a
//! disclaimer. Every AMS fails as the author's signature does: the change
//! came after the last ARC signer, at relay.example.net.

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, Keys, SAMPLES_AT, T0, append, arc_hop, prepend};
use crate::samples::{Sample, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-after-last-hop.eml",
    shows: "path: the list seals i=1 intact; a relay after it appends a disclaimer and seals nothing (path.break: 1 -> after-last, body, relay.example.net)",
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
    let t = T0 + 22 * 3_571;
    let rcpt = "ops@lists.example.org";
    let a = author(
        keys,
        t,
        rcpt,
        "Maintenance window on Saturday",
        &[],
        "Hi team,\n\nthe database maintenance is on Saturday, 06:00 to 08:00 UTC.\nExpect the API to be read-only during that time.\n\nAlice\n",
    )?;
    let listed = prepend(
        &["List-Id: Operations <ops.lists.example.org>".into()],
        &a.message,
    );
    let list = arc_hop(
        &listed,
        &ArcHop {
            key: org,
            domain: "lists.example.org",
            selector: "arc2025",
            host: "lists.example.org",
            received: hop("smtp.example.com", "lists.example.org", rcpt, t + 1),
            saw: saw_pass(&a),
            signs: &["from", "to", "subject", "date", "message-id", "list-id"],
            t: t + 2,
            seal_key: None,
        },
    )?;
    let relayed = append(
        &list,
        "\nThis message has been scanned by relay.example.net. Confidential.\n",
    );
    let relayed = prepend(
        &[hop(
            "lists.example.org",
            "relay.example.net",
            "bob@example.net",
            t + 3,
        )],
        &relayed,
    );
    Ok(deliver(
        &relayed,
        "relay.example.net",
        "bob@example.net",
        t + 5,
        &format!(
            "dkim=fail (body hash did not verify) header.d=example.com header.s=s2025 header.b={};\n\tarc=fail (i=1 AMS body hash) smtp.remote-ip=198.51.100.37",
            a.hb
        ),
    ))
}
