//! `watch DIR`: a drop folder. An interface engine writes `x.hl7.tmp` (or
//! `.x.hl7`) and renames it `x.hl7` when complete; every `*.hl7` and
//! `*.json` file is then given to the [`Handler`], one at a time in name
//! order, and moved to `DIR/done/` (accepted) or `DIR/failed/`, with
//! `NAME.ack` beside it holding the answer. Nothing in `done/` or
//! `failed/` is ever overwritten: a name already there gets a number.
//!
//! A file dropped in the folder is believed: whoever may write there can
//! forge a lab result. So the folder, `done/` and `failed/` must be
//! directories of the running user, not writable by group or others, or
//! the watch does not start. The folder is polled (no inotify: a poll is
//! as prompt as the engine needs, works on every filesystem, and needs no
//! other crate).

use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Answer, Handler, Origin, Payload};

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
    /// A file system operation failed (listing, moving, writing an ack).
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
    /// Its name in `done/` or `failed/` (with a number when taken).
    pub moved_to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    TooLarge { max: u64 },
    NotRegular,
    Unreadable,
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

/// One folder: a directory (not a link to one), owned by `uid`, not
/// writable by group or others.
pub fn check_one(path: &Path, uid: u32) -> Result<(), WatchError> {
    let meta = std::fs::symlink_metadata(path).map_err(io_err(path))?;
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

/// Checks the folder and its `done/` and `failed/` (made, mode 0700, when
/// missing) before anything is read.
pub fn check_folder(dir: &Path, uid: u32) -> Result<(), WatchError> {
    check_one(dir, uid)?;
    for sub in [DONE, FAILED] {
        let path = dir.join(sub);
        match std::fs::DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_err(&path)(e)),
        }
        check_one(&path, uid)?;
    }
    Ok(())
}

/// The files ready in `dir`, in name order.
pub fn pending(dir: &Path) -> Result<Vec<(String, Kind)>, WatchError> {
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

/// Reads the file, at most `max` bytes, refusing a link or a special file.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, Skip> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits() | nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == nix::errno::Errno::ELOOP as i32 => Skip::NotRegular,
            _ => Skip::Unreadable,
        })?;
    let meta = file.metadata().map_err(|_| Skip::Unreadable)?;
    if !meta.is_file() {
        return Err(Skip::NotRegular);
    }
    if meta.len() > max {
        return Err(Skip::TooLarge { max });
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| Skip::Unreadable)?;
    if bytes.len() as u64 > max {
        return Err(Skip::TooLarge { max });
    }
    Ok(bytes)
}

/// Applies one file and moves it with its `.ack`. A file gone meanwhile
/// (someone took it back) is `Ok(None)`. `skipped_answer` writes the
/// answer for a file the handler never saw (too large, unreadable).
pub fn apply_one<H: Handler + ?Sized>(
    dir: &Path,
    name: &str,
    kind: Kind,
    handler: &mut H,
    options: &Options,
    skipped_answer: &dyn Fn(Kind, Skip) -> Vec<u8>,
) -> Result<Option<Outcome>, WatchError> {
    let path = dir.join(name);
    let max = match kind {
        Kind::Hl7 => options.max_hl7,
        Kind::Json => options.max_json,
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let read = read_bounded(&path, max);
    if read == Err(Skip::Unreadable) && std::fs::symlink_metadata(&path).is_err() {
        // Taken back between the listing and the reading.
        return Ok(None);
    }
    let (answer, skipped) = match read {
        Ok(bytes) => {
            let payload = match kind {
                Kind::Hl7 => Payload::Hl7(&bytes),
                Kind::Json => Payload::Json(&bytes),
            };
            (
                handler.handle(payload, &Origin::File(name.to_owned())),
                None,
            )
        }
        Err(skip) => (
            Answer {
                accepted: false,
                bytes: skipped_answer(kind, skip),
            },
            Some(skip),
        ),
    };
    let target = dir.join(if answer.accepted { DONE } else { FAILED });
    let moved_to = move_with_ack(&path, &target, name, &answer.bytes)?;
    Ok(Some(Outcome {
        name: name.to_owned(),
        code: match kind {
            Kind::Hl7 => super::mllp::ack_code(&answer.bytes),
            Kind::Json => None,
        },
        accepted: answer.accepted,
        skipped,
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

/// Moves `path` into `target` under the first free name (neither it nor
/// its `.ack` taken), the `.ack` written first (mode 0600). The link is
/// made without replacing anything (`link` fails on an existing name).
fn move_with_ack(path: &Path, target: &Path, name: &str, ack: &[u8]) -> Result<String, WatchError> {
    for n in 0..10_000 {
        let free = candidate(name, n);
        let dest = target.join(&free);
        let ack_path = target.join(format!("{free}.ack"));
        let mut ack_file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&ack_path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err(&ack_path)(e)),
        };
        ack_file
            .write_all(ack)
            .and_then(|()| ack_file.sync_all())
            .map_err(io_err(&ack_path))?;
        match std::fs::hard_link(path, &dest) {
            Ok(()) => {
                std::fs::remove_file(path).map_err(io_err(path))?;
                return Ok(free);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                // The ack's name was free, the file's was not: give the
                // name back and try the next one.
                std::fs::remove_file(&ack_path).map_err(io_err(&ack_path))?;
                continue;
            }
            // No hard link here (a filesystem without them, or a file of
            // another owner under protected_hardlinks, root's say): rename,
            // the name just seen free (only this user writes in target).
            Err(_) if std::fs::symlink_metadata(&dest).is_err() => {
                if let Err(e) = std::fs::rename(path, &dest) {
                    let _ = std::fs::remove_file(&ack_path);
                    return Err(io_err(path)(e));
                }
                return Ok(free);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&ack_path);
                return Err(io_err(path)(e));
            }
        }
    }
    Err(WatchError::Io {
        path: target.to_path_buf(),
        reason: format!("no free name for {name}"),
    })
}

/// Polls `dir` until `stop` is set: each file ready is applied and moved,
/// and `log` told. The file in hand is finished before stopping. A failure
/// to list the folder or to move a file stops the watch (the file would be
/// applied again otherwise).
pub fn run<H: Handler + ?Sized>(
    dir: &Path,
    handler: &mut H,
    options: &Options,
    stop: &AtomicBool,
    skipped_answer: &dyn Fn(Kind, Skip) -> Vec<u8>,
    log: &mut dyn FnMut(&Outcome),
) -> Result<(), WatchError> {
    while !stop.load(Ordering::SeqCst) {
        for (name, kind) in pending(dir)? {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            if let Some(outcome) = apply_one(dir, &name, kind, handler, options, skipped_answer)? {
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
