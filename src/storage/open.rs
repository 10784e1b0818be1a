//! Opening a file that is there (issue 12, point 7): whether it can be read
//! at all, how a file this person may not write is opened, and the `-wal`
//! and `-shm` files a failed open made, removed.
//!
//! A file read-only for the person is opened `mode=ro` (SQLite then reads
//! its `-wal` through the `-shm`, creating them if the folder allows it).
//! `immutable=1`, which takes no lock and ignores any `-wal`, only when the
//! filesystem itself is read-only (`statvfs`: nobody can be writing) and
//! there is no `-wal` (whose pages would be newer than the file's). A `-wal`
//! that is there but cannot be read refuses the open: the file without it
//! may be stale.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use nix::fcntl::OFlag;
use rusqlite::{Connection, OpenFlags};

use super::{Result, StorageError};

/// `path` with `suffix` appended (`-wal`, `-shm`).
pub(super) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Opens for reading without blocking on a FIFO put in the file's place.
fn open_read(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(OFlag::O_NONBLOCK.bits())
        .open(path)
}

/// An I/O failure as a person reads it: "permission denied", not the
/// system's "Permission denied (os error 13)".
fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::NotADirectory => "a part of the path is not a folder".to_owned(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_lowercase(),
                None => text,
            }
        }
    }
}

/// Refuses a missing file (`init` makes one) and one that is there but
/// cannot be read: a folder on the way that the person may not enter, a
/// file they may not read ("cannot read FILE: permission denied", not "no
/// database"). A folder is left for the open to refuse.
pub(super) fn require_readable(path: &Path) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(StorageError::NotFound(path.to_owned()));
        }
        Err(e) => return Err(StorageError::CannotRead(path.to_owned(), reason(&e))),
    };
    if meta.is_dir() {
        return Ok(());
    }
    // Asked of the system, never by opening the file: closing a descriptor
    // of the database releases every POSIX lock this process holds on it,
    // SQLite's own of a connection already open included (another program
    // would then take the WAL for unused and delete it under us).
    use nix::unistd::{AccessFlags, eaccess};
    eaccess(path, AccessFlags::R_OK)
        .map_err(|e| StorageError::CannotRead(path.to_owned(), reason(&std::io::Error::from(e))))
}

/// Whether the person may write `path` (their effective ids, as a setgid
/// install runs): not when it is read-only for them or on a read-only
/// filesystem. A missing or odd path counts as writable: the open says
/// what is wrong with it.
pub(super) fn writable(path: &Path) -> bool {
    use nix::errno::Errno;
    use nix::unistd::{AccessFlags, eaccess};
    !matches!(
        eaccess(path, AccessFlags::W_OK),
        Err(Errno::EACCES | Errno::EPERM | Errno::EROFS)
    )
}

/// Whether the filesystem holding `path` is mounted read-only.
pub fn filesystem_read_only(path: &Path) -> bool {
    nix::sys::statvfs::statvfs(path)
        .is_ok_and(|s| s.flags().contains(nix::sys::statvfs::FsFlags::ST_RDONLY))
}

/// How a file the person may not write is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyMode {
    /// `mode=ro`: locks taken, the `-wal` read through the `-shm`.
    ReadOnly,
    /// `immutable=1`: no lock, no `-wal`, no `-shm`.
    Immutable,
}

/// The `-wal` beside a database, as a reader finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wal {
    Absent,
    Readable,
    /// There, but not readable (the reason).
    Unreadable(String),
}

/// The mode for a file on a filesystem that is (or not) read-only, with
/// its `-wal` as found; an unreadable `-wal` refuses the open whatever the
/// filesystem (immutable would ignore it and show a stale state).
pub fn read_only_mode(fs_read_only: bool, wal: &Wal) -> std::result::Result<ReadOnlyMode, String> {
    match wal {
        Wal::Unreadable(why) => Err(why.clone()),
        Wal::Absent if fs_read_only => Ok(ReadOnlyMode::Immutable),
        Wal::Absent | Wal::Readable => Ok(ReadOnlyMode::ReadOnly),
    }
}

fn wal_state(path: &Path) -> Wal {
    match open_read(&sidecar(path, "-wal")) {
        Ok(_) => Wal::Readable,
        Err(e) if e.kind() == ErrorKind::NotFound => Wal::Absent,
        Err(e) => Wal::Unreadable(reason(&e)),
    }
}

/// A connection that cannot write to `path` (see the module's comment).
pub(super) fn read_only_connection(path: &Path) -> Result<Connection> {
    let fs_read_only = filesystem_read_only(path);
    let mode = read_only_mode(fs_read_only, &wal_state(path)).map_err(|why| {
        let wal = sidecar(path, "-wal");
        StorageError::CannotRead(
            path.to_owned(),
            format!(
                "its -wal file {} cannot be read ({why}); it may hold the latest changes, so the file is not read without it",
                crate::domain::text::sanitize_line(&wal.display().to_string())
            ),
        )
    })?;
    let conn = match mode {
        ReadOnlyMode::ReadOnly => {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | NO_MUTEX)
        }
        ReadOnlyMode::Immutable => Connection::open_with_flags(
            immutable_uri(path)?,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | NO_MUTEX,
        ),
    };
    conn.map_err(|e| read_only_failure(e.into(), path))
}

