//! `audit`: the trail's listing, the read trace's listing (`--reads`), and
//! the walk of both chains (`--verify`). Every listing is itself traced
//! before it is printed (issue 11).

use crate::text::Lang;
use crate::text::cli::audit as words;
use chrono::NaiveDate;
use clap::Subcommand;

use super::{CliError, Format};
use crate::domain::roles::Read;
use crate::storage::audit::reads::{self as trace, What};
use crate::storage::{self, Db, read};

/// `audit`'s subcommand.
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Delete the read trace's rows written before DATE (midnight starting
    /// DATE in the hospital's time zone), behind a checkpoint sealed in the
    /// audit trail: the count, the removed ids and the last removed row's
    /// hash. The auditor only; DATE must be at least the retention period
    /// before today (read_retention_months in the setgid configuration,
    /// default 6 months). The trace is pruned from its start only: a row
    /// older than DATE that follows a newer one is kept.
    PruneReads {
        /// Rows written before this day are removed (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day)]
        before: NaiveDate,
    },
    /// Seal the keyed chains of the database in a file beside the audit key
    /// (`<key file>.seal`): from then on `audit --verify` checks every row
    /// from the first keyed one with the key, whatever the database says.
    /// Run it where the key is installed (as root at deployment, after
    /// `init`); refused without a configured key. Audited.
    SealKey,
}

/// `audit seal-key`: one line, what was sealed and where.
pub(super) fn seal_key(
    lang: Lang,
    db: &mut Db,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let sealed = storage::audit::seal::seal_key(db)?;
    writeln!(out, "{}", crate::text::cli::sealed(lang, &sealed))?;
    Ok(())
}

/// `audit prune-reads --before DATE`: one line, the count and the
/// checkpoint, or that there was nothing to remove (nothing is then
/// written).
pub(super) fn prune_reads(
    db: &mut Db,
    before: NaiveDate,
    lang: crate::domain::message::Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let tz = db.timezone()?;
    let pruned = match storage::audit::prune::prune_reads(
        db,
        before,
        crate::deploy::read_retention_months(),
    ) {
        Err(storage::StorageError::Retention {
            before,
            latest,
            months,
        }) => {
            return Err(CliError::Refused(crate::text::words::prune_too_recent(
                lang, before, latest, months,
            )));
        }
        other => other?,
    };
    writeln!(out, "{}", crate::text::words::pruned(lang, &pruned, tz))?;
    Ok(())
}

/// The filters of a listing, as typed.
pub(super) struct Listing<'a> {
    pub external_id: Option<&'a str>,
    pub login: Option<&'a str>,
    pub since: Option<NaiveDate>,
    pub format: Format,
}

impl Listing<'_> {
    /// The filter as recorded in the read trace's `subject`.
    fn subject(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(e) = self.external_id {
            parts.push(format!("case={e}"));
        }
        if let Some(l) = self.login {
            parts.push(format!("login={l}"));
        }
        if let Some(d) = self.since {
            parts.push(format!("since={d}"));
        }
        (!parts.is_empty()).then(|| crate::domain::text::sanitize_line(&parts.join(" ")))
    }
}

/// `audit --verify [--anchor HASH]`: the read trace's head, then the
/// trail's (the last line, whose last word is the head to write in the
/// minutes, as before the read trace existed); or the first broken row. A
/// missing or altered append-only trigger fails it too (named after a
/// broken row, if there is one). Without a key, a note on stderr says that
/// the chains are not keyed.
pub(super) fn verify(
    lang: Lang,
    db: &Db,
    anchor: Option<&str>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    db.require_read(Read::AuditVerify)?;
    let triggers = storage::audit::guard::check(db)?;
    // The trail and the live rows are read by two threads, while this one
    // walks the read trace.
    let verified =
        storage::audit::verify_with_live(db, anchor, || trace_line(lang, db, triggers.as_deref()))?;
    let first = audit_line(lang, verified.chain, triggers.as_deref())?;
    let second = verified.beside?;
    let live = match verified.live {
        storage::audit::LiveVerdict::Match { rows, tables } => {
            words::live_match(lang, rows, tables as u64)
        }
        storage::audit::LiveVerdict::Mismatch { table, row, reason } => {
            return Err(also(
                lang,
                triggers.as_deref(),
                words::live_mismatch(lang, &table, &row.to_string(), &reason),
            ));
        }
    };
    if let Some(t) = triggers {
        return Err(CliError::Audit(words::not_append_only(lang, &t)));
    }
    if db.audit_key().is_none() {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", words::unkeyed_note(lang));
    }
    for line in [live, second, first] {
        writeln!(out, "{}", words::printed(lang, &line))?;
    }
    Ok(())
}

