//! The screen's state and `update`: keys become actions, actions change
//! the state or write through storage. Drawing (`ui/`) only reads it.

use std::collections::HashSet;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, MouseEventKind};

use super::action::Action;
use super::catalogue;
use super::data::{self, CaseView, WeekData};
use super::dialog::{Dialog, Kind};
use super::keys::{self, Context};
use super::theme::Theme;
use super::ui::layout;
use crate::decide::{self, Request};
use crate::domain::message::Lang;
use crate::domain::text::{fold, sanitize};
use crate::domain::vocab::DecisionStatus;
use crate::domain::week::Week;
use crate::storage::{Db, Result, drafts, notes};

/// Which cases the board lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Incomplete,
    Pending,
    Validated,
    Postponed,
}

impl Filter {
    pub const ALL: [Filter; 5] = [
        Filter::All,
        Filter::Incomplete,
        Filter::Pending,
        Filter::Validated,
        Filter::Postponed,
    ];

    fn next(self) -> Filter {
        let i = Filter::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Filter::ALL[(i + 1) % Filter::ALL.len()]
    }

    fn keeps(self, c: &CaseView) -> bool {
        match self {
            Filter::All => true,
            Filter::Incomplete => !c.assessment.complete(),
            Filter::Pending => c.stored.status == DecisionStatus::Pending,
            Filter::Validated => c.stored.status == DecisionStatus::Validated,
            Filter::Postponed => c.stored.status == DecisionStatus::Postponed,
        }
    }
}

/// What covers the board.
pub enum Overlay {
    Help { scroll: u16 },
    Dialog(Box<Dialog>),
}

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
    /// The search text; `searching` while it is being typed.
    pub search: String,
    pub searching: bool,
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
    /// Cases that changed since the last reload by someone else.
    pub changed: HashSet<i64>,
    /// Terminal size, for the layout.
    pub size: (u16, u16),
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    data_version: i64,
}

impl App {
    pub fn new(db: Db, week: Week, opts: Options, size: (u16, u16)) -> Result<App> {
        // The version first: a commit landing during the load is seen later.
        let data_version = db.data_version()?;
        let data = data::load(&db, week)?;
        let drafts = drafts::list(&db, db.login()).unwrap_or_default();
        let mut app = App {
            db,
            opts,
            data,
            filter: Filter::All,
            search: String::new(),
            searching: false,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            detail_open: false,
            detail_scroll: 0,
            overlay: None,
            flash: None,
            changed: HashSet::new(),
            size,
            quit: false,
            dirty: true,
            data_version,
        };
        app.refilter(None);
        if !drafts.is_empty() {
            let ids: Vec<String> = drafts
                .iter()
                .filter_map(|d| app.data.cases.iter().find(|c| c.id() == d.case_id))
                .map(|c| c.stored.file.external_id.clone())
                .collect();
            app.flash(catalogue::drafts_waiting(app.lang(), drafts.len(), &ids));
        }
        Ok(app)
    }

    pub fn lang(&self) -> Lang {
        self.opts.lang
    }

