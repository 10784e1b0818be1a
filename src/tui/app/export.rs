//! Exporting from the screen (`x`): the format, the minutes or the
//! programme, pseudonymised or not, and the file; then where it went. The
//! same service as `ir-committee export` (`export/run.rs`). An existing
//! file is replaced only after a second Enter on the warning naming it.

use ratatui_textarea::{CursorMove, TextArea};

use ratatui::crossterm::event::KeyEvent;

use super::overlay::{Ctx, Outcome};
use super::{App, Component, Overlay};
use crate::domain::message::Lang;
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line as clean_line;
use crate::domain::week::Week;
use crate::export::run::{self, Request};
use crate::export::target::Existing;
use crate::export::{ExportError, Format};
use crate::text::screen;
use crate::tui::action::Action;
use crate::tui::keys::Context;

/// The rows of the export dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportField {
    Format,
    Minutes,
    Pseudonymise,
    File,
}

impl ExportField {
    pub const ALL: [ExportField; 4] = [
        ExportField::Format,
        ExportField::Minutes,
        ExportField::Pseudonymise,
        ExportField::File,
    ];
}

pub struct ExportState {
    pub format: Format,
    pub minutes: bool,
    pub pseudonymise: bool,
    /// A viewer exports pseudonymised only: the choice is fixed.
    pub pseudonymise_fixed: bool,
    pub file: TextArea<'static>,
    /// The file name was typed: format changes no longer rename it.
    pub file_edited: bool,
    pub focus: ExportField,
    pub error: Option<String>,
    /// The existing file the person was told about (`FILE exists: Enter
    /// again to replace it`): the next Enter replaces it, if the name is
    /// still this one. Changing the name or the format forgets it.
    pub replace: Option<String>,
    /// The home folder a leading `~` stands for (`App::home`).
    pub home: Option<std::path::PathBuf>,
}

impl ExportState {
    pub fn file_text(&self) -> String {
        crate::domain::text::sanitize_line(&self.file.lines().join(""))
    }

    fn request(&self, week: Week, lang: Lang) -> Request {
        Request {
            week,
            format: self.format,
            minutes: self.minutes && self.format.has_minutes(),
            pseudonymise: self.pseudonymise,
            lang,
            file: self.file_text(),
        }
    }

    fn rename(&mut self, week: Week, lang: Lang) {
        if self.file_edited {
            // A typed name keeps its name; its extension follows the format.
            let typed = std::path::PathBuf::from(self.file_text());
            let known = typed
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| Format::parse(e).is_some());
            if known {
                let renamed = typed.with_extension(self.format.as_str());
                self.file = TextArea::new(vec![renamed.display().to_string()]);
                self.file.move_cursor(CursorMove::End);
            }
            return;
        }
        let name = run::default_name(&Request {
            week,
            format: self.format,
            minutes: self.minutes && self.format.has_minutes(),
            pseudonymise: self.pseudonymise,
            lang,
            file: String::new(),
        });
        // Relative to the folder the app was started in.
        self.file = TextArea::new(vec![name]);
        self.file.move_cursor(CursorMove::End);
    }
}

