//! The default key table, read by `lookup` and `keys_of`.

use ratatui::crossterm::event::KeyCode;

use super::Key::{Alt, Char, Code, Ctrl};
use super::{Binding, Context};
use crate::tui::action::Action;

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
        keys: &[Char('e')],
        action: Action::Edit,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('R')],
        action: Action::Rules,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('a')],
        action: Action::Attendance,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('x')],
        action: Action::Export,
    },
    Binding {
        context: Context::Board,
        keys: &[Char('F')],
        action: Action::Resolve,
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
        context: Context::Picker,
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
    },
    Binding {
        context: Context::Picker,
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
    },
    Binding {
        context: Context::Picker,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Open,
    },
    Binding {
        context: Context::Picker,
        keys: &[Code(KeyCode::Esc), Char('q')],
        action: Action::Close,
    },
    Binding {
        context: Context::Form,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::Form,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::Form,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        action: Action::NextField,
    },
    Binding {
        context: Context::Form,
        keys: &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        action: Action::PrevField,
    },
    Binding {
        context: Context::Form,
        keys: &[Ctrl('j'), Alt(KeyCode::Enter)],
        action: Action::NewLine,
    },
    Binding {
        context: Context::Form,
        keys: &[Ctrl('n')],
        action: Action::AddLine,
    },
    Binding {
        context: Context::Form,
        keys: &[Ctrl('d')],
        action: Action::RemoveLine,
    },
    Binding {
        context: Context::Form,
        keys: &[Ctrl('r')],
        action: Action::Revert,
    },
    Binding {
        context: Context::Choice,
        keys: &[Code(KeyCode::Right), Char(' ')],
        action: Action::ChoiceNext,
    },
    Binding {
        context: Context::Choice,
        keys: &[Code(KeyCode::Left)],
        action: Action::ChoicePrev,
    },
    Binding {
        context: Context::Choice,
        keys: &[Code(KeyCode::Delete), Code(KeyCode::Backspace)],
        action: Action::ChoiceClear,
    },
    Binding {
        context: Context::Procedure,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::Procedure,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::Procedure,
        keys: &[Code(KeyCode::Right), Char(' ')],
        action: Action::ChoiceNext,
    },
    Binding {
        context: Context::Procedure,
        keys: &[Code(KeyCode::Left)],
        action: Action::ChoicePrev,
    },
    Binding {
        context: Context::Procedure,
        keys: &[Code(KeyCode::Delete), Code(KeyCode::Backspace)],
        action: Action::ChoiceClear,
    },
    Binding {
        context: Context::Conflict,
        keys: &[Char('t')],
        action: Action::KeepTheirs,
    },
    Binding {
        context: Context::Conflict,
        keys: &[Char('r')],
        action: Action::Reapply,
    },
    Binding {
        context: Context::Conflict,
        keys: &[Char('e'), Code(KeyCode::Esc)],
        action: Action::BackToEditing,
    },
    // No j/k here: k keeps the stored value.
    Binding {
        context: Context::Resolve,
        keys: &[Code(KeyCode::Down)],
        action: Action::Down,
    },
    Binding {
        context: Context::Resolve,
        keys: &[Code(KeyCode::Up)],
        action: Action::Up,
    },
    Binding {
        context: Context::Resolve,
        keys: &[Char('k')],
        action: Action::KeepStored,
    },
    Binding {
        context: Context::Resolve,
        keys: &[Char('t')],
        action: Action::TakeFile,
    },
    Binding {
        context: Context::Resolve,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Close,
    },
    Binding {
        context: Context::ResolveConfirm,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::ResolveConfirm,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::Rules,
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
    },
    Binding {
        context: Context::Rules,
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
    },
    Binding {
        context: Context::Rules,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::Rules,
        keys: &[Code(KeyCode::Esc), Char('q')],
        action: Action::Close,
    },
    Binding {
        context: Context::RuleEdit,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::RuleEdit,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::Attendance,
        keys: &[Char('j'), Code(KeyCode::Down)],
        action: Action::Down,
    },
    Binding {
        context: Context::Attendance,
        keys: &[Char('k'), Code(KeyCode::Up)],
        action: Action::Up,
    },
    Binding {
        context: Context::Attendance,
        keys: &[Char(' ')],
        action: Action::Toggle,
    },
    Binding {
        context: Context::Attendance,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::Attendance,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::AttendanceName,
        keys: &[Code(KeyCode::Up)],
        action: Action::Up,
    },
    Binding {
        context: Context::AttendanceName,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::AttendanceName,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::Export,
        keys: &[Code(KeyCode::Right), Char(' ')],
        action: Action::ChoiceNext,
    },
    Binding {
        context: Context::Export,
        keys: &[Code(KeyCode::Left)],
        action: Action::ChoicePrev,
    },
    Binding {
        context: Context::Export,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        action: Action::NextField,
    },
    Binding {
        context: Context::Export,
        keys: &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        action: Action::PrevField,
    },
    Binding {
        context: Context::Export,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::Export,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
    },
    Binding {
        context: Context::ExportFile,
        keys: &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        action: Action::NextField,
    },
    Binding {
        context: Context::ExportFile,
        keys: &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        action: Action::PrevField,
    },
    Binding {
        context: Context::ExportFile,
        keys: &[Code(KeyCode::Enter)],
        action: Action::Submit,
    },
    Binding {
        context: Context::ExportFile,
        keys: &[Code(KeyCode::Esc)],
        action: Action::Dismiss,
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
