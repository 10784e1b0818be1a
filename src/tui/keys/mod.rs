//! The one key table: it dispatches keys and generates the help and the
//! status-line hints, so neither can drift from the bindings.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use crate::domain::message::Lang;

mod bindings;
mod drop;

pub use bindings::BINDINGS;
pub use drop::{DROP_ORDER, NEVER_DROPPED, drop_sequence};

/// Where a key is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The week board (and the detail pane beside or over it).
    Board,
    /// A dialog with text fields (validate with override, postpone, cancel, note).
    Dialog,
    /// A postpone or cancel dialog, on its coded reason (the dialog's keys
    /// work too).
    DialogChoice,
    /// The laboratory results the program could not use on a case (`L`):
    /// one is chosen, Enter acknowledges it.
    LabAck,
    /// The list of the cases with nothing to discuss (`V`): Enter
    /// validates them.
    Nod,
    /// The help screen.
    Help,
    /// The list of dossier forms of a case.
    Picker,
    /// A dossier form, on a typed field.
    Form,
    /// A dossier form, on a choice (the form's keys work too).
    Choice,
    /// The procedure form: its one choice, the access route.
    Procedure,
    /// A save that met someone else's.
    Conflict,
    /// The rules table.
    Rules,
    /// Typing a rule's new value.
    RuleEdit,
    /// The attendance list, on a person.
    Attendance,
    /// The attendance list, on the line where a name is typed.
    AttendanceName,
    /// The export dialog, on a choice.
    Export,
    /// The export dialog, on the file name.
    ExportFile,
    /// The case's conflicting file values (P).
    Resolve,
    /// Keep or take chosen: Enter confirms.
    ResolveConfirm,
    /// Typing the search (`/`): other keys are the search's text.
    Search,
    /// The chase list of the week (t).
    Tasks,
    /// Giving a case to reschedule its new slot (r): date, time, room.
    Reschedule,
    /// The day of the procedure (d), on a typed field.
    Day,
    /// The day of the procedure, on a choice (the form's keys work too).
    DayChoice,
    /// The week's days, rooms and operators, to show one (s).
    Narrow,
    /// The committee's indicators (S).
    Stats,
    /// The follow-up calls to make (issue 15 §3).
    FollowUps,
    /// Recording one follow-up call: reached, pain, analgesics,
    /// complication.
    FollowUpForm,
}

impl Context {
    /// Every context, in help order.
    pub const ALL: [Context; 28] = [
        Context::Board,
        Context::Search,
        Context::Dialog,
        Context::DialogChoice,
        Context::LabAck,
        Context::Nod,
        Context::Reschedule,
        Context::Day,
        Context::DayChoice,
        Context::Attendance,
        Context::AttendanceName,
        Context::Export,
        Context::ExportFile,
        Context::Picker,
        Context::Form,
        Context::Choice,
        Context::Procedure,
        Context::Conflict,
        Context::Resolve,
        Context::ResolveConfirm,
        Context::Rules,
        Context::RuleEdit,
        Context::Tasks,
        Context::Stats,
        Context::FollowUps,
        Context::FollowUpForm,
        Context::Narrow,
        Context::Help,
    ];

    /// Where else a key is looked up when this context does not bind it.
    fn fallback(self) -> Option<Context> {
        match self {
            Context::Choice => Some(Context::Form),
            Context::DialogChoice => Some(Context::Dialog),
            Context::DayChoice => Some(Context::Day),
            _ => None,
        }
    }
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

