//! The screen in a pseudo-terminal, read back with vt100: the harness of
//! the end-to-end tests (`tests/e2e.rs`, `tests/screen_trace.rs`).

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_ir-committee");
/// How long to wait for something the screen should show soon.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// The first row of the board: a complete case.
pub const FIRST: &str = "SCH-2026-004501";

/// What the program wrote: every raw byte, and the screen they draw.
pub struct Output {
    pub raw: Vec<u8>,
    pub parser: vt100::Parser,
}

/// The screen running in a pseudo-terminal. Dropping it kills the program
/// if it is still running, so that no failure leaves one behind.
pub struct Screen {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    out: Arc<Mutex<Output>>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the reader to let go of its end of the terminal.
    let_go: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

impl Screen {
    /// `ir-committee --db DB --today … --lang en` (no command: the screen).
    pub fn open(db: &Path, cols: u16, rows: u16) -> Screen {
        Screen::open_with(db, cols, rows, &[])
    }

    /// [`Screen::open`] with variables set for the program.
    pub fn open_with(db: &Path, cols: u16, rows: u16, env: &[(&str, &Path)]) -> Screen {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(["--today", super::TODAY, "--lang", "en"]);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("IR_COMMITTEE_DB");
        cmd.env_remove("IR_COMMITTEE_PSEUDONYM_KEY_FILE");
        cmd.env_remove("SSH_CONNECTION");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(db.parent().expect("a folder"));
        let child = pty.slave.spawn_command(cmd).expect("the screen starts");
        // Only the child keeps the terminal's other end: its exit ends the reader.
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let size = |n| NonZeroU16::new(n).expect("a size");
        let out = Arc::new(Mutex::new(Output {
            raw: Vec::new(),
            parser: vt100::Parser::new(size(rows), size(cols), 0),
        }));
        let (sink, let_go) = (Arc::clone(&out), Arc::new(AtomicBool::new(false)));
        let stop = Arc::clone(&let_go);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut o = sink.lock().expect("output lock");
                o.raw.extend_from_slice(&buf[..n]);
                o.parser.process(&buf[..n]);
                // Asked to let go: once a whole frame is written, so that the
                // program is back waiting for keys when its terminal goes.
                if stop.load(Ordering::SeqCst) && o.raw.ends_with(b"\x1b[?2026l") {
                    break;
                }
            }
        });
        Screen {
            child,
            writer: Some(writer),
            out,
            master: Some(pty.master),
            let_go,
            reader: Some(reader),
        }
    }

    /// Waits until `ok` holds for the output; panics with the screen if not.
    pub fn wait(&self, what: &str, ok: impl Fn(&Output) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !ok(&self.out.lock().expect("output lock")) {
            // The lock is released here: a failure does not poison it.
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) {
        self.wait(text, |o| o.parser.screen().contents().contains(text));
    }

    pub fn contents(&self) -> String {
        let o = self.out.lock().expect("output lock");
        o.parser.screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.out.lock().expect("output lock").raw.clone()
    }

    pub fn send(&mut self, bytes: &str) {
        let w = self.writer.as_mut().expect("the terminal is open");
        w.write_all(bytes.as_bytes()).expect("write keys");
        w.flush().expect("flush keys");
    }

    /// The link drops: every handle on the terminal's master side is
    /// closed, so the program's terminal hangs up (as when sshd goes away).
    pub fn hang_up(&mut self) {
        self.let_go.store(true, Ordering::SeqCst);
        // A resize makes the program draw a frame, which the reader waits for.
        let master = self.master.as_ref().expect("the terminal is open");
        let size = master.get_size().expect("the size");
        let cols = size.cols - 1;
        master.resize(PtySize { cols, ..size }).expect("resize");
        let reader = self.reader.take().expect("a reader");
        reader.join().expect("the reader lets go");
        self.writer = None;
        self.master = None;
    }

    pub fn signal(&self, signal: Signal) {
        let pid = self.child.process_id().expect("a pid");
        let pid = Pid::from_raw(i32::try_from(pid).expect("pid fits"));
        kill(pid, signal).expect("signal sent");
    }

    /// Polls every 20 ms until the program exits; panics after `within`.
    pub fn exit_code(&mut self, within: Duration) -> u32 {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit within {within:?}; the screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the board of week 2026-W49 with its first case selected.
    pub fn board(db: &Path) -> Screen {
        let s = Screen::open(db, 120, 40);
        s.wait_for("Week 2026-W49");
        s.wait_for("BÉRANGER");
        s.wait_for(FIRST);
        s
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

pub fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
