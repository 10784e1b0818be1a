//! `tasks`: the chase list of a week and the next (issue 14, §1): every
//! blocking item that evidence can clear, with who does it and by when
//! (`domain::tasks`), sorted by deadline; then what is left to discuss.
//! Read through the read table (`Read::Tasks`: the care team, identified;
//! a viewer, the auditor and a login the file does not know read nothing)
//! and traced before it is shown. A file is written as an export is
//! (`export::run::text_to_file`: mode 0600, never over a file without
//! `--force`, never over the database, audited).

use std::path::Path;

use chrono::NaiveDateTime;
use clap::ValueEnum;
use serde_json::{Value, json};

use super::{Cli, CliError};
use crate::domain::assess::Assessment;
use crate::domain::message::Lang;
use crate::domain::roles::{Read, Role};
use crate::domain::rules::{Context, Latest};
use crate::domain::tasks::{Assigned, Discuss, Task, What, chase};
use crate::domain::text::sanitize_line;
use crate::domain::vocab::DecisionStatus;
use crate::domain::week::Week;
use crate::export::target::Existing;
use crate::storage::Db;
use crate::text::tasks as words;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum TasksFormat {
    #[default]
    Text,
    Json,
    Csv,
    Html,
    Md,
}

impl TasksFormat {
    /// As the audit row of a file names it.
    fn audited(self) -> &'static str {
        match self {
            TasksFormat::Text => "tasks.text",
            TasksFormat::Json => "tasks.json",
            TasksFormat::Csv => "tasks.csv",
            TasksFormat::Html => "tasks.html",
            TasksFormat::Md => "tasks.md",
        }
    }
}

/// One task of the list, with its case.
struct Row {
    task: Task,
    assigned: Assigned,
    scheduled_at: NaiveDateTime,
    patient: String,
    ipp: String,
    operator: String,
}

impl Row {
    /// Sorted by deadline; a task with no date by its procedure's time.
    fn key(&self) -> (NaiveDateTime, NaiveDateTime, String) {
        let due = match (self.task.window, self.assigned) {
            (Some(w), Assigned::Do) => w.latest.sort_key(),
            _ => self.scheduled_at,
        };
        (due, self.scheduled_at, self.task.case.clone())
    }
}

/// The list as computed.
struct List {
    weeks: (Week, Week),
    role: Option<Role>,
    rows: Vec<Row>,
    discuss: Vec<(Discuss, String)>,
}

pub(super) fn run(
    cli: &Cli,
    week: Week,
    role: Option<Role>,
    format: TasksFormat,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    let file = output.filter(|p| p.as_os_str() != "-");
    let mut db = super::open_for_output(cli, file)?;
    // Who may not read the list is told so first, whatever the output.
    db.require_read(Read::Tasks)?;
    let Some(path) = file else {
        let list = list(&db, week, role)?;
        out.write_all(render(&list, format, lang).as_bytes())?;
        return Ok(());
    };
    let existing = Existing::from_force(force);
    let mut count = 0;
    crate::export::run::text_to_file(&mut db, path, existing, |db| {
        let list = list(db, week, role)?;
        count = list.rows.len();
        let record = crate::storage::exports::ExportRecord {
            week: week.to_string(),
            format: format.audited(),
            minutes: false,
            pseudonymised: false,
            cases: count,
            file: String::new(),
            attempt: None,
            permission: None,
            protocol_version: None,
        };
        Ok((render(&list, format, lang), record))
    })?;
    let shown = sanitize_line(&path.display().to_string());
    writeln!(out, "{}", words::written(lang, &shown, count))?;
    Ok(())
}

