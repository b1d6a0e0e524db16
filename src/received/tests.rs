//! Received fields as Postfix, Exchange Online, Gmail and Exim write them,
//! and the date forms seen in the wild.

use super::*;

const POSTFIX: &str = " from mail.example.com (mail.example.com [192.0.2.10])\r\n\tby mx.example.net (Postfix) with ESMTPS id 4Y1abc2DEFz9sT\r\n\tfor <bob@example.net>; Mon, 24 Nov 2025 12:00:05 +0000 (UTC)";
const EXCHANGE: &str = " from AM9PR01MB1234.eurprd01.prod.exchangelabs.com\r\n (2603:10a6:20b:1::12) by DB8PR01MB5678.eurprd01.prod.exchangelabs.com with\r\n HTTPS; Mon, 24 Nov 2025 12:00:01 +0000";
const GMAIL: &str = " from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\r\n        by mx.google.com with SMTPS id a1b2c3d4e5.33.2025.11.24.04.00.09\r\n        for <carol@example.org>\r\n        (Google Transport Security);\r\n        Mon, 24 Nov 2025 04:00:09 -0800 (PST)";
const EXIM: &str = " from [198.51.100.7] (helo=client.example)\r\n\tby smtp.example.org with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.96)\r\n\t(envelope-from <alice@example.org>)\r\n\tid 1tAbCd-000123-Xy\r\n\tfor bob@example.net;\r\n\tMon, 24 Nov 2025 12:59:58 +0100";

#[test]
fn reads_the_clauses_of_four_mtas() {
    let p = parse(POSTFIX, 0);
    assert_eq!(
        p.from.as_deref(),
        Some("mail.example.com (mail.example.com [192.0.2.10])")
    );
    assert_eq!(p.by.as_deref(), Some("mx.example.net (Postfix)"));
    assert_eq!(p.with.as_deref(), Some("ESMTPS"));
    assert_eq!(p.id.as_deref(), Some("4Y1abc2DEFz9sT"));
    assert_eq!(p.for_.as_deref(), Some("<bob@example.net>"));
    assert_eq!(p.time, Some(1_763_985_605));

    let e = parse(EXCHANGE, 1);
    assert_eq!(
        e.by.as_deref(),
        Some("DB8PR01MB5678.eurprd01.prod.exchangelabs.com")
    );
    assert_eq!(e.with.as_deref(), Some("HTTPS"));
    assert_eq!(e.time, Some(1_763_985_601));

    let g = parse(GMAIL, 2);
    assert_eq!(g.by.as_deref(), Some("mx.google.com"));
    assert_eq!(
        g.for_.as_deref(),
        Some("<carol@example.org> (Google Transport Security)")
    );
    assert_eq!(g.time, Some(1_763_985_609)); // 04:00:09 PST = 12:00:09Z

    let x = parse(EXIM, 3);
    assert_eq!(
        x.from.as_deref(),
        Some("[198.51.100.7] (helo=client.example)")
    );
    assert_eq!(x.id.as_deref(), Some("1tAbCd-000123-Xy"));
    assert_eq!(x.for_.as_deref(), Some("bob@example.net"));
    assert!(
        x.with
            .as_deref()
            .unwrap_or("")
            .starts_with("esmtpsa (TLS1.3)")
    );
    assert_eq!(x.time, Some(1_763_985_598)); // 12:59:58+01:00 = 11:59:58Z
}