    pub fn week(&self) -> Week {
        self.data.week
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The selected case, if any.
    pub fn current(&self) -> Option<&CaseView> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.data.cases.get(i))
    }

    /// The context keys are read in.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Dialog(_)) => Context::Dialog,
            Some(Overlay::Help { .. }) => Context::Help,
            None => Context::Board,
        }
    }

    /// One terminal event.
    pub fn handle_event(&mut self, event: Event) {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Paste(text) => self.paste(&text),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.scroll_to_selection();
                self.dirty = true;
            }
            Event::Mouse(m) if self.opts.mouse && self.overlay.is_none() => match m.kind {
                MouseEventKind::ScrollDown => self.update(Action::Down),
                MouseEventKind::ScrollUp => self.update(Action::Up),
                MouseEventKind::Down(_) => {
                    if let Some(row) = layout::board_row_at(self.size, m.column, m.row) {
                        let i = self.offset + row;
                        if i < self.visible.len() {
                            self.selected = i;
                            self.dirty = true;
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        if layout::is_too_small(self.size) {
            // Nothing can be seen: only leaving works.
            if keys::lookup(Context::Board, &key) == Some(Action::Quit) {
                self.quit = true;
            }
            return;
        }
        if self.searching {
            self.search_key(key);
            return;
        }
        let context = self.context();
        match keys::lookup(context, &key) {
            Some(action) => self.update(action),
            None => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    d.error = None;
                    d.focused().input(key);
                    self.dirty = true;
                }
            }
        }
    }

    fn search_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter => self.searching = false,
            KeyCode::Esc => {
                self.searching = false;
                self.search.clear();
                self.refilter(self.current().map(CaseView::id));
            }
            KeyCode::Backspace => {
                self.search.pop();
                self.refilter(None);
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
            {
                self.search.push(c);
                self.refilter(None);
            }
            _ => {}
        }
        self.dirty = true;
    }

    fn paste(&mut self, text: &str) {
        // Terminals send a pasted line break as CR.
        let text = &text.replace("\r\n", "\n").replace('\r', "\n");
        if self.searching {
            self.search
                .push_str(&crate::domain::text::sanitize_line(text));
            self.refilter(None);
        } else if let Some(Overlay::Dialog(d)) = &mut self.overlay {
            d.paste(text);
        }
        self.dirty = true;
    }

    /// Carries out an action.
    pub fn update(&mut self, action: Action) {
        self.dirty = true;
        if !matches!(action, Action::Submit | Action::NewLine | Action::NextField) {
            self.flash = None;
        }
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top if self.detail_open => self.detail_scroll = 0,
            Action::Bottom if self.detail_open => self.detail_scroll = 200,
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
            Action::Undo => self.undo(),
            Action::Search => {
                self.searching = true;
            }
            Action::Filter => {
                self.filter = self.filter.next();
                self.refilter(self.current().map(CaseView::id));
            }
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Quit => self.quit = true,
            Action::Submit => self.submit(),
            Action::Dismiss => self.dismiss(),
            Action::NewLine => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay
                    && d.focus == super::dialog::Field::Text
                {
                    d.text.insert_newline();
                }
            }
            Action::NextField => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    d.next_field();
                }
            }
        }
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            match action {
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::Up => *scroll = scroll.saturating_sub(1),
                _ => {}
            }
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
        }
    }

    fn page(&self) -> usize {
        layout::board_page(self.size).max(1)
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
                self.detail_scroll.saturating_add(by).min(200)
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
        self.selected = i.min(self.visible.len().saturating_sub(1));
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
        let needle = fold(self.search.trim());
        self.visible = self
            .data
            .cases
            .iter()
            .enumerate()
            .filter(|(_, c)| self.filter.keeps(c))
            .filter(|(_, c)| needle.is_empty() || c.search_key.contains(&needle))
            .map(|(i, _)| i)
            .collect();
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
        match data::load(&self.db, week) {
            Ok(data) => {
                self.data = data;
                self.changed.clear();
                self.detail_open = false;
                self.refilter(None);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Reloads the week after a write, keeping the selection on the case.
    fn reload(&mut self) {
        let keep = self.current().map(CaseView::id);
        // The version first: a commit landing during the load is seen later.
        if let Ok(v) = self.db.data_version() {
            self.data_version = v;
        }
        match data::load(&self.db, self.week()) {
            Ok(data) => {
                self.data = data;
                self.refilter(keep);
            }
            Err(e) => self.error(e.to_string()),
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
        let before: std::collections::HashMap<i64, (i64, i64, usize, usize)> = self
            .data
            .cases
            .iter()
            .map(|c| (c.id(), c.fingerprint()))
            .collect();
        self.reload();
        for c in &self.data.cases {
            let changed = before.get(&c.id()).is_none_or(|f| *f != c.fingerprint());
            if changed {
                self.changed.insert(c.id());
            }
        }
        // An error on screen stays until the next key.
        if self.flash.as_ref().is_none_or(|f| !f.error) {
            self.flash(catalogue::ui(self.lang()).reloaded.to_owned());
        }
        true
    }

    fn flash(&mut self, text: String) {
        self.flash = Some(Flash { text, error: false });
        self.dirty = true;
    }

    fn error(&mut self, text: String) {
        self.flash = Some(Flash {
            text: crate::domain::text::sanitize_line(&text),
            error: true,
        });
        self.dirty = true;
    }

    fn validate(&mut self) {
        let Some(c) = self.current() else {
            return self.error(catalogue::ui(self.lang()).nothing_selected.to_owned());
        };
        if c.assessment.complete() {
            let (id, version) = (c.id(), c.stored.version);
            self.decide(
                id,
                version,
                Request::Validate {
                    override_justification: None,
                },
            );
        } else {
            self.open_dialog(Kind::Override);
        }
    }

    fn undo(&mut self) {
        let Some(c) = self.current() else {
            return self.error(catalogue::ui(self.lang()).nothing_selected.to_owned());
        };
        let (id, version) = (c.id(), c.stored.version);
        self.decide(id, version, Request::Undo);
    }

    /// Writes a decision; returns whether it was recorded.
    fn decide(&mut self, case_id: i64, version: i64, request: Request) -> bool {
        let lang = self.lang();
        match decide::decide(&mut self.db, case_id, Some(version), request, lang) {
            Ok(done) => {
                self.reload();
                self.flash(crate::i18n::decided(lang, &done));
                true
            }
            Err(e) => {
                self.reload();
                self.error(e.message(lang));
                false
            }
        }
    }

    fn open_dialog(&mut self, kind: Kind) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(catalogue::ui(lang).nothing_selected.to_owned());
        };
        let f = &c.stored.file;
        let label = format!(
            "{} {} · {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name,
            f.external_id
        );
        let mut d = Dialog::new(kind, c.id(), c.stored.version, label);
        if kind == Kind::Postpone {
            d = d.with_week(decide::proposed_target(&c.stored));
        }
        if kind == Kind::Override {
            d.blocking = decide::blocking_items(&c.assessment, lang);
        }
        let case_id = c.id();
        let draft = drafts::get(&self.db, self.db.login(), case_id, kind.draft_kind())
            .ok()
            .flatten();
        if let Some(draft) = draft {
            d = d.with_text(&draft.body, draft.extra.as_deref());
            self.flash(catalogue::ui(lang).draft_restored.to_owned());
        }
        self.overlay = Some(Overlay::Dialog(Box::new(d)));
    }

    fn dismiss(&mut self) {
        if let Some(Overlay::Dialog(d)) = &mut self.overlay
            && d.confirming
        {
            d.confirming = false;
            return;
        }
        if let Some(Overlay::Dialog(d)) = self.overlay.take() {
            // Esc means "I do not want this": no draft is kept.
            let _ = self
                .db
                .write(|w| drafts::delete(w, d.case_id, d.kind.draft_kind()).map(|_| ()));
        }
    }

    fn submit(&mut self) {
        let lang = self.lang();
        let Some(Overlay::Dialog(d)) = &mut self.overlay else {
            return;
        };
        let text = sanitize(d.body().trim());
        let (case_id, version, kind) = (d.case_id, d.version, d.kind);
        let request = match kind {
            Kind::Note => None,
            Kind::Override => Some(Request::Validate {
                override_justification: Some(text.clone()),
            }),
            Kind::Cancel if !d.confirming => {
                if text.is_empty() {
                    d.error = Some(crate::i18n::reason_required(lang).to_owned());
                } else {
                    d.confirming = true;
                }
                return;
            }
            Kind::Cancel => Some(Request::Cancel {
                reason: text.clone(),
            }),
            Kind::Postpone => match d.week_text().parse::<Week>() {
                Ok(to_week) => Some(Request::Postpone {
                    reason: text.clone(),
                    to_week,
                }),
                Err(e) => {
                    d.error = Some(e.to_string());
                    return;
                }
            },
        };
        let ok = match request {
            Some(request) => self.decide_in_dialog(case_id, version, request),
            None if text.is_empty() => {
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    d.error = Some(crate::i18n::note_empty(lang).to_owned());
                }
                false
            }
            None => {
                let saved = self.db.write(|w| notes::add(w, case_id, &text, "screen"));
                match saved {
                    Ok(()) => {
                        self.reload();
                        self.flash(catalogue::ui(lang).saved_note.to_owned());
                        true
                    }
                    Err(e) => {
                        self.error(e.to_string());
                        false
                    }
                }
            }
        };
        if ok {
            self.overlay = None;
            let _ = self
                .db
                .write(|w| drafts::delete(w, case_id, kind.draft_kind()).map(|_| ()));
        }
    }

    /// A decision from a dialog: a refusal stays in the dialog, with the
    /// text. When someone else changed the case meanwhile, the dialog takes
    /// the new version and says so: Enter again applies the text to it.
    fn decide_in_dialog(&mut self, case_id: i64, version: i64, request: Request) -> bool {
        let lang = self.lang();
        match decide::decide(&mut self.db, case_id, Some(version), request, lang) {
            Ok(done) => {
                self.reload();
                self.flash(crate::i18n::decided(lang, &done));
                true
            }
            Err(e) => {
                let conflict = matches!(e, decide::DecideError::Conflict { .. });
                if conflict {
                    self.reload();
                }
                let current = self
                    .data
                    .cases
                    .iter()
                    .find(|c| c.id() == case_id)
                    .map(|c| c.stored.version);
                if let Some(Overlay::Dialog(d)) = &mut self.overlay {
                    let mut text = crate::domain::text::sanitize_line(&e.message(lang));
                    if conflict && let Some(v) = current {
                        d.version = v;
                        text.push(' ');
                        text.push_str(catalogue::ui(lang).enter_again);
                    }
                    d.error = Some(text);
                    d.confirming = false;
                }
                false
            }
        }
    }

    /// What is being typed in the open dialog, if anything.
    pub fn typing(&self) -> Option<super::watchdog::Typing> {
        let Some(Overlay::Dialog(d)) = &self.overlay else {
            return None;
        };
        (!d.is_blank()).then(|| super::watchdog::Typing {
            case_id: d.case_id,
            kind: d.kind.draft_kind(),
            body: d.body(),
            extra: d.has_week().then(|| d.week_text()),
        })
    }

    /// Keeps what is being typed (the link dropped, or the app is told to
    /// stop): it is offered back next time the same dialog opens.
    pub fn save_draft(&mut self) {
        if let Some(t) = self.typing() {
            let saved = self
                .db
                .write(|w| drafts::save(w, t.case_id, t.kind, &t.body, t.extra.as_deref()));
            if let Err(e) = saved {
                self.error(e.to_string());
            }
        }
    }
}
