//! `path-reencoding-forwarder.eml`. The author sends 8-bit UTF-8 text; a
//! forwarder that only speaks 7-bit re-encodes the body as
//! quoted-printable (and says so in Content-Transfer-Encoding, which the
//! signature does not cover), then seals i=1. The body changed between the
//! author and i=1, at fwd.example.net.

use super::{author, deliver, hop, saw_pass};
use crate::compose::{ArcHop, H_AMS, Keys, SAMPLES_AT, T0, arc_hop, replace_once};
use crate::samples::{Sample, Verdict};

pub const SAMPLE: Sample = Sample {
    file: "path-reencoding-forwarder.eml",
    shows: "path: a forwarder re-encodes the 8-bit body as quoted-printable, then seals i=1 (path.break: 0 -> 1, body, fwd.example.net)",
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
    let t = T0 + 17 * 3_571;
    let rcpt = "jurgen@alumni.example.net";
    let a = author(
        keys,
        t,
        rcpt,
        "Photos from the trip",
        &["Content-Transfer-Encoding: 8bit"],
        "Hallo Jürgen,\n\ndie Fotos vom Ausflug nach Zürich sind im geteilten Ordner.\nSchöne Grüße\n\nAlice\n",
    )?;
    let qp = replace_once(
        &a.message,
        "Hallo Jürgen,\r\n\r\ndie Fotos vom Ausflug nach Zürich sind im geteilten Ordner.\r\nSchöne Grüße",
        "Hallo J=C3=BCrgen,\r\n\r\ndie Fotos vom Ausflug nach Z=C3=BCrich sind im geteilten Ordner.\r\nSch=C3=B6ne Gr=C3=BC=C3=9Fe",
    );
    let qp = replace_once(
        &qp,
        "Content-Transfer-Encoding: 8bit",
        "Content-Transfer-Encoding: quoted-printable",
    );
    let fwd = arc_hop(
        &qp,
        &ArcHop {
            key: net,
            domain: "example.net",
            selector: "arc2025",
            host: "fwd.example.net",
            received: hop("smtp.example.com", "fwd.example.net", rcpt, t + 1),
            saw: saw_pass(&a),
            signs: H_AMS,
            t: t + 2,
            seal_key: None,
        },
    )?;
    Ok(deliver(
        &fwd,
        "fwd.example.net",
        "juergen@example.net",
        t + 4,
        &format!(
            "dkim=fail (body hash did not verify) header.d=example.com header.s=s2025 header.b={};\n\tarc=pass (i=1) smtp.remote-ip=198.51.100.35",
            a.hb
        ),
    ))
}
