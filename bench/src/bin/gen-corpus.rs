//! Generates a signed corpus for speed measurements. Deterministic from the seed.
//!
//! gen-corpus --out DIR --kind many-small|one-large|header-heavy [--count N] [--seed S]
//!
//! - many-small: N messages (default 2000) of 2-20 KB; 35% multipart
//!   (text+html, some with a base64 attachment); rsa-sha256 relaxed/relaxed
//!   mostly, ~15% simple/simple, ~10% ed25519-sha256.
//! - one-large: one message of about N MB (default 50) with a base64 attachment.
//! - header-heavy: one message with N (default 5000) `X-Relay-Trace` fields,
//!   which `h=` names.
//!
//! `DIR/keys.zone` receives every key used (zone-file syntax).

use base64::{Engine, engine::general_purpose::STANDARD as B64};
use dkimscope_testdata::sign::{Canon, Key, Signer, normalize_crlf};
use dkimscope_testdata::util::{Rng, rfc5322};
use dkimscope_testdata::zone::txt_line;
use std::path::{Path, PathBuf};

const T0: u64 = 1_763_900_000;

/// (key file, domain, selector)
const SIGNERS_RSA: &[(&str, &str, &str)] = &[
    ("rsa2048-example-com", "example.com", "s2025"),
    ("rsa2048-example-org", "example.org", "s2025"),
    ("rsa2048-example-net", "example.net", "k1"),
    ("rsa2048-esp-example-net", "esp.example.net", "esp1"),
    ("rsa2048-contoso-example", "contoso.example", "corp2025"),
    ("rsa2048-fabrikam-example", "fabrikam.example", "s2025"),
];
const SIGNERS_ED: &[(&str, &str, &str)] = &[
    ("ed25519-example-com", "example.com", "ed2025"),
    ("ed25519-example-org", "example.org", "ed2025"),
];

const WORDS: &[&str] = &[
    "the",
    "invoice",
    "meeting",
    "project",
    "update",
    "please",
    "review",
    "attached",
    "report",
    "schedule",
    "team",
    "customer",
    "order",
    "delivery",
    "account",
    "payment",
    "thanks",
    "next",
    "week",
    "budget",
    "approval",
    "draft",
    "contract",
    "release",
    "server",
    "migration",
    "notes",
    "quarter",
    "results",
    "plan",
    "question",
    "answer",
    "support",
    "ticket",
    "issue",
    "resolved",
    "and",
    "for",
    "with",
    "from",
    "about",
    "our",
    "your",
    "will",
    "can",
    "should",
    "today",
    "tomorrow",
    "office",
    "travel",
    "holiday",
    "training",
    "security",
    "policy",
    "access",
    "login",
];
const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "kim",
    "liam", "mallory", "niaj", "olivia", "peggy",
];

struct Opts {
    out: PathBuf,
    kind: String,
    count: Option<usize>,
    seed: u64,
}

fn usage() -> ! {
    eprintln!(
        "usage: gen-corpus --out DIR --kind many-small|one-large|header-heavy [--count N] [--seed S]"
    );
    std::process::exit(2);
}

fn parse() -> Opts {
    let mut o = Opts {
        out: PathBuf::new(),
        kind: String::new(),
        count: None,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--out" => o.out = val().into(),
            "--kind" => o.kind = val(),
            "--count" => o.count = Some(val().parse().unwrap_or_else(|_| usage())),
            "--seed" => o.seed = val().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    if o.out.as_os_str().is_empty() || o.kind.is_empty() {
        usage();
    }
    o
}

fn main() {
    let o = parse();
    if let Err(e) = run(&o) {
        eprintln!("gen-corpus: {e}");
        std::process::exit(1);
    }
}

fn load(name: &str) -> Result<Key, String> {
    Key::load(dkimscope_testdata::keys_dir().join(format!("{name}.pem")))
}

fn run(o: &Opts) -> Result<(), String> {
    std::fs::create_dir_all(&o.out).map_err(|e| format!("{}: {e}", o.out.display()))?;
    let mut used: Vec<(&str, &str, &str)> = Vec::new();
    match o.kind.as_str() {
        "many-small" => {
            used.extend(SIGNERS_RSA);
            used.extend(SIGNERS_ED);
            many_small(o, o.count.unwrap_or(2000))?;
        }
        "one-large" => {
            used.push(SIGNERS_RSA[0]);
            one_large(o, o.count.unwrap_or(50))?;
        }
        "header-heavy" => {
            used.push(SIGNERS_RSA[0]);
            header_heavy(o, o.count.unwrap_or(5000))?;
        }
        _ => usage(),
    }
    let mut zone = String::new();
    for (file, d, s) in used {
        let k = load(file)?;
        zone.push_str(&txt_line(
            &format!("{s}._domainkey.{d}"),
            3600,
            &k.dns_record(),
        ));
    }
    write(&o.out.join("keys.zone"), zone.as_bytes())
}

fn write(p: &Path, data: &[u8]) -> Result<(), String> {
    std::fs::write(p, data).map_err(|e| format!("{}: {e}", p.display()))
}

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w: &str = rng.pick(WORDS);
        s.push_str(w);
    }
    s
}

