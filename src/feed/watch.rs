//! `watch DIR`: a drop folder. An interface engine writes `x.hl7.tmp` (or
//! `.x.hl7`) and renames it `x.hl7` when complete; every `*.hl7` and
//! `*.json` file is then given to the [`Handler`], one at a time in name
//! order, and moved to `DIR/done/` (accepted) or `DIR/failed/`, with
//! `NAME.ack` beside it holding the answer. Nothing in `done/` or
//! `failed/` is ever overwritten: a name already there gets a number.
//!
//! A file dropped in the folder is believed: whoever may write there can
//! forge a lab result. So the folder, `done/` and `failed/` must be
//! directories of the running user, not writable by group or others, and
//! nobody else may rename them (each folder above is root's or the user's,
//! and writable by others only with the sticky bit), or the watch does not
//! start. The folders are then held open ([`Folder`]) and re-checked each
//! scan and before each file; a file of another owner is not read. The
//! folder is polled (no inotify: a poll is as prompt as the engine needs,
//! works on every filesystem, and needs no other crate).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::Mode;
use nix::unistd::UnlinkatFlags;

use super::{Answer, Failure, Handler, Origin, Payload};

mod folder;
pub use folder::{Folder, check_ancestors};

/// The sub-folders.
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// How the watch behaves; [`Options::default`] is what `watch` uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// The largest `.hl7` file taken, in bytes.
    pub max_hl7: u64,
    /// The largest `.json` file taken (a week's cases).
    pub max_json: u64,
    pub poll: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_hl7: 1 << 20,
            max_json: 16 << 20,
            poll: Duration::from_millis(500),
        }
    }
}

/// The two kinds of file taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hl7,
    Json,
}

/// Why the watch does not start, or stops.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WatchError {
    NotADirectory(PathBuf),
    NotOwned {
        path: PathBuf,
        uid: u32,
    },
    /// Writable by group or others: its mode.
    Writable {
        path: PathBuf,
        mode: u32,
    },
    /// A folder above the watched one lets someone else rename it: writable
    /// by group or others without the sticky bit, or owned by another user
    /// than root or the one running the watch.
    UnsafeParent {
        path: PathBuf,
        uid: u32,
        mode: u32,
    },
    /// The path no longer names the folder held open (renamed, replaced).
    Replaced {
        path: PathBuf,
    },
    /// While watching, a check of [`Folder::verify`] failed: the watch
    /// stopped before applying anything more.
    Changed(Box<WatchError>),
    /// A file was given to the handler but its `.ack` could not be written
    /// or it could not be moved: the watch stops (the same failure would
    /// meet every next file, and the file, left in the folder, would be
    /// given again at each scan).
    NotMoved {
        name: String,
        accepted: bool,
        /// The ACK code (MSA-1) when the answer is an HL7 ACK.
        code: Option<String>,
        reason: String,
    },
    /// A file system operation failed (listing the folder, opening it).
    Io {
        path: PathBuf,
        reason: String,
    },
}

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::Localized;
        f.write_str(&self.in_lang(crate::text::Lang::En))
    }
}

/// What happened to one file, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The file's name in the folder.
    pub name: String,
    /// The ACK code (MSA-1) when the answer is an HL7 ACK.
    pub code: Option<String>,
    pub accepted: bool,
    /// Why the handler was not called (the file too large or unreadable).
    pub skipped: Option<Skip>,
    /// Why the committee file did not take it, when that was the cause.
    pub failure: Option<Failure>,
    /// Its name in `done/` or `failed/` (with a number when taken).
    pub moved_to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    TooLarge {
        max: u64,
    },
    NotRegular,
    /// Owned by another user than the one running the watch.
    NotOwned {
        uid: u32,
    },
    Unreadable,
}

/// ERR-8 of the AR answering an HL7 file the handler never saw (English,
/// as every ACK's reason).
pub fn skip_reason(skip: Skip) -> String {
    match skip {
        Skip::TooLarge { max } => format!("file over {max} bytes, not read"),
        Skip::NotRegular => "not a regular file".to_owned(),
        Skip::NotOwned { .. } => "file not owned by the watching account".to_owned(),
        Skip::Unreadable => "file unreadable".to_owned(),
    }
}

