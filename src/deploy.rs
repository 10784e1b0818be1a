//! The shared deployment: one binary installed setgid to a dedicated group
//! (e.g. `ircommittee`, which no person belongs to) that alone may read and
//! write the database folder, so that people reach the data only through
//! the app (see `docs/deployment.md`).
//!
//! When the process runs setgid (its effective gid is not its real gid),
//! [`start`], called first thing by `main`:
//!
//! - takes the database path, the audit key file if any and the read
//!   trace's retention from the root-owned configuration file
//!   [`CONFIG_PATH`] (`/etc/ir-committee/config` unless the build set
//!   `IR_COMMITTEE_CONFIG_PATH`; there is no run-time override), and
//!   ignores `--db`, `$IR_COMMITTEE_DB` and
//!   `$IR_COMMITTEE_AUDIT_KEY_FILE`, saying so once on stderr if given: a
//!   user must not be able to point the group's privilege at another file;
//! - refuses a configuration file not owned by root, or writable by its
//!   group or others (and the same for its folder);
//! - sets the umask to 007, so that the database's `-wal` and `-shm` files,
//!   created by whoever opens the file first, stay readable and writable by
//!   the group (the folder's setgid bit gives them the group).
//!
//! [`drop_group_privilege`] gives the group privilege up for good: it must
//! be called before writing any file of the user's (an export, a demo
//! file), so that such a file is neither created with the group nor allowed
//! where only the group may write (over the database, say).
//!
//! Without setgid nothing changes: `--db` and the environment apply, and
//! the person's own permissions decide what they may open.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use nix::unistd::{Gid, getegid, getgid};

use crate::domain::text::sanitize_line;
use crate::storage::audit::{Key, SealOwner};

/// The configuration file read when running setgid. Set at build time only
/// (`IR_COMMITTEE_CONFIG_PATH=/path cargo build --release`).
pub const CONFIG_PATH: &str = match option_env!("IR_COMMITTEE_CONFIG_PATH") {
    Some(path) => path,
    None => "/etc/ir-committee/config",
};

/// The environment variable naming the database (ignored when setgid).
pub const DB_ENV: &str = "IR_COMMITTEE_DB";

/// A deployment failure: one line for the user.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeployError {
    Unreadable {
        path: String,
        reason: String,
    },
    Unsafe {
        path: String,
        reason: String,
    },
    Syntax {
        path: String,
        line: usize,
        reason: String,
    },
    Drop(String),
    Today,
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::misc::deploy(
            crate::text::Lang::En,
            self,
        ))
    }
}

/// What the configuration file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `database = /srv/ir-committee/committee.sqlite` (absolute, required).
    pub database: PathBuf,
    /// `audit_key_file = /etc/ir-committee/audit.key` (absolute, optional).
    pub audit_key_file: Option<PathBuf>,
    /// `pseudonym_key_file = /etc/ir-committee/pseudonym.key` (absolute,
    /// optional): the key of pseudonymised exports' patient numbers.
    pub pseudonym_key_file: Option<PathBuf>,
    /// `read_retention_months = 6` (a whole number from 1 to 120, optional:
    /// [`DEFAULT_READ_RETENTION_MONTHS`] when absent): how long the read
    /// trace is kept before the auditor may prune it (`audit prune-reads`).
    pub read_retention_months: u32,
    /// `mllp_allowed_peers = 10.20.0.15, 10.20.0.16` (IP addresses,
    /// optional): who may connect to `listen --mllp` on an address other
    /// than loopback ([`peers`]).
    pub mllp_allowed_peers: Vec<std::net::IpAddr>,
    /// `mllp_local_accounts = ircfeed-tunnel, stunnel4` (account names,
    /// optional): which local accounts may connect to `listen --mllp` over
    /// loopback; absent, only the listener's own ([`peers`]).
    pub mllp_local_accounts: Vec<String>,
}

/// The read trace's retention when the configuration names none, and
/// always outside a setgid deployment (no variable may shorten it).
pub const DEFAULT_READ_RETENTION_MONTHS: u32 = 6;

