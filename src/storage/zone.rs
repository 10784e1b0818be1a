//! The hospital's time zone of an existing file (`set-timezone`): a chair's
//! change, like a rule's, since every delay in hours depends on it.

use chrono_tz::Tz;
use rusqlite::OptionalExtension;

use super::{Result, Writer, audit};
use crate::domain::roles::Permission;

/// The audit action of a time zone change.
pub const ACTION: &str = "meta.timezone";

/// What [`set_timezone`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneChange {
    /// The file already had this zone: nothing written.
    Unchanged,
    /// Changed from this zone (`None`: the file named none).
    From(Option<String>),
}

/// Sets the file's time zone in the write's transaction, with its audit row
/// (old → new). Needs the right to manage rules (a chair).
pub fn set_timezone(w: &Writer<'_>, tz: Tz) -> Result<ZoneChange> {
    w.require(Permission::ManageRules, ACTION, None)?;
    let old: Option<String> = w
        .tx()
        .query_row("SELECT value FROM meta WHERE key = 'timezone'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if old.as_deref() == Some(tz.name()) {
        return Ok(ZoneChange::Unchanged);
    }
    w.tx().execute(
        "INSERT INTO meta (key, value) VALUES ('timezone', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [tz.name()],
    )?;
    audit::record(
        w,
        ACTION,
        None,
        old.as_deref().map(|o| format!("timezone = {o}")).as_deref(),
        Some(&format!("timezone = {}", tz.name())),
    )?;
    Ok(ZoneChange::From(old))
}

#[cfg(test)]
mod tests {
    use super::{ACTION, ZoneChange, set_timezone};
    use crate::domain::clock::Clock;
    use crate::storage::{Db, audit};

    #[test]
    fn a_change_is_written_with_its_audit_row_and_a_same_zone_writes_nothing() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let mut db = Db::open_in_memory(Clock::Fixed(day)).expect("db");
        let rows = |db: &Db| {
            audit::list(db, None)
                .expect("audit")
                .into_iter()
                .filter(|r| r.action == ACTION)
                .map(|r| (r.old_value, r.new_value, r.outcome))
                .collect::<Vec<_>>()
        };
        let change = db
            .write(|w| set_timezone(w, chrono_tz::America::Cayenne))
            .expect("set");
        assert_eq!(change, ZoneChange::From(Some("Europe/Paris".into())));
        assert_eq!(db.timezone().expect("zone"), chrono_tz::America::Cayenne);
        let expected = vec![(
            Some("timezone = Europe/Paris".to_owned()),
            Some("timezone = America/Cayenne".to_owned()),
            "done".to_owned(),
        )];
        assert_eq!(rows(&db), expected);
        let again = db
            .write(|w| set_timezone(w, chrono_tz::America::Cayenne))
            .expect("set");
        assert_eq!(again, ZoneChange::Unchanged);
        assert_eq!(rows(&db), expected, "no row for no change");
    }
}
