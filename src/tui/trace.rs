//! The screen's read trace (issue 11): what the board and the detail show
//! is queued here and written by a thread of its own, with a connection of
//! its own, at least once a second and on every way out, never on the
//! frame path. If a write fails the screen hides patient data until one
//! succeeds (`failing`).
//!
//! What counts as a consultation (`docs/deployment.md`): opening a week on
//! the board (one row per case shown, again for a case that appears later
//! in the same opening), and a case's detail that stays on screen for more
//! than [`HELD`] (beside the board at 120 columns or more), or opened
//! full-screen (narrower terminals: an explicit Enter). The minute rule
//! (one row per person, case and minute) is the storage's.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::domain::message::Lang;
use crate::domain::week::Week;
use crate::storage::audit::reads::{self, Consulted, What};
use crate::storage::{Db, Opening, Result};

/// How long a case's detail must stay on screen to count as opened.
pub const HELD: Duration = Duration::from_secs(2);
/// The longest a consultation waits to be written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// The writer's first connection and write wait this long, so that they
/// never compete with the screen's first frame (a stop cuts it short).
const FIRST_WRITE_AFTER: Duration = Duration::from_millis(250);

/// Why the trace could not be written, one line in each language (the
/// writer's thread does not know the screen's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    en: String,
    fr: String,
}

impl Failure {
    fn of(e: &crate::storage::StorageError) -> Failure {
        use crate::text::Localized;
        let line = |lang| match e {
            crate::storage::StorageError::Trace(inner) => crate::domain::text::sanitize_line(inner),
            other => crate::domain::text::sanitize_line(&other.in_lang(lang)),
        };
        Failure {
            en: line(Lang::En),
            fr: line(Lang::Fr),
        }
    }

    pub fn in_lang(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// The queue, shared by the screen and the writer.
#[derive(Default)]
pub struct Queue {
    pending: Mutex<Vec<Consulted>>,
    /// The last write's failure, one line; None once a write succeeds.
    failure: Mutex<Option<Failure>>,
    /// Set when `failure` changes, for the screen to redraw.
    changed: AtomicBool,
    stop: AtomicBool,
    wake: Condvar,
    /// Locked by whoever writes, so that a final flush waits for the
    /// writer's current one.
    writing: Mutex<()>,
}

impl Queue {
    pub fn push(&self, entries: impl IntoIterator<Item = Consulted>) {
        lock(&self.pending).extend(entries);
    }

    /// Why patient data is hidden (the last write failed), if it is.
    pub fn failure(&self) -> Option<Failure> {
        lock(&self.failure).clone()
    }

    /// Whether [`Queue::failure`] changed since the last call.
    pub fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::SeqCst)
    }

    pub fn is_empty(&self) -> bool {
        lock(&self.pending).is_empty()
    }

