//! Leaving when the link drops. An SSH session that ends sends SIGHUP (a
//! supervisor sends SIGTERM), and the terminal reads end-of-file; crossterm
//! keeps polling a dead terminal, so the main loop alone cannot be relied
//! on. This thread watches for both, tells the loop to stop, and if the
//! loop has not stopped within `GRACE` it saves the text being typed with
//! its own connection and ends the process.

use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use signal_hook::consts::{SIGHUP, SIGTERM};
use signal_hook::iterator::Signals;

use crate::storage::drafts::{self, DraftKind};
use crate::storage::{Db, Opening};

/// How long the main loop has to stop by itself.
const GRACE: Duration = Duration::from_millis(800);
/// How often the thread looks.
const LOOK: Duration = Duration::from_millis(100);

/// What is being typed, kept up to date by the main loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typing {
    pub case_id: i64,
    pub kind: DraftKind,
    pub body: String,
    pub extra: Option<String>,
}

/// Shared between the loop and the watchdog.
#[derive(Default)]
pub struct Shared {
    /// The signal that asked to stop (SIGHUP for a hang-up), 0 while running.
    pub stop: AtomicI32,
    /// The main loop has left and is cleaning up.
    pub done: AtomicBool,
    /// Claimed by whichever of the loop and the watchdog ends the process
    /// (two threads calling `exit` at once is undefined behaviour).
    pub exiting: AtomicBool,
    pub typing: Mutex<Option<Typing>>,
    /// The screen's read trace queue, written before the watchdog ends
    /// the process.
    pub traces: std::sync::OnceLock<Arc<crate::tui::trace::Queue>>,
}

impl Shared {
    pub fn stop_signal(&self) -> Option<i32> {
        match self.stop.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s),
        }
    }

    /// Claims the right to end the process; false if the other side has.
    pub fn claim_exit(&self) -> bool {
        !self.exiting.swap(true, Ordering::SeqCst)
    }

    pub fn set_typing(&self, typing: Option<Typing>) {
        if let Ok(mut t) = self.typing.lock() {
            *t = typing;
        }
    }
}

/// Starts the watchdog for a screen working on the file at `db_path`.
pub fn spawn(shared: Arc<Shared>, db_path: PathBuf, opening: Opening) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGHUP, SIGTERM])?;
    std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || {
            loop {
                let signal = signals
                    .pending()
                    .next()
                    .or_else(|| hung_up().then_some(SIGHUP));
                if let Some(signal) = signal {
                    shared.stop.store(signal, Ordering::SeqCst);
                    let asked = Instant::now();
                    while asked.elapsed() < GRACE {
                        if shared.done.load(Ordering::SeqCst) {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    // The loop is stuck (a dead terminal): keep the text, leave.
                    let typing = shared.typing.lock().ok().and_then(|t| t.clone());
                    if let Some(t) = typing {
                        save(&db_path, opening.clone(), &t);
                    }
                    if let (Some(q), Ok(db)) =
                        (shared.traces.get(), Db::open(&db_path, opening.clone()))
                    {
                        let _ = q.flush(&db);
                    }
                    // Not ratatui::restore(): it prints to a stderr that may be gone.
                    let _ = ratatui::try_restore();
                    std::process::exit(128 + signal);
                }
                if shared.done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(LOOK);
            }
        })?;
    Ok(())
}

/// Saves a draft through a connection of its own.
pub fn save(db_path: &std::path::Path, opening: Opening, t: &Typing) {
    if let Ok(mut db) = Db::open(db_path, opening) {
        let _ = db.write_as(&crate::storage::needs::draft_save(t.case_id), |w| {
            drafts::save(w, t.case_id, t.kind, &t.body, t.extra.as_deref())
        });
    }
}

/// The terminal has gone (the pseudo-terminal's other side closed).
pub fn hung_up() -> bool {
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
    match poll(&mut fds, PollTimeout::ZERO) {
        Ok(_) => fds[0].revents().is_some_and(|r| {
            r.intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
        }),
        Err(_) => false,
    }
}
