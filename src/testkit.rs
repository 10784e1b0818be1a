//! The test kit: the fixed clock, the fixture week and committee files made
//! once per test process then copied. Shared by the unit tests
//! (`crate::testkit`) and the integration tests (`ir_committee::testkit`);
//! nothing in the application uses it.
//!
//! Creating a committee file runs every migration and syncs the file at
//! each commit (`synchronous=FULL`, as in production: this kit never
//! weakens it), about half a second on a loaded machine. A [`Template`] is
//! built once per process: the file is made in a temporary folder, its WAL
//! checkpointed into it, its bytes kept in memory and the folder removed;
//! each test then gets its own copy in its own temporary folder, opened by
//! the code under test exactly as a file made by `init`. Nothing is left
//! behind when the test's [`tempfile::TempDir`] drops.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;

use crate::domain::clock::Clock;
use crate::domain::model::CaseFile;
use crate::domain::week::Week;
use crate::storage::{Db, Init};

/// The week the fixture's dates are written for, and the one tests show.
pub const WEEK: &str = crate::demo::FIXTURE_WEEK;

/// The committee meets on this Thursday; next week is [`WEEK`].
pub const TODAY: &str = "2026-11-26";

/// [`TODAY`] as a date.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

/// The tests' clock: fixed on [`TODAY`].
pub fn clock() -> Clock {
    Clock::Fixed(today())
}

/// [`WEEK`].
pub fn week() -> Week {
    WEEK.parse().expect("week")
}

/// The fixture's cases, on [`WEEK`].
pub fn fixture_cases() -> Vec<CaseFile> {
    crate::demo::fixture_cases(week()).expect("fixture")
}

/// A demo file in the hospital's zone of the fixture (Europe/Paris), made
/// by the caller: the only kind a fixed clock writes.
pub fn demo_init() -> Init {
    Init {
        timezone: crate::demo::DEMO_TZ,
        demo: true,
        admin: None,
        name: None,
    }
}

/// A committee file built once per process and copied for each test.
pub struct Template {
    /// The file name each copy gets in its folder.
    name: &'static str,
    make: fn(&Path),
    bytes: OnceLock<Vec<u8>>,
}

impl Template {
    /// `make` creates the file at the path it is given (it must close it);
    /// it runs at most once per process, on first use.
    pub const fn new(name: &'static str, make: fn(&Path)) -> Template {
        Template {
            name,
            make,
            bytes: OnceLock::new(),
        }
    }

    /// A copy of the file in a fresh temporary folder: the folder (removed
    /// when it drops) and the file's path.
    pub fn copy(&self) -> (tempfile::TempDir, PathBuf) {
        self.copy_as(self.name)
    }

    /// [`Template::copy`] under another file name.
    pub fn copy_as(&self, name: &str) -> (tempfile::TempDir, PathBuf) {
        let bytes = self.bytes.get_or_init(|| build(self.name, self.make));
        write_copy(name, bytes)
    }
}

/// One template's bytes, once built.
type Cell = Arc<OnceLock<Vec<u8>>>;

/// Templates told apart by a key (a time zone, a role…): each is built
/// once per process, the first time its key is asked for.
pub struct Templates {
    name: &'static str,
    built: Mutex<Vec<(String, Cell)>>,
}

impl Templates {
    pub const fn new(name: &'static str) -> Templates {
        Templates {
            name,
            built: Mutex::new(Vec::new()),
        }
    }

    /// A copy of the template `key`, built by `make` if it is the first
    /// time (`make` must give the same file for the same key).
    pub fn copy(&self, key: &str, make: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
        self.copy_as(key, self.name, make)
    }

    /// [`Templates::copy`] under another file name.
    pub fn copy_as(
        &self,
        key: &str,
        name: &str,
        make: impl FnOnce(&Path),
    ) -> (tempfile::TempDir, PathBuf) {
        let cell = {
            let mut built = self
                .built
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match built.iter().find(|(k, _)| k == key) {
                Some((_, cell)) => Arc::clone(cell),
                None => {
                    let cell = Arc::new(OnceLock::new());
                    built.push((key.to_owned(), Arc::clone(&cell)));
                    cell
                }
            }
        };
        // Built outside the lock: other keys are not held up.
        let bytes = cell.get_or_init(|| build(self.name, make));
        write_copy(name, bytes)
    }
}

/// Makes the file in a temporary folder, checkpoints its WAL into it and
/// returns its bytes; the folder is removed.
fn build(name: &str, make: impl FnOnce(&Path)) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    make(&path);
    {
        let conn = rusqlite::Connection::open(&path).expect("open the template");
        let (busy, _, _): (i64, i64, i64) = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("checkpoint the template");
        assert_eq!(busy, 0, "the template is still open elsewhere");
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = sibling(&path, suffix);
        let len = std::fs::metadata(&side).map(|m| m.len()).unwrap_or(0);
        assert_eq!(
            len,
            0,
            "{} is not empty after the checkpoint",
            side.display()
        );
    }
    std::fs::read(&path).expect("read the template")
}