/// The kind of a file the watch takes, or None (ignored: not yet renamed,
/// hidden, or another extension).
pub fn kind_of(name: &str) -> Option<Kind> {
    if name.starts_with('.') || name.ends_with(".tmp") {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".hl7") && lower.len() > 4 {
        Some(Kind::Hl7)
    } else if lower.ends_with(".json") && lower.len() > 5 {
        Some(Kind::Json)
    } else {
        None
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> WatchError + '_ {
    move |e| WatchError::Io {
        path: path.to_path_buf(),
        reason: crate::domain::text::sanitize_line(&e.to_string()),
    }
}

/// The files ready in the folder, in name order. Listed through its path,
/// just checked to name the folder held: a name is only a name, each file
/// is then opened relative to the held folder.
pub fn pending(folder: &Folder) -> Result<Vec<(String, Kind)>, WatchError> {
    let dir = folder.path();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        // A name that is not UTF-8 is not one an engine writes: left alone.
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if let Some(kind) = kind_of(&name) {
            out.push((name, kind));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// What reading a file gave.
enum Got {
    Bytes(Vec<u8>),
    Skipped(Skip),
    /// Gone meanwhile (someone took it back).
    Gone,
}

/// Reads `name` in the held folder, at most `max` bytes, refusing a link,
/// a special file and a file of another owner than `uid`.
fn read_bounded(dir: &File, name: &str, uid: u32, max: u64) -> Got {
    let flags = OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC;
    let file = match nix::fcntl::openat(dir.as_fd(), name, flags, Mode::empty()) {
        Ok(fd) => File::from(fd),
        Err(Errno::ENOENT) => return Got::Gone,
        Err(Errno::ELOOP) => return Got::Skipped(Skip::NotRegular),
        Err(_) => return Got::Skipped(Skip::Unreadable),
    };
    let Ok(meta) = file.metadata() else {
        return Got::Skipped(Skip::Unreadable);
    };
    if !meta.is_file() {
        return Got::Skipped(Skip::NotRegular);
    }
    if meta.uid() != uid {
        return Got::Skipped(Skip::NotOwned { uid: meta.uid() });
    }
    if meta.len() > max {
        return Got::Skipped(Skip::TooLarge { max });
    }
    let mut bytes = Vec::new();
    if file.take(max + 1).read_to_end(&mut bytes).is_err() {
        return Got::Skipped(Skip::Unreadable);
    }
    if bytes.len() as u64 > max {
        return Got::Skipped(Skip::TooLarge { max });
    }
    Got::Bytes(bytes)
}

/// Applies one file and moves it with its `.ack`. A file gone meanwhile
/// (someone took it back) is `Ok(None)`. A file the handler never saw
/// (too large, unreadable, of another owner) is answered, for HL7, by the
/// handler's [`Handler::refusal`] (an AR with [`skip_reason`]), for JSON
/// by `json_skipped`. The folder is checked again first: a change is
/// [`WatchError::Changed`], the file not read.
pub fn apply_one<H: Handler + ?Sized>(
    folder: &Folder,
    name: &str,
    kind: Kind,
    handler: &mut H,
    options: &Options,
    json_skipped: &dyn Fn(Skip) -> Vec<u8>,
) -> Result<Option<Outcome>, WatchError> {
    if name.contains('/') || kind_of(name).is_none() {
        return Ok(None);
    }
    folder
        .verify()
        .map_err(|e| WatchError::Changed(Box::new(e)))?;
    let max = match kind {
        Kind::Hl7 => options.max_hl7,
        Kind::Json => options.max_json,
    };
    let (answer, skipped) = match read_bounded(folder.dir(), name, folder.uid(), max) {
        Got::Gone => return Ok(None),
        Got::Bytes(bytes) => {
            let payload = match kind {
                Kind::Hl7 => Payload::Hl7(&bytes),
                Kind::Json => Payload::Json(&bytes),
            };
            (
                handler.handle(payload, &Origin::File(name.to_owned())),
                None,
            )
        }
        Got::Skipped(skip) => (
            Answer::new(
                false,
                match kind {
                    Kind::Hl7 => handler.refusal(&skip_reason(skip)),
                    Kind::Json => json_skipped(skip),
                },
            ),
            Some(skip),
        ),
    };
    let code = match kind {
        Kind::Hl7 => super::mllp::ack_code(&answer.bytes),
        Kind::Json => None,
    };
    let target = folder.target(answer.accepted);
    let moved_to = move_with_ack(folder.dir(), target, name, &answer.bytes).map_err(|e| {
        WatchError::NotMoved {
            name: name.to_owned(),
            accepted: answer.accepted,
            code: code.clone(),
            reason: crate::domain::text::sanitize_line(&std::io::Error::from(e).to_string()),
        }
    })?;
    Ok(Some(Outcome {
        name: name.to_owned(),
        code,
        accepted: answer.accepted,
        skipped,
        failure: answer.failure,
        moved_to,
    }))
}

/// `name`, then `stem.1.ext`, `stem.2.ext`…: the candidates in `target`.
fn candidate(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_owned();
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{n}.{ext}"),
        _ => format!("{name}.{n}"),
    }
}

/// Writes `ack` as a new file `name` in `target` (mode 0600); `Ok(false)`
/// when the name is taken. A file begun and not finished is removed.
fn write_new(target: &File, name: &str, ack: &[u8]) -> Result<bool, Errno> {
    let flags =
        OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
    let mut file =
        match nix::fcntl::openat(target.as_fd(), name, flags, Mode::from_bits_truncate(0o600)) {
            Ok(fd) => File::from(fd),
            Err(Errno::EEXIST) => return Ok(false),
            Err(e) => return Err(e),
        };
    if let Err(e) = file.write_all(ack).and_then(|()| file.sync_all()) {
        let _ = nix::unistd::unlinkat(target.as_fd(), name, UnlinkatFlags::NoRemoveDir);
        return Err(e.raw_os_error().map_or(Errno::EIO, Errno::from_raw));
    }
    Ok(true)
}

/// Moves `name` from `dir` into `target` under the first free name
/// (neither it nor its `.ack` taken), the `.ack` written first. The link
/// is made without replacing anything (`linkat` fails on an existing
/// name). Every step is relative to the held folders.
fn move_with_ack(dir: &File, target: &File, name: &str, ack: &[u8]) -> Result<String, Errno> {
    let unlink =
        |at: &File, n: &str| nix::unistd::unlinkat(at.as_fd(), n, UnlinkatFlags::NoRemoveDir);
    for n in 0..10_000 {
        let free = candidate(name, n);
        let ack_name = format!("{free}.ack");
        if !write_new(target, &ack_name, ack)? {
            continue;
        }
        match nix::unistd::linkat(
            dir.as_fd(),
            name,
            target.as_fd(),
            free.as_str(),
            AtFlags::empty(),
        ) {
            Ok(()) => {
                unlink(dir, name)?;
                return Ok(free);
            }
            Err(Errno::EEXIST) => {
                // The ack's name was free, the file's was not: give the
                // name back and try the next one.
                unlink(target, &ack_name)?;
                continue;
            }
            // No hard link here (a filesystem without them, or a file of
            // another owner under protected_hardlinks): rename, the name
            // just seen free (only this user writes in target).
            Err(e) => {
                let free_now = nix::sys::stat::fstatat(
                    target.as_fd(),
                    free.as_str(),
                    AtFlags::AT_SYMLINK_NOFOLLOW,
                ) == Err(Errno::ENOENT);
                let renamed = if free_now {
                    nix::fcntl::renameat(dir.as_fd(), name, target.as_fd(), free.as_str())
                } else {
                    Err(e)
                };
                if let Err(e) = renamed {
                    let _ = unlink(target, &ack_name);
                    return Err(e);
                }
                return Ok(free);
            }
        }
    }
    Err(Errno::EEXIST)
}

/// Polls the folder until `stop` is set: each file ready is applied and
/// moved, and `log` told. The file in hand is finished before stopping.
/// Each scan and each file begins with [`Folder::verify`]: a change stops
/// the watch ([`WatchError::Changed`]) before anything more is read. A
/// failure to list the folder, or to move a file or write its `.ack`,
/// stops it too ([`WatchError::NotMoved`]: the file would be given again
/// at each scan, and the next ones would meet the same failure).
pub fn run<H: Handler + ?Sized>(
    folder: &Folder,
    handler: &mut H,
    options: &Options,
    stop: &AtomicBool,
    json_skipped: &dyn Fn(Skip) -> Vec<u8>,
    log: &mut dyn FnMut(&Outcome),
) -> Result<(), WatchError> {
    while !stop.load(Ordering::SeqCst) {
        folder
            .verify()
            .map_err(|e| WatchError::Changed(Box::new(e)))?;
        for (name, kind) in pending(folder)? {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            if let Some(outcome) = apply_one(folder, &name, kind, handler, options, json_skipped)? {
                log(&outcome);
            }
        }
        let tick = Duration::from_millis(50).min(options.poll);
        let mut waited = Duration::ZERO;
        while waited < options.poll && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(tick);
            waited += tick;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
