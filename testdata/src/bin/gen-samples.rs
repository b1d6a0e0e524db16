//! Regenerates `sample-headers/` and `tests/fixtures/defects/` from the
//! committed keys. Deterministic: running it twice changes nothing.
//!
//! Usage: gen-samples [--root DIR]   (DIR defaults to the dkimscope checkout)

use dkimscope_testdata::sign::{Algorithm, BodyLength, Canon, Key, Signer, arc_seal, normalize_crlf};
use dkimscope_testdata::util::{rfc3339, rfc5322};
use dkimscope_testdata::zone::{cname_line, soa_line, txt_line};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Signing time of most samples: 2025-11-23T12:13:20Z.
const T0: u64 = 1_763_900_000;
/// `--at` for every sample: 2025-11-24T12:00:00Z.
const SAMPLES_AT: u64 = 1_763_985_600;
/// `at` for every defect fixture: 2025-11-24T16:00:00Z.
const DEFECTS_AT: u64 = 1_764_000_000;

/// Header fields most samples sign; From is listed twice (over-signed).
const H_DEFAULT: &[&str] = &[
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "from",
];
/// What Microsoft 365 signs (From only once).
const H_M365: &[&str] = &[
    "From",
    "Date",
    "Subject",
    "Message-ID",
    "Content-Type",
    "MIME-Version",
    "X-MS-Exchange-SenderADCheck",
];

struct Keys(BTreeMap<String, Key>);

impl Keys {
    fn load(dir: &Path) -> Result<Keys, String> {
        let mut map = BTreeMap::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pem"))
            .collect();
        entries.sort();
        for p in entries {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            map.insert(stem, Key::load(&p)?);
        }
        Ok(Keys(map))
    }
    fn get(&self, name: &str) -> &Key {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("key {name}.pem missing from testdata/keys"))
    }
}

/// Joins header lines and a body into a CRLF message.
fn msg(headers: &[String], body: &str) -> Vec<u8> {
    let mut s = headers.join("\n");
    s.push_str("\n\n");
    s.push_str(body);
    normalize_crlf(s.as_bytes())
}

/// Puts header lines on top of a message.
fn prepend(top: &[String], m: &[u8]) -> Vec<u8> {
    let mut s = top.join("\n").into_bytes();
    s.push(b'\n');
    s.extend_from_slice(m);
    normalize_crlf(&s)
}

fn append(m: &[u8], text: &str) -> Vec<u8> {
    let mut out = m.to_vec();
    out.extend_from_slice(&normalize_crlf(text.as_bytes()));
    out
}

fn replace_once(m: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(m.to_vec()).expect("generated mail is UTF-8");
    assert!(s.contains(from), "{from:?} not found");
    s.replacen(from, to, 1).into_bytes()
}

fn hb(b: &str) -> &str {
    &b[..8.min(b.len())]
}

fn date(ts: u64, off: i64) -> String {
    rfc5322(ts, off)
}

/// A Postfix-style Received header field.
fn received(from: &str, by: &str, with: &str, id: &str, rcpt: &str, ts: u64, off: i64) -> String {
    format!(
        "Received: from {from}\n\tby {by} with {with} id {id}\n\tfor <{rcpt}>; {}",
        date(ts, off)
    )
}

