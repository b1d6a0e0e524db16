//! Microsoft 365's selector pair, one story from two answers. A domain
//! that lets Microsoft sign publishes `selector1._domainkey` and
//! `selector2._domainkey` as CNAMEs into the tenant (`*.onmicrosoft.com`,
//! or the newer `*.dkim.mail.microsoft`); Microsoft signs with one and
//! publishes the other's key at the next rotation. What the two answers
//! mean depends on which selector signed, when a message says so: `check`
//! and `selectors` both tell it through [`story`], so they never differ.

use crate::dns::{Answer, TxtLookup};

/// The two selector names Microsoft 365 uses.
pub const PAIR: [&str; 2] = ["selector1", "selector2"];

/// The other selector of the pair, when `s` is one of them.
pub fn partner(s: &str) -> Option<&'static str> {
    match s.to_ascii_lowercase().as_str() {
        "selector1" => Some("selector2"),
        "selector2" => Some("selector1"),
        _ => None,
    }
}

/// A name inside Microsoft 365's DKIM key zones.
pub fn is_m365_target(name: &str) -> bool {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    n.ends_with(".onmicrosoft.com") || n.ends_with(".dkim.mail.microsoft")
}

/// True when the lookup's CNAME chain leads into Microsoft 365.
pub fn points_to_m365(l: &TxtLookup) -> bool {
    l.hops.iter().any(|h| is_m365_target(&h.to))
}

/// What one selector of the pair answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The CNAME's target publishes a record.
    Resolves,
    /// A CNAME into Microsoft 365 whose target does not resolve.
    Dangling,
    /// No CNAME into Microsoft 365 at this name.
    NotPublished,
    /// Offline, a DNS error or not asked: nothing can be said.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Resolves => "resolves",
            State::Dangling => "dangling",
            State::NotPublished => "not-published",
            State::Unknown => "unknown",
        }
    }

    /// The state of one lookup (None: the name was not asked).
    pub fn of(l: Option<&TxtLookup>) -> State {
        let Some(l) = l else {
            return State::Unknown;
        };
        match &l.answer {
            Answer::Txt(r) if !r.is_empty() && points_to_m365(l) => State::Resolves,
            Answer::Txt(_) | Answer::NxDomain | Answer::NoData | Answer::CnameLoop => {
                if points_to_m365(l) {
                    State::Dangling
                } else {
                    State::NotPublished
                }
            }
            _ => State::Unknown,
        }
    }
}

/// The pair's story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// The selector that signed the message, when there is a message.
    pub signed_by: Option<String>,
    pub selector1: State,
    pub selector2: State,
    /// A stable word for what it means: `rotation-ready`, `normal`,
    /// `rotation-in-progress`, `signing-key-not-published`,
    /// `dkim-not-enabled`, `one-cname-only`, `unknown`.
    pub meaning: &'static str,
    /// The same in a sentence.
    pub note: String,
}

/// Tell the pair's story from the two answers (either may be missing),
/// and which selector signed, when a message says so. None when neither
/// selector points into Microsoft 365.
pub fn story(
    selector1: Option<&TxtLookup>,
    selector2: Option<&TxtLookup>,
    signed_by: Option<&str>,
) -> Option<Story> {
    let (s1, s2) = (State::of(selector1), State::of(selector2));
    if !matches!(s1, State::Resolves | State::Dangling)
        && !matches!(s2, State::Resolves | State::Dangling)
    {
        return None;
    }
    let signed = signed_by.and_then(|s| {
        PAIR.iter()
            .copied()
            .find(|p| p.eq_ignore_ascii_case(s))
            .map(str::to_string)
    });
    let state = |name: &str| if name == PAIR[0] { s1 } else { s2 };
    let (meaning, note) = match &signed {
        Some(me) => {
            let other = partner(me).unwrap_or(PAIR[0]);
            match (state(me), state(other)) {
                (_, State::Unknown) | (State::Unknown, _) => (
                    "unknown",
                    format!("Microsoft 365 signed with {me}; the other selector's answer is not available (offline or a DNS error), so the pair cannot be read"),
                ),
                (State::Resolves, State::Resolves) => (
                    "rotation-ready",
                    format!("Microsoft 365 signed with {me}, whose key resolves; {other} resolves too, ready for the next rotation"),
                ),
                (State::Resolves, State::Dangling) => (
                    "normal",
                    format!("Microsoft 365 signed with {me}, whose key resolves; {other}'s target does not resolve yet, which is normal: Microsoft publishes it at the next rotation"),
                ),
                (State::Resolves, _) => (
                    "one-cname-only",
                    format!("Microsoft 365 signed with {me}, whose key resolves; {other} has no CNAME into Microsoft 365, so the next rotation will break signing until it is published"),
                ),
                (_, State::Resolves) => (
                    "rotation-in-progress",
                    format!("Microsoft 365 signed with {me}, but its key is not published while {other}'s is: a rotation in progress (Microsoft switched to {me} before its key was published) or {me}'s CNAME points at the wrong target; receivers see no key for {me}"),
                ),
                _ => (
                    "signing-key-not-published",
                    format!("Microsoft 365 signed with {me}, but neither selector's target resolves: the signing selector's key is not published (DKIM is not enabled for this domain in the tenant, or not yet provisioned); enable it in the Defender portal's DKIM page or with Set-DkimSigningConfig -Enabled $true"),
                ),
            }
        }
        None => match (s1, s2) {
            (State::Unknown, _) | (_, State::Unknown) => (
                "unknown",
                "Microsoft 365: one selector's answer is not available (offline or a DNS error), so the pair cannot be read".to_string(),
            ),
            (State::Resolves, State::Resolves) => (
                "rotation-ready",
                "Microsoft 365: both selector targets publish keys; Microsoft signs with one and keeps the other for rotation".to_string(),
            ),
            (State::Resolves, State::Dangling) | (State::Dangling, State::Resolves) => {
                let (live, idle) = if s1 == State::Resolves {
                    (PAIR[0], PAIR[1])
                } else {
                    (PAIR[1], PAIR[0])
                };
                (
                    "normal",
                    format!("Microsoft 365: {live} resolves and {idle}'s target does not: the normal state if Microsoft signs with {live} (it publishes {idle}'s key at the next rotation); mail signed with {idle} finds no key"),
                )
            }
            (State::Resolves, _) | (_, State::Resolves) => {
                let (live, idle) = if s1 == State::Resolves {
                    (PAIR[0], PAIR[1])
                } else {
                    (PAIR[1], PAIR[0])
                };
                (
                    "one-cname-only",
                    format!("Microsoft 365: {live} resolves; {idle} has no CNAME into Microsoft 365, so the next rotation will break signing until it is published"),
                )
            }
            _ => (
                "dkim-not-enabled",
                "Microsoft 365: no selector target resolves to a key, so DKIM signing is not enabled at Microsoft 365 for this domain (turn it on in the Defender portal's DKIM page or with Set-DkimSigningConfig -Enabled $true); until then Microsoft signs as the onmicrosoft.com domain, which does not align with this From domain".to_string(),
            ),
        },
    };
    Some(Story {
        signed_by: signed,
        selector1: s1,
        selector2: s2,
        meaning,
        note,
    })
}

