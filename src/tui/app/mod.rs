//! The screen's state and `update`: keys become actions, actions change
//! the state or write through storage. Drawing (`ui/`) only reads it.

use crate::text::Localized;
use std::collections::HashSet;

mod attendance;
mod day;
mod dialogs;
mod export;
mod feed;
mod filter;
mod followup_form;
mod followups;
mod forms;
mod gate;
mod input;
mod narrow;
mod nod;
mod order;
mod overlay;
mod picker;
mod procedure;
mod reschedule;
mod resolve;
mod rules;
mod stats;
mod tasks;
mod tracing;
mod views;

use super::action::Action;
use super::data::{self, CaseView, WeekData};
use super::dialog::Kind;
use super::keys::{self, Context};
use super::theme::Theme;
use crate::domain::message::Lang;
use crate::domain::roles::{self, Permission, Role};
use crate::domain::text::{search_matches, search_words};
use crate::domain::week::Week;
use crate::storage::{Db, Result, drafts};
use crate::text::screen;
pub use attendance::AttendanceState;
pub use day::{DayField, DayState};
pub use dialogs::{code_keys, code_required};
pub use export::{ExportField, ExportState};
pub use filter::Filter;
pub use followup_form::{Field as FollowUpField, FollowUpFormState};
pub use followups::{FollowUpRow, FollowUpsState};
pub use narrow::{Narrow, NarrowState};
pub use nod::NodState;
pub use order::Order;
pub use overlay::{Component, Ctx, Draw, HelpState, Outcome, Overlay};
pub use picker::PickerState;
pub use procedure::ProcedureState;
pub use reschedule::{RescheduleState, parts as reschedule_parts};
pub use resolve::{ResolveRow, ResolveState};
pub use rules::{RulesState, row_key as rules_row_key, row_value as rules_row_value};
pub use stats::{Bar, StatsState, StatsView, span_from as stats_span_from};
pub use tasks::{TaskRow, TasksState, counts as task_counts, rows as tasks_rows};

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

/// Options fixed at start.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub lang: Lang,
    pub theme: Theme,
    pub mouse: bool,
}

pub struct App {
    db: Db,
    pub opts: Options,
    pub data: WeekData,
    pub filter: Filter,
    /// One day, room or operator the board is narrowed to (`s`).
    pub narrow: Option<Narrow>,
    /// The board's order (`o`), kept per login in the file.
    pub order: Order,
    /// The search text; `searching` while it is being typed.
    pub search: String,
    pub searching: bool,
    /// The search before the one being typed (`/` starts a new one; ↑
    /// brings this back).
    pub previous_search: String,
    /// Indices into `data.cases` that the filter and search keep.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    /// First visible row of the board.
    pub offset: usize,
    /// The detail is open full-screen (narrow terminals).
    pub detail_open: bool,
    /// Lines the full-screen detail is scrolled by (↑/↓ scroll it).
    pub detail_scroll: u16,
    pub overlay: Option<Overlay>,
    pub flash: Option<Flash>,
    /// Where `i` writes a case's instruction sheet: the current folder.
    pub sheet_dir: std::path::PathBuf,
    /// The home folder a leading `~` in a typed file name stands for
    /// (`$HOME`, read once at start by `cli`; None: `~` is a name).
    pub home: Option<std::path::PathBuf>,
    /// Cases that changed since the last reload by someone else.
    pub changed: HashSet<i64>,
    /// Terminal size, for the layout.
    pub size: (u16, u16),
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// The user's role (a login the file does not know never gets here:
    /// `data::load` refuses it).
    pub role: Option<Role>,
    /// The user is one a chair disabled (`role` is then None).
    pub disabled: bool,
    data_version: i64,
    /// Bumped whenever the week is (re)loaded: the views built from it
    /// are stale.
    generation: u64,
    /// The selected case's detail, built once per change (`refresh_views`).
    detail_view: Option<super::ui::detail::DetailView>,
    /// The board's text, built once per load and width (`refresh_views`).
    board_view: Option<super::ui::board::BoardView>,
    /// Consultations waiting to be traced (`tui::trace`).
    trace: std::sync::Arc<super::trace::Queue>,
    seen: super::trace::Seen,
}

