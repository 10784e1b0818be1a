//! A file whose time zone is not the hospital's (UTC, Etc/…): a banner at
//! the top of the screen until a chair sets the zone, and the board judged
//! again on the new clock when that happens.

use chrono_tz::Tz;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;

use super::{WEEK, clock, key, screen};
use crate::domain::message::Lang;
use crate::domain::week::Week;
use crate::storage::{Db, Init};
use crate::tui::app::{App, Options};
use crate::tui::theme::Theme;
use crate::tui::ui::layout;

/// The fixture week in a file created with `zone`, and the app on it.
/// One file per zone, made once per test process and copied.
fn app_in(zone: Tz, lang: Lang, size: (u16, u16)) -> (tempfile::TempDir, App) {
    static BY_ZONE: crate::testkit::Templates = crate::testkit::Templates::new("t.sqlite");
    let week: Week = WEEK.parse().expect("week");
    let (dir, path) = BY_ZONE.copy(zone.name(), |path| {
        drop(file_in(path, zone, &crate::testkit::fixture_cases()));
    });
    let db = Db::open(&path, clock()).expect("open");
    (dir, app_of(db, week, lang, size))
}

/// `cases` in a new file at `path` created with `zone`.
fn file_in(path: &std::path::Path, zone: Tz, cases: &[crate::domain::model::CaseFile]) -> Db {
    let init = Init {
        admin: None,
        name: None,
        timezone: zone,
        demo: true,
    };
    let mut db = Db::create(path, clock(), &init).expect("create");
    crate::import::save_all(&mut db, cases, "test", crate::import::Absent::Clears).expect("import");
    db
}

fn app_of(db: Db, week: Week, lang: Lang, size: (u16, u16)) -> App {
    let opts = Options {
        lang,
        theme: Theme::colour(),
        mouse: false,
    };
    App::new(db, week, opts, size).expect("app")
}

/// `cases` in a file created with `zone`, and the app on `week`.
fn app_on(
    zone: Tz,
    week: Week,
    cases: &[crate::domain::model::CaseFile],
    lang: Lang,
    size: (u16, u16),
) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = file_in(&dir.path().join("t.sqlite"), zone, cases);
    (dir, app_of(db, week, lang, size))
}

#[test]
fn a_utc_file_shows_a_banner_at_the_top_in_the_alert_style() {
    for (lang, name, text) in [
        (Lang::En, "en", "⚠ Time zone UTC is not the hospital's"),
        (Lang::Fr, "fr", "⚠ Fuseau UTC, pas celui de l'hôpital"),
    ] {
        for (w, h) in [(80, 24), (120, 40)] {
            let (_d, app) = app_in(chrono_tz::UTC, lang, (w, h));
            let s = screen(&app, w, h);
            assert!(s.starts_with(text), "{s}");
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            let buf = t.backend().buffer().clone();
            let alert = app.opts.theme.alert;
            assert_eq!(buf[(0, 0)].fg, alert.fg.expect("alert colour"));
            assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
            // The board below is other tests' business: the banner, the
            // header it pushes down, and the status line still at the bottom.
            let lines: Vec<&str> = s.lines().collect();
            assert_eq!(lines.len(), usize::from(h));
            assert!(lines[usize::from(h) - 1].starts_with("? "), "{s}");
            let top = lines[..3].join("\n");
            insta::assert_snapshot!(format!("zone_banner_{name}_{w}x{h}"), top);
        }
    }
}

#[test]
fn every_generic_zone_has_the_banner_and_a_place_has_none() {
    for (zone, banner) in [
        (chrono_tz::UTC, true),
        (chrono_tz::Etc::UTC, true),
        (chrono_tz::Etc::GMTMinus1, true),
        (chrono_tz::Europe::Paris, false),
        (chrono_tz::America::Cayenne, false),
    ] {
        let (_d, app) = app_in(zone, Lang::En, (120, 40));
        assert_eq!(app.zone_banner(), banner, "{zone}");
        let first = screen(&app, 120, 40);
        let first = first.lines().next().unwrap_or_default().to_owned();
        assert_eq!(first.starts_with('⚠'), banner, "{zone}: {first}");
    }
}

#[test]
fn the_banner_takes_a_board_row_and_paging_and_clicks_follow() {
    for size in [(80, 24), (120, 40)] {
        assert_eq!(
            layout::board_page(size, true) + 1,
            layout::board_page(size, false)
        );
        let with = layout::areas(size, true);
        let without = layout::areas(size, false);
        assert_eq!(with.banner.map(|b| (b.y, b.height)), Some((0, 1)));
        assert_eq!(without.banner, None);
        assert_eq!(with.header.y, 1);
        // The first case's row moves down one line with the banner.
        let first = without.board.y + 1;
        assert_eq!(layout::board_row_at(size, false, 0, 2, first), Some(0));
        assert_eq!(layout::board_row_at(size, true, 0, 2, first), None);
        assert_eq!(layout::board_row_at(size, true, 0, 2, first + 1), Some(0));
    }
}

/// A chair sets the zone from another process: the open screen reloads,
/// judges the week on the new clock and drops the banner. The case: a
/// consultation on Saturday 28 March 2026 at 09:30 for a procedure on
/// Monday 30 March at 10:00, across the spring change in Paris: 48 h 30
/// on the wall clock and in UTC (ok), 47 h 30 in Paris (too short).
#[test]
fn a_zone_set_elsewhere_is_picked_up_and_the_board_judged_again() {
    use crate::domain::rules::{Item, Severity};
    use crate::domain::time::When;
    let week: Week = "2026-W14".parse().expect("week");
    let mut cases = crate::demo::fixture_cases(week).expect("fixture");
    let at = |d: u32, h: u32, m: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("time")
    };
    let case = cases
        .iter_mut()
        .find(|c| c.consultation.is_some())
        .expect("a case with a consultation");
    case.procedure.scheduled_at = at(30, 10, 0);
    if let Some(c) = case.consultation.as_mut() {
        c.at = When::DateTime(at(28, 9, 30));
    }
    let id = case.external_id.clone();
    let (dir, mut app) = app_on(chrono_tz::UTC, week, &cases, Lang::En, (120, 40));
    let delay = |app: &App| {
        let c = app
            .data
            .cases
            .iter()
            .find(|c| c.stored.file.external_id == id)
            .expect("case on the board");
        let item = c
            .assessment
            .dossier
            .items
            .iter()
            .find(|i| i.item == Item::Delay)
            .expect("delay item");
        (item.severity, item.code())
    };
    assert!(app.zone_banner());
    assert_ne!(delay(&app).0, Severity::Blocking, "{:?}", delay(&app));
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    other
        .write(|w| crate::storage::zone::set_timezone(w, chrono_tz::Europe::Paris))
        .expect("set");
    assert!(app.poll_changes(), "a zone change is a change");
    assert_eq!(app.data.tz, chrono_tz::Europe::Paris);
    assert!(!app.zone_banner());
    assert!(!screen(&app, 120, 40).contains('⚠'));
    assert_eq!(delay(&app), (Severity::Blocking, "delay.too_short"));
}

/// A page is the rows the board shows: one fewer under the banner.
#[test]
fn paging_counts_the_rows_the_banner_leaves() {
    for (zone, banner) in [(chrono_tz::UTC, true), (chrono_tz::Europe::Paris, false)] {
        let (_d, mut app) = app_in(zone, Lang::En, (80, 24));
        key(&mut app, KeyCode::PageDown);
        assert_eq!(app.selected, layout::board_page((80, 24), banner), "{zone}");
    }
    assert_eq!(layout::board_page((80, 24), true), 18);
}
