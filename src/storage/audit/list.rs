//! Reading the trail: `audit [--case] [--since]`.

#[allow(unused_imports)]
use super::*;

/// One audit row as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub login: String,
    pub role: Option<String>,
    pub origin: Option<String>,
    pub action: String,
    pub case_id: Option<i64>,
    /// The case's external id, when the case still exists.
    pub case_external_id: Option<String>,
    pub patient_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub outcome: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
    /// "fixed" when written under `--today` (a demo file only).
    pub clock: Option<String>,
    /// A refused row: how many more times the same login was refused the
    /// same action that minute (counted beside the database, not
    /// hash-chained: `storage/refusals.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub further_refusals: Option<i64>,
    /// An `export.start` row: whether the export completed (done or
    /// failed); false for one whose process was killed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

/// Which rows to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The case's internal id.
    pub case_id: Option<i64>,
    /// Rows written at or after this UTC timestamp (RFC 3339, as stored).
    pub since: Option<String>,
}

/// The audit rows of a case (all rows when `case_id` is None), oldest
/// first: for the library's own checks and tests, never shown to a person
/// (the listing a person sees is [`query`], behind the read table).
pub fn list(db: &Db, case_id: Option<i64>) -> Result<Vec<AuditRow>> {
    rows(
        db,
        &Filter {
            case_id,
            since: None,
        },
    )
}

/// The rows that pass `filter`, oldest first: the audit listing, for the
/// roles the read table allows (`Read::AuditList`: the auditor, the chair).
pub fn query(db: &Db, filter: &Filter) -> Result<Vec<AuditRow>> {
    db.require_read(crate::domain::roles::Read::AuditList)?;
    rows(db, filter)
}

fn rows(db: &Db, filter: &Filter) -> Result<Vec<AuditRow>> {
    let mut stmt = db.conn().prepare(
        "SELECT a.id, a.at, a.login, a.role, a.origin, a.action, a.case_id, c.external_id,
           a.patient_id, a.old_value, a.new_value, a.outcome, a.prev_hash, a.hash, a.clock
         FROM audit a LEFT JOIN cases c ON c.id = a.case_id
         WHERE (?1 IS NULL OR a.case_id = ?1) AND (?2 IS NULL OR a.at >= ?2)
         ORDER BY a.id",
    )?;
    let rows = stmt.query_map(rusqlite::params![filter.case_id, filter.since], |r| {
        Ok(AuditRow {
            id: r.get(0)?,
            at: r.get(1)?,
            login: r.get(2)?,
            role: r.get(3)?,
            origin: r.get(4)?,
            action: r.get(5)?,
            case_id: r.get(6)?,
            case_external_id: r.get(7)?,
            patient_id: r.get(8)?,
            old_value: r.get(9)?,
            new_value: r.get(10)?,
            outcome: r.get(11)?,
            prev_hash: r.get(12)?,
            hash: r.get(13)?,
            clock: r.get(14)?,
            further_refusals: None,
            completed: None,
        })
    })?;
    let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    annotate(db, &mut rows)?;
    Ok(rows)
}

/// Sets what the rows alone do not say: the count of further refusals
/// beside each refused row (the first of its login, role, action and
/// minute), and whether each export start completed (issue 12).
fn annotate(db: &Db, rows: &mut [AuditRow]) -> Result<()> {
    if rows.iter().any(|r| r.outcome == "refused") {
        let mut counts = crate::storage::refusals::counts(db.path());
        for r in rows.iter_mut().filter(|r| r.outcome == "refused") {
            let key = crate::storage::refusals::Key {
                login: r.login.clone(),
                role: r.role.clone().unwrap_or_default(),
                action: r.action.clone(),
                minute: crate::storage::refusals::minute_of(&r.at).to_owned(),
            };
            // Taken: a second row of the same minute (two processes racing) gets none.
            r.further_refusals = counts.remove(&key);
        }
    }
    if rows.iter().any(|r| r.action == "export.start") {
        let open: std::collections::HashSet<i64> =
            crate::storage::exports::unfinished_in(db.conn(), None)?
                .into_iter()
                .map(|u| u.audit_id)
                .collect();
        for r in rows.iter_mut().filter(|r| r.action == "export.start") {
            r.completed = Some(!open.contains(&r.id));
        }
    }
    Ok(())
}

/// The UTC timestamp of local midnight starting `day` in `tz`, as stored.
pub fn since_timestamp(day: NaiveDate, tz: Tz) -> String {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    let utc = tz
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc));
    utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Longest old or new value shown on a listing line, in characters.
pub(super) const SHOWN_CHARS: usize = 60;

impl AuditRow {
    /// One listing line: local time, login, role, origin, action, case,
    /// old → new shortened; one line, no control characters.
    pub fn line(&self, tz: Tz) -> String {
        let when = DateTime::parse_from_rfc3339(&self.at).map_or_else(
            |_| self.at.clone(),
            |t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string(),
        );
        let case = match (&self.case_external_id, self.case_id) {
            (Some(e), _) => e.clone(),
            (None, Some(id)) => format!("#{id}"),
            (None, None) => "-".into(),
        };
        let change = match (&self.old_value, &self.new_value) {
            (None, None) => String::new(),
            (None, Some(n)) => short(n),
            (Some(o), None) => format!("{} → -", short(o)),
            (Some(o), Some(n)) => format!("{} → {}", short(o), short(n)),
        };
        let refused = match (self.outcome.as_str(), self.further_refusals) {
            ("done", _) if self.completed == Some(false) => " (never completed)".to_owned(),
            ("done", _) => String::new(),
            (_, Some(n)) => format!(" (refused; {n} more that minute)"),
            _ => " (refused)".to_owned(),
        };
        let fields = [
            when,
            self.login.clone(),
            self.role.clone().unwrap_or_else(|| "-".into()),
            self.origin.clone().unwrap_or_else(|| "-".into()),
            format!("{}{refused}", self.action),
            case,
        ];
        let mut line: Vec<String> = fields.iter().map(|f| sanitize_line(f)).collect();
        if !change.is_empty() {
            line.push(change);
        }
        if let Some(clock) = &self.clock {
            line.push(format!("clock: {}", sanitize_line(clock)));
        }
        line.join("  ")
    }
}

pub(super) fn short(s: &str) -> String {
    let s = sanitize_line(s);
    if s.chars().count() <= SHOWN_CHARS {
        return s;
    }
    let mut out: String = s.chars().take(SHOWN_CHARS - 1).collect();
    out.push('…');
    out
}
