//! Live lookups and the keys-file/DNS layering, run against a real DNS
//! server on 127.0.0.1 (tests/it/support/dns_server.rs). No other network.

use std::sync::Arc;
use std::time::Duration;

use crate::support::dns_server::{Fault, TestDns, TestZone};
use dkimscope::dns::{
    Answer, Layered, LiveConfig, LiveResolver, ServedBy, TxtLookup, TxtSource, ZoneKeys,
};

fn resolver_with(dns: &TestDns, timeout: Duration, attempts: usize) -> LiveResolver {
    LiveResolver::new(LiveConfig {
        server: Some(dns.addr()),
        timeout,
        attempts,
        ..LiveConfig::default()
    })
    .expect("resolver")
}

fn resolver(dns: &TestDns) -> LiveResolver {
    resolver_with(dns, Duration::from_secs(3), 1)
}

fn strings(lookup: &TxtLookup) -> Vec<Vec<Vec<u8>>> {
    match &lookup.answer {
        Answer::Txt(records) => records.iter().map(|r| r.strings.clone()).collect(),
        other => panic!("expected TXT for {}, got {other:?}", lookup.query),
    }
}

#[tokio::test]
async fn single_txt() {
    let dns =
        TestDns::start(TestZone::new().txt("s1._domainkey.example.com", &["v=DKIM1; p=AB"])).await;
    let live = resolver(&dns);
    let got = live.lookup("S1._DomainKey.Example.COM.").await;
    assert_eq!(got.query, "s1._domainkey.example.com");
    assert_eq!(strings(&got), vec![vec![b"v=DKIM1; p=AB".to_vec()]]);
    assert!(got.hops.is_empty());
    assert_eq!(got.served_by, ServedBy::Resolver(dns.addr().to_string()));
    match &got.answer {
        Answer::Txt(r) => assert_eq!(r[0].ttl, Some(300)),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn multi_string_txt_keeps_strings_apart() {
    let zone = TestZone::new().txt("k.example.com", &["v=DKIM1; k=rsa; ", "p=MIIB", "IjAN"]);
    let dns = TestDns::start(zone).await;
    let got = resolver(&dns).lookup("k.example.com").await;
    let Answer::Txt(records) = &got.answer else {
        panic!("expected TXT, got {:?}", got.answer);
    };
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].strings,
        vec![
            b"v=DKIM1; k=rsa; ".to_vec(),
            b"p=MIIB".to_vec(),
            b"IjAN".to_vec()
        ]
    );
    assert_eq!(records[0].joined(), b"v=DKIM1; k=rsa; p=MIIBIjAN".to_vec());
}

#[tokio::test]
async fn two_txt_records_at_one_name() {
    let zone = TestZone::new()
        .txt("two.example.com", &["v=DKIM1; p=first"])
        .txt("two.example.com", &["v=DKIM1; p=second"]);
    let dns = TestDns::start(zone).await;
    let got = resolver(&dns).lookup("two.example.com").await;
    let mut all = strings(&got);
    all.sort();
    assert_eq!(
        all,
        vec![
            vec![b"v=DKIM1; p=first".to_vec()],
            vec![b"v=DKIM1; p=second".to_vec()]
        ]
    );
}

#[tokio::test]
async fn three_hop_cname_chain_reports_hops_and_ttls() {
    let zone = TestZone::new()
        .cname("s._domainkey.a.example", "s.b.example", 100)
        .cname("s.b.example", "s.c.example", 200)
        .cname("s.c.example", "s.d.example", 300)
        .txt("s.d.example", &["v=DKIM1; p=END"]);
    let dns = TestDns::start(zone).await;
    let got = resolver(&dns).lookup("s._domainkey.a.example").await;
    let hops: Vec<(&str, &str, Option<u32>)> = got
        .hops
        .iter()
        .map(|h| (h.from.as_str(), h.to.as_str(), h.ttl))
        .collect();
    assert_eq!(
        hops,
        vec![
            ("s._domainkey.a.example", "s.b.example", Some(100)),
            ("s.b.example", "s.c.example", Some(200)),
            ("s.c.example", "s.d.example", Some(300)),
        ]
    );
    assert_eq!(strings(&got), vec![vec![b"v=DKIM1; p=END".to_vec()]]);
    assert_eq!(dns.queries_for("s._domainkey.a.example"), 1);
}