fn write_copy(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("copy the template");
    (dir, path)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// An empty demo file ([`demo_init`], made under [`clock`]): migrated, its
/// caller its chair, no case.
pub fn empty_db() -> (tempfile::TempDir, PathBuf) {
    empty_db_as("committee.sqlite")
}

/// [`empty_db`] under another file name.
pub fn empty_db_as(name: &str) -> (tempfile::TempDir, PathBuf) {
    static EMPTY: Template = Template::new("committee.sqlite", |path| {
        Db::create(path, clock(), &demo_init()).expect("create");
    });
    EMPTY.copy_as(name)
}

/// A demo file with the fixture week imported (source `test`, under
/// [`clock`]): what most screen and storage tests start from.
pub fn fixture_db() -> (tempfile::TempDir, PathBuf) {
    fixture_db_as("committee.sqlite")
}

/// [`fixture_db`] under another file name.
pub fn fixture_db_as(name: &str) -> (tempfile::TempDir, PathBuf) {
    static FIXTURE: Template = Template::new("committee.sqlite", |path| {
        let mut db = Db::create(path, clock(), &demo_init()).expect("create");
        crate::import::save_all(
            &mut db,
            &fixture_cases(),
            "test",
            crate::import::Absent::Clears,
        )
        .expect("import");
    });
    FIXTURE.copy_as(name)
}

/// [`fixture_db`] opened under [`clock`].
pub fn open_fixture() -> (tempfile::TempDir, Db) {
    let (dir, path) = fixture_db();
    let db = Db::open(&path, clock()).expect("open");
    (dir, db)
}

/// [`empty_db`] opened under [`clock`].
pub fn open_empty() -> (tempfile::TempDir, Db) {
    let (dir, path) = empty_db();
    let db = Db::open(&path, clock()).expect("open");
    (dir, db)
}

/// Records that `external_id` was performed at `at` (`YYYY-MM-DDTHH:MM`,
/// local time), by its planned operator with its planned techniques: the
/// `outcomes` row the day-of-procedure form writes, which the follow-up
/// calls start from. Written directly (plain SQL, here only), not audited.
pub fn perform(db: &mut Db, external_id: &str, at: &str) {
    db.write(|w| {
        let n = w.tx().execute(
            "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques,
               anaesthesia, recorded_at, recorded_by)
             SELECT id, 1, ?2, operator, techniques, anaesthesia, 'x', 'test'
             FROM cases WHERE external_id = ?1",
            [external_id, at],
        )?;
        assert_eq!(n, 1, "{external_id} is a case of the file");
        Ok::<_, crate::storage::StorageError>(())
    })
    .expect("outcome");
}

/// Sets the value of `rule`'s row for every subject and risk (`*`, `*`)
/// as the file's chair would (`rules set`); returns whether it changed.
pub fn set_rule(db: &mut Db, rule: &str, value: f64) -> bool {
    let change = crate::storage::rules::Change {
        rule: rule.into(),
        subject: "*".into(),
        risk: "*".into(),
        value: Some(value),
        severity: None,
        expected_version: None,
    };
    db.write(|w| crate::storage::rules::set(w, &change))
        .expect("rule set")
}

/// Makes the caller `role` (another user, `boss`, stays the chair).
pub fn demote(db: &mut Db, role: crate::domain::roles::Role) {
    let login = crate::storage::identity::login();
    db.write(|w| {
        w.tx().execute(
            "INSERT OR IGNORE INTO users (login, name, role, created_at)
             VALUES ('boss', 'Boss', 'chair', 'x')",
            [],
        )?;
        w.tx().execute(
            "UPDATE users SET role = ?2 WHERE login = ?1",
            [login.as_str(), role.as_str()],
        )?;
        Ok::<_, crate::storage::StorageError>(())
    })
    .expect("set role");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_copy_is_a_file_of_its_own_with_the_fixture_week() {
        let (_a, mut a) = open_fixture();
        let (_b, b) = open_fixture();
        for db in [&a, &b] {
            let case = crate::storage::read::by_external_id(db, "SCH-2026-004501").expect("case");
            assert_eq!(case.file.external_id, "SCH-2026-004501");
            assert!(db.is_demo().expect("demo"));
            assert_eq!(db.timezone().expect("zone"), crate::demo::DEMO_TZ);
        }
        a.write(|w| w.set_meta("testkit.probe", "a"))
            .expect("write");
        assert_eq!(a.meta("testkit.probe").expect("meta").as_deref(), Some("a"));
        assert_eq!(b.meta("testkit.probe").expect("meta"), None);
        assert_ne!(a.path(), b.path());
    }

    #[test]
    fn an_empty_copy_has_no_case_and_its_caller_is_chair() {
        let (_d, db) = open_empty();
        assert!(crate::storage::read::by_external_id(&db, "SCH-2026-004501").is_err());
        assert_eq!(
            db.role().expect("role"),
            Some(crate::domain::roles::Role::Chair)
        );
    }

    /// The test binaries an alias of `.cargo/config.toml` runs (`--test NAME`).
    fn alias_tests(config: &str, alias: &str) -> Vec<String> {
        let line = config
            .lines()
            .find(|l| l.starts_with(&format!("{alias} = [")))
            .unwrap_or_else(|| panic!("no alias {alias} in .cargo/config.toml"));
        let words: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        words
            .windows(2)
            .filter(|w| w[0] == "--test")
            .map(|w| w[1].to_owned())
            .collect()
    }

    /// `cargo fast` and `cargo slow` together run every test file, each
    /// once: a new file in tests/ must be put in one of them.
    #[test]
    fn every_test_file_is_fast_or_slow() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = std::fs::read_to_string(root.join(".cargo/config.toml")).expect("config");
        let fast = alias_tests(&config, "fast");
        let slow = alias_tests(&config, "slow");
        assert!(
            config.contains(r#"fast = ["test", "--lib","#),
            "cargo fast runs the unit tests"
        );
        let mut files: Vec<String> = std::fs::read_dir(root.join("tests"))
            .expect("tests/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "rs"))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        files.sort();
        for file in &files {
            let n = fast.iter().chain(&slow).filter(|t| *t == file).count();
            assert_eq!(
                n, 1,
                "tests/{file}.rs is in {n} of cargo fast / cargo slow, not 1"
            );
        }
        for name in fast.iter().chain(&slow) {
            assert!(files.contains(name), "{name} is no file of tests/");
        }
    }
}
