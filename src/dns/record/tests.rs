use std::time::Duration;

use proptest::prelude::*;

use super::*;
use crate::dns::{CnameHop, TxtRecord, ZoneKeys};

fn live(query: &str, hops: &[(&str, &str, u32)], answer: Answer) -> TxtLookup {
    TxtLookup {
        query: query.into(),
        hops: hops
            .iter()
            .map(|(f, t, ttl)| CnameHop {
                from: (*f).into(),
                to: (*t).into(),
                ttl: Some(*ttl),
                origin: None,
            })
            .collect(),
        answer,
        served_by: ServedBy::Resolver("127.0.0.1:5353".into()),
        elapsed: Duration::from_millis(3),
        soa: None,
        recorded: None,
        dnssec: crate::dns::Dnssec::Unknown,
    }
}

fn txt(ttl: u32, strings: &[&[u8]]) -> TxtRecord {
    TxtRecord {
        strings: strings.iter().map(|s| s.to_vec()).collect(),
        ttl: Some(ttl),
        origin: None,
    }
}

fn soa(zone: &str) -> Soa {
    Soa {
        zone: zone.into(),
        ttl: Some(60),
        mname: "ns.test".into(),
        rname: "hostmaster.test".into(),
        timers: ["1", "3600", "600", "86400", "60"].map(String::from),
    }
}

/// What a replay must give back: the name, the hops and the answer, each
/// with its TTLs and character-strings.
type Hops = Vec<(String, String, Option<u32>)>;

fn meaning(l: &TxtLookup) -> (String, Hops, String) {
    let hops = l
        .hops
        .iter()
        .map(|h| (h.from.clone(), h.to.clone(), h.ttl))
        .collect();
    let answer = match &l.answer {
        Answer::Txt(r) => format!(
            "{:?}",
            r.iter().map(|r| (&r.strings, r.ttl)).collect::<Vec<_>>()
        ),
        other => other.to_string(),
    };
    (l.query.clone(), hops, answer)
}

const AT: u64 = 1_772_359_200; // 2026-03-01T10:00:00Z

fn replayed(answers: &[TxtLookup]) -> (String, ZoneKeys) {
    let text = zone_text(answers, Some("127.0.0.1:5353"), AT);
    let keys = ZoneKeys::parse("rec.zone", &text);
    assert!(keys.warnings().is_empty(), "{:?}\n{text}", keys.warnings());
    (text, keys)
}

#[test]
fn every_answer_kind_reads_back_as_answered() {
    let mut nx = live("_dmarc.example.net", &[], Answer::NxDomain);
    nx.soa = Some(soa("example.net"));
    let answers = vec![
        live(
            "s1._domainkey.example.com",
            &[],
            Answer::Txt(vec![
                txt(300, &[b"v=DKIM1; k=rsa; ", b"p=AB\"C\\D;E (x)"]),
                txt(300, &[b"", b"\x00\x1b[31m\xff\xfe end"]),
            ]),
        ),
        live(
            "selector1._domainkey.contoso.example",
            &[
                (
                    "selector1._domainkey.contoso.example",
                    "a.onmicrosoft.com",
                    3600,
                ),
                ("a.onmicrosoft.com", "b.onmicrosoft.com", 60),
            ],
            Answer::NxDomain,
        ),
        nx,
        live("nodata.example.org", &[], Answer::NoData),
        live(
            "loop.example",
            &[
                ("loop.example", "pool.example", 5),
                ("pool.example", "loop.example", 5),
            ],
            Answer::CnameLoop,
        ),
    ];
    let (text, keys) = replayed(&answers);
    for a in &answers {
        let back = keys.lookup(&a.query).expect(&a.query);
        assert_eq!(meaning(&back), meaning(a), "{text}");
        assert_eq!(back.recorded, Some(AT));
    }
    assert!(text.contains("$RECORDED 2026-03-01T10:00:00Z"), "{text}");
    assert!(text.contains("; resolver: 127.0.0.1:5353"), "{text}");
    assert!(
        text.contains(";   authority: example.net.\t60\tIN\tSOA\tns.test. hostmaster.test. 1 3600 600 86400 60"),
        "{text}"
    );
    assert!(text.contains("no SOA came with this answer"), "{text}");
    // The escape byte reaches the file only as \027.
    assert!(
        !text.contains('\x1b') && text.contains("\\027[31m"),
        "{text}"
    );
}