impl App {
    /// `x` (the key table gates it on exporting).
    pub(super) fn open_export(&mut self) {
        let viewer = !self.may(Permission::ExportIdentified);
        let mut state = ExportState {
            format: Format::Html,
            minutes: false,
            pseudonymise: viewer,
            pseudonymise_fixed: viewer,
            file: TextArea::default(),
            file_edited: false,
            focus: ExportField::Format,
            error: None,
            replace: None,
            home: self.home.clone(),
        };
        state.rename(self.week(), self.lang());
        self.overlay = Some(Overlay::Export(Box::new(state)));
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

    fn update(&mut self, action: Action, ctx: &mut Ctx<'_>) -> Outcome {
        let (week, lang) = (ctx.data.week, ctx.lang);
        let i = ExportField::ALL
            .iter()
            .position(|f| *f == self.focus)
            .unwrap_or(0);
        let n = ExportField::ALL.len();
        match action {
            Action::NextField => self.focus = ExportField::ALL[(i + 1) % n],
            Action::PrevField => self.focus = ExportField::ALL[(i + n - 1) % n],
            Action::ChoiceNext | Action::ChoicePrev => {
                let step = if action == Action::ChoiceNext {
                    1
                } else {
                    n_formats() - 1
                };
                match self.focus {
                    ExportField::Format => {
                        let at = Format::ALL
                            .iter()
                            .position(|f| *f == self.format)
                            .unwrap_or(0);
                        self.format = Format::ALL[(at + step) % n_formats()];
                    }
                    ExportField::Minutes => self.minutes = !self.minutes,
                    ExportField::Pseudonymise if !self.pseudonymise_fixed => {
                        self.pseudonymise = !self.pseudonymise
                    }
                    _ => {}
                }
                self.error = None;
                self.replace = None;
                self.rename(week, lang);
            }
            Action::Dismiss | Action::Close => return Outcome::Close,
            Action::Submit => return self.run(ctx),
            _ => {}
        }
        Outcome::Stay
    }
}

impl ExportState {
    fn run(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        if self.minutes && !self.format.has_minutes() {
            self.error = Some(screen::minutes_html_md(lang).to_owned());
            return Outcome::Stay;
        }
        let req = self.request(ctx.data.week, lang);
        let path =
            crate::export::home::expand_home(std::path::Path::new(&req.file), self.home.as_deref());
        // Replaced only after a second Enter on the same name.
        let existing = if self.replace.as_deref() == Some(req.file.as_str()) {
            Existing::Replace
        } else {
            Existing::Keep
        };
        match run::to_file(ctx.db, req.clone(), &path, existing) {
            Ok(p) => {
                // Where it went, in full.
                let shown = std::path::absolute(&path)
                    .map(|a| a.display().to_string())
                    .unwrap_or_else(|_| req.file.clone());
                ctx.flash(screen::exported(
                    lang,
                    &shown,
                    p.validated.len(),
                    req.minutes,
                ));
                Outcome::Close
            }
            Err(e) => {
                self.replace = matches!(e, ExportError::Exists { .. }).then(|| req.file.clone());
                let again = crate::tui::keys::keys_of(Context::Export, Action::Submit, lang);
                self.error = Some(screen::export_error(lang, &e, &again));
                Outcome::Stay
            }
        }
    }
}

fn n_formats() -> usize {
    Format::ALL.len()
}

impl App {
    /// i: the selected case's instruction sheet, written as Markdown to a
    /// file named from the case id in the current folder (never over an
    /// existing file), as `ir-committee instructions` writes it; refused to
    /// a role that may not read it.
    pub(super) fn write_sheet(&mut self) {
        use crate::domain::roles::{self, Read};
        use crate::export::sheet::{SheetError, SheetFormat, to_file};
        let lang = self.lang();
        if roles::reads(self.role, Read::Instructions).is_none() {
            self.error(crate::text::instructions::screen_refused(lang));
            return;
        }
        let Some(id) = self.current().map(|c| c.stored.file.external_id.clone()) else {
            return;
        };
        // A file name from the id: letters, digits, '-' and '_' only.
        let name: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = self.sheet_dir.join(format!("{name}.md"));
        match to_file(
            &mut self.db,
            &id,
            SheetFormat::Md,
            lang,
            &path,
            Existing::Keep,
        ) {
            Ok(()) => {
                let shown = std::path::absolute(&path)
                    .map(|a| a.display().to_string())
                    .unwrap_or_else(|_| path.display().to_string());
                let shown = crate::domain::text::sanitize_line(&shown);
                let id = crate::domain::text::sanitize_line(&id);
                self.flash(crate::text::instructions::written(lang, &shown, &id));
            }
            Err(SheetError::Refused(r)) => self.error(r),
            Err(SheetError::Storage(e)) => {
                use crate::text::Localized;
                self.error(e.in_lang(lang));
            }
            Err(SheetError::Export(ExportError::Exists { path })) => {
                self.error(crate::text::instructions::exists(lang, &path));
            }
            Err(SheetError::Export(e)) => {
                use crate::text::Localized;
                self.error(e.in_lang(lang));
            }
        }
    }
}
