//! Issue 12, point 7: the smaller holes, through the real binary. A
//! disabled user is told so; an invisible character in a login names the
//! same user; a failed `init` leaves no file; `import` reads regular files
//! only, and at most the limit; loose dates, an empty technique, a level
//! scored twice and a procedure in 1900 are refused where they are; JSON
//! output carries no control or bidi character, whatever the file holds.
//! (Read-only files and filesystems: `tests/read_only.rs`.)
//!
//! The commands here run on the real clock (no `--today`): nothing they
//! check depends on the day.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::fixture;

/// The real binary on `db`, English messages, no app variable from the
/// environment but the audit key's (as `common::bin`), the real clock.
fn cmd(db: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("ir-committee").expect("binary built");
    c.arg("--db").arg(db).args(["--lang", "en"]);
    c.env_remove("IR_COMMITTEE_DB");
    c.env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE");
    c.env_remove("SSH_CONNECTION");
    c.timeout(Duration::from_secs(60));
    c
}

/// Ok(stdout) or Err(stderr), a failure being one line and printing nothing.
fn run(db: &Path, args: &[&str]) -> Result<String, String> {
    let out = cmd(db).args(args).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() {
        Ok(stdout)
    } else {
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stdout.is_empty(),
            "{args:?}: printed on a failure: {stdout}"
        );
        Err(stderr)
    }
}

/// A new committee file in a temporary folder, the caller its chair.
fn new_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    run(&db, &["init", "--timezone", "Europe/Paris"]).expect("init");
    (dir, db)
}

fn sql(db: &Path, statements: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(statements).expect("sql");
}

#[test]
fn a_disabled_user_is_told_so_not_that_they_are_unknown() {
    let (_dir, db) = new_file();
    let me = ir_committee::storage::identity::login();
    sql(
        &db,
        "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x');",
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute("UPDATE users SET active = 0 WHERE login = ?1", [&me])
        .expect("disable the caller");
    drop(conn);
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["rules", "list"],
        &["users", "list"],
        &["audit", "--verify"],
        &["rules", "set", "imaging.max_age", "60"],
        &[
            "users", "add", "someone", "--role", "viewer", "--name", "Some One",
        ],
        &["set-timezone", "Europe/Berlin"],
        &["tui"],
    ] {
        let err = run(&db, args).expect_err("refused");
        assert!(err.contains("disabled"), "{args:?}: {err}");
        assert!(!err.contains("not a registered user"), "{args:?}: {err}");
    }
    // A login the file does not know is still told that.
    sql(&db, &format!("DELETE FROM users WHERE login = '{me}';"));
    let err = run(&db, &["rules", "set", "imaging.max_age", "60"]).expect_err("refused");
    assert!(err.contains("not a registered user"), "{err}");
    let err = run(&db, &["check"]).expect_err("refused");
    assert!(err.contains("not a registered user"), "{err}");
}

#[test]
fn an_invisible_character_in_a_login_names_the_same_user() {
    let (_dir, db) = new_file();
    run(
        &db,
        &[
            "users",
            "add",
            "irsec",
            "--role",
            "secretary",
            "--name",
            "IR Sec",
        ],
    )
    .expect("add");
    let err = run(
        &db,
        &[
            "users",
            "add",
            "irsec\u{200b}",
            "--role",
            "viewer",
            "--name",
            "Again",
        ],
    )
    .expect_err("a second irsec");
    assert!(err.contains("user 'irsec' already exists"), "{err}");
    assert!(
        !err.contains("UNIQUE") && !err.contains('\u{200b}'),
        "{err}"
    );
    // set-role and disable clean the login as add does.
    let out = run(&db, &["users", "set-role", "\u{200b}irsec", "radiologist"]).expect("set-role");
    assert_eq!(out.trim(), "irsec: radiologist");
    let out = run(&db, &["users", "disable", "irsec\u{200b}"]).expect("disable");
    assert_eq!(out.trim(), "irsec: disabled");
    let list = run(&db, &["users", "list"]).expect("list");
    assert!(
        list.contains("irsec\tradiologist\tIR Sec (disabled)"),
        "{list}"
    );
    assert_eq!(list.lines().count(), 2, "{list}");
}

