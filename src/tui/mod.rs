//! The committee screen (ratatui). `run` owns the terminal and the loop;
//! `app` holds the state and carries out actions; `ui` draws it.
//!
//! The loop draws only when something changed (no timed redraws: bytes
//! over SSH cost), drains every queued event before drawing one frame,
//! wraps each frame in a synchronized update, polls `PRAGMA data_version`
//! about once a second, and leaves within a second on SIGTERM or SIGHUP,
//! keeping any text being typed as a draft.

pub mod action;
pub mod app;
mod compact;
pub mod data;
pub mod dialog;
pub mod form;
pub mod keys;
pub mod theme;
pub mod trace;
pub mod ui;
pub mod watchdog;

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::crossterm::{execute, queue};

use crate::domain::week::Week;
use crate::storage::{Db, StorageError};
use app::{App, Options};

/// How often the file is checked for other people's changes.
const POLL_CHANGES: Duration = Duration::from_secs(1);
/// The longest the loop waits for a key before checking signals.
const TICK: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    Storage(#[from] StorageError),
    Terminal(#[from] io::Error),
    /// A role that reads the screen pseudonymised, without a pseudonym key.
    Key(#[from] crate::export::ExportError),
}

impl std::fmt::Display for TuiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::misc::tui(crate::text::Lang::En, self))
    }
}

/// Runs the screen until the user quits. On SIGHUP or SIGTERM (or when the
/// terminal goes away) it keeps the text being typed as a draft, restores
/// the terminal and returns the signal, for an exit status of 128 + it.
/// `home`: the folder a leading `~` in a typed file name stands for.
pub fn run(
    db: Db,
    week: Week,
    opts: Options,
    home: Option<std::path::PathBuf>,
) -> Result<Option<i32>, TuiError> {
    // Before the terminal is taken: a refusal is one line, nothing shown.
    let key = data::require_screen(&db)?;
    // A file this person may not write can trace no consultation: it
    // shows none (only `audit --verify` works on it).
    if db.is_read_only() {
        return Err(StorageError::Trace(format!(
            "{} is read-only for you",
            crate::domain::text::sanitize_line(&db.path().display().to_string())
        ))
        .into());
    }
    let (path, opening) = (db.path().to_owned(), db.opening());
    let shared = Arc::new(watchdog::Shared::default());
    watchdog::spawn(Arc::clone(&shared), path.clone(), opening.clone())?;
    let signal = {
        // Raw mode and the alternate screen (the panic hook in main.rs puts
        // the terminal back before reporting a panic).
        let _restore = Restore { mouse: opts.mouse };
        let mut terminal = init()?;
        execute!(io::stdout(), EnableBracketedPaste)?;
        if opts.mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        let size = terminal.size()?;
        let mut app = App::with_key(db, week, opts, (size.width, size.height), key)?;
        app.home = home;
        // The read trace's writer: off the frame path, at least once a
        // second, and on every way out (`finish` below, the watchdog).
        let queue = app.trace_queue();
        let _ = shared.traces.set(Arc::clone(&queue));
        let writer = trace::Writer::spawn(queue, path, opening)?;
        let outcome = event_loop(&mut terminal, &mut app, &shared);
        shared.done.store(true, Ordering::SeqCst);
        let untraced = writer.finish();
        // ratatui's Terminal prints (eprintln!, a panic on a dead terminal)
        // when it cannot show the cursor as it is dropped: show it here, and
        // if the terminal is gone, do not drop it at all.
        if terminal.show_cursor().is_err() {
            std::mem::forget(terminal);
        }
        if !shared.claim_exit() {
            // The watchdog is ending the process (it saved the draft).
            loop {
                std::thread::park();
            }
        }
        // Stopped by a signal, or the terminal failed (the link is gone):
        // keep what was being typed.
        if shared.stop_signal().is_some() || outcome.is_err() {
            app.save_draft();
        }
        // A terminal that failed because it is gone is a hang-up, not an error.
        let signal = if outcome.is_err() && watchdog::hung_up() {
            Some(signal_hook::consts::SIGHUP)
        } else {
            outcome?;
            shared.stop_signal()
        };
        // Consultations shown but never traced: said, and a failure.
        if let Err((n, why)) = untraced
            && signal.is_none()
        {
            let lang = app.lang();
            let why = why.map_or_else(
                || crate::text::screen::not_written(lang).to_owned(),
                |f| f.in_lang(lang).to_owned(),
            );
            return Err(StorageError::Trace(crate::text::screen::untraced(lang, n, &why)).into());
        }
        signal
    };
    Ok(signal)
}

fn event_loop(
    terminal: &mut Screen,
    app: &mut App,
    shared: &watchdog::Shared,
) -> Result<(), TuiError> {
    let mut next_poll = Instant::now() + POLL_CHANGES;
    while !app.quit && shared.stop_signal().is_none() {
        if app.dirty {
            app.dirty = false;
            // One buffer for the whole frame: begin, changed cells, end.
            queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
            terminal.backend_mut().flush()?;
        }
        let now = Instant::now();
        let wait = next_poll
            .min(app.next_tick().unwrap_or(next_poll))
            .saturating_duration_since(now)
            .min(TICK);
        if event::poll(wait)? {
            // Drain everything queued, then draw once.
            loop {
                app.handle_event(event::read()?);
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            shared.set_typing(app.typing());
        }
        if Instant::now() >= next_poll {
            app.poll_changes();
            next_poll = Instant::now() + POLL_CHANGES;
        }
        app.tick(Instant::now());
    }
    Ok(())
}

/// ratatui::try_init without its panic hook (which prints with `eprintln!`,
/// a panic of its own once the terminal is gone).
/// Frames are written through a buffer large enough for a full frame, so
/// that a key costs one or two writes rather than one per kilobyte.
fn init() -> io::Result<Screen> {
    ratatui::crossterm::terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen
    )?;
    let out = io::BufWriter::with_capacity(64 * 1024, io::stdout());
    ratatui::Terminal::new(compact::Compact::new(
        ratatui::backend::CrosstermBackend::new(out),
    ))
}

/// The terminal the screen draws on.
type Screen = ratatui::Terminal<
    compact::Compact<ratatui::backend::CrosstermBackend<io::BufWriter<io::Stdout>>>,
>;

/// Puts the terminal back on every way out of `run` (return, error, or a
/// panic unwinding through it).
struct Restore {
    mouse: bool,
}

impl Drop for Restore {
    fn drop(&mut self) {
        // The terminal may be gone (SSH link dropped): errors are moot here.
        if self.mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        // Not ratatui::restore(): it prints (and a print to a dead terminal panics).
        let _ = ratatui::try_restore();
    }
}
#[cfg(test)]
mod tests;
