//! `follow-ups`, `follow-up` and `deceased` (issue 15 §2–3): the calls to
//! make, a call recorded, a death recorded.
//!
//! - `follow-ups`: read through the read table (`Read::FollowUps`: the care
//!   team and the nurse, identified; a viewer, the auditor and a login the
//!   file does not know read nothing), traced (one row per case shown, the
//!   filter as subject) before it is shown. `--mine`: the operators a
//!   chair linked to the login. A file is written as an export is.
//! - `follow-up`: `Permission::RecordFollowUp` (a radiologist, an
//!   anaesthetist, the chair, the nurse), checked before the write lock.
//! - `deceased`: the same roles (who learns of a death on the phone or
//!   at the bedside), once per patient, audited.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use clap::ValueEnum;
use serde_json::{Value, json};

use super::{Cli, CliError, Format};
use crate::domain::followup::{Call, State, When, by_operator, calls, operator_key, select};
use crate::domain::message::Lang;
use crate::domain::outcome::{CirseGrade, Complication, FollowUp};
use crate::domain::roles::Read;
use crate::domain::text::sanitize_line;
use crate::domain::vocab::{Analgesics, FollowUpKind};
use crate::domain::week::Week;
use crate::export::target::Existing;
use crate::storage::{Db, StorageError, followup, needs};
use crate::text::followup as words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

pub(super) fn parse_kind(s: &str) -> Result<FollowUpKind, String> {
    FollowUpKind::parse(s).ok_or_else(|| format!("'{s}' is not a follow-up (expected m1 or j1)"))
}

pub(super) fn parse_analgesics(s: &str) -> Result<Analgesics, String> {
    Analgesics::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Analgesics::ALL.iter().map(|a| a.as_str()).collect();
        format!(
            "'{s}' is not an analgesic use (expected one of: {})",
            all.join(", ")
        )
    })
}

pub(super) fn parse_morphine(s: &str) -> Result<f64, String> {
    match s.trim().replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("'{s}' is not a dose in mg a day (0 or more)")),
    }
}

pub(super) fn parse_called_at(s: &str) -> Result<NaiveDateTime, String> {
    crate::domain::time::parse_datetime(s)
}

/// What `follow-ups` asks for.
pub(super) struct Listing<'a> {
    pub due: bool,
    pub overdue: bool,
    pub operator: Option<&'a str>,
    pub mine: bool,
    pub format: Format,
}

/// The list as computed.
struct List {
    today: NaiveDate,
    /// The calls shown, per operator.
    groups: Vec<(String, Vec<Call>)>,
    /// Overdue calls on the whole list (whatever the filter).
    overdue: usize,
}

pub(super) fn list(
    cli: &Cli,
    req: &Listing<'_>,
    output: Option<&Path>,
    force: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    let file = output.filter(|p| p.as_os_str() != "-");
    let mut db = super::open_for_output(cli, file)?;
    // Who may not read the list is told so first, whatever the output.
    db.require_read(Read::FollowUps)?;
    let mine = if req.mine {
        let login = db.login().to_owned();
        let keys: BTreeSet<String> = followup::operators_of(&db, &login)?.into_iter().collect();
        if keys.is_empty() {
            return Err(CliError::Refused(words::no_operator_linked(
                lang,
                &sanitize_line(&login),
            )));
        }
        Some(keys)
    } else {
        None
    };
    let mine = mine.as_ref();
    let Some(path) = file else {
        let list = compute(&db, req, mine)?;
        out.write_all(render(&list, req.format, lang).as_bytes())?;
        return Ok(());
    };
    let mut count = 0;
    crate::export::run::text_to_file(&mut db, path, Existing::from_force(force), |db| {
        let list = compute(db, req, mine)?;
        count = list.groups.iter().map(|g| g.1.len()).sum();
        let record = crate::storage::exports::ExportRecord {
            week: Week::containing(list.today).to_string(),
            format: match req.format {
                Format::Text => "follow_ups.text",
                Format::Json => "follow_ups.json",
            },
            minutes: false,
            pseudonymised: false,
            cases: count,
            file: String::new(),
            attempt: None,
            permission: None,
            protocol_version: None,
        };
        Ok((render(&list, req.format, lang), record))
    })?;
    let shown = sanitize_line(&path.display().to_string());
    writeln!(out, "{}", words::written(lang, &shown, count))?;
    Ok(())
}