/// Output collector: remembers every file and writes only what changed.
struct Out {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Out {
    fn put(&mut self, path: PathBuf, data: Vec<u8>) {
        self.files.push((path, data));
    }
    fn write(&self) -> Result<usize, String> {
        let mut changed = 0;
        for (p, d) in &self.files {
            if let Some(dir) = p.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            if std::fs::read(p).ok().as_deref() != Some(d.as_slice()) {
                std::fs::write(p, d).map_err(|e| format!("{}: {e}", p.display()))?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}

struct SampleRow {
    file: &'static str,
    shows: &'static str,
    result: &'static str,
    diagnosis: &'static str,
    warnings: &'static str,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-samples: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--root" => root = PathBuf::from(args.next().ok_or("--root needs a directory")?),
            "-h" | "--help" => {
                println!("usage: gen-samples [--root DIR]");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let keys = Keys::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("keys"))?;
    let mut out = Out { files: Vec::new() };
    samples(&keys, &root.join("sample-headers"), &mut out)?;
    defects(&keys, &root.join("tests/fixtures/defects"), &mut out)?;
    let changed = out.write()?;
    println!(
        "gen-samples: {} files under {}, {changed} changed",
        out.files.len(),
        root.display()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// sample-headers/
// ---------------------------------------------------------------------------

fn samples(keys: &Keys, dir: &Path, out: &mut Out) -> Result<(), String> {
    let com = keys.get("rsa2048-example-com");
    let org = keys.get("rsa2048-example-org");
    let net = keys.get("rsa2048-example-net");
    let esp = keys.get("rsa2048-esp-example-net");
    let contoso = keys.get("rsa2048-contoso-example");
    let fabrikam = keys.get("rsa2048-fabrikam-example");
    let weak = keys.get("rsa1024");
    let ed = keys.get("ed25519-example-com");
    let mut rows: Vec<SampleRow> = Vec::new();
    let mut put = |name: &str, data: Vec<u8>| out.put(dir.join(name), normalize_crlf(&data));

    // 1. pass, rsa-sha256 relaxed/relaxed -------------------------------------
    {
        let t = T0;
        let m = msg(
            &[
                received(
                    "[192.0.2.44] (unknown [192.0.2.44])",
                    "mail.example.com (Postfix)",
                    "ESMTPSA",
                    "4dF2kq1XyZz9sWd",
                    "bob@example.org",
                    t - 2,
                    60,
                ),
                "From: Alice Martin <alice@example.com>".into(),
                "To: Bob Keller <bob@example.org>".into(),
                "Subject: Q4 planning notes".into(),
                format!("Date: {}", date(t - 3, 60)),
                "Message-ID: <5c0f1e2a-9b7d-4e61-a3f2-7d1c8e9b0a11@example.com>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=UTF-8; format=flowed".into(),
                "Content-Transfer-Encoding: 7bit".into(),
                "User-Agent: Mozilla Thunderbird".into(),
            ],
            "Hi Bob,\n\nattached are the notes from this morning. The short version:\n\n  - budget review moves to 2 December\n  - the migration freeze starts on the 15th\n  - Carol owns the vendor shortlist\n\nLet me know if I missed anything.\n\nAlice\n",
        );
        let s = Signer::new(com, "example.com", "s2025")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <alice@example.com>".into(),
                "Delivered-To: bob@example.org".into(),
                format!(
                    "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid 2LQmMEEAI2nGbQAAgYvYhA\n\t(envelope-from <alice@example.com>)\n\tfor <bob@example.org>; {}",
                    date(t + 4, 0)
                ),
                format!(
                    "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; secure) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass (mx.example.org: domain of alice@example.com designates 192.0.2.25 as permitted sender) smtp.mailfrom=alice@example.com;\n\tdmarc=pass (p=reject dis=none) header.from=example.com",
                    hb(&s.b)
                ),
                received(
                    "mail.example.com (mail.example.com [192.0.2.25])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits))\n\t(No client certificate requested)",
                    "mx.example.org (Postfix)",
                    "ESMTPS",
                    "4dF2kr0m9Qz1xYq",
                    "bob@example.org",
                    t + 1,
                    0,
                ),
            ],
            &s.message,
        );
        put("pass-rsa-sha256-relaxed.eml", full);
        rows.push(SampleRow {
            file: "pass-rsa-sha256-relaxed.eml",
            shows: "ordinary passing rsa-sha256 relaxed/relaxed signature, From over-signed",
            result: "pass",
            diagnosis: "pass",
            warnings: "-",
        });
    }

    // 2. pass, ed25519-sha256 + rsa-sha256 (RFC 8463 dual signing) --------------
    {
        let t = T0 + 3_571;
        let m = msg(
            &[
                received(
                    "[192.0.2.51] (unknown [192.0.2.51])",
                    "mail.example.com (Postfix)",
                    "ESMTPSA",
                    "4dF3Yb0QwSz9sWf",
                    "suzie@example.net",
                    t - 1,
                    -300,
                ),
                "From: Joe SixPack <joe@example.com>".into(),
                "To: Suzie Q <suzie@example.net>".into(),
                "Subject: Is dinner ready?".into(),
                format!("Date: {}", date(t - 2, -300)),
                "Message-ID: <20251123071320.46341.5F8J@example.com>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=us-ascii".into(),
            ],
            "Hi.\n\nWe lost the game.  Are you hungry yet?\n\nJoe.\n",
        );
        let h = &[
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "from",
            "subject",
            "date",
        ];
        let rsa = Signer::new(com, "example.com", "s2025")
            .headers(h)
            .identity("@example.com")
            .query("dns/txt")
            .timestamp(t)
            .sign(&m)?;
        let eds = Signer::new(ed, "example.com", "ed2025")
            .algorithm(Algorithm::Ed25519Sha256)
            .headers(h)
            .identity("@example.com")
            .query("dns/txt")
            .timestamp(t)
            .sign(&rsa.message)?;
        let full = prepend(
            &[
                "Return-Path: <joe@example.com>".into(),
                "Delivered-To: suzie@example.net".into(),
                format!(
                    "Received: from mx1.example.net\n\tby mbox3.example.net with LMTP\n\tid kBv9Kk4AI2k3AgAA8p1XQw\n\t(envelope-from <joe@example.com>)\n\tfor <suzie@example.net>; {}",
                    date(t + 3, 0)
                ),
                format!(
                    "Authentication-Results: mx1.example.net;\n\tdkim=pass header.d=example.com header.i=@example.com header.a=ed25519-sha256 header.s=ed2025 header.b={};\n\tdkim=pass header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=joe@example.com;\n\tdmarc=pass (p=reject dis=none) header.from=example.com",
                    hb(&eds.b),
                    hb(&rsa.b)
                ),
                received(
                    "mail.example.com (mail.example.com [192.0.2.25])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))",
                    "mx1.example.net (Postfix)",
                    "ESMTPS",
                    "4dF3Yc2HkNz7tRm",
                    "suzie@example.net",
                    t + 1,
                    0,
                ),
            ],
            &eds.message,
        );
        put("pass-ed25519-and-rsa.eml", full);
        rows.push(SampleRow {
            file: "pass-ed25519-and-rsa.eml",
            shows: "RFC 8463 dual signing: ed25519-sha256 (top) and rsa-sha256, both pass",
            result: "pass, pass",
            diagnosis: "pass, pass",
            warnings: "-",
        });
    }

    // 3. Microsoft 365, dangling selector1 CNAME ---------------------------------
    {
        let t = T0 + 2 * 3_571;
        let m = msg(
            &[
                format!(
                    "Received: from AM0PR06MB6225.eurprd06.prod.outlook.com\n ([fe80::5c1d:2e3f:4a5b:6c7d]) by AM0PR06MB6225.eurprd06.prod.outlook.com\n ([fe80::5c1d:2e3f:4a5b:6c7d%6]) with mapi id 15.20.9343.011; {}",
                    date(t - 1, 60)
                ),
                "From: Megan Bowen <megan@contoso.example>".into(),
                "To: Adele Vance <adele@fabrikam.example>".into(),
                "Subject: Contract renewal - signed copy".into(),
                "Thread-Topic: Contract renewal - signed copy".into(),
                "Thread-Index: AdxcM2yV0x1qk7bJQ0mJxT0F3lS8Ww==".into(),
                format!("Date: {}", date(t - 2, 0)),
                "Message-ID:\n <AM0PR06MB6225E1B3C0D2F4A5B6C7D8E9F0A1B2C3D4E5A@AM0PR06MB6225.eurprd06.prod.outlook.com>".into(),
                "Accept-Language: en-US".into(),
                "Content-Language: en-US".into(),
                "X-MS-Has-Attach:".into(),
                "X-MS-TNEF-Correlator:".into(),
                "x-ms-publictraffictype: Email".into(),
                "x-ms-traffictypediagnostic: AM0PR06MB6225:EE_|DB9PR06MB7595:EE_".into(),
                "x-ms-office365-filtering-correlation-id: 3f6d2a1e-8c4b-4f7a-9e5d-0b1c2d3e4f5a".into(),
                "x-microsoft-antispam: BCL:0;ARA:13230040|366016|376014|1800799024|38070700018;".into(),
                "x-forefront-antispam-report:\n CIP:255.255.255.255;CTRY:;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:AM0PR06MB6225.eurprd06.prod.outlook.com;PTR:;CAT:NONE;SFS:(13230040)(366016)(376014)(1800799024)(38070700018);DIR:OUT;SFP:1102;".into(),
                "Content-Type: text/plain; charset=\"us-ascii\"".into(),
                "Content-Transfer-Encoding: quoted-printable".into(),
                "MIME-Version: 1.0".into(),
                "X-MS-Exchange-SenderADCheck: 1".into(),
                "X-OriginatorOrg: contoso.example".into(),
                "X-MS-Exchange-CrossTenant-AuthAs: Internal".into(),
                "X-MS-Exchange-CrossTenant-AuthSource: AM0PR06MB6225.eurprd06.prod.outlook.com".into(),
                "X-MS-Exchange-CrossTenant-Network-Message-Id: 3f6d2a1e-8c4b-4f7a-9e5d-0b1c2d3e4f5a".into(),
                "X-MS-Exchange-CrossTenant-originalarrivaltime: 23 Nov 2025 14:12:21.4187 (UTC)".into(),
                "X-MS-Exchange-CrossTenant-fromentityheader: Hosted".into(),
                "X-MS-Exchange-CrossTenant-id: 9c2b7e41-6a3d-4b8f-a1e2-5d6c7b8a9f01".into(),
                "X-MS-Exchange-CrossTenant-mailboxtype: HOSTED".into(),
                "X-MS-Exchange-Transport-CrossTenantHeadersStamped: DB9PR06MB7595".into(),
            ],
            "Hi Adele,\n\nPlease find the signed renewal attached to the portal as discussed. Let me\nknow once your legal team has countersigned.\n\nThanks,\nMegan\n",
        );
        let s = Signer::new(contoso, "contoso.example", "selector1")
            .headers(H_M365)
            .sign(&m)?;
        let mut top: Vec<String> = vec![
            format!(
                "Received: from DM6PR11MB4545.namprd11.prod.outlook.com (2001:db8:10b6::4545)\n by SA1PR11MB8473.namprd11.prod.outlook.com with HTTPS; {}",
                date(t + 2, 0)
            ),
            format!(
                "Received: from BN9PR03CA0123.namprd03.prod.outlook.com (2001:db8:408:fe::8)\n by DM6PR11MB4545.namprd11.prod.outlook.com (2001:db8:5:2ae::16) with\n Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.9343.12; {}",
                date(t + 2, 0)
            ),
            format!(
                "Received: from BN2PEPF000044A9.namprd04.prod.outlook.com\n (2001:db8:408:fe:cafe::4e) by BN9PR03CA0123.outlook.office365.com\n (2001:db8:408:fe::8) with Microsoft SMTP Server (version=TLS1_3,\n cipher=TLS_AES_256_GCM_SHA384) id 15.20.9343.12 via Frontend Transport; {}",
                date(t + 1, 0)
            ),
            "Authentication-Results: spf=pass (sender IP is 203.0.113.45)\n smtp.mailfrom=contoso.example; dkim=permerror (no key for signature)\n header.d=contoso.example;dmarc=pass action=none\n header.from=contoso.example;compauth=pass reason=100".into(),
            "Received-SPF: Pass (protection.outlook.com: domain of contoso.example designates\n 203.0.113.45 as permitted sender) receiver=protection.outlook.com;\n client-ip=203.0.113.45; helo=EUR05-AM6-obe.outbound.protection.outlook.com;\n pr=C".into(),
            format!(
                "Received: from EUR05-AM6-obe.outbound.protection.outlook.com (203.0.113.45) by\n BN2PEPF000044A9.mail.protection.outlook.com (10.167.243.160) with Microsoft\n SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.9343.9\n via Frontend Transport; {}",
                date(t + 1, 0)
            ),
        ];
        top.extend([format!(
            "Received: from AM0PR06MB6225.eurprd06.prod.outlook.com (2001:db8:10a6:208::14)\n by DB9PR06MB7595.eurprd06.prod.outlook.com (2001:db8:10a6:10:1f4::9) with\n Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.9343.12; {}",
            date(t, 0)
        )]);
        // The signature sits above the tenant-internal hop, as Microsoft 365 adds it.
        let (receiving, internal) = top.split_at(top.len() - 1);
        let mut full = prepend(
            receiving,
            &prepend(&[s.header.trim_end().to_string(), internal[0].clone()], &m),
        );
        // Inbound organization headers are appended to the bottom of the header block.
        full = replace_once(
            &full,
            "X-MS-Exchange-Transport-CrossTenantHeadersStamped: DB9PR06MB7595\r\n",
            "X-MS-Exchange-Transport-CrossTenantHeadersStamped: DB9PR06MB7595\r\nReturn-Path: megan@contoso.example\r\nX-MS-Exchange-Organization-ExpirationStartTime: 23 Nov 2025 14:12:23.1093\r\n (UTC)\r\nX-MS-Exchange-Organization-Network-Message-Id:\r\n 3f6d2a1e-8c4b-4f7a-9e5d-0b1c2d3e4f5a\r\nX-EOPAttributedMessage: 0\r\nX-EOPTenantAttributedMessage: 5b1f0c2d-7e8a-4d3c-b6f5-2e1d0c9b8a7f:0\r\nX-MS-Exchange-Organization-MessageDirectionality: Incoming\r\nX-MS-Exchange-Organization-SCL: 1\r\nX-MS-Exchange-Organization-AuthSource:\r\n BN2PEPF000044A9.namprd04.prod.outlook.com\r\nX-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-MS-Exchange-Transport-EndToEndLatency: 00:00:02.0312\r\nX-MS-Exchange-Processed-By-BccFoldering: 15.20.9343.008\r\nX-Microsoft-Antispam: BCL:0;ARA:13230040|1800799024|8096899003|4022899009;\r\nX-Forefront-Antispam-Report:\r\n CIP:203.0.113.45;CTRY:NL;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:EUR05-AM6-obe.outbound.protection.outlook.com;PTR:mail-am6eur05on2045.outbound.protection.outlook.com;CAT:NONE;SFS:(13230040)(1800799024)(8096899003)(4022899009);DIR:INB;\r\nX-Microsoft-Antispam-Mailbox-Delivery:\r\n ucf:0;jmr:0;auth:0;dest:I;ENG:(910001)(944506478)(944626604)(920097)(930097);\r\n",
        );
        put("m365-dangling-cname.eml", full);
        rows.push(SampleRow {
            file: "m365-dangling-cname.eml",
            shows: "Microsoft 365: selector1._domainkey.contoso.example is a CNAME to contosoltd.onmicrosoft.com whose target does not exist (inbound to another Microsoft 365 tenant, Microsoft-style Authentication-Results)",
            result: "permerror",
            diagnosis: "key-cname-dangling",
            warnings: "from-not-oversigned",
        });
    }

    // 4. Microsoft 365, selector2 CNAME that resolves ----------------------------
    {
        let t = T0 + 3 * 3_571;
        let m = msg(
            &[
                format!(
                    "Received: from PH7PR12MB5617.namprd12.prod.outlook.com\n ([fe80::a1b2:c3d4:e5f6:7081]) by PH7PR12MB5617.namprd12.prod.outlook.com\n ([fe80::a1b2:c3d4:e5f6:7081%4]) with mapi id 15.20.9343.009; {}",
                    date(t - 1, -480)
                ),
                "From: Dan Jump <dan@fabrikam.example>".into(),
                "To: Bob Keller <bob@example.org>".into(),
                "Subject: Re: shipping schedule for December".into(),
                "Thread-Topic: shipping schedule for December".into(),
                "Thread-Index: AQHcXEp3n0v1cQm3fUqP2x8a1b2c3d4e5f6A".into(),
                format!("Date: {}", date(t - 2, 0)),
                "Message-ID:\n <PH7PR12MB56170F1E2D3C4B5A69788796A5B4C3D2E1F0A@PH7PR12MB5617.namprd12.prod.outlook.com>".into(),
                "References: <7e1f3a2b-5c6d-4e8f-9a0b-1c2d3e4f5a6b@example.org>".into(),
                "In-Reply-To: <7e1f3a2b-5c6d-4e8f-9a0b-1c2d3e4f5a6b@example.org>".into(),
                "Accept-Language: en-US".into(),
                "Content-Language: en-US".into(),
                "X-MS-Has-Attach:".into(),
                "x-ms-publictraffictype: Email".into(),
                "x-ms-traffictypediagnostic: PH7PR12MB5617:EE_|CH3PR12MB8402:EE_".into(),
                "x-ms-office365-filtering-correlation-id: a7c3e5f1-2b4d-4a6c-8e0f-1a2b3c4d5e6f".into(),
                "x-microsoft-antispam: BCL:0;ARA:13230040|1800799024|366016|376014;".into(),
                "x-forefront-antispam-report:\n CIP:255.255.255.255;CTRY:;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:PH7PR12MB5617.namprd12.prod.outlook.com;PTR:;CAT:NONE;SFS:(13230040)(1800799024)(366016)(376014);DIR:OUT;SFP:1101;".into(),
                "Content-Type: text/plain; charset=\"us-ascii\"".into(),
                "Content-Transfer-Encoding: quoted-printable".into(),
                "MIME-Version: 1.0".into(),
                "X-MS-Exchange-SenderADCheck: 1".into(),
                "X-OriginatorOrg: fabrikam.example".into(),
                "X-MS-Exchange-CrossTenant-AuthAs: Internal".into(),
                "X-MS-Exchange-CrossTenant-AuthSource: PH7PR12MB5617.namprd12.prod.outlook.com".into(),
                "X-MS-Exchange-CrossTenant-Network-Message-Id: a7c3e5f1-2b4d-4a6c-8e0f-1a2b3c4d5e6f".into(),
                "X-MS-Exchange-CrossTenant-id: 2d4f6a8c-0e1b-4c3d-9f5e-7a6b5c4d3e2f".into(),
                "X-MS-Exchange-CrossTenant-mailboxtype: HOSTED".into(),
                "X-MS-Exchange-Transport-CrossTenantHeadersStamped: CH3PR12MB8402".into(),
            ],
            "Hi Bob,\n\nThe December pallets leave our warehouse on the 3rd and the 17th. I have\nbooked the usual carrier for both.\n\nDan\n\n-----Original Message-----\nFrom: Bob Keller <bob@example.org>\nSent: Saturday, November 22, 2025 9:02 AM\nTo: Dan Jump <dan@fabrikam.example>\nSubject: shipping schedule for December\n\nHi Dan, when do the December shipments go out?\n",
        );
        let s = Signer::new(fabrikam, "fabrikam.example", "selector2")
            .headers(H_M365)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <dan@fabrikam.example>".into(),
                "Delivered-To: bob@example.org".into(),
                format!(
                    "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid GJ1dNbwnI2lBdQAAgYvYhA\n\t(envelope-from <dan@fabrikam.example>)\n\tfor <bob@example.org>; {}",
                    date(t + 3, 0)
                ),
                format!(
                    "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; unprotected) header.d=fabrikam.example header.i=@fabrikam.example header.a=rsa-sha256 header.s=selector2 header.b={};\n\tspf=pass (mx.example.org: domain of dan@fabrikam.example designates 203.0.113.67 as permitted sender) smtp.mailfrom=dan@fabrikam.example;\n\tdmarc=pass (p=none dis=none) header.from=fabrikam.example",
                    hb(&s.b)
                ),
                received(
                    "NAM12-DM6-obe.outbound.protection.outlook.com (mail-dm6nam12on2067.outbound.protection.outlook.com [203.0.113.67])\n\t(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))\n\t(No client certificate requested)",
                    "mx.example.org (Postfix)",
                    "ESMTPS",
                    "4dF5q31nRbz1xZ2",
                    "bob@example.org",
                    t + 2,
                    0,
                ),
                s.header.trim_end().to_string(),
                format!(
                    "Received: from PH7PR12MB5617.namprd12.prod.outlook.com (2001:db8:10b6:510:1e3::9)\n by CH3PR12MB8402.namprd12.prod.outlook.com (2001:db8:10b6:610:11f::7) with\n Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.9343.12; {}",
                    date(t, 0)
                ),
            ],
            &m,
        );
        put("m365-cname-pass.eml", full);
        rows.push(SampleRow {
            file: "m365-cname-pass.eml",
            shows: "Microsoft 365 tenant domain signing with selector2, a CNAME to fabrikamcorp.onmicrosoft.com that resolves; no t= (as Microsoft 365 signs)",
            result: "pass",
            diagnosis: "pass",
            warnings: "from-not-oversigned",
        });
    }

    // 5. selector missing (NXDOMAIN under an authoritative zone) ------------------
    {
        let t = T0 + 4 * 3_571;
        let m = msg(
            &[
                received(
                    "app01.internal.example.net (app01.internal.example.net [10.20.1.17])",
                    "smtp-out.example.net (Postfix)",
                    "ESMTP",
                    "4dF6w72kLpz3kQn",
                    "dave@example.com",
                    t - 1,
                    0,
                ),
                "From: Carol Nguyen <carol@example.net>".into(),
                "To: dave@example.com".into(),
                "Subject: Your invoice INV-2025-1187".into(),
                format!("Date: {}", date(t - 2, 0)),
                "Message-ID: <inv-2025-1187.1763914283@example.net>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=utf-8".into(),
                "Content-Transfer-Encoding: 7bit".into(),
            ],
            "Dear Dave,\n\nyour invoice INV-2025-1187 for November is ready in the customer portal.\nAmount due: EUR 1,240.00, payable by 7 December 2025.\n\nKind regards,\nCarol Nguyen\nAccounts, Example Net\n",
        );
        let s = Signer::new(net, "example.net", "k2")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <carol@example.net>".into(),
                format!(
                    "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dF6w93fTnz9sWk\n\tfor <dave@example.com>; {}",
                    date(t + 3, 60)
                ),
                format!(
                    "Authentication-Results: mx.example.com;\n\tdkim=permerror (no key for signature) header.d=example.net header.i=@example.net header.s=k2 header.b={};\n\tspf=pass smtp.mailfrom=carol@example.net;\n\tdmarc=pass (p=none dis=none) header.from=example.net",
                    hb(&s.b)
                ),
                received(
                    "smtp-out.example.net (smtp-out.example.net [198.51.100.20])",
                    "mx.example.com (Postfix)",
                    "ESMTPS",
                    "4dF6w84BvXz1yTc",
                    "dave@example.com",
                    t + 2,
                    0,
                ),
            ],
            &s.message,
        );
        put("selector-missing-nxdomain.eml", full);
        rows.push(SampleRow {
            file: "selector-missing-nxdomain.eml",
            shows: "signed with selector k2 but only k1 is published; example.net is authoritative in keys.zone so k2 is NXDOMAIN",
            result: "permerror",
            diagnosis: "key-not-found",
            warnings: "-",
        });
    }

