//! What covers the board. Each overlay's state is a component: it names
//! the context its keys are read in, takes the keys no binding takes
//! (text), pastes, and draws itself (`Draw`, implemented in `ui/`, which
//! only reads). `App` delegates to the open one through `Overlay`, which
//! the `overlays!` macro generates: adding an overlay is its state and
//! `impl Component` (app/), its `impl Draw` (ui/), one line of the macro,
//! its line in `App::dispatch` and its rows in the key table.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::RulesState;
use super::{App, AttendanceState, ExportField, ExportState, ProcedureState, ResolveState};
use crate::domain::message::Lang;
use crate::domain::record::EvidenceKind;
use crate::domain::text::sanitize_line as clean_line;
use crate::storage::Db;
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::data::WeekData;
use crate::tui::dialog::Dialog;
use crate::tui::form::FormState;
use crate::tui::keys::{Context, Offer};

/// Drawing: reads the state (and the app around it), never writes.
pub trait Draw {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer);
}

/// An overlay's own behaviour (its actions are `App::dispatch`'s: most
/// write through storage).
pub trait Component: Draw {
    /// The context its keys are read in now.
    fn context(&self) -> Context;
    /// A key no binding takes: text for the field with the cursor.
    /// Returns whether anything changed.
    fn type_key(&mut self, _key: KeyEvent, _lang: Lang) -> bool {
        false
    }
    /// Whether the field with the cursor takes line breaks.
    fn multiline(&self) -> bool {
        false
    }
    /// Pasted text (line breaks already normalised to `\n`).
    fn paste(&mut self, _text: &str) {}
    /// Whether the status bar offers a key that depends on this overlay's
    /// state (`Offer`, from the key table).
    fn offers(&self, _offer: Offer) -> bool {
        true
    }
    /// The week was reloaded (someone wrote): shows what is stored now.
    /// Returns false when it should close.
    fn data_changed(&mut self, _now: &Refresh<'_>) -> bool {
        true
    }
}

/// What an overlay may read when the data changed.
pub struct Refresh<'a> {
    pub db: &'a Db,
    pub data: &'a WeekData,
    pub lang: Lang,
}

impl App {
    /// Tells the open overlay the week was reloaded; closes it if it asks.
    pub(super) fn overlay_data_changed(&mut self) {
        let now = Refresh {
            db: &self.db,
            data: &self.data,
            lang: self.opts.lang,
        };
        let keep = match &mut self.overlay {
            Some(o) => o.component_mut().data_changed(&now),
            None => true,
        };
        if !keep {
            self.overlay = None;
        }
    }
}

/// The help (generated from the key table).
pub struct HelpState {
    pub scroll: u16,
}

/// The list of a case's dossier forms; `selected` indexes
/// `EvidenceKind::ALL`, then the procedure form (the last line).
pub struct PickerState {
    pub case_id: i64,
    pub selected: usize,
    /// The forms of this case with a draft kept (read when opened).
    pub drafts: Vec<EvidenceKind>,
}

