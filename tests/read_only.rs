//! Issue 12, point 7: files and filesystems the person may not write, or
//! not read. A file read-only by permission is read `mode=ro`; a read-only
//! filesystem without a `-wal` is read `immutable`; a `-wal` that cannot be
//! read refuses the read (never immutable: it would show a stale state); a
//! failed open leaves no `-wal`/`-shm`; a file that cannot be read says so.
//!
//! Permissions do not stop root: run as root, these tests run the binary
//! as uid 65534 (`setpriv`); a read-only filesystem is a read-only bind
//! mount in a mount namespace of the child only (`unshare`; as another
//! user, in a user namespace). Where neither can be had, the test says why
//! it is skipped.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OTHER_UID: u32 = 65534;

fn root() -> bool {
    nix::unistd::Uid::effective().is_root()
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("ir-committee")
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A command run as the person the permissions are about: uid 65534 when
/// the tests run as root (None: no `setpriv`), else the caller.
fn as_other(db: &Path, args: &[&str]) -> Option<Command> {
    let mut c = if root() {
        if !have("setpriv") {
            return None;
        }
        let mut c = Command::new("setpriv");
        c.arg(format!("--reuid={OTHER_UID}"))
            .arg(format!("--regid={OTHER_UID}"))
            .arg("--clear-groups")
            .arg(bin());
        c
    } else {
        Command::new(bin())
    };
    c.arg("--db").arg(db).args(["--lang", "en"]).args(args);
    c.env_remove("IR_COMMITTEE_DB");
    c.env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE");
    Some(c)
}

/// That person's login as the binary reads it.
fn other_login() -> String {
    if !root() {
        return ir_committee::storage::identity::login();
    }
    match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(OTHER_UID)) {
        Ok(Some(u)) => u.name,
        _ => format!("uid:{OTHER_UID}"),
    }
}

fn skip(why: &str) {
    eprintln!("skipped: {why}");
}

