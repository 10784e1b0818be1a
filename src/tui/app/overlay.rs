//! What covers the board. Each overlay is a component: its state, with
//! `impl Component` beside it in `app/` — the context its keys are read
//! in, the keys no binding takes (text), pastes, what it holds that is
//! being typed (kept as a draft), and `update`, which carries out an
//! action with what `Ctx` lends it (the file, the week as loaded, the
//! language, the role) and says what becomes of it (`Outcome`: it stays,
//! closes, or gives way to another overlay). It draws itself (`Draw`,
//! implemented in `ui/`, which only reads). `App` delegates to the open
//! one through `Overlay`, which the `overlays!` macro generates, and
//! applies what the update asked for (`Ctx::flash`, `error`, `reload`)
//! once it returns. Adding an overlay: its state, `impl Component` and
//! the `App` method that opens it, in one file of `app/` (with its `mod`
//! line; the dialogs' and forms' text-editing state is older and lives
//! in `tui/dialog.rs` and `tui/form.rs`); its `impl Draw`
//! (`ui/components.rs`); one line of the macro;
//! the arm of `App::dispatch` for the action that opens it; and its keys:
//! its `Context` (named for the help in `text::screen::context_name`)
//! and its rows in `keys/bindings.rs`.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::{App, AttendanceState, ExportState, PickerState, ProcedureState, ResolveState};
use super::{NodState, RulesState};
use crate::domain::message::Lang;
use crate::domain::roles::{self, Permission, Role};
use crate::storage::Db;
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::data::WeekData;
use crate::tui::dialog::Dialog;
use crate::tui::form::FormState;
use crate::tui::keys::{Context, Offer};
use crate::tui::watchdog::Typing;

/// Drawing: reads the state (and the app around it), never writes.
pub trait Draw {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer);
}

/// An overlay's own behaviour. The key table's gates are checked before
/// an action gets here (`App::dispatch`).
pub trait Component: Draw {
    /// The context its keys are read in now.
    fn context(&self) -> Context;
    /// Carries out an action of its context (most write through storage,
    /// with `ctx.db`); says whether it stays open.
    fn update(&mut self, _action: Action, _ctx: &mut Ctx<'_>) -> Outcome {
        Outcome::Stay
    }
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
    /// What is being typed, to keep as a draft (Esc, a dropped link, the
    /// watchdog); None when nothing is.
    fn typing(&self) -> Option<Typing> {
        None
    }
    /// Whether the status bar offers a key that depends on this overlay's
    /// state (`Offer`, from the key table).
    fn offers(&self, _offer: Offer) -> bool {
        true
    }
    /// The week was reloaded (someone wrote, or its own update asked):
    /// shows what is stored now. Returns false when it should close.
    fn data_changed(&mut self, _now: &Refresh<'_>) -> bool {
        true
    }
}

/// What becomes of an overlay after its update.
pub enum Outcome {
    Stay,
    Close,
    /// Another overlay takes its place (the list of forms opens one).
    Replace(Overlay),
}

/// Esc on a form of `context`: closes it when nothing was typed, or asks
/// once more (the question in `error`, `confirming` set); Esc again closes.
pub(super) fn dismiss_form(
    modified: bool,
    confirming: &mut bool,
    error: &mut Option<String>,
    context: Context,
    lang: Lang,
) -> Outcome {
    if !modified || *confirming {
        return Outcome::Close;
    }
    *confirming = true;
    let key = |a| crate::tui::keys::keys_of(context, a, lang);
    *error = Some(screen::confirm_drop(
        lang,
        &key(Action::Dismiss),
        &key(Action::Submit),
    ));
    Outcome::Stay
}

/// What an overlay's update may use, and what it asks of the app: a
/// message and a reload of the week, applied in the order asked once the
/// update returns (the overlay is back in place by then, so a reload tells
/// it through `data_changed`).
pub struct Ctx<'a> {
    /// The file: reads, and writes (`write_as` checks the role again).
    pub db: &'a mut Db,
    /// The week as loaded when the update began.
    pub data: &'a WeekData,
    pub lang: Lang,
    role: Option<Role>,
    disabled: bool,
    effects: Vec<Effect>,
}

enum Effect {
    Flash(String),
    Error(String),
    Reload,
    Show(i64),
    Narrow(Option<super::Narrow>),
}

impl Ctx<'_> {
    /// Whether the role allows `p` (as `App::may`).
    pub fn may(&self, p: Permission) -> bool {
        roles::allows(self.role, p)
    }

    /// The role of the person at the keyboard (`None`: not a user).
    pub fn role(&self) -> Option<Role> {
        self.role
    }

    /// Says why the role may not do `p` (as every refusal); false then.
    pub fn allowed(&mut self, p: Permission) -> bool {
        if self.may(p) {
            return true;
        }
        let text = screen::not_allowed(self.lang, self.role, self.disabled, p);
        self.error(text);
        false
    }

    /// A message in the status bar.
    pub fn flash(&mut self, text: String) {
        self.effects.push(Effect::Flash(text));
    }

    /// A refusal in the status bar (made one line).
    pub fn error(&mut self, text: String) {
        self.effects.push(Effect::Error(text));
    }

    /// Reads the week again (after a write), keeping the selection; the
    /// open overlay is then told (`Component::data_changed`).
    pub fn reload(&mut self) {
        self.effects.push(Effect::Reload);
    }

    /// Selects the case on the board and opens its detail.
    pub fn show_case(&mut self, case_id: i64) {
        self.effects.push(Effect::Show(case_id));
    }

    /// Shows only the cases of one day, room or operator (None: every case).
    pub fn narrow(&mut self, to: Option<super::Narrow>) {
        self.effects.push(Effect::Narrow(to));
    }
}

