//! A case's instruction sheet for the patient and the ward (issue 14 §2,
//! `ir-committee instructions`): date, time and place, the blood tests to
//! do with their window and the anaesthesia consultation if due (the chase
//! list's tasks, `domain::tasks`: the windows of the rules that judge the
//! items, never a second copy), whom to call, and for each drug ONLY the
//! planned last intake a person recorded, with who — a drug with none, or
//! whose line blocks, says not to change it without the doctor's advice.
//! Never a date the rules computed for a drug. html and md, escaped with the
//! exports' escaping.

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::assess::Assessment;
use crate::domain::instructions::{DrugLine, Ward};
use crate::domain::message::Lang;
use crate::domain::record::{EvidenceKind, StoredCase};
use crate::domain::rules::Context;
use crate::domain::tasks::{Assigned, State, Task, What, chase};
use crate::domain::text::sanitize_line;
use crate::domain::vocab::DecisionStatus;
use crate::text::instructions::sheet as words;

const STYLE: &str = "@page { size: A4 portrait; margin: 15mm }
body { font: 11pt/1.35 sans-serif; color: #000; background: #fff }
h1 { font-size: 15pt; margin: 0 0 6pt }
h2 { font-size: 12pt; margin: 8pt 0 2pt }
.warn { border: 2pt solid #000; padding: 2pt 4pt; font-weight: bold }
";

/// The sheet's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetFormat {
    Html,
    Md,
}

impl SheetFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetFormat::Html => "html",
            SheetFormat::Md => "md",
        }
    }
}

/// What the sheet says, text from the database cleaned (not escaped).
pub struct Sheet {
    pub lang: Lang,
    pub edited: NaiveDateTime,
    pub external_id: String,
    pub patient: String,
    pub birth_date: NaiveDate,
    pub ipp: String,
    pub at: NaiveDateTime,
    pub room: String,
    pub technique: String,
    pub anaesthesia: String,
    pub operator: String,
    pub validated: bool,
    /// The blood tests still to do (biology, coagulation, a creatinine
    /// clearance) and the anaesthesia consultation, with their windows.
    pub tests: Vec<Task>,
    pub consult: Option<Task>,
    pub ward: Ward,
}

/// The sheet of `case`, judged on `ctx` at `now` (the hospital's local
/// time); `edited`: the edition's local time.
pub fn build(
    case: &StoredCase,
    ctx: &Context<'_>,
    now: NaiveDateTime,
    lang: Lang,
    edited: NaiveDateTime,
) -> Sheet {
    let f = &case.file;
    let a = Assessment::of_stored(case, ctx);
    let c = chase(f, &a.dossier, ctx, now);
    let mut tests = Vec::new();
    let mut consult = None;
    for t in c.tasks {
        match t.what {
            What::Biology | What::Coagulation | What::Crcl { .. } => tests.push(t),
            What::AnaesthesiaConsult => consult = Some(t),
            // Never a drug's computed last intake: only what a person recorded.
            _ => {}
        }
    }
    let by = case
        .recorded(EvidenceKind::Medications)
        .map(|r| sanitize_line(&r.by));
    let mut ward = crate::domain::instructions::ward(f, &a.dossier, ctx, by.as_deref());
    for d in &mut ward.drugs {
        match d {
            DrugLine::Recorded { name, .. }
            | DrugLine::Review { name, .. }
            | DrugLine::NotRecorded { name, .. } => *name = name.as_deref().map(sanitize_line),
        }
    }
    let p = &f.procedure;
    Sheet {
        lang,
        edited,
        external_id: sanitize_line(&f.external_id),
        patient: sanitize_line(&format!(
            "{} {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name
        )),
        birth_date: f.patient.birth_date,
        ipp: sanitize_line(&f.patient.ipp),
        at: p.scheduled_at,
        room: sanitize_line(&p.room),
        technique: p
            .techniques
            .iter()
            .map(|t| crate::text::words::technique(lang, *t))
            .collect::<Vec<_>>()
            .join(" + "),
        anaesthesia: crate::text::words::anaesthesia(lang, p.anaesthesia).to_owned(),
        operator: sanitize_line(&p.operator),
        validated: case.status == DecisionStatus::Validated,
        tests,
        consult,
        ward,
    }
}