/// Reads the two weeks (the read table first), traces the read, computes
/// the tasks.
fn list(db: &Db, week: Week, role: Option<Role>) -> Result<List, crate::storage::StorageError> {
    let reader = db.reader(Read::Tasks)?;
    let weeks = (week, week.offset(1));
    let mut stored = reader.week(weeks.0)?;
    stored.extend(reader.week(weeks.1)?);
    // Neither cancelled (by the committee or at its source) nor postponed:
    // those are not done next week; nor a case of a patient recorded as
    // deceased (nothing to chase: its dossier says "to cancel").
    stored.retain(|c| {
        !matches!(
            c.status,
            DecisionStatus::Cancelled | DecisionStatus::Postponed
        ) && c.died_on.is_none()
            && c.ended_at_source().is_none()
    });
    let ids: Vec<i64> = stored.iter().map(|c| c.id).collect();
    crate::storage::audit::reads::trace(
        db,
        crate::storage::audit::reads::What::Tasks,
        Some(&format!("{} {}", weeks.0, weeks.1)),
        &ids,
    )?;
    let rules = db.rules()?;
    let tz = db.timezone()?;
    let ctx = Context { rules: &rules, tz };
    let now = now(db, tz);
    let mut rows = Vec::new();
    let mut discuss = Vec::new();
    for case in &stored {
        let a = Assessment::of_stored(case, &ctx);
        let c = chase(&case.file, &a.dossier, &ctx, now);
        let f = &case.file;
        let patient = sanitize_line(&format!(
            "{} {}",
            f.patient.last_name.to_uppercase(),
            f.patient.first_name
        ));
        for task in c.tasks {
            let assigned = match role {
                None => Some(Assigned::Do),
                Some(r) => task.for_role(r),
            };
            let Some(assigned) = assigned else { continue };
            rows.push(Row {
                task,
                assigned,
                scheduled_at: f.procedure.scheduled_at,
                patient: patient.clone(),
                ipp: sanitize_line(&f.patient.ipp),
                operator: sanitize_line(&f.procedure.operator),
            });
        }
        discuss.extend(c.discuss.into_iter().map(|d| (d, patient.clone())));
    }
    rows.sort_by_key(Row::key);
    Ok(List {
        weeks,
        role,
        rows,
        discuss,
    })
}

/// Now on the hospital's clock (noon UTC of a `--today` day).
fn now(db: &Db, tz: chrono_tz::Tz) -> NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(&db.clock().timestamp())
        .map(|t| t.with_timezone(&tz).naive_local())
        .unwrap_or_else(|_| db.clock().today().and_time(chrono::NaiveTime::MIN))
}

/// The cells of a task row, in the order of [`heads`].
fn cells(r: &Row, lang: Lang) -> [String; 8] {
    let t = &r.task;
    [
        words::deadline(lang, t.window, r.assigned),
        sanitize_line(&t.case),
        r.patient.clone(),
        words::moment(lang, r.scheduled_at),
        words::sentence(lang, t, r.assigned, &r.operator),
        words::owners(lang, t.owners),
        words::state(lang, t.state).to_owned(),
        r.operator.clone(),
    ]
}

fn heads(lang: Lang) -> [&'static str; 8] {
    let h = words::headings(lang);
    [
        h.deadline,
        h.case,
        h.patient,
        h.procedure,
        h.task,
        h.owners,
        h.state,
        h.operator,
    ]
}

/// The cells of a point to discuss: case, patient, item, message.
fn discuss_cells(d: &Discuss, patient: &str, lang: Lang) -> [String; 4] {
    [
        sanitize_line(&d.case),
        patient.to_owned(),
        crate::text::Label::label(d.item, lang).to_owned(),
        sanitize_line(&d.msg.render(lang)),
    ]
}

fn discuss_heads(lang: Lang) -> [&'static str; 4] {
    let h = words::headings(lang);
    [h.case, h.patient, h.item, h.task]
}

fn title(l: &List, lang: Lang) -> String {
    words::title(
        lang,
        (&l.weeks.0.to_string(), &l.weeks.1.to_string()),
        l.role,
    )
}

fn render(l: &List, format: TasksFormat, lang: Lang) -> String {
    match format {
        TasksFormat::Text => text(l, lang),
        TasksFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json_of(l, lang)).unwrap_or_default();
            s.push('\n');
            s
        }
        TasksFormat::Csv => crate::export::csv::sheet(
            std::iter::once(heads(lang).map(str::to_owned).to_vec())
                .chain(l.rows.iter().map(|r| cells(r, lang).to_vec())),
        ),
        TasksFormat::Html => html(l, lang),
        TasksFormat::Md => md(l, lang),
    }
}

fn text(l: &List, lang: Lang) -> String {
    let h = words::headings(lang);
    let mut o = format!("{}\n", title(l, lang));
    if l.rows.is_empty() {
        o.push_str(&format!("  {}\n", h.none));
    }
    for r in &l.rows {
        let [deadline, case, patient, at, task, owners, state, _] = cells(r, lang);
        o.push_str(&format!(
            "  {deadline:<18} {case}  {patient}  {at}  {task}  ({owners})  [{state}]\n"
        ));
    }
    if !l.discuss.is_empty() {
        o.push_str(&format!("\n{}\n", h.discuss));
        for (d, patient) in &l.discuss {
            let [case, patient, item, msg] = discuss_cells(d, patient, lang);
            o.push_str(&format!(
                "  {case}  {patient}  {item}{} {msg}\n",
                crate::text::typo::colon(lang)
            ));
        }
    }
    o
}

