//! What a bounce's status code means, and whether it is about
//! authentication at all: RFC 3463's classes and subjects, RFC 7372's
//! authentication codes (X.7.20-X.7.26) and their neighbours, and the
//! vendor codes seen in real bounces (Microsoft 365, Gmail).
//!
//! A helpdesk pastes bounces of every kind; "the recipient does not exist"
//! must not be debugged as a DKIM failure.

use super::{Kind::Status as S, Topic, t};

/// A code's meaning for a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meaning {
    pub text: String,
    /// DKIM, SPF, DMARC or "unauthenticated" rejections.
    pub about_authentication: bool,
}

/// Known codes: (code, meaning, about authentication).
const KNOWN: &[(&str, &str, bool)] = &[
    ("5.7.20", "no passing DKIM signature found (RFC 7372)", true),
    (
        "5.7.21",
        "no acceptable DKIM signature found (RFC 7372)",
        true,
    ),
    (
        "5.7.22",
        "no valid author-matched DKIM signature found (RFC 7372)",
        true,
    ),
    ("5.7.23", "SPF validation failed (RFC 7372)", true),
    ("5.7.24", "SPF validation error (RFC 7372)", true),
    (
        "5.7.25",
        "reverse DNS validation failed: the sending IP has no matching PTR record (RFC 7372); not DKIM, SPF or DMARC: the sending IP's owner fixes its PTR record",
        false,
    ),
    (
        "5.7.26",
        "multiple authentication checks failed; Gmail uses it for DMARC (unauthenticated mail from a domain with a DMARC policy) and for mail that passes neither SPF nor DKIM (RFC 7372)",
        true,
    ),
    (
        "5.7.27",
        "Gmail: the sender does not pass SPF; RFC 7505: the sender address has a null MX",
        true,
    ),
    ("5.7.28", "mail flood detected (RFC 8098)", false),
    ("5.7.29", "ARC validation failure (RFC 8617)", true),
    (
        "5.7.509",
        "Microsoft: access denied, the sending domain does not pass DMARC and its policy is reject",
        true,
    ),
    (
        "5.7.515",
        "Microsoft: access denied, the sending domain does not meet the required authentication level (SPF, DKIM and DMARC for high-volume senders)",
        true,
    ),
    (
        "5.7.705",
        "Microsoft: access denied, the sending tenant has exceeded its threshold (too much spam or bulk mail sent)",
        false,
    ),
    (
        "5.7.708",
        "Microsoft: access denied, traffic not accepted from this IP (low reputation)",
        false,
    ),
    (
        "5.7.606",
        "Microsoft: access denied, banned sending IP",
        false,
    ),
    (
        "5.7.750",
        "Microsoft: client blocked from sending from an unregistered domain",
        false,
    ),
    (
        "5.1.10",
        "the recipient does not exist (Microsoft: recipient not found by SMTP address lookup)",
        false,
    ),
    (
        "5.1.1",
        "the recipient does not exist (bad destination mailbox address)",
        false,
    ),
    (
        "5.1.0",
        "a problem with an address (other address status)",
        false,
    ),
    (
        "5.1.2",
        "the recipient's domain does not exist or does not accept mail (bad destination system address)",
        false,
    ),
    (
        "5.1.3",
        "the recipient address is not valid (bad destination mailbox address syntax)",
        false,
    ),
    ("5.1.6", "the recipient's mailbox has moved", false),
    (
        "5.1.8",
        "the sender's address domain is not valid (bad sender's system address)",
        false,
    ),
    (
        "5.2.1",
        "the recipient's mailbox is disabled, not accepting messages",
        false,
    ),
    ("5.2.2", "the recipient's mailbox is full", false),
    (
        "4.2.2",
        "the recipient's mailbox is full (temporary)",
        false,
    ),
    (
        "5.2.3",
        "the message is larger than the recipient accepts",
        false,
    ),
    ("5.3.4", "the message is too big for the system", false),
    (
        "5.4.1",
        "no answer from the recipient's host (Microsoft: the recipient domain does not accept mail here)",
        false,
    ),
    (
        "5.4.4",
        "unable to route: the recipient's domain cannot be found",
        false,
    ),
    (
        "4.4.7",
        "delivery time expired: the message stayed in the queue too long",
        false,
    ),
    (
        "5.4.7",
        "delivery time expired: the message stayed in the queue too long",
        false,
    ),
    ("5.5.0", "a protocol error in the SMTP conversation", false),
    ("5.7.0", "a security or policy reason (other)", false),
    (
        "5.7.1",
        "delivery not authorized, message refused (the text says why)",
        false,
    ),
    ("5.7.9", "the authentication mechanism is too weak", false),
    (
        "5.7.133",
        "Microsoft: the recipient group does not accept mail from outside the organisation",
        false,
    ),
    (
        "5.7.134",
        "Microsoft: the recipient mailbox does not accept mail from outside the organisation",
        false,
    ),
];

/// RFC 3463 §3: the subject of `X.Y.*`.
fn subject(y: &str) -> &'static str {
    match y {
        "0" => "other or undefined status",
        "1" => "an addressing status",
        "2" => "a mailbox status",
        "3" => "a mail system status",
        "4" => "a network and routing status",
        "5" => "a mail delivery protocol status",
        "6" => "a message content or media status",
        "7" => "a security or policy status",
        _ => "an unknown subject",
    }
}

/// Words in a bounce line that make a rejection about authentication.
const AUTH_WORDS: &[&str] = &[
    "dkim",
    "spf",
    "dmarc",
    "unauthenticated",
    "authentication",
    "not authenticated",
    "sender authenticity",
    "domainkeys",
];