/// A task as the sheet says it, with its window; too late, said so.
fn task_line(s: &Sheet, t: &Task) -> String {
    let line = crate::text::tasks::sentence(s.lang, t, Assigned::Do, &s.operator);
    match t.state {
        State::Open => line,
        State::TooLate => format!(
            "{line} — {}",
            crate::text::tasks::state(s.lang, State::TooLate)
        ),
    }
}

/// Each drug: the recorded planned last intake and who, or "do not change".
fn drug_lines(s: &Sheet) -> Vec<String> {
    let w = words(s.lang);
    let mut out = Vec::new();
    if s.ward.unchecked {
        out.push(w.unchecked.to_owned());
    }
    for d in &s.ward.drugs {
        out.push(match d {
            DrugLine::Recorded { .. } => crate::text::export::drug_line(s.lang, d),
            DrugLine::Review { .. } | DrugLine::NotRecorded { .. } => {
                let (drug, name) = d.drug();
                let name = crate::text::export::drug(s.lang, drug, name);
                crate::text::instructions::keep(s.lang, &name)
            }
        });
    }
    if out.is_empty() {
        out.push(w.no_drugs.to_owned());
    }
    out
}

/// The sheet's parts: (heading, lines), in order.
fn parts(s: &Sheet) -> Vec<(&'static str, Vec<String>)> {
    let w = words(s.lang);
    let when = format!(
        "{} {}",
        crate::text::export::day(s.lang, s.at.date()),
        s.at.format("%H:%M")
    );
    let born = crate::text::typo::date(s.lang, s.birth_date);
    let mut tests: Vec<String> = s.tests.iter().map(|t| task_line(s, t)).collect();
    if s.ward.inr_day_before {
        tests.push(w.inr.to_owned());
    }
    if tests.is_empty() {
        tests.push(w.no_tests.to_owned());
    }
    let mut out = vec![
        (
            w.patient,
            vec![format!(
                "{} · {} {born} · {} {}",
                s.patient, w.born, w.ipp, s.ipp
            )],
        ),
        (w.when, vec![when]),
        (w.place, vec![s.room.clone()]),
        (
            w.procedure,
            vec![format!("{} ({})", s.technique, s.external_id)],
        ),
        (w.anaesthesia, vec![s.anaesthesia.clone()]),
        (w.tests, tests),
    ];
    if let Some(t) = &s.consult {
        out.push((w.consult, vec![task_line(s, t)]));
    }
    out.push((w.drugs, drug_lines(s)));
    out.push((
        w.contact,
        vec![crate::text::instructions::contact(s.lang, &s.operator)],
    ));
    out
}

fn edited_line(s: &Sheet) -> String {
    format!(
        "{} {} {}",
        words(s.lang).edited,
        crate::text::export::day(s.lang, s.edited.date()),
        s.edited.format("%H:%M")
    )
}

pub fn render(s: &Sheet, format: SheetFormat) -> String {
    match format {
        SheetFormat::Html => html(s),
        SheetFormat::Md => md(s),
    }
}

fn html(s: &Sheet) -> String {
    use super::html::escape;
    let w = words(s.lang);
    let lang = match s.lang {
        Lang::En => "en",
        Lang::Fr => "fr",
    };
    let mut o = String::new();
    let title = escape(w.title);
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>"
    );
    let _ = writeln!(o, "<h1>{}</h1>", escape(w.title));
    if !s.validated {
        let _ = writeln!(o, "<p class=\"warn\">{}</p>", escape(w.not_validated));
    }
    for (head, lines) in parts(s) {
        let _ = writeln!(o, "<h2>{}</h2>", escape(head));
        let _ = writeln!(o, "<ul>");
        for l in lines {
            let _ = writeln!(o, "<li>{}</li>", escape(&l));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<p class=\"edited\">{}</p>", escape(&edited_line(s)));
    o.push_str("</body>\n</html>\n");
    o
}

fn md(s: &Sheet) -> String {
    use super::md::escape;
    let w = words(s.lang);
    let mut o = String::new();
    let _ = writeln!(o, "# {}", escape(w.title));
    if !s.validated {
        let _ = writeln!(o, "\n**{}**", escape(w.not_validated));
    }
    for (head, lines) in parts(s) {
        let _ = writeln!(o, "\n## {}\n", escape(head));
        for l in lines {
            let _ = writeln!(o, "- {}", escape(&l));
        }
    }
    let _ = writeln!(o, "\n{}", escape(&edited_line(s)));
    o
}

