//! The nod through the green cases (`V`, issue 14 §3): 60 pending cases
//! with nothing to discuss, validated by Enter in the list, each in its own
//! write transaction (judged again, one decision and one audit row each,
//! `synchronous=FULL`). The goal: well under a second.
//!
//! Run: `cargo bench --bench meeting`.

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use ir_committee::domain::clock::Clock;
use ir_committee::domain::message::Lang;
use ir_committee::domain::week::Week;
use ir_committee::storage::{Db, Init};
use ir_committee::tui::app::{App, Options, Overlay};
use ir_committee::tui::theme::Theme;

fn main() {
    divan::main();
}

/// How many green cases the week holds.
const GREEN: usize = 60;

fn clock() -> Clock {
    Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"))
}

fn week() -> Week {
    "2026-W49".parse().expect("week")
}

fn open(path: &std::path::Path) -> App {
    let db = Db::open(path, clock()).expect("open");
    let opts = Options {
        lang: Lang::Fr,
        theme: Theme::colour(),
        mouse: false,
    };
    App::new(db, week(), opts, (120, 40)).expect("app")
}

/// A demo file whose week holds the fixture and copies of its green cases
/// (new ids and IPPs) up to [`GREEN`] of them.
fn template(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("template.sqlite");
    let init = Init {
        admin: None,
        timezone: chrono_tz::Europe::Paris,
        demo: true,
        name: None,
    };
    let mut db = Db::create(&path, clock(), &init).expect("create");
    let cases = ir_committee::demo::fixture_cases(week()).expect("fixture");
    let save = |db: &mut Db, cases: &[ir_committee::domain::model::CaseFile]| {
        ir_committee::import::save_all(db, cases, "bench", ir_committee::import::Absent::Clears)
            .expect("import");
    };
    save(&mut db, &cases);
    drop(db);
    let app = open(&path);
    let green: Vec<String> = app
        .data
        .cases
        .iter()
        .filter(|c| ir_committee::decide::nothing_to_discuss(&c.stored, &c.assessment))
        .map(|c| c.stored.file.external_id.clone())
        .collect();
    drop(app);
    let mut more = Vec::new();
    for n in 0..GREEN - green.len() {
        let id = &green[n % green.len()];
        let mut c = cases
            .iter()
            .find(|c| &c.external_id == id)
            .expect("green case")
            .clone();
        c.external_id = format!("SCH-2026-9{n:05}");
        c.patient.ipp = format!("9{n:07}");
        more.push(c);
    }
    let mut db = Db::open(&path, clock()).expect("open");
    save(&mut db, &more);
    path
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

#[divan::bench(sample_count = 10)]
fn nod_through_60(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = template(dir.path());
    // Once, outside the timing: Enter validates all of them.
    let checked = dir.path().join("checked.sqlite");
    std::fs::copy(&template, &checked).expect("copy");
    let mut app = open(&checked);
    key(&mut app, KeyCode::Char('V'));
    key(&mut app, KeyCode::Enter);
    match &app.overlay {
        Some(Overlay::Nod(nod)) => assert_eq!(
            nod.done.as_deref(),
            Some(format!("{GREEN} dossiers validés.").as_str())
        ),
        _ => panic!("the result is shown"),
    }
    drop(app);
    let mut n = 0;
    bencher
        .with_inputs(|| {
            n += 1;
            let path = dir.path().join(format!("run{n}.sqlite"));
            std::fs::copy(&template, &path).expect("copy");
            let mut app = open(&path);
            key(&mut app, KeyCode::Char('V'));
            match &app.overlay {
                Some(Overlay::Nod(nod)) => assert_eq!(nod.cases.len(), GREEN),
                _ => panic!("the list is open"),
            }
            app
        })
        .bench_local_values(|mut app| {
            key(&mut app, KeyCode::Enter);
            app
        });
}