    /// Writes what is queued through `db`; on failure puts it back (in
    /// order, before what was queued meanwhile) and records why.
    pub fn flush(&self, db: &Db) -> Result<()> {
        let _writing = lock(&self.writing);
        let batch = std::mem::take(&mut *lock(&self.pending));
        let outcome = if batch.is_empty() {
            Ok(())
        } else {
            reads::trace_all(db, &batch)
        };
        let failure = match &outcome {
            Ok(()) => None,
            Err(e) => {
                let mut pending = lock(&self.pending);
                let later = std::mem::replace(&mut *pending, batch);
                pending.extend(later);
                Some(Failure::of(e))
            }
        };
        let mut current = lock(&self.failure);
        if *current != failure {
            *current = failure;
            self.changed.store(true, Ordering::SeqCst);
        }
        outcome
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The writer: a thread with its own connection to the file.
pub struct Writer {
    queue: Arc<Queue>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer for the file at `path`, as `db`'s person.
    pub fn spawn(queue: Arc<Queue>, path: PathBuf, opening: Opening) -> std::io::Result<Writer> {
        let q = Arc::clone(&queue);
        let thread = std::thread::Builder::new()
            .name("read-trace".into())
            .spawn(move || write_loop(&q, &path, opening))?;
        Ok(Writer {
            queue,
            thread: Some(thread),
        })
    }

    /// Writes what is left and stops the thread (every way out of the
    /// screen comes through here). Err: how many consultations shown could
    /// not be traced, and why (None: no write failed, the writer stopped).
    pub fn finish(mut self) -> std::result::Result<(), (usize, Option<Failure>)> {
        self.stop();
        let left = lock(&self.queue.pending).len();
        if left == 0 {
            return Ok(());
        }
        Err((left, self.queue.failure()))
    }

    fn stop(&mut self) {
        self.queue.stop.store(true, Ordering::SeqCst);
        self.queue.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn write_loop(q: &Queue, path: &std::path::Path, opening: Opening) {
    {
        let guard = lock(&q.pending);
        if !q.stop.load(Ordering::SeqCst) {
            let _ = q.wake.wait_timeout(guard, FIRST_WRITE_AFTER);
        }
    }
    let mut db: Option<Db> = Db::open(path, opening.clone()).ok();
    loop {
        let stopping = q.stop.load(Ordering::SeqCst);
        if !q.is_empty() {
            // A connection of its own, opened once (at start, before the
            // screen can set the group privilege aside for an export) and
            // kept; opened again only if that failed.
            let opened = match db.take() {
                Some(d) => Ok(d),
                None => Db::open(path, opening.clone()),
            };
            match opened {
                Ok(d) => {
                    // A failure is recorded in the queue (the screen hides
                    // patient data); the next pass tries again.
                    let _ = q.flush(&d);
                    db = Some(d);
                }
                Err(e) => {
                    let mut failure = lock(&q.failure);
                    let line = Some(Failure::of(&e));
                    if *failure != line {
                        *failure = line;
                        q.changed.store(true, Ordering::SeqCst);
                    }
                }
            }
        }
        if stopping {
            return;
        }
        let guard = lock(&q.pending);
        if !q.stop.load(Ordering::SeqCst) {
            let _ = q.wake.wait_timeout(guard, FLUSH_EVERY);
        }
    }
}

/// What the screen has traced in the current opening of a week, and the
/// case whose detail is on screen since when.
#[derive(Debug, Default)]
pub struct Seen {
    week: Option<Week>,
    /// Cases of `week` already queued as shown on the board.
    board: HashSet<i64>,
    /// The case whose detail is on screen, since when, and whether its
    /// opening was queued.
    detail: Option<(i64, Instant, bool)>,
}

impl Seen {
    /// The week's board shows `case_ids`: a new week is a new opening;
    /// cases not yet traced in this opening are returned to be queued.
    pub fn board(&mut self, week: Week, case_ids: &[i64]) -> Vec<i64> {
        if self.week != Some(week) {
            self.week = Some(week);
            self.board.clear();
            self.detail = None;
        }
        case_ids
            .iter()
            .copied()
            .filter(|id| self.board.insert(*id))
            .collect()
    }

    /// The detail on screen is `case` (None: no detail), `explicit` when
    /// the person opened it (full screen); returns the case to queue as
    /// opened, once per showing: at once when explicit, else when it has
    /// stayed [`HELD`].
    pub fn detail(&mut self, case: Option<i64>, explicit: bool, now: Instant) -> Option<i64> {
        let Some(id) = case else {
            self.detail = None;
            return None;
        };
        match &mut self.detail {
            Some((shown, since, queued)) if *shown == id => {
                if !*queued && (explicit || now.duration_since(*since) > HELD) {
                    *queued = true;
                    return Some(id);
                }
                None
            }
            _ => {
                self.detail = Some((id, now, explicit));
                explicit.then_some(id)
            }
        }
    }

    /// When the detail on screen will count as opened, if it has not yet.
    pub fn detail_due(&self) -> Option<Instant> {
        match self.detail {
            Some((_, since, false)) => Some(since + HELD + Duration::from_millis(1)),
            _ => None,
        }
    }
}

/// The rows to queue for cases shown at `at`.
pub fn consulted(what: What, week: Week, case_ids: &[i64], at: &str) -> Vec<Consulted> {
    case_ids
        .iter()
        .map(|&id| Consulted {
            what,
            subject: Some(week.to_string()),
            case_id: Some(id),
            at: at.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week() -> Week {
        "2026-W49".parse::<Week>().expect("week")
    }

    #[test]
    fn a_week_is_traced_once_per_opening_and_new_cases_as_they_appear() {
        let mut s = Seen::default();
        assert_eq!(s.board(week(), &[1, 2]), vec![1, 2]);
        assert_eq!(s.board(week(), &[1, 2, 3]), vec![3]);
        let next = "2026-W50".parse::<Week>().expect("week");
        assert_eq!(s.board(next, &[4]), vec![4]);
        assert_eq!(
            s.board(week(), &[1]),
            vec![1],
            "opening it again is a new opening"
        );
    }

    #[test]
    fn a_detail_counts_once_held_more_than_two_seconds() {
        let mut s = Seen::default();
        let t0 = Instant::now();
        assert_eq!(s.detail(Some(1), false, t0), None);
        assert_eq!(
            s.detail(Some(1), false, t0 + HELD),
            None,
            "exactly 2 s is not more"
        );
        assert_eq!(
            s.detail(Some(2), false, t0 + HELD),
            None,
            "moved on: 1 never opened"
        );
        let t1 = t0 + HELD;
        assert_eq!(
            s.detail(Some(2), false, t1 + Duration::from_millis(2001)),
            Some(2)
        );
        assert_eq!(
            s.detail(Some(2), false, t1 + HELD * 3),
            None,
            "once per showing"
        );
        assert_eq!(s.detail(None, false, t1 + HELD * 4), None);
        assert_eq!(
            s.detail(Some(2), true, t1 + HELD * 4),
            Some(2),
            "opened full screen"
        );
    }
}