/// Why no sheet was made.
pub enum SheetError {
    Storage(crate::storage::StorageError),
    /// Already in the user's language.
    Refused(String),
    Export(super::ExportError),
}

impl From<crate::storage::StorageError> for SheetError {
    fn from(e: crate::storage::StorageError) -> Self {
        SheetError::Storage(e)
    }
}

/// The case's ISO week, or the refusal of a case that will not take place
/// as scheduled.
pub fn scheduled(
    db: &crate::storage::Db,
    external_id: &str,
    lang: crate::domain::message::Lang,
) -> Result<String, SheetError> {
    let case = db
        .reader(crate::domain::roles::Read::Instructions)?
        .by_external_id(external_id)?;
    refuse(&case, external_id, lang)?;
    Ok(crate::domain::week::Week::containing(case.file.day()).to_string())
}

fn refuse(
    case: &crate::domain::record::StoredCase,
    external_id: &str,
    lang: crate::domain::message::Lang,
) -> Result<(), SheetError> {
    // A patient who died: no sheet for any of their cases.
    if let Some(on) = case.died_on {
        let deceased = crate::domain::followup::Refusal::Deceased {
            ipp: crate::domain::text::sanitize_line(&case.file.patient.ipp),
            on,
        };
        return Err(SheetError::Refused(crate::text::followup::refusal(
            lang, &deceased,
        )));
    }
    let ended = case.ended_at_source().is_some();
    if ended
        || matches!(
            case.status,
            crate::domain::vocab::DecisionStatus::Cancelled
                | crate::domain::vocab::DecisionStatus::Postponed
        )
    {
        let status = match ended {
            true => crate::text::feeds::ended_word(lang),
            false => crate::text::Label::label(case.status, lang),
        };
        return Err(SheetError::Refused(crate::text::instructions::refused(
            lang,
            &crate::domain::text::sanitize_line(external_id),
            status,
        )));
    }
    Ok(())
}

/// Reads the case (the read table first), refuses one that will not take
/// place as scheduled, traces the read, writes the sheet.
pub fn text(
    db: &crate::storage::Db,
    external_id: &str,
    format: SheetFormat,
    lang: crate::domain::message::Lang,
) -> Result<String, SheetError> {
    let reader = db.reader(crate::domain::roles::Read::Instructions)?;
    let case = reader.by_external_id(external_id)?;
    refuse(&case, external_id, lang)?;
    crate::storage::audit::reads::trace(
        db,
        crate::storage::audit::reads::What::Instructions,
        Some(format.as_str()),
        &[case.id],
    )?;
    let rules = db.rules()?;
    let tz = db.timezone()?;
    let ctx = crate::domain::rules::Context { rules: &rules, tz };
    let now = chrono::DateTime::parse_from_rfc3339(&db.clock().timestamp())
        .map(|t| t.with_timezone(&tz).naive_local())
        .unwrap_or_else(|_| db.clock().today().and_time(chrono::NaiveTime::MIN));
    let s = build(&case, &ctx, now, lang, now);
    Ok(render(&s, format))
}

/// The sheet written to `path` as an export is (`run::text_to_file`: mode
/// 0600, never over a file unless `existing` says so, never over the
/// database, audited); a case that is not scheduled refused first.
pub fn to_file(
    db: &mut crate::storage::Db,
    external_id: &str,
    format: SheetFormat,
    lang: Lang,
    path: &std::path::Path,
    existing: super::target::Existing,
) -> Result<(), SheetError> {
    // Refused before anything is written (no empty file, no audit row).
    let week = scheduled(db, external_id, lang)?;
    super::run::text_to_file(db, path, existing, |db| {
        let text = match text(db, external_id, format, lang) {
            Ok(t) => t,
            Err(SheetError::Storage(e)) => return Err(e.into()),
            Err(SheetError::Export(e)) => return Err(e),
            Err(SheetError::Refused(reason)) => {
                return Err(super::ExportError::Write {
                    path: crate::domain::text::sanitize_line(&path.display().to_string()),
                    reason,
                });
            }
        };
        let record = crate::storage::exports::ExportRecord {
            week: week.clone(),
            format: match format {
                SheetFormat::Html => "instructions.html",
                SheetFormat::Md => "instructions.md",
            },
            minutes: false,
            pseudonymised: false,
            cases: 1,
            file: String::new(),
            attempt: None,
            permission: None,
            protocol_version: None,
        };
        Ok((text, record))
    })
    .map_err(SheetError::Export)
}
