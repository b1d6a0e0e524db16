//! Microsoft 365 (Exchange Online Protection) anti-spam headers decoded
//! field by field: X-Forefront-Antispam-Report, X-Microsoft-Antispam,
//! X-MS-Exchange-Organization-SCL and the AuthAs / AuthSource pair. When a
//! mail "failed DKIM" at Microsoft, these say what the filter did with it
//! (junked, quarantined, let through) and why, which the DKIM verdict alone
//! does not. Meanings follow Microsoft's "Anti-spam message headers" page;
//! fields it leaves undocumented are shown as internal.

use crate::message::Message;

/// One decoded field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The header it came from, as Microsoft names it.
    pub header: &'static str,
    /// The field name inside the header (`SFV`, `BCL`); the header name
    /// again for single-valued headers.
    pub key: String,
    pub value: String,
    pub meaning: String,
}

/// Everything Microsoft 365 stamped, plus the headline numbers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct M365 {
    pub fields: Vec<Field>,
    /// Spam confidence level (-1, 0-9).
    pub scl: Option<i32>,
    /// Bulk complaint level (0-9).
    pub bcl: Option<u32>,
    /// Spam filter verdict (SFV), e.g. SPM.
    pub sfv: Option<String>,
    /// Protection category (CAT), e.g. PHSH.
    pub cat: Option<String>,
    /// One plain-language sentence on what the filter concluded.
    pub verdict: String,
}

const FOREFRONT: &str = "X-Forefront-Antispam-Report";
const UNTRUSTED: &str = "X-Forefront-Antispam-Report-Untrusted";
const ANTISPAM: &str = "X-Microsoft-Antispam";
const ORG_SCL: &str = "X-MS-Exchange-Organization-SCL";
const AUTH_AS: &str = "X-MS-Exchange-Organization-AuthAs";
const AUTH_SOURCE: &str = "X-MS-Exchange-Organization-AuthSource";
const AUTH_MECH: &str = "X-MS-Exchange-Organization-AuthMechanism";

/// What an SCL value means.
pub fn scl_meaning(v: i32) -> &'static str {
    match v {
        -1 => {
            "spam filtering was skipped (a safe sender, an internal message, or a mail flow rule set SCL -1): delivered to the inbox"
        }
        0 | 1 => "not spam: delivered to the inbox",
        2..=4 => "not used by Microsoft 365 filtering; treated as not spam",
        5 | 6 => "spam: the anti-spam policy's spam action applies (junk folder by default)",
        7..=9 => {
            "high confidence spam: the policy's high-confidence spam action applies (junk or quarantine)"
        }
        _ => "outside the documented range -1..9",
    }
}

/// What a BCL value means.
pub fn bcl_meaning(v: u32) -> &'static str {
    match v {
        0 => "not from a bulk sender",
        1..=3 => "from a bulk sender that draws few complaints",
        4..=7 => {
            "from a bulk sender that draws a mixed number of complaints (7 is the default threshold for marking bulk as spam)"
        }
        8 | 9 => "from a bulk sender that draws many complaints",
        _ => "outside the documented range 0..9",
    }
}

fn sfv_meaning(v: &str) -> String {
    match v.to_ascii_uppercase().as_str() {
        "BLK" => "filtering skipped and the message blocked: the sender is on the recipient's Blocked Senders list",
        "NSPM" => "spam filtering found the message not spam",
        "SFE" => "filtering skipped: the sender is on the recipient's Safe Senders list",
        "SKA" => "filtering skipped: the sender is on an allow list of the anti-spam policy",
        "SKB" => "marked as spam: the sender matched the block list of the anti-spam policy",
        "SKI" => "filtering skipped for an intra-organization message",
        "SKN" => "marked not spam before filtering (e.g. by a mail flow rule)",
        "SKQ" => "released from quarantine to the recipients",
        "SKS" => "marked as spam before filtering (e.g. by a mail flow rule)",
        "SPM" => "spam filtering marked the message as spam",
        _ => return format!("spam filter verdict {v} (not documented by Microsoft)"),
    }
    .into()
}

