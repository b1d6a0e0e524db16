//! `m365-dangling-cname.eml`. Microsoft 365's most common DKIM failure:
//! `selector1._domainkey` of the tenant's domain is a CNAME to an
//! onmicrosoft.com name that does not exist (the selector was never activated).
//! Inbound to another tenant, so the Authentication-Results are in Microsoft's
//! style and the signature sits below the receiving hops.

use super::{Sample, Verdict};
use crate::compose::{H_M365, Keys, SAMPLES_AT, T0, date, msg, prepend, replace_once};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "m365-dangling-cname.eml",
    shows: "Microsoft 365: selector1._domainkey.contoso.example is a CNAME to contosoltd.onmicrosoft.com whose target does not exist (inbound to another Microsoft 365 tenant, Microsoft-style Authentication-Results)",
    dkim: "permerror",
    verdicts: &[Verdict {
        result: "permerror",
        diagnosis: "key-cname-dangling",
        warnings: "from-not-oversigned",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let contoso = keys.get("rsa2048-contoso-example");
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
    Ok(full)
}
