//! The one key table: it dispatches keys and generates the help and the
//! status-line hints, so neither can drift from the bindings.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use crate::domain::message::Lang;

/// Where a key is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The week board (and the detail pane beside or over it).
    Board,
    /// A dialog with text fields (validate with override, postpone, cancel, note).
    Dialog,
    /// The help screen.
    Help,
}

/// A key as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
    Alt(KeyCode),
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        let mods = ev.modifiers - KeyModifiers::SHIFT;
        match self {
            Key::Char(c) => ev.code == KeyCode::Char(c) && mods.is_empty(),
            Key::Code(code) => ev.code == code && mods.is_empty(),
            Key::Ctrl(c) => ev.code == KeyCode::Char(c) && mods == KeyModifiers::CONTROL,
            Key::Alt(code) => ev.code == code && mods == KeyModifiers::ALT,
        }
    }

    /// How the help writes the key, as the keyboard of `lang` labels it.
    pub fn label(self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let code = |c: KeyCode| -> String {
            match c {
                KeyCode::Enter if fr => "Entrée".into(),
                KeyCode::Esc if fr => "Échap".into(),
                KeyCode::Home if fr => "Début".into(),
                KeyCode::End if fr => "Fin".into(),
                KeyCode::Enter => "Enter".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Up => "↑".into(),
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
        };
        match self {
            Key::Char(c) => c.to_string(),
            Key::Code(c) => code(c),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt-{}", code(c)),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
}

use Key::{Alt, Char, Code, Ctrl};

/// The default keys (issue 3: the keys people will learn).
pub const BINDINGS: &[Binding] = &[
    Binding {
        context: Context::Board,
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('g'), Code(KeyCode::Home)],
        action: Action::Top,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('G'), Code(KeyCode::End)],
        action: Action::Bottom,
    },
    Binding {
        context: Context::Board,
        keys: &[Code(KeyCode::PageDown)],
        action: Action::PageDown,
    },
    Binding {
        context: Context::Board,
        keys: &[Code(KeyCode::PageUp)],
        action: Action::PageUp,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('[')],
        action: Action::PrevWeek,
    },
    Binding {
        context: Context::Board,
        keys: &[Char(']')],
        action: Action::NextWeek,
    },
    Binding {
        context: Context::Board,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Open,
    },
    Binding {
        context: Context::Board,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Close,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('v')],
        action: Action::Validate,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('p')],
        action: Action::Postpone,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('c')],
        action: Action::Cancel,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('u')],
        action: Action::Undo,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('n')],
        action: Action::Note,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('/')],
        action: Action::Search,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('f')],
        action: Action::Filter,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('?')],
        action: Action::Help,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('q'), Ctrl('c')],
        action: Action::Quit,
    },
    Binding {
        context: Context::Dialog,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::Dialog,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::Dialog,
        keys: &[Ctrl('j'), Alt(KeyCode::Enter)],
        action: Action::NewLine,
    },
    Binding {
        context: Context::Dialog,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::BackTab)],
        action: Action::NextField,
    },
    Binding {
        context: Context::Help,
        keys: &[Code(KeyCode::Esc), Char('?'), Char('q')],
        action: Action::Close,
    },
    Binding {
        context: Context::Help,
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
    },
    Binding {
        context: Context::Help,
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
    },
];

/// The action bound to a key press in `context`, if any. Key releases and
/// repeats reported by some terminals are ignored.
pub fn lookup(context: Context, ev: &KeyEvent) -> Option<Action> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The keys of an action in a context, as the help and hints write them.
pub fn keys_of(context: Context, action: Action, lang: Lang) -> String {
    BINDINGS
        .iter()
        .filter(|b| b.context == context && b.action == action)
        .flat_map(|b| b.keys.iter().map(|k| k.label(lang)))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn keys_dispatch_in_their_context() {
        let k = |c| press(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(lookup(Context::Board, &k('v')), Some(Action::Validate));
        assert_eq!(lookup(Context::Board, &k('j')), Some(Action::Down));
        assert_eq!(
            lookup(
                Context::Board,
                &press(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(
                Context::Board,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(Context::Dialog, &k('v')),
            None,
            "typing in a dialog is text"
        );
        assert_eq!(
            lookup(
                Context::Dialog,
                &press(KeyCode::Char('j'), KeyModifiers::CONTROL)
            ),
            Some(Action::NewLine)
        );
        assert_eq!(
            lookup(Context::Dialog, &press(KeyCode::Enter, KeyModifiers::ALT)),
            Some(Action::NewLine)
        );
        assert_eq!(
            lookup(Context::Dialog, &press(KeyCode::Enter, KeyModifiers::NONE)),
            Some(Action::Submit)
        );
    }

    #[test]
    fn releases_are_ignored() {
        let mut ev = press(KeyCode::Char('q'), KeyModifiers::NONE);
        ev.kind = KeyEventKind::Release;
        assert_eq!(lookup(Context::Board, &ev), None);
    }

    #[test]
    fn no_binding_that_multiplexers_eat_or_that_needs_modified_enter() {
        for b in BINDINGS {
            for k in b.keys {
                assert!(
                    !matches!(k, Key::Ctrl('b') | Key::Ctrl('a')),
                    "{k:?} is eaten by tmux/screen"
                );
            }
        }
    }

    #[test]
    fn one_key_one_action_per_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.context == b.context {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{k:?} bound twice in {:?}", a.context);
                    }
                }
            }
        }
    }
}