fn cat_meaning(v: &str) -> String {
    match v.to_ascii_uppercase().as_str() {
        "NONE" => "no protection category matched",
        "BULK" => "bulk mail",
        "DIMP" => "domain impersonation",
        "GIMP" => "mailbox intelligence impersonation",
        "HPHSH" | "HPHISH" => "high confidence phishing",
        "HSPM" => "high confidence spam",
        "MALW" => "malware",
        "PHSH" => "phishing",
        "SPM" => "spam",
        "SPOOF" => "spoofing: the From domain failed authentication (see compauth)",
        "UIMP" => "user impersonation",
        "AMP" => "anti-malware policy",
        "SAP" => "Safe Attachments",
        "FTBP" => "anti-malware common attachments filter (file type blocked)",
        "INTOS" => "intra-organization phishing",
        "OSPM" => "outbound spam",
        _ => return format!("category {v} (not documented by Microsoft)"),
    }
    .into()
}

fn forefront_meaning(key: &str, value: &str) -> String {
    let empty = value.is_empty();
    match key.to_ascii_uppercase().as_str() {
        "CIP" => format!("connecting IP address: {value}"),
        "CTRY" if empty => "source country: not determined".into(),
        "CTRY" => format!("source country of the connecting IP: {value}"),
        "LANG" => format!("language the message is written in: {value}"),
        "SCL" => match value.trim().parse::<i32>() {
            Ok(n) => format!("spam confidence level {n}: {}", scl_meaning(n)),
            Err(_) => format!("spam confidence level {value:?} is not a number"),
        },
        "SRV" if value.eq_ignore_ascii_case("BULK") => {
            "identified as bulk mail (BCL at or above the policy threshold)".into()
        }
        "SRV" => "no bulk service verdict".into(),
        "IPV" => match value.to_ascii_uppercase().as_str() {
            "CAL" => "spam filtering skipped: the IP is on the connection filter's IP Allow List".into(),
            "NLI" => "the IP is not on any IP reputation list".into(),
            "" => "no IP verdict".into(),
            _ => format!("IP verdict {value} (not documented by Microsoft)"),
        },
        "SFV" => sfv_meaning(value),
        "PTR" if empty => "the connecting IP has no reverse DNS (PTR) name".into(),
        "PTR" => format!("reverse DNS name of the connecting IP: {value}"),
        "CAT" => cat_meaning(value),
        "SFTY" => match value {
            "9.19" => "safety tip: domain impersonation".into(),
            "9.20" => "safety tip: user impersonation".into(),
            "9.25" => "safety tip: first contact (the recipient rarely or never got mail from this sender)".into(),
            "" => "no safety tip".into(),
            _ => format!("safety tip {value} (a phishing or impersonation warning shown to the recipient)"),
        },
        "DIR" => match value.to_ascii_uppercase().as_str() {
            "INB" => "inbound message".into(),
            "OUT" => "outbound message".into(),
            "INT" => "intra-organization message".into(),
            _ => format!("direction {value}"),
        },
        "H" => format!("HELO/EHLO name the connecting server gave: {value}"),
        "SFS" | "SFP" | "RF" => "rule identifiers used internally by Microsoft's anti-spam team".into(),
        "ARC" => "ARC result Microsoft recorded".into(),
        "SPF" | "DKIM" | "DMARC" if empty => format!("no {} result recorded", key.to_ascii_uppercase()),
        "SPF" | "DKIM" | "DMARC" => format!(
            "{} result Microsoft recorded: {value}",
            key.to_ascii_uppercase()
        ),
        _ => "not documented: used internally by Microsoft".into(),
    }
}

/// `KEY:value;KEY:value;` pairs (values may be empty).
fn pairs(value: &str) -> Vec<(String, String)> {
    value
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once(':') {
            // Microsoft writes "(null)" for an empty value.
            Some((k, v)) => (
                k.trim().to_string(),
                match v.trim() {
                    "(null)" => String::new(),
                    v => v.to_string(),
                },
            ),
            None => (p.to_string(), String::new()),
        })
        .collect()
}

