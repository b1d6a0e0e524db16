//! The path samples: one message each that crossed several hops, some of
//! them ARC sealers, with the change made at a known place. What they share:
//! the author's signed message, the hops' Received fields and the mailbox
//! provider's delivery (its Received and Authentication-Results on top).
//! Each file is the story of one path and says where it breaks.

pub mod after_last_hop;
pub mod broken_seal;
pub mod gateway_before_i1;
pub mod list_footer;
pub mod receivers_ar;
pub mod reencoding_forwarder;
pub mod subject_tag_between_hops;
pub mod three_hops;

use crate::compose::{H_DEFAULT, Keys, date, hb, msg, prepend, received};
use crate::sign::Signer;

/// The author's message as signed by example.com, with its submission
/// Received field; `extra` header fields go after Content-Type.
pub struct Authored {
    pub message: Vec<u8>,
    /// `header.b=` as receivers write it.
    pub hb: String,
}

pub fn author(
    keys: &Keys,
    t: u64,
    to: &str,
    subject: &str,
    extra: &[&str],
    body: &str,
) -> Result<Authored, String> {
    let mut headers = vec![
        received(
            "[192.0.2.15] (unknown [192.0.2.15])",
            "smtp.example.com (Postfix)",
            "ESMTPSA",
            "4dGk2b0xYvz5rTq",
            to,
            t - 1,
            0,
        ),
        "From: Alice Martin <alice@example.com>".into(),
        format!("To: {to}"),
        format!("Subject: {subject}"),
        format!("Date: {}", date(t - 2, 60)),
        format!("Message-ID: <{}@example.com>", t),
        "MIME-Version: 1.0".into(),
        "Content-Type: text/plain; charset=utf-8".into(),
    ];
    headers.extend(extra.iter().map(|s| s.to_string()));
    let m = msg(&headers, body);
    let s = Signer::new(keys.get("rsa2048-example-com"), "example.com", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&m)?;
    Ok(Authored {
        message: s.message,
        hb: hb(&s.b).to_string(),
    })
}

/// What a hop that verified the author's signature writes in its AAR.
pub fn saw_pass(a: &Authored) -> String {
    format!(
        "dkim=pass header.d=example.com header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=alice@example.com",
        a.hb
    )
}

/// The mailbox provider's delivery: its Received field and its
/// Authentication-Results on top of `m`.
pub fn deliver(m: &[u8], from: &str, rcpt: &str, t: u64, results: &str) -> Vec<u8> {
    prepend(
        &[
            format!("Return-Path: <alice@example.com>\nDelivered-To: {rcpt}"),
            format!("Authentication-Results: mx.example.net;\n\t{results}"),
            received(
                &format!("{from} ({from} [198.51.100.{}])", 20 + from.len()),
                "mx.example.net (Postfix)",
                "ESMTPS",
                &format!("4dGk{}Zq", t % 100_000),
                rcpt,
                t,
                0,
            ),
        ],
        m,
    )
}

/// A Received field of a hop from `from` to `by`.
pub fn hop(from: &str, by: &str, rcpt: &str, t: u64) -> String {
    received(
        &format!("{from} ({from} [203.0.113.{}])", 10 + from.len()),
        &format!("{by} (Postfix)"),
        "ESMTPS",
        &format!("4dH{}{}", by.len(), t % 100_000),
        rcpt,
        t,
        0,
    )
}