    /// How the help writes the key, as the keyboard of `lang` labels it
    /// (the names: `text::screen::key_name`).
    pub fn label(self, lang: Lang) -> String {
        use crate::text::screen::key_name;
        match self {
            Key::Char(' ') => key_name(lang, KeyCode::Char(' ')),
            Key::Char(c) => c.to_string(),
            Key::Code(c) => key_name(lang, c),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt-{}", key_name(lang, c)),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// Its place in the status bar (low first); None: only in the help.
    pub hint: Option<u8>,
    /// When the status bar offers it.
    pub offer: Offer,
    /// What the role must be allowed to do for it to run.
    pub gate: Option<Gate>,
}

/// A row of the table: `keys` do `action` in `context` (no hint, no gate).
pub const fn bind(context: Context, keys: &'static [Key], action: Action) -> Binding {
    Binding {
        context,
        keys,
        action,
        hint: None,
        offer: Offer::Always,
        gate: None,
    }
}

impl Binding {
    /// Offered in the status bar, at `order` (low first).
    pub const fn hint(mut self, order: u8) -> Binding {
        self.hint = Some(order);
        self
    }

    /// Offered only when `offer` holds.
    pub const fn offer(mut self, offer: Offer) -> Binding {
        self.offer = offer;
        self
    }

    /// Allowed only through `gate`.
    pub const fn gate(mut self, gate: Gate) -> Binding {
        self.gate = Some(gate);
        self
    }
}

/// What a key needs the role to be allowed: its hint is dimmed otherwise,
/// and pressing it says why instead of acting (the storage layer checks the
/// same table on every write; this spares typing what would be refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// One permission of `domain/roles.rs`.
    Permission(crate::domain::roles::Permission),
    /// Recording at least one dossier item (the list of forms).
    EditAny,
    /// Keeping or taking at least one of the selected case's values on file.
    ResolveCase,
    /// Keeping or taking the selected value on file.
    ResolveRow,
    /// Recording the day of a procedure or its complication.
    RecordDay,
}

/// When the status bar offers a key (it works regardless).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    Always,
    /// The selected case has values on file waiting for a person.
    CaseHasPending,
    /// The selected case is to reschedule (postponed into this week).
    CaseToReschedule,
    /// The selected case's patient identity was changed by the hospital's
    /// system and is not acknowledged yet.
    CaseIdentityChanged,
    /// The selected case has laboratory results the program could not use,
    /// not acknowledged yet.
    CaseLabUnusable,
    /// The dialog is not asking for a confirmation.
    NotConfirming,
    /// The dialog has another field than its text (a postponement's
    /// target week, a coded reason) and is not confirming.
    DialogHasWeek,
    /// A conflicting save can be reapplied on top of the other one.
    MergePossible,
}

/// The keys the open detail's status line names, with what each must do
/// on the board (a test checks the table binds them so).
pub const DETAIL_KEYS: [(Key, Action); 7] = [
    (Key::Code(KeyCode::Up), Action::Up),
    (Key::Code(KeyCode::Down), Action::Down),
    (Key::Code(KeyCode::PageUp), Action::PageUp),
    (Key::Code(KeyCode::PageDown), Action::PageDown),
    (Key::Char('g'), Action::Top),
    (Key::Char('G'), Action::Bottom),
    (Key::Code(KeyCode::Esc), Action::Close),
];

/// The action bound to a key press in `context`, if any. Key releases and
/// repeats reported by some terminals are ignored.
pub fn lookup(context: Context, ev: &KeyEvent) -> Option<Action> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    let find = |context: Context| {
        BINDINGS
            .iter()
            .filter(|b| b.context == context)
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action)
    };
    find(context).or_else(|| context.fallback().and_then(find))
}

/// Whether a key would break the line in a text box: Enter (with any
/// modifier), Ctrl-M, a typed line feed or carriage return, and Ctrl-J
/// (which ratatui-textarea reads as "delete to the start of the line"). A
/// one-line box ignores them: nothing is inserted, nothing is discarded.
pub fn breaks_line(ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match ev.code {
        KeyCode::Enter | KeyCode::Char('\n' | '\r') => true,
        KeyCode::Char('j' | 'J' | 'm' | 'M') => ctrl,
        _ => false,
    }
}

/// The status bar's keys in `context`, in order: its own hinted bindings
/// merged with its fallback's (a choice in a form offers the form's keys).
pub fn hints(context: Context) -> Vec<&'static Binding> {
    let mut hinted: Vec<&'static Binding> = BINDINGS
        .iter()
        .filter(|b| b.hint.is_some())
        .filter(|b| b.context == context || Some(b.context) == context.fallback())
        .collect();
    hinted.sort_by_key(|b| b.hint);
    hinted
}

/// What `action` needs in `context` (None: anyone who may use the screen).
pub fn gate(context: Context, action: Action) -> Option<Gate> {
    let of = |context: Context| {
        BINDINGS
            .iter()
            .find(|b| b.context == context && b.action == action)
    };
    of(context)
        .or_else(|| context.fallback().and_then(of))
        .and_then(|b| b.gate)
}

/// The board's action that opens `context`, if one does (the help names
/// its key beside the context's heading).
pub fn opened_by(context: Context) -> Option<Action> {
    match context {
        Context::Picker => Some(Action::Edit),
        Context::Rules => Some(Action::Rules),
        Context::Attendance => Some(Action::Attendance),
        Context::Export => Some(Action::Export),
        Context::Resolve => Some(Action::Resolve),
        Context::Tasks => Some(Action::Tasks),
        Context::Stats => Some(Action::Stats),
        Context::FollowUps => Some(Action::FollowUps),
        Context::Day => Some(Action::Day),
        Context::Narrow => Some(Action::Narrow),
        Context::Help => Some(Action::Help),
        _ => None,
    }
}