#[test]
fn date_forms() {
    let base = 1_763_985_600; // Mon, 24 Nov 2025 12:00:00 +0000
    let ok = |s: &str| parse_date(s).map(|(t, _)| t);
    assert_eq!(ok("Mon, 24 Nov 2025 12:00:00 +0000"), Ok(base));
    assert_eq!(ok("24 Nov 2025 12:00:00 GMT"), Ok(base));
    assert_eq!(ok("Mon, 24 Nov 2025 07:00:00 EST"), Ok(base));
    assert_eq!(ok("Mon, 24 Nov 25 12:00 UT"), Ok(base));
    assert_eq!(ok("Mon,24 Nov 2025 13:00:00.123 +01:00"), Ok(base));
    assert_eq!(ok("Mon Nov 24 12:00:00 2025"), Ok(base));
    assert_eq!(ok("Mon, 24 Nov 2025 12:00:00 GMT+0000"), Ok(base));
    let (t, note) = parse_date("Mon, 24 Nov 2025 12:00:00 Q").unwrap();
    assert_eq!(t, base);
    assert!(note.unwrap().contains("military"));
    assert!(parse_date("Mon, 24 Nov 2025 12:00:00").unwrap().1.is_some());
    assert!(parse_date("yesterday").is_err());
    assert!(parse_date("Mon, 24 Foo 2025 12:00:00 +0000").is_err());
    assert!(parse_date("Mon, 24 Nov 2025 25:00:00 +0000").is_err());
    assert!(parse_date("Mon, 24 Nov 2025 12:00:00 +9999").is_err());
}

#[test]
fn chain_orders_hops_and_flags_skew() {
    let raw = format!(
        "Received:{EXCHANGE}\r\nReceived:{POSTFIX}\r\nReceived: by relay.example with SMTP; garbage\r\nReceived:{EXIM}\r\nFrom: a@example.org\r\n\r\nbody\r\n"
    );
    let msg = crate::message::parse(raw.into_bytes());
    let (hops, s) = chain(&msg);
    assert_eq!(hops.len(), 4);
    // Bottom first: Exim, the unreadable relay, Postfix, Exchange.
    assert_eq!(hops[0].id.as_deref(), Some("1tAbCd-000123-Xy"));
    assert!(hops[1].time.is_none() && hops[1].date_note.is_some());
    assert_eq!(hops[2].delay, Some(7)); // measured from the last readable hop
    assert_eq!(hops[3].delay, Some(-4));
    assert!(hops[3].skew && !hops[2].skew);
    assert_eq!(
        s,
        Summary {
            hops: 4,
            total: Some(3),
            skewed: 1,
            unparsed: 1
        }
    );
}

#[test]
fn hostile_values_never_panic() {
    for v in [
        "",
        ";",
        "(((",
        "from",
        "by ;",
        ")))(;;",
        "from \u{202e} by ; 1 Jan",
    ] {
        let _ = parse(v, 0);
    }
    let _ = parse_date("Mon, 31 Feb 99999999999 99:99 +");
}

#[test]
fn a_date_without_a_semicolon_is_found() {
    // SendGrid's own hop, as in a real SendGrid bounce (sisimai corpus).
    let h = parse(
        " by 10.8.49.76 with SMTP id mf36.18138.51D70DE17\r\n        Fri, 05 Jul 2013 23:34:45 +0000 (UTC)",
        0,
    );
    assert_eq!(h.id.as_deref(), Some("mf36.18138.51D70DE17"));
    assert_eq!(h.time, Some(1_373_067_285));
    assert_eq!(h.date_note.as_deref(), Some("no ';' before the date"));
    // A number in a clause is not taken for a date.
    let h = parse(" from a by b with SMTP id 12 Jul", 0);
    assert_eq!(h.time, None);
    assert_eq!(h.id.as_deref(), Some("12 Jul"));
}

#[test]
fn ip_literals_of_a_clause() {
    let p = parse(POSTFIX, 0);
    assert_eq!(ips(p.from.as_deref().unwrap()), vec!["192.0.2.10"]);
    let e = parse(EXCHANGE, 0);
    assert_eq!(ips(e.from.as_deref().unwrap()), vec!["2603:10a6:20b:1::12"]);
    assert_eq!(ips("[IPv6:2001:db8::1] (helo=x)"), vec!["2001:db8::1"]);
    assert!(ips("mail.example.com (mail.example.com)").is_empty());
}