/// No mutex around each call: a `rusqlite::Connection` is never used by two
/// threads at once (it is not `Sync`), as rusqlite's own default assumes.
pub(super) const NO_MUTEX: OpenFlags = OpenFlags::SQLITE_OPEN_NO_MUTEX;

/// A failure of a read-only open as a person reads it: a file that cannot
/// be read, and why, rather than "cannot write" (nothing was to be
/// written). Other failures as any open's.
pub(super) fn read_only_failure(e: StorageError, path: &Path) -> StorageError {
    use rusqlite::ErrorCode as C;
    let StorageError::Sqlite(inner) = &e else {
        return e.at(path);
    };
    let why = match inner.sqlite_error_code() {
        Some(C::ReadOnly | C::CannotOpen) if filesystem_read_only(path) => {
            "its filesystem is read-only and its -wal file has no -shm file beside it: copy the file with its -wal and -shm to a writable place to read it".to_owned()
        }
        Some(C::ReadOnly | C::CannotOpen) if !sidecar(path, "-shm").exists() => {
            "it is read-only for you and so is its folder: SQLite must create its -shm file there to read it while others may write; ask the administrator (docs/deployment.md)".to_owned()
        }
        Some(C::ReadOnly | C::CannotOpen | C::PermissionDenied) => {
            "permission denied (the file, its -wal or its -shm)".to_owned()
        }
        _ => return e.at(path),
    };
    StorageError::CannotRead(path.to_owned(), why)
}

/// `file:` URI of `path` with `mode=ro&immutable=1`, every byte that is
/// not plain percent-encoded (a `?`, `#` or `%` in a name stays a name).
fn immutable_uri(path: &Path) -> Result<String> {
    use std::os::unix::ffi::OsStrExt;
    let abs = std::path::absolute(path)
        .map_err(|e| StorageError::CannotRead(path.to_owned(), reason(&e)))?;
    let mut uri = String::from("file://");
    for &b in abs.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/._-~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    Ok(uri)
}

/// Which of a database's files were there before an open, so that a
/// failed one removes what it made and nothing else.
#[derive(Debug, Clone, Copy)]
pub(super) struct Before {
    wal: bool,
    shm: bool,
    /// The open created the database file itself (`init`).
    made_main: bool,
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

impl Before {
    pub(super) fn note(path: &Path) -> Before {
        Before {
            wal: exists(&sidecar(path, "-wal")),
            shm: exists(&sidecar(path, "-shm")),
            made_main: false,
        }
    }

    /// The database file was created by this open (`init` on a new path).
    pub(super) fn made_main(&mut self) {
        self.made_main = true;
    }

    /// After a failed open, its connection closed: removes the `-wal` and
    /// `-shm` it made (and the file itself if it made it), unless another
    /// connection has the database open (a SQLite connection in WAL mode
    /// holds a shared lock on the file as long as it is open) or the `-wal`
    /// holds pages (someone wrote them). Nothing that was there before is
    /// ever removed. Best effort: what cannot be removed stays.
    pub(super) fn remove_new(&self, path: &Path) {
        let (wal, shm) = (sidecar(path, "-wal"), sidecar(path, "-shm"));
        let new_wal = !self.wal && exists(&wal);
        let new_shm = !self.shm && exists(&shm);
        if !(new_wal || new_shm || self.made_main) {
            return;
        }
        let wal_written = std::fs::symlink_metadata(&wal).is_ok_and(|m| m.len() > 0);
        if new_wal && wal_written && !self.made_main {
            return;
        }
        let Some(_guard) = unused(path) else {
            return;
        };
        if new_wal {
            let _ = std::fs::remove_file(&wal);
        }
        if new_shm {
            let _ = std::fs::remove_file(&shm);
        }
        if self.made_main {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// SQLite's lock bytes on the database file (`os_unix.c`): the pending
/// byte, the reserved byte and the 510 shared bytes after them.
const LOCK_START: i64 = 0x4000_0000;
const LOCK_LEN: i64 = 512;

/// Some(held lock) when no connection has the database open: an
/// exclusive lock on SQLite's lock bytes, held until dropped (so nobody
/// opens it meanwhile) when the file can be opened for writing; else a
/// probe that no lock is there. None when in use or unknown.
fn unused(path: &Path) -> Option<File> {
    use nix::fcntl::{FcntlArg, fcntl};
    use nix::libc;
    let lock = |kind: libc::c_int| libc::flock {
        l_type: kind as libc::c_short,
        l_whence: libc::SEEK_SET as libc::c_short,
        l_start: LOCK_START,
        l_len: LOCK_LEN,
        l_pid: 0,
    };
    let open = |write: bool| {
        OpenOptions::new()
            .read(true)
            .write(write)
            .custom_flags((OFlag::O_NONBLOCK | OFlag::O_NOFOLLOW).bits())
            .open(path)
    };
    if let Ok(file) = open(true) {
        // Open-file-description locks: they conflict with SQLite's
        // process locks, this process's own included.
        return fcntl(&file, FcntlArg::F_OFD_SETLK(&lock(libc::F_WRLCK)))
            .ok()
            .map(|_| file);
    }
    let file = open(false).ok()?;
    let mut probe = lock(libc::F_WRLCK);
    fcntl(&file, FcntlArg::F_OFD_GETLK(&mut probe)).ok()?;
    (probe.l_type == libc::F_UNLCK as libc::c_short).then_some(file)
}

#[cfg(test)]
mod tests;
