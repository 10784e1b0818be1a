//! The two transports of the hospital's messages (issue 16, point 5): the
//! drop folder (`watch`) and the MLLP listener (`listen --mllp`), with a
//! sender this project did not write (python-hl7's MLLP client,
//! tests/feed/mllp_client.py). The transports are tested with a small
//! handler of this file (a fixed ACK echoing MSH-10; AE without PID), the
//! real binary for what it does alone: refusing to start, answering,
//! the size limit, SIGTERM.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ir_committee::feed::mllp::{self, Limits, Peers};
use ir_committee::feed::watch::{self, Skip};
use ir_committee::feed::{Answer, Handler, Origin, Payload};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// An ORU^R01 (an INR) with control id `id`; a fictitious patient.
fn oru(id: &str) -> String {
    [
        format!("MSH|^~\\&|LABO|CHU|IRC|RADIO|20261207083000||ORU^R01^ORU_R01|{id}|P|2.5|||||FRA|UNICODE UTF-8"),
        "PID|1||123456^^^CHU^PI||TEST^Patient||19600101|F".to_owned(),
        "OBR|1||L1|34714-6^INR^LN|||20261207070000".to_owned(),
        "OBX|1|NM|34714-6^INR^LN||1.1||||||F|||20261207070000".to_owned(),
    ]
    .join("\r")
}

/// The same without its PID: the test handler answers AE.
fn oru_without_pid(id: &str) -> String {
    oru(id)
        .split('\r')
        .filter(|s| !s.starts_with("PID"))
        .collect::<Vec<_>>()
        .join("\r")
}

/// The test handler: AA echoing MSH-10; AE when there is no PID; AR when
/// the bytes are not HL7. Counts what it saw.
#[derive(Default)]
struct Echo {
    seen: Vec<(String, Origin)>,
    /// The reasons of the ARs it was asked for (messages never read).
    refused: Vec<String>,
}

impl Handler for Echo {
    fn handle(&mut self, payload: Payload<'_>, origin: &Origin) -> Answer {
        let raw = match payload {
            Payload::Hl7(b) | Payload::Json(b) => String::from_utf8_lossy(b).into_owned(),
        };
        let parsed = hl7_parser::Message::parse_with_lenient_newlines(&raw, true).ok();
        let id = parsed
            .as_ref()
            .and_then(|m| m.query("MSH.10"))
            .map(|v| v.raw_value().to_owned());
        let code = match (&parsed, &id) {
            (Some(m), Some(_)) if m.segment("PID").is_some() => "AA",
            (Some(_), Some(_)) => "AE",
            _ => "AR",
        };
        let id = id.unwrap_or_default();
        self.seen.push((id.clone(), origin.clone()));
        Answer::new(
            code == "AA",
            format!("MSH|^~\\&|IRC|RADIO|LABO|CHU|20261207083001||ACK^R01^ACK|A{id}|P|2.5\rMSA|{code}|{id}\r").into_bytes(),
        )
    }

    /// Dated as the handler's own time (a fixed one here), not the
    /// machine's: the listener must ask the handler.
    fn refusal(&mut self, reason: &str) -> Vec<u8> {
        self.refused.push(reason.to_owned());
        format!(
            "MSH|^~\\&|IRC|RADIO|||19991231235900||ACK|R{}|P|2.5\rMSA|AR|\r",
            self.refused.len()
        )
        .into_bytes()
    }
}

fn uid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn no_skip(_: Skip) -> Vec<u8> {
    b"skipped".to_vec()
}

/// Runs `watch::run` with `Echo` on the folder held in a thread until the
/// returned closure stops it (or it stops by itself); the closure gives
/// the handler back with what `run` returned.
fn watching(folder: watch::Folder) -> impl FnOnce() -> (Echo, Result<(), watch::WatchError>) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        let mut echo = Echo::default();
        let options = watch::Options {
            poll: Duration::from_millis(50),
            ..watch::Options::default()
        };
        let r = watch::run(&folder, &mut echo, &options, &flag, &no_skip, &mut |_| {});
        (echo, r)
    });
    move || {
        stop.store(true, Ordering::SeqCst);
        thread.join().unwrap_or_else(|_| (Echo::default(), Ok(())))
    }
}

