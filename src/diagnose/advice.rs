//! Plain words for a verdict: what broke, and who must do what about it.

use super::{Report, SignatureReport};
use crate::dkim::codes::{Diagnosis, Outcome, Warning};

/// Who must act on a diagnosis, and what they should do (short form):
/// the diagnosis topic's short text in [`crate::explain`], so the report
/// and `dkimscope explain` never say different things.
pub fn action(d: Diagnosis) -> &'static str {
    crate::explain::topic(crate::explain::Kind::Diagnosis, d.as_str())
        .map_or("See `dkimscope explain` for this diagnosis.", |t| t.short)
}

/// What to do about one checked signature: [`action`] for its diagnosis,
/// except for a signature that was valid when delivered (nothing to fix:
/// re-check as of delivery).
pub fn advise(c: &crate::dkim::verify::SignatureCheck) -> std::borrow::Cow<'static, str> {
    if super::timing::valid_at_delivery(c) {
        return "Nothing to fix at the signer: the signature was valid when the message was delivered and x= passed later. Re-check with --at delivery to see the verdict it had then.".into();
    }
    if super::timing::expired_later(c) {
        let fetch = c
            .key_name
            .as_deref()
            .map(|n| format!(" ({})", crate::dns::dig_command(n)))
            .unwrap_or_default();
        return format!("The expiry is not the problem: x= passed after the message was delivered. The key could not be fetched: fetch it{fetch}, add it with --keys, and re-check with --at delivery.").into();
    }
    action(c.diagnosis).into()
}

fn label(s: &SignatureReport) -> String {
    let c = &s.check;
    if c.sig.d.is_empty() {
        format!("signature #{}", c.index + 1)
    } else {
        format!("the signature of {} (s={})", c.sig.d, c.sig.s)
    }
}

/// One line for the whole message; for a bounce, what the bounce is about
/// comes first.
pub fn headline(r: &Report) -> String {
    let rest = message_headline(r);
    // Where on the path it changed, when a host can be named.
    let rest = match r.path.brk.as_ref().and_then(|b| b.story.as_ref()) {
        Some(story) => format!("{story}. {rest}"),
        None => rest,
    };
    match bounce_lead(r) {
        Some(lead) => format!("{lead} {rest}"),
        None => rest,
    }
}

/// "Gmail rejected it for DMARC (5.7.26): the reported message shows:",
/// "This bounce is not about authentication: ... (5.1.10). ..."; for a
/// bounce without a copy of the reported message, that the bounce itself
/// follows.
pub fn bounce_lead(r: &Report) -> Option<String> {
    use crate::explain::status::{auth_kind, meaning};
    let b = r.message.bounce.as_ref()?;
    let code = b.status.as_ref().and_then(|st| st.code.as_deref());
    let (Some(st), Some(code)) = (b.status.as_ref(), code) else {
        return (!b.opened).then(|| {
            "This looks like a bounce, but it gives no status code and no copy of the reported message was found in it; the bounce itself:".to_string()
        });
    };
    let then = if b.opened {
        "The reported message, for the record:"
    } else {
        "No copy of the reported message was found in it; the bounce itself:"
    };
    let m = meaning(code, &st.line);
    // Who and why are read from every line of the same SMTP reply: vendors
    // spread one over several ("550-5.7.26 ... domain's" / "550-5.7.26
    // DMARC policy" / "... gsmtp"). The bounce's other lines are the
    // reporting server's (an Exchange Online NDR for someone else's
    // rejection), not the rejecting one's.
    let same_reply = |d: &&String| match st.reply {
        Some(r) => d.contains(&format!("{r}-{code}")) || d.contains(&format!("{r} {code}")),
        None => d.contains(code),
    };
    let reply: Vec<&str> = b
        .diagnostics
        .iter()
        .filter(same_reply)
        .map(String::as_str)
        .collect();
    let all = format!("{} {}", st.line, reply.join(" "));
    let line = all.to_ascii_lowercase();
    if m.about_authentication {
        let who = if line.contains("google")
            || line.contains("gmail")
            || code == "5.7.26" && line.contains("gsmtp")
        {
            "Gmail"
        } else if code.starts_with("5.7.5")
            || line.contains("outlook")
            || line.contains("microsoft")
        {
            "Microsoft 365"
        } else if line.contains("yahoo") {
            "Yahoo"
        } else {
            "The receiver"
        };
        Some(if b.opened {
            format!(
                "{who} rejected it for {} ({code}); the reported message:",
                auth_kind(code, &all)
            )
        } else {
            format!(
                "{who} rejected it for {} ({code}). No copy of the reported message was found in the bounce, so its signatures cannot be checked here: ask the sender for the message or its headers. The bounce itself:",
                auth_kind(code, &all)
            )
        })
    } else {
        Some(format!(
            "This bounce is not about authentication: {} ({code}). {then}",
            m.text
        ))
    }
}

