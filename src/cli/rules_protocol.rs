//! `rules approve` and `rules history` (issue 17): the rules table as the
//! local protocol the department signs. The storage is `storage::protocol`,
//! the words `text::protocol` and `text::protocol_history`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{Cli, CliError, Format};
use crate::domain::protocol::{Approval, Change};
use crate::domain::roles::Read;
use crate::storage::{Db, needs, protocol};

/// `rules approve --note "…"`: the version in force approved (a chair).
pub(super) fn approve(
    cli: &Cli,
    req: &protocol::Request<'_>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    // Read before the write: a failure after it would report a recorded
    // approval as failed.
    let tz = db.timezone()?;
    let approval = db.write_as(&needs::rules_approve(), |w| protocol::approve(w, req))?;
    writeln!(
        out,
        "{}",
        crate::text::protocol::approved(cli.lang(), &approval, tz)
    )?;
    Ok(())
}

/// One line of the history: a change of the table or an approval. The JSON
/// form is the domain's structures with a `kind`.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    Change(Change),
    Approval(Approval),
}

impl Entry {
    fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Change(c) => c.at,
            Entry::Approval(a) => a.at,
        }
    }

    /// Where it stands in time: the change that made version v, then the
    /// approval of v (given while v was in force, before v + 1). The
    /// trail's times may be equal (`--today`: noon), the versions never.
    fn order(&self) -> (i64, bool) {
        match self {
            Entry::Change(c) => (c.version, false),
            Entry::Approval(a) => (a.version, true),
        }
    }
}

/// Every change and approval, in time order ([`Entry::order`]), kept
/// from `since` (a day in the hospital's zone) on.
pub fn entries(
    changes: Vec<Change>,
    approvals: Vec<Approval>,
    since: Option<NaiveDate>,
    tz: chrono_tz::Tz,
) -> Vec<Entry> {
    let mut all: Vec<Entry> = changes.into_iter().map(Entry::Change).collect();
    all.extend(approvals.into_iter().map(Entry::Approval));
    all.sort_by_key(Entry::order);
    all.retain(|e| since.is_none_or(|d| e.at().with_timezone(&tz).date_naive() >= d));
    all
}

/// `rules history [--since DAY] [--format text|json]`: readable by all.
pub(super) fn history(
    cli: &Cli,
    since: Option<NaiveDate>,
    format: Format,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let db = Db::open_for_reading(&cli.db_path(), cli.opening()?)?;
    db.require_read(Read::RulesList)?;
    // One read: the changes, the approvals and the rules agree.
    let protocol::Snapshot {
        rules,
        tz,
        approvals,
        history,
        ..
    } = db.protocol_snapshot()?;
    let all = entries(history, approvals, since, tz);
    let lang = cli.lang();
    match format {
        Format::Json => super::json::write(out, &all)?,
        Format::Text if all.is_empty() => {
            writeln!(out, "{}", crate::text::protocol_history::empty(lang))?;
        }
        Format::Text => {
            for e in &all {
                let line = match e {
                    Entry::Change(c) => {
                        let unit = c
                            .row
                            .as_ref()
                            .and_then(|k| crate::domain::protocol::unit_of(rules.rows(), k));
                        crate::text::protocol_history::change(lang, c, unit, tz)
                    }
                    Entry::Approval(a) => crate::text::protocol_history::approval(lang, a, tz),
                };
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}