/// `sh -c` with the file size limit at `kib` KiB and SIGXFSZ ignored, so
/// that a write past it fails with EFBIG as on a full disk (the child's
/// limit only: nothing else on the machine is touched).
fn with_file_size_limit(db: &Path, kib: u32, args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("ir-committee");
    // POSIX `ulimit -f` counts 512-byte blocks; bash counts 1024: either
    // way a few KiB, far below what a new file needs.
    let script = format!("trap '' XFSZ; ulimit -f {kib} && exec \"$0\" \"$@\"");
    let mut c = std::process::Command::new("sh");
    c.arg("-c").arg(script).arg(bin).arg("--db").arg(db);
    c.args(["--lang", "en"]).args(args);
    c.output().expect("sh runs")
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_init_leaves_no_file_behind() {
    for kib in [4, 8, 64] {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("committee.sqlite");
        let out = with_file_size_limit(&db, kib, &["init", "--timezone", "Europe/Paris"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{kib} KiB: init cannot fit: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert_eq!(
            files_of(dir.path()),
            Vec::<String>::new(),
            "{kib} KiB: {err}"
        );
        // The next init creates it, rather than calling a leftover "already initialised".
        let out = run(&db, &["init", "--timezone", "Europe/Paris"]).expect("init");
        assert!(out.contains("created"), "{out}");
    }
    // An injected failure after the file was made: an unusable audit key.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    let key = dir.path().join("short.key");
    std::fs::write(&key, "too short\n").expect("key");
    let err = cmd(&db)
        .env("IR_COMMITTEE_AUDIT_KEY_FILE", &key)
        .args(["init", "--timezone", "Europe/Paris"])
        .output()
        .expect("runs");
    assert!(!err.status.success());
    assert_eq!(files_of(dir.path()), vec!["short.key".to_owned()]);
}

#[test]
fn a_failed_init_never_removes_a_file_that_was_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    std::fs::write(&db, b"").expect("an empty file");
    let out = with_file_size_limit(&db, 4, &["init", "--timezone", "Europe/Paris"]);
    assert!(!out.status.success());
    assert!(db.exists(), "the file that was there stays");
    assert_eq!(files_of(dir.path()), vec!["committee.sqlite".to_owned()]);
    // And a committee file, opened by an init that fails, stays whole.
    let (dir, db) = new_file();
    let before = common::hash(&db);
    let key = dir.path().join("short.key");
    std::fs::write(&key, "too short\n").expect("key");
    let out = cmd(&db)
        .env("IR_COMMITTEE_AUDIT_KEY_FILE", &key)
        .args(["init"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert_eq!(common::hash(&db), before);
    assert_eq!(
        files_of(dir.path()),
        vec!["committee.sqlite".to_owned(), "short.key".to_owned()]
    );
}

#[test]
fn import_reads_regular_files_only_and_never_past_the_limit() {
    let (dir, db) = new_file();
    // A character device that never ends, and a FIFO nobody writes to:
    // refused at once (the timeout of `cmd` fails a hang).
    let fifo = dir.path().join("cases.json");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).expect("fifo");
    let folder = dir.path().join("folder.json");
    std::fs::create_dir(&folder).expect("folder");
    for (path, what) in [
        (Path::new("/dev/zero"), "is a device"),
        (fifo.as_path(), "is a named pipe (FIFO)"),
        (folder.as_path(), "is a folder"),
    ] {
        let started = std::time::Instant::now();
        let err = run(&db, &["import", &path.display().to_string()]).expect_err("refused");
        assert!(err.contains(what), "{}: {err}", path.display());
        assert!(err.contains("only a regular file is imported"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            path.display()
        );
    }
    // A file one byte over the limit (sparse: nothing written) is refused.
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).expect("big");
    f.set_len(ir_committee::import::MAX_FILE_BYTES + 1)
        .expect("size");
    let err = run(&db, &["import", &big.display().to_string()]).expect_err("refused");
    assert!(
        err.contains("larger than the limit of 67108864 bytes"),
        "{err}"
    );
    // A regular file still imports, through a symbolic link too.
    let link = dir.path().join("week.json");
    std::os::unix::fs::symlink(fixture(), &link).expect("link");
    run(&db, &["import", &link.display().to_string()]).expect("import");
}

/// The problems `import::parse` finds (today: the fixture's Thursday).
fn problems(text: &str) -> Vec<String> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    match ir_committee::import::parse(text, today) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

fn with_first_case(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    edit(&mut doc["cases"][0]);
    serde_json::to_string_pretty(&doc).expect("JSON")
}

#[test]
#[rustfmt::skip] // one row per case
fn loose_values_are_refused_where_they_are() {
    let at = "case 0 (SCH-2026-004501)";
    type Edit = fn(&mut serde_json::Value);
    let json: [(&str, Edit, &str); 8] = [
        ("a leap second", |c| c["biology"]["at"] = "2026-11-21T15:29:60".into(),
         "field biology.at: '2026-11-21T15:29:60' is not a valid date-time: second 60 (a leap second) is not accepted"),
        ("a one-digit month and day", |c| c["imaging"][0]["at"] = "2026-1-2".into(),
         "field imaging[0].at: '2026-1-2' is not a valid date (expected YYYY-MM-DD)"),
        ("a one-digit birth month", |c| c["patient"]["birth_date"] = "1948-3-14".into(),
         "field patient.birth_date: '1948-3-14' is not a valid date"),
        ("a tab instead of T", |c| c["coagulation"]["at"] = "2026-11-25\t07:45".into(),
         "field coagulation.at: '2026-11-25\\t07:45' is not a valid date-time: the date and the time are separated by T (or a space), not '\\t'"),
        ("a technique with a +", |c| c["procedure"]["techniques"][0] = "+cementoplasty".into(),
         "field procedure.techniques[0]: unknown variant `+cementoplasty`"),
        ("the same SINS level twice", |c| {
            let first = c["scores"]["sins"][0].clone();
            c["scores"]["sins"].as_array_mut().expect("sins").push(first);
        }, "field scores.sins[1].level: level T12 is already scored in scores.sins[0]: one score per level"),
        ("a procedure in 1900", |c| {
            c["patient"]["birth_date"] = "1900-01-01".into();
            c["procedure"]["scheduled_at"] = "1900-11-30T08:00".into();
        }, "field procedure.scheduled_at: 1900-11-30 is outside the accepted procedure dates (2016-11-26 to 2036-11-26)"),
        ("a procedure eleven years ago", |c| c["procedure"]["scheduled_at"] = "2015-11-30T08:00".into(),
         "field procedure.scheduled_at: 2015-11-30 is outside the accepted procedure dates"),
    ];
    for (label, edit, expected) in json {
        let found = problems(&with_first_case(edit));
        assert!(
            found.iter().any(|p| p.starts_with(at) && p.contains(expected)),
            "{label}: expected '{expected}' in {found:?}"
        );
    }
    let header = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia";
    let csv: [(&str, &str, &str); 5] = [
        ("+cementoplasty", "CSV-1;100;Dupré;Hélène;1950-03-02;F;2026-12-01T08:30;Salle 1;Dr Martin;+cementoplasty;L3;general",
         "line 2, case CSV-1, field techniques: '+cementoplasty' has an empty technique between separators (+ or |)"),
        ("two separators", "CSV-1;100;Dupré;Hélène;1950-03-02;F;2026-12-01T08:30;Salle 1;Dr Martin;cementoplasty||vertebroplasty;L3;general",
         "field techniques: 'cementoplasty||vertebroplasty' has an empty technique"),
        ("a leap second", "CSV-1;100;Dupré;Hélène;1950-03-02;F;2026-12-01 08:30:60;Salle 1;Dr Martin;cementoplasty;L3;general",
         "line 2, case CSV-1, field scheduled_at: '2026-12-01 08:30:60' is not a valid date-time: second 60"),
        ("a one-digit birth month", "CSV-1;100;Dupré;Hélène;1950-3-02;F;2026-12-01T08:30;Salle 1;Dr Martin;cementoplasty;L3;general",
         "line 2, case CSV-1, field birth_date: '1950-3-02' is not a valid date"),
        ("a procedure in 1900", "CSV-1;100;Dupré;Hélène;1900-01-01;F;1900-12-01T08:30;Salle 1;Dr Martin;cementoplasty;L3;general",
         "line 2, case CSV-1, field procedure.scheduled_at: 1900-12-01 is outside the accepted procedure dates"),
    ];
    for (label, row, expected) in csv {
        let found = problems(&format!("{header}\n{row}\n"));
        assert!(found.iter().any(|p| p.contains(expected)), "{label}: expected '{expected}' in {found:?}");
    }
    // The fixture itself, and a space instead of T, still pass.
    assert_eq!(problems(&std::fs::read_to_string(fixture()).expect("fixture")), Vec::<String>::new());
    let spaced = with_first_case(|c| c["biology"]["at"] = "2026-11-21 07:45".into());
    assert_eq!(problems(&spaced), Vec::<String>::new());
}

#[test]
fn a_loose_day_is_refused_on_the_command_line() {
    let (_dir, db) = new_file();
    for args in [
        &["--today", "2026-1-2", "check"][..],
        &["audit", "--since", "2026-11-1"],
    ] {
        let out = cmd(&db).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("is not a valid date (expected YYYY-MM-DD)"),
            "{args:?}: {err}"
        );
    }
}

/// Characters that must never reach a terminal or a script: C1 controls
/// (CSI U+009B, NEL), ESC, bidi overrides and isolates, a zero-width space.
const HOSTILE: [char; 6] = [
    '\u{9b}', '\u{85}', '\u{1b}', '\u{202e}', '\u{2066}', '\u{200b}',
];

#[test]
fn json_output_strips_controls_written_straight_into_the_file() {
    let (_dir, db) = new_file();
    run(&db, &["import", &fixture().display().to_string()]).expect("import");
    // Written with the sqlite3 shell, past every check of the app.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute(
        "UPDATE cases SET room = ?1 WHERE external_id = 'SCH-2026-004501'",
        ["Salle\u{9b}31m 1\u{202e}A\u{1b}[0m"],
    )
    .expect("room");
    conn.execute(
        "INSERT INTO audit (at, login, action, new_value) VALUES ('2026-11-26T10:00:00Z', ?1, 'x', ?2)",
        ["in\u{85}truder\u{200b}", "\u{2066}evil\u{202e} value\u{9b}2J"],
    )
    .expect("audit row");
    drop(conn);
    let check = run(&db, &["--week", "2026-W49", "check", "--format", "json"]).expect("check");
    let audit = run(&db, &["audit", "--format", "json"]).expect("audit");
    for (what, text) in [("check", &check), ("audit", &audit)] {
        for c in HOSTILE {
            assert!(!text.contains(c), "{what}: U+{:04X} printed", c as u32);
        }
        assert!(
            !text.contains("\\u001b") && !text.contains("\\u009b"),
            "{what}: escaped control"
        );
        serde_json::from_str::<serde_json::Value>(text).expect("still JSON");
    }
    assert!(check.contains("Salle31m 1A[0m"), "{check}");
    assert!(
        audit.contains("\"intruder\"") && audit.contains("evil value2J"),
        "{audit}"
    );
}

/// `init --name` names the first chair, `users set-name` renames a user
/// (a chair only); `users list` shows the names.
#[test]
fn the_first_chair_is_named_at_init_and_a_chair_renames_users() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("committee.sqlite");
    let cases: [(&[&str], Result<&str, &str>); 5] = [
        (
            &[
                "init",
                "--timezone",
                "Europe/Paris",
                "--name",
                "Dr Hélène Martin",
            ],
            Ok(""),
        ),
        (&["users", "list"], Ok("Dr Hélène Martin")),
        (
            &[
                "users",
                "add",
                "sec",
                "--role",
                "secretary",
                "--name",
                "Sec",
            ],
            Ok(""),
        ),
        (
            &["users", "set-name", "sec", "Mme Anne Leroy"],
            Ok("sec: Mme Anne Leroy"),
        ),
        (
            &["users", "set-name", "nobody", "X"],
            Err("no user 'nobody'"),
        ),
    ];
    for (args, expected) in cases {
        match (run(&db, args), expected) {
            (Ok(out), Ok(want)) => assert!(out.contains(want), "{args:?}: {out}"),
            (Err(err), Err(want)) => assert!(err.contains(want), "{args:?}: {err}"),
            (got, _) => panic!("{args:?}: {got:?}"),
        }
    }
    let list = run(&db, &["users", "list"]).expect("list");
    assert!(
        list.contains("Mme Anne Leroy") && list.contains("Dr Hélène Martin"),
        "{list}"
    );
}