impl App {
    pub fn new(db: Db, week: Week, opts: Options, size: (u16, u16)) -> Result<App> {
        Self::with_key(db, week, opts, size, None)
    }

    /// [`App::new`] with the pseudonym key a viewer's screen is seen with
    /// (`data::require_screen`).
    pub fn with_key(
        db: Db,
        week: Week,
        opts: Options,
        size: (u16, u16),
        key: Option<crate::export::pseudo::Pseudonymiser>,
    ) -> Result<App> {
        // The version first: a commit landing during the load is seen later.
        let data_version = db.data_version()?;
        let data = data::load(&db, week, key.as_ref())?;
        let drafts = drafts::list(&db, db.login()).unwrap_or_default();
        let role = db.role()?;
        let disabled = role.is_none() && db.is_disabled()?;
        let order = crate::storage::preferences::get(&db, db.login(), order::KEY)
            .ok()
            .flatten()
            .map_or(Order::Time, |v| Order::parse(&v));
        let mut app = App {
            db,
            opts,
            data,
            filter: Filter::All,
            narrow: None,
            order,
            search: String::new(),
            searching: false,
            previous_search: String::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            detail_open: false,
            detail_scroll: 0,
            overlay: None,
            flash: None,
            sheet_dir: std::path::PathBuf::from("."),
            home: None,
            changed: HashSet::new(),
            size,
            quit: false,
            dirty: true,
            role,
            disabled,
            data_version,
            generation: 0,
            detail_view: None,
            board_view: None,
            trace: std::sync::Arc::default(),
            seen: super::trace::Seen::default(),
        };
        app.refilter(None);
        app.trace_board();
        // The pain team's nurse makes the calls: the screen opens on them
        // (Esc: the board).
        if role == Some(Role::Nurse) {
            app.open_followups();
        }
        app.refresh_views();
        if role.is_none() {
            let login = app.db.login().to_owned();
            app.flash(screen::read_only(app.lang(), &login, app.disabled));
        } else if !drafts.is_empty() {
            let ids: Vec<String> = drafts
                .iter()
                .filter_map(|d| app.data.cases.iter().find(|c| c.id() == d.case_id))
                .map(|c| c.stored.file.external_id.clone())
                .collect();
            app.flash(screen::drafts_waiting(app.lang(), drafts.len(), &ids));
        }
        Ok(app)
    }

    /// Whether the user's role allows `p` (the storage layer enforces the
    /// same table; this only spares typing what would be refused).
    pub fn may(&self, p: Permission) -> bool {
        roles::allows(self.role, p)
    }

    pub fn lang(&self) -> Lang {
        self.opts.lang
    }

    /// Whether the file's time zone is not a place (UTC, Etc/…): a banner
    /// says so at the top until a chair sets the hospital's.
    pub fn zone_banner(&self) -> bool {
        crate::domain::zone::is_generic(self.data.tz)
    }