/// A committee file in a folder the other person may enter, with the fixture
/// imported and `logins` made chairs; closed (no `-wal`, no `-shm`).
fn committee(logins: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = common::imported();
    chmod(dir.path(), 0o755);
    let conn = rusqlite::Connection::open(&db).expect("open");
    for login in logins {
        conn.execute(
            "INSERT OR IGNORE INTO users (login, name, role, created_at) VALUES (?1, 'Other', 'chair', 'x')",
            [login],
        )
        .expect("user");
    }
    drop(conn);
    assert_eq!(files_of(dir.path()), ["committee.sqlite"]);
    (dir, db)
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn output(mut c: Command) -> (bool, String, String) {
    let out: Output = c.output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `args` run in a mount namespace of their own where `dir` is a read-only
/// bind mount; `as_other`: as the other person (root only). None when no
/// namespace can be had here (the reason printed).
fn on_read_only_fs(
    dir: &Path,
    db: &Path,
    as_other: bool,
    args: &[&str],
) -> Option<(bool, String, String)> {
    if !have("unshare") {
        skip("no unshare: a read-only filesystem cannot be made here");
        return None;
    }
    let mut c = Command::new("unshare");
    if !root() {
        c.arg("--map-root-user");
    }
    c.args(["--mount", "--propagation", "private", "sh", "-c"]);
    c.arg("mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 111; shift; exec \"$@\"");
    c.arg("sh").arg(dir);
    if as_other {
        c.arg("setpriv")
            .arg(format!("--reuid={OTHER_UID}"))
            .arg(format!("--regid={OTHER_UID}"))
            .arg("--clear-groups");
    }
    c.arg(bin())
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"])
        .args(args);
    c.env_remove("IR_COMMITTEE_DB");
    let out = c.output().expect("unshare runs");
    if out.status.code() == Some(111)
        || String::from_utf8_lossy(&out.stderr).contains("unshare failed")
    {
        skip(&format!(
            "no read-only bind mount here ({}): needs root or user namespaces",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
        return None;
    }
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// The login inside the namespace: root when the tests run as root, else
/// the namespace's root (uid 0 is mapped to the caller).
fn namespace_login() -> &'static str {
    "root"
}

#[test]
fn a_read_only_filesystem_without_a_wal_is_read_immutable() {
    let me = ir_committee::storage::identity::login();
    let (dir, db) = committee(&[&me, namespace_login()]);
    let Some((ok, stdout, stderr)) = on_read_only_fs(dir.path(), &db, false, &["rules", "list"])
    else {
        return;
    };
    assert!(ok, "{stderr}");
    assert!(stdout.contains("imaging.max_age"), "{stdout}");
    let (ok, stdout, stderr) =
        on_read_only_fs(dir.path(), &db, false, &["audit", "--verify"]).expect("namespace");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("audit trail intact"), "{stdout}");
    assert_eq!(files_of(dir.path()), ["committee.sqlite"]);
}

/// A connection that keeps a committed change in the `-wal` (never
/// checkpointed while it is open): the rules row `imaging.max_age` at 77.
fn change_in_the_wal(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    conn.execute(
        "UPDATE rules SET value = 77 WHERE rule = 'imaging.max_age'",
        [],
    )
    .expect("change");
    let wal = std::fs::metadata(format!("{}-wal", db.display())).expect("a -wal");
    assert!(wal.len() > 0);
    conn
}

#[test]
fn a_read_only_filesystem_with_a_wal_shows_its_latest_state_or_refuses() {
    let me = ir_committee::storage::identity::login();
    let (dir, db) = committee(&[&me, namespace_login(), &other_login()]);
    let conn = change_in_the_wal(&db);
    let Some((ok, stdout, stderr)) = on_read_only_fs(dir.path(), &db, false, &["rules", "list"])
    else {
        return;
    };
    assert!(ok, "{stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("imaging.max_age\t*\t*\t77 ")),
        "the -wal's change is shown, not the file's stale state: {stdout}"
    );
    // A -wal the person cannot read: refused, not read immutable.
    if !root() || !have("setpriv") {
        skip("an unreadable -wal on a read-only filesystem needs root (setpriv)");
        return;
    }
    chmod(Path::new(&format!("{}-wal", db.display())), 0o600);
    let (ok, _, stderr) =
        on_read_only_fs(dir.path(), &db, true, &["rules", "list"]).expect("namespace");
    assert!(!ok);
    assert!(
        stderr.contains("committee.sqlite-wal cannot be read (permission denied)"),
        "{stderr}"
    );
    drop(conn);
}

#[test]
fn a_wal_that_cannot_be_read_refuses_the_read() {
    let me = ir_committee::storage::identity::login();
    let (_dir, db) = committee(&[&me, &other_login()]);
    let conn = change_in_the_wal(&db);
    chmod(
        Path::new(&format!("{}-wal", db.display())),
        if root() { 0o600 } else { 0 },
    );
    let Some(c) = as_other(&db, &["rules", "list"]) else {
        return skip("running as root without setpriv: a permission cannot deny root");
    };
    let (ok, stdout, stderr) = output(c);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("its -wal file") && stderr.contains("cannot be read (permission denied)"),
        "{stderr}"
    );
    drop(conn);
}

#[test]
fn a_failed_open_leaves_no_wal_or_shm_behind() {
    let me = ir_committee::storage::identity::login();
    let (dir, db) = committee(&[&me, &other_login()]);
    // From a newer ir-committee: refused by every command, read or write.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.pragma_update(None, "user_version", 99).expect("newer");
    drop(conn);
    for args in [&["check"][..], &["users", "list"], &["audit", "--verify"]] {
        let (ok, _, stderr) = output({
            let mut c = Command::new(bin());
            c.arg("--db").arg(&db).args(["--lang", "en"]).args(args);
            c
        });
        assert!(
            !ok && stderr.contains("written by a newer ir-committee"),
            "{stderr}"
        );
        assert_eq!(files_of(dir.path()), ["committee.sqlite"], "{args:?}");
    }
    // The same file read-only for the person, its folder writable: the
    // -wal and -shm the read-only open made go too.
    chmod(&db, 0o444);
    chmod(dir.path(), 0o777);
    let Some(c) = as_other(&db, &["check"]) else {
        return skip("running as root without setpriv: a permission cannot deny root");
    };
    let (ok, _, stderr) = output(c);
    assert!(
        !ok && stderr.contains("written by a newer ir-committee"),
        "{stderr}"
    );
    assert_eq!(files_of(dir.path()), ["committee.sqlite"]);
}

#[test]
fn a_file_read_only_by_permission_is_read_but_never_immutable() {
    let me = ir_committee::storage::identity::login();
    let (dir, db) = committee(&[&me, &other_login()]);
    chmod(&db, 0o444);
    // Its folder writable: read mode=ro (SQLite makes the -shm it needs).
    chmod(dir.path(), 0o777);
    let Some(c) = as_other(&db, &["rules", "list"]) else {
        return skip("running as root without setpriv: a permission cannot deny root");
    };
    let (ok, stdout, stderr) = output(c);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("imaging.max_age"), "{stdout}");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    // Its folder read-only too: no -shm can be made, and the filesystem is
    // writable (someone may be writing): refused, never read immutable.
    chmod(dir.path(), 0o555);
    let (ok, stdout, stderr) = output(as_other(&db, &["rules", "list"]).expect("setpriv"));
    chmod(dir.path(), 0o755);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("cannot read")
            && stderr.contains("it is read-only for you and so is its folder"),
        "{stderr}"
    );
    assert!(!stderr.contains("cannot write"), "{stderr}");
    assert_eq!(files_of(dir.path()), ["committee.sqlite"]);
}

#[test]
fn a_file_that_cannot_be_read_says_so_not_that_there_is_none() {
    let me = ir_committee::storage::identity::login();
    let (dir, db) = committee(&[&me, &other_login()]);
    let shown = db.display().to_string();
    // The file itself.
    chmod(&db, if root() { 0o600 } else { 0 });
    for args in [
        &["check"][..],
        &["users", "list"],
        &["init"],
        &["import", "/dev/null"],
    ] {
        let Some(c) = as_other(&db, args) else {
            return skip("running as root without setpriv: a permission cannot deny root");
        };
        let (ok, _, stderr) = output(c);
        assert!(!ok);
        assert_eq!(
            stderr.trim_end(),
            format!("ir-committee: error: cannot read {shown}: permission denied"),
            "{args:?}"
        );
    }
    chmod(&db, 0o644);
    // A folder on the way the person may not enter.
    let inner = dir.path().join("private");
    std::fs::create_dir(&inner).expect("folder");
    let hidden = inner.join("committee.sqlite");
    std::fs::copy(&db, &hidden).expect("copy");
    chmod(&inner, if root() { 0o700 } else { 0o600 });
    let shown = hidden.display().to_string();
    for args in [&["check"][..], &["users", "list"], &["init"]] {
        let (ok, _, stderr) = output(as_other(&hidden, args).expect("setpriv"));
        assert!(!ok);
        assert_eq!(
            stderr.trim_end(),
            format!("ir-committee: error: cannot read {shown}: permission denied"),
            "{args:?}"
        );
        assert!(!stderr.contains("no database"), "{stderr}");
    }
    chmod(&inner, 0o755);
}
