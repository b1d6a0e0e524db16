//! `headers-only-outlook-paste.eml`. What users paste most: the header block
//! from Outlook's "Internet headers", with no empty line and no body, so only
//! the header hash can be checked.

use super::{Sample, Verdict};
use crate::compose::{H_DEFAULT, Keys, SAMPLES_AT, T0, date, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "headers-only-outlook-paste.eml",
    shows: "only the header block, as copied from Outlook's \"Internet headers\" (no empty line, no body); Microsoft 365 inbound stamps",
    dkim: "pass",
    verdicts: &[Verdict {
        result: "pass",
        diagnosis: "headers-only-pass",
        warnings: "-",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let org = keys.get("rsa2048-example-org");
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
    Ok(pasted.into_bytes())
}