    pub fn week(&self) -> Week {
        self.data.week
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    #[cfg(test)]
    pub(crate) fn db_mut_for_tests(&mut self) -> &mut Db {
        &mut self.db
    }

    /// The selected case, if any.
    pub fn current(&self) -> Option<&CaseView> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.data.cases.get(i))
    }

    /// How many times the week was (re)loaded.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The context keys are read in.
    pub fn context(&self) -> Context {
        if self.searching {
            return Context::Search;
        }
        self.overlay
            .as_ref()
            .map_or(Context::Board, |o| o.component().context())
    }

    /// Carries out an action.
    pub fn update(&mut self, action: Action) {
        self.dispatch(action);
        self.refresh_views();
    }

    fn dispatch(&mut self, action: Action) {
        self.dirty = true;
        if !matches!(
            action,
            Action::Submit
                | Action::NewLine
                | Action::NextField
                | Action::PrevField
                | Action::ChoiceNext
                | Action::ChoicePrev
        ) {
            self.flash = None;
        }
        // What the role may not do is refused here, with the reason, from
        // the key table (storage checks again on every write).
        let context = self.context();
        if let Some(gate) = keys::gate(context, action)
            && !self.passes(gate)
        {
            return self.refuse(gate);
        }
        if context == Context::Search {
            return self.search_update(action);
        }
        // The help scrolls to its end on the screen as it is now.
        if matches!(self.overlay, Some(Overlay::Help(_)))
            && let Some(Overlay::Help(mut h)) = self.overlay.take()
        {
            h.fit(self);
            self.overlay = Some(Overlay::Help(h));
        }
        // The open overlay takes the action (`overlays!`).
        if self.overlay_update(action) {
            return;
        }
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top if self.detail_open => self.detail_scroll = 0,
            Action::Bottom if self.detail_open => {
                self.detail_scroll = super::ui::detail::max_scroll(self)
            }
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(self.visible.len().saturating_sub(1)),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::PrevWeek => self.go_to_week(self.week().offset(-1)),
            Action::NextWeek => self.go_to_week(self.week().offset(1)),
            Action::Open => {
                // Full-screen on a narrow terminal; focused beside the board
                // on a wide one (↑/↓ then scroll it, Esc returns).
                if self.current().is_some() {
                    self.detail_open = true;
                    self.detail_scroll = 0;
                }
            }
            Action::Close => self.close(),
            Action::Validate => self.validate(),
            Action::Postpone => self.open_dialog(Kind::Postpone),
            Action::Cancel => self.open_dialog(Kind::Cancel),
            Action::Note => self.open_dialog(Kind::Note),
            Action::Edit => self.open_picker(),
            Action::Rules => self.open_rules(),
            Action::Attendance => self.open_attendance(),
            Action::Export => self.open_export(),
            Action::Instructions => self.write_sheet(),
            Action::Resolve => self.open_resolve(),
            Action::AckIdentity => self.ack_identity(),
            Action::AckResult => self.ack_results(),
            Action::Tasks => self.open_tasks(),
            Action::Stats => self.open_stats(),
            Action::FollowUps => self.open_followups(),
            Action::Undo => self.undo(),
            Action::Reschedule => self.open_reschedule(),
            Action::Day => self.open_day(),
            Action::Nod => self.open_nod(),
            Action::Search => {
                // A new search: the one before comes back on ↑.
                self.searching = true;
                if !self.search.trim().is_empty() {
                    self.previous_search = std::mem::take(&mut self.search);
                }
                self.search.clear();
                self.refilter(self.current().map(CaseView::id));
            }
            Action::Filter => {
                self.filter = self.filter.next();
                self.refilter(self.current().map(CaseView::id));
            }
            Action::Order => self.cycle_order(),
            Action::Narrow => self.open_narrow(),
            Action::Help => self.overlay = Some(Overlay::Help(Box::new(HelpState::new(self)))),
            Action::Quit => self.quit = true,
            // Keys of the overlays (handled above).
            Action::Submit
            | Action::Dismiss
            | Action::NewLine
            | Action::NextField
            | Action::PrevField
            | Action::AddLine
            | Action::RemoveLine
            | Action::ChoiceNext
            | Action::ChoicePrev
            | Action::ChoiceClear
            | Action::KeepTheirs
            | Action::Reapply
            | Action::BackToEditing
            | Action::Toggle
            | Action::Revert
            | Action::KeepStored
            | Action::TakeFile
            | Action::Mine
            | Action::Span => {}
        }
    }

    fn close(&mut self) {
        if self.overlay.take().is_some() {
            return;
        }
        if self.detail_open {
            self.detail_open = false;
        } else if !self.search.is_empty() {
            self.search.clear();
            self.refilter(self.current().map(CaseView::id));
        } else if self.narrow.is_some() {
            self.narrow_to(None);
        }
    }

    fn page(&self) -> usize {
        usize::from(self.areas().board.height.saturating_sub(1)).max(1)
    }

    fn move_by(&mut self, delta: isize) {
        if self.overlay.is_some() || self.visible.is_empty() {
            return;
        }
        if self.detail_open {
            let by = u16::try_from(delta.unsigned_abs()).unwrap_or(u16::MAX);
            self.detail_scroll = if delta < 0 {
                self.detail_scroll.saturating_sub(by)
            } else {
                self.detail_scroll
                    .saturating_add(by)
                    .min(super::ui::detail::max_scroll(self))
            };
            return;
        }
        let last = self.visible.len() - 1;
        let to = (self.selected as isize + delta).clamp(0, last as isize) as usize;
        self.move_to(to);
    }

    fn move_to(&mut self, i: usize) {
        if self.overlay.is_some() {
            return;
        }
        let to = i.min(self.visible.len().saturating_sub(1));
        if to != self.selected {
            // Another case opens at its top.
            self.detail_scroll = 0;
        }
        self.selected = to;
        self.scroll_to_selection();
    }

    /// Keeps the selected row on screen.
    fn scroll_to_selection(&mut self) {
        let page = self.page();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.visible.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }

    /// Recomputes the visible cases; keeps `keep` selected when it stays.
    fn refilter(&mut self, keep: Option<i64>) {
        let words = search_words(&self.search);
        self.visible = self
            .data
            .cases
            .iter()
            .enumerate()
            .filter(|(_, c)| self.filter.keeps(c))
            .filter(|(_, c)| self.narrow.as_ref().is_none_or(|n| n.keeps(c)))
            .filter(|(_, c)| search_matches(&c.search_key, &words))
            .map(|(i, _)| i)
            .collect();
        self.order.sort(&self.data.cases, &mut self.visible);
        let kept = keep.and_then(|id| {
            self.visible
                .iter()
                .position(|&i| self.data.cases[i].id() == id)
        });
        self.selected = kept.unwrap_or(0);
        if kept.is_none() {
            self.offset = 0;
        }
        self.scroll_to_selection();
        self.dirty = true;
    }

    fn go_to_week(&mut self, week: Week) {
        if self.overlay.is_some() {
            return;
        }
        match data::load(&self.db, week, self.data.key.as_ref()) {
            Ok(data) => {
                self.data = data;
                self.generation += 1;
                self.changed.clear();
                self.detail_open = false;
                self.detail_scroll = 0;
                // A day is of its week; a room or an operator stays.
                if matches!(self.narrow, Some(Narrow::Day(_))) {
                    self.narrow = None;
                }
                self.refilter(None);
                self.trace_board();
            }
            Err(e) => self.error(e.in_lang(self.lang())),
        }
    }

    /// Reloads the week after a write, keeping the selection on the case.
    /// A load that fails says so, keeps the week shown, and leaves the
    /// version unread: the next poll tries again. Returns whether it loaded.
    fn reload(&mut self) -> bool {
        let keep = self.current().map(CaseView::id);
        // The version first: a commit landing during the load is seen later.
        let version = self.db.data_version();
        match data::load(&self.db, self.week(), self.data.key.as_ref()) {
            Ok(data) => {
                if let Ok(v) = version {
                    self.data_version = v;
                }
                self.data = data;
                self.generation += 1;
                self.refilter(keep);
                self.trace_board();
                true
            }
            Err(e) => {
                self.error(e.in_lang(self.lang()));
                false
            }
        }
    }

    /// Called about once a second: reloads what others wrote, keeps the
    /// selection, and marks the cases that changed. Returns whether it did.
    pub fn poll_changes(&mut self) -> bool {
        let Ok(version) = self.db.data_version() else {
            return false;
        };
        if version == self.data_version {
            return false;
        }
        let before: std::collections::HashMap<i64, crate::tui::data::Fingerprint> = self
            .data
            .cases
            .iter()
            .map(|c| (c.id(), c.fingerprint()))
            .collect();
        if !self.reload() {
            // Said on the status line; the next poll tries again.
            return true;
        }
        self.overlay_data_changed();
        let mut names = Vec::new();
        for c in &self.data.cases {
            let changed = before.get(&c.id()).is_none_or(|f| *f != c.fingerprint());
            if changed {
                self.changed.insert(c.id());
                names.push(c.stored.file.external_id.clone());
            }
        }
        // An error on screen stays until the next key.
        if !names.is_empty() && self.flash.as_ref().is_none_or(|f| !f.error) {
            self.flash(screen::changed_by_others(self.lang(), &names));
        }
        self.refresh_views();
        true
    }

    fn flash(&mut self, text: String) {
        self.flash = Some(Flash { text, error: false });
        self.dirty = true;
    }

    fn error(&mut self, text: String) {
        self.flash = Some(Flash {
            text: crate::domain::text::sanitize_message(&text),
            error: true,
        });
        self.dirty = true;
    }
}