#[tokio::test]
async fn dangling_cname_is_nxdomain_and_keeps_hops() {
    let zone = TestZone::new()
        .cname("s._domainkey.a.example", "s.b.example", 60)
        .cname("s.b.example", "gone.c.example", 70);
    let dns = TestDns::start(zone).await;
    let got = resolver(&dns).lookup("s._domainkey.a.example").await;
    assert_eq!(got.answer, Answer::NxDomain);
    assert_eq!(got.hops.len(), 2);
    assert_eq!(got.hops[1].to, "gone.c.example");
    assert_eq!(got.hops[1].ttl, Some(70));
}

#[tokio::test]
async fn cname_loop_is_detected() {
    let zone = TestZone::new()
        .cname("a.loop.example", "b.loop.example", 60)
        .cname("b.loop.example", "a.loop.example", 60);
    let dns = TestDns::start(zone).await;
    let got = resolver(&dns).lookup("a.loop.example").await;
    assert_eq!(got.answer, Answer::CnameLoop);
    assert_eq!(got.hops.len(), 2);

    let mut long = TestZone::new().txt("n10.long.example", &["end"]);
    for i in 0..10 {
        long = long.cname(
            &format!("n{i}.long.example"),
            &format!("n{}.long.example", i + 1),
            60,
        );
    }
    let dns = TestDns::start(long).await;
    let live = resolver(&dns);
    let too_long = live.lookup("n0.long.example").await;
    assert_eq!(too_long.answer, Answer::CnameLoop);
    assert_eq!(too_long.hops.len(), 9);
    let eight = live.lookup("n2.long.example").await;
    assert_eq!(eight.hops.len(), 8);
    assert_eq!(strings(&eight), vec![vec![b"end".to_vec()]]);
}

#[test]
fn system_resolver_setup_names_its_server_or_the_config_file() {
    // Builds only: no lookup, so no DNS traffic leaves the machine.
    match LiveResolver::new(LiveConfig::default()) {
        Ok(live) => assert!(live.label().starts_with("system ("), "{}", live.label()),
        Err(e) => assert!(e.to_string().contains("/etc/resolv.conf"), "{e}"),
    }
}

#[tokio::test]
async fn unchased_cname_is_followed_by_the_client() {
    let zone = TestZone::new()
        .cname("s.a.example", "s.b.example", 60)
        .fault("s.a.example", Fault::NoChase)
        .txt("s.b.example", &["v=DKIM1; p=B"])
        .cname("n.a.example", "host.b.example", 60)
        .fault("n.a.example", Fault::NoChase)
        .exists("host.b.example");
    let dns = TestDns::start(zone).await;
    let live = resolver(&dns);
    let got = live.lookup("s.a.example").await;
    assert_eq!(got.hops.len(), 1);
    assert_eq!(strings(&got), vec![vec![b"v=DKIM1; p=B".to_vec()]]);
    assert_eq!(dns.queries_for("s.b.example"), 1);

    let got = live.lookup("n.a.example").await;
    assert_eq!(got.hops.len(), 1);
    assert_eq!(got.answer, Answer::NoData);
}

#[tokio::test]
async fn nxdomain_nodata_servfail_refused() {
    let zone = TestZone::new()
        .exists("host.example.com")
        .fault("broken.example.com", Fault::ServFail)
        .fault("closed.example.com", Fault::Refused);
    let dns = TestDns::start(zone).await;
    let live = resolver(&dns);
    assert_eq!(
        live.lookup("missing.example.com").await.answer,
        Answer::NxDomain
    );
    assert_eq!(live.lookup("host.example.com").await.answer, Answer::NoData);
    assert_eq!(
        live.lookup("broken.example.com").await.answer,
        Answer::ServFail
    );
    assert_eq!(
        live.lookup("closed.example.com").await.answer,
        Answer::Refused
    );
}

