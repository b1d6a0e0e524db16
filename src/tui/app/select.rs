//! What the cursor is on: the topic `e` explains, the text `y` copies, the
//! header fields a search matches; and the open-file prompt's path help
//! (`~` and Tab completion).

use super::{App, Overlay, Pane, Part};
use crate::dkim::codes::{Status, Step};

impl App {
    /// The topic of the row under the cursor: the selected tag (its
    /// problem, or its value for `a=`), step or header field, the row a
    /// text pane shows first. `None` where the row has none of its own.
    pub fn row_topic(&self) -> Option<String> {
        let unsigned = self.report().is_some_and(|r| r.signatures.is_empty());
        let topic = match self.focus {
            Pane::Signature => crate::tui::view::signature_topic(self),
            Pane::Trace => self.selected().and_then(|s| {
                let step = s.check.steps.get(self.step_row)?;
                if step.status == Status::Fail {
                    return Some(s.check.diagnosis.as_str().to_string());
                }
                let tag = match step.step {
                    Step::Body => "bh",
                    Step::Headers => "h",
                    Step::Signature => "b",
                    Step::Key => "key:p",
                    Step::Tags => "v",
                    Step::Locate => "dkim-signature",
                    Step::Verdict => return Some(s.check.diagnosis.as_str().to_string()),
                };
                Some(tag.to_string())
            }),
            Pane::Headers => self.message().and_then(|m| {
                let h = m.headers.get(self.header_row)?;
                Some(h.name.clone())
            }),
            Pane::Overview => self
                .selected()
                .map(|s| s.check.diagnosis.as_str().to_string()),
            Pane::Key | Pane::Auth | Pane::Hops | Pane::M365 if self.active() == Part::Detail => {
                crate::tui::view::topic_at(self)
            }
            _ => None,
        };
        // Where a signature's rows would be, an unsigned message's own.
        topic.or_else(|| unsigned.then(|| "no-signature".to_string()))
    }

    /// What `e` explains: the row's topic when `explain` knows it, else
    /// the signature's diagnosis (a header field with no text of its own).
    pub fn explain_topic(&self) -> Option<String> {
        let fallback = || {
            self.selected()
                .map(|s| s.check.diagnosis.as_str().to_string())
                .or_else(|| self.report().map(|_| "no-signature".to_string()))
        };
        self.row_topic()
            .filter(|t| crate::explain::lookup(t).is_some())
            .or_else(fallback)
    }

    pub(super) fn explain_selection(&mut self) {
        if let Some(topic) = self.explain_topic() {
            let (title, text) = crate::tui::explain_text(&topic);
            self.overlay_scroll = 0;
            self.overlay = Some(Overlay::Explain { title, text });
        }
    }

    pub(super) fn copy_selection(&self) -> Option<String> {
        let report = self.report();
        match self.focus {
            Pane::Overview | Pane::Auth | Pane::Hops | Pane::M365 => report.map(|r| {
                let label = self.loaded.as_ref().map_or("", |l| l.label.as_str());
                crate::report::text::message(label, r, crate::report::text::Style { color: false })
            }),
            Pane::Signature => self
                .selected_sig()
                .and_then(|s| s.tags.tags.get(self.tag_row))
                .map(|t| format!("{}={}", t.name, t.text())),
            Pane::Trace => self.selected().and_then(|s| {
                let step = s.check.steps.get(self.step_row)?;
                Some(match step.step {
                    crate::dkim::codes::Step::Body => s
                        .check
                        .body
                        .as_ref()
                        .map(|b| crate::tui::b64(&b.hash.digest))
                        .unwrap_or_else(|| step.detail.clone()),
                    crate::dkim::codes::Step::Headers => s
                        .check
                        .headers
                        .as_ref()
                        .map(|h| crate::tui::b64(&h.digest))
                        .unwrap_or_else(|| step.detail.clone()),
                    _ => step.detail.clone(),
                })
            }),
            Pane::Key => self
                .selected_sig()
                .filter(|s| !s.d.is_empty() && !s.s.is_empty())
                .map(|s| crate::dns::dig_command(&s.key_name())),
            Pane::Headers => self.message().and_then(|m| {
                m.headers
                    .get(self.header_row)
                    .map(|h| String::from_utf8_lossy(m.field_bytes(h)).into_owned())
            }),
        }
    }

