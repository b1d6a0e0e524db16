//! Counts in words, singular when the count is one: `1 set`, `2 sets`,
//! `0 hops`. Every report and pane says counts through here, so none prints
//! "1 seconds" or "set(s)".

/// `n` followed by `one` when `n` is 1, else by `many`.
pub fn count(n: impl std::fmt::Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    let word = if n == "1" { one } else { many };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_others_plural() {
        assert_eq!(count(1usize, "set", "sets"), "1 set");
        assert_eq!(count(0u64, "set", "sets"), "0 sets");
        assert_eq!(count(2i64, "date", "dates"), "2 dates");
        assert_eq!(count(11u32, "hop", "hops"), "11 hops");
    }
}
