//! `m365-cname-pass.eml`. The working Microsoft 365 case: `selector2` is a
//! CNAME to the tenant's onmicrosoft.com key, which resolves; no `t=`, From
//! signed once, as Microsoft 365 signs.

use super::{Sample, Verdict};
use crate::compose::{H_M365, Keys, SAMPLES_AT, T0, date, hb, msg, prepend, received};
use crate::sign::Signer;

pub const SAMPLE: Sample = Sample {
    file: "m365-cname-pass.eml",
    shows: "Microsoft 365 tenant domain signing with selector2, a CNAME to fabrikamcorp.onmicrosoft.com that resolves; no t= (as Microsoft 365 signs)",
    dkim: "pass",
    verdicts: &[Verdict {
        result: "pass",
        diagnosis: "pass",
        warnings: "from-not-oversigned",
    }],
    table: None,
    at: SAMPLES_AT,
    build,
};

fn build(keys: &Keys) -> Result<Vec<u8>, String> {
    let fabrikam = keys.get("rsa2048-fabrikam-example");
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
    Ok(full)
}