    // 6. footer appended after signing -------------------------------------------
    {
        let t = T0 + 5 * 3_571;
        let m = msg(
            &[
                received(
                    "[192.0.2.61] (unknown [192.0.2.61])",
                    "mail.example.com (Postfix)",
                    "ESMTPSA",
                    "4dF8Bq0yZkz9sWp",
                    "erin@example.org",
                    t - 1,
                    60,
                ),
                "From: Frank Olsen <frank@example.com>".into(),
                "To: Erin Walsh <erin@example.org>".into(),
                "Subject: Updated price list".into(),
                format!("Date: {}", date(t - 2, 60)),
                "Message-ID: <b3a1d2e4-77f0-4c1a-9a55-2f6e1d0c9b8a@example.com>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=UTF-8".into(),
                "Content-Transfer-Encoding: 7bit".into(),
            ],
            "Hello Erin,\n\nthe updated price list is now online. Prices change from 1 January;\norders placed before then keep the old prices.\n\nBest regards,\nFrank\n",
        );
        let s = Signer::new(com, "example.com", "s2025")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&m)?;
        let changed = append(
            &s.message,
            "\n--\nThis e-mail and any attachments are confidential and intended solely for\nthe addressee. If you received it in error, please notify the sender and\ndelete it. Example Com Ltd, registered in Exampleshire, no. 01234567.\n",
        );
        let changed = prepend(
            &[format!(
                "Received: from mail.example.com (mail.example.com [10.0.0.25])\n\tby relay.example.com (Postfix) with ESMTP id 4dF8Br2CmVz9sXa\n\tfor <erin@example.org>; {}",
                date(t, 60)
            )],
            &changed,
        );
        let full = prepend(
            &[
                "Return-Path: <frank@example.com>".into(),
                "Delivered-To: erin@example.org".into(),
                format!(
                    "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid aH3kN8AoI2mIdgAAgYvYhA\n\t(envelope-from <frank@example.com>)\n\tfor <erin@example.org>; {}",
                    date(t + 3, 0)
                ),
                format!(
                    "Authentication-Results: mx.example.org;\n\tdkim=fail reason=\"signature verification failed\" (2048-bit key; secure) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=frank@example.com;\n\tdmarc=fail (p=reject dis=quarantine) header.from=example.com",
                    hb(&s.b)
                ),
                received(
                    "relay.example.com (relay.example.com [192.0.2.26])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))",
                    "mx.example.org (Postfix)",
                    "ESMTPS",
                    "4dF8Bs0x7Rz1xZb",
                    "erin@example.org",
                    t + 2,
                    0,
                ),
            ],
            &changed,
        );
        put("footer-appended.eml", full);
        rows.push(SampleRow {
            file: "footer-appended.eml",
            shows: "an outbound relay appended a 3-line disclaimer (plus `--` line) after signing",
            result: "fail",
            diagnosis: "body-hash-mismatch (finding body-appended)",
            warnings: "-",
        });
    }

    // 7. Subject tagged "[SPAM]" by a gateway, with an ARC set ---------------------
    {
        let t = T0 + 6 * 3_571;
        let m = msg(
            &[
                received(
                    "[198.51.100.77] (unknown [198.51.100.77])",
                    "smtp.example.org (Postfix)",
                    "ESMTPSA",
                    "4dF9Rd6zWcz4wLp",
                    "gina@example.net",
                    t - 1,
                    0,
                ),
                "From: \"Example Org Offers\" <offers@example.org>".into(),
                "To: gina@example.net".into(),
                "Subject: Last chance: 40% off annual plans".into(),
                format!("Date: {}", date(t - 2, 0)),
                "Message-ID: <offer-77120.1763921420@example.org>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=utf-8".into(),
            ],
            "Hi Gina,\n\nour Black Friday offer ends tonight: 40% off every annual plan.\nUse code FRIDAY40 at checkout.\n\nThe Example Org team\n",
        );
        let s = Signer::new(org, "example.org", "s2025")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&m)?;
        // gw.example.net verifies (pass), records it in ARC, then tags the Subject.
        let tagged = replace_once(
            &s.message,
            "Subject: Last chance",
            "Subject: [SPAM] Last chance",
        );
        let tagged = prepend(
            &[
                "X-Spam-Flag: YES".into(),
                "X-Spam-Score: 6.2".into(),
                "X-Spam-Status: Yes, score=6.2 required=5.0 tests=BAYES_80,HTML_MESSAGE,\n\tSUBJ_ALL_CAPS_OFFER,URIBL_GREY autolearn=no".into(),
            ],
            &tagged,
        );
        let with_aar = prepend(
            &[
                format!(
                    "ARC-Authentication-Results: i=1; gw.example.net;\n\tdkim=pass header.d=example.org header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=offers@example.org;\n\tdmarc=pass (p=quarantine) header.from=example.org",
                    hb(&s.b)
                ),
                received(
                    "smtp.example.org (smtp.example.org [198.51.100.10])",
                    "gw.example.net (Postfix)",
                    "ESMTPS",
                    "4dF9Rf1KqSz2mNv",
                    "gina@example.net",
                    t + 1,
                    0,
                ),
            ],
            &tagged,
        );
        let ams = Signer::new(net, "example.net", "arc2025")
            .header_name("ARC-Message-Signature")
            .headers(&[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "mime-version",
                "content-type",
            ])
            .timestamp(t + 1)
            .omit("v")
            .tag("i", "1")
            .order(&["i", "a", "c", "d", "s", "t", "h", "bh", "b"])
            .sign(&with_aar)?;
        let seal = arc_seal(net, "example.net", "arc2025", t + 1, &ams.message)?;
        let sealed = prepend(&[seal.trim_end().to_string()], &ams.message);
        let full = prepend(
            &[
                "Return-Path: <offers@example.org>".into(),
                "Delivered-To: gina@example.net".into(),
                format!(
                    "Received: from gw.example.net (gw.example.net [198.51.100.40])\n\tby mx2.example.net (Postfix) with ESMTP id 4dF9Rg3VbTz7tRq\n\tfor <gina@example.net>; {}",
                    date(t + 3, 0)
                ),
                format!(
                    "Authentication-Results: mx2.example.net;\n\tdkim=fail reason=\"signature verification failed\" header.d=example.org header.s=s2025 header.b={};\n\tarc=pass (i=1) smtp.remote-ip=198.51.100.40",
                    hb(&s.b)
                ),
            ],
            &sealed,
        );
        put("subject-spam-tagged.eml", full);
        rows.push(SampleRow {
            file: "subject-spam-tagged.eml",
            shows: "a filtering gateway verified the signature (recorded in its ARC set), then prefixed the Subject with \"[SPAM] \"; body intact",
            result: "fail",
            diagnosis: "signature-mismatch (finding subject-tagged \"[SPAM] \")",
            warnings: "-",
        });
    }

    // 8. revoked key ----------------------------------------------------------------
    {
        let t = T0 + 7 * 3_571;
        let m = msg(
            &[
                "From: Example Org Newsletter <newsletter@example.org>".into(),
                "To: harry@example.com".into(),
                "Subject: November newsletter".into(),
                format!("Date: {}", date(t - 5, 0)),
                "Message-ID: <nl-2025-11.harry=example.com@mailer.example.org>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=utf-8".into(),
                "List-Unsubscribe: <https://mailer.example.org/u/8f2a6c>".into(),
            ],
            "November at Example Org\n=======================\n\n* New office in Lisbon\n* Holiday opening hours\n* Staff picks of the month\n\nRead online: https://www.example.org/news/2025-11\n",
        );
        let s = Signer::new(org, "example.org", "old2023")
            .headers(&[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "list-unsubscribe",
                "from",
            ])
            .timestamp(t)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <bounce-8f2a6c@mailer.example.org>".into(),
                format!(
                    "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFB7k0LhDz9sWr\n\tfor <harry@example.com>; {}",
                    date(t + 4, 60)
                ),
                format!(
                    "Authentication-Results: mx.example.com;\n\tdkim=permerror (key revoked) header.d=example.org header.i=@example.org header.s=old2023 header.b={};\n\tspf=pass smtp.mailfrom=bounce-8f2a6c@mailer.example.org;\n\tdmarc=fail (p=quarantine dis=quarantine) header.from=example.org",
                    hb(&s.b)
                ),
                received(
                    "mailer.example.org (mailer.example.org [198.51.100.33])",
                    "mx.example.com (Postfix)",
                    "ESMTPS",
                    "4dFB7j5RmPz1yTd",
                    "harry@example.com",
                    t + 2,
                    0,
                ),
            ],
            &s.message,
        );
        put("revoked-key.eml", full);
        rows.push(SampleRow {
            file: "revoked-key.eml",
            shows: "an old mailing platform still signs with selector old2023, whose record was revoked (p= empty)",
            result: "permerror",
            diagnosis: "key-revoked",
            warnings: "-",
        });
    }

    // 9. expired signature --------------------------------------------------------------
    {
        let t = 1_763_000_000; // 2025-11-13, x = t + 7 days, before --at
        let m = msg(
            &[
                received(
                    "[192.0.2.44] (unknown [192.0.2.44])",
                    "mail.example.com (Postfix)",
                    "ESMTPSA",
                    "4d6lHk2sXwz9sVb",
                    "bob@example.org",
                    t - 1,
                    60,
                ),
                "From: Alice Martin <alice@example.com>".into(),
                "To: Bob Keller <bob@example.org>".into(),
                "Subject: Signed offer, valid for one week".into(),
                format!("Date: {}", date(t - 2, 60)),
                "Message-ID: <0a9e8d7c-6b5a-4f3e-2d1c-0b9a8f7e6d5c@example.com>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=UTF-8".into(),
            ],
            "Bob,\n\nas agreed on the phone: the offer below is valid until 20 November.\n\nAlice\n",
        );
        let s = Signer::new(com, "example.com", "s2025")
            .headers(H_DEFAULT)
            .timestamp(t)
            .expiration(t + 86_400 * 7)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <alice@example.com>".into(),
                "Delivered-To: bob@example.org".into(),
                format!(
                    "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid Yk2wF0DFFWnKNgAAgYvYhA\n\t(envelope-from <alice@example.com>)\n\tfor <bob@example.org>; {}",
                    date(t + 3, 0)
                ),
                format!(
                    "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; secure) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=alice@example.com;\n\tdmarc=pass (p=reject dis=none) header.from=example.com",
                    hb(&s.b)
                ),
                received(
                    "mail.example.com (mail.example.com [192.0.2.25])",
                    "mx.example.org (Postfix)",
                    "ESMTPS",
                    "4d6lHm0bYtz1xYs",
                    "bob@example.org",
                    t + 1,
                    0,
                ),
            ],
            &s.message,
        );
        put("expired-signature.eml", full);
        rows.push(SampleRow {
            file: "expired-signature.eml",
            shows: "stored mail re-checked later: x= (t= + 7 days, 2025-11-20) is before --at; it passed on delivery",
            result: "permerror",
            diagnosis: "sig-expired",
            warnings: "-",
        });
    }

    // 10. headers only, as pasted from Outlook "Internet headers" -------------------------
    {
        let t = T0 + 8 * 3_571;
        let m = msg(
            &[
                received(
                    "[198.51.100.81] (unknown [198.51.100.81])",
                    "smtp.example.org (Postfix)",
                    "ESMTPSA",
                    "4dFDkS1hQxz4wLt",
                    "adele@fabrikam.example",
                    t - 1,
                    0,
                ),
                "From: Ivan Petrov <ivan@example.org>".into(),
                "To: Adele Vance <adele@fabrikam.example>".into(),
                "Subject: Workshop agenda, 2 December".into(),
                format!("Date: {}", date(t - 2, 0)),
                "Message-ID: <e5d4c3b2-a190-4f8e-8d7c-6b5a4f3e2d1c@example.org>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: multipart/alternative;\n boundary=\"------------2Lq9x0bC1dE2fG3hI4jK5l\"".into(),
                "Content-Language: en-US".into(),
            ],
            "This is a multi-part message in MIME format.\n--------------2Lq9x0bC1dE2fG3hI4jK5l\nContent-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 7bit\n\nHi Adele, the agenda for the workshop is below.\n\n09:00 welcome\n10:00 hands-on lab\n\nIvan\n\n--------------2Lq9x0bC1dE2fG3hI4jK5l\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n<html><body><p>Hi Adele, the agenda for the workshop is below.</p><p>09:00 welcome<br>10:00 hands-on lab</p><p>Ivan</p></body></html>\n\n--------------2Lq9x0bC1dE2fG3hI4jK5l--\n",
        );
        let s = Signer::new(org, "example.org", "s2025")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&m)?;
        let full = prepend(
            &[
                format!(
                    "Received: from BN9PR03CA0871.namprd03.prod.outlook.com (2001:db8:408:13f::6)\n by SA1PR11MB8473.namprd11.prod.outlook.com with HTTPS; {}",
                    date(t + 2, 0)
                ),
                format!(
                    "Received: from BN2PEPF000044AC.namprd04.prod.outlook.com\n (2001:db8:408:13f:cafe::2c) by BN9PR03CA0871.outlook.office365.com\n (2001:db8:408:13f::6) with Microsoft SMTP Server (version=TLS1_3,\n cipher=TLS_AES_256_GCM_SHA384) id 15.20.9343.12 via Frontend Transport; {}",
                    date(t + 2, 0)
                ),
                "Authentication-Results: spf=pass (sender IP is 198.51.100.10)\n smtp.mailfrom=example.org; dkim=pass (signature was verified)\n header.d=example.org;dmarc=pass action=none\n header.from=example.org;compauth=pass reason=100".into(),
                "Received-SPF: Pass (protection.outlook.com: domain of example.org designates\n 198.51.100.10 as permitted sender) receiver=protection.outlook.com;\n client-ip=198.51.100.10; helo=smtp.example.org; pr=C".into(),
                format!(
                    "Received: from smtp.example.org (198.51.100.10) by\n BN2PEPF000044AC.mail.protection.outlook.com (10.167.243.163) with Microsoft\n SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.9343.9\n via Frontend Transport; {}",
                    date(t + 1, 0)
                ),
            ],
            &s.message,
        );
        // Keep the header block only, with the Microsoft 365 inbound stamps at the bottom.
        let text = String::from_utf8(full).map_err(|e| e.to_string())?;
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        let pasted = format!(
            "{head}\r\nReturn-Path: ivan@example.org\r\nX-MS-Exchange-Organization-ExpirationStartTime: 23 Nov 2025 20:09:30.7412\r\n (UTC)\r\nX-MS-Exchange-Organization-Network-Message-Id:\r\n 6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f\r\nX-EOPAttributedMessage: 0\r\nX-MS-Exchange-Organization-MessageDirectionality: Incoming\r\nX-MS-Exchange-Organization-SCL: 1\r\nX-MS-Exchange-Organization-AuthSource:\r\n BN2PEPF000044AC.namprd04.prod.outlook.com\r\nX-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-Microsoft-Antispam: BCL:0;ARA:13230040|1800799024|8096899003;\r\nX-Forefront-Antispam-Report:\r\n CIP:198.51.100.10;CTRY:DE;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:smtp.example.org;PTR:smtp.example.org;CAT:NONE;SFS:(13230040)(1800799024)(8096899003);DIR:INB;\r\nX-MS-Exchange-Transport-EndToEndLatency: 00:00:01.4421\r\nX-MS-Exchange-Processed-By-BccFoldering: 15.20.9343.008\r\n"
        );
        put("headers-only-outlook-paste.eml", pasted.into_bytes());
        rows.push(SampleRow {
            file: "headers-only-outlook-paste.eml",
            shows: "only the header block, as copied from Outlook's \"Internet headers\" (no empty line, no body); Microsoft 365 inbound stamps",
            result: "pass",
            diagnosis: "headers-only-pass",
            warnings: "-",
        });
    }

    // 11. bounce (DSN) carrying the original whose footer broke the body hash ---------------
    {
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
        put("bounce-dsn-footer.eml", dsn);
        rows.push(SampleRow {
            file: "bounce-dsn-footer.eml",
            shows: "Postfix DSN (multipart/report, 550 5.7.1 DKIM signature did not verify) with the original as message/rfc822; the sender's own relay appended a disclaimer after signing",
            result: "none (bounce itself); fail (returned message)",
            diagnosis: "no-signature (bounce); body-hash-mismatch, finding body-appended (returned message)",
            warnings: "-",
        });
    }

    // 12. unsigned ---------------------------------------------------------------------
    {
        let t = T0 + 10 * 3_571;
        let m = msg(
            &[
                "Return-Path: <scanner@example.net>".into(),
                "Delivered-To: bob@example.org".into(),
                format!(
                    "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid mQ4xKDpII2nvfAAAgYvYhA\n\t(envelope-from <scanner@example.net>)\n\tfor <bob@example.org>; {}",
                    date(t + 3, 0)
                ),
                "Authentication-Results: mx.example.org;\n\tdkim=none;\n\tspf=softfail (mx.example.org: 198.51.100.90 is neither permitted nor denied by domain of scanner@example.net) smtp.mailfrom=scanner@example.net;\n\tdmarc=fail (p=none dis=none) header.from=example.net".into(),
                received(
                    "copier-3f.example.net (unknown [198.51.100.90])",
                    "mx.example.org (Postfix)",
                    "ESMTP",
                    "4dFHMd1yTqz1xZf",
                    "bob@example.org",
                    t + 1,
                    0,
                ),
                "From: Scan to Email <scanner@example.net>".into(),
                "To: bob@example.org".into(),
                "Subject: Scanned document from MFP-3F".into(),
                format!("Date: {}", date(t, 60)),
                "Message-ID: <MFP3F.20251123222333.0001@copier-3f.example.net>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=us-ascii".into(),
                "X-Mailer: MFP-3F ScanToMail 2.1".into(),
            ],
            "Scanned document attached.\n\nDevice: MFP-3F\nPages: 2\n",
        );
        put("unsigned.eml", m);
        rows.push(SampleRow {
            file: "unsigned.eml",
            shows: "a scanner sending through an open relay: no DKIM-Signature at all",
            result: "none",
            diagnosis: "no-signature",
            warnings: "-",
        });
    }

    // 13. author signature + ESP signature; tracking rewrite breaks the author one ------
    {
        let t = T0 + 11 * 3_571;
        let boundary = "b1_5f3c9a7e2d1b4c8a9e0f1a2b3c4d5e6f";
        let html_orig = "<html><body><p>Hi Ivan,</p><p>Your order <b>#58213</b> has shipped.</p><p><a href=\"https://shop.example.com/orders/58213\">Track your parcel</a></p></body></html>";
        let html_tracked = "<html><body><p>Hi Ivan,</p><p>Your order <b>#58213</b> has shipped.</p><p><a href=\"https://click.esp.example.net/c/eJx1jk0KwjAQRq8S5gC\">Track your parcel</a></p><img src=\"https://open.esp.example.net/o/eJx1jk0KwjAQ\" width=\"1\" height=\"1\" alt=\"\"></body></html>";
        let body = |html: &str| {
            format!(
                "--{boundary}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\nHi Ivan,\n\nYour order #58213 has shipped.\nTrack your parcel: https://shop.example.com/orders/58213\n\n--{boundary}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{html}\n\n--{boundary}--\n"
            )
        };
        let headers: Vec<String> = vec![
            "From: Example Shop <shop@example.com>".into(),
            "To: ivan@example.org".into(),
            "Subject: Your order #58213 has shipped".into(),
            format!("Date: {}", date(t - 3, 0)),
            "Message-ID: <0100019ab2c3d4e5-58213@esp.example.net>".into(),
            "MIME-Version: 1.0".into(),
            format!("Content-Type: multipart/alternative; boundary=\"{boundary}\""),
        ];
        let author = Signer::new(com, "example.com", "s2025")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&msg(&headers, &body(html_orig)))?;
        // The ESP rewrites links for click tracking after the author signature...
        let mut rewritten = prepend(
            &[author.header.trim_end().to_string()],
            &msg(&headers, &body(html_tracked)),
        );
        rewritten = prepend(
            &[
                "List-Unsubscribe: <https://esp.example.net/unsub/eJx1jk0KwjAQ>, <mailto:unsub-58213@esp.example.net>".into(),
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click".into(),
                "Feedback-ID: 58213:transactional:shop-example-com:esp".into(),
                "X-ESP-Message-Id: 0100019ab2c3d4e5-58213".into(),
            ],
            &rewritten,
        );
        // ...and then adds its own signature.
        let espsig = Signer::new(esp, "esp.example.net", "esp1")
            .headers(&[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "mime-version",
                "content-type",
                "list-unsubscribe",
                "list-unsubscribe-post",
                "feedback-id",
                "from",
            ])
            .timestamp(t + 1)
            .sign(&rewritten)?;
        let full = prepend(
            &[
                "Return-Path: <0100019ab2c3d4e5-58213@bounce.esp.example.net>".into(),
                "Delivered-To: ivan@example.org".into(),
                format!(
                    "Received: from mx.example.org\n\tby imap.example.org with LMTP\n\tid 3mLxFm9VI2kLfgAAgYvYhA\n\t(envelope-from <0100019ab2c3d4e5-58213@bounce.esp.example.net>)\n\tfor <ivan@example.org>; {}",
                    date(t + 4, 0)
                ),
                format!(
                    "Authentication-Results: mx.example.org;\n\tdkim=pass (2048-bit key; unprotected) header.d=esp.example.net header.i=@esp.example.net header.a=rsa-sha256 header.s=esp1 header.b={};\n\tdkim=fail reason=\"signature verification failed\" (2048-bit key; unprotected) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=s2025 header.b={};\n\tspf=pass smtp.mailfrom=0100019ab2c3d4e5-58213@bounce.esp.example.net;\n\tdmarc=fail (p=reject dis=reject) header.from=example.com",
                    hb(&espsig.b),
                    hb(&author.b)
                ),
                received(
                    "a27-41.smtp-out.esp.example.net (a27-41.smtp-out.esp.example.net [203.0.113.141])\n\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits))",
                    "mx.example.org (Postfix)",
                    "ESMTPS",
                    "4dFJr53mWkz1xZg",
                    "ivan@example.org",
                    t + 2,
                    0,
                ),
            ],
            &espsig.message,
        );
        put("multi-signature-esp.eml", full);
        rows.push(SampleRow {
            file: "multi-signature-esp.eml",
            shows: "an email service provider signs twice: author domain (d=example.com) before its click-tracking rewrite, its own domain (d=esp.example.net) after; DMARC fails",
            result: "pass (esp.example.net, index 0), fail (example.com, index 1)",
            diagnosis: "pass; body-hash-mismatch",
            warnings: "not-aligned-with-from (index 0)",
        });
    }

    // 14. rsa-sha1 ------------------------------------------------------------------------
    {
        let t = T0 + 12 * 3_571;
        let m = msg(
            &[
                "From: Billing <billing@example.net>".into(),
                "To: accounts@example.com".into(),
                "Subject: Payment received - thank you".into(),
                format!("Date: {}", date(t - 1, 0)),
                "Message-ID: <20251123233213.7781.billing@legacy.example.net>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=us-ascii".into(),
                "X-Mailer: LegacyBilling 4.2".into(),
            ],
            "We have received your payment of USD 310.00. Thank you.\n\nReference: PAY-00917733\n",
        );
        let s = Signer::new(net, "example.net", "legacy")
            .algorithm(Algorithm::RsaSha1)
            .canon(Canon::Simple, Canon::Simple)
            .headers(&["from", "to", "subject", "date", "message-id", "from"])
            .timestamp(t)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <billing@example.net>".into(),
                format!(
                    "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFLCm1bWsz9sX1\n\tfor <accounts@example.com>; {}",
                    date(t + 3, 60)
                ),
                format!(
                    "Authentication-Results: mx.example.com;\n\tdkim=policy (rsa-sha1 is not accepted) header.d=example.net header.i=@example.net header.a=rsa-sha1 header.s=legacy header.b={};\n\tspf=pass smtp.mailfrom=billing@example.net;\n\tdmarc=pass (p=none dis=none) header.from=example.net",
                    hb(&s.b)
                ),
                received(
                    "legacy.example.net (legacy.example.net [198.51.100.21])",
                    "mx.example.com (Postfix)",
                    "ESMTP",
                    "4dFLCk6GfVz1yTh",
                    "accounts@example.com",
                    t + 1,
                    0,
                ),
            ],
            &s.message,
        );
        put("rsa-sha1-legacy.eml", full);
        rows.push(SampleRow {
            file: "rsa-sha1-legacy.eml",
            shows: "a legacy billing system signs rsa-sha1 (simple/simple); cryptographically valid but not acceptable per RFC 8301",
            result: "policy",
            diagnosis: "sig-sha1",
            warnings: "-",
        });
    }

    // 15. 1024-bit key ------------------------------------------------------------------------
    {
        let t = T0 + 13 * 3_571;
        let m = msg(
            &[
                received(
                    "helpdesk.example.org (helpdesk.example.org [198.51.100.55])",
                    "smtp.example.org (Postfix)",
                    "ESMTP",
                    "4dFMZ83pYrz4wLw",
                    "judy@example.com",
                    t - 1,
                    0,
                ),
                "From: Example Org Helpdesk <helpdesk@example.org>".into(),
                "To: judy@example.com".into(),
                "Subject: [Ticket #40921] Password reset completed".into(),
                format!("Date: {}", date(t - 2, 0)),
                "Message-ID: <ticket-40921-3@helpdesk.example.org>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=utf-8".into(),
                "Auto-Submitted: auto-generated".into(),
            ],
            "Hello Judy,\n\nyour password reset request #40921 has been completed. If you did not\nrequest this, reply to this message.\n\nExample Org Helpdesk\n",
        );
        let s = Signer::new(weak, "example.org", "legacy1024")
            .headers(H_DEFAULT)
            .timestamp(t)
            .sign(&m)?;
        let full = prepend(
            &[
                "Return-Path: <helpdesk@example.org>".into(),
                format!(
                    "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFMZB0dNqz9sX2\n\tfor <judy@example.com>; {}",
                    date(t + 3, 60)
                ),
                format!(
                    "Authentication-Results: mx.example.com;\n\tdkim=pass (1024-bit key; unprotected) header.d=example.org header.i=@example.org header.a=rsa-sha256 header.s=legacy1024 header.b={};\n\tspf=pass smtp.mailfrom=helpdesk@example.org;\n\tdmarc=pass (p=quarantine dis=none) header.from=example.org",
                    hb(&s.b)
                ),
                received(
                    "smtp.example.org (smtp.example.org [198.51.100.10])",
                    "mx.example.com (Postfix)",
                    "ESMTPS",
                    "4dFMZ96yLhz1yTj",
                    "judy@example.com",
                    t + 1,
                    0,
                ),
            ],
            &s.message,
        );
        put("weak-key-1024.eml", full);
        rows.push(SampleRow {
            file: "weak-key-1024.eml",
            shows: "passes, but the key is RSA 1024 (the RFC 8301 minimum; should be rotated to 2048)",
            result: "pass",
            diagnosis: "pass",
            warnings: "weak-key-1024",
        });
    }

    // 16. l= and a mailing-list footer, with the list's ARC set ----------------------------
    {
        let t = T0 + 14 * 3_571;
        let m = msg(
            &[
                received(
                    "[198.51.100.99] (unknown [198.51.100.99])",
                    "smtp-out.example.net (Postfix)",
                    "ESMTPSA",
                    "4dFNw45jTbz3kQs",
                    "dev@lists.example.org",
                    t - 1,
                    0,
                ),
                "From: Kim Tanaka <kim@example.net>".into(),
                "To: dev@lists.example.org".into(),
                "Subject: Proposal: drop support for the v1 API".into(),
                format!("Date: {}", date(t - 2, 540)),
                "Message-ID: <8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a@example.net>".into(),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=UTF-8".into(),
            ],
            "Hi all,\n\nthe v1 API has had no traffic for three months. I propose we remove it\nin the January release. Objections by Friday, please.\n\nKim\n",
        );
        let s = Signer::new(net, "example.net", "k1")
            .headers(H_DEFAULT)
            .timestamp(t)
            .body_length(BodyLength::Full)
            .sign(&m)?;
        let listed = append(
            &s.message,
            "_______________________________________________\ndev mailing list -- dev@lists.example.org\nTo unsubscribe send an email to dev-leave@lists.example.org\n",
        );
        let listed = prepend(
            &[
                "List-Id: Developers <dev.lists.example.org>".into(),
                "List-Post: <mailto:dev@lists.example.org>".into(),
                "List-Unsubscribe: <mailto:dev-leave@lists.example.org>".into(),
                "Precedence: list".into(),
            ],
            &listed,
        );
        let with_aar = prepend(
            &[
                format!(
                    "ARC-Authentication-Results: i=1; lists.example.org;\n\tdkim=pass header.d=example.net header.s=k1 header.b={};\n\tspf=pass smtp.mailfrom=kim@example.net;\n\tdmarc=pass (p=none) header.from=example.net",
                    hb(&s.b)
                ),
                received(
                    "smtp-out.example.net (smtp-out.example.net [198.51.100.20])",
                    "lists.example.org (Postfix)",
                    "ESMTPS",
                    "4dFNw61bQvz2mNx",
                    "dev@lists.example.org",
                    t + 1,
                    0,
                ),
            ],
            &listed,
        );
        let ams = Signer::new(org, "lists.example.org", "arc2025")
            .header_name("ARC-Message-Signature")
            .headers(&[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "list-id",
                "list-post",
                "list-unsubscribe",
            ])
            .timestamp(t + 2)
            .omit("v")
            .tag("i", "1")
            .order(&["i", "a", "c", "d", "s", "t", "h", "bh", "b"])
            .sign(&with_aar)?;
        let seal = arc_seal(org, "lists.example.org", "arc2025", t + 2, &ams.message)?;
        let sealed = prepend(&[seal.trim_end().to_string()], &ams.message);
        let full = prepend(
            &[
                "Return-Path: <dev-bounces@lists.example.org>".into(),
                format!(
                    "Received: from mx.example.com (mx.example.com [192.0.2.30])\n\tby mail.example.com (Postfix) with ESMTPS id 4dFNw84kLcz9sX3\n\tfor <liam@example.com>; {}",
                    date(t + 4, 60)
                ),
                format!(
                    "Authentication-Results: mx.example.com;\n\tdkim=pass (2048-bit key; unprotected) header.d=example.net header.i=@example.net header.a=rsa-sha256 header.s=k1 header.b={};\n\tarc=pass (i=1 spf=pass dkim=pass dkim=pass) header.s=arc2025 arc.oldest-pass=1 smtp.remote-ip=198.51.100.60;\n\tspf=pass smtp.mailfrom=dev-bounces@lists.example.org;\n\tdmarc=pass (p=none dis=none) header.from=example.net",
                    hb(&s.b)
                ),
                received(
                    "lists.example.org (lists.example.org [198.51.100.60])",
                    "mx.example.com (Postfix)",
                    "ESMTPS",
                    "4dFNw73nHfz1yTk",
                    "liam@example.com",
                    t + 3,
                    0,
                ),
            ],
            &sealed,
        );
        put("mailing-list-body-length.eml", full);
        rows.push(SampleRow {
            file: "mailing-list-body-length.eml",
            shows: "signature with l= covering the original body; the list appended a 3-line footer (unsigned content) and added an ARC set",
            result: "pass",
            diagnosis: "pass",
            warnings: "body-length-limit",
        });
    }

    // keys.zone ------------------------------------------------------------------------------
    let mut z = String::new();
    z.push_str(&soa_line("example.com"));
    z.push_str(&txt_line(
        "s2025._domainkey.example.com",
        3600,
        &com.dns_record(),
    ));
    z.push_str(&txt_line(
        "ed2025._domainkey.example.com",
        3600,
        &ed.dns_record(),
    ));
    z.push_str(&txt_line(
        "_dmarc.example.com",
        3600,
        "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    ));
    z.push_str(&soa_line("example.org"));
    z.push_str(&txt_line(
        "s2025._domainkey.example.org",
        3600,
        &org.dns_record(),
    ));
    z.push_str(&txt_line(
        "old2023._domainkey.example.org",
        3600,
        "v=DKIM1; k=rsa; p=",
    ));
    z.push_str(&txt_line(
        "legacy1024._domainkey.example.org",
        3600,
        &weak.dns_record(),
    ));
    z.push_str(&txt_line(
        "arc2025._domainkey.lists.example.org",
        3600,
        &org.dns_record(),
    ));
    z.push_str(&txt_line(
        "_dmarc.example.org",
        3600,
        "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org",
    ));
    z.push_str(&soa_line("example.net"));
    z.push_str(&txt_line(
        "k1._domainkey.example.net",
        3600,
        &net.dns_record(),
    ));
    z.push_str(&txt_line(
        "legacy._domainkey.example.net",
        3600,
        &net.dns_record(),
    ));
    z.push_str(&txt_line(
        "arc2025._domainkey.example.net",
        3600,
        &net.dns_record(),
    ));
    z.push_str(&txt_line(
        "esp1._domainkey.esp.example.net",
        3600,
        &esp.dns_record(),
    ));
    z.push_str(&txt_line("_dmarc.example.net", 3600, "v=DMARC1; p=none"));
    z.push_str(&cname_line(
        "selector1._domainkey.contoso.example",
        3600,
        "selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com",
    ));
    z.push_str(&cname_line(
        "selector2._domainkey.contoso.example",
        3600,
        "selector2-contoso-example._domainkey.contosoltd.onmicrosoft.com",
    ));
    z.push_str(&txt_line(
        "_dmarc.contoso.example",
        3600,
        "v=DMARC1; p=quarantine",
    ));
    z.push_str(&cname_line(
        "selector1._domainkey.fabrikam.example",
        3600,
        "selector1-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
    ));
    z.push_str(&cname_line(
        "selector2._domainkey.fabrikam.example",
        3600,
        "selector2-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
    ));
    z.push_str(&txt_line(
        "_dmarc.fabrikam.example",
        3600,
        "v=DMARC1; p=none",
    ));
    z.push_str(&soa_line("onmicrosoft.com"));
    z.push_str(&txt_line(
        "selector2-contoso-example._domainkey.contosoltd.onmicrosoft.com",
        3600,
        &contoso.dns_record(),
    ));
    z.push_str(&txt_line(
        "selector1-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
        3600,
        &fabrikam.dns_record(),
    ));
    z.push_str(&txt_line(
        "selector2-fabrikam-example._domainkey.fabrikamcorp.onmicrosoft.com",
        3600,
        &fabrikam.dns_record(),
    ));
    out.put(dir.join("keys.zone"), z.into_bytes());

    // README.md ----------------------------------------------------------------------------------
    let mut r = String::new();
    r.push_str("# sample-headers\n\n");
    r.push_str(
        "Realistic messages for people and tests. Generated by `bench` (do not edit by hand):\n\n",
    );
    r.push_str("    cd bench && cargo run --release --bin gen-samples\n\n");
    r.push_str(&format!(
        "All keys live in `keys.zone` (throwaway test keys from `bench/keys/`). Every sample is checked at the fixed time\n`--at {}` so expiry is stable; every `t=` is earlier. Domains are RFC 2606 style\n(example.com/.org/.net, contoso.example, fabrikam.example) plus `*.onmicrosoft.com` for the Microsoft 365 targets,\nfor which `keys.zone` holds an SOA (so a name it lacks there is NXDOMAIN).\n\n",
        rfc3339(SAMPLES_AT)
    ));
    r.push_str("Results and diagnosis codes are those of DESIGN.md; several signatures are listed top first (index 0 first).\n\n");
    r.push_str("| file | what it shows | dkim result | diagnosis | warnings | command |\n|---|---|---|---|---|---|\n");
    for row in &rows {
        r.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | `cargo run --release -- check sample-headers/{} --offline --keys sample-headers/keys.zone --at {}` |\n",
            row.file,
            row.shows,
            row.result,
            row.diagnosis,
            row.warnings,
            row.file,
            rfc3339(SAMPLES_AT)
        ));
    }
    r.push_str("\nNotes:\n\n");
    r.push_str("- The Microsoft 365 samples sign `From` once (as Microsoft 365 does), so they carry `from-not-oversigned`.\n");
    r.push_str("- `headers-only-outlook-paste.eml` ends after the last header field (no empty line): there is no body.\n");
    r.push_str("- `bounce-dsn-footer.eml`: the bounce itself is unsigned; the diagnosis that matters is the one of the returned message inside (message/rfc822).\n");
    r.push_str("- `subject-spam-tagged.eml` and `mailing-list-body-length.eml` carry a valid ARC set (i=1, cv=none) signed with keys in `keys.zone`.\n");
    r.push_str("- mail-auth 0.13 (the cross-check) answers `neutral` for any signature with `l=` and for expired ones, and accepts rsa-sha1 and dangling/NXDOMAIN keys as permerror.\n");
    out.put(dir.join("README.md"), r.into_bytes());
    Ok(())
}

