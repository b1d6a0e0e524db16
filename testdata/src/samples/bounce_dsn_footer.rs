//! `bounce-dsn-footer.eml`. A Postfix bounce (DSN) that carries the original as
//! message/rfc822; the sender's own relay had appended a disclaimer after
//! signing. The bounce is unsigned; dkimscope checks the returned message in
//! its place, so the manifest names the returned message's verdict.

use super::{Sample, Shown, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, append, date, msg, prepend, received};
use crate::sign::Signer;
use crate::util::rfc3339;

pub const SAMPLE: Sample = Sample {
    file: "bounce-dsn-footer.eml",
    shows: "Postfix DSN (multipart/report, 550 5.7.1 DKIM signature did not verify) with the original as message/rfc822; the sender's own relay appended a disclaimer after signing",
    dkim: "fail",
    verdicts: &[Verdict {
        result: "fail",
        diagnosis: "body-hash-mismatch",
        warnings: "-",
    }],
    table: Some(Shown {
        result: "none (bounce itself); fail (returned message)",
        diagnosis: "no-signature (bounce); body-hash-mismatch, finding body-appended (returned message)",
        warnings: "-",
    }),
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let com = keys.get("rsa2048-example-com");
    let t = T0 + 9 * 3_571;
    let orig = msg(
        &[
            received(
                "[192.0.2.70] (unknown [192.0.2.70])",
                "mail.example.com (Postfix)",
                "ESMTPSA",
                "4dFG0N3dPrz9sWx",
                "heidi@example.org",
                t - 1,
                60,
            ),
            "From: Grace Lind <grace@example.com>".into(),
            "To: heidi@example.org".into(),
            "Subject: Meeting minutes 21 November".into(),
            format!("Date: {}", date(t - 2, 60)),
            "Message-ID: <1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=UTF-8".into(),
            "Content-Transfer-Encoding: 7bit".into(),
        ],
        "Hi Heidi,\n\nminutes from Friday are below. Action items are marked with [AI].\n\n1. Roadmap review - [AI] Grace to circulate draft by 28 Nov\n2. Hiring - two open roles approved\n\nGrace\n",
    );
    let s = Signer::new(com, "example.com", "s2025")
        .headers(H_DEFAULT)
        .timestamp(t)
        .sign(&orig)?;
    let as_sent = prepend(
        &[format!(
            "Received: from mail.example.com (mail.example.com [10.0.0.25])\n\tby relay.example.com (Postfix) with ESMTP id 4dFG0P0qLmz9sXc\n\tfor <heidi@example.org>; {}",
            date(t, 60)
        )],
        &append(
            &s.message,
            "\n--\nThis e-mail and any attachments are confidential and intended solely for\nthe addressee. If you received it in error, please notify the sender and\ndelete it. Example Com Ltd, registered in Exampleshire, no. 01234567.\n",
        ),
    );
    let bt = t + 4;
    let boundary = "4dFG0P0qLmz9sXc.1763932143/relay.example.com";
    let mut dsn = format!(
        "Return-Path: <>\nDelivered-To: grace@example.com\nReceived: from relay.example.com (relay.example.com [10.0.0.26])\n\tby mail.example.com (Postfix) with ESMTP id 4dFG0R2zKtz9sWy\n\tfor <grace@example.com>; {d2}\nReceived: by relay.example.com (Postfix)\n\tid 4dFG0Q5nFxz9sXd; {d1}\nDate: {d1}\nFrom: MAILER-DAEMON@relay.example.com (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\nTo: grace@example.com\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\"\nContent-Transfer-Encoding: 8bit\nMessage-Id: <{mid}.4dFG0Q5nFxz9sXd@relay.example.com>\n\nThis is a MIME-encapsulated message.\n\n--{boundary}\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\nThis is the mail system at host relay.example.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\nFor further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n<heidi@example.org>: host mx.example.org[198.51.100.25] said: 550 5.7.1\n    <heidi@example.org>: Message rejected: DKIM signature did not verify\n    (body hash did not verify) (in reply to end of DATA command)\n\n--{boundary}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example.com\nX-Postfix-Queue-ID: 4dFG0P0qLmz9sXc\nX-Postfix-Sender: rfc822; grace@example.com\nArrival-Date: {d0}\n\nFinal-Recipient: rfc822; heidi@example.org\nOriginal-Recipient: rfc822;heidi@example.org\nAction: failed\nStatus: 5.7.1\nRemote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 550 5.7.1 <heidi@example.org>: Message rejected: DKIM\n    signature did not verify (body hash did not verify)\n\n--{boundary}\nContent-Description: Undelivered Message\nContent-Type: message/rfc822\nContent-Transfer-Encoding: 8bit\n\n",
        d0 = date(t, 60),
        d1 = date(bt, 60),
        d2 = date(bt + 1, 60),
        mid = rfc3339(bt).replace(['-', ':', 'T', 'Z'], ""),
    )
    .into_bytes();
    dsn.extend_from_slice(&as_sent);
    dsn.extend_from_slice(format!("\n--{boundary}--\n").as_bytes());
    Ok(dsn)
}
