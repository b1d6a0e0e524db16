//! Unit tests for keys-file syntax and the resolution rules.

use super::*;

fn txt_strings(lookup: &TxtLookup) -> Vec<Vec<String>> {
    match &lookup.answer {
        Answer::Txt(records) => records
            .iter()
            .map(|r| {
                r.strings
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect()
            })
            .collect(),
        other => panic!("expected TXT, got {other:?}"),
    }
}

fn only_record(keys: &ZoneKeys, name: &str) -> TxtRecord {
    let found = keys.lookup(name).expect("covered");
    match found.answer {
        Answer::Txt(mut records) if records.len() == 1 => records.remove(0),
        other => panic!("expected one TXT record, got {other:?}"),
    }
}

#[test]
fn dig_answer_line_with_multi_string_txt() {
    let keys = ZoneKeys::parse(
        "k.zone",
        "selector1._domainkey.example.com. 3600 IN TXT \"v=DKIM1; k=rsa; \" \"p=MIIB\"\n",
    );
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    let rec = only_record(&keys, "selector1._domainkey.example.com");
    assert_eq!(
        rec.strings,
        vec![b"v=DKIM1; k=rsa; ".to_vec(), b"p=MIIB".to_vec()]
    );
    assert_eq!(rec.joined(), b"v=DKIM1; k=rsa; p=MIIB".to_vec());
    assert_eq!(rec.ttl, Some(3600));
    assert_eq!(
        rec.origin,
        Some(FileLine {
            path: "k.zone".into(),
            line: 1
        })
    );
}

#[test]
fn lookup_reports_query_file_and_case_insensitive_names() {
    let keys = ZoneKeys::parse("a.zone", "S1._DomainKey.Example.COM. TXT \"v=DKIM1\"\n");
    let found = keys.lookup("s1._domainkey.EXAMPLE.com.").expect("covered");
    assert_eq!(found.query, "s1._domainkey.example.com");
    assert_eq!(found.served_by, ServedBy::KeysFile("a.zone".into()));
    assert!(found.hops.is_empty());
    assert_eq!(txt_strings(&found), vec![vec!["v=DKIM1".to_string()]]);
}

#[test]
fn ttl_and_class_optional_in_either_order() {
    let text = "\
a.example. 300 IN TXT \"one\"
b.example. IN 400 TXT \"two\"
c.example. IN TXT \"three\"
d.example. 500 TXT \"four\"
e.example. TXT \"five\"
f.example. 1h30m IN TXT \"six\"
";
    let keys = ZoneKeys::parse("t", text);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    assert_eq!(only_record(&keys, "a.example").ttl, Some(300));
    assert_eq!(only_record(&keys, "b.example").ttl, Some(400));
    // No TTL: the last explicit one applies (RFC 1035).
    assert_eq!(only_record(&keys, "c.example").ttl, Some(400));
    assert_eq!(only_record(&keys, "d.example").ttl, Some(500));
    assert_eq!(only_record(&keys, "e.example").ttl, Some(500));
    assert_eq!(only_record(&keys, "f.example").ttl, Some(5400));
}

#[test]
fn no_ttl_anywhere_is_none_and_dollar_ttl_is_default() {
    let keys = ZoneKeys::parse("t", "a.example. TXT x\n$TTL 1d\nb.example. TXT y\n");
    assert_eq!(only_record(&keys, "a.example").ttl, None);
    assert_eq!(only_record(&keys, "b.example").ttl, Some(86_400));
}

#[test]
fn unquoted_words_are_separate_strings() {
    let keys = ZoneKeys::parse("t", "a.example. TXT v=DKIM1 p=abc\n");
    let rec = only_record(&keys, "a.example");
    assert_eq!(rec.strings, vec![b"v=DKIM1".to_vec(), b"p=abc".to_vec()]);
}