#[test]
fn failures_are_comments_and_replay_as_missing() {
    let answers = vec![
        live("a._domainkey.example.com", &[], Answer::ServFail),
        live(
            "b._domainkey.example.com",
            &[("b._domainkey.example.com", "b.provider.example", 300)],
            Answer::Timeout,
        ),
        live(
            "c._domainkey.example.com",
            &[],
            Answer::Error("x\ny".into()),
        ),
    ];
    let (text, keys) = replayed(&answers);
    for a in &answers {
        assert_eq!(keys.lookup(&a.query), None, "{text}");
    }
    assert!(text.contains("; a._domainkey.example.com: SERVFAIL (from resolver 127.0.0.1:5353)"));
    assert!(text.contains(";   CNAME b._domainkey.example.com -> b.provider.example (ttl 300)"));
    assert!(text.contains("error: x\\010y"), "{text}");
}

#[test]
fn hostile_names_stay_names() {
    // A selector is whatever the message says: it must not become a
    // directive, an origin, a comment or a second field.
    for q in [
        "$ttl._domainkey.x",
        "@",
        "a b;c\"d._domainkey.x",
        "é._domainkey.x",
    ] {
        let answers = vec![live(q, &[], Answer::Txt(vec![txt(1, &[b"v=DKIM1"])]))];
        let (text, keys) = replayed(&answers);
        let back = keys.lookup(q).expect(q);
        assert_eq!(meaning(&back), meaning(&answers[0]), "{text}");
    }
}

#[test]
fn shared_targets_are_written_once_and_batches_dedupe() {
    let target = Answer::Txt(vec![txt(300, &[b"v=DKIM1; p=AAAA"])]);
    let a = live(
        "s1._domainkey.a.example",
        &[("s1._domainkey.a.example", "key.esp.example", 300)],
        target.clone(),
    );
    let b = live(
        "s1._domainkey.b.example",
        &[("s1._domainkey.b.example", "key.esp.example", 300)],
        target,
    );
    let rec = Recording::new();
    for l in [&a, &b, &a] {
        rec.add(l);
    }
    assert_eq!(rec.len(), 2);
    let text = rec.zone_text(AT);
    assert_eq!(text.matches("IN\tTXT").count(), 1, "{text}");
    let keys = ZoneKeys::parse("rec.zone", &text);
    for l in [&a, &b] {
        assert_eq!(meaning(&keys.lookup(&l.query).unwrap()), meaning(l));
    }
}

/// The replay line repeats the check's own `--at`, so the command it shows
/// sees what the check saw; without one, the recording time.
#[test]
fn the_replay_line_gives_the_checks_at() {
    let rec = Recording::new();
    let plain = rec.zone_text(1_772_359_200);
    assert!(
        plain.contains("--offline --at 2026-03-01T10:00:00Z MESSAGE"),
        "{plain}"
    );
    rec.set_replay_at(Some("2025-11-24T12:00:00Z".into()));
    let text = rec.zone_text(1_772_359_200);
    assert!(
        text.contains("--offline --at 2025-11-24T12:00:00Z MESSAGE"),
        "{text}"
    );
    assert!(text.contains("$RECORDED 2026-03-01T10:00:00Z"), "{text}");
}

#[test]
fn a_replay_recorded_again_keeps_its_date() {
    let mut l = live("s._domainkey.x", &[], Answer::NoData);
    l.recorded = Some(AT - 86_400 * 30);
    let text = zone_text([&l], None, AT);
    assert!(text.contains("$RECORDED 2026-01-30T10:00:00Z"), "{text}");
    assert!(text.contains("; resolver: none"), "{text}");
}