/// Reads (the read table first), filters (`mine`: the keys of the
/// operators linked to the login), traces what is shown.
fn compute(
    db: &Db,
    req: &Listing<'_>,
    mine: Option<&BTreeSet<String>>,
) -> Result<List, StorageError> {
    let inputs = followup::inputs(db)?;
    let tz = db.timezone()?;
    let today = local_now(db, tz).date();
    let all = calls(
        &inputs.procedures,
        &inputs.recorded,
        &inputs.deceased,
        today,
    );
    let when = match (req.due, req.overdue) {
        (true, _) => When::Due,
        (_, true) => When::Overdue,
        _ => When::All,
    };
    let mut shown = select(&all, when, req.operator);
    let mut subject = match when {
        When::All => "due+overdue".to_owned(),
        When::Due => "due".to_owned(),
        When::Overdue => "overdue".to_owned(),
    };
    if let Some(name) = req.operator {
        subject.push_str(&format!(" operator={}", sanitize_line(name)));
    }
    if let Some(keys) = mine {
        shown.retain(|c| keys.contains(&operator_key(&c.procedure.operator)));
        subject.push_str(" mine");
    }
    let mut ids: Vec<i64> = shown.iter().map(|c| c.procedure.case_id).collect();
    ids.sort_unstable();
    ids.dedup();
    followup::trace(db, &subject, &ids)?;
    let groups = by_operator(&shown)
        .into_iter()
        .map(|(name, v)| (name, v.into_iter().cloned().collect()))
        .collect();
    Ok(List {
        today,
        groups,
        overdue: crate::domain::followup::overdue(&all),
    })
}

/// Now on the hospital's clock (noon UTC of a `--today` day).
fn local_now(db: &Db, tz: chrono_tz::Tz) -> NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(&db.clock().timestamp())
        .map(|t| t.with_timezone(&tz).naive_local())
        .unwrap_or_else(|_| db.clock().today().and_time(chrono::NaiveTime::MIN))
}

