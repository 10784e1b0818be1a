//! The clock a connection's writes are stamped with (issue 12, point 4).
//!
//! `--today` (a fixed clock) dates what is written with a day that is not
//! today: it writes only demo files (`demo`, `init --demo`; `meta` demo =
//! '1', set when the file is created and never changed). On a committee
//! file it is for reading only: [`Db::write`] refuses every write before it
//! takes the lock (nothing is written, not even a refusal row), while the
//! writes that reading itself makes — the read trace, a migration at open,
//! the first chair of a file that has none — are stamped with the machine's
//! clock and left unmarked. What a fixed clock writes is marked
//! `clock = 'fixed'` (`audit::clock`).

use rusqlite::{Connection, OptionalExtension};

use super::{Db, Result, StorageError};
use crate::domain::clock::Clock;

impl Db {
    /// The clock what this connection writes is stamped with: the fixed
    /// day of `--today` on a demo file only, else the machine's.
    pub fn stamp_clock(&self) -> Clock {
        stamp_clock(self.clock, self.demo)
    }

    /// Refuses a write under `--today` to a committee file, as [`Db::write`]
    /// does: for a command that would trace a read before its first write
    /// (an export), so that it is refused before anything is written.
    pub fn require_write_clock(&self) -> Result<()> {
        if self.clock == self.stamp_clock() {
            Ok(())
        } else {
            Err(StorageError::FixedClock(self.path.clone()))
        }
    }
}

/// The clock writes are stamped with: a fixed one on a demo file only.
pub(super) fn stamp_clock(clock: Clock, demo: bool) -> Clock {
    match clock {
        Clock::Fixed(_) if demo => clock,
        _ => Clock::System,
    }
}

/// Whether the file's `meta` says it is a demo file.
pub(super) fn is_demo(conn: &Connection) -> Result<bool> {
    let demo: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'demo'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(demo.as_deref() == Some("1"))
}