#[test]
fn escapes_inside_quotes() {
    let keys = ZoneKeys::parse("t", r#"a.example. TXT "say \"hi\" \\ \065\255;x""#);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    let rec = only_record(&keys, "a.example");
    assert_eq!(rec.strings, vec![b"say \"hi\" \\ A\xff;x".to_vec()]);
}

#[test]
fn comments_outside_quotes_only() {
    let text = "; a comment line\na.example. TXT \"v=DKIM1; k=rsa\" ; trailing comment\n";
    let keys = ZoneKeys::parse("t", text);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    assert_eq!(
        only_record(&keys, "a.example").strings,
        vec![b"v=DKIM1; k=rsa".to_vec()]
    );
}

#[test]
fn origin_relative_names_at_and_blank_owner() {
    let text = "\
$ORIGIN Example.COM.
$TTL 600
@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
  IN NS ns1
s1._domainkey TXT \"first\"
              TXT \"second\"
alias IN CNAME s1._domainkey
$ORIGIN sub
www A 192.0.2.1
";
    let keys = ZoneKeys::parse("z", text);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    let found = keys.lookup("s1._domainkey.example.com").expect("covered");
    assert_eq!(
        txt_strings(&found),
        vec![vec!["first".to_string()], vec!["second".to_string()]]
    );
    let alias = keys.lookup("alias.example.com").expect("covered");
    assert_eq!(alias.hops.len(), 1);
    assert_eq!(alias.hops[0].to, "s1._domainkey.example.com");
    assert_eq!(alias.hops[0].ttl, Some(600));
    // `@` owner with SOA, and the blank owner NS line belong to the apex.
    assert_eq!(
        keys.lookup("example.com").expect("covered").answer,
        Answer::NoData
    );
    // A relative $ORIGIN is completed by the previous one.
    assert_eq!(
        keys.lookup("www.sub.example.com").expect("covered").answer,
        Answer::NoData
    );
    assert_eq!(keys.soa_zones().collect::<Vec<_>>(), vec!["example.com"]);
}

#[test]
fn multi_line_soa_with_parentheses_and_comments() {
    let text = "\
example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. (
        2024010101 ; serial
        7200       ; refresh
        3600 1209600
        300 )
sel._domainkey.example.org. 300 IN TXT ( \"v=DKIM1; \"
    \"p=AAAA\" )
";
    let keys = ZoneKeys::parse("z", text);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    let rec = only_record(&keys, "sel._domainkey.example.org");
    assert_eq!(rec.strings, vec![b"v=DKIM1; ".to_vec(), b"p=AAAA".to_vec()]);
    assert_eq!(rec.origin.map(|o| o.line), Some(6));
    assert_eq!(
        keys.lookup("nothing.example.org")
            .expect("authoritative")
            .answer,
        Answer::NxDomain
    );
}

#[test]
fn other_types_make_the_name_exist() {
    let text = "\
mail.example.net. 300 IN A 192.0.2.7
mail.example.net. 300 IN MX 10 mx.example.net.
mail.example.net. 300 IN RRSIG TXT 8 3 300 20250101000000 20240101000000 1234 example.net. AbCd==
";
    let keys = ZoneKeys::parse("z", text);
    assert!(keys.warnings().is_empty(), "{:?}", keys.warnings());
    let found = keys.lookup("mail.example.net").expect("covered");
    assert_eq!(found.answer, Answer::NoData);
    assert_eq!(found.served_by, ServedBy::KeysFile("z".into()));
}

#[test]
fn malformed_lines_warn_and_are_skipped() {
    let text = "\
good.example. TXT \"ok\"
bad1.example. TXT \"unterminated
bad2.example. 12x IN TXT \"x\"
bad3.example. CH TXT \"x\"
bad4.example. CNAME a. b.
bad5.example. IN SOA ns1 host 1 2 3
bad6.example. TXT
\"quoted.owner\". TXT x
  TXT \"continuation of bad6? no: previous owner exists\"
$INCLUDE other.zone
$BOGUS 1
bad7.example. TXT \"\\300\"
bad8.example. TXT ( \"never closed\"
";
    let keys = ZoneKeys::parse("f.zone", text);
    let w = keys.warnings();
    let lines: Vec<&str> = w
        .iter()
        .map(|s| s.split(": ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        vec![
            "f.zone:2",
            "f.zone:3",
            "f.zone:4",
            "f.zone:5",
            "f.zone:6",
            "f.zone:7",
            "f.zone:8",
            "f.zone:10",
            "f.zone:11",
            "f.zone:12",
            "f.zone:13"
        ],
        "{w:#?}"
    );
    assert!(w[0].contains("unterminated"), "{}", w[0]);
    assert!(w[1].contains("bad TTL"), "{}", w[1]);
    assert!(w[4].contains("SOA needs 7 fields"), "{}", w[4]);
    assert!(w[9].contains("255"), "{}", w[9]);
    assert!(w[10].contains("never closed"), "{}", w[10]);
    assert!(keys.lookup("good.example").is_some());
    for name in [
        "bad1.example",
        "bad2.example",
        "bad3.example",
        "bad4.example",
    ] {
        assert!(keys.lookup(name).is_none(), "{name} should be skipped");
    }
    // Line 9's blank owner continues the last good owner (good.example).
    assert_eq!(
        txt_strings(&keys.lookup("good.example").expect("covered")).len(),
        2
    );
}

#[test]
fn blank_owner_without_previous_owner_warns() {
    let keys = ZoneKeys::parse("f", "   TXT \"x\"\n");
    assert_eq!(keys.warnings().len(), 1);
    assert!(keys.warnings()[0].starts_with("f:1: blank owner"));
    let keys = ZoneKeys::parse("f", "@ TXT \"x\"\n");
    assert!(keys.warnings()[0].contains("$ORIGIN"));
}

#[test]
fn cname_chain_inside_files_records_hops() {
    let text = "\
s1._domainkey.a.example. 60 IN CNAME s1.keys.b.example.
s1.keys.b.example. 120 IN CNAME s1.final.c.example.
s1.final.c.example. 180 IN TXT \"v=DKIM1; p=XYZ\"
";
    let keys = ZoneKeys::parse("chain.zone", text);
    let found = keys.lookup("s1._domainkey.a.example").expect("covered");
    assert_eq!(found.hops.len(), 2);
    assert_eq!(found.hops[0].from, "s1._domainkey.a.example");
    assert_eq!(found.hops[0].to, "s1.keys.b.example");
    assert_eq!(found.hops[0].ttl, Some(60));
    assert_eq!(found.hops[1].ttl, Some(120));
    assert_eq!(found.hops[1].origin.as_ref().map(|o| o.line), Some(2));
    assert_eq!(
        txt_strings(&found),
        vec![vec!["v=DKIM1; p=XYZ".to_string()]]
    );
}

#[test]
fn final_answer_names_the_file_that_held_it() {
    let mut keys = ZoneKeys::parse("first.zone", "a.example. CNAME b.example.\n");
    keys.add_text("second.zone", "b.example. TXT \"v=DKIM1\"\n");
    let found = keys.lookup("a.example").expect("covered");
    assert_eq!(found.served_by, ServedBy::KeysFile("second.zone".into()));
}

#[test]
fn dangling_cname_is_nxdomain_with_hops() {
    let keys = ZoneKeys::parse(
        "d.zone",
        "sel._domainkey.a.example. 300 CNAME gone.b.example.\n",
    );
    let found = keys.lookup("sel._domainkey.a.example").expect("covered");
    assert_eq!(found.answer, Answer::NxDomain);
    assert_eq!(found.hops.len(), 1);
    assert_eq!(found.hops[0].to, "gone.b.example");
    assert_eq!(found.served_by, ServedBy::KeysFile("d.zone".into()));
}

#[test]
fn soa_makes_files_authoritative_for_their_zone() {
    let text = "\
example.com. IN SOA ns1.example.com. h.example.com. 1 2 3 4 5
s1._domainkey.example.com. TXT \"v=DKIM1\"
";
    let keys = ZoneKeys::parse("soa.zone", text);
    let missing = keys
        .lookup("s2._domainkey.example.com")
        .expect("authoritative");
    assert_eq!(missing.answer, Answer::NxDomain);
    assert_eq!(missing.served_by, ServedBy::KeysFile("soa.zone".into()));
    // Empty non-terminal: exists, no data.
    assert_eq!(
        keys.lookup("_domainkey.example.com")
            .expect("authoritative")
            .answer,
        Answer::NoData
    );
    // Outside the zone (even a suffix look-alike): not covered.
    assert!(keys.lookup("s1._domainkey.otherexample.com").is_none());
    assert!(keys.lookup("example.net").is_none());
}

#[test]
fn cname_loop_and_hop_limit() {
    let keys = ZoneKeys::parse(
        "l",
        "a.example. CNAME b.example.\nb.example. CNAME a.example.\n",
    );
    let found = keys.lookup("a.example").expect("covered");
    assert_eq!(found.answer, Answer::CnameLoop);
    assert_eq!(found.hops.len(), 2);

    let mut chain = String::new();
    for i in 0..9 {
        chain.push_str(&format!("n{i}.example. CNAME n{}.example.\n", i + 1));
    }
    chain.push_str("n9.example. TXT \"end\"\n");
    let long = ZoneKeys::parse("long", &chain);
    assert_eq!(
        long.lookup("n0.example").expect("covered").answer,
        Answer::CnameLoop
    );
    // Eight hops are still fine.
    let ok = long.lookup("n1.example").expect("covered");
    assert_eq!(ok.hops.len(), 8);
    assert!(matches!(ok.answer, Answer::Txt(_)));
}

#[test]
fn uncovered_name_is_none() {
    let keys = ZoneKeys::parse("n", "a.example. TXT \"x\"\n");
    assert!(keys.lookup("b.example").is_none());
    assert!(ZoneKeys::default().lookup("a.example").is_none());
}

#[test]
fn from_files_reads_and_reports_unreadable_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("keys.zone");
    std::fs::write(&path, "a.example. TXT \"v=DKIM1\"\n").expect("write");
    let keys = ZoneKeys::from_files(std::slice::from_ref(&path)).expect("readable");
    let found = keys.lookup("a.example").expect("covered");
    assert_eq!(
        found.served_by,
        ServedBy::KeysFile(path.display().to_string())
    );

    let missing = dir.path().join("missing.zone");
    let err = ZoneKeys::from_files(&[path, missing.clone()]).expect_err("unreadable");
    let text = err.to_string();
    assert!(text.contains(&missing.display().to_string()), "{text}");
    assert!(text.contains("No such file"), "{text}");
}

#[test]
fn parenthesis_inside_a_name_is_literal() {
    // dig prints an odd owner name as it is; it must not open a group that
    // swallows the lines after it.
    let z = ZoneKeys::parse(
        "k.zone",
        "test._domainkey.legitimate.com(.attacker.com. 3600 IN TXT \"v=DKIM1; p=\"\n\
         sed._domainkey.test.ex. 3600 IN TXT \"v=DKIM1; k=ed25519; p=AAAA\"\n",
    );
    assert!(z.warnings().is_empty(), "{:?}", z.warnings());
    assert!(z.lookup("sed._domainkey.test.ex").is_some());
    assert!(
        z.lookup("test._domainkey.legitimate.com(.attacker.com")
            .is_some()
    );
}

#[test]
fn recorded_negative_answers_and_their_date() {
    let keys = ZoneKeys::parse(
        "rec.zone",
        "$RECORDED 2026-03-01T10:00:00Z\n\
         example.org. 60 IN SOA ns. host. 1 2 3 4 5\n\
         $NXDOMAIN _dmarc.example.com.\n\
         $ORIGIN example.net.\n\
         $nodata s1._domainkey\n\
         \\$NXDOMAIN.example.net. IN TXT \"a name, not a directive\"\n\
         $NXDOMAIN\n\
         $RECORDED soon\n",
    );
    assert_eq!(
        keys.warnings(),
        [
            "rec.zone:7: $NXDOMAIN needs exactly one name",
            "rec.zone:8: $RECORDED: 'soon' is neither Unix seconds nor an RFC 3339 time like 2025-11-24T12:00:00Z",
        ]
    );
    let nx = keys.lookup("_dmarc.example.com").expect("covered");
    assert_eq!(nx.answer, Answer::NxDomain);
    assert_eq!(nx.recorded, Some(1_772_359_200));
    assert_eq!(nx.soa, None, "no SOA for example.com in the file");
    let nodata = keys.lookup("s1._domainkey.example.net").expect("covered");
    assert_eq!(nodata.answer, Answer::NoData);
    assert_eq!(
        txt_strings(&keys.lookup("$nxdomain.example.net").expect("a name")),
        [["a name, not a directive"]]
    );
    // The file's SOA comes with the negative answers it makes.
    let under = keys
        .lookup("x._domainkey.example.org")
        .expect("authoritative");
    assert_eq!(under.answer, Answer::NxDomain);
    let soa = under.soa.expect("SOA");
    assert_eq!(
        (soa.zone.as_str(), soa.mname.as_str(), soa.ttl),
        ("example.org", "ns", Some(60))
    );
    assert_eq!(soa.timers, ["1", "2", "3", "4", "5"].map(String::from));
    // A file without $RECORDED says nothing about when.
    let plain = ZoneKeys::parse("k.zone", "a.example. IN TXT \"x\"\n");
    assert_eq!(plain.lookup("a.example").expect("covered").recorded, None);
}