fn render(l: &List, format: Format, lang: Lang) -> String {
    match format {
        Format::Text => text(l, lang),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&json_of(l)).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

fn text(l: &List, lang: Lang) -> String {
    let mut o = format!("{}\n", words::title(lang, l.today));
    if l.groups.is_empty() {
        o.push_str(&format!("  {}\n", words::none(lang)));
    }
    let colon = crate::text::typo::colon(lang);
    for (name, calls) in &l.groups {
        o.push_str(&format!("\n{}\n", words::operator(lang, name, calls.len())));
        for c in calls {
            let p = &c.procedure;
            let mut line = format!(
                "  {:<4} {}  {}  {} (IPP {})  {}  {}  {}{colon} {}",
                words::kind(lang, c.kind),
                words::state(lang, c.state),
                p.external_id,
                p.patient,
                p.ipp,
                words::techniques(lang, c),
                words::performed(lang, p.performed_at),
                words::headings(lang).pain,
                words::pain(lang, p.pain_before),
            );
            if c.attempts > 0 {
                line.push_str(&format!("  {}", words::attempts(lang, c.attempts)));
            }
            if let Some(at) = c.last_called {
                line.push_str(&format!(", {}", words::last_called(lang, at)));
            }
            o.push_str(&line);
            o.push('\n');
        }
    }
    o
}

/// The JSON shape: the day, the overdue count, the calls per operator.
fn json_of(l: &List) -> Value {
    let operators: Vec<Value> = l
        .groups
        .iter()
        .map(|(name, calls)| {
            let calls: Vec<Value> = calls
                .iter()
                .map(|c| {
                    let p = &c.procedure;
                    let (state, day) = match c.state {
                        State::Due { until } => ("due", until),
                        State::Overdue { ended } => ("overdue", ended),
                    };
                    json!({
                        "case": p.external_id,
                        "kind": c.kind.as_str(),
                        "state": state,
                        "window_end": day.format("%Y-%m-%d").to_string(),
                        "patient": p.patient,
                        "ipp": p.ipp,
                        "techniques": p.techniques.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                        "performed_at": p.performed_at.format("%Y-%m-%dT%H:%M").to_string(),
                        "operator": p.operator,
                        "pain_before": p.pain_before,
                        "attempts": c.attempts,
                        "last_called": c.last_called.map(|t| t.format("%Y-%m-%dT%H:%M").to_string()),
                        "version": c.version.unwrap_or(0),
                    })
                })
                .collect();
            json!({ "operator": name, "calls": calls })
        })
        .collect();
    json!({
        "today": l.today.format("%Y-%m-%d").to_string(),
        "overdue": l.overdue,
        "operators": operators,
    })
}

/// What `follow-up` records.
pub(super) struct Answers<'a> {
    pub external_id: &'a str,
    pub kind: FollowUpKind,
    pub reached: YesNo,
    pub pain: Option<u8>,
    pub analgesics: Option<Analgesics>,
    pub morphine: Option<f64>,
    pub complication: Option<(u8, &'a str)>,
    pub called_at: Option<NaiveDateTime>,
    pub seen_version: Option<i64>,
}

pub(super) fn record(
    cli: &Cli,
    a: &Answers<'_>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    let case_id = followup::case_id(&db, a.external_id)?;
    let called_at = match a.called_at {
        Some(at) => at,
        None => {
            let now = local_now(&db, db.timezone()?);
            now.with_second(0)
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(now)
        }
    };
    let complication = match a.complication {
        None => None,
        Some((grade, text)) => Some(Complication {
            grade: CirseGrade::new(grade)
                .ok_or_else(|| CliError::Usage(words::not_a_grade(lang, grade)))?,
            text: sanitize_line(text),
        }),
    };
    let call = FollowUp {
        kind: a.kind,
        called_at,
        reached: a.reached == YesNo::Yes,
        pain: a.pain,
        analgesics: a.analgesics,
        morphine_mg_day: a.morphine,
        complication,
        attempts: 0,
    };
    // Without --seen-version the call is taken as the first: a call on
    // file is never replaced unseen (the refusal names its version).
    let seen = match a.seen_version {
        None | Some(0) => followup::Seen::Nothing,
        Some(v) => followup::Seen::Version(v),
    };
    let saved = db
        .write_as(&needs::follow_up(case_id), |w| {
            followup::record(w, a.external_id, &call, seen)
        })
        .map_err(|e| match e {
            StorageError::Conflict {
                external_id,
                expected,
                found,
                by,
                at,
            } => CliError::Refused(words::conflict(
                lang,
                &sanitize_line(&external_id),
                a.kind,
                (expected, found),
                &sanitize_line(&by),
                &at,
            )),
            other => CliError::Storage(other),
        })?;
    let line = words::saved(
        lang,
        &saved.external_id,
        saved.kind,
        saved.reached,
        saved.attempts,
    );
    writeln!(out, "{line}")?;
    Ok(())
}

pub(super) fn deceased(
    cli: &Cli,
    ipp: &str,
    on: NaiveDate,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    let death = db.write_as(&needs::death(), |w| followup::record_death(w, ipp, on))?;
    writeln!(
        out,
        "{}",
        words::death_saved(cli.lang(), &death.ipp, death.died_on)
    )?;
    Ok(())
}