/// The range `read_retention_months` accepts.
pub const READ_RETENTION_MONTHS: std::ops::RangeInclusive<u32> = 1..=120;

/// The configuration in force: set by [`start`] when running setgid.
static ACTIVE: OnceLock<Config> = OnceLock::new();

/// The database named by the configuration, when running setgid.
pub fn database() -> Option<&'static Path> {
    ACTIVE.get().map(|c| c.database.as_path())
}

/// When running setgid, `Some(the configured key file, if any)`: the
/// environment is then not consulted. `None` otherwise.
pub fn audit_key_file() -> Option<Option<&'static Path>> {
    ACTIVE.get().map(|c| c.audit_key_file.as_deref())
}

/// The environment variable naming the audit key file outside a setgid
/// deployment (which takes it from its configuration file instead).
pub const AUDIT_KEY_FILE_ENV: &str = "IR_COMMITTEE_AUDIT_KEY_FILE";

/// The audit key this process writes and verifies with: the configured
/// `audit_key_file` when running setgid (its seal must then be root's),
/// else the file named by [`AUDIT_KEY_FILE_ENV`]; None when neither names
/// one. A named file that is missing, unreadable or too short is an error.
/// Storage never looks for the key: the caller passes it in
/// [`crate::storage::Opening`].
pub fn audit_key() -> Result<Option<Key>, crate::storage::StorageError> {
    let (path, owner) = match audit_key_file() {
        Some(configured) => (configured.map(Path::to_path_buf), SealOwner::Root),
        None => (
            std::env::var_os(AUDIT_KEY_FILE_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            SealOwner::Private,
        ),
    };
    path.map(|p| Key::from_file(&p).map(|k| k.with_seal_owner(owner)))
        .transpose()
}

/// When running setgid, `Some(the configured pseudonym key file, if any)`.
pub fn pseudonym_key_file() -> Option<Option<&'static Path>> {
    ACTIVE.get().map(|c| c.pseudonym_key_file.as_deref())
}

/// How many months the read trace is kept before it may be pruned: the
/// root-owned configuration's `read_retention_months` when running setgid,
/// else [`DEFAULT_READ_RETENTION_MONTHS`] (no command-line option or
/// environment variable changes it).
pub fn read_retention_months() -> u32 {
    ACTIVE
        .get()
        .map_or(DEFAULT_READ_RETENTION_MONTHS, |c| c.read_retention_months)
}

/// Whether effective and real gid differ: the binary runs setgid.
pub fn is_setgid(real: Gid, effective: Gid) -> bool {
    real != effective
}

/// Whether this process runs setgid.
pub fn running_setgid() -> bool {
    is_setgid(getgid(), getegid())
}

/// What the command line and environment asked for, to be ignored (or
/// refused) when running setgid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Asked {
    pub db: bool,
    pub db_env: bool,
    pub key_env: bool,
    pub today: bool,
}

impl Asked {
    /// `--db`/`--today` as given; the two variables from the environment.
    pub fn from_env(db: bool, today: bool) -> Asked {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Asked {
            db,
            db_env: set(DB_ENV),
            key_env: set(AUDIT_KEY_FILE_ENV),
            today,
        }
    }
}

/// The one stderr line naming what is ignored, if anything is.
pub fn ignored_notice(asked: Asked) -> Option<String> {
    let mut names = Vec::new();
    if asked.db {
        names.push("--db");
    }
    if asked.db_env {
        names.push(DB_ENV);
    }
    if asked.key_env {
        names.push(AUDIT_KEY_FILE_ENV);
    }
    if names.is_empty() {
        return None;
    }
    Some(format!(
        "ir-committee: note: running setgid, {} ignored: the database and audit key are those named in {CONFIG_PATH}",
        names.join(", ")
    ))
}