/// The list's two tables (the tasks; what is left to discuss), as
/// headings and rows of plain text, for the html and md pages.
fn tables(l: &List, lang: Lang) -> [(Vec<&'static str>, Vec<Vec<String>>); 2] {
    [
        (
            heads(lang).to_vec(),
            l.rows.iter().map(|r| cells(r, lang).to_vec()).collect(),
        ),
        (
            discuss_heads(lang).to_vec(),
            l.discuss
                .iter()
                .map(|(d, p)| discuss_cells(d, p, lang).to_vec())
                .collect(),
        ),
    ]
}

fn html(l: &List, lang: Lang) -> String {
    use crate::export::html::{escape, plain_table};
    let t = escape(&title(l, lang));
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n</head>\n<body>\n<h1>{t}</h1>\n",
        lang.code()
    );
    let [(heads, rows), (dheads, drows)] = tables(l, lang);
    o.push_str(&plain_table(&heads, rows));
    o.push_str(&format!(
        "<h2>{}</h2>\n",
        escape(words::headings(lang).discuss)
    ));
    o.push_str(&plain_table(&dheads, drows));
    o.push_str("</body>\n</html>\n");
    o
}

fn md(l: &List, lang: Lang) -> String {
    use crate::export::md::{escape, plain_table};
    let mut o = format!("# {}\n", escape(&title(l, lang)));
    let [(heads, rows), (dheads, drows)] = tables(l, lang);
    o.push_str(&plain_table(&heads, rows));
    o.push_str(&format!("\n## {}\n", escape(words::headings(lang).discuss)));
    o.push_str(&plain_table(&dheads, drows));
    o
}

/// The JSON shape (docs/tasks.md).
fn json_of(l: &List, lang: Lang) -> Value {
    let tasks: Vec<Value> = l
        .rows
        .iter()
        .map(|r| {
            let t = &r.task;
            let window = t.window.filter(|_| r.assigned == Assigned::Do);
            let (latest, kind) = match window.map(|w| w.latest) {
                None => (Value::Null, Value::Null),
                Some(Latest::Day(d)) => (json!(d.format("%Y-%m-%d").to_string()), json!("day")),
                Some(Latest::DayNoon(d)) => {
                    (json!(d.format("%Y-%m-%d").to_string()), json!("day_before_noon"))
                }
                Some(Latest::Elapsed(e)) => (
                    json!(e.bound().format("%Y-%m-%dT%H:%M").to_string()),
                    json!(if e.more_than { "before" } else { "at_or_before" }),
                ),
            };
            let (drug, hold) = match t.what {
                What::LastIntake { drug, hold } => (json!(drug.as_str()), json!(hold)),
                What::Crcl { drug } => (json!(drug.as_str()), Value::Null),
                _ => (Value::Null, Value::Null),
            };
            json!({
                "case": t.case,
                "scheduled_at": r.scheduled_at.format("%Y-%m-%dT%H:%M").to_string(),
                "patient": r.patient,
                "ipp": r.ipp,
                "operator": r.operator,
                "item": t.item.as_str(),
                "what": what_code(t.what),
                "drug": drug,
                "hold": hold,
                "owners": t.owners.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
                "assigned": match r.assigned { Assigned::Do => "do", Assigned::Contact => "contact" },
                "earliest": window.and_then(|w| w.earliest).map(|d| d.format("%Y-%m-%d").to_string()),
                "latest": latest,
                "latest_kind": kind,
                "state": t.state,
                "text": words::sentence(lang, t, r.assigned, &r.operator),
            })
        })
        .collect();
    let discuss: Vec<Value> = l
        .discuss
        .iter()
        .map(|(d, patient)| {
            json!({
                "case": d.case,
                "patient": patient,
                "item": d.item.as_str(),
                "severity": d.severity,
                "code": d.code,
                "message": d.msg.render(lang),
            })
        })
        .collect();
    json!({
        "weeks": [l.weeks.0.to_string(), l.weeks.1.to_string()],
        "role": l.role.map(Role::as_str),
        "tasks": tasks,
        "discuss": discuss,
    })
}

fn what_code(w: What) -> &'static str {
    match w {
        What::Imaging => "imaging",
        What::Biology => "biology",
        What::Coagulation => "coagulation",
        What::AnaesthesiaConsult => "anaesthesia_consult",
        What::Consultation => "consultation",
        What::Consent => "consent",
        What::Medications => "medications",
        What::Crcl { .. } => "crcl",
        What::LastIntake { .. } => "last_intake",
    }
}
