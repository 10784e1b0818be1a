//! The watched folder, held open. Its path is looked up once, at start:
//! the folder and its `done/` and `failed/` are opened then (not through
//! a link), and every file is then read, written and moved relative to
//! those descriptors, never through the path again. So a folder put in
//! its place under the same name (by whoever may write in the folder
//! above) is never read. Each scan, and before each file, [`Folder::verify`]
//! checks the held folders again (same device and inode, the user's, not
//! writable by group or others), that the path still names them, and that
//! the folders above still let nobody else rename them: a change stops
//! the watch before anything more is applied.

use std::fs::{File, Metadata};
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

use super::{DONE, FAILED, WatchError};

/// The three folders of the watch, open.
#[derive(Debug)]
pub struct Folder {
    /// The folder as named on the command line (shown in the log).
    path: PathBuf,
    /// Its canonical path at start, whose ancestors are checked.
    real: PathBuf,
    uid: u32,
    dir: File,
    done: File,
    failed: File,
}

fn errno_err(path: &Path, e: Errno) -> WatchError {
    super::io_err(path)(std::io::Error::from(e))
}

fn same(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// One held folder: a directory owned by `uid`, not writable by group or
/// others.
fn check_meta(path: &Path, meta: &Metadata, uid: u32) -> Result<(), WatchError> {
    if !meta.is_dir() {
        return Err(WatchError::NotADirectory(path.to_path_buf()));
    }
    if meta.uid() != uid {
        return Err(WatchError::NotOwned {
            path: path.to_path_buf(),
            uid: meta.uid(),
        });
    }
    if meta.mode() & 0o022 != 0 {
        return Err(WatchError::Writable {
            path: path.to_path_buf(),
            mode: meta.mode() & 0o7777,
        });
    }
    Ok(())
}

/// The folders above `real` (a canonical path): each owned by `uid` or
/// root, and writable by group or others only with the sticky bit (as
/// `/tmp`), so that nobody else may rename the folder or one above it.
pub fn check_ancestors(real: &Path, uid: u32) -> Result<(), WatchError> {
    for above in real.ancestors().skip(1) {
        let meta = std::fs::symlink_metadata(above).map_err(super::io_err(above))?;
        let mode = meta.mode() & 0o7777;
        let open_to_others = mode & 0o022 != 0 && mode & 0o1000 == 0;
        if open_to_others || (meta.uid() != uid && meta.uid() != 0) {
            return Err(WatchError::UnsafeParent {
                path: above.to_path_buf(),
                uid: meta.uid(),
                mode,
            });
        }
    }
    Ok(())
}

/// Opens a directory relative to `at` (or by path when None), refusing a
/// link; a name that is not a directory is [`WatchError::NotADirectory`].
fn open_dir(at: Option<&File>, name: &Path, shown: &Path) -> Result<File, WatchError> {
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
    let fd = match at {
        Some(dir) => nix::fcntl::openat(dir.as_fd(), name, flags, Mode::empty()),
        None => nix::fcntl::open(name, flags, Mode::empty()),
    };
    match fd {
        Ok(fd) => Ok(File::from(fd)),
        Err(Errno::ELOOP | Errno::ENOTDIR) => Err(WatchError::NotADirectory(shown.to_path_buf())),
        Err(e) => Err(errno_err(shown, e)),
    }
}

impl Folder {
    /// Checks the folder, the folders above it and `done/` and `failed/`
    /// when there, then makes those missing (mode 0700) and holds the
    /// three open; before anything is read. A refusal makes nothing.
    pub fn open(path: &Path, uid: u32) -> Result<Folder, WatchError> {
        // Without a trailing `/`, which would make a link be followed.
        let path: PathBuf = path.components().collect();
        let path = path.as_path();
        let dir = open_dir(None, path, path)?;
        let meta = dir.metadata().map_err(super::io_err(path))?;
        check_meta(path, &meta, uid)?;
        let real = std::fs::canonicalize(path).map_err(super::io_err(path))?;
        check_ancestors(&real, uid)?;
        // Those already there are checked before either is made: a
        // refusal makes nothing.
        for sub in [DONE, FAILED] {
            let shown = path.join(sub);
            let flags = nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW;
            if nix::sys::stat::fstatat(dir.as_fd(), sub, flags) != Err(Errno::ENOENT) {
                let held = open_dir(Some(&dir), Path::new(sub), &shown)?;
                let meta = held.metadata().map_err(super::io_err(&shown))?;
                check_meta(&shown, &meta, uid)?;
            }
        }
        let mut subs = Vec::with_capacity(2);
        for sub in [DONE, FAILED] {
            let shown = path.join(sub);
            match nix::sys::stat::mkdirat(dir.as_fd(), sub, Mode::from_bits_truncate(0o700)) {
                Ok(()) | Err(Errno::EEXIST) => {}
                Err(e) => return Err(errno_err(&shown, e)),
            }
            let held = open_dir(Some(&dir), Path::new(sub), &shown)?;
            let meta = held.metadata().map_err(super::io_err(&shown))?;
            check_meta(&shown, &meta, uid)?;
            subs.push(held);
        }
        let (Some(failed), Some(done)) = (subs.pop(), subs.pop()) else {
            return Err(WatchError::NotADirectory(path.join(DONE)));
        };
        let folder = Folder {
            path: path.to_path_buf(),
            real,
            uid,
            dir,
            done,
            failed,
        };
        folder.verify()?;
        Ok(folder)
    }

    /// The folder as named on the command line.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The user the files and folders must belong to.
    pub fn uid(&self) -> u32 {
        self.uid
    }

    pub(super) fn dir(&self) -> &File {
        &self.dir
    }

    /// `done/` or `failed/`.
    pub(super) fn target(&self, accepted: bool) -> &File {
        if accepted { &self.done } else { &self.failed }
    }

    /// The checks of [`Folder::open`] again, against what is held: the
    /// same three folders, still the user's and closed to others, still
    /// named by the path, with nobody else able to rename one above.
    pub fn verify(&self) -> Result<(), WatchError> {
        let held = [
            (&self.dir, self.path.clone(), Some(self.real.clone())),
            (&self.done, self.path.join(DONE), None),
            (&self.failed, self.path.join(FAILED), None),
        ];
        for (file, shown, real) in held {
            let now = file.metadata().map_err(super::io_err(&shown))?;
            check_meta(&shown, &now, self.uid)?;
            let mut names = vec![shown.clone()];
            names.extend(real);
            for name in names {
                match std::fs::symlink_metadata(&name) {
                    Ok(named) if same(&named, &now) => {}
                    _ => return Err(WatchError::Replaced { path: shown }),
                }
            }
        }
        check_ancestors(&self.real, self.uid)
    }
}