/// `watching` for a run that must end with `Ok`.
fn watching_ok(dir: &Path) -> Result<impl FnOnce() -> Echo, watch::WatchError> {
    let stop = watching(watch::Folder::open(dir, uid())?);
    Ok(move || {
        let (echo, r) = stop();
        assert_eq!(r, Ok(()));
        echo
    })
}

#[test]
fn watch_applies_a_renamed_file_once_and_moves_it_with_its_ack() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let stop = watching_ok(dir)?;
    std::fs::write(dir.join("r1.hl7.tmp"), oru("M1"))?;
    std::fs::write(dir.join(".r2.hl7"), oru("M2"))?;
    std::thread::sleep(Duration::from_millis(300));
    assert!(dir.join("r1.hl7.tmp").exists(), "a .tmp file is left alone");
    assert!(dir.join(".r2.hl7").exists(), "a hidden file is left alone");
    std::fs::rename(dir.join("r1.hl7.tmp"), dir.join("r1.hl7"))?;
    wait_for("done/r1.hl7.ack", Duration::from_secs(10), || {
        dir.join("done/r1.hl7.ack").exists() && !dir.join("r1.hl7").exists()
    });
    std::thread::sleep(Duration::from_millis(200));
    let echo = stop();
    assert_eq!(
        echo.seen,
        vec![("M1".to_owned(), Origin::File("r1.hl7".into()))]
    );
    assert_eq!(std::fs::read_to_string(dir.join("done/r1.hl7"))?, oru("M1"));
    let ack = std::fs::read_to_string(dir.join("done/r1.hl7.ack"))?;
    assert!(ack.contains("\rMSA|AA|M1\r"), "{ack:?}");
    let mode = std::fs::metadata(dir.join("done/r1.hl7.ack"))?
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "the ack is the user's only");
    assert!(!dir.join("failed/r1.hl7").exists());
    Ok(())
}

#[test]
fn watch_sends_a_refused_message_to_failed_in_name_order() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    // Written before the watch starts: taken in name order.
    std::fs::write(dir.join("b.hl7"), oru("B"))?;
    std::fs::write(dir.join("a.hl7"), oru_without_pid("A"))?;
    std::fs::write(dir.join("c.txt"), "not for the watch")?;
    let stop = watching_ok(dir)?;
    wait_for("both files moved", Duration::from_secs(10), || {
        dir.join("done/b.hl7.ack").exists() && dir.join("failed/a.hl7.ack").exists()
    });
    let echo = stop();
    let order: Vec<&str> = echo.seen.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(order, ["A", "B"]);
    let ack = std::fs::read_to_string(dir.join("failed/a.hl7.ack"))?;
    assert!(ack.contains("\rMSA|AE|A\r"), "{ack:?}");
    assert!(
        dir.join("c.txt").exists(),
        "another extension is left alone"
    );
    Ok(())
}

fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("ir-committee")
}

/// The real binary on `db`, English, none of the app's variables.
fn real(db: &Path) -> Command {
    let mut cmd = Command::new(bin_path());
    cmd.arg("--db").arg(db).arg("--lang").arg("en");
    for var in [
        "IR_COMMITTEE_DB",
        "IR_COMMITTEE_MLLP_ALLOWED_PEERS",
        "IR_COMMITTEE_MLLP_LOCAL_ACCOUNTS",
        "IR_COMMITTEE_AUDIT_KEY_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

#[test]
fn watch_refuses_a_folder_others_may_write() -> TestResult {
    let (tmp, db) = common::imported();
    let cases: [(&str, u32, &str); 4] = [
        (
            "group-writable",
            0o770,
            "writable by its group or others (mode 770)",
        ),
        (
            "world-writable",
            0o777,
            "writable by its group or others (mode 777)",
        ),
        (
            "sticky /tmp-like",
            0o1777,
            "writable by its group or others (mode 1777)",
        ),
        (
            "done/ group-writable",
            0o700,
            "done is writable by its group",
        ),
    ];
    for (what, mode, says) in cases {
        let dir = tmp.path().join(what.replace('/', "_"));
        std::fs::create_dir(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode))?;
        if what.starts_with("done") {
            std::fs::create_dir(dir.join("done"))?;
            std::fs::set_permissions(dir.join("done"), std::fs::Permissions::from_mode(0o775))?;
        }
        let out = real(&db).arg("watch").arg(&dir).output()?;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        assert!(err.contains(says), "{what}: {err}");
    }
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "")?;
    let out = real(&db).arg("watch").arg(&file).output()?;
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a directory"));
    assert_eq!(out.status.code(), Some(1));
    Ok(())
}

