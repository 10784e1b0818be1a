//! Look-alike patients (issue 10.8): François and Françoise DUPRÉ of the
//! fixture, and a third patient, "Dupre Francois", born on another day,
//! added in the test. The board shows the full first name, and the birth
//! date where the first names match too; the detail always shows the IPP
//! and the full birth date.

use ratatui::crossterm::event::KeyCode;

use chrono::NaiveDate;

use super::*;
use crate::domain::model::CaseFile;
use crate::tui::data::Likeness;

/// The fixture week and a third DUPRÉ François (no accents, another IPP,
/// born 14/03/1961) on Wednesday at 17:00, right after Françoise: selected,
/// the three show at 80×24.
fn cases() -> Vec<CaseFile> {
    let mut cases = crate::testkit::fixture_cases();
    let mut third = cases
        .iter()
        .find(|c| c.patient.first_name == "François")
        .expect("François DUPRÉ in the fixture")
        .clone();
    third.external_id = "SCH-2026-009001".into();
    third.patient.ipp = "80999001".into();
    third.patient.last_name = "Dupre".into();
    third.patient.first_name = "Francois".into();
    third.patient.birth_date = NaiveDate::from_ymd_opt(1961, 3, 14).expect("date");
    third.procedure.scheduled_at = NaiveDate::from_ymd_opt(2026, 12, 2)
        .and_then(|d| d.and_hms_opt(17, 0, 0))
        .expect("time");
    cases.push(third);
    cases
}

/// [`cases`] in a demo file, made once per test process and copied.
static LOOKALIKES: crate::testkit::Template = crate::testkit::Template::new("t.sqlite", |path| {
    let mut db = Db::create(path, clock(), &crate::testkit::demo_init()).expect("create");
    crate::import::save_all(&mut db, &cases(), "test", crate::import::Absent::Clears)
        .expect("import");
});

fn lookalike_app(lang: Lang, size: (u16, u16)) -> (tempfile::TempDir, App) {
    let (dir, path) = LOOKALIKES.copy();
    let db = Db::open(&path, clock()).expect("open");
    let opts = Options {
        lang,
        theme: Theme::colour(),
        mouse: false,
    };
    let app = App::new(db, WEEK.parse().expect("week"), opts, size).expect("app");
    (dir, app)
}

/// The board's row of a case (its external id), as drawn.
fn row_of(app: &mut App, screen_text: &str, external_id: &str) -> String {
    let pos = app
        .visible
        .iter()
        .position(|&i| app.data.cases[i].stored.file.external_id == external_id)
        .expect("on the board");
    let shown = crate::tui::ui::layout::board_page(app.size, app.zone_banner());
    assert!(
        pos >= app.offset && pos < app.offset + shown,
        "{external_id} not shown"
    );
    // Header, column titles (1 line), then the rows.
    screen_text
        .lines()
        .nth(usize::from(crate::tui::ui::layout::HEADER_H) + 1 + pos - app.offset)
        .expect("row")
        .to_owned()
}

#[test]
fn look_alike_patients_are_told_apart_once_per_loaded_week() {
    let (_d, app) = lookalike_app(Lang::En, (80, 24));
    let likeness = |id: &str| {
        app.data
            .cases
            .iter()
            .find(|c| c.stored.file.external_id == id)
            .map(|c| c.name.likeness)
            .expect("case")
    };
    assert_eq!(likeness("SCH-2026-004502"), Likeness::BirthDate);
    assert_eq!(likeness("SCH-2026-009001"), Likeness::BirthDate);
    assert_eq!(likeness("SCH-2026-004532"), Likeness::FirstName);
    // Another patient with the same last name only: the first name shows.
    assert_eq!(likeness("SCH-2026-004501"), Likeness::FirstName);
    assert_eq!(likeness("SCH-2026-004503"), Likeness::Unique);
    // The fixture's own third DUPRÉ François, born another day.
    assert_eq!(likeness("SCH-2026-004539"), Likeness::BirthDate);
    let look_alikes = app
        .data
        .cases
        .iter()
        .filter(|c| c.name.likeness != Likeness::Unique)
        .count();
    // DUPRÉ ×4 (three in the fixture, one added here), BÉRANGER ×2.
    assert_eq!(look_alikes, 6);
}

#[test]
fn look_alike_board_snapshots() {
    for (w, h) in [(80, 24), (120, 40), (160, 40)] {
        let (_d, mut app) = lookalike_app(Lang::En, (w, h));
        select(&mut app, "SCH-2026-009001");
        let s = screen(&app, w, h);
        let rows = [
            row_of(&mut app, &s, "SCH-2026-004502"),
            row_of(&mut app, &s, "SCH-2026-009001"),
            row_of(&mut app, &s, "SCH-2026-004532"),
        ];
        // What tells them apart shows on every row, at every size.
        assert!(rows[0].contains(", 02/07/1956"), "{}", rows[0]);
        assert!(rows[1].contains(", 14/03/1961"), "{}", rows[1]);
        assert!(rows[2].contains("DUPRÉ Françoise"), "{}", rows[2]);
        assert!(!s.contains("DUPRÉ F.,"), "{s}");
        if w >= 120 {
            // The detail pane lends the board the columns the names need.
            assert!(
                rows[0].contains("DUPRÉ François, 02/07/1956"),
                "{}",
                rows[0]
            );
            assert!(
                rows[1].contains("DUPRE Francois, 14/03/1961"),
                "{}",
                rows[1]
            );
            assert!(rows[2].contains("DUPRÉ Françoise, 69"), "{}", rows[2]);
        }
        insta::assert_snapshot!(format!("lookalike_board_en_{w}x{h}"), s);
    }
}

#[test]
fn at_160_columns_the_patient_column_widens_before_the_target_comes_back() {
    let (_d, mut app) = lookalike_app(Lang::En, (160, 40));
    let s = screen(&app, 160, 40);
    // Whole names and birth dates; the target column gives way.
    let row = row_of(&mut app, &s, "SCH-2026-004502");
    assert!(row.contains("DUPRÉ François, 02/07/1956"), "{row}");
    let titles = s
        .lines()
        .nth(usize::from(crate::tui::ui::layout::HEADER_H))
        .expect("column titles");
    assert!(!titles.contains("Target"), "{titles}");
}

#[test]
fn the_detail_always_shows_the_ipp_and_the_full_birth_date() {
    // The French agrees with the sex on file: Francois Dupre is M, Hélène
    // Béranger F.
    for (lang, he, she) in [(Lang::En, "born", "born"), (Lang::Fr, "né le", "née le")] {
        let (_d, mut app) = lookalike_app(lang, (80, 24));
        // A patient no other resembles, too.
        for (id, want) in [
            ("SCH-2026-009001", format!("{he} 14/03/1961 · IPP 80999001")),
            (
                "SCH-2026-004501",
                format!("{she} 14/03/1948 · IPP 80012345"),
            ),
        ] {
            select(&mut app, id);
            key(&mut app, KeyCode::Enter);
            let s = screen(&app, 80, 24);
            assert!(s.contains(&want), "{want} in\n{s}");
            key(&mut app, KeyCode::Esc);
        }
    }
}
