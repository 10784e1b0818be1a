//! The procedure form (`e`, last in the list): the access route of a case,
//! one choice. Saved in one transaction (`procedure::set_access`, checked
//! against the case's version when the form was read); a refusal or a
//! conflict stays in the form. Nothing is typed: Esc on an unsaved choice
//! asks once more before dropping it.

use ratatui::crossterm::event::KeyEvent;

use super::overlay::{Ctx, Outcome, letter};
use super::{Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::roles::Permission;
use crate::domain::time::local_time;
use crate::domain::vocab::Access;
use crate::storage::{StorageError, needs, procedure, read};
use crate::text::Localized;
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// The procedure form on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureState {
    pub case_id: i64,
    /// Patient and case, for the title.
    pub label: String,
    /// The case's version when the form was read.
    pub version: i64,
    /// The access as saved, and as chosen.
    pub stored: Option<Access>,
    pub chosen: Option<Access>,
    /// Who set the saved access, and when (local time).
    pub set_by: Option<(String, String)>,
    /// A refusal of the save (permission, conflict), in the form.
    pub error: Option<String>,
    /// Esc was pressed once on an unsaved choice: the next drops it.
    pub confirming_drop: bool,
}

impl ProcedureState {
    /// The choices in order: not recorded, then the vocabulary.
    pub fn choices() -> impl Iterator<Item = Option<Access>> {
        std::iter::once(None).chain(Access::ALL.iter().copied().map(Some))
    }

    /// ←/→: the next or previous choice, round.
    pub fn cycle(&mut self, by: isize) {
        let all: Vec<Option<Access>> = Self::choices().collect();
        let n = all.len() as isize;
        let at = all.iter().position(|c| *c == self.chosen).unwrap_or(0) as isize;
        self.chosen = all[(at + by).rem_euclid(n) as usize];
        self.changed();
    }

    /// A letter: the next choice whose shown name starts with it.
    pub fn choose_by_letter(&mut self, letter: char, shown: impl Fn(&str) -> String) {
        let want = letter.to_lowercase().to_string();
        let all: Vec<Access> = Access::ALL.to_vec();
        let from = self
            .chosen
            .and_then(|c| all.iter().position(|a| *a == c))
            .map_or(0, |i| i + 1);
        let found = (0..all.len())
            .map(|k| all[(from + k) % all.len()])
            .find(|a| crate::domain::text::fold(&shown(a.as_str())).starts_with(&want));
        if let Some(a) = found {
            self.chosen = Some(a);
            self.changed();
        }
    }

    pub fn is_modified(&self) -> bool {
        self.chosen != self.stored
    }

    fn changed(&mut self) {
        self.error = None;
        self.confirming_drop = false;
    }
}

/// Opens the procedure form of case `case_id`, read from the file now;
/// None, with the reason said, when it cannot.
pub(super) fn open(ctx: &mut Ctx<'_>, case_id: i64) -> Option<Overlay> {
    if !ctx.allowed(Permission::RecordEvidence) {
        return None;
    }
    match read_procedure(ctx, case_id) {
        Ok(state) => Some(Overlay::Procedure(Box::new(state))),
        Err(e) => {
            ctx.error(e);
            None
        }
    }
}

fn read_procedure(ctx: &Ctx<'_>, case_id: i64) -> Result<ProcedureState, String> {
    let c = read::by_id(ctx.db, case_id).map_err(|e| e.in_lang(ctx.lang))?;
    let f = &c.file;
    Ok(ProcedureState {
        case_id,
        label: format!(
            "{} {} · {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name,
            f.external_id
        ),
        version: c.version,
        stored: f.procedure.access,
        chosen: f.procedure.access,
        set_by: c
            .access_set
            .map(|s| (s.login, local_time(&s.at, ctx.data.tz))),
        error: None,
        confirming_drop: false,
    })
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

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        match action {
            Action::ChoiceNext => self.cycle(1),
            Action::ChoicePrev => self.cycle(-1),
            Action::ChoiceClear => {
                self.chosen = None;
                self.changed();
            }
            Action::Submit => return self.save(ctx),
            Action::Dismiss | Action::Close => {
                let modified = self.is_modified();
                return super::overlay::dismiss_form(
                    modified,
                    &mut self.confirming_drop,
                    &mut self.error,
                    Context::Procedure,
                    ctx.lang,
                );
            }
            _ => {}
        }
        Outcome::Stay
    }
}

impl ProcedureState {
    /// Enter: one transaction; a conflict reads the case again and says
    /// who changed it.
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let t = screen::form_texts(lang);
        let (case_id, access, version) = (self.case_id, self.chosen, self.version);
        if !self.is_modified() {
            ctx.flash(t.unchanged.to_owned());
            return Outcome::Close;
        }
        let saved = ctx.db.write_as(&needs::case_access(case_id), |w| {
            procedure::set_access(w, case_id, access, version)
        });
        match saved {
            Ok(_) => {
                ctx.reload();
                let what = screen::procedure_texts(lang).title;
                ctx.flash(format!("{what} — {}", t.saved));
                Outcome::Close
            }
            Err(e) => {
                let conflict = matches!(e, StorageError::Conflict { .. });
                if conflict && let Ok(fresh) = read_procedure(ctx, case_id) {
                    // Theirs is shown; the choice made here stays chosen.
                    self.version = fresh.version;
                    self.stored = fresh.stored;
                    self.set_by = fresh.set_by;
                }
                self.error = Some(crate::domain::text::sanitize_message(&e.in_lang(lang)));
                ctx.reload();
                Outcome::Stay
            }
        }
    }
}