/// Plain-text paragraphs of roughly `size` bytes, lines under 78 columns.
fn text(rng: &mut Rng, size: usize) -> String {
    let mut out = String::with_capacity(size + 100);
    let mut line = String::new();
    while out.len() + line.len() < size {
        let w = rng.pick(WORDS);
        if line.len() + w.len() + 1 > 72 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
            if rng.chance(12) {
                out.push('\n');
            }
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn base64_lines(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len() * 4 / 3 + data.len() / 28 + 4);
    for chunk in data.chunks(57) {
        s.push_str(&B64.encode(chunk));
        s.push('\n');
    }
    s
}

fn headers(rng: &mut Rng, from_domain: &str, t: u64, n: usize) -> Vec<String> {
    let user = rng.pick(FIRST);
    let to = rng.pick(FIRST);
    let mut h = Vec::new();
    let hops = rng.range(1, 4);
    for k in 0..hops {
        h.push(format!(
            "Received: from relay{k}.{from_domain} (relay{k}.{from_domain} [192.0.2.{}])\n\tby mx{}.example.org (Postfix) with ESMTPS id {:X}\n\tfor <{to}@example.org>; {}",
            rng.range(1, 255),
            k + 1,
            rng.next_u64(),
            rfc5322(t + 1 + k, 0)
        ));
    }
    h.push(format!("From: {user} <{user}@{from_domain}>"));
    h.push(format!("To: {to} <{to}@example.org>"));
    let subject_words = rng.range(3, 9) as usize;
    h.push(format!("Subject: {}", words(rng, subject_words)));
    h.push(format!("Date: {}", rfc5322(t - 2, 0)));
    h.push(format!(
        "Message-ID: <{n:06}.{:x}@{from_domain}>",
        rng.next_u64()
    ));
    h.push("MIME-Version: 1.0".into());
    h
}

fn build(headers: &[String], body: &str) -> Vec<u8> {
    let mut s = headers.join("\n");
    s.push_str("\n\n");
    s.push_str(body);
    normalize_crlf(s.as_bytes())
}

fn small_message(keys: &[Key], n: usize, seed: u64) -> Result<Vec<u8>, String> {
    let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let t = T0 - rng.range(0, 86_400 * 30);
    let size = rng.range(2_048, 19_500) as usize;
    let roll = rng.range(0, 100);
    let (idx, canon) = if roll < 10 {
        (
            SIGNERS_RSA.len() + rng.range(0, SIGNERS_ED.len() as u64) as usize,
            Canon::Relaxed,
        )
    } else if roll < 25 {
        (
            rng.range(0, SIGNERS_RSA.len() as u64) as usize,
            Canon::Simple,
        )
    } else {
        (
            rng.range(0, SIGNERS_RSA.len() as u64) as usize,
            Canon::Relaxed,
        )
    };
    let (_, domain, selector) = if idx < SIGNERS_RSA.len() {
        SIGNERS_RSA[idx]
    } else {
        SIGNERS_ED[idx - SIGNERS_RSA.len()]
    };
    let mut h = headers(&mut rng, domain, t, n);
    let overhead = h.iter().map(|l| l.len() + 2).sum::<usize>() + 700;
    let budget = size.saturating_sub(overhead).max(400);
    let body = if rng.chance(35) {
        let with_attachment = rng.chance(40);
        let (text_size, att_size) = if with_attachment {
            let att = budget / 2;
            (budget - att, att * 3 / 4)
        } else {
            (budget, 0)
        };
        let plain = text(&mut rng, text_size / 2);
        let html = format!(
            "<html><body><p>{}</p></body></html>\n",
            plain.replace("\n\n", "</p>\n<p>")
        );
        let alt = format!("alt{:016x}", rng.next_u64());
        let alternative = format!(
            "--{alt}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{plain}\n--{alt}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{html}\n--{alt}--\n"
        );
        if with_attachment {
            let mix = format!("mix{:016x}", rng.next_u64());
            let mut data = vec![0u8; att_size];
            rng.fill(&mut data);
            h.push(format!("Content-Type: multipart/mixed; boundary=\"{mix}\""));
            format!(
                "--{mix}\nContent-Type: multipart/alternative; boundary=\"{alt}\"\n\n{alternative}\n--{mix}\nContent-Type: application/pdf; name=\"report-{n}.pdf\"\nContent-Disposition: attachment; filename=\"report-{n}.pdf\"\nContent-Transfer-Encoding: base64\n\n{}\n--{mix}--\n",
                base64_lines(&data)
            )
        } else {
            h.push(format!(
                "Content-Type: multipart/alternative; boundary=\"{alt}\""
            ));
            alternative
        }
    } else {
        h.push("Content-Type: text/plain; charset=utf-8".into());
        h.push("Content-Transfer-Encoding: 7bit".into());
        text(&mut rng, budget)
    };
    let m = build(&h, &body);
    let signed = Signer::new(&keys[idx], domain, selector)
        .canon(canon, canon)
        .headers(dkimscope_testdata::compose::H_FIXTURE)
        .timestamp(t)
        .sign(&m)?;
    Ok(signed.message)
}

fn many_small(o: &Opts, count: usize) -> Result<(), String> {
    let keys: Vec<Key> = SIGNERS_RSA
        .iter()
        .chain(SIGNERS_ED)
        .map(|(f, _, _)| load(f))
        .collect::<Result<_, _>>()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let errors: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for w in 0..threads {
            let keys = &keys;
            let errors = &errors;
            s.spawn(move || {
                for n in (w..count).step_by(threads) {
                    let r = small_message(keys, n + 1, o.seed)
                        .and_then(|m| write(&o.out.join(format!("msg-{:06}.eml", n + 1)), &m));
                    if let Err(e) = r
                        && let Ok(mut g) = errors.lock()
                    {
                        g.push(e);
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or_default();
    if let Some(e) = errors.first() {
        return Err(e.clone());
    }
    println!("gen-corpus: {count} messages in {}", o.out.display());
    Ok(())
}

fn one_large(o: &Opts, mb: usize) -> Result<(), String> {
    let mut rng = Rng::new(o.seed);
    let (file, domain, selector) = SIGNERS_RSA[0];
    let key = load(file)?;
    let t = T0;
    let mut h = headers(&mut rng, domain, t, 1);
    let mix = format!("mix{:016x}", rng.next_u64());
    h.push(format!("Content-Type: multipart/mixed; boundary=\"{mix}\""));
    // base64 with CRLF every 76 characters grows data by 78/57.
    let raw_len = mb * 1_000_000 / 78 * 57;
    let mut data = vec![0u8; raw_len];
    rng.fill(&mut data);
    let intro = text(&mut rng, 2_000);
    let body = format!(
        "--{mix}\nContent-Type: text/plain; charset=utf-8\n\n{intro}\n--{mix}\nContent-Type: application/octet-stream; name=\"disk-image.bin\"\nContent-Disposition: attachment; filename=\"disk-image.bin\"\nContent-Transfer-Encoding: base64\n\n{}\n--{mix}--\n",
        base64_lines(&data)
    );
    drop(data);
    let m = build(&h, &body);
    drop(body);
    let signed = Signer::new(&key, domain, selector)
        .headers(dkimscope_testdata::compose::H_FIXTURE)
        .timestamp(t)
        .sign(&m)?;
    write(&o.out.join("large.eml"), &signed.message)?;
    println!(
        "gen-corpus: {} bytes in {}",
        signed.message.len(),
        o.out.join("large.eml").display()
    );
    Ok(())
}

fn header_heavy(o: &Opts, fields: usize) -> Result<(), String> {
    let mut rng = Rng::new(o.seed);
    let (file, domain, selector) = SIGNERS_RSA[0];
    let key = load(file)?;
    let t = T0;
    let mut h = Vec::with_capacity(fields + 8);
    for k in 0..fields {
        h.push(format!(
            "X-Relay-Trace: hop={k}; node=n{:04x}.relay.example.net; t={}",
            rng.range(0, 0xffff),
            t - (fields - k) as u64
        ));
    }
    h.extend(headers(&mut rng, domain, t, 1));
    h.push("Content-Type: text/plain; charset=utf-8".into());
    let m = build(&h, &text(&mut rng, 1_000));
    let signed = Signer::new(&key, domain, selector)
        .headers(&[
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "x-relay-trace",
            "from",
        ])
        .timestamp(t)
        .sign(&m)?;
    write(&o.out.join("header-heavy.eml"), &signed.message)?;
    println!(
        "gen-corpus: {} header fields in {}",
        h.len() + 1,
        o.out.join("header-heavy.eml").display()
    );
    Ok(())
}