/// Words of a rejection that wants the sender logged in, not a DKIM, SPF
/// or DMARC pass (Exchange's RESOLVER.RST.AuthRequired).
const SENDER_LOGIN_WORDS: &[&str] = &[
    "authrequired",
    "authentication required",
    "authentication is required",
    "smtp auth",
];

/// The meaning of `code` (an enhanced status code), with `line` (the
/// bounce's own words) deciding for generic codes such as 5.7.1.
pub fn meaning(code: &str, line: &str) -> Meaning {
    let lower = line.to_ascii_lowercase();
    // "Authentication required" asks the sender to log in (SMTP AUTH, or
    // an internal-only recipient), which no DNS record or signature fixes.
    if code.starts_with("5.7.") && SENDER_LOGIN_WORDS.iter().any(|w| lower.contains(w)) {
        return Meaning {
            text: "the recipient accepts mail only from authenticated senders (logged in over SMTP, or inside its organisation): not DKIM, SPF or DMARC".to_string(),
            about_authentication: false,
        };
    }
    let words = AUTH_WORDS.iter().any(|w| lower.contains(w));
    if let Some(&(_, text, auth)) = KNOWN.iter().find(|(c, _, _)| *c == code) {
        // A recipient, mailbox or expiry code stays what it is whatever the
        // text quotes; a policy code is about authentication when it says so.
        let policy = code.starts_with("5.7.") || code.starts_with("4.7.") || code == "5.1.0";
        return Meaning {
            text: text.to_string(),
            about_authentication: auth || (policy && words),
        };
    }
    let mut parts = code.split('.');
    let class = match parts.next() {
        Some("2") => "success",
        Some("4") => "temporary failure",
        Some("5") => "permanent failure",
        _ => "unknown class",
    };
    let subj = subject(parts.next().unwrap_or_default());
    Meaning {
        text: format!("{class}: {subj} (RFC 3463)"),
        about_authentication: words && code.contains(".7."),
    }
}

/// A short noun phrase for a headline: "DMARC", "SPF", "DKIM",
/// "authentication".
pub fn auth_kind(code: &str, line: &str) -> &'static str {
    let lower = line.to_ascii_lowercase();
    let (dkim, spf) = (lower.contains("dkim"), lower.contains("spf"));
    if code == "5.7.509" || lower.contains("dmarc") {
        "DMARC"
    } else if matches!(code, "5.7.20" | "5.7.21" | "5.7.22") {
        "DKIM"
    } else if matches!(code, "5.7.23" | "5.7.24" | "5.7.27") {
        "SPF"
    } else if dkim && spf {
        // Gmail: "Gmail requires all senders to authenticate with either
        // SPF or DKIM".
        "SPF and DKIM"
    } else if dkim {
        "DKIM"
    } else if spf {
        "SPF"
    } else if code == "5.7.25" {
        "reverse DNS"
    } else {
        "authentication"
    }
}

/// The teaching topics (`dkimscope explain 5.7.26`).
pub static TOPICS: std::sync::LazyLock<Vec<Topic>> = std::sync::LazyLock::new(|| {
    KNOWN
        .iter()
        .map(|&(code, text, auth)| {
            t(
                S,
                code,
                "bounce status code",
                text,
                if auth {
                    "A rejection about authentication: the receiver did not accept the sender's SPF, DKIM or DMARC result. Check the reported message with dkimscope to see which signature or record failed; the sending domain's admin fixes it."
                } else {
                    "Not about authentication: DKIM, SPF and DMARC are not why this message bounced. Fix what the code says (the address, the mailbox, the route or the sender's reputation)."
                },
                "RFC 3463, RFC 7372; vendor codes from their documentation",
                "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy",
            )
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_an_authentication_rejection_is_for() {
        assert_eq!(auth_kind("5.7.509", ""), "DMARC");
        assert_eq!(
            auth_kind(
                "5.7.26",
                "550 5.7.26 unauthenticated; domain's DMARC policy"
            ),
            "DMARC"
        );
        assert_eq!(
            auth_kind(
                "5.7.26",
                "550 5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM."
            ),
            "SPF and DKIM"
        );
        assert_eq!(auth_kind("5.7.26", "550 5.7.26 SPF hard fail"), "SPF");
        assert_eq!(auth_kind("5.7.27", "550 5.7.27 SPF or DKIM"), "SPF");
        assert_eq!(
            auth_kind("5.7.1", "550 5.7.1 unauthenticated"),
            "authentication"
        );
    }

    #[test]
    fn auth_or_not() {
        assert!(meaning("5.7.26", "").about_authentication);
        assert!(meaning("5.7.509", "").about_authentication);
        assert!(!meaning("5.1.10", "DKIM whatever").about_authentication);
        assert!(!meaning("5.2.2", "").about_authentication);
        assert!(meaning("5.7.1", "550 5.7.1 DKIM signature did not verify").about_authentication);
        assert!(!meaning("5.7.1", "550 5.7.1 relaying denied").about_authentication);
        // Exchange's "log in first" is not about DKIM, SPF or DMARC.
        let login = meaning(
            "5.7.1",
            "#550 5.7.1 RESOLVER.RST.AuthRequired; authentication required ##rfc822;a@example.jp",
        );
        assert!(!login.about_authentication);
        assert!(login.text.contains("authenticated senders"));
        assert_eq!(
            meaning("4.3.9", "x").text,
            "temporary failure: a mail system status (RFC 3463)"
        );
        assert_eq!(
            auth_kind("5.7.26", "unauthenticated ... DMARC policy"),
            "DMARC"
        );
    }
}
