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
pub mod catalogue;
pub mod data;
pub mod dialog;
pub mod keys;
pub mod theme;
pub mod ui;

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};

use crate::domain::week::Week;
use crate::storage::{Db, StorageError};
use app::{App, Options};

/// How often the file is checked for other people's changes.
const POLL_CHANGES: Duration = Duration::from_secs(1);
/// The longest the loop waits for a key before checking signals.
const TICK: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("terminal error: {0}")]
    Terminal(#[from] io::Error),
}

/// Runs the screen until the user quits or a signal says to stop.
pub fn run(db: Db, week: Week, opts: Options) -> Result<(), TuiError> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // ratatui::try_init: raw mode, alternate screen, and a panic hook that
    // restores the terminal before the panic is reported.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore { mouse: opts.mouse };
    execute!(io::stdout(), EnableBracketedPaste)?;
    if opts.mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    let size = terminal.size()?;
    let mut app = App::new(db, week, opts, (size.width, size.height))?;
    let mut next_poll = Instant::now() + POLL_CHANGES;
    while !app.quit {
        if stop.load(Ordering::Relaxed) {
            app.save_draft();
            break;
        }
        if app.dirty {
            app.dirty = false;
            let mut out = io::stdout();
            execute!(out, BeginSynchronizedUpdate)?;
            terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
            execute!(out, EndSynchronizedUpdate)?;
            out.flush()?;
        }
        let wait = next_poll
            .saturating_duration_since(Instant::now())
            .min(TICK);
        if event::poll(wait)? {
            // Drain everything queued, then draw once.
            loop {
                app.handle_event(event::read()?);
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if Instant::now() >= next_poll {
            app.poll_changes();
            next_poll = Instant::now() + POLL_CHANGES;
        }
    }
    Ok(())
}

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
        ratatui::restore();
    }
}
#[cfg(test)]
mod tests;