/// What an overlay may read when the data changed.
pub struct Refresh<'a> {
    pub db: &'a Db,
    pub data: &'a WeekData,
    pub lang: Lang,
}

impl App {
    fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            db: &mut self.db,
            data: &self.data,
            lang: self.opts.lang,
            role: self.role,
            disabled: self.disabled,
            effects: Vec::new(),
        }
    }

    /// Runs `f` with a `Ctx`, then applies what it asked for (for what the
    /// board shares with the overlays, such as a decision).
    pub(super) fn with_ctx<T>(&mut self, f: impl FnOnce(&mut Ctx<'_>) -> T) -> T {
        let mut ctx = self.ctx();
        let done = f(&mut ctx);
        let effects = std::mem::take(&mut ctx.effects);
        self.apply(effects);
        done
    }

    /// Applies the effects in the order asked; an error (a refusal, a
    /// reload that failed) stays on the status line: a later message of
    /// the same action does not cover it.
    fn apply(&mut self, effects: Vec<Effect>) {
        let mut failed = false;
        for effect in effects {
            match effect {
                Effect::Flash(text) if !failed => self.flash(text),
                Effect::Flash(_) => {}
                Effect::Error(text) => {
                    self.error(text);
                    failed = true;
                }
                Effect::Reload => {
                    if self.reload() {
                        self.overlay_data_changed();
                    } else {
                        failed = true;
                    }
                }
                Effect::Show(case_id) => self.show_case(case_id),
                Effect::Narrow(to) => self.narrow_to(to),
            }
        }
    }

    /// Carries out `action` in the open overlay (its `Component::update`),
    /// then what it asked for; false when none is open.
    pub(super) fn overlay_update(&mut self, action: Action) -> bool {
        let Some(mut overlay) = self.overlay.take() else {
            return false;
        };
        let mut ctx = self.ctx();
        let outcome = overlay.component_mut().update(action, &mut ctx);
        let effects = std::mem::take(&mut ctx.effects);
        self.overlay = match outcome {
            Outcome::Stay => Some(overlay),
            Outcome::Close => None,
            Outcome::Replace(next) => Some(next),
        };
        self.apply(effects);
        true
    }

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

    /// What is being typed in the open overlay, if anything.
    pub fn typing(&self) -> Option<Typing> {
        self.overlay.as_ref().and_then(|o| o.component().typing())
    }
}

/// The help (generated from the key table).
pub struct HelpState {
    pub scroll: u16,
    /// The last line it scrolls to, and the lines its box shows: set by
    /// the app from the screen's size before each action (`App::dispatch`).
    pub max: u16,
    pub page: u16,
}

impl HelpState {
    /// At the top, on a screen of `size`.
    pub fn new(app: &App) -> HelpState {
        let mut h = HelpState {
            scroll: 0,
            max: 0,
            page: 0,
        };
        h.fit(app);
        h
    }

    /// Takes the help's length and box on the screen as it is now.
    pub fn fit(&mut self, app: &App) {
        (self.max, self.page) = crate::tui::ui::overlay::help_extent(app, app.size);
        self.scroll = self.scroll.min(self.max);
    }
}

macro_rules! overlays {
    ($($(#[$doc:meta])* $variant:ident($state:ty),)*) => {
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
    };
}

overlays! {
    Help(HelpState),
    /// Validate with an override, postpone, cancel, note.
    Dialog(Dialog),
    Picker(PickerState),
    Form(FormState),
    /// The procedure form: the access route.
    Procedure(ProcedureState),
    Rules(RulesState),
    Attendance(AttendanceState),
    Export(ExportState),
    /// The selected case's conflicting file values (P).
    Resolve(ResolveState),
    /// The cases with nothing to discuss, to validate at once (V).
    Nod(NodState),
    /// The chase list of the week (t).
    Tasks(super::TasksState),
    /// The committee's indicators (S).
    Stats(super::StatsState),
    /// A case to reschedule: its new date, time and room (r).
    Reschedule(super::RescheduleState),
    /// One day, room or operator to show (s).
    Narrow(super::NarrowState),
    /// The follow-up calls to make.
    FollowUps(super::FollowUpsState),
    /// Recording one follow-up call.
    FollowUpForm(super::FollowUpFormState),
    /// The day of the procedure (d).
    Day(super::DayState),
}

impl Component for HelpState {
    fn context(&self) -> Context {
        Context::Help
    }
    /// Scrolls, and closes.
    fn update(&mut self, action: Action, _ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            // Never past its end.
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(self.max),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => {
                self.scroll = self
                    .scroll
                    .saturating_add(self.page.saturating_sub(1).max(1))
                    .min(self.max)
            }
            Action::PageUp => {
                self.scroll = self
                    .scroll
                    .saturating_sub(self.page.saturating_sub(1).max(1))
            }
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = self.max,
            Action::Close | Action::Dismiss => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }
}

/// A letter typed on a choice (no Ctrl or Alt).
pub(super) fn letter(key: &KeyEvent) -> Option<char> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain => Some(c),
        _ => None,
    }
}
