//! Keys as the keyboard of each language labels them (the key table's
//! labels, `tui::keys::Key::label`).

use ratatui::crossterm::event::KeyCode;

use crate::domain::message::Lang;

/// A key's name: "Entrée" on a French keyboard, "Enter" on an English one.
pub fn key_name(lang: Lang, c: KeyCode) -> String {
    let fr = lang == Lang::Fr;
    match c {
        KeyCode::Char(' ') if fr => "Espace".into(),
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Enter if fr => "Entrée".into(),
        KeyCode::Esc if fr => "Échap".into(),
        KeyCode::Home if fr => "Début".into(),
        KeyCode::End if fr => "Fin".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Delete if fr => "Suppr".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Backspace if fr => "Retour arrière".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab if fr => "Maj-Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        other => format!("{other}"),
    }
}
