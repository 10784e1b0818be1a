//! Validated cases that have become blocking since their validation (a lab
//! result that arrived by itself, a dossier changed after the meeting): the
//! alert the screen's header and `check` raise over the coming
//! [`ALERT_DAYS`] days, whatever week is shown. Each such case is also
//! marked on the board (`CaseView::alert`).

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::assess::Assessment;
use crate::domain::rules::{Context, Item};
use crate::domain::time::DATETIME_FMT;
use crate::export::pseudo::Pseudonymiser;
use crate::storage::audit::reads::{self, What};
use crate::storage::{Db, Reader, Result};

/// How far ahead the alert looks: a lab result updates the cases of the
/// coming four weeks (issue 16 §1).
pub const ALERT_DAYS: i64 = 28;

/// One validated case blocking now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    /// The scheduling id, or its keyed pseudonym.
    pub external_id: String,
    pub scheduled_at: String,
    /// The items blocking now that the committee did not accept.
    pub items: Vec<Item>,
}

/// The validated cases from `today` to `today` + [`ALERT_DAYS`] that are
/// blocking now, by time; pseudonymised with `ps`. The cases shown are
/// traced (as a week read, subject `alerts FROM/TO`) before they are
/// returned.
pub fn coming(
    db: &Db,
    reader: &Reader<'_>,
    ctx: &Context<'_>,
    today: NaiveDate,
    ps: Option<&Pseudonymiser>,
) -> Result<Vec<Alert>> {
    let to = today + Duration::days(ALERT_DAYS);
    let mut out = Vec::new();
    for mut case in reader.validated_between(today, to)? {
        let mut a = Assessment::of_stored(&case, ctx);
        let items = a.now_blocking(&case);
        if items.is_empty() {
            continue;
        }
        if let Some(ps) = ps {
            crate::report::pseudo::case(&mut case, &mut a, ps);
        }
        out.push(Alert {
            id: case.id,
            external_id: case.file.external_id.clone(),
            scheduled_at: case
                .file
                .procedure
                .scheduled_at
                .format(DATETIME_FMT)
                .to_string(),
            items,
        });
    }
    if !out.is_empty() {
        let ids: Vec<i64> = out.iter().map(|a| a.id).collect();
        let subject = format!("alerts {today}/{to}");
        reads::trace(db, What::Week, Some(&subject), &ids)?;
    }
    Ok(out)
}
