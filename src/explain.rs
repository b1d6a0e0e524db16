//! The teaching texts: what each tag, result and diagnosis means.
//! (A first set; the full catalogue grows with the explain command.)

pub struct Topic {
    pub name: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub short: &'static str,
    pub body: &'static str,
    pub rfc: &'static str,
    pub example: &'static str,
}

const TOPICS: &[Topic] = &[];

pub fn all() -> &'static [Topic] {
    TOPICS
}

pub fn lookup(topic: &str) -> Option<&'static Topic> {
    let t = topic.trim().trim_end_matches('=').to_ascii_lowercase();
    TOPICS.iter().find(|x| x.name == t)
}