// ---------------------------------------------------------------------------
// tests/fixtures/defects/
// ---------------------------------------------------------------------------

struct Fixture {
    file: String,
    result: &'static str,
    diagnosis: &'static str,
    warnings: &'static str,
    at: u64,
    note: String,
}

/// A fixture signer: key by short name, over-signed From, fixed t=.
fn sig<'a>(keys: &'a Keys, h: &[&str], k: &str, sel: &str, t: u64) -> Signer<'a> {
    let (key, d) = match k {
        "com" => ("rsa2048-example-com", "example.com"),
        "weak" => ("rsa1024", "example.com"),
        "short" => ("rsa512", "example.com"),
        "ed" => ("ed25519-example-com", "example.com"),
        "esp" => ("rsa2048-esp-example-net", "esp.example.net"),
        "contoso" => ("rsa2048-contoso-example", "contoso.example"),
        "net" => ("rsa2048-example-net", "dnsfail.example.net"),
        _ => ("rsa2048-example-org", "example.org"),
    };
    Signer::new(keys.get(key), d, sel).headers(h).timestamp(t)
}

fn defects(keys: &Keys, dir: &Path, out: &mut Out) -> Result<(), String> {
    let com = keys.get("rsa2048-example-com");
    let esp = keys.get("rsa2048-esp-example-net");
    let weak = keys.get("rsa1024");
    let short = keys.get("rsa512");
    let ed = keys.get("ed25519-example-com");
    let t = T0;
    let at = DEFECTS_AT;
    let mut rows: Vec<Fixture> = Vec::new();

    let base = |subject: &str, from: &str| -> Vec<u8> {
        msg(
            &[
                format!("From: Alice <{from}>"),
                "To: Bob <bob@example.org>".into(),
                format!("Subject: {subject}"),
                format!("Date: {}", date(t - 5, 0)),
                format!("Message-ID: <{}@example.com>", subject.replace(' ', "-")),
                "MIME-Version: 1.0".into(),
                "Content-Type: text/plain; charset=us-ascii".into(),
            ],
            "Hello Bob,\n\nThis is a test message for dkimscope.\n\nAlice\n",
        )
    };
    let h_over: &[&str] = &[
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "from",
    ];
    let fx = |k: &str, sel: &str| sig(keys, h_over, k, sel, t);
    let mut add = |file: &str,
                   data: Vec<u8>,
                   result: &'static str,
                   diagnosis: &'static str,
                   warnings: &'static str,
                   at: u64,
                   note: &str| {
        out.put(dir.join(file), normalize_crlf(&data));
        rows.push(Fixture {
            file: file.to_string(),
            result,
            diagnosis,
            warnings,
            at,
            note: note.to_string(),
        });
    };

    let m = base("pass", "alice@example.com");
    add(
        "pass.eml",
        fx("com", "s2025").sign(&m)?.message,
        "pass",
        "pass",
        "-",
        at,
        "rsa-sha256 relaxed/relaxed, 2048-bit key",
    );
    let m = base("pass ed25519", "alice@example.com");
    add(
        "pass-ed25519.eml",
        fx("ed", "ed2025").sign(&m)?.message,
        "pass",
        "pass",
        "-",
        at,
        "ed25519-sha256 (RFC 8463)",
    );
    let m = base("pass simple", "alice@example.com");
    add(
        "pass-simple.eml",
        fx("com", "s2025")
            .canon(Canon::Simple, Canon::Simple)
            .sign(&m)?
            .message,
        "pass",
        "pass",
        "-",
        at,
        "rsa-sha256 simple/simple",
    );

    let m = base("headers only", "alice@example.com");
    let signed =
        String::from_utf8(fx("com", "s2025").sign(&m)?.message).map_err(|e| e.to_string())?;
    let head = format!(
        "{}\r\n",
        signed.split("\r\n\r\n").next().unwrap_or_default()
    );
    add(
        "headers-only-pass.eml",
        head.into_bytes(),
        "pass",
        "headers-only-pass",
        "-",
        at,
        "header block only: no empty line, no body",
    );

    add(
        "no-signature.eml",
        base("unsigned", "alice@example.com"),
        "none",
        "no-signature",
        "-",
        at,
        "no DKIM-Signature header field",
    );

    let m = base("bad base64", "alice@example.com");
    add(
        "sig-malformed-base64.eml",
        fx("com", "s2025")
            .b_value("dGhpcyBpcyBub3Q*base64!/$%")
            .sign(&m)?
            .message,
        "permerror",
        "sig-malformed",
        "-",
        at,
        "b= contains characters outside base64 (* ! $ %)",
    );
    let m = base("duplicate tag", "alice@example.com");
    add(
        "sig-malformed-duplicate-tag.eml",
        fx("com", "s2025")
            .extra_tag("c", "relaxed/relaxed")
            .sign(&m)?
            .message,
        "permerror",
        "sig-malformed",
        "-",
        at,
        "c= appears twice (same value); otherwise a valid signature",
    );

    let m = base("missing bh", "alice@example.com");
    add(
        "sig-missing-tag.eml",
        fx("com", "s2025").omit("bh").sign(&m)?.message,
        "permerror",
        "sig-missing-tag",
        "-",
        at,
        "no bh= tag",
    );
    let m = base("version two", "alice@example.com");
    add(
        "sig-bad-version.eml",
        fx("com", "s2025").tag("v", "2").sign(&m)?.message,
        "permerror",
        "sig-bad-version",
        "-",
        at,
        "v=2",
    );
    let m = base("md5", "alice@example.com");
    add(
        "sig-unknown-algorithm.eml",
        fx("com", "s2025").tag("a", "rsa-md5").sign(&m)?.message,
        "permerror",
        "sig-unknown-algorithm",
        "-",
        at,
        "a=rsa-md5 (b= computed as rsa-sha256)",
    );
    let m = base("from not signed", "alice@example.com");
    add(
        "sig-from-not-signed.eml",
        fx("com", "s2025")
            .headers(&["to", "subject", "date", "message-id"])
            .sign(&m)?
            .message,
        "permerror",
        "sig-from-not-signed",
        "-",
        at,
        "h=to:subject:date:message-id",
    );
    let m = base("identity", "alice@example.com");
    add(
        "sig-identity-mismatch.eml",
        fx("com", "s2025")
            .identity("@other.example")
            .sign(&m)?
            .message,
        "permerror",
        "sig-identity-mismatch",
        "-",
        at,
        "i=@other.example with d=example.com",
    );
    let m = base("expired", "alice@example.com");
    add(
        "sig-expired.eml",
        fx("com", "s2025")
            .timestamp(1_763_000_000)
            .expiration(1_763_604_800)
            .sign(&m)?
            .message,
        "permerror",
        "sig-expired",
        "-",
        at,
        "t=1763000000, x=1763604800 (t + 7 days) < at",
    );
    let m = base("sha1", "alice@example.com");
    add(
        "sig-sha1.eml",
        fx("com", "s2025")
            .algorithm(Algorithm::RsaSha1)
            .sign(&m)?
            .message,
        "policy",
        "sig-sha1",
        "-",
        at,
        "a=rsa-sha1 with a 2048-bit key; cryptographically valid",
    );

    let m = base("key not found", "alice@example.com");
    add(
        "key-not-found.eml",
        fx("com", "missing").sign(&m)?.message,
        "permerror",
        "key-not-found",
        "-",
        at,
        "missing._domainkey.example.com is absent and keys.zone has an SOA for example.com (NXDOMAIN)",
    );
    let m = base("dangling cname", "alice@contoso.example");
    add(
        "key-cname-dangling.eml",
        fx("contoso", "selector1").sign(&m)?.message,
        "permerror",
        "key-cname-dangling",
        "-",
        at,
        "selector1._domainkey.contoso.example CNAME selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com. whose target is absent (SOA onmicrosoft.com)",
    );
    let m = base("servfail", "alice@dnsfail.example.net");
    add(
        "key-dns-error.eml",
        fx("net", "s2025").sign(&m)?.message,
        "temperror",
        "key-dns-error",
        "-",
        at,
        "test DNS server must answer SERVFAIL for s2025._domainkey.dnsfail.example.net. (listed in servfail.txt); offline this is key-offline-missing",
    );
    let m = base("offline missing", "alice@example.org");
    add(
        "key-offline-missing.eml",
        fx("org", "s2025").sign(&m)?.message,
        "temperror",
        "key-offline-missing",
        "-",
        at,
        "offline only: s2025._domainkey.example.org is not in keys.zone and no SOA covers example.org",
    );
    let m = base("revoked", "alice@example.com");
    add(
        "key-revoked.eml",
        fx("com", "revoked").sign(&m)?.message,
        "permerror",
        "key-revoked",
        "-",
        at,
        "record p= is empty",
    );
    let m = base("malformed key base64", "alice@example.com");
    add(
        "key-malformed-base64.eml",
        fx("com", "badb64").sign(&m)?.message,
        "permerror",
        "key-malformed",
        "-",
        at,
        "record p= is not base64",
    );
    let m = base("malformed key data", "alice@example.com");
    add(
        "key-malformed-keydata.eml",
        fx("com", "garbage").sign(&m)?.message,
        "permerror",
        "key-malformed",
        "-",
        at,
        "record p= is valid base64 of bytes that are not a public key",
    );
    let m = base("short key", "alice@example.com");
    add(
        "key-too-short.eml",
        fx("short", "short512").sign(&m)?.message,
        "permerror",
        "key-too-short",
        "-",
        at,
        "RSA 512-bit key (valid signature)",
    );
    let m = base("algorithm mismatch", "alice@example.com");
    add(
        "key-algorithm-mismatch.eml",
        fx("com", "edkey").sign(&m)?.message,
        "permerror",
        "key-algorithm-mismatch",
        "-",
        at,
        "a=rsa-sha256 but the record is k=ed25519",
    );
    let m = base("hash not allowed", "alice@example.com");
    add(
        "key-hash-not-allowed.eml",
        fx("com", "sha1only").sign(&m)?.message,
        "permerror",
        "key-hash-not-allowed",
        "-",
        at,
        "record h=sha1, signature a=rsa-sha256",
    );
    let m = base("service mismatch", "alice@example.com");
    add(
        "key-service-mismatch.eml",
        fx("com", "othersvc").sign(&m)?.message,
        "permerror",
        "key-service-mismatch",
        "-",
        at,
        "record s=other",
    );
    let m = base("strict subdomain", "alice@example.com");
    add(
        "key-strict-subdomain.eml",
        fx("com", "strict")
            .identity("@sub.example.com")
            .sign(&m)?
            .message,
        "permerror",
        "key-strict-subdomain",
        "-",
        at,
        "record t=s, signature i=@sub.example.com with d=example.com",
    );

    let m = base("body changed", "alice@example.com");
    let s = fx("com", "s2025").sign(&m)?;
    add(
        "body-hash-mismatch.eml",
        append(
            &s.message,
            "--\nThis message was scanned by ExampleGuard.\nNo viruses found.\n",
        ),
        "fail",
        "body-hash-mismatch",
        "-",
        at,
        "finding body-appended: 3 lines appended after signing",
    );
    let m = msg(
        &[
            "From: Alice <alice@example.com>".into(),
            "To: Bob <bob@example.org>".into(),
            "Subject: whitespace".into(),
            format!("Date: {}", date(t - 5, 0)),
            "Message-ID: <whitespace@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=us-ascii".into(),
        ],
        "Hello Bob,   \n\nTrailing spaces on this line.   \nAlice\n",
    );
    let s = fx("com", "s2025")
        .canon(Canon::Relaxed, Canon::Simple)
        .sign(&m)?;
    add(
        "body-hash-mismatch-whitespace.eml",
        replace_once(&s.message, "line.   \r\n", "line.\r\n"),
        "fail",
        "body-hash-mismatch",
        "-",
        at,
        "finding body-whitespace: c=relaxed/simple and a relay stripped trailing spaces from one line",
    );
    let m = base("header changed", "alice@example.com");
    let s = fx("com", "s2025").sign(&m)?;
    add(
        "signature-mismatch.eml",
        replace_once(
            &s.message,
            "Subject: header changed",
            "Subject: [EXTERNAL] header changed",
        ),
        "fail",
        "signature-mismatch",
        "-",
        at,
        "finding subject-tagged: \"[EXTERNAL] \" prefixed after signing",
    );
    let m = msg(
        &[
            "From: Alice <alice@example.com>".into(),
            "To: Bob <bob@example.org>".into(),
            "Subject: a rather long subject line that a relay decided to fold".into(),
            format!("Date: {}", date(t - 5, 0)),
            "Message-ID: <refolded@example.com>".into(),
            "MIME-Version: 1.0".into(),
            "Content-Type: text/plain; charset=us-ascii".into(),
        ],
        "Hello Bob,\n\nThis is a test message for dkimscope.\n\nAlice\n",
    );
    let s = fx("com", "s2025")
        .canon(Canon::Simple, Canon::Simple)
        .sign(&m)?;
    add(
        "signature-mismatch-refolded.eml",
        replace_once(&s.message, "line that a relay", "line that\r\n a relay"),
        "fail",
        "signature-mismatch",
        "-",
        at,
        "finding header-refolded: c=simple/simple and the Subject was folded in transit",
    );

    let m = base("weak key", "alice@example.com");
    add(
        "weak-key-1024.eml",
        fx("weak", "weak1024").sign(&m)?.message,
        "pass",
        "pass",
        "weak-key-1024",
        at,
        "RSA 1024-bit key",
    );
    let m = base("length limit", "alice@example.com");
    let s = fx("com", "s2025").body_length(BodyLength::Full).sign(&m)?;
    add(
        "body-length-limit.eml",
        append(&s.message, "Unsigned text appended after the l= count.\n"),
        "pass",
        "pass",
        "body-length-limit",
        at,
        "l= covers the original body; one line appended",
    );
    let m = base("from once", "alice@example.com");
    add(
        "from-not-oversigned.eml",
        fx("com", "s2025")
            .headers(&[
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "mime-version",
                "content-type",
            ])
            .sign(&m)?
            .message,
        "pass",
        "pass",
        "from-not-oversigned",
        at,
        "h= lists from once",
    );
    let m = base("testing", "alice@example.com");
    add(
        "testing-mode.eml",
        fx("com", "testing").sign(&m)?.message,
        "pass",
        "pass",
        "testing-mode",
        at,
        "record t=y",
    );
    let m = base("future", "alice@example.com");
    add(
        "future-timestamp.eml",
        fx("com", "s2025").timestamp(at + 86_400).sign(&m)?.message,
        "pass",
        "pass",
        "future-timestamp",
        at,
        "t=1764086400 is one day after at",
    );
    let m = base("not aligned", "alice@example.com");
    add(
        "not-aligned-with-from.eml",
        fx("esp", "esp1").sign(&m)?.message,
        "pass",
        "pass",
        "not-aligned-with-from",
        at,
        "d=esp.example.net, From @example.com",
    );

    // keys.zone
    let mut z = String::new();
    z.push_str(&soa_line("example.com"));
    z.push_str(&txt_line(
        "s2025._domainkey.example.com",
        3600,
        &com.dns_record(),
    ));
    z.push_str(&txt_line(
        "ed2025._domainkey.example.com",
        3600,
        &ed.dns_record(),
    ));
    z.push_str(&txt_line(
        "weak1024._domainkey.example.com",
        3600,
        &weak.dns_record(),
    ));
    z.push_str(&txt_line(
        "short512._domainkey.example.com",
        3600,
        &short.dns_record(),
    ));
    z.push_str(&txt_line(
        "revoked._domainkey.example.com",
        3600,
        "v=DKIM1; k=rsa; p=",
    ));
    z.push_str(&txt_line(
        "badb64._domainkey.example.com",
        3600,
        "v=DKIM1; k=rsa; p=MIIBIjANBg**not~base64!!",
    ));
    z.push_str(&txt_line(
        "garbage._domainkey.example.com",
        3600,
        "v=DKIM1; k=rsa; p=VGhpcyBpcyBub3QgYW4gUlNBIHB1YmxpYyBrZXkgYXQgYWxsLg==",
    ));
    z.push_str(&txt_line(
        "edkey._domainkey.example.com",
        3600,
        &format!("v=DKIM1; k=ed25519; p={}", ed.dns_p()),
    ));
    z.push_str(&txt_line(
        "sha1only._domainkey.example.com",
        3600,
        &format!("v=DKIM1; k=rsa; h=sha1; p={}", com.dns_p()),
    ));
    z.push_str(&txt_line(
        "othersvc._domainkey.example.com",
        3600,
        &format!("v=DKIM1; k=rsa; s=other; p={}", com.dns_p()),
    ));
    z.push_str(&txt_line(
        "strict._domainkey.example.com",
        3600,
        &format!("v=DKIM1; k=rsa; t=s; p={}", com.dns_p()),
    ));
    z.push_str(&txt_line(
        "testing._domainkey.example.com",
        3600,
        &format!("v=DKIM1; k=rsa; t=y; p={}", com.dns_p()),
    ));
    z.push_str(&txt_line(
        "esp1._domainkey.esp.example.net",
        3600,
        &esp.dns_record(),
    ));
    z.push_str(&cname_line(
        "selector1._domainkey.contoso.example",
        3600,
        "selector1-contoso-example._domainkey.contosoltd.onmicrosoft.com",
    ));
    z.push_str(&soa_line("onmicrosoft.com"));
    out.put(dir.join("keys.zone"), z.into_bytes());
    out.put(
        dir.join("servfail.txt"),
        b"s2025._domainkey.dnsfail.example.net.\n".to_vec(),
    );

    let mut tsv = String::from("file\tresult\tdiagnosis\twarnings\tat\tnote\n");
    for r in &rows {
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            r.file, r.result, r.diagnosis, r.warnings, r.at, r.note
        ));
    }
    out.put(dir.join("manifest.tsv"), tsv.into_bytes());
    Ok(())
}