macro_rules! overlays {
    ($($(#[$doc:meta])* $variant:ident($state:ty) => $update:ident,)*) => {
        /// What covers the board.
        pub enum Overlay {
            $($(#[$doc])* $variant(Box<$state>),)*
        }

        impl Overlay {
            /// The open overlay as a component.
            pub fn component(&self) -> &dyn Component {
                match self {
                    $(Overlay::$variant(x) => &**x,)*
                }
            }

            pub fn component_mut(&mut self) -> &mut dyn Component {
                match self {
                    $(Overlay::$variant(x) => &mut **x,)*
                }
            }
        }

        impl App {
            /// Carries out `action` in the open overlay (its `App` method:
            /// most write through storage); false when none is open.
            pub(super) fn overlay_update(&mut self, action: Action) -> bool {
                match &self.overlay {
                    $(Some(Overlay::$variant(_)) => self.$update(action),)*
                    None => return false,
                }
                true
            }
        }
    };
}

overlays! {
    Help(HelpState) => help_update,
    /// Validate with an override, postpone, cancel, note.
    Dialog(Dialog) => dialog_update,
    Picker(PickerState) => picker_update,
    Form(FormState) => form_update,
    /// The procedure form: the access route.
    Procedure(ProcedureState) => procedure_update,
    Rules(RulesState) => rules_update,
    Attendance(AttendanceState) => attendance_update,
    Export(ExportState) => export_update,
    /// The selected case's conflicting file values (F).
    Resolve(ResolveState) => resolve_update,
}

impl App {
    /// The help: scrolls, and closes.
    fn help_update(&mut self, action: Action) {
        let Some(Overlay::Help(h)) = &mut self.overlay else {
            return;
        };
        match action {
            Action::Down => h.scroll = h.scroll.saturating_add(1),
            Action::Up => h.scroll = h.scroll.saturating_sub(1),
            Action::Close | Action::Dismiss => self.overlay = None,
            _ => {}
        }
    }
}

/// A letter typed on a choice (no Ctrl or Alt).
fn letter(key: &KeyEvent) -> Option<char> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain => Some(c),
        _ => None,
    }
}

impl Component for HelpState {
    fn context(&self) -> Context {
        Context::Help
    }
}

impl Component for PickerState {
    fn context(&self) -> Context {
        Context::Picker
    }
}

impl Component for Dialog {
    fn context(&self) -> Context {
        Context::Dialog
    }
    fn offers(&self, offer: Offer) -> bool {
        match offer {
            Offer::NotConfirming => !self.confirming,
            Offer::DialogHasWeek => !self.confirming && self.has_week(),
            _ => true,
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        self.error = None;
        self.focused().input(key);
        true
    }
    fn multiline(&self) -> bool {
        self.on_text()
    }
    fn paste(&mut self, text: &str) {
        Dialog::paste(self, text);
    }
}

impl Component for FormState {
    /// Reapplying is offered only when the lines still match.
    fn offers(&self, offer: Offer) -> bool {
        match offer {
            Offer::MergePossible => self.conflict.as_ref().is_none_or(|c| c.merged.is_some()),
            _ => true,
        }
    }
    fn context(&self) -> Context {
        if self.conflict.is_some() {
            Context::Conflict
        } else if self.on_choice() {
            Context::Choice
        } else {
            Context::Form
        }
    }
    fn type_key(&mut self, key: KeyEvent, lang: Lang) -> bool {
        match self.context() {
            Context::Choice => {
                if let Some(c) = letter(&key) {
                    self.choose_by_letter(c, |w| screen::choice(lang, w));
                }
                true
            }
            Context::Form => {
                self.error = None;
                self.errors.remove(&self.focus);
                self.input.input(key);
                true
            }
            _ => false,
        }
    }
    fn multiline(&self) -> bool {
        self.on_multiline()
    }
    fn paste(&mut self, text: &str) {
        FormState::paste(self, text);
    }
}

impl Component for ProcedureState {
    fn context(&self) -> Context {
        Context::Procedure
    }
    fn type_key(&mut self, key: KeyEvent, lang: Lang) -> bool {
        if let Some(c) = letter(&key) {
            self.choose_by_letter(c, |w| screen::choice(lang, w));
        }
        true
    }
}

impl Component for RulesState {
    /// Shows what is saved now (not while a value is being typed: its
    /// save checks the version it was read at).
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        if self.editing.is_none()
            && let Ok(set) = now.db.rules()
        {
            self.rows = set.rows().to_vec();
        }
        true
    }
    fn context(&self) -> Context {
        if self.editing.is_some() {
            Context::RuleEdit
        } else {
            Context::Rules
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        let Some(input) = &mut self.editing else {
            return false;
        };
        self.error = None;
        input.input(key);
        true
    }
    fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.editing {
            input.insert_str(clean_line(text));
        }
    }
}

impl Component for AttendanceState {
    fn context(&self) -> Context {
        if self.on_input() {
            Context::AttendanceName
        } else {
            Context::Attendance
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        if !self.on_input() {
            return false;
        }
        self.error = None;
        self.input.input(key);
        true
    }
    fn paste(&mut self, text: &str) {
        if self.on_input() {
            self.input.insert_str(clean_line(text));
        }
    }
}

impl Component for ExportState {
    fn context(&self) -> Context {
        if self.focus == ExportField::File {
            Context::ExportFile
        } else {
            Context::Export
        }
    }
    fn type_key(&mut self, key: KeyEvent, _lang: Lang) -> bool {
        if self.focus != ExportField::File {
            return false;
        }
        self.file.input(key);
        self.file_edited = true;
        self.error = None;
        self.replace = None;
        true
    }
    fn paste(&mut self, text: &str) {
        if self.focus == ExportField::File {
            self.file.insert_str(clean_line(text));
            self.file_edited = true;
        }
    }
}

impl Component for ResolveState {
    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        self.refresh(now.data, now.lang)
    }
    fn context(&self) -> Context {
        if self.confirming.is_some() {
            Context::ResolveConfirm
        } else {
            Context::Resolve
        }
    }
}
