//! Reads that show data go through here: [`Db::require_read`] checks the
//! person's role against the read table (`domain/roles.rs`), as
//! [`super::Writer::require`] does for writes, and says how they see it
//! (identified or pseudonymised). A login the file does not know reads
//! nothing. The lower-level queries of `read.rs` stay for the writes that
//! depend on them (under their own permission check) and for tests.

use super::{Db, Result, StorageError, read};
use crate::domain::record::StoredCase;
use crate::domain::roles::{self, Read, Sight};
use crate::domain::week::Week;

impl Db {
    /// How this connection's person may see `r`, or the refusal (one line:
    /// not a user, or the roles allowed).
    pub fn require_read(&self, r: Read) -> Result<Sight> {
        let role = self.role()?;
        match (role, roles::reads(role, r)) {
            (_, Some(sight)) => Ok(sight),
            (None, None) if self.is_disabled()? => Err(StorageError::Disabled {
                login: crate::domain::text::sanitize_line(self.login()),
            }),
            (None, None) => Err(StorageError::NotAUser {
                login: crate::domain::text::sanitize_line(self.login()),
            }),
            (Some(role), None) => Err(StorageError::ReadForbidden {
                login: crate::domain::text::sanitize_line(self.login()),
                role,
                read: r,
            }),
        }
    }

    /// Whether the person is a user of the file a chair disabled (their
    /// role is then None, as for a login the file does not know).
    pub fn is_disabled(&self) -> Result<bool> {
        super::users::is_disabled(self.conn(), self.login())
    }

    /// A reader of cases for `r` (a week, a case's detail, an export),
    /// once the role allows it.
    pub fn reader(&self, r: Read) -> Result<Reader<'_>> {
        let sight = self.require_read(r)?;
        Ok(Reader { db: self, sight })
    }
}

/// Case reads allowed by the read table; [`Reader::sight`] says whether
/// what they return may be shown as stored or must be pseudonymised.
pub struct Reader<'a> {
    db: &'a Db,
    sight: Sight,
}

impl Reader<'_> {
    pub fn sight(&self) -> Sight {
        self.sight
    }

    /// The cases scheduled in `week` ([`read::week`]).
    pub fn week(&self, week: Week) -> Result<Vec<StoredCase>> {
        read::week(self.db, week)
    }

    /// The cases postponed into `week` ([`read::to_reschedule`]).
    pub fn to_reschedule(&self, week: Week) -> Result<Vec<StoredCase>> {
        read::to_reschedule(self.db, week)
    }

    /// The validated cases from `from` to `to` (excluded)
    /// ([`read::validated_between`]).
    pub fn validated_between(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<StoredCase>> {
        read::validated_between(self.db, from, to)
    }

    /// One case by its scheduling id ([`read::by_external_id`]).
    pub fn by_external_id(&self, external_id: &str) -> Result<StoredCase> {
        read::by_external_id(self.db, external_id)
    }

    /// One case by its row id ([`read::by_id`]).
    pub fn by_id(&self, id: i64) -> Result<StoredCase> {
        read::by_id(self.db, id)
    }
}