/// A failure line, with the missing or altered trigger named after it.
fn also(lang: Lang, triggers: Option<&str>, line: String) -> CliError {
    match triggers {
        Some(t) => CliError::Audit(words::also(lang, &line, t)),
        None => CliError::Audit(line),
    }
}

/// The audit trail's line, or its first broken row.
fn audit_line(
    lang: Lang,
    verdict: storage::audit::Verdict,
    triggers: Option<&str>,
) -> Result<String, CliError> {
    use storage::audit::Verdict;
    Ok(match verdict {
        Verdict::Intact {
            rows,
            head,
            anchor_row,
        } => words::trail_intact(lang, rows, &head, anchor_row),
        Verdict::Broken { id, reason } => {
            return Err(also(lang, triggers, words::trail_broken(lang, id, &reason)));
        }
        Verdict::AnchorNotFound { rows, .. } => {
            return Err(CliError::Audit(words::anchor_not_found(lang, rows)));
        }
    })
}

/// The read trace's line, or its first broken row.
fn trace_line(lang: Lang, db: &Db, triggers: Option<&str>) -> Result<String, CliError> {
    use storage::audit::Verdict;
    let second = match trace::verify_trace(db)? {
        Verdict::Intact { rows, head, .. } => {
            let pruned = storage::audit::prune::pruned_through(db)?;
            words::trace_intact(lang, rows, &head, pruned)
        }
        Verdict::Broken { id, reason } => {
            return Err(also(lang, triggers, words::trace_broken(lang, id, &reason)));
        }
        Verdict::AnchorNotFound { .. } => {
            return Err(CliError::Audit(words::trace_unexpected_anchor(lang)));
        }
    };
    Ok(second)
}

/// The case's row id, from its external id.
fn case_id(db: &Db, external_id: Option<&str>) -> Result<Option<i64>, CliError> {
    Ok(match external_id {
        Some(e) => Some(read::by_external_id(db, e)?.id),
        None => None,
    })
}

/// `audit [--case ID] [--since DAY] [--format text|json]`; with `--case`,
/// the text listing ends with who consulted the case.
pub(super) fn list(db: &Db, l: &Listing<'_>, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    // Before anything (even whether the case exists): the auditor and the chair only.
    db.require_read(Read::AuditList)?;
    let tz = db.timezone()?;
    let case_id = case_id(db, l.external_id)?;
    let since = l.since.map(|d| storage::audit::since_timestamp(d, tz));
    let filter = storage::audit::Filter {
        case_id,
        since: since.clone(),
    };
    let rows = storage::audit::query(db, &filter)?;
    let consulted = match case_id {
        Some(id) => trace::query_reads(
            db,
            &trace::ReadFilter {
                case_id: Some(id),
                login: None,
                since,
            },
        )?,
        None => Vec::new(),
    };
    // Traced before anything is printed; nothing is if it cannot be.
    let ids: Vec<i64> = case_id.into_iter().collect();
    trace::trace(db, What::AuditList, l.subject().as_deref(), &ids)?;
    match l.format {
        Format::Json => {
            super::json::write(out, &rows)?;
        }
        Format::Text => {
            for row in &rows {
                writeln!(out, "{}", row.line(tz))?;
            }
            for row in &consulted {
                writeln!(out, "{}", row.line(tz))?;
            }
        }
    }
    Ok(())
}

/// `audit --reads [--case ID] [--login L] [--since DAY] [--format text|json]`.
pub(super) fn reads(
    db: &Db,
    l: &Listing<'_>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    db.require_read(Read::AuditReads)?;
    let tz = db.timezone()?;
    let case_id = case_id(db, l.external_id)?;
    let filter = trace::ReadFilter {
        case_id,
        login: l.login.map(str::to_owned),
        since: l.since.map(|d| storage::audit::since_timestamp(d, tz)),
    };
    let rows = trace::query_reads(db, &filter)?;
    let ids: Vec<i64> = case_id.into_iter().collect();
    trace::trace(db, What::AuditReads, l.subject().as_deref(), &ids)?;
    match l.format {
        Format::Json => {
            super::json::write(out, &rows)?;
        }
        Format::Text => {
            for row in &rows {
                writeln!(out, "{}", row.line(tz))?;
            }
        }
    }
    Ok(())
}
