//! The local protocol as a document (`rules document`, issue 17): every row
//! of the rules table as the file holds it, in the committee's words,
//! grouped by dossier item, with the protocol's version, its last approval
//! and the changes since the version approved before. [`build`] reads the
//! file into a [`Document`] of plain text (words from
//! `text::protocol_doc`); `md.rs` and `html.rs` write it, escaping every
//! text for their format. No patient data: readable by every role.

#[cfg(test)]
mod docs_tests;
mod html;
mod md;
#[cfg(test)]
mod tests;

use std::io::Write;
use std::path::Path;

use chrono_tz::Tz;

use super::ExportError;
use super::staging;
use super::target::{Existing, Protected};
use crate::domain::protocol::{Change, Side, previous_approved};
use crate::domain::rules::{RuleRow, RuleSet};
use crate::domain::text::sanitize_line;
use crate::domain::vocab::BleedingRisk;
use crate::storage::{Db, StorageError};
use crate::text::Label;
use crate::text::Lang;
use crate::text::protocol_doc as words;
use crate::text::screen::rules_table;
use crate::text::typo;

/// The document's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocFormat {
    Html,
    Md,
}

/// The dossier items in the document's order: the part of a rule's name
/// before the dot. The scores follow, as text.
pub const GROUPS: [&str; 9] = [
    "technique",
    "imaging",
    "biology",
    "coagulation",
    "anaesthesia",
    "consent",
    "delay",
    "medication",
    "meeting",
];

/// The whole document, in plain text (not escaped).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub lang: Lang,
    /// The protocol's version the document shows, and the fingerprint of
    /// its rules and zone.
    pub version: i64,
    pub digest: String,
    pub title: String,
    pub intro: String,
    /// (label, value) lines under the title.
    pub header: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub scores: Scores,
    pub changes: Changes,
    pub made_by: String,
}

/// A dossier item's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub rules: Vec<Rule>,
}

/// One rule: its name, what it means and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    /// The engine's name (`coagulation.inr_max`), as `rules set` takes it.
    pub key: String,
    pub description: String,
    pub heads: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The scores' section: text, not rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub title: String,
    pub intro: String,
    /// Each score: its first line, then its bands and source.
    pub scores: Vec<(String, Vec<String>)>,
}

/// The changes since the version approved before the one in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    pub title: String,
    pub since: String,
    /// None: no change (the sentence that says so).
    pub none: Option<String>,
    pub heads: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Reads the file's rules table, its protocol status and its history into
/// the document, in `lang`.
pub fn build(db: &Db, lang: Lang) -> Result<Document, StorageError> {
    // One read: the rows, the header, the sign-off and the changes agree.
    let crate::storage::protocol::Snapshot {
        rules,
        tz,
        status,
        approvals,
        history,
    } = db.protocol_snapshot()?;
    let approval = match &status.approval {
        Some(a) => words::approval(
            lang,
            a.version,
            &crate::text::protocol::day(lang, a.at, tz),
            &sanitize_line(&a.name),
            &sanitize_line(&a.note),
        ),
        None => words::never_approved(lang).to_owned(),
    };
    let mut header = vec![
        (
            words::version_label(lang).to_owned(),
            format!("v{}", status.version),
        ),
        (words::approval_label(lang).to_owned(), approval),
        (
            words::state_label(lang).to_owned(),
            crate::text::protocol::line_by(lang, &status, tz),
        ),
    ];
    // Where the last approval was given, and who was present.
    if let Some(a) = &status.approval {
        let present: Vec<String> = a
            .attendance
            .iter()
            .map(|p| {
                let name = sanitize_line(&p.name);
                match p.role {
                    Some(role) => format!("{name} ({})", role.label(lang)),
                    None => name,
                }
            })
            .collect();
        // The week and the meeting's own day (it may be before the
        // approval's).
        let week = a.week.as_deref().map(|w| match a.meeting_on {
            Some(d) => format!(
                "{} {} {}",
                sanitize_line(w),
                lang.pick("of", "du"),
                crate::text::typo::date(lang, d)
            ),
            None => sanitize_line(w),
        });
        header.push((
            words::meeting_label(lang).to_owned(),
            words::approval_meeting(lang, week.as_deref(), &present),
        ));
    }
    header.extend([
        (words::zone_label(lang).to_owned(), tz.name().to_owned()),
        (words::digest_label(lang).to_owned(), status.digest.clone()),
    ]);
    let sections = GROUPS
        .iter()
        .map(|group| Section {
            title: words::group(lang, group),
            rules: rules_of(&rules, &history, group, lang, tz),
        })
        .filter(|s| !s.rules.is_empty())
        .collect();
    let base = previous_approved(&approvals, status.version);
    let since: Vec<Vec<String>> = history
        .iter()
        .filter(|c| c.version > base.unwrap_or(0))
        .map(|c| change_row(lang, c, &rules, tz))
        .collect();
    let changes = Changes {
        title: words::changes_title(lang).to_owned(),
        since: words::changes_since(lang, base),
        none: since.is_empty().then(|| words::no_changes(lang, base)),
        heads: strings(&words::change_heads(lang)),
        rows: since,
    };
    Ok(Document {
        lang,
        version: status.version,
        digest: status.digest.clone(),
        title: words::title(lang).to_owned(),
        intro: words::intro(lang).to_owned(),
        header,
        sections,
        scores: scores(lang),
        changes,
        made_by: words::made_by(lang).to_owned(),
    })
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|w| (*w).to_owned()).collect()
}

