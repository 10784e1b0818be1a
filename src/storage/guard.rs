//! Writes checked before they wait for the lock (issue 12, point 5).
//!
//! A write takes the file's write lock (`BEGIN IMMEDIATE`) for its whole
//! transaction. A refused write used to take it too, before its closure
//! called `Writer::require`: a login the file does not know could loop
//! refused commands and stop (SIGSTOP) its own process while it held the
//! lock, and every other write then failed after the busy timeout.
//!
//! Now a write says what it needs ([`Need`]); [`Db::write_as`] reads the
//! role without a write transaction and refuses there, and checks again
//! inside the transaction (the role may change in between). A refusal is
//! recorded in a short transaction of its own, at most one audit row per
//! login, action and minute (and role: one a chair changes within the
//! minute gets its own row); a further refusal in that minute waits for
//! nothing and adds one to a count kept beside the database
//! (`refusals.rs`). The audit row itself waits at most [`REFUSAL_WAIT`]
//! for the lock: a refused attempt returns promptly, and when the lock
//! stays busy longer, the refusal is counted instead of audited.

use std::time::Duration;

use rusqlite::OptionalExtension;

use super::{BUSY_TIMEOUT, Db, Result, StorageError, Writer, audit, refusals, users};
use crate::domain::roles::{self, Permission, Role};

/// How long the audit row of a refusal waits for the write lock (a write
/// waits [`BUSY_TIMEOUT`]).
pub const REFUSAL_WAIT: Duration = Duration::from_secs(1);

/// What a write needs: the permission, and the action and case its
/// refusal is audited under (`storage::needs` has one for each write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub permission: Permission,
    pub action: String,
    pub case_id: Option<i64>,
}

impl Need {
    pub fn new(permission: Permission, action: impl Into<String>, case_id: Option<i64>) -> Need {
        Need {
            permission,
            action: action.into(),
            case_id,
        }
    }
}

impl Db {
    /// [`Db::write`] for what `need` allows: refused before the write lock
    /// is taken when the role (read without it) does not allow it, and
    /// checked again inside the transaction.
    pub fn write_as<T, E>(
        &mut self,
        need: &Need,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        self.transact_as(need, true, f)
    }

    /// [`Db::write_dry_run`] for what `need` allows, checked as
    /// [`Db::write_as`] does.
    pub fn write_dry_run_as<T, E>(
        &mut self,
        need: &Need,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        self.transact_as(need, false, f)
    }

    fn transact_as<T, E>(
        &mut self,
        need: &Need,
        commit: bool,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        self.precheck(need)?;
        self.transact(commit, |w| {
            w.require(need.permission, &need.action, need.case_id)?;
            f(w)
        })
    }

    /// Refuses `need` unless the role, read now without a write
    /// transaction, allows it; the refusal is audited (at most one row a
    /// minute, see [`Db::audit_refusals`]).
    pub fn precheck(&mut self, need: &Need) -> Result<()> {
        let role = users::role_of(&self.conn, &self.login)?;
        if roles::allows(role, need.permission) {
            return Ok(());
        }
        self.audit_refusals(role, &[(need.action.clone(), need.case_id)])?;
        Err(StorageError::Forbidden {
            login: self.login.clone(),
            role,
            permission: need.permission,
            disabled: role.is_none() && users::is_disabled(&self.conn, &self.login)?,
        })
    }

    /// Records refused attempts (the refused write itself was never begun,
    /// or rolled back): for each, one audit row in a transaction of its
    /// own unless this login's refusal of the same action already has one
    /// this minute; else, or when the lock stays busy for more than
    /// [`REFUSAL_WAIT`], one more in the refusal count beside the database.
    pub(super) fn audit_refusals(
        &mut self,
        role: Option<Role>,
        refused: &[(String, Option<i64>)],
    ) -> Result<()> {
        for (action, case_id) in refused {
            self.audit_refusal(role, action, *case_id)?;
        }
        Ok(())
    }

    fn audit_refusal(
        &mut self,
        role: Option<Role>,
        action: &str,
        case_id: Option<i64>,
    ) -> Result<()> {
        let at = self.clock.timestamp();
        let key = refusals::Key {
            login: self.login.clone(),
            role: role.map_or("", |r| r.as_str()).to_owned(),
            action: action.to_owned(),
            minute: refusals::minute_of(&at).to_owned(),
        };
        // Read without the lock: a refusal already audited this minute
        // takes no lock at all.
        if refused_in(&self.conn, &key)? {
            refusals::count(&self.path, &key);
            return Ok(());
        }
        self.conn.busy_timeout(REFUSAL_WAIT)?;
        let written = self.write(|w| {
            // Another process may have audited one meanwhile.
            if refused_in(w.tx(), &key)? {
                return Ok(false);
            }
            audit::record_refused(w, action, case_id)?;
            Ok::<_, StorageError>(true)
        });
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        match written {
            Ok(true) => Ok(()),
            Ok(false) | Err(StorageError::Busy) => {
                refusals::count(&self.path, &key);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Whether the refusal `key` has an audit row in its minute (the partial
/// index `audit_refused` answers it without reading the trail).
fn refused_in(conn: &rusqlite::Connection, key: &refusals::Key) -> Result<bool> {
    let end = format!("{};", key.minute); // ';' sorts right after ':'
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM audit WHERE outcome = 'refused' AND login = ?1 AND action = ?2
               AND at >= ?3 AND at < ?4 AND ifnull(role, '') = ?5 LIMIT 1",
        )?
        .query_row(
            rusqlite::params![key.login, key.action, key.minute, end, key.role],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Migration 16: finds a login's refused rows of an action in a minute
/// without reading the trail, and the export rows (issue 12, point 6).
pub(crate) const SCHEMA: &str = "
    CREATE INDEX audit_refused ON audit (login, action, at) WHERE outcome = 'refused';
    CREATE INDEX audit_exports ON audit (action)
      WHERE action IN ('export.start', 'export', 'export.failed');";

#[cfg(test)]
mod tests;
