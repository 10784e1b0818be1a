//! Where an export may go: the database's files by identity and by name,
//! SQLite files, existing files, folders.

use std::path::{Path, PathBuf};

use super::ExportError;
use super::target::{Existing, Protected};
use crate::storage::{Db, Init};

use crate::testkit::clock;

fn db_in(dir: &Path) -> (Db, PathBuf) {
    let path = dir.join("committee.sqlite");
    let init = Init {
        admin: None,
        name: None,
        timezone: chrono_tz::Europe::Paris,
        demo: true,
    };
    (Db::create(&path, clock(), &init).expect("create"), path)
}

fn with(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn is_onto_database(r: Result<(), ExportError>) -> bool {
    matches!(r, Err(ExportError::OntoDatabase { .. }))
}

#[test]
fn the_database_and_its_own_files_are_refused_existing_or_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, path) = db_in(dir.path());
    let p = Protected::of(&db);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        for existing in [Existing::Keep, Existing::Replace] {
            let target = with(&path, suffix);
            assert!(is_onto_database(p.check(&target, existing)), "{suffix}");
        }
    }
    // The same names reached another way: ./sub/../committee.sqlite-wal.
    std::fs::create_dir(dir.path().join("sub")).expect("dir");
    let around = dir.path().join("sub/../committee.sqlite-journal");
    assert!(is_onto_database(p.check(&around, Existing::Replace)));
    let e = p.check(&path, Existing::Replace).expect_err("refused");
    assert_eq!(
        e.to_string(),
        format!(
            "refusing to export onto {0}: that is the database ({0}); choose another file",
            path.display()
        )
    );
}

#[test]
fn links_to_the_database_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, path) = db_in(dir.path());
    let p = Protected::of(&db);
    let soft = dir.path().join("a.csv");
    std::os::unix::fs::symlink(&path, &soft).expect("symlink");
    let hard = dir.path().join("b.csv");
    std::fs::hard_link(&path, &hard).expect("link");
    let to_wal = dir.path().join("c.csv");
    std::os::unix::fs::symlink(with(&path, "-wal"), &to_wal).expect("symlink");
    for target in [&soft, &hard, &to_wal] {
        assert!(
            is_onto_database(p.check(target, Existing::Replace)),
            "{target:?}"
        );
    }
}

#[test]
fn a_database_opened_through_a_symlink_is_known_by_its_real_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, real) = db_in(dir.path());
    drop(db);
    let link = dir.path().join("link.sqlite");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let db = Db::open(&link, clock()).expect("open");
    let p = Protected::of(&db);
    // SQLite keeps the -wal beside the real file.
    for target in [real.clone(), with(&real, "-wal"), with(&real, "-journal")] {
        assert!(
            is_onto_database(p.check(&target, Existing::Replace)),
            "{target:?}"
        );
    }
}

#[test]
fn sqlite_files_are_refused_other_files_need_replace() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, _) = db_in(dir.path());
    let p = Protected::of(&db);
    let other = dir.path().join("other.csv");
    std::fs::write(&other, b"SQLite format 3\0 and then pages").expect("write");
    assert!(matches!(
        p.check(&other, Existing::Replace),
        Err(ExportError::OntoSqlite { .. })
    ));
    // Fifteen bytes of the header are not a database.
    std::fs::write(&other, b"SQLite format 3").expect("write");
    assert!(matches!(
        p.check(&other, Existing::Keep),
        Err(ExportError::Exists { .. })
    ));
    assert_eq!(
        p.check(&other, Existing::Keep)
            .expect_err("refused")
            .to_string(),
        format!("{} exists; add --force to replace it", other.display())
    );
    assert!(p.check(&other, Existing::Replace).is_ok());
    let new = dir.path().join("new.csv");
    assert!(p.check(&new, Existing::Keep).is_ok());
}

#[test]
fn folders_devices_and_dangling_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, _) = db_in(dir.path());
    let p = Protected::of(&db);
    let why = |r: Result<(), ExportError>| r.expect_err("refused").to_string();
    assert!(why(p.check(dir.path(), Existing::Replace)).ends_with(": is a folder"));
    assert!(
        why(p.check(Path::new("/dev/null"), Existing::Replace))
            .ends_with(": is not a regular file")
    );
    let dangling = dir.path().join("gone.csv");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).expect("symlink");
    assert!(why(p.check(&dangling, Existing::Keep)).contains("exists; add --force"));
    assert!(p.check(&dangling, Existing::Replace).is_ok());
}

#[test]
fn an_in_memory_database_protects_nothing_but_sqlite_files() {
    let db = Db::open_in_memory(clock()).expect("db");
    let p = Protected::of(&db);
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(
        p.check(&dir.path().join(":memory:"), Existing::Keep)
            .is_ok()
    );
}