#[test]
fn a_comment_only_field_keeps_its_comment() {
    // qmail, as in real qmail bounces (sisimai corpus).
    let h = parse(
        " (qmail 10592 invoked from network); 8 Jul 2013 23:34:45 -0000",
        0,
    );
    assert_eq!(
        h.comment.as_deref(),
        Some("qmail 10592 invoked from network")
    );
    assert!(h.time.is_some());
    assert_eq!(parse(POSTFIX, 0).comment, None);
}

#[test]
fn millisecond_delays_are_rounded_not_truncated() {
    let raw = "Received: from b.example by c.example with SMTP id 2;\r\n Mon, 24 Nov 2025 12:00:01.000 +0000\r\n\
Received: from a.example by b.example with SMTP id 1; Mon, 24 Nov 2025 12:00:00.900 +0000\r\n\
Received: from z.example by a.example with SMTP id 0; Mon, 24 Nov 2025 11:59:59.100 +0000\r\n\
From: a@example.org\r\n\r\nbody\r\n";
    let msg = crate::message::parse(raw.as_bytes().to_vec());
    let (hops, s) = chain(&msg);
    assert_eq!(hops[0].time_ms, Some(1_763_985_599_100));
    assert_eq!(hops[0].time, Some(1_763_985_599));
    // 1.8 s is 2 (cut, the whole seconds gave 1); 0.1 s is 0 (cut: 1).
    assert_eq!(hops[1].delay, Some(2));
    assert_eq!(hops[2].delay, Some(0));
    assert_eq!(s.total, Some(2));
    // Within one whole second: 0.2 s is 0, and no clock skew.
    let raw = "Received: by b.example id 2; Mon, 24 Nov 2025 12:00:00.100 +0000\r\n\
Received: by a.example id 1; Mon, 24 Nov 2025 11:59:59.900 +0000\r\n\r\n";
    let (hops, _) = chain(&crate::message::parse(raw.as_bytes().to_vec()));
    assert_eq!(hops[1].delay, Some(0));
    assert!(!hops[1].skew);
    // A clock 0.4 s behind is not called skewed; 0.6 s behind is.
    let raw = "Received: by b.example id 2; Mon, 24 Nov 2025 12:00:00.000 +0000\r\n\
Received: by a.example id 1; Mon, 24 Nov 2025 12:00:00.600 +0000\r\n\r\n";
    let (hops, _) = chain(&crate::message::parse(raw.as_bytes().to_vec()));
    assert_eq!(hops[1].delay, Some(-1));
    assert!(hops[1].skew);
    assert!(parse_date("Mon, 24 Nov 2025 12:00:00.1x +0000").is_err());
    assert_eq!(
        parse_date_ms("Mon, 24 Nov 2025 12:00:00.123456789 +0000").map(|(t, _)| t),
        Ok(1_763_985_600_123)
    );
}

#[test]
fn the_date_is_stored_unfolded() {
    let h = parse(
        " from a.example by b.example with SMTP id 1;\r\n\tMon, 24 Nov 2025\r\n  12:00:00 +0000   (UTC)",
        0,
    );
    assert_eq!(
        h.date_text.as_deref(),
        Some("Mon, 24 Nov 2025 12:00:00 +0000 (UTC)")
    );
    assert_eq!(h.time, Some(1_763_985_600));
}

#[test]
fn by_clause_addresses_beside_the_host() {
    let e = parse(EXCHANGE, 0);
    assert!(by_ips(e.by.as_deref().unwrap()).is_empty());
    // Exchange's internal hop names the receiving server's address.
    assert_eq!(
        by_ips(
            "AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:12::34) with Microsoft SMTP Server"
        ),
        vec!["2603:10a6:208:12::34"]
    );
    // A host written as an address is not repeated.
    assert!(by_ips("10.8.49.76 with SMTP").is_empty());
    assert!(by_ips("[192.0.2.7]").is_empty());
}