/// The story for a message: the first signature made with one of the pair
/// whose names point into Microsoft 365, and what its two selectors answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageStory {
    /// Index into `Report.signatures`.
    pub signature: usize,
    pub domain: String,
    pub story: Story,
}

/// Find the story among `(index, d=, s=)` of every signature, with the
/// answers `get` returns by name.
pub fn for_message<'a>(
    sigs: impl IntoIterator<Item = (usize, &'a str, &'a str)>,
    get: impl Fn(&str) -> Option<&'a TxtLookup>,
) -> Option<MessageStory> {
    sigs.into_iter().find_map(|(index, d, s)| {
        partner(s)?;
        let name = |sel: &str| format!("{sel}._domainkey.{}", d.to_ascii_lowercase());
        let story = story(get(&name(PAIR[0])), get(&name(PAIR[1])), Some(s))?;
        Some(MessageStory {
            signature: index,
            domain: d.to_ascii_lowercase(),
            story,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{CnameHop, ServedBy, TxtRecord};

    fn answer(sel: &str, cname: bool, resolves: bool) -> TxtLookup {
        let query = format!("{sel}._domainkey.contoso.example");
        let target = format!("{sel}-contoso-example._domainkey.contoso.onmicrosoft.com");
        TxtLookup {
            query: query.clone(),
            hops: if cname {
                vec![CnameHop {
                    from: query,
                    to: target,
                    ttl: Some(3600),
                    origin: None,
                }]
            } else {
                Vec::new()
            },
            answer: if resolves {
                Answer::Txt(vec![TxtRecord {
                    strings: vec![b"v=DKIM1; p=AAAA".to_vec()],
                    ttl: None,
                    origin: None,
                }])
            } else {
                Answer::NxDomain
            },
            served_by: ServedBy::Offline,
            elapsed: std::time::Duration::ZERO,
            soa: None,
            recorded: None,
            dnssec: crate::dns::Dnssec::Unknown,
        }
    }

    fn meaning(s1: &TxtLookup, s2: &TxtLookup, signed: Option<&str>) -> &'static str {
        story(Some(s1), Some(s2), signed).map_or("-", |s| s.meaning)
    }

    #[test]
    fn the_signing_selector_decides_the_story() {
        let (live1, dang1) = (
            answer("selector1", true, true),
            answer("selector1", true, false),
        );
        let (live2, dang2) = (
            answer("selector2", true, true),
            answer("selector2", true, false),
        );
        // Signed by the live one: normal; by the dangling one: its key is
        // not published, and "expected" would be a lie.
        assert_eq!(meaning(&dang1, &live2, Some("selector2")), "normal");
        assert_eq!(
            meaning(&dang1, &live2, Some("selector1")),
            "rotation-in-progress"
        );
        assert_eq!(meaning(&live1, &live2, Some("selector1")), "rotation-ready");
        assert_eq!(
            meaning(&dang1, &dang2, Some("selector1")),
            "signing-key-not-published"
        );
        assert_eq!(meaning(&dang1, &dang2, None), "dkim-not-enabled");
        assert_eq!(meaning(&dang1, &live2, None), "normal");
        let none2 = answer("selector2", false, false);
        assert_eq!(meaning(&live1, &none2, Some("selector1")), "one-cname-only");
        // Neither into Microsoft 365: no story.
        let none1 = answer("selector1", false, false);
        assert_eq!(meaning(&none1, &none2, Some("selector1")), "-");
        // The other answer missing: nothing concluded.
        let s = story(Some(&dang1), None, Some("selector1")).map(|s| s.meaning);
        assert_eq!(s, Some("unknown"));
    }

    #[test]
    fn newer_microsoft_targets_count() {
        assert!(is_m365_target(
            "selector1-x._domainkey.x.n-v1.dkim.mail.microsoft."
        ));
        assert!(is_m365_target("a.CONTOSO.onmicrosoft.com"));
        assert!(!is_m365_target("onmicrosoft.com.evil.example"));
    }
}
