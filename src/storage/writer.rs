//! The write transaction every change goes through, with its audit row
//! (`Db::write` opens it `BEGIN IMMEDIATE`).

use rusqlite::Transaction;

use super::{Result, StorageError, audit, users};
use crate::domain::clock::Clock;
use crate::domain::roles::{self, Permission, Role};

/// An open write transaction: every change goes through it with its audit row.
pub struct Writer<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) login: &'a str,
    /// The writer's role, read in the transaction: None = not a user.
    pub(super) role: Option<Role>,
    pub(super) clock: Clock,
    pub(super) audit_key: Option<&'a audit::Key>,
    /// The origin of this write when not the SSH session's ([`Db::set_origin`]).
    pub(super) origin: Option<&'a str>,
    /// Actions refused by the permission table: audited after the rollback.
    pub(super) refused: std::cell::RefCell<Vec<(String, Option<i64>)>>,
}

impl Writer<'_> {
    /// The writer's role (None: a login the users table does not know).
    pub fn role(&self) -> Option<Role> {
        self.role
    }

    /// Refuses `action` unless the writer's role allows `p` (the one table
    /// in `domain/roles.rs`); a refusal is audited.
    pub fn require(&self, p: Permission, action: &str, case_id: Option<i64>) -> Result<()> {
        if roles::allows(self.role, p) {
            return Ok(());
        }
        self.refused.borrow_mut().push((action.to_owned(), case_id));
        Err(StorageError::Forbidden {
            login: self.login.to_owned(),
            role: self.role,
            permission: p,
            disabled: self.role.is_none() && users::is_disabled(&self.tx, self.login)?,
        })
    }

    pub(crate) fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    pub fn login(&self) -> &str {
        self.login
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Where this write comes from, when set ([`Db::set_origin`]).
    pub fn origin(&self) -> Option<&str> {
        self.origin
    }

    /// The audit key the rows of this transaction are hashed with.
    pub fn audit_key(&self) -> Option<&audit::Key> {
        self.audit_key
    }

    /// Sets a `meta` value, audited. The demo marker is not one of them: it
    /// is set when the file is created, never changed.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.require(Permission::ManageUsers, "meta.set", None)?;
        if key == super::protocol::VERSION_KEY {
            return Err(StorageError::Invalid(
                "the protocol's version rises with each change of the rules table, never set by hand".into(),
            ));
        }
        if key == "demo" {
            return Err(StorageError::Invalid(
                "the demo marker is set when the file is created and never changed".into(),
            ));
        }
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        audit::record(
            self,
            "meta.set",
            None,
            None,
            Some(&format!("{key}={value}")),
        )
    }
}
