//! The path without ARC: trusted receivers' Authentication-Results,
//! mapped to their Received hops, say where the author's signature stopped
//! verifying (the last hop that saw `dkim=pass`, the first that saw
//! anything else).

use super::*;

pub(super) fn by_received(
    i: &Inputs,
    o: &SignatureCheck,
    hops: &[PathHop],
    ar_hops: &[(usize, String)],
) -> Option<Break> {
    let (body_changed, headers_changed) = changed_now(i.msg, o);
    let what = match (body_changed, headers_changed) {
        (true, true) => What::Both,
        (true, false) => What::Body,
        (false, true) => What::Headers,
        (false, false) => return None,
    };
    let q = ar_hops.iter().find(|(_, r)| r != "pass")?.0;
    let p = ar_hops
        .iter()
        .filter(|(n, r)| *n < q && r == "pass")
        .map(|(n, _)| *n)
        .max()?;
    let name = |n: usize| -> String {
        match hops.get(n).and_then(|h| h.by.clone()) {
            Some(h) => format!("hop {} ({h})", n + 1),
            None => format!("hop {}", n + 1),
        }
    };
    let suspect = hops
        .get(q)
        .and_then(|h| h.from.clone())
        .filter(|f| crate::diagnose::trust::is_public_host(f))
        .or_else(|| hops.get(q - 1).and_then(|h| h.by.clone()));
    let mut evidence = vec![
        format!(
            "{} wrote dkim=pass: it received the message intact",
            name(p)
        ),
        format!(
            "{} wrote dkim={}: it received the message changed",
            name(q),
            ar_hops
                .iter()
                .find(|(n, _)| *n == q)
                .map_or("fail", |(_, r)| r.as_str())
        ),
    ];
    if q > p + 1 {
        let between: Vec<String> = (p + 1..q).map(name).collect();
        evidence.push(format!("in between: {}", between.join(", ")));
    }
    finding_evidence(o, &mut evidence);
    let story = suspect.as_ref().map(|h| {
        let s = story(h, what, o, i.msg, Position::Hop(q + 1), 0);
        s.replace(
            "after the author signed",
            &format!("after {} verified the signature", name(p)),
        )
    });
    Some(Break {
        last_intact: Position::Hop(p + 1),
        first_changed: Position::Hop(q + 1),
        what,
        suspect_host: suspect,
        evidence,
        by: By::Received,
        story,
    })
}