/// Called first by `main`. Without setgid: nothing. When running setgid:
/// reads [`CONFIG_PATH`] (refused unless root-owned and not writable by
/// group or others), makes it the source of the database and audit key
/// paths, and sets the umask to 007. Returns the line to print on stderr
/// about what was ignored, if anything.
pub fn start(asked: Asked) -> Result<Option<String>, DeployError> {
    if !running_setgid() {
        return Ok(None);
    }
    if asked.today {
        return Err(DeployError::Today);
    }
    let config = load(Path::new(CONFIG_PATH))?;
    // -wal and -shm files keep the group's read and write; nothing for others.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o007));
    // Set once, before anything opens the database.
    let _ = ACTIVE.set(config);
    Ok(ignored_notice(asked))
}

/// Reads and checks a configuration file: it and its folder must be owned
/// by root and not writable by group or others.
pub fn load(path: &Path) -> Result<Config, DeployError> {
    let shown = sanitize_line(&path.display().to_string());
    let unreadable = |e: std::io::Error| DeployError::Unreadable {
        path: shown.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file (it names the database)".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => sanitize_line(&e.to_string()),
        },
    };
    let unsafe_ = |reason: String| DeployError::Unsafe {
        path: shown.clone(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(unsafe_("it is not a regular file".into()));
    }
    owner_check(meta.uid(), meta.mode()).map_err(|r| unsafe_(format!("the file {r}")))?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let m = std::fs::metadata(folder).map_err(unreadable)?;
        owner_check(m.uid(), m.mode()).map_err(|r| {
            unsafe_(format!(
                "its folder {} {r}",
                sanitize_line(&folder.display().to_string())
            ))
        })?;
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    parse(&text).map_err(|(line, reason)| DeployError::Syntax {
        path: shown.clone(),
        line,
        reason,
    })
}

/// Root-owned and not writable by group or others, else why not.
pub use crate::storage::place::root_owned as owner_check;

/// The keys [`parse`] knows, as named in its refusal of another.
const KNOWN_KEYS: &str = "database, audit_key_file, pseudonym_key_file, read_retention_months, mllp_allowed_peers or mllp_local_accounts";

/// Parses `key = value` lines; `#` starts a comment line. Known keys:
/// `database` (required), `audit_key_file` and `pseudonym_key_file`
/// (absolute paths), `read_retention_months` (1 to 120), each once.
/// Errors carry the line number (1-based; 0 for a missing key).
pub fn parse(text: &str) -> Result<Config, (usize, String)> {
    let mut database = None;
    let mut key = None;
    let mut pseudonym_key = None;
    let mut retention: Option<u32> = None;
    let mut allowed_peers: Option<Vec<std::net::IpAddr>> = None;
    let mut local_accounts: Option<Vec<String>> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            return Err((n, "expected `key = value`".into()));
        };
        let (name, value) = (name.trim(), value.trim());
        if name == "read_retention_months" {
            if retention.is_some() {
                return Err((n, format!("{name} is given twice")));
            }
            retention = Some(parse_months(value).map_err(|reason| (n, reason))?);
            continue;
        }
        if name == peers::KEY {
            if allowed_peers.is_some() {
                return Err((n, format!("{name} is given twice")));
            }
            allowed_peers = Some(peers::parse(value).map_err(|reason| (n, reason))?);
            continue;
        }
        if name == peers::LOCAL_KEY {
            if local_accounts.is_some() {
                return Err((n, format!("{name} is given twice")));
            }
            local_accounts = Some(peers::parse_accounts(value).map_err(|reason| (n, reason))?);
            continue;
        }
        let slot = match name {
            "database" => &mut database,
            "audit_key_file" => &mut key,
            "pseudonym_key_file" => &mut pseudonym_key,
            other => {
                return Err((
                    n,
                    format!(
                        "unknown key '{}' (expected {KNOWN_KEYS})",
                        sanitize_line(other)
                    ),
                ));
            }
        };
        if slot.is_some() {
            return Err((n, format!("{name} is given twice")));
        }
        let path = PathBuf::from(value);
        if !path.is_absolute() {
            return Err((n, format!("{name} must be an absolute path")));
        }
        *slot = Some(path);
    }
    Ok(Config {
        database: database.ok_or((0, "no `database = /path` line".to_owned()))?,
        audit_key_file: key,
        pseudonym_key_file: pseudonym_key,
        read_retention_months: retention.unwrap_or(DEFAULT_READ_RETENTION_MONTHS),
        mllp_allowed_peers: allowed_peers.unwrap_or_default(),
        mllp_local_accounts: local_accounts.unwrap_or_default(),
    })
}

