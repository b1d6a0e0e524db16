//! The key pane: the query name, every CNAME hop with its TTL, who
//! answered, the answer's DNSSEC status, the raw TXT strings and their
//! concatenation, the key's tags, type and size, and the time taken (`r`
//! looks again).

use ratatui::text::Line;

use super::{Text, safe, safe_bytes};
use crate::dns::{Answer, Dnssec, ServedBy};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn text(app: &App, theme: &Theme) -> Text {
    let mut t = Text::default();
    let Some(sig) = app.selected_sig() else {
        t.push(Line::from(
            " This message has no DKIM-Signature: no key to look up.",
        ));
        return t;
    };
    if sig.d.is_empty() || sig.s.is_empty() {
        t.push(Line::from(
            " The signature lacks d= or s=: there is no key name to ask for.",
        ));
        return t;
    }
    let mut lines: Vec<Line<'static>> = Vec::new();
    let name = sig.key_name();
    // The selector names the key.
    let mut topics = vec![(0, "s".to_string())];
    lines.push(Line::styled(
        format!(" query: TXT {}", safe(&name)),
        theme.title(),
    ));
    let lookup = app.selected().and_then(|s| s.check.lookup.as_ref());
    match lookup {
        None if app.resolving() => {
            let how = if app.offline {
                "reading the keys files for"
            } else {
                "resolving"
            };
            lines.push(Line::styled(
                format!(" {how} {}…", safe(&name)),
                theme.highlight(),
            ));
        }
        None => lines.push(Line::from(" not looked up")),
        Some(l) => {
            let time = format!("{} ms", l.elapsed.as_millis());
            lines.push(Line::from(format!(
                " answered by: {}   time: {time}",
                safe(&l.served_by.to_string())
            )));
            let why = match (l.dnssec, &l.served_by) {
                (Dnssec::Secure, _) => "its signatures chain to the trust anchor",
                (Dnssec::Insecure, _) => "the zone is not signed",
                (Dnssec::Bogus, _) => {
                    "validation failed: a validating receiver gets SERVFAIL, so the key is a DNS error"
                }
                (Dnssec::Unknown, ServedBy::Resolver(_)) => {
                    "the resolver set no AD bit; --dnssec validate checks it here"
                }
                (Dnssec::Unknown, _) => "not said by the keys file",
            };
            let line = format!(" DNSSEC: {}  ({why})", l.dnssec);
            lines.push(if l.dnssec == Dnssec::Bogus {
                Line::styled(line, theme.problem())
            } else {
                Line::from(line)
            });
            for h in &l.hops {
                let ttl = h
                    .ttl
                    .map(|t| format!("ttl {t}"))
                    .unwrap_or_else(|| "ttl ?".into());
                let at = h
                    .origin
                    .as_ref()
                    .map(|o| format!("  ({}:{})", safe(&o.path), o.line))
                    .unwrap_or_default();
                lines.push(Line::from(format!(
                    " CNAME {} -> {}  {ttl}{at}",
                    safe(&h.from),
                    safe(&h.to)
                )));
            }
            topics.push((lines.len(), "key:p".to_string()));
            lines.push(Line::styled(
                format!(" answer: {}", safe(&l.answer.to_string())),
                theme.title(),
            ));
            if let Answer::Txt(records) = &l.answer {
                let chosen = app.selected().and_then(|s| s.check.key_record);
                for (i, r) in records.iter().enumerate() {
                    let mark = if Some(i) == chosen {
                        " (used as the key)"
                    } else {
                        ""
                    };
                    let ttl = r.ttl.map(|t| format!(", ttl {t}")).unwrap_or_default();
                    lines.push(Line::from(format!(
                        " TXT record {}{mark}: {}{ttl}",
                        i + 1,
                        crate::plural::count(r.strings.len(), "string", "strings")
                    )));
                    for s in &r.strings {
                        lines.push(Line::from(format!("   \"{}\"", safe_bytes(s))));
                    }
                    if r.strings.len() > 1 {
                        lines.push(Line::styled(
                            format!("   joined: {}", safe_bytes(&r.joined())),
                            theme.dim(),
                        ));
                    }
                }
            }
            if matches!(l.answer, Answer::OfflineMissing) {
                lines.push(Line::from(format!(
                    " fetch it with: {}",
                    crate::dns::dig_command(&name)
                )));
            }
        }
    }
    if let Some(k) = app.selected().and_then(|s| s.check.key.as_ref()) {
        lines.push(Line::from(""));
        lines.push(Line::styled(" key record tags:", theme.title()));
        for t in &k.tags.tags {
            let v = safe_bytes(&t.value);
            let v = if v.len() > 70 {
                format!(
                    "{}… ({} chars)",
                    &v.chars().take(60).collect::<String>(),
                    v.len()
                )
            } else {
                v
            };
            topics.push((
                lines.len(),
                super::known_or(format!("key:{}", t.name), "key:v"),
            ));
            lines.push(Line::from(format!(
                "   {}={}   {}",
                safe(&t.name),
                v,
                crate::tui::tag_meaning(&format!("key:{}", t.name))
            )));
        }
        if let Some(p) = &k.public {
            lines.push(Line::from(format!(" key: {}", p.describe())));
        }
        for i in &k.issues {
            lines.push(Line::styled(
                format!(" {}: {}", i.code, safe(&i.message)),
                theme.problem(),
            ));
        }
    }
    if let Some(m) = app
        .report()
        .and_then(|r| r.m365_dkim.as_ref())
        .filter(|m| m.signature == app.sig)
    {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(
                " Microsoft 365 pair: selector1 {}, selector2 {}",
                m.story.selector1.as_str(),
                m.story.selector2.as_str()
            ),
            theme.title(),
        ));
        lines.push(Line::from(format!(" {}", safe(&m.story.note))));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        if app.offline {
            " offline: keys come only from --keys files"
        } else {
            " r looks the key up again · y copies the dig command"
        },
        theme.dim(),
    ));
    t.lines = lines;
    t.topics = topics;
    t
}