#[tokio::test]
async fn dropped_query_times_out() {
    let dns = TestDns::start(TestZone::new().fault("slow.example.com", Fault::Drop)).await;
    let live = resolver_with(&dns, Duration::from_millis(300), 1);
    let got = live.lookup("slow.example.com").await;
    assert_eq!(got.answer, Answer::Timeout);
    assert!(dns.queries_for("slow.example.com") >= 1);
}

#[tokio::test]
async fn big_key_arrives_over_tcp_after_truncation() {
    // A 4096-bit RSA key record is about 800 bytes, in 255-byte strings.
    let key: Vec<u8> = (0..800).map(|i| b"ABCDEFGHIJKLMNOP"[i % 16]).collect();
    let parts: Vec<Vec<u8>> = key.chunks(255).map(<[u8]>::to_vec).collect();
    let zone = TestZone::new()
        .txt_bytes("big._domainkey.example.com", 3600, parts.clone())
        .max_udp_payload(512);
    let dns = TestDns::start(zone).await;
    let got = resolver(&dns).lookup("big._domainkey.example.com").await;
    assert_eq!(strings(&got), vec![parts]);
    assert!(dns.udp_queries() >= 1, "first try is UDP");
    assert!(dns.tcp_queries() >= 1, "truncated answer retried over TCP");
}

#[tokio::test]
async fn nobody_listening_is_classified_without_panic() {
    let port = {
        let probe = std::net::UdpSocket::bind("127.0.0.1:0").expect("probe");
        probe.local_addr().expect("addr").port()
    };
    let live = LiveResolver::new(LiveConfig {
        server: Some(([127, 0, 0, 1], port).into()),
        timeout: Duration::from_millis(300),
        attempts: 1,
        ..LiveConfig::default()
    })
    .expect("resolver");
    let got = live.lookup("nobody.example.com").await;
    assert!(
        matches!(got.answer, Answer::Error(_) | Answer::Timeout),
        "{:?}",
        got.answer
    );
}

#[tokio::test]
async fn served_zone_file_resolves_like_the_file() {
    let text = "\
$ORIGIN example.org.
sel._domainkey 300 IN TXT \"v=DKIM1; \" \"p=QUJD\"
alias._domainkey 60 IN CNAME sel._domainkey
";
    let dns = TestDns::start(TestZone::from_zone_text("k.zone", text)).await;
    let got = resolver(&dns).lookup("alias._domainkey.example.org").await;
    assert_eq!(got.hops.len(), 1);
    assert_eq!(
        strings(&got),
        vec![vec![b"v=DKIM1; ".to_vec(), b"p=QUJD".to_vec()]]
    );
}

#[tokio::test]
async fn layered_files_answer_before_dns() {
    let zone = TestZone::new()
        .txt("s1._domainkey.example.com", &["from dns"])
        .txt("s2._domainkey.example.com", &["only in dns"]);
    let dns = TestDns::start(zone).await;
    let files = ZoneKeys::parse(
        "keys.zone",
        "s1._domainkey.example.com. TXT \"from file\"\n",
    );
    let layered = Layered::new(files, Some(resolver(&dns)));

    let got = layered.lookup("s1._domainkey.example.com").await;
    assert_eq!(strings(&got), vec![vec![b"from file".to_vec()]]);
    assert_eq!(got.served_by, ServedBy::KeysFile("keys.zone".into()));
    assert_eq!(dns.queries_for("s1._domainkey.example.com"), 0);

    let source: &dyn TxtSource = &layered;
    let got = source.lookup_txt("s2._domainkey.example.com").await;
    assert_eq!(strings(&got), vec![vec![b"only in dns".to_vec()]]);
    assert_eq!(got.served_by, ServedBy::Resolver(dns.addr().to_string()));
}