/// `read_retention_months`'s value: a whole number of months in
/// [`READ_RETENTION_MONTHS`], else why not.
fn parse_months(value: &str) -> Result<u32, String> {
    let (lo, hi) = (READ_RETENTION_MONTHS.start(), READ_RETENTION_MONTHS.end());
    match value.parse::<u32>() {
        Ok(m)
            if READ_RETENTION_MONTHS.contains(&m) && value.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Ok(m)
        }
        _ => Err(format!(
            "read_retention_months must be a whole number of months from {lo} to {hi}, not '{}'",
            sanitize_line(value)
        )),
    }
}

/// What [`drop_group_privilege`] does for these ids: `None` when there is
/// nothing to give up, else the gid to set as real, effective and saved.
pub fn drop_plan(real: Gid, effective: Gid, saved: Gid) -> Option<Gid> {
    (effective != real || saved != real).then_some(real)
}

/// Gives up the setgid group for good: real, effective and saved gid all
/// become the real gid (so it cannot be taken back). Call it before
/// writing any file of the user's (an export, a demo file): such a file
/// must be created with the person's own rights, never the group's. Files
/// already open (the database) stay usable. Nothing to do when not setgid.
pub fn drop_group_privilege() -> Result<(), DeployError> {
    let fail = |e: nix::Error| DeployError::Drop(e.desc().to_owned());
    let ids = nix::unistd::getresgid().map_err(fail)?;
    let Some(gid) = drop_plan(ids.real, ids.effective, ids.saved) else {
        return Ok(());
    };
    nix::unistd::setresgid(gid, gid, gid).map_err(fail)?;
    let after = nix::unistd::getresgid().map_err(fail)?;
    if drop_plan(after.real, after.effective, after.saved).is_some() {
        return Err(DeployError::Drop("the group ids did not change".into()));
    }
    Ok(())
}

/// Runs `f` with the group privilege set aside (the effective gid becomes
/// the real one), then takes it back: what `f` creates is the person's,
/// never the group's, and cannot land where only the group may write. The
/// screen exports this way and keeps working on the database afterwards.
/// Without setgid, just runs `f`. The effective gid is the process's:
/// another thread opening a file meanwhile (the watchdog saving a draft on
/// a hang-up) does so as the person too, and may be refused.
pub fn as_person<T>(f: impl FnOnce() -> T) -> Result<T, DeployError> {
    let fail = |e: nix::Error| DeployError::Drop(e.desc().to_owned());
    let ids = nix::unistd::getresgid().map_err(fail)?;
    if ids.effective == ids.real {
        return Ok(f());
    }
    /// Takes the group back even if `f` panics.
    struct Restore(Gid);
    impl Drop for Restore {
        fn drop(&mut self) {
            // The saved set-group-ID still holds the group: it can be taken back.
            let _ = nix::unistd::setegid(self.0);
        }
    }
    nix::unistd::setegid(ids.real).map_err(fail)?;
    let restore = Restore(ids.effective);
    if nix::unistd::getegid() != ids.real {
        return Err(DeployError::Drop(
            "the effective group did not change".into(),
        ));
    }
    let out = f();
    std::mem::forget(restore);
    nix::unistd::setegid(ids.effective).map_err(fail)?;
    Ok(out)
}

pub mod peers;
pub mod service;