/// The tester's attack (issue 16): the folder above writable by others
/// without the sticky bit lets another user rename the watched folder
/// away and put their own in its place. Refused at start; with the
/// sticky bit (as /tmp) or closed, the watch starts.
#[test]
fn watch_refuses_a_folder_whose_parent_others_may_write() -> TestResult {
    let (tmp, db) = common::imported();
    for (mode, refused) in [
        (0o777, true),
        (0o775, true),
        (0o1777, false),
        (0o755, false),
    ] {
        let parent = tmp.path().join(format!("p{mode:o}"));
        let dir = parent.join("drop");
        std::fs::create_dir_all(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(mode))?;
        if refused {
            let out = real(&db).arg("watch").arg(&dir).output()?;
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{mode:o}: {err}");
            assert_eq!(err.lines().count(), 1, "{mode:o}: one line: {err}");
            assert!(
                err.contains(&format!(
                    "above the folder, is writable by its group or others without the sticky bit (mode {mode:o})"
                )),
                "{mode:o}: {err}"
            );
            assert!(!dir.join("done").exists(), "{mode:o}: nothing made");
        } else {
            std::fs::write(dir.join("junk.hl7"), "this is not HL7")?;
            let child = Killed(
                real(&db)
                    .arg("watch")
                    .arg(&dir)
                    .stderr(Stdio::piped())
                    .spawn()?,
            );
            wait_for("failed/junk.hl7.ack", Duration::from_secs(20), || {
                dir.join("failed/junk.hl7.ack").exists()
            });
            let (status, err) = child.term()?;
            assert_eq!(status, Some(0), "{mode:o}: {err}");
        }
    }
    Ok(())
}

/// A folder swapped for another under the same name (here by the same
/// user, seen by its inode): the file dropped in the new one is not
/// applied, and the watch stops saying why.
#[test]
fn watch_stops_when_its_folder_is_replaced() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    let stop = watching(watch::Folder::open(&dir, uid())?);
    std::fs::write(dir.join("r1.hl7"), oru("M1"))?;
    wait_for("done/r1.hl7.ack", Duration::from_secs(10), || {
        dir.join("done/r1.hl7.ack").exists()
    });
    // The new folder, made ready beside, then swapped in at once.
    let forged = tmp.path().join("forged");
    std::fs::create_dir(&forged)?;
    std::fs::set_permissions(&forged, std::fs::Permissions::from_mode(0o777))?;
    std::fs::write(forged.join("forged.hl7"), oru("FORGED"))?;
    std::fs::rename(&dir, tmp.path().join("away"))?;
    std::fs::rename(&forged, &dir)?;
    std::thread::sleep(Duration::from_millis(500));
    let (echo, r) = stop();
    let ids: Vec<&str> = echo.seen.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["M1"]);
    assert!(
        matches!(&r, Err(watch::WatchError::Changed(e)) if matches!(**e, watch::WatchError::Replaced { .. })),
        "{r:?}"
    );
    assert!(dir.join("forged.hl7").exists());
    assert!(!dir.join("done").exists());
    Ok(())
}

