//! Every colour of the UI in one place. With NO_COLOR (or `color: false`)
//! only modifiers remain (bold, reverse), so meaning never rests on colour
//! alone: statuses also carry their word (ok/warn/FAIL).

use ratatui::style::{Color, Modifier, Style};

use crate::dkim::codes::{Outcome, Status};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    pub fn status(&self, s: Status) -> Style {
        match s {
            Status::Ok => self.fg(Color::Green),
            Status::Warn => self.fg(Color::Yellow),
            Status::Fail => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::Skipped => self.fg(Color::DarkGray),
        }
    }
    pub fn outcome(&self, o: Outcome) -> Style {
        match o {
            Outcome::Pass => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Outcome::Neutral | Outcome::Policy | Outcome::TempError => {
                self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
            }
            Outcome::None => Style::new().add_modifier(Modifier::BOLD),
            _ => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// The part that the scrolling keys act on.
    pub fn focused(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    /// Marks that make invisible bytes visible (CR, LF, tabs, trailing spaces).
    pub fn marker(&self) -> Style {
        self.fg(Color::Magenta)
    }
    pub fn problem(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::UNDERLINED)
    }
    pub fn highlight(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// A search match, in place: reversed and underlined, so it shows
    /// without colour too.
    pub fn matched(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan)
    }
}
