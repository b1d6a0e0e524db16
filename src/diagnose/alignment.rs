//! DMARC identifier alignment of a signing domain with the From domain
//! (RFC 7489 §3.1), organizational domains by the Public Suffix List.

use crate::message::Message;

/// The domain of the single From address, lower-case.
pub fn from_domain(msg: &Message) -> Option<String> {
    let mut froms = msg.fields("from");
    let (_, field) = froms.next()?;
    if froms.next().is_some() {
        return None;
    }
    let value = String::from_utf8_lossy(msg.value_bytes(field)).into_owned();
    let addr = match (value.rfind('<'), value.rfind('>')) {
        (Some(a), Some(b)) if a < b => value[a + 1..b].to_string(),
        _ => value
            .split_whitespace()
            .find(|w| w.contains('@'))?
            .to_string(),
    };
    let domain = addr
        .rsplit_once('@')?
        .1
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// The organizational domain: the registrable domain by the PSL, or the
/// name itself when the list has no answer.
pub fn org_domain(name: &str) -> String {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&name).map(str::to_string).unwrap_or(name)
}

pub fn relaxed_aligned(d: &str, from: &str) -> bool {
    org_domain(d) == org_domain(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_alignment_uses_the_psl() {
        assert!(relaxed_aligned("mail.example.com", "example.com"));
        assert!(relaxed_aligned("a.example.co.uk", "b.example.co.uk"));
        assert!(!relaxed_aligned("example.co.uk", "other.co.uk"));
        assert!(!relaxed_aligned("esp.example.net", "example.com"));
    }
}
