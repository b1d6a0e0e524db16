//! `path-subject-tag-between-hops.eml`. The list seals i=1 without a
//! change; the recipient's filter verifies the chain, prefixes the Subject
//! with "[EXTERNAL] " and seals i=2. Only signed headers changed: the path
//! breaks between i=1 and i=2 on the headers, at filter.example.net.

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, H_AMS, Keys, SAMPLES_AT, T0, arc_hop, prepend, replace_once};
use crate::samples::{Sample, Shown, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-subject-tag-between-hops.eml",
    shows: "path: the list seals i=1 intact; a filter prefixes the Subject with \"[EXTERNAL] \" and seals i=2 (path.break: 1 -> 2, headers, filter.example.net)",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "signature-mismatch",
        warnings: "-",
    }],
    table: Some(Shown {
        result: "fail",
        diagnosis: "signature-mismatch (finding subject-tagged \"[EXTERNAL] \")",
        warnings: "-",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let org = keys.get("rsa2048-example-org");
    let net = keys.get("rsa2048-example-net");
    let t = T0 + 16 * 3_571;
    let rcpt = "support@lists.example.org";
    let a = author(
        keys,
        t,
        rcpt,
        "Ticket 4471: the export works again",
        &[],
        "Hi,\n\nthe CSV export works again since this morning's fix.\nThanks for the detailed report.\n\nAlice\n",
    )?;
    let listed = prepend(
        &["List-Id: Support <support.lists.example.org>".into()],
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
    let tagged = replace_once(&list, "Subject: Ticket", "Subject: [EXTERNAL] Ticket");
    let filter = arc_hop(
        &tagged,
        &ArcHop {
            key: net,
            domain: "example.net",
            selector: "arc2025",
            host: "filter.example.net",
            received: hop(
                "lists.example.org",
                "filter.example.net",
                "bob@example.net",
                t + 3,
            ),
            saw: format!("arc=pass (i=1);\n\t{}", saw_pass(&a)),
            signs: H_AMS,
            t: t + 4,
            seal_key: None,
        },
    )?;
    Ok(deliver(
        &filter,
        "filter.example.net",
        "bob@example.net",
        t + 6,
        &format!(
            "dkim=fail (signature did not verify) header.d=example.com header.s=s2025 header.b={};\n\tarc=pass (i=2) smtp.remote-ip=198.51.100.38",
            a.hb
        ),
    ))
}