    /// The header fields that contain the search text, in order.
    pub fn search_hits(&self) -> Vec<usize> {
        let (Some(needle), Some(m)) = (self.search.as_ref(), self.message()) else {
            return Vec::new();
        };
        let needle = needle.to_lowercase();
        m.headers
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                String::from_utf8_lossy(m.field_bytes(h))
                    .to_lowercase()
                    .contains(&needle)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Go to the next (or previous) match, or to the first match from the
    /// cursor on when `here`; the status line says `match 3/7`.
    pub(super) fn search_step(&mut self, forward: bool, here: bool) {
        let Some(needle) = self.search.clone() else {
            return;
        };
        let hits = self.search_hits();
        let row = self.header_row;
        let found = if forward {
            hits.iter()
                .position(|&i| if here { i >= row } else { i > row })
                .or((!hits.is_empty()).then_some(0))
        } else {
            hits.iter()
                .rposition(|&i| i < row)
                .or(hits.len().checked_sub(1))
        };
        self.status = Some(match found {
            Some(k) => {
                self.header_row = hits[k];
                self.focus = Pane::Headers;
                format!(
                    "match {}/{} for \"{}\"",
                    k + 1,
                    hits.len(),
                    crate::sanitize::visible(&needle)
                )
            }
            None => format!(
                "no header contains \"{}\"",
                crate::sanitize::visible(&needle)
            ),
        });
    }
}

/// `~` or `~/...` written from the home directory.
pub fn expand_home(path: &str) -> String {
    let home = || std::env::var("HOME").ok().filter(|h| !h.is_empty());
    match path.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => match home() {
            Some(h) => format!("{}{rest}", h.trim_end_matches('/')),
            None => path.to_string(),
        },
        _ => path.to_string(),
    }
}

/// Tab in the open-file prompt: the typed path completed as far as the
/// directory's names agree (a lone directory gets its `/`), and a note
/// listing the candidates when they do not.
pub fn complete_path(typed: &str) -> (String, Option<String>) {
    let expanded = expand_home(typed);
    let (dir, stem) = match expanded.rfind('/') {
        Some(i) => (&expanded[..=i], &expanded[i + 1..]),
        None => ("", expanded.as_str()),
    };
    let Ok(entries) = std::fs::read_dir(if dir.is_empty() { "." } else { dir }) else {
        return (typed.to_string(), Some("no such directory".into()));
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (name.starts_with(stem) && (stem.starts_with('.') || !name.starts_with('.')))
                .then_some((name, is_dir))
        })
        .collect();
    names.sort();
    let Some((first, _)) = names.first() else {
        return (typed.to_string(), Some("no match".into()));
    };
    let mut common = first.clone();
    for (n, _) in &names[1..] {
        let k = common
            .char_indices()
            .zip(n.chars())
            .find(|((_, a), b)| a != b)
            .map_or(common.len().min(n.len()), |((i, _), _)| i);
        common.truncate(k);
    }
    let mut out = format!("{dir}{common}");
    if let [(_, true)] = names.as_slice() {
        out.push('/');
    }
    let note = (names.len() > 1).then(|| {
        let shown: Vec<String> = names
            .iter()
            .take(8)
            .map(|(n, _)| crate::sanitize::visible(n).into_owned())
            .collect();
        let more = if names.len() > 8 { " …" } else { "" };
        format!("{}{more}", shown.join("  "))
    });
    (out, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_means_home_and_only_at_the_start() {
        let home = std::env::var("HOME").unwrap_or_default();
        if home.is_empty() {
            return;
        }
        assert_eq!(
            expand_home("~/a.eml"),
            format!("{}/a.eml", home.trim_end_matches('/'))
        );
        assert_eq!(expand_home("a/~/b"), "a/~/b");
        assert_eq!(expand_home("~user/x"), "~user/x");
    }

    #[test]
    fn tab_completes_as_far_as_names_agree() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().to_string_lossy().into_owned();
        for f in ["footer-one.eml", "footer-two.eml", "other.eml"] {
            std::fs::write(dir.path().join(f), "x").unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
        let (t, note) = complete_path(&format!("{d}/fo"));
        assert_eq!(t, format!("{d}/footer-"));
        assert_eq!(note.as_deref(), Some("footer-one.eml  footer-two.eml"));
        assert_eq!(
            complete_path(&format!("{d}/ot")).0,
            format!("{d}/other.eml")
        );
        assert_eq!(complete_path(&format!("{d}/s")).0, format!("{d}/sub/"));
        assert_eq!(
            complete_path(&format!("{d}/zz")).1.as_deref(),
            Some("no match")
        );
    }
}
