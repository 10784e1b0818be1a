//! Where an export may write. Never onto the open database nor its `-wal`,
//! `-shm`, `-journal` or `-refusals`: compared by device and inode (so that a symlink or
//! a hard link to them counts), and by name for those that do not exist
//! yet. Never onto a file that starts with the SQLite header (another
//! database, a backup). Onto another existing file only when asked to
//! replace it (`--force`, a second Enter in the screen).

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::domain::text::sanitize_line;
use crate::storage::Db;

/// The first 16 bytes of every SQLite database file.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The database's own files, beside it (and the refusal counts: `storage/refusals.rs`).
const OWN_FILES: [&str; 6] = [
    "",
    "-wal",
    "-shm",
    "-journal",
    "-refusals",
    "-refusals-journal",
];

/// What to do with a file already at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refused: `FILE exists; add --force to replace it`.
    Keep,
    /// Replaced (never the database nor a SQLite file).
    Replace,
}

impl Existing {
    /// `--force` replaces; without it a file already there is refused.
    pub fn from_force(force: bool) -> Existing {
        if force {
            Existing::Replace
        } else {
            Existing::Keep
        }
    }
}

/// The database's files an export must never replace.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// (device, inode, the file) of those that exist.
    ids: Vec<(u64, u64, PathBuf)>,
    /// Their names, folders resolved, whether they exist or not.
    names: Vec<PathBuf>,
}

impl Protected {
    /// The files of `db` (none for an in-memory database): as it was
    /// opened, as SQLite names it, and with symlinks resolved (SQLite puts
    /// the `-wal` beside the file a symlink leads to).
    pub fn of(db: &Db) -> Protected {
        let mut bases: Vec<PathBuf> = vec![db.path().to_path_buf()];
        if let Some(p) = db.conn().path().filter(|p| !p.is_empty()) {
            bases.push(PathBuf::from(p));
        }
        bases.retain(|b| !b.as_os_str().is_empty() && b.as_os_str() != ":memory:");
        let resolved: Vec<PathBuf> = bases
            .iter()
            .filter_map(|b| std::fs::canonicalize(b).ok())
            .collect();
        bases.extend(resolved);
        let mut p = Protected::default();
        for base in &bases {
            for suffix in OWN_FILES {
                let mut name = base.as_os_str().to_owned();
                name.push(suffix);
                let file = PathBuf::from(name);
                if let Ok(m) = std::fs::metadata(&file)
                    && !p.ids.iter().any(|(d, i, _)| (*d, *i) == (m.dev(), m.ino()))
                {
                    p.ids.push((m.dev(), m.ino(), file.clone()));
                }
                if let Some(n) = resolved_name(&file)
                    && !p.names.contains(&n)
                {
                    p.names.push(n);
                }
            }
        }
        p
    }

    /// Which of the database's files has this device and inode.
    fn same_file(&self, dev: u64, ino: u64) -> Option<&Path> {
        self.ids
            .iter()
            .find(|(d, i, _)| (*d, *i) == (dev, ino))
            .map(|(_, _, f)| f.as_path())
    }

    /// Refuses the standard output when it is one of the database's files
    /// (`export --output - >> committee.sqlite`).
    pub fn check_stdout(&self) -> Result<(), ExportError> {
        let Ok(st) = nix::sys::stat::fstat(std::io::stdout()) else {
            return Ok(());
        };
        // st_dev and st_ino are unsigned on Linux; the casts only widen.
        #[allow(clippy::unnecessary_cast)]
        let (dev, ino) = (st.st_dev as u64, st.st_ino as u64);
        match self.same_file(dev, ino) {
            Some(file) => Err(ExportError::StdoutIsDatabase { file: shown(file) }),
            None => Ok(()),
        }
    }

    /// Whether an export may be put at `path`: not one of the database's
    /// files, not a SQLite file, not a folder or a device, and an existing
    /// file only with [`Existing::Replace`]. Reads at most 16 bytes of an
    /// existing file; writes nothing.
    pub fn check(&self, path: &Path, existing: Existing) -> Result<(), ExportError> {
        let onto_database = |file: &Path| ExportError::OntoDatabase {
            path: shown(path),
            file: shown(file),
        };
        if let Some(name) = resolved_name(path)
            && self.names.contains(&name)
        {
            return Err(onto_database(&name));
        }
        let write = |reason: &str| ExportError::Write {
            path: shown(path),
            reason: reason.to_owned(),
        };
        // Followed to the end: a symlink to the database is the database.
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A symlink leading nowhere would be replaced by the rename.
                return match std::fs::symlink_metadata(path) {
                    Ok(_) if existing == Existing::Keep => Err(exists(path)),
                    _ => Ok(()),
                };
            }
            Err(e) => return Err(write(&format!("cannot check it: {}", io_reason(&e)))),
        };
        if let Some(file) = self.same_file(meta.dev(), meta.ino()) {
            return Err(onto_database(file));
        }
        if meta.is_dir() {
            return Err(write("is a folder"));
        }
        if !meta.is_file() {
            return Err(write("is not a regular file"));
        }
        match starts_like_sqlite(path) {
            Ok(true) => {
                return Err(ExportError::OntoSqlite { path: shown(path) });
            }
            Ok(false) => {}
            Err(e) => {
                return Err(write(&format!(
                    "exists and cannot be read to check it is not a database: {}",
                    io_reason(&e)
                )));
            }
        }
        match existing {
            Existing::Keep => Err(exists(path)),
            Existing::Replace => Ok(()),
        }
    }
}

/// `FILE exists; add --force to replace it`.
pub fn exists(path: &Path) -> ExportError {
    ExportError::Exists { path: shown(path) }
}

/// The absolute name of `path` with its folder's symlinks resolved (the
/// last part is kept as it is: it may not exist, or be a link).
fn resolved_name(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(f) if !f.as_os_str().is_empty() => f,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(folder).ok()?.join(name))
}

fn starts_like_sqlite(path: &Path) -> std::io::Result<bool> {
    let mut head = Vec::with_capacity(SQLITE_HEADER.len());
    std::fs::File::open(path)?
        .take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut head)?;
    Ok(head == SQLITE_HEADER)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => sanitize_line(&e.to_string()),
    }
}

fn shown(path: &Path) -> String {
    sanitize_line(&path.display().to_string())
}
