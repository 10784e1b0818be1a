//! The default key table, read by `lookup`, `keys_of`, `hints` and
//! `gate`: which keys do what where, the order the status bar offers them
//! in (`hint`, low first; a context's hints merge with its fallback's),
//! when it offers them (`offer`), and what the role must be allowed to do
//! (`gate`: the status bar dims the hint, `App::update` refuses the key
//! and says why).

use ratatui::crossterm::event::KeyCode;

use super::Key::{Alt, Char, Code, Ctrl};
use super::{Binding, Context, Gate, Offer, bind};
use crate::domain::roles::Permission;
use crate::tui::action::Action;

/// The default keys (issue 3: the keys people will learn).
pub const BINDINGS: &[Binding] = &[
    bind(
        Context::Board,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Board, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(
        Context::Board,
        &[Char('g'), Code(KeyCode::Home)],
        Action::Top,
    ),
    bind(
        Context::Board,
        &[Char('G'), Code(KeyCode::End)],
        Action::Bottom,
    ),
    bind(Context::Board, &[Code(KeyCode::PageDown)], Action::PageDown),
    bind(Context::Board, &[Code(KeyCode::PageUp)], Action::PageUp),
    bind(Context::Board, &[Char('[')], Action::PrevWeek),
    bind(Context::Board, &[Char(']')], Action::NextWeek),
    bind(Context::Board, &[Code(KeyCode::Enter)], Action::Open).hint(30),
    bind(Context::Board, &[Code(KeyCode::Esc)], Action::Close),
    bind(Context::Board, &[Char('v')], Action::Validate)
        .hint(50)
        .gate(Gate::Permission(Permission::Decide)),
    bind(Context::Board, &[Char('p')], Action::Postpone)
        .hint(60)
        .gate(Gate::Permission(Permission::Decide)),
    bind(Context::Board, &[Char('c')], Action::Cancel)
        .hint(70)
        .gate(Gate::Permission(Permission::Decide)),
    bind(Context::Board, &[Char('u')], Action::Undo)
        .hint(80)
        .gate(Gate::Permission(Permission::Decide)),
    bind(Context::Board, &[Char('r')], Action::Reschedule)
        .hint(45)
        .offer(Offer::CaseToReschedule)
        .gate(Gate::Permission(Permission::Reschedule)),
    bind(Context::Board, &[Char('d')], Action::Day).gate(Gate::RecordDay),
    bind(Context::Board, &[Char('V')], Action::Nod).gate(Gate::Permission(Permission::Decide)),
    bind(Context::Board, &[Char('n')], Action::Note)
        .hint(90)
        .gate(Gate::Permission(Permission::Notes)),
    bind(Context::Board, &[Char('e')], Action::Edit)
        .hint(100)
        .gate(Gate::EditAny),
    bind(Context::Board, &[Char('R')], Action::Rules).hint(150),
    bind(Context::Board, &[Char('a')], Action::Attendance)
        .hint(120)
        .gate(Gate::Permission(Permission::Attendance)),
    bind(Context::Board, &[Char('x')], Action::Export)
        .hint(110)
        .gate(Gate::Permission(Permission::Export)),
    bind(Context::Board, &[Char('i')], Action::Instructions)
        .gate(Gate::Permission(Permission::Export)),
    bind(Context::Board, &[Char('P')], Action::Resolve)
        .hint(40)
        .offer(Offer::CaseHasPending)
        .gate(Gate::ResolveCase),
    bind(Context::Board, &[Char('I')], Action::AckIdentity)
        .offer(Offer::CaseIdentityChanged)
        .gate(Gate::Permission(Permission::AckIdentity)),
    bind(Context::Board, &[Char('L')], Action::AckResult)
        .offer(Offer::CaseLabUnusable)
        .gate(Gate::Permission(Permission::AckResult)),
    bind(Context::Board, &[Char('t')], Action::Tasks),
    bind(Context::Board, &[Char('S')], Action::Stats),
    // Issue 15 names `F` for the calls: the conflicting file values,
    // which had it, moved to `P` (pending).
    bind(Context::Board, &[Char('F')], Action::FollowUps),
    bind(Context::Board, &[Char('/')], Action::Search).hint(130),
    bind(Context::Board, &[Char('f')], Action::Filter).hint(140),
    bind(Context::Board, &[Char('s')], Action::Narrow).hint(142),
    bind(Context::Board, &[Char('o')], Action::Order).hint(145),
    bind(Context::Board, &[Char('?')], Action::Help).hint(10),
    bind(Context::Board, &[Char('q'), Ctrl('c')], Action::Quit).hint(20),
    bind(Context::Search, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(Context::Search, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(Context::Search, &[Code(KeyCode::Up)], Action::Up).hint(30),
    bind(Context::Dialog, &[Code(KeyCode::Enter)], Action::Submit)
        .hint(10)
        .offer(Offer::NotConfirming),
    bind(Context::Dialog, &[Code(KeyCode::Esc)], Action::Dismiss)
        .hint(20)
        .offer(Offer::NotConfirming),
    bind(
        Context::Dialog,
        &[Ctrl('j'), Alt(KeyCode::Enter)],
        Action::NewLine,
    )
    .hint(30)
    .offer(Offer::NotConfirming),
    bind(
        Context::Dialog,
        &[Code(KeyCode::Tab), Code(KeyCode::BackTab)],
        Action::NextField,
    )
    .hint(40)
    .offer(Offer::DialogHasWeek),
    bind(
        Context::DialogChoice,
        &[Code(KeyCode::Right), Char(' ')],
        Action::ChoiceNext,
    )
    .hint(25),
    bind(
        Context::DialogChoice,
        &[Code(KeyCode::Left)],
        Action::ChoicePrev,
    )
    .hint(27),
    bind(Context::LabAck, &[Code(KeyCode::Enter)], Action::Submit)
        .hint(10)
        .gate(Gate::Permission(Permission::AckResult)),
    bind(Context::LabAck, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::LabAck,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    )
    .hint(30),
    bind(Context::LabAck, &[Char('k'), Code(KeyCode::Up)], Action::Up).hint(35),
    bind(Context::Nod, &[Code(KeyCode::Enter)], Action::Submit)
        .hint(10)
        .offer(Offer::NotConfirming)
        .gate(Gate::Permission(Permission::Decide)),
    bind(
        Context::Nod,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Dismiss,
    )
    .hint(20),
    bind(
        Context::Picker,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Picker, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(Context::Picker, &[Code(KeyCode::Enter)], Action::Open).hint(10),
    bind(
        Context::Picker,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Close,
    )
    .hint(20),
    bind(Context::Form, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(Context::Form, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::Form,
        &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        Action::NextField,
    )
    .hint(60),
    bind(
        Context::Form,
        &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        Action::PrevField,
    )
    .hint(70),
    bind(
        Context::Form,
        &[Ctrl('j'), Alt(KeyCode::Enter)],
        Action::NewLine,
    ),
    bind(Context::Form, &[Ctrl('n')], Action::AddLine).hint(80),
    bind(Context::Form, &[Ctrl('d')], Action::RemoveLine).hint(90),
    bind(Context::Form, &[Ctrl('r')], Action::Revert),
    bind(
        Context::Choice,
        &[Code(KeyCode::Right), Char(' ')],
        Action::ChoiceNext,
    )
    .hint(30),
    bind(Context::Choice, &[Code(KeyCode::Left)], Action::ChoicePrev).hint(40),
    bind(
        Context::Choice,
        &[Code(KeyCode::Delete), Code(KeyCode::Backspace)],
        Action::ChoiceClear,
    )
    .hint(50),
    bind(Context::Procedure, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(Context::Procedure, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::Procedure,
        &[Code(KeyCode::Right), Char(' ')],
        Action::ChoiceNext,
    )
    .hint(30),
    bind(
        Context::Procedure,
        &[Code(KeyCode::Left)],
        Action::ChoicePrev,
    ),
    bind(
        Context::Procedure,
        &[Code(KeyCode::Delete), Code(KeyCode::Backspace)],
        Action::ChoiceClear,
    )
    .hint(40),
    bind(Context::Reschedule, &[Code(KeyCode::Enter)], Action::Submit)
        .hint(10)
        .gate(Gate::Permission(Permission::Reschedule)),
    bind(Context::Reschedule, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::Reschedule,
        &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        Action::NextField,
    )
    .hint(30),
    bind(
        Context::Reschedule,
        &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        Action::PrevField,
    ),
    bind(Context::Day, &[Code(KeyCode::Enter)], Action::Submit)
        .hint(10)
        .gate(Gate::RecordDay),
    bind(Context::Day, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::Day,
        &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        Action::NextField,
    )
    .hint(40),
    bind(
        Context::Day,
        &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        Action::PrevField,
    ),
    bind(
        Context::DayChoice,
        &[Code(KeyCode::Right), Char(' ')],
        Action::ChoiceNext,
    )
    .hint(30),
    bind(
        Context::DayChoice,
        &[Code(KeyCode::Left)],
        Action::ChoicePrev,
    )
    .hint(35),
    bind(Context::Conflict, &[Char('t')], Action::KeepTheirs).hint(10),
    bind(Context::Conflict, &[Char('r')], Action::Reapply)
        .hint(20)
        .offer(Offer::MergePossible),
    bind(
        Context::Conflict,
        &[Char('e'), Code(KeyCode::Esc)],
        Action::BackToEditing,
    )
    .hint(30),
    // No j/k here: k keeps the stored value.
    bind(
        Context::Tasks,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Tasks, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(Context::Tasks, &[Code(KeyCode::Enter)], Action::Open).hint(10),
    bind(Context::Tasks, &[Char('m')], Action::Mine).hint(20),
    bind(
        Context::Tasks,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Close,
    )
    .hint(30),
    bind(
        Context::Stats,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Stats, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(Context::Stats, &[Code(KeyCode::PageDown)], Action::PageDown),
    bind(Context::Stats, &[Code(KeyCode::PageUp)], Action::PageUp),
    bind(
        Context::Stats,
        &[Char('g'), Code(KeyCode::Home)],
        Action::Top,
    ),
    bind(
        Context::Stats,
        &[Char('G'), Code(KeyCode::End)],
        Action::Bottom,
    ),
    bind(Context::Stats, &[Char('p')], Action::Span).hint(10),
    bind(
        Context::Stats,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Close,
    )
    .hint(20),
    bind(
        Context::FollowUps,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(
        Context::FollowUps,
        &[Char('k'), Code(KeyCode::Up)],
        Action::Up,
    ),
    bind(Context::FollowUps, &[Code(KeyCode::Enter)], Action::Open)
        .hint(10)
        .gate(Gate::Permission(Permission::RecordFollowUp)),
    bind(Context::FollowUps, &[Char('m')], Action::Mine).hint(20),
    bind(
        Context::FollowUps,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Close,
    )
    .hint(30),
    bind(
        Context::FollowUpForm,
        &[Code(KeyCode::Enter)],
        Action::Submit,
    )
    .hint(10)
    .gate(Gate::Permission(Permission::RecordFollowUp)),
    bind(
        Context::FollowUpForm,
        &[Code(KeyCode::Esc)],
        Action::Dismiss,
    )
    .hint(20),
    bind(
        Context::FollowUpForm,
        &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        Action::NextField,
    )
    .hint(30),
    bind(
        Context::FollowUpForm,
        &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        Action::PrevField,
    ),
    bind(
        Context::FollowUpForm,
        &[Code(KeyCode::Right)],
        Action::ChoiceNext,
    )
    .hint(40),
    bind(
        Context::FollowUpForm,
        &[Code(KeyCode::Left)],
        Action::ChoicePrev,
    ),
    bind(Context::Resolve, &[Code(KeyCode::Down)], Action::Down),
    bind(Context::Resolve, &[Code(KeyCode::Up)], Action::Up),
    bind(Context::Resolve, &[Char('k')], Action::KeepStored)
        .hint(10)
        .gate(Gate::ResolveRow),
    bind(Context::Resolve, &[Char('t')], Action::TakeFile)
        .hint(20)
        .gate(Gate::ResolveRow),
    bind(Context::Resolve, &[Code(KeyCode::Esc)], Action::Close).hint(30),
    bind(
        Context::ResolveConfirm,
        &[Code(KeyCode::Enter)],
        Action::Submit,
    )
    .hint(10),
    bind(
        Context::ResolveConfirm,
        &[Code(KeyCode::Esc)],
        Action::Dismiss,
    )
    .hint(20),
    bind(
        Context::Rules,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Rules, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(Context::Rules, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(
        Context::Rules,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Close,
    )
    .hint(20),
    bind(Context::RuleEdit, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(Context::RuleEdit, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::Attendance,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(
        Context::Attendance,
        &[Char('k'), Code(KeyCode::Up)],
        Action::Up,
    ),
    bind(Context::Attendance, &[Char(' ')], Action::Toggle).hint(10),
    bind(
        Context::Attendance,
        &[Code(KeyCode::Right)],
        Action::ChoiceNext,
    )
    .hint(25),
    bind(
        Context::Attendance,
        &[Code(KeyCode::Left)],
        Action::ChoicePrev,
    ),
    bind(Context::Attendance, &[Code(KeyCode::Enter)], Action::Submit).hint(20),
    bind(Context::Attendance, &[Code(KeyCode::Esc)], Action::Dismiss).hint(30),
    bind(Context::AttendanceName, &[Code(KeyCode::Up)], Action::Up),
    bind(
        Context::AttendanceName,
        &[Code(KeyCode::Enter)],
        Action::Submit,
    )
    .hint(10),
    bind(
        Context::AttendanceName,
        &[Code(KeyCode::Esc)],
        Action::Dismiss,
    )
    .hint(20),
    bind(
        Context::Export,
        &[Code(KeyCode::Right), Char(' ')],
        Action::ChoiceNext,
    )
    .hint(30),
    bind(Context::Export, &[Code(KeyCode::Left)], Action::ChoicePrev),
    bind(
        Context::Export,
        &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        Action::NextField,
    )
    .hint(40),
    bind(
        Context::Export,
        &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        Action::PrevField,
    ),
    bind(Context::Export, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(Context::Export, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::ExportFile,
        &[Code(KeyCode::Tab), Code(KeyCode::Down)],
        Action::NextField,
    )
    .hint(30),
    bind(
        Context::ExportFile,
        &[Code(KeyCode::BackTab), Code(KeyCode::Up)],
        Action::PrevField,
    ),
    bind(Context::ExportFile, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(Context::ExportFile, &[Code(KeyCode::Esc)], Action::Dismiss).hint(20),
    bind(
        Context::Narrow,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Narrow, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(Context::Narrow, &[Code(KeyCode::Enter)], Action::Submit).hint(10),
    bind(
        Context::Narrow,
        &[Code(KeyCode::Esc), Char('q')],
        Action::Close,
    )
    .hint(20),
    bind(
        Context::Help,
        &[Code(KeyCode::Esc), Char('?'), Char('q')],
        Action::Close,
    )
    .hint(10),
    bind(
        Context::Help,
        &[Char('j'), Code(KeyCode::Down)],
        Action::Down,
    ),
    bind(Context::Help, &[Char('k'), Code(KeyCode::Up)], Action::Up),
    bind(Context::Help, &[Code(KeyCode::PageDown)], Action::PageDown),
    bind(Context::Help, &[Code(KeyCode::PageUp)], Action::PageUp),
    bind(
        Context::Help,
        &[Char('g'), Code(KeyCode::Home)],
        Action::Top,
    ),
    bind(
        Context::Help,
        &[Char('G'), Code(KeyCode::End)],
        Action::Bottom,
    ),
];