#[cfg(test)]
mod retention_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn g(n: u32) -> Gid {
        Gid::from_raw(n)
    }

    #[test]
    fn setgid_is_effective_not_real() {
        assert!(!is_setgid(g(1000), g(1000)));
        assert!(is_setgid(g(1000), g(990)));
        // root running the setgid binary (init) is setgid too.
        assert!(is_setgid(g(0), g(990)));
    }

    #[test]
    fn drop_plan_gives_everything_back_to_the_real_gid() {
        assert_eq!(drop_plan(g(1000), g(1000), g(1000)), None);
        assert_eq!(drop_plan(g(1000), g(990), g(990)), Some(g(1000)));
        // Effective already dropped for a moment, saved still the group's.
        assert_eq!(drop_plan(g(1000), g(1000), g(990)), Some(g(1000)));
    }

    #[test]
    fn dropping_without_setgid_changes_nothing() -> Result<(), DeployError> {
        let before = nix::unistd::getresgid().map_err(|e| DeployError::Drop(e.to_string()))?;
        if drop_plan(before.real, before.effective, before.saved).is_none() {
            drop_group_privilege()?;
            assert_eq!(getegid(), before.effective);
        }
        Ok(())
    }

    #[test]
    fn config_parses() {
        let c = parse(
            "# ir-committee\n\ndatabase = /srv/ir-committee/committee.sqlite\n  audit_key_file=/etc/ir-committee/audit.key  \n",
        );
        assert_eq!(
            c,
            Ok(Config {
                database: "/srv/ir-committee/committee.sqlite".into(),
                audit_key_file: Some("/etc/ir-committee/audit.key".into()),
                pseudonym_key_file: None,
                read_retention_months: DEFAULT_READ_RETENTION_MONTHS,
                mllp_allowed_peers: Vec::new(),
                mllp_local_accounts: Vec::new(),
            })
        );
        assert_eq!(
            parse("database = /srv/c.sqlite").map(|c| c.audit_key_file),
            Ok(None)
        );
        assert_eq!(
            parse("database = /srv/c.sqlite\nmllp_local_accounts = feedtunnel, stunnel4")
                .map(|c| c.mllp_local_accounts),
            Ok(vec!["feedtunnel".to_owned(), "stunnel4".to_owned()])
        );
        assert_eq!(
            parse("database = /a\nmllp_local_accounts = x\nmllp_local_accounts = y").err(),
            Some((3, "mllp_local_accounts is given twice".into()))
        );
    }

    #[test]
    fn config_mistakes_name_their_line() {
        let err = |t: &str| parse(t).err();
        assert_eq!(
            err("database = relative.sqlite"),
            Some((1, "database must be an absolute path".into()))
        );
        assert_eq!(
            err("database = /a\ndatabase = /b"),
            Some((2, "database is given twice".into()))
        );
        assert_eq!(
            err("# c\ndb = /a"),
            Some((
                2,
                "unknown key 'db' (expected database, audit_key_file, pseudonym_key_file, read_retention_months, mllp_allowed_peers or mllp_local_accounts)".into()
            ))
        );
        assert_eq!(
            err("database /a"),
            Some((1, "expected `key = value`".into()))
        );
        assert_eq!(
            err("audit_key_file = /k"),
            Some((0, "no `database = /path` line".into()))
        );
    }

    #[test]
    fn config_must_be_root_owned_and_not_writable_by_others() {
        assert_eq!(owner_check(0, 0o100644), Ok(()));
        assert_eq!(owner_check(0, 0o100600), Ok(()));
        assert_eq!(owner_check(0, 0o040755), Ok(()));
        assert_eq!(
            owner_check(1000, 0o100644),
            Err("is owned by uid 1000, not root".into())
        );
        assert!(owner_check(0, 0o100664).is_err());
        assert!(owner_check(0, 0o100646).is_err());
        assert!(owner_check(0, 0o041777).is_err());
    }

    #[test]
    fn the_notice_names_only_what_was_given() {
        assert_eq!(ignored_notice(Asked::default()), None);
        let line = ignored_notice(Asked {
            db: true,
            key_env: true,
            ..Asked::default()
        });
        assert_eq!(
            line,
            Some(format!(
                "ir-committee: note: running setgid, --db, IR_COMMITTEE_AUDIT_KEY_FILE ignored: the database and audit key are those named in {CONFIG_PATH}"
            ))
        );
    }
}
