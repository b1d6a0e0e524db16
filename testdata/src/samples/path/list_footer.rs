//! `path-list-footer.eml`. The list's inbound gateway verifies the author's
//! signature and seals i=1 without changing anything; the list then adds
//! its List- fields and a 4-line footer and seals i=2 over the result. The
//! author's signature fails on the body; the path is intact at i=1 and
//! changed by the i=2 signer, lists.example.org.

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, H_AMS, Keys, SAMPLES_AT, T0, append, arc_hop, prepend};
use crate::samples::{Sample, Shown, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-list-footer.eml",
    shows: "path: the list's gateway seals i=1 intact, then the list appends a 4-line footer and seals i=2 (path.break: 1 -> 2, body, lists.example.org)",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
    }],
    table: Some(Shown {
        result: "fail",
        diagnosis: "body-hash-mismatch (finding body-appended: 4 lines)",
        warnings: "-",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let org = keys.get("rsa2048-example-org");
    let t = T0 + 20 * 3_571;
    let rcpt = "release@lists.example.org";
    let a = author(
        keys,
        t,
        rcpt,
        "Release 4.2 is out",
        &[],
        "Hello all,\n\nrelease 4.2 is tagged and the packages are on the mirrors.\nThe changelog lists three security fixes; please upgrade this week.\n\nAlice\n",
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
    let listed = append(
        &gw,
        "-- \nrelease mailing list\nrelease@lists.example.org\nhttps://lists.example.org/release\n",
    );
    let listed = prepend(
        &[
            "List-Id: Release announcements <release.lists.example.org>".into(),
            "List-Unsubscribe: <mailto:release-leave@lists.example.org>".into(),
        ],
        &listed,
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
            signs: &[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "list-id",
                "list-unsubscribe",
            ],
            t: t + 4,
            seal_key: None,
        },
    )?;
    Ok(deliver(
        &list,
        "lists.example.org",
        "bob@example.net",
        t + 6,
        &format!(
            "dkim=fail (body hash did not verify) header.d=example.com header.s=s2025 header.b={};\n\tarc=pass (i=2) smtp.remote-ip=198.51.100.37",
            a.hb
        ),
    ))
}