proptest! {
    #[test]
    fn any_character_strings_read_back_exactly(
        strings in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..5),
        ttl in any::<u32>(),
    ) {
        let refs: Vec<&[u8]> = strings.iter().map(Vec::as_slice).collect();
        let l = live("s._domainkey.example.com", &[], Answer::Txt(vec![txt(ttl, &refs)]));
        let text = zone_text([&l], None, AT);
        let keys = ZoneKeys::parse("p.zone", &text);
        prop_assert!(keys.warnings().is_empty());
        prop_assert_eq!(meaning(&keys.lookup(&l.query).unwrap()), meaning(&l));
    }
}

#[test]
fn dnssec_status_is_written_and_read_back_per_name() {
    use crate::dns::Dnssec;
    let mut lookups = Vec::new();
    for (name, status) in [
        ("a._domainkey.example.com", Dnssec::Secure),
        ("b._domainkey.example.com", Dnssec::Insecure),
        ("c._domainkey.example.com", Dnssec::Bogus),
        ("d._domainkey.example.com", Dnssec::Unknown),
    ] {
        let mut l = live(name, &[], Answer::Txt(vec![txt(300, &[b"v=DKIM1; p="])]));
        l.dnssec = status;
        lookups.push(l);
    }
    // Through a CNAME, the status belongs to the name asked.
    let mut via = live(
        "e._domainkey.example.com",
        &[("e._domainkey.example.com", "e.esp.example.net", 60)],
        Answer::NxDomain,
    );
    via.dnssec = Dnssec::Secure;
    lookups.push(via);
    let text = zone_text(&lookups, Some("127.0.0.1:5353"), 1_772_359_200);
    assert!(
        text.contains("$DNSSEC secure a._domainkey.example.com.\n"),
        "{text}"
    );
    assert!(
        text.contains("$DNSSEC bogus c._domainkey.example.com.\n"),
        "{text}"
    );
    // Unknown is what a keys file says by default: not written.
    assert!(
        !text.contains("d._domainkey.example.com.\n$DNSSEC"),
        "{text}"
    );
    assert_eq!(text.matches("$DNSSEC").count(), 4, "{text}");

    let keys = ZoneKeys::parse("rec.zone", &text);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    for l in &lookups {
        let back = keys.lookup(&l.query).expect("replayed");
        assert_eq!(back.dnssec, l.dnssec, "{}", l.query);
        assert_eq!(meaning(&back), meaning(l));
    }
}

#[test]
fn a_failed_answer_writes_no_dnssec_status() {
    let mut l = live("s._domainkey.example.com", &[], Answer::ServFail);
    l.dnssec = crate::dns::Dnssec::Bogus;
    let text = zone_text([&l], None, 0);
    assert!(!text.contains("$DNSSEC"), "{text}");
}

#[test]
fn a_bad_dnssec_directive_is_a_warning_and_makes_no_name() {
    let keys = ZoneKeys::parse(
        "k.zone",
        "$DNSSEC maybe s._domainkey.example.com.\n$DNSSEC secure\n$DNSSEC SECURE t.example.com.\n",
    );
    assert_eq!(keys.warnings().len(), 2, "{:?}", keys.warnings());
    assert!(keys.warnings()[0].contains("unknown status 'maybe'"));
    assert!(keys.lookup("t.example.com").is_none());
    assert!(keys.lookup("s._domainkey.example.com").is_none());
}

#[test]
fn dnssec_words_and_the_weakest_link() {
    use crate::dns::Dnssec::{self, *};
    for d in [Secure, Insecure, Bogus, Unknown] {
        assert_eq!(Dnssec::parse(d.as_str()), Some(d));
    }
    assert_eq!(Dnssec::parse("Bogus"), Some(Bogus));
    assert_eq!(Dnssec::parse("valid"), None);
    assert_eq!(Secure.and(Secure), Secure);
    assert_eq!(Secure.and(Insecure), Insecure);
    assert_eq!(Insecure.and(Unknown), Unknown);
    assert_eq!(Unknown.and(Bogus), Bogus);
    assert_eq!(Bogus.and(Secure), Bogus);
}
