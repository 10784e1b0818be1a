use super::*;

#[test]
#[rustfmt::skip] // one row per case
fn immutable_only_on_a_read_only_filesystem_without_a_wal() {
    let unreadable = Wal::Unreadable("permission denied".into());
    let table = [
        ("writable filesystem, no -wal", false, Wal::Absent, Ok(ReadOnlyMode::ReadOnly)),
        ("writable filesystem, a -wal", false, Wal::Readable, Ok(ReadOnlyMode::ReadOnly)),
        ("read-only filesystem, no -wal", true, Wal::Absent, Ok(ReadOnlyMode::Immutable)),
        ("read-only filesystem, a -wal", true, Wal::Readable, Ok(ReadOnlyMode::ReadOnly)),
        ("writable filesystem, an unreadable -wal", false, unreadable.clone(), Err("permission denied".to_owned())),
        ("read-only filesystem, an unreadable -wal", true, unreadable, Err("permission denied".to_owned())),
    ];
    for (label, fs_read_only, wal, mode) in table {
        assert_eq!(read_only_mode(fs_read_only, &wal), mode, "{label}");
    }
}

#[test]
fn the_immutable_uri_keeps_odd_names_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a b?c#d%e.sqlite");
    let uri = immutable_uri(&path).expect("uri");
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(
        uri.ends_with("/a%20b%3Fc%23d%25e.sqlite?mode=ro&immutable=1"),
        "{uri}"
    );
    // SQLite reads the name back: an empty file opened through the URI.
    std::fs::write(&path, b"").expect("file");
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .expect("opens");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .expect("reads");
    assert_eq!(n, 0);
    assert!(!sidecar(&path, "-wal").exists());
}

/// A WAL-mode database with one table, closed (no -wal, no -shm left).
fn wal_file(dir: &Path) -> PathBuf {
    let path = dir.join("w.sqlite");
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("table");
    drop(conn);
    assert!(!sidecar(&path, "-wal").exists() && !sidecar(&path, "-shm").exists());
    path
}

#[test]
fn files_another_connection_holds_open_are_never_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = wal_file(dir.path());
    let before = Before::note(&path);
    // Another connection (here in this process: the locks are told apart
    // all the same) opens the file and makes its -wal and -shm meanwhile.
    let other = Connection::open(&path).expect("open");
    let _: i64 = other
        .query_row("SELECT x FROM t", [], |r| r.get(0))
        .expect("read");
    assert!(sidecar(&path, "-shm").exists());
    before.remove_new(&path);
    assert!(sidecar(&path, "-wal").exists(), "-wal kept");
    assert!(sidecar(&path, "-shm").exists(), "-shm kept");
    drop(other);
}

#[test]
fn files_a_failed_open_made_are_removed_and_others_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = wal_file(dir.path());
    let before = Before::note(&path);
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let _: i64 = conn
        .query_row("SELECT x FROM t", [], |r| r.get(0))
        .expect("read");
    drop(conn);
    assert!(sidecar(&path, "-shm").exists(), "a reader leaves its -shm");
    before.remove_new(&path);
    assert!(!sidecar(&path, "-wal").exists() && !sidecar(&path, "-shm").exists());
    assert!(path.exists(), "the database stays");
    // A -wal and -shm that were there before stay.
    std::fs::write(sidecar(&path, "-wal"), b"").expect("wal");
    std::fs::write(sidecar(&path, "-shm"), b"").expect("shm");
    Before::note(&path).remove_new(&path);
    assert!(sidecar(&path, "-wal").exists() && sidecar(&path, "-shm").exists());
}

#[test]
fn a_missing_file_and_an_unreadable_one_are_told_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("none.sqlite");
    assert!(matches!(
        require_readable(&missing),
        Err(StorageError::NotFound(_))
    ));
    // A part of the path that is a file, not a folder.
    let file = dir.path().join("f");
    std::fs::write(&file, b"x").expect("file");
    let err = require_readable(&file.join("c.sqlite")).expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read {}: a part of the path is not a folder",
            file.join("c.sqlite").display()
        )
    );
}

/// The locks this process holds on `path`'s inode, as /proc/locks lists
/// them (Linux).
fn locks_on(path: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let ino = std::fs::metadata(path).expect("meta").ino().to_string();
    let pid = std::process::id().to_string();
    std::fs::read_to_string("/proc/locks")
        .expect("/proc/locks")
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.get(4) == Some(&pid.as_str())
                && f.get(5).and_then(|d| d.rsplit(':').next()) == Some(ino.as_str())
        })
        .count()
}

/// Opening the file again (a screen's second connection, a command run in
/// process) leaves the first connection's locks on it: an open that read
/// the file through a descriptor of its own would release them when it
/// closed it, and another program could then take the WAL for unused.
#[test]
fn a_second_open_keeps_the_first_connections_locks() {
    let (_dir, path) = crate::testkit::fixture_db();
    let first = crate::storage::Db::open(&path, crate::testkit::clock()).expect("open");
    let held = locks_on(&path);
    assert!(held > 0, "an open connection holds a lock on its file");
    let second = crate::storage::Db::open(&path, crate::testkit::clock()).expect("again");
    drop(second);
    assert_eq!(locks_on(&path), held, "the first connection's locks stay");
    let _ = crate::storage::inspect::inspect(&path);
    assert_eq!(locks_on(&path), held, "an inspection leaves them too");
    drop(first);
}
