//! The procedure form (`e`, last in the list): the access route of a case,
//! one choice. Saved in one transaction (`procedure::set_access`, checked
//! against the case's version when the form was read); a refusal or a
//! conflict stays in the form. Nothing is typed: Esc on an unsaved choice
//! asks once more before dropping it.

use super::{App, Overlay};
use crate::domain::roles::Permission;
use crate::domain::time::local_time;
use crate::domain::vocab::Access;
use crate::storage::{StorageError, needs, procedure, read};
use crate::text::Localized;
use crate::text::screen;
use crate::tui::action::Action;

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

impl App {
    /// Opens the procedure form of case `case_id`, read from the file now.
    pub(super) fn open_procedure(&mut self, case_id: i64) {
        if !self.check_allowed(Permission::RecordEvidence) {
            return;
        }
        match self.read_procedure(case_id) {
            Ok(state) => self.overlay = Some(Overlay::Procedure(Box::new(state))),
            Err(e) => self.error(e),
        }
    }

    fn read_procedure(&self, case_id: i64) -> Result<ProcedureState, String> {
        let c = read::by_id(&self.db, case_id).map_err(|e| e.in_lang(self.lang()))?;
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
                .map(|s| (s.login, local_time(&s.at, self.data.tz))),
            error: None,
            confirming_drop: false,
        })
    }

    pub(super) fn procedure_update(&mut self, action: Action) {
        let lang = self.lang();
        let Some(Overlay::Procedure(p)) = &mut self.overlay else {
            return;
        };
        match action {
            Action::ChoiceNext => p.cycle(1),
            Action::ChoicePrev => p.cycle(-1),
            Action::ChoiceClear => {
                p.chosen = None;
                p.changed();
            }
            Action::Submit => self.save_procedure(),
            Action::Dismiss | Action::Close => {
                if p.is_modified() && !p.confirming_drop {
                    p.confirming_drop = true;
                    let key = |a| {
                        crate::tui::keys::keys_of(crate::tui::keys::Context::Procedure, a, lang)
                    };
                    p.error = Some(screen::confirm_drop(
                        lang,
                        &key(Action::Dismiss),
                        &key(Action::Submit),
                    ));
                } else {
                    self.overlay = None;
                }
            }
            _ => {}
        }
    }

    /// Enter: one transaction; a conflict reads the case again and says
    /// who changed it.
    fn save_procedure(&mut self) {
        let lang = self.lang();
        let t = screen::form_texts(lang);
        let Some(Overlay::Procedure(p)) = &self.overlay else {
            return;
        };
        let (case_id, access, version) = (p.case_id, p.chosen, p.version);
        if !p.is_modified() {
            self.overlay = None;
            return self.flash(t.unchanged.to_owned());
        }
        let saved = self.db.write_as(&needs::case_access(case_id), |w| {
            procedure::set_access(w, case_id, access, version)
        });
        match saved {
            Ok(_) => {
                self.overlay = None;
                self.reload();
                let what = screen::procedure_texts(lang).title;
                self.flash(format!("{what} — {}", t.saved));
            }
            Err(e) => {
                self.reload();
                let conflict = matches!(e, StorageError::Conflict { .. });
                let fresh = self.read_procedure(case_id);
                if let Some(Overlay::Procedure(p)) = &mut self.overlay {
                    if conflict && let Ok(fresh) = fresh {
                        // Theirs is shown; the choice made here stays chosen.
                        p.version = fresh.version;
                        p.stored = fresh.stored;
                        p.set_by = fresh.set_by;
                    }
                    p.error = Some(crate::domain::text::sanitize_line(
                        &e.in_lang(self.opts.lang),
                    ));
                }
            }
        }
    }
}
