//! One theme struct: a default that reads on dark and light backgrounds
//! (no fixed background, bold and reverse for emphasis, colours only as a
//! second cue) and a monochrome one for `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub header: Style,
    pub title: Style,
    pub selected: Style,
    pub ok: Style,
    pub advisory: Style,
    pub blocking: Style,
    pub muted: Style,
    pub alert: Style,
    pub key: Style,
    pub border: Style,
}

impl Theme {
    pub fn colour() -> Theme {
        Theme {
            base: Style::new(),
            header: Style::new().add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            advisory: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            blocking: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            muted: Style::new().add_modifier(Modifier::DIM),
            alert: Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: Style::new(),
        }
    }

    /// No colour at all: selection by reverse video, emphasis by bold.
    pub fn mono() -> Theme {
        Theme {
            base: Style::new(),
            header: Style::new().add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            ok: Style::new(),
            advisory: Style::new().add_modifier(Modifier::BOLD),
            blocking: Style::new().add_modifier(Modifier::BOLD),
            muted: Style::new(),
            alert: Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            key: Style::new().add_modifier(Modifier::BOLD),
            border: Style::new(),
        }
    }

    /// `NO_COLOR` set (to anything non-empty) → monochrome.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::colour(),
        }
    }
}
