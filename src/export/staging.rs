//! The temporary file an export is written to before it is renamed into
//! place (issue 12, point 6). A killed export used to leave a hidden file
//! with a random name (mode 0600, full names) beside its target, forever.
//! Now its name says what it is and whose:
//! `.<target>.ir-committee-export.<login>.<pid>.tmp`; at the person's next
//! export into that folder, their temporary files whose process is no
//! longer running are removed first.

use std::path::{Path, PathBuf};

use super::ExportError;

/// What every temporary file's name holds after the target's name.
const MARK: &str = ".ir-committee-export.";
const SUFFIX: &str = ".tmp";
/// The part of the target's name kept (a name of 255 bytes must stay one).
const TARGET_BYTES: usize = 120;

/// A login as it appears in a file name: letters, digits, `.`, `_`, `-`,
/// `@`; anything else `_`.
fn login_part(login: &str) -> String {
    login
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The temporary file's name for `target` (a file name), `login` and `pid`.
pub fn temp_name(target: &str, login: &str, pid: u32) -> String {
    let mut end = target.len().min(TARGET_BYTES);
    while !target.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        ".{}{MARK}{}.{pid}{SUFFIX}",
        &target[..end],
        login_part(login)
    )
}

/// The process id in `name` when it is a temporary file of `login`'s.
fn pid_of(name: &str, login: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(SUFFIX)?;
    let (rest, pid) = rest.rsplit_once('.')?;
    let who = format!("{MARK}{}", login_part(login));
    if !rest.ends_with(&who) || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is running (seen in `/proc`; a person sees their
/// own processes whatever `hidepid` says).
fn running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes `login`'s temporary files in `dir` whose process is no longer
/// running: regular files of the real user, never followed through a
/// symlink. Returns how many were removed. Nothing is removed when
/// `/proc` cannot tell which processes run.
pub fn remove_stale(dir: &Path, login: &str) -> usize {
    use std::os::unix::fs::MetadataExt;
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let (me, uid) = (std::process::id(), nix::unistd::getuid().as_raw());
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| pid_of(n, login)) else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if pid == me || running(pid) || !meta.file_type().is_file() || meta.uid() != uid {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The folder `path` goes into (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates the temporary file for `path` (mode 0600, a name no other file
/// has: created new), after removing the person's stale ones in that
/// folder. It is removed when dropped, unless persisted.
pub fn create(path: &Path, login: &str) -> Result<tempfile::NamedTempFile, ExportError> {
    let fail = |e: &dyn std::fmt::Display| super::run::write_error(path, e);
    if path.is_dir() {
        return Err(fail(&"is a folder"));
    }
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(fail(&format!("no such folder {}", dir.display())));
    }
    let target = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale(&dir, login);
    tempfile::Builder::new()
        .prefix(&temp_name(&target, login, std::process::id()))
        .suffix("")
        .rand_bytes(0)
        .tempfile_in(&dir)
        .map_err(|e| fail(&e))
}

/// Debug builds only: lets a test stop an export with its temporary file
/// written and its start audited (`IR_COMMITTEE_TEST_EXPORT=pause:FILE`
/// creates FILE and waits to be killed; `=fail` fails the write).
#[cfg(debug_assertions)]
pub fn test_hook() -> std::io::Result<()> {
    match std::env::var("IR_COMMITTEE_TEST_EXPORT") {
        Ok(v) if v == "fail" => Err(std::io::Error::other("the test made the write fail")),
        Ok(v) => {
            if let Some(ready) = v.strip_prefix("pause:") {
                std::fs::write(ready, std::process::id().to_string())?;
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
            }
            Ok(())
        }
        Err(_) => Ok(()),
    }
}

#[cfg(not(debug_assertions))]
pub fn test_hook() -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_says_what_it_is_and_whose() {
        let name = temp_name("week.md", "alice", 4242);
        assert_eq!(name, ".week.md.ir-committee-export.alice.4242.tmp");
        assert_eq!(pid_of(&name, "alice"), Some(4242));
        assert_eq!(pid_of(&name, "bob"), None);
        assert_eq!(pid_of(&name, "lice"), None);
        let dotted = temp_name("a.b", "jean.dupont", 7);
        assert_eq!(pid_of(&dotted, "jean.dupont"), Some(7));
        assert_eq!(pid_of(".week.md.tmp", "alice"), None);
        let long = temp_name(&"é".repeat(200), "a/b", 1);
        assert!(long.len() < 255, "{}", long.len());
        assert_eq!(pid_of(&long, "a/b"), Some(1));
    }

    #[test]
    fn only_the_persons_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let login = "alice";
        // A process that has ended.
        let mut child = std::process::Command::new("true").spawn().expect("true");
        let dead = child.id();
        child.wait().expect("wait");
        let put = |name: String| {
            let p = dir.path().join(name);
            std::fs::write(&p, "names").expect("write");
            p
        };
        let stale = put(temp_name("week.md", login, dead));
        let mine_now = put(temp_name("week.md", login, std::process::id()));
        let other = put(temp_name("week.md", "bob", dead));
        let plain = put(".week.md.tmp".into());
        let link = dir.path().join(temp_name("other.md", login, dead));
        std::os::unix::fs::symlink(&plain, &link).expect("symlink");
        assert_eq!(remove_stale(dir.path(), login), 1);
        assert!(!stale.exists());
        for kept in [&mine_now, &other, &plain] {
            assert!(kept.exists(), "{}", kept.display());
        }
        assert!(
            std::fs::symlink_metadata(&link).is_ok(),
            "a symlink is left"
        );
    }

    #[test]
    fn a_temporary_file_is_0600_and_named() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("week.csv");
        let tmp = create(&target, "alice").expect("create");
        let name = tmp
            .path()
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert_eq!(name, temp_name("week.csv", "alice", std::process::id()));
        let mode = std::fs::metadata(tmp.path())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let path = tmp.path().to_path_buf();
        drop(tmp);
        assert!(!path.exists(), "removed when dropped");
    }
}