/// The same through the real binary and its database: one line, a
/// non-zero exit, the forged result neither applied nor moved.
#[test]
fn the_real_watch_stops_when_its_folder_is_replaced() -> TestResult {
    let (tmp, db) = common::imported();
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    let mut child = Killed(
        real(&db)
            .arg("watch")
            .arg(&dir)
            .stderr(Stdio::piped())
            .spawn()?,
    );
    wait_for("done/ made", Duration::from_secs(20), || {
        dir.join("done").exists()
    });
    let forged = tmp.path().join("forged");
    std::fs::create_dir(&forged)?;
    std::fs::set_permissions(&forged, std::fs::Permissions::from_mode(0o777))?;
    std::fs::write(forged.join("forged.hl7"), oru("FORGED"))?;
    std::fs::rename(&dir, tmp.path().join("away"))?;
    std::fs::rename(&forged, &dir)?;
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.0.try_wait()? {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "still watching");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    if let Some(mut e) = child.0.stderr.take() {
        e.read_to_string(&mut err)?;
    }
    assert_eq!(status.code(), Some(1), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("watch: stopped, nothing more applied: ")
            && last.contains("drop is no longer the folder being watched (renamed or replaced)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "the start line and the stop: {err}");
    assert!(dir.join("forged.hl7").exists());
    assert!(!dir.join("done").exists() && !dir.join("failed").exists());
    Ok(())
}

/// A file of another owner (made as root by chown to nobody) is not read:
/// failed/ with an AR ack, one log line without its content.
#[test]
fn the_real_watch_refuses_a_file_of_another_owner() -> TestResult {
    let (tmp, db) = common::imported();
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    let file = dir.join("other.hl7");
    std::fs::write(&file, oru("OTHER"))?;
    let nobody = nix::unistd::Uid::from_raw(65534);
    if nix::unistd::chown(&file, Some(nobody), None).is_err() {
        return Ok(()); // not root: such a file cannot be made here
    }
    let child = Killed(
        real(&db)
            .arg("watch")
            .arg(&dir)
            .stderr(Stdio::piped())
            .spawn()?,
    );
    wait_for("failed/other.hl7.ack", Duration::from_secs(20), || {
        dir.join("failed/other.hl7.ack").exists()
    });
    let ack = std::fs::read(dir.join("failed/other.hl7.ack"))?;
    assert_eq!(mllp::ack_code(&ack).as_deref(), Some("AR"), "{ack:?}");
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(
        err.contains("watch: other.hl7: AR (owned by uid 65534, not by the account watching) → failed/other.hl7"),
        "{err}"
    );
    assert!(!err.contains("OTHER"), "{err}");
    Ok(())
}

/// The real `watch`: a message it cannot apply lands in failed/ with an
/// AE or AR ack; SIGTERM ends it with status 0.
#[test]
fn the_real_watch_answers_and_stops_on_sigterm() -> TestResult {
    let (tmp, db) = common::imported();
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    std::fs::write(dir.join("junk.hl7"), "this is not HL7")?;
    let child = real(&db)
        .arg("watch")
        .arg(&dir)
        .stderr(Stdio::piped())
        .spawn()?;
    let child = Killed(child);
    wait_for("failed/junk.hl7.ack", Duration::from_secs(20), || {
        dir.join("failed/junk.hl7.ack").exists()
    });
    let ack = std::fs::read(dir.join("failed/junk.hl7.ack"))?;
    let code = mllp::ack_code(&ack);
    assert!(matches!(code.as_deref(), Some("AE" | "AR")), "{ack:?}");
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(err.contains("watch: junk.hl7: A"), "{err}");
    assert!(err.contains("→ failed/junk.hl7"), "{err}");
    Ok(())
}

/// Two SIGTERMs at once (systemd, then an impatient operator): the second
/// ends `watch` at once, with status 0 too, as documented.
#[test]
fn a_second_sigterm_also_exits_0() -> TestResult {
    let (tmp, db) = common::imported();
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    std::fs::write(dir.join("junk.hl7"), "this is not HL7")?;
    let child = real(&db)
        .arg("watch")
        .arg(&dir)
        .stderr(Stdio::null())
        .spawn()?;
    let mut child = Killed(child);
    // Running (its signals handled): a file answered.
    wait_for("failed/junk.hl7.ack", Duration::from_secs(20), || {
        dir.join("failed/junk.hl7.ack").exists()
    });
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.0.id())?);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM)?;
    // Delivered one after the other, not merged into one pending signal.
    std::thread::sleep(Duration::from_millis(5));
    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
    let status = child.0.wait()?;
    assert_eq!(status.code(), Some(0));
    Ok(())
}

/// A child process killed if the test fails before `term`.
struct Killed(Child);

impl Killed {
    /// SIGTERM, then its exit code and stderr.
    fn term(mut self) -> Result<(Option<i32>, String), Box<dyn std::error::Error>> {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.0.id())?);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM)?;
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.0.try_wait()? {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        if let Some(mut e) = self.0.stderr.take() {
            e.read_to_string(&mut err)?;
        }
        Ok((status.code(), err))
    }
}

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[path = "feed/listen.rs"]
mod listen;

#[path = "feed/watch_start.rs"]
mod watch_start;
