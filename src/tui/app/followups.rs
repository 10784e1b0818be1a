//! The follow-up calls (issue 15 §3): the calls due this week and overdue
//! (`domain::followup::calls`), grouped per operator, with what the caller
//! needs on the phone (patient, procedure, date, pain before, due or
//! overdue, attempts). `m` keeps the procedures of the operators linked to
//! the login ("mine", `storage::followup::operators_of`); Enter opens the
//! call form (`followup_form`). Read through the read table
//! (`Read::FollowUps`: a viewer and the auditor read nothing of it), read
//! from the file when it opens and when the file changes (never per
//! frame), and traced when it opens (then each case that joins it).

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};

use super::overlay::{Ctx, Outcome, Refresh};
use super::{App, Component, Overlay};
use crate::domain::followup::{Call, Recorded, State, by_operator, calls, operator_key, select};
use crate::domain::message::Lang;
use crate::domain::roles::{self, Read};
use crate::domain::vocab::FollowUpKind;
use crate::storage::{Db, followup};
use crate::text::Localized;
use crate::text::followup as words;
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// One call as shown: its texts are made when the list is (re)built,
/// never by the draw code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    pub case_id: i64,
    pub external_id: String,
    pub kind: FollowUpKind,
    pub overdue: bool,
    /// The operator as first written (the group's heading).
    pub operator: String,
    /// A procedure of an operator linked to the login.
    pub mine: bool,
    /// The follow-up row's version (None: no call yet): the save checks it.
    pub version: Option<i64>,
    pub performed_at: NaiveDateTime,
    pub pain_before: Option<u8>,
    /// Cells, in the list's order.
    pub state: String,
    pub call: String,
    pub patient: String,
    pub procedure: String,
    pub date: String,
    pub pain: String,
    pub attempts: String,
}

pub struct FollowUpsState {
    /// Every call, grouped per operator (operators by name), each group
    /// overdue first.
    pub rows: Vec<FollowUpRow>,
    /// The follow-ups on file when the list was read (a conflict in the
    /// form shows what is there now).
    pub recorded: Vec<Recorded>,
    /// The operators (keys) linked to the login.
    pub linked: Vec<String>,
    /// Only the calls of the linked operators.
    pub mine: bool,
    /// Index into [`FollowUpsState::shown`].
    pub selected: usize,
    pub today: NaiveDate,
    /// The list could not be read again: said in its place.
    pub error: Option<String>,
    /// The cases already traced in this opening.
    traced: HashSet<i64>,
    /// The opening's read is traced (even of an empty list).
    trace_done: bool,
}

impl FollowUpsState {
    /// The rows the filter keeps.
    pub fn shown(&self) -> Vec<&FollowUpRow> {
        self.rows.iter().filter(|r| !self.mine || r.mine).collect()
    }

    /// The selected row.
    pub fn current(&self) -> Option<&FollowUpRow> {
        self.shown().get(self.selected).copied()
    }

