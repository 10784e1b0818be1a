//! What a key can ask for. Actions are data: the key table maps keys to
//! them, `App::update` carries them out, the help lists them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // Moving on the board.
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    PrevWeek,
    NextWeek,
    /// Open the detail full-screen (narrow terminals) or focus it.
    Open,
    /// Close what is open (detail, help, search).
    Close,
    // Decisions and notes.
    Validate,
    Postpone,
    Cancel,
    Undo,
    /// Validate every pending case of the week with nothing to discuss,
    /// after a list and a confirmation (`V`).
    Nod,
    Note,
    /// Record or correct a dossier item (opens the list of forms).
    Edit,
    /// The rules table (thresholds, holds, bleeding risk).
    Rules,
    /// Who attends this week's meeting (for the minutes).
    Attendance,
    /// Export the programme or the minutes.
    Export,
    /// Cycle the board's order (time, to discuss first, operator,
    /// anaesthesia).
    Order,
    /// Write the selected case's instruction sheet (patient and ward).
    Instructions,
    // Finding one's way.
    Search,
    Filter,
    /// Show one day, room or operator of the week (a list to choose from).
    Narrow,
    Help,
    Quit,
    // In a dialog.
    Submit,
    Dismiss,
    NewLine,
    NextField,
    // In a form.
    PrevField,
    AddLine,
    RemoveLine,
    ChoiceNext,
    ChoicePrev,
    ChoiceClear,
    // When someone else saved the same item meanwhile.
    KeepTheirs,
    Reapply,
    BackToEditing,
    /// Tick or untick a person (attendance).
    Toggle,
    /// Back to what is saved: drops the form's changes and its draft.
    Revert,
    /// The case's file values that lost to what is stored: keep or take.
    Resolve,
    /// Keep the stored value; the file's is dropped.
    KeepStored,
    /// Take the file's value in place of the stored one.
    TakeFile,
    /// The chase list of the week (t).
    Tasks,
    /// In the chase list: only the tasks of one's own role, or all.
    Mine,
    /// Give a case to reschedule its new date, time and room.
    Reschedule,
    /// The committee's indicators (S).
    Stats,
    /// In the indicators: the next span of months.
    Span,
    /// The follow-up calls due and overdue, per operator (issue 15 §3).
    FollowUps,
    /// What happened on the day of the procedure (d).
    Day,
    /// Acknowledge that the selected case's patient identity, changed by
    /// the hospital's system, was checked (issue 16).
    AckIdentity,
    /// Acknowledge the laboratory's results the program could not use on
    /// the selected case (issue 16).
    AckResult,
}

impl Action {
    /// Every action, in help order.
    pub const ALL: [Action; 54] = [
        Action::Down,
        Action::Up,
        Action::Top,
        Action::Bottom,
        Action::PageDown,
        Action::PageUp,
        Action::PrevWeek,
        Action::NextWeek,
        Action::Open,
        Action::Close,
        Action::Validate,
        Action::Postpone,
        Action::Cancel,
        Action::Undo,
        Action::Reschedule,
        Action::Day,
        Action::Nod,
        Action::Note,
        Action::Edit,
        Action::Rules,
        Action::Attendance,
        Action::Export,
        Action::Order,
        Action::Instructions,
        Action::Search,
        Action::Filter,
        Action::Narrow,
        Action::Help,
        Action::Quit,
        Action::Submit,
        Action::Dismiss,
        Action::NewLine,
        Action::NextField,
        Action::PrevField,
        Action::AddLine,
        Action::RemoveLine,
        Action::ChoiceNext,
        Action::ChoicePrev,
        Action::ChoiceClear,
        Action::KeepTheirs,
        Action::Reapply,
        Action::BackToEditing,
        Action::Toggle,
        Action::Revert,
        Action::Resolve,
        Action::KeepStored,
        Action::TakeFile,
        Action::Tasks,
        Action::Mine,
        Action::Stats,
        Action::Span,
        Action::FollowUps,
        Action::AckIdentity,
        Action::AckResult,
    ];
}