#[tokio::test]
async fn offline_never_touches_live_dns() {
    let files = ZoneKeys::parse("keys.zone", "s1._domainkey.example.com. TXT \"k\"\n");
    let layered = Layered::offline(files);
    assert!(!layered.is_online());
    let got = layered.lookup("s2._domainkey.example.com").await;
    assert_eq!(got.answer, Answer::OfflineMissing);
    assert_eq!(got.served_by, ServedBy::Offline);
    assert_eq!(got.query, "s2._domainkey.example.com");
    assert_eq!(layered.cached_names(), 0);
    let covered = layered.lookup("s1._domainkey.example.com").await;
    assert_eq!(strings(&covered), vec![vec![b"k".to_vec()]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_makes_one_query_for_concurrent_lookups() {
    let dns = TestDns::start(TestZone::new().txt("s._domainkey.batch.example", &["v=DKIM1"])).await;
    let layered = Arc::new(Layered::new(ZoneKeys::default(), Some(resolver(&dns))));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let layered = Arc::clone(&layered);
        // Same name, spelled differently.
        let name = if i % 2 == 0 {
            "s._domainkey.batch.example"
        } else {
            "S._DOMAINKEY.Batch.Example."
        };
        tasks.spawn(async move { layered.lookup(name).await });
    }
    while let Some(done) = tasks.join_next().await {
        let got = done.expect("task");
        assert_eq!(strings(&got), vec![vec![b"v=DKIM1".to_vec()]]);
    }
    let again = layered.lookup("s._domainkey.batch.example").await;
    assert!(matches!(again.answer, Answer::Txt(_)));
    assert_eq!(dns.queries_for("s._domainkey.batch.example"), 1);
    assert_eq!(dns.udp_queries() + dns.tcp_queries(), 1);
    assert_eq!(layered.cached_names(), 1);
}

/// `--dns-timeout` is the whole wait, retries included: a server that
/// never answers gives a timeout after about the option, not twice it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeout_option_is_the_whole_wait() {
    let dns =
        TestDns::start(TestZone::new().fault("silent._domainkey.example.com", Fault::Drop)).await;
    let common = dkimscope::cli::Common {
        resolver: Some(dns.addr()),
        dns_timeout: 1.0,
        ..Default::default()
    };
    let keys = common.key_source().expect("key source");
    let got = keys.lookup_txt("silent._domainkey.example.com").await;
    assert_eq!(got.answer, Answer::Timeout);
    assert!(
        got.elapsed < Duration::from_millis(1800),
        "waited {:?} for a 1 s timeout",
        got.elapsed
    );
    assert!(
        got.elapsed >= Duration::from_millis(900),
        "{:?}",
        got.elapsed
    );
    // Two attempts share the second.
    assert!(dns.queries_for("silent._domainkey.example.com") >= 1);
}

/// A resolver that does not answer is named as the one that failed, not
/// the domain's DNS servers.
#[tokio::test]
async fn a_silent_resolver_is_named() {
    let dns = TestDns::start(
        TestZone::new()
            .fault("slow.example.com", Fault::Drop)
            .fault("broken.example.com", Fault::ServFail)
            .fault("closed.example.com", Fault::Refused),
    )
    .await;
    let live = resolver_with(&dns, Duration::from_millis(400), 1);
    let who = format!("the resolver {}", dns.addr());
    let slow = live.lookup("slow.example.com").await.dns_failure().unwrap();
    assert!(
        slow.starts_with(&format!("{who} did not answer in 0.")),
        "{slow}"
    );
    assert!(slow.ends_with(" s (timeout)"), "{slow}");
    let refused = live
        .lookup("closed.example.com")
        .await
        .dns_failure()
        .unwrap();
    assert!(refused.starts_with(&format!("{who} REFUSED")), "{refused}");
    let servfail = live
        .lookup("broken.example.com")
        .await
        .dns_failure()
        .unwrap();
    assert!(
        servfail.starts_with(&format!("{who} answered SERVFAIL")),
        "{servfail}"
    );
    assert!(servfail.contains("the domain's DNS servers"), "{servfail}");
    assert_eq!(live.lookup("nothere.example.com").await.dns_failure(), None);
}