/// The rules of one dossier item, in the engine's order, each with its
/// rows as the table holds them.
fn rules_of(rules: &RuleSet, history: &[Change], group: &str, lang: Lang, tz: Tz) -> Vec<Rule> {
    let mut names: Vec<&str> = crate::domain::rules::table::KNOWN_RULES
        .iter()
        .map(|s| s.rule)
        .collect();
    // A rule the engine does not know is refused at load; kept anyway.
    for row in rules.rows() {
        if !names.contains(&row.rule.as_str()) {
            names.push(&row.rule);
        }
    }
    names
        .into_iter()
        .filter(|rule| rule.split('.').next() == Some(group))
        .filter_map(|rule| {
            let rows: Vec<Vec<String>> = rules
                .rows()
                .iter()
                .filter(|r| r.rule == rule)
                .map(|r| row(lang, r, history, tz))
                .collect();
            (!rows.is_empty()).then(|| Rule {
                name: crate::text::typo::capital(&rules_table::rule_name(lang, rule)),
                key: rule.to_owned(),
                description: words::description(lang, rule)
                    .unwrap_or_default()
                    .to_owned(),
                heads: strings(&words::heads(lang)),
                rows,
            })
        })
        .collect()
}

/// A row: subject, bleeding risk, value, unit, severity, source, last change.
fn row(lang: Lang, r: &RuleRow, history: &[Change], tz: Tz) -> Vec<String> {
    let last = history.iter().rev().find(|c| {
        c.row
            .as_ref()
            .is_some_and(|k| k.names(&r.rule, &r.subject, r.risk))
    });
    let last = match last {
        Some(c) => words::changed(
            lang,
            &crate::text::protocol::day(lang, c.at, tz),
            &who(c),
            c.version,
        ),
        None => words::initial_value(lang).to_owned(),
    };
    vec![
        rules_table::subject(lang, &r.subject),
        risk(lang, r.risk),
        value(lang, r.value),
        words::unit(lang, r.unit).to_owned(),
        crate::text::screen::rule_severity(lang, r.severity).to_owned(),
        sanitize_line(&r.source),
        last,
    ]
}

fn risk(lang: Lang, risk: Option<BleedingRisk>) -> String {
    risk.map_or(words::either_risk(lang), |r| r.label(lang))
        .to_owned()
}

/// A value in words: the number (decimal comma in French), or a dash for
/// a flag or no value.
/// A row's value column: the number whenever the row holds one (a flag's
/// too: the document shows what the table holds), else a dash.
fn value(lang: Lang, v: Option<f64>) -> String {
    v.map_or_else(
        || words::NO_VALUE.to_owned(),
        |v| crate::text::typo::number(lang, v),
    )
}

/// Who made a change: the trail's login (a name changed since would
/// credit the wrong person).
fn who(c: &Change) -> String {
    sanitize_line(&c.login)
}

/// A change: version, when, who, row, before, after, approved.
fn change_row(lang: Lang, c: &Change, rules: &RuleSet, tz: Tz) -> Vec<String> {
    let (row, unit) = match &c.row {
        Some(k) => {
            // The history's words (a risk the table does not know shown as
            // it is), finished for print.
            let named = crate::text::protocol_history::row(lang, k);
            (
                typo::finish(lang, typo::Medium::Print, &named),
                crate::domain::protocol::unit_of(rules.rows(), k),
            )
        }
        None => (words::unreadable_row(lang).to_owned(), None),
    };
    let side = |s: &Side| {
        let shown = crate::text::protocol::side(lang, s, unit);
        typo::finish(lang, typo::Medium::Print, &shown)
    };
    vec![
        format!("v{}", c.version),
        crate::text::protocol::moment(lang, c.at, tz),
        who(c),
        row,
        side(&c.old),
        side(&c.new),
        words::approved_in(lang, c.approved_in),
    ]
}

fn scores(lang: Lang) -> Scores {
    let split = |lines: [&str; 5]| {
        let mut lines = lines.iter().map(|s| (*s).to_owned());
        let first = lines.next().unwrap_or_default();
        (first, lines.collect())
    };
    Scores {
        title: words::group(lang, "scores"),
        intro: words::scores_intro(lang).to_owned(),
        scores: vec![split(words::mirels(lang)), split(words::sins(lang))],
    }
}

/// The document in `format`.
pub fn render(doc: &Document, format: DocFormat) -> String {
    match format {
        DocFormat::Html => html::render(doc),
        DocFormat::Md => md::render(doc),
    }
}

/// Reads the file and writes the document in `format` and `lang`.
pub fn document(db: &Db, format: DocFormat, lang: Lang) -> Result<String, StorageError> {
    Ok(render(&build(db, lang)?, format))
}

/// Writes `text` to `path` as an export is written (never onto the
/// database's files nor a SQLite file, an existing file only with
/// `Existing::Replace`; a temporary file beside it, mode 0600, renamed into
/// place), as the person running the command. Not audited: the rules are
/// no patient data, and reading them is not traced.
pub fn to_file(db: &Db, path: &Path, existing: Existing, text: &str) -> Result<(), ExportError> {
    let fail = |e: &dyn std::fmt::Display| ExportError::Write {
        path: sanitize_line(&path.display().to_string()),
        reason: sanitize_line(&e.to_string()),
    };
    let protected = Protected::of(db);
    let login = db.login().to_owned();
    crate::deploy::as_person(|| {
        protected.check(path, existing)?;
        let mut tmp = staging::create(path, &login)?;
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| fail(&e))?;
        protected.check(path, existing)?;
        let put = match existing {
            Existing::Replace => tmp.persist(path),
            Existing::Keep => tmp.persist_noclobber(path),
        };
        put.map(|_| ()).map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => super::target::exists(path),
            _ => fail(&e.error),
        })
    })
    .map_err(|e| fail(&e))?
}
