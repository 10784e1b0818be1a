//! Drawing the committee screen: one full frame of the demo week at
//! 120×40 and 80×24, and a `j` (move + redraw), into ratatui's TestBackend.
//! The screen redraws only when something changed, so this is the cost of
//! every frame a person causes.
//!
//! Run: `cargo bench --bench render`.

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use ir_committee::domain::clock::Clock;
use ir_committee::domain::message::Lang;
use ir_committee::domain::week::Week;
use ir_committee::storage::{Db, Init};
use ir_committee::tui::app::{App, Options};
use ir_committee::tui::theme::Theme;

fn main() {
    divan::main();
}

fn app(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    let init = Init {
        admin: None,
        name: None,
        timezone: chrono_tz::Europe::Paris,
        demo: true,
    };
    let mut db = Db::create(&dir.path().join("b.sqlite"), clock, &init).expect("create");
    let week: Week = "2026-W49".parse().expect("week");
    let cases = ir_committee::demo::fixture_cases(week).expect("fixture");
    ir_committee::import::save_all(
        &mut db,
        &cases,
        "bench",
        ir_committee::import::Absent::Clears,
    )
    .expect("import");
    let opts = Options {
        lang: Lang::Fr,
        theme: Theme::colour(),
        mouse: false,
    };
    let app = App::new(db, week, opts, size).expect("app");
    (dir, app)
}

#[divan::bench(args = [(120, 40), (80, 24)])]
fn full_frame(bencher: divan::Bencher, size: (u16, u16)) {
    let (_dir, app) = app(size);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    bencher.bench_local(|| {
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("draw");
    });
}

#[divan::bench]
fn key_j_then_frame(bencher: divan::Bencher) {
    let (_dir, mut app) = app((120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let j = Event::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    let k = Event::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE));
    let mut down = true;
    bencher.bench_local(|| {
        app.handle_event(if down { j.clone() } else { k.clone() });
        down = !down;
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("draw");
    });
}
