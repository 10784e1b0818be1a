//! The committee's indicators over a period as a person may see them
//! (issue 15 §4): `ir-committee report` and the screen's `S` view both
//! read them here, so that they show the same figures.

use chrono::NaiveDate;

use crate::domain::indicators::{self, Cell, Indicators};
use crate::domain::roles::{Read, Sight};
use crate::storage::audit::reads::{What, trace};
use crate::storage::{Db, StorageError};

/// Reads the facts of the cases scheduled from `from` to `to` (the read
/// table first), traces the read as one row, computes and masks the
/// figures. Pseudonymised when asked or when the role reads pseudonymised
/// only; the flag says which.
pub fn figures(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    pseudonymise: bool,
) -> Result<(Indicators<Cell>, bool), StorageError> {
    let sight = db.require_read(Read::Report)?;
    let pseudonymised = pseudonymise || sight == Sight::Pseudonymised;
    let facts = crate::storage::indicators::facts(db, from, to)?;
    trace(db, What::Report, Some(&format!("{from}..{to}")), &[])?;
    let raw = indicators::compute(&facts, from, to, db.clock().today());
    Ok((indicators::mask(&raw, pseudonymised), pseudonymised))
}