    /// Reads the list again (at open, and when the file changed); traces
    /// the cases not yet traced in this opening. On a failure the list is
    /// emptied and says why (never an old list shown as current).
    fn read(&mut self, db: &Db, lang: Lang) -> Result<(), String> {
        let keep = self.current().map(|r| (r.case_id, r.kind));
        let tz = db.timezone().map_err(|e| e.in_lang(lang).to_owned())?;
        self.today = crate::tui::data::now(db, tz).date();
        let read = load(db, lang, self.today).and_then(|(rows, recorded)| {
            let linked = followup::operators_of(db, db.login())?;
            Ok((rows, recorded, linked))
        });
        let (rows, recorded, linked) = match read {
            Ok(x) => x,
            Err(e) => {
                self.rows.clear();
                self.selected = 0;
                let text = e.in_lang(lang).to_owned();
                self.error = Some(text.clone());
                return Err(text);
            }
        };
        let new: Vec<i64> = rows
            .iter()
            .map(|r| r.case_id)
            .filter(|id| !self.traced.contains(id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !self.trace_done || !new.is_empty() {
            let mut ids = new.clone();
            ids.sort_unstable();
            if let Err(e) = followup::trace(db, "all", &ids) {
                self.rows.clear();
                let text = e.in_lang(lang).to_owned();
                self.error = Some(text.clone());
                return Err(text);
            }
            self.traced.extend(new);
            self.trace_done = true;
        }
        self.linked = linked;
        self.rows = rows;
        self.recorded = recorded;
        self.error = None;
        for r in &mut self.rows {
            r.mine = self.linked.contains(&operator_key(&r.operator));
        }
        let shown = self.shown();
        self.selected = keep
            .and_then(|k| shown.iter().position(|r| (r.case_id, r.kind) == k))
            .unwrap_or(self.selected)
            .min(shown.len().saturating_sub(1));
        Ok(())
    }
}

/// The calls of `today` as the screen shows them, grouped per operator,
/// and the follow-ups on file.
fn load(
    db: &Db,
    lang: Lang,
    today: NaiveDate,
) -> crate::storage::Result<(Vec<FollowUpRow>, Vec<Recorded>)> {
    let i = followup::inputs(db)?;
    let all = calls(&i.procedures, &i.recorded, &i.deceased, today);
    let picked = select(&all, crate::domain::followup::When::All, None);
    let rows = by_operator(&picked)
        .into_iter()
        .flat_map(|(_, group)| group.into_iter().map(|c| row(lang, c)))
        .collect();
    Ok((rows, i.recorded))
}

fn row(lang: Lang, c: &Call) -> FollowUpRow {
    let p = &c.procedure;
    FollowUpRow {
        case_id: p.case_id,
        external_id: p.external_id.clone(),
        kind: c.kind,
        overdue: matches!(c.state, State::Overdue { .. }),
        operator: p.operator.clone(),
        mine: false,
        version: c.version,
        performed_at: p.performed_at,
        pain_before: p.pain_before,
        state: words::state(lang, c.state),
        call: words::kind(lang, c.kind).to_owned(),
        patient: p.patient.clone(),
        procedure: words::techniques(lang, c),
        date: words::performed(lang, p.performed_at),
        pain: words::pain(lang, p.pain_before),
        attempts: words::attempts(lang, c.attempts),
    }
}

impl App {
    /// The follow-up calls; refused (with why) to a role that may not read
    /// them, and shown only once their read is traced.
    pub(super) fn open_followups(&mut self) {
        let lang = self.lang();
        if roles::reads(self.role, Read::FollowUps).is_none() {
            self.error(crate::text::screen::followups_refused(lang));
            return;
        }
        let mut state = FollowUpsState {
            rows: Vec::new(),
            recorded: Vec::new(),
            linked: Vec::new(),
            mine: false,
            selected: 0,
            today: self.db.clock().today(),
            error: None,
            traced: HashSet::new(),
            trace_done: false,
        };
        if let Err(e) = state.read(&self.db, lang) {
            self.error(e);
            return;
        }
        self.overlay = Some(Overlay::FollowUps(Box::new(state)));
    }
}

impl Component for FollowUpsState {
    fn context(&self) -> Context {
        Context::FollowUps
    }

    fn update(&mut self, action: Action, _ctx: &mut Ctx<'_>) -> Outcome {
        let n = self.shown().len();
        match action {
            Action::Down if self.selected + 1 < n => self.selected += 1,
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Mine => {
                self.mine = !self.mine;
                self.selected = 0;
            }
            Action::Open => {
                if let Some(r) = self.current().cloned() {
                    let list = std::mem::replace(self, empty(self.today));
                    let form = super::followup_form::FollowUpFormState::new(r, Box::new(list));
                    return Outcome::Replace(Overlay::FollowUpForm(Box::new(form)));
                }
            }
            Action::Close | Action::Dismiss => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }

    fn data_changed(&mut self, now: &Refresh<'_>) -> bool {
        // A failure is said in the list itself.
        let _ = self.read(now.db, now.lang);
        true
    }
}

/// A list with nothing in it (the place the form borrows the list from).
fn empty(today: NaiveDate) -> FollowUpsState {
    FollowUpsState {
        rows: Vec::new(),
        recorded: Vec::new(),
        linked: Vec::new(),
        mine: false,
        selected: 0,
        today,
        error: None,
        traced: HashSet::new(),
        trace_done: false,
    }
}