fn unfolded(msg: &Message, name: &str) -> Vec<String> {
    msg.fields(name)
        .map(|(_, h)| {
            String::from_utf8_lossy(msg.value_bytes(h))
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Decode the Microsoft 365 headers of `msg`; `None` when it has none.
pub fn decode(msg: &Message) -> Option<M365> {
    let mut m = M365::default();
    // With several X-Forefront-Antispam-Report fields (the sending tenant's
    // outbound DIR:OUT and the receiving tenant's inbound DIR:INB), the
    // receiver's inbound one is the verdict; otherwise the topmost.
    let forefront = unfolded(msg, FOREFRONT);
    let inbound = forefront
        .iter()
        .position(|v| {
            pairs(v)
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("DIR") && v.eq_ignore_ascii_case("INB"))
        })
        .unwrap_or(0);
    let mut blocks: Vec<(&'static str, Option<&'static str>, String)> = Vec::new();
    if let Some(v) = forefront.get(inbound) {
        blocks.push((FOREFRONT, None, v.clone()));
    }
    for (i, v) in forefront.iter().enumerate() {
        if i != inbound {
            blocks.push((
                FOREFRONT,
                Some(" (the sending tenant's own filtering, not this receiver's verdict)"),
                v.clone(),
            ));
        }
    }
    if let Some(v) = unfolded(msg, UNTRUSTED).into_iter().next() {
        blocks.push((
            UNTRUSTED,
            Some(" (stamped by another tenant: not this receiver's verdict)"),
            v,
        ));
    }
    for (header, other, value) in blocks {
        for (k, v) in pairs(&value) {
            let mut meaning = forefront_meaning(&k, &v);
            if let Some(note) = other {
                meaning.push_str(note);
            } else {
                match k.to_ascii_uppercase().as_str() {
                    "SCL" => m.scl = m.scl.or(v.parse().ok()),
                    "SFV" => m.sfv = Some(v.to_ascii_uppercase()),
                    "CAT" => m.cat = Some(v.to_ascii_uppercase()),
                    _ => {}
                }
            }
            m.fields.push(Field {
                header,
                key: k,
                value: v,
                meaning,
            });
        }
    }
    if let Some(value) = unfolded(msg, ANTISPAM).into_iter().next() {
        for (k, v) in pairs(&value) {
            let meaning = match k.to_ascii_uppercase().as_str() {
                "BCL" => match v.parse::<u32>() {
                    Ok(n) => {
                        m.bcl = Some(n);
                        format!("bulk complaint level {n}: {}", bcl_meaning(n))
                    }
                    Err(_) => format!("bulk complaint level {v:?} is not a number"),
                },
                "PCL" => format!("phishing confidence level {v} (no longer used by Microsoft)"),
                _ => "not documented: used internally by Microsoft".into(),
            };
            m.fields.push(Field {
                header: ANTISPAM,
                key: k,
                value: v,
                meaning,
            });
        }
    }
    let single = [ORG_SCL, AUTH_AS, AUTH_SOURCE, AUTH_MECH];
    for header in single {
        let Some(value) = unfolded(msg, header).into_iter().next() else {
            continue;
        };
        let meaning = match header {
            ORG_SCL => match value.trim().parse::<i32>() {
                Ok(n) => {
                    m.scl = Some(n);
                    format!("spam confidence level {n}: {}", scl_meaning(n))
                }
                Err(_) => format!("spam confidence level {value:?} is not a number"),
            },
            AUTH_AS => match value.to_ascii_lowercase().as_str() {
                "anonymous" => {
                    "the sending server did not authenticate: mail from the internet".into()
                }
                "internal" => {
                    "sent from inside the organization (an authenticated user or server)".into()
                }
                "partner" => {
                    "sent by a partner organization over an authenticated connector".into()
                }
                _ => format!("authenticated as {value}"),
            },
            AUTH_SOURCE => {
                format!("the Exchange server that judged the sender's authentication: {value}")
            }
            _ => "authentication mechanism code (internal to Exchange)".into(),
        };
        m.fields.push(Field {
            header,
            key: header.to_string(),
            value,
            meaning,
        });
    }
    if m.fields.is_empty() {
        return None;
    }
    m.verdict = verdict(&m);
    Some(m)
}

fn verdict(m: &M365) -> String {
    let mut parts = Vec::new();
    if let Some(cat) = m.cat.as_deref().filter(|c| *c != "NONE") {
        parts.push(format!("category {cat} ({})", cat_meaning(cat)));
    }
    if let Some(sfv) = &m.sfv {
        parts.push(format!("SFV:{sfv} ({})", sfv_meaning(sfv)));
    }
    if let Some(scl) = m.scl {
        parts.push(format!("SCL {scl} ({})", scl_meaning(scl)));
    }
    if let Some(bcl) = m.bcl.filter(|b| *b > 0) {
        parts.push(format!("BCL {bcl} ({})", bcl_meaning(bcl)));
    }
    if parts.is_empty() {
        "Microsoft 365 headers present, no spam verdict among them".into()
    } else {
        format!("Microsoft 365 filtering: {}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Shaped like Microsoft's documented example and real EOP stamps.
    const PHISH: &str = "X-Forefront-Antispam-Report:\r\n CIP:203.0.113.9;CTRY:NL;LANG:en;SCL:9;SRV:;IPV:NLI;SFV:SPM;H:mail.bad.example;PTR:;CAT:PHSH;SFS:(13230040)(8096899003);DIR:INB;SFTY:9.25;\r\nX-Microsoft-Antispam: BCL:0;ARA:13230040|8096899003;\r\nX-MS-Exchange-Organization-SCL: 9\r\nX-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-MS-Exchange-Organization-AuthSource: BN2PEPF000044AC.namprd04.prod.outlook.com\r\nFrom: a@bad.example\r\n\r\nx\r\n";

    fn field<'a>(m: &'a M365, key: &str) -> &'a Field {
        m.fields.iter().find(|f| f.key == key).expect(key)
    }

    #[test]
    fn decodes_a_phishing_verdict() {
        let m = decode(&crate::message::parse(PHISH.as_bytes().to_vec())).unwrap();
        assert_eq!(m.scl, Some(9));
        assert_eq!(m.bcl, Some(0));
        assert_eq!(m.sfv.as_deref(), Some("SPM"));
        assert_eq!(m.cat.as_deref(), Some("PHSH"));
        assert!(field(&m, "CIP").meaning.contains("203.0.113.9"));
        assert!(field(&m, "PTR").meaning.contains("no reverse DNS"));
        assert!(field(&m, "SFTY").meaning.contains("first contact"));
        assert!(field(&m, "DIR").meaning.contains("inbound"));
        assert!(field(&m, "SFS").meaning.contains("internal"));
        assert!(field(&m, AUTH_AS).meaning.contains("did not authenticate"));
        assert!(m.verdict.contains("phishing") && m.verdict.contains("high confidence spam"));
    }

    #[test]
    fn the_receivers_inbound_report_is_the_verdict() {
        // The sending tenant's outbound stamp sits above the receiver's.
        let raw = "X-Forefront-Antispam-Report: CIP:255.255.255.255;CTRY:;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:AM0PR01MB1234.eurprd01.prod.outlook.com;PTR:;CAT:NONE;DIR:OUT;SFP:1102;\r\nX-Forefront-Antispam-Report: CIP:40.107.1.2;CTRY:IE;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:EUR01-DB5-obe.outbound.protection.outlook.com;PTR:(null);CAT:SPOOF;DIR:INB;SPF:Fail;DKIM:(null);DMARC:Fail;\r\nFrom: a@example.com\r\n\r\nx\r\n";
        let m = decode(&crate::message::parse(raw.as_bytes().to_vec())).unwrap();
        assert_eq!(m.scl, Some(5));
        assert_eq!(m.sfv.as_deref(), Some("SPM"));
        assert_eq!(m.cat.as_deref(), Some("SPOOF"));
        assert!(
            field(&m, "DIR").value == "INB",
            "the receiver's comes first"
        );
        let ptr = field(&m, "PTR");
        assert_eq!(ptr.value, "");
        assert!(ptr.meaning.contains("no reverse DNS"));
        assert!(
            field(&m, "SPF")
                .meaning
                .contains("SPF result Microsoft recorded: Fail")
        );
        assert!(field(&m, "DKIM").meaning.contains("no DKIM result"));
        let sender = m
            .fields
            .iter()
            .find(|f| f.key == "DIR" && f.value == "OUT")
            .unwrap();
        assert!(sender.meaning.contains("sending tenant"));
    }

    #[test]
    fn levels_and_absence() {
        assert!(scl_meaning(-1).contains("skipped"));
        assert!(scl_meaning(5).starts_with("spam"));
        assert!(bcl_meaning(8).contains("many complaints"));
        assert!(sfv_meaning("skq").contains("quarantine"));
        let plain = crate::message::parse(b"From: a@example.com\r\n\r\nx\r\n".to_vec());
        assert!(decode(&plain).is_none());
        let odd = crate::message::parse(
            b"X-Forefront-Antispam-Report: ;;:;SCL:x;ZZZ;CAT:;\r\nX-MS-Exchange-Organization-SCL: -1\r\n\r\n".to_vec(),
        );
        let m = decode(&odd).unwrap();
        assert_eq!(m.scl, Some(-1));
        assert!(field(&m, "SCL").meaning.contains("not a number"));
    }
}