/// The passing signature aligned with the From domain, if any: it carries
/// DKIM for DMARC whatever the others say, so it leads the headline.
pub fn decides(r: &Report) -> Option<&SignatureReport> {
    r.signatures.iter().find(|s| {
        s.check.result == Outcome::Pass
            && r.from_domain.is_some()
            && !s
                .check
                .warnings
                .iter()
                .any(|(w, _)| *w == Warning::NotAlignedWithFrom)
    })
}

fn message_headline(r: &Report) -> String {
    if r.signatures.is_empty() && r.message.bounce.as_ref().is_some_and(|b| !b.opened) {
        return "The bounce carries no DKIM-Signature of its own (many servers send bounces unsigned).".into();
    }
    if r.signatures.is_empty() {
        return "The message carries no DKIM-Signature: it was never signed. The sending domain's admin must turn on DKIM signing.".into();
    }
    let failing: Vec<&SignatureReport> = r
        .signatures
        .iter()
        .filter(|s| s.check.result != Outcome::Pass)
        .collect();
    let passing = r.signatures.len() - failing.len();
    // What decides the message comes first: a passing signature aligned
    // with the From domain carries DKIM for DMARC whatever the others say.
    if let (Some(d), Some(f)) = (decides(r), failing.first()) {
        return format!(
            "{} verifies and is aligned with the From domain: it decides DKIM for this message. {} other signature{} do{} not verify: {} {}: {}.",
            capitalize(&label(d)),
            failing.len(),
            if failing.len() == 1 { "" } else { "s" },
            if failing.len() == 1 { "es" } else { "" },
            capitalize(&label(f)),
            verb(f),
            f.check.reason,
        );
    }
    match failing.first() {
        None => {
            let body = if r
                .signatures
                .iter()
                .any(|s| s.check.diagnosis == Diagnosis::HeadersOnlyPass)
            {
                " over the headers; the body was not supplied, so it was not checked"
            } else {
                ""
            };
            match r.signatures.as_slice() {
                [only] => format!("{} verifies{body}.", capitalize(&label(only))),
                all => format!("All {} signatures verify{body}.", all.len()),
            }
        }
        Some(f) => {
            let also = others_verify(r, passing);
            format!(
                "{} {}: {}. {}{also}",
                capitalize(&label(f)),
                verb(f),
                f.check.reason,
                advise(&f.check)
            )
        }
    }
}

/// " (1 other signature verifies, but it is not aligned with the From
/// domain example.org: DMARC cannot pass on it)", for a headline that leads
/// with a failing signature while `passing` others verify. A passing
/// signature aligned with From would lead the headline instead, so the
/// others here are not aligned when the message has a From domain; saying
/// so keeps "dkim=pass" from reading as "all is well".
pub fn others_verify(r: &Report, passing: usize) -> String {
    if passing == 0 {
        return String::new();
    }
    let n = if passing == 1 {
        "1 other signature verifies".to_string()
    } else {
        format!("{passing} other signatures verify")
    };
    match &r.from_domain {
        Some(f) => format!(
            " ({n}, but {} not aligned with the From domain {f}: DMARC cannot pass on {})",
            if passing == 1 { "it is" } else { "they are" },
            if passing == 1 { "it" } else { "them" }
        ),
        None => format!(" ({n})"),
    }
}

fn verb(f: &SignatureReport) -> &'static str {
    match f.check.result {
        Outcome::TempError => "could not be checked",
        Outcome::Policy => "is not acceptable",
        _ => "fails",
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
