//! One long-lived clipboard handle. Without a display (SSH, CI) there is
//! none: copying and pasting then say so on the status line and nothing
//! else changes.

pub struct Clipboard(Option<arboard::Clipboard>);

impl Clipboard {
    pub fn new() -> Clipboard {
        Clipboard(arboard::Clipboard::new().ok())
    }

    pub fn copy(&mut self, text: &str) -> Result<(), String> {
        let cb = self
            .0
            .as_mut()
            .ok_or("no clipboard available (no display?)")?;
        cb.set_text(text.to_string())
            .map_err(|e| format!("could not copy: {e}"))
    }

    pub fn paste(&mut self) -> Result<String, String> {
        let cb = self
            .0
            .as_mut()
            .ok_or("no clipboard available (no display?)")?;
        cb.get_text().map_err(|e| format!("nothing to paste: {e}"))
    }
}

impl Default for Clipboard {
    fn default() -> Self {
        Self::new()
    }
}
