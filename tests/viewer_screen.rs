//! A viewer's screen, end to end (issue 11, point 1): the real binary in a
//! pseudo-terminal, read back with vt100. With the pseudonym key the board
//! opens pseudonymised, says so, and names no fixture patient; without it,
//! the screen is refused in one line before the terminal is taken.

mod common;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_ir-committee");
const PATIENCE: Duration = Duration::from_secs(10);

/// Makes the caller a viewer (another user stays chair).
fn become_viewer(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute(
        "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
        [],
    )
    .expect("another chair");
    let me = ir_committee::storage::identity::login();
    conn.execute("UPDATE users SET role = 'viewer' WHERE login = ?1", [me])
        .expect("viewer");
}

/// The screen in a 120×40 pseudo-terminal, with the key file named (or
/// none); what it drew is read into a vt100 screen.
struct Screen {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Screen {
    fn open(db: &Path, key: Option<&Path>) -> Screen {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(["--today", common::TODAY, "--lang", "en"]);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("IR_COMMITTEE_DB");
        cmd.env_remove("SSH_CONNECTION");
        match key {
            Some(k) => cmd.env("IR_COMMITTEE_PSEUDONYM_KEY_FILE", k),
            None => cmd.env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE"),
        }
        cmd.cwd(db.parent().expect("a folder"));
        let child = pty.slave.spawn_command(cmd).expect("the screen starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let size = |n| NonZeroU16::new(n).expect("a size");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(size(40), size(120), 0)));
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").process(&buf[..n]);
            }
        });
        Screen {
            child,
            writer,
            parser,
            _master: pty.master,
        }
    }

    fn contents(&self) -> String {
        self.parser.lock().expect("lock").screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text}; the screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("keys");
        self.writer.flush().expect("flush");
    }

    /// Esc alone (followed at once by a key, it would read as Alt+key).
    fn escape(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(150));
    }

    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "still running:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The fixture's last and first names, IPPs, birth dates and scheduling ids.
fn fixture_identities() -> Vec<String> {
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture()).expect("fixture"))
            .expect("json");
    let mut out = Vec::new();
    for case in fixture["cases"].as_array().expect("cases") {
        let p = &case["patient"];
        for field in ["last_name", "ipp", "birth_date"] {
            out.push(p[field].as_str().expect("field").to_uppercase());
        }
        let born = p["birth_date"].as_str().expect("born");
        out.push(format!("{}/{}/{}", &born[8..10], &born[5..7], &born[..4]));
        out.push(case["external_id"].as_str().expect("id").to_owned());
    }
    out
}

#[test]
fn a_viewers_screen_is_pseudonymised_and_names_no_one() {
    let (dir, db) = common::imported();
    become_viewer(&db);
    let key = dir.path().join("pseudonym.key");
    std::fs::write(&key, "0123456789abcdef0123456789abcdef\n").expect("key");
    let mut s = Screen::open(&db, Some(&key));
    s.wait_for("PSEUDONYMISED · IR validation committee · Week 2026-W49");
    s.wait_for("B. H., 78");
    let mut seen = vec![s.contents()];
    // The first case's detail, full width, then the help.
    s.send("\r");
    s.wait_for("IPP P-");
    seen.push(s.contents());
    s.escape();
    s.send("?");
    s.wait_for("Help · PSEUDONYMISED");
    seen.push(s.contents());
    // A search for a real name finds nothing.
    s.escape();
    s.send("/Béranger\r");
    s.wait_for("« Béranger »");
    s.wait_for("No case matches");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    for screen in &seen {
        let upper = screen.to_uppercase();
        for secret in fixture_identities() {
            assert!(!upper.contains(&secret), "{secret} in\n{screen}");
        }
        assert!(screen.starts_with("PSEUDONYMISED"), "{screen}");
    }
}

#[test]
fn a_viewers_screen_without_a_pseudonym_key_is_refused_in_one_line() {
    let (_dir, db) = common::imported();
    become_viewer(&db);
    let mut s = Screen::open(&db, None);
    assert_ne!(s.exit_code(), 0);
    // Give the reader a moment to take the last bytes.
    std::thread::sleep(Duration::from_millis(200));
    let shown = s.contents();
    let lines: Vec<&str> = shown.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("reads pseudonymised data only")
                && l.contains("IR_COMMITTEE_PSEUDONYM_KEY_FILE")),
        "{shown}"
    );
    // One message (wrapped at 120 columns at most), no board.
    assert!(!shown.contains("IR validation committee"), "{shown}");
    assert!(!shown.to_uppercase().contains("BÉRANGER"), "{shown}");
}
