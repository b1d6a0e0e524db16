//! Copy and paste. The system clipboard when there is one (a display);
//! without it (SSH, a console), copying goes to the terminal's own
//! clipboard with OSC 52, and pasting is left to the terminal (a
//! bracketed paste, which the app takes as a message). The status line
//! says which way it went.
//!
//! OSC 52 is the one escape sequence the app writes itself. Its payload is
//! base64, so no byte of the copied (untrusted) text reaches the terminal
//! raw.

use std::io::Write;

/// A system clipboard: a trait, so tests can have none.
pub trait System {
    fn set(&mut self, text: &str) -> Result<(), String>;
    fn get(&mut self) -> Result<String, String>;
}

impl System for arboard::Clipboard {
    fn set(&mut self, text: &str) -> Result<(), String> {
        self.set_text(text.to_string()).map_err(|e| e.to_string())
    }
    fn get(&mut self) -> Result<String, String> {
        self.get_text().map_err(|e| e.to_string())
    }
}

/// The system clipboard if there is one, and the terminal to send OSC 52
/// to.
pub struct Clipboard<W: Write> {
    system: Option<Box<dyn System>>,
    terminal: W,
}

/// `ESC ] 52 ; c ; BASE64 BEL`: put `text` on the terminal's clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", crate::tui::b64(text.as_bytes()))
}

impl Clipboard<std::io::Stdout> {
    pub fn new() -> Self {
        let system = arboard::Clipboard::new()
            .ok()
            .map(|c| Box::new(c) as Box<dyn System>);
        Clipboard {
            system,
            terminal: std::io::stdout(),
        }
    }
}

impl<W: Write> Clipboard<W> {
    #[cfg(test)]
    pub fn with(system: Option<Box<dyn System>>, terminal: W) -> Self {
        Clipboard { system, terminal }
    }

    /// Copy `text`; the status line's words for how it went.
    pub fn copy(&mut self, text: &str) -> String {
        let n = crate::plural::count(text.chars().count(), "character", "characters");
        if let Some(system) = self.system.as_mut()
            && system.set(text).is_ok()
        {
            return format!("copied {n} with the system clipboard");
        }
        let sent = self
            .terminal
            .write_all(osc52(text).as_bytes())
            .and_then(|()| self.terminal.flush());
        match sent {
            Ok(()) => format!("sent {n} to the terminal's clipboard (OSC 52)"),
            Err(e) => format!("could not copy: {e}"),
        }
    }

    /// The system clipboard's text, or the status line's words on how to
    /// paste instead.
    pub fn paste(&mut self) -> Result<String, String> {
        const INSTEAD: &str = "paste with the terminal instead (Ctrl+Shift+V)";
        match self.system.as_mut() {
            None => Err(format!("no clipboard here: {INSTEAD}")),
            Some(s) => s
                .get()
                .map_err(|_| format!("the clipboard has no text: {INSTEAD}")),
        }
    }
}

impl Default for Clipboard<std::io::Stdout> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A system clipboard that holds text in memory.
    struct Memory(Option<String>);

    impl System for Memory {
        fn set(&mut self, text: &str) -> Result<(), String> {
            self.0 = Some(text.to_string());
            Ok(())
        }
        fn get(&mut self) -> Result<String, String> {
            self.0.clone().ok_or_else(|| "empty".to_string())
        }
    }

    #[test]
    fn without_a_display_copy_goes_to_the_terminal_as_base64() {
        let hostile = "dkim=fail\x1b]0;owned\x07\x1b[2J\r\nsecond line";
        let mut cb = Clipboard::with(None, Vec::new());
        let said = cb.copy(hostile);
        assert!(
            said.starts_with("sent 36 characters to the terminal's clipboard (OSC 52)"),
            "{said}"
        );
        let out = String::from_utf8(cb.terminal.clone()).unwrap_or_default();
        let payload = out
            .strip_prefix("\x1b]52;c;")
            .and_then(|p| p.strip_suffix('\x07'))
            .unwrap_or_else(|| panic!("not one OSC 52 sequence: {out:?}"));
        // Nothing of the text is written raw: the payload is base64 only.
        assert!(
            payload
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "{payload:?}"
        );
        use base64::Engine;
        let back = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .unwrap_or_default();
        assert_eq!(back, hostile.as_bytes());
        // Pasting without a clipboard says to paste with the terminal.
        let e = cb.paste().err().unwrap_or_default();
        assert_eq!(
            e,
            "no clipboard here: paste with the terminal instead (Ctrl+Shift+V)"
        );
    }

    #[test]
    fn with_a_display_the_system_clipboard_is_used_and_nothing_is_written() {
        let mut cb = Clipboard::with(Some(Box::new(Memory(None))), Vec::new());
        assert_eq!(
            cb.copy("bh=abc"),
            "copied 6 characters with the system clipboard"
        );
        assert!(cb.terminal.is_empty());
        assert_eq!(cb.paste(), Ok("bh=abc".to_string()));
    }
}