/// The keys of an action in a context, as the help and hints write them.
pub fn keys_of(context: Context, action: Action, lang: Lang) -> String {
    let of = |context: Context| {
        BINDINGS
            .iter()
            .filter(|b| b.context == context && b.action == action)
            .flat_map(|b| b.keys.iter().map(|k| k.label(lang)))
            .collect::<Vec<_>>()
            .join("/")
    };
    let keys = of(context);
    match context.fallback() {
        Some(other) if keys.is_empty() => of(other),
        _ => keys,
    }
}

#[cfg(test)]
mod names_tests;

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
    fn line_breaks_are_known_and_ctrl_j_breaks_the_line_in_a_form() {
        let breaks = [
            press(KeyCode::Enter, KeyModifiers::NONE),
            press(KeyCode::Enter, KeyModifiers::ALT),
            press(KeyCode::Enter, KeyModifiers::SHIFT),
            press(KeyCode::Char('j'), KeyModifiers::CONTROL),
            press(KeyCode::Char('m'), KeyModifiers::CONTROL),
            press(KeyCode::Char('\n'), KeyModifiers::NONE),
            press(KeyCode::Char('\r'), KeyModifiers::NONE),
        ];
        for ev in breaks {
            assert!(breaks_line(&ev), "{ev:?}");
        }
        let text = [
            press(KeyCode::Char('j'), KeyModifiers::NONE),
            press(KeyCode::Char('m'), KeyModifiers::NONE),
            press(KeyCode::Char('k'), KeyModifiers::CONTROL),
            press(KeyCode::Backspace, KeyModifiers::NONE),
        ];
        for ev in text {
            assert!(!breaks_line(&ev), "{ev:?}");
        }
        for context in [Context::Form, Context::Choice] {
            assert_eq!(
                lookup(context, &press(KeyCode::Char('j'), KeyModifiers::CONTROL)),
                Some(Action::NewLine)
            );
            assert_eq!(
                lookup(context, &press(KeyCode::Enter, KeyModifiers::ALT)),
                Some(Action::NewLine)
            );
        }
    }

    #[test]
    fn the_keys_named_in_text_are_bound_to_what_the_text_says() {
        for (k, action) in DETAIL_KEYS {
            let bound = BINDINGS
                .iter()
                .any(|b| b.context == Context::Board && b.action == action && b.keys.contains(&k));
            assert!(bound, "{k:?} does not {action:?} on the board");
        }
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

    #[test]
    fn the_status_bar_offers_each_key_once_in_a_set_order() {
        for context in Context::ALL {
            let hints = hints(context);
            let mut orders: Vec<_> = hints.iter().map(|b| b.hint).collect();
            orders.dedup();
            assert_eq!(
                orders.len(),
                hints.len(),
                "two hints share a place in {context:?}"
            );
        }
        let board: Vec<Action> = hints(Context::Board).iter().map(|b| b.action).collect();
        assert_eq!(
            &board[..3],
            &[Action::Help, Action::Quit, Action::Open],
            "help and quit first: they must survive an 80-column cut"
        );
        // A choice in a form offers its own keys between the form's.
        let choice: Vec<Action> = hints(Context::Choice).iter().map(|b| b.action).collect();
        assert_eq!(
            &choice[..6],
            &[
                Action::Submit,
                Action::Dismiss,
                Action::ChoiceNext,
                Action::ChoicePrev,
                Action::ChoiceClear,
                Action::NextField
            ]
        );
    }

    #[test]
    fn every_key_that_leads_to_a_write_names_what_it_needs() {
        use crate::domain::roles::Permission;
        let decide = Some(Gate::Permission(Permission::Decide));
        for (action, needs) in [
            (Action::Validate, decide),
            (Action::Postpone, decide),
            (Action::Cancel, decide),
            (Action::Undo, decide),
            (Action::Note, Some(Gate::Permission(Permission::Notes))),
            (
                Action::Attendance,
                Some(Gate::Permission(Permission::Attendance)),
            ),
            (Action::Export, Some(Gate::Permission(Permission::Export))),
            (Action::Edit, Some(Gate::EditAny)),
            (Action::Resolve, Some(Gate::ResolveCase)),
            (Action::Help, None),
            (Action::Rules, None),
        ] {
            assert_eq!(gate(Context::Board, action), needs, "{action:?}");
        }
        assert_eq!(
            gate(Context::Resolve, Action::TakeFile),
            Some(Gate::ResolveRow)
        );
        // The fallback's gate applies where the context has none of its own.
        assert_eq!(gate(Context::Choice, Action::Submit), None);
    }
}
