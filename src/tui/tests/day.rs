//! `d` on a validated case whose day has come (issue 15 §1): the form,
//! what Enter records (audited, through `storage::day`), the refusals in
//! the status line and in the form, and the detail pane's section.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::domain::clock::Clock;
use crate::domain::outcome::Outcome as DayOutcome;
use crate::domain::vocab::ReasonCode;

/// Complete in the fixture: Monday 2026-11-30 08:00, Dr Martin.
const CASE: &str = "SCH-2026-004501";
/// Blocking: Tuesday 2026-12-01, validated by an override.
const OTHER: &str = "SCH-2026-004509";
/// Blocking: left undecided.
const UNDECIDED: &str = "SCH-2026-004503";

/// The fixture with `CASE` and `OTHER` (by an override) validated on the committee's
/// Thursday, and the app on the fixture week opened on Friday 2026-12-04
/// (the week is past).
fn after_the_week(lang: Lang) -> (tempfile::TempDir, App) {
    let (dir, path) = crate::testkit::fixture_db_as("t.sqlite");
    let mut db = Db::open(&path, clock()).expect("open");
    for id in [CASE, OTHER] {
        crate::decide::decide_external(
            &mut db,
            id,
            crate::decide::Request::Validate {
                override_justification: Some("seen by the operator".into()),
            },
        )
        .expect("validated");
    }
    drop(db);
    let friday = NaiveDate::from_ymd_opt(2026, 12, 4).expect("day");
    let db = Db::open(&path, Clock::Fixed(friday)).expect("open");
    let week: Week = WEEK.parse().expect("week");
    let opts = Options {
        lang,
        theme: Theme::colour(),
        mouse: false,
    };
    let app = App::new(db, week, opts, (120, 40)).expect("app");
    (dir, app)
}

fn day_of(app: &App, id: &str) -> Option<crate::domain::outcome::DayRow> {
    crate::storage::read::by_external_id(app.db(), id)
        .expect("case")
        .day
}

#[test]
fn d_records_a_performed_procedure_and_its_complication_and_the_detail_shows_it() {
    let (_d, mut app) = after_the_week(Lang::En);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('d'));
    assert!(
        matches!(app.overlay, Some(Overlay::Day(_))),
        "{:?}",
        app.flash
    );
    insta::assert_snapshot!("day_form_en_120x40", screen(&app, 120, 40));
    // Outcome, when, operator, techniques (one more done), anaesthesia
    // (the next one), minutes, complication, what happened.
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    keys(&mut app, ", neurolysis");
    key(&mut app, KeyCode::Tab);
    let planned = match &app.overlay {
        Some(Overlay::Day(s)) => s.anaesthesia,
        _ => panic!("no form"),
    };
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "45");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "hématome au point de ponction");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let flash = app.flash.clone().expect("a message").text;
    assert_eq!(
        flash,
        "SCH-2026-004501: day of procedure recorded (version 2)"
    );
    let day = day_of(&app, CASE).expect("recorded");
    match &day.record.outcome {
        DayOutcome::Performed(p) => {
            assert_eq!(p.at.to_string(), "2026-11-30 08:00:00");
            assert_eq!(
                (p.operator.as_str(), p.duration_min),
                ("Dr Martin", Some(45))
            );
            assert!(
                p.techniques
                    .contains(&crate::domain::vocab::Technique::Neurolysis),
                "{:?}",
                p.techniques
            );
            assert_ne!(p.anaesthesia, planned);
        }
        other => panic!("{other:?}"),
    }
    let c = day.record.complication.expect("complication");
    assert_eq!(
        (c.grade.get(), c.text.as_str()),
        (2, "hématome au point de ponction")
    );
    let audited: Vec<String> = audit::list(app.db(), None)
        .expect("audit")
        .into_iter()
        .filter(|r| r.action.starts_with("outcome."))
        .map(|r| r.action)
        .collect();
    assert_eq!(audited, ["outcome.record", "outcome.complication"]);
    // The section comes last in the detail: a tall terminal shows it.
    let shown = screen(&app, 120, 90);
    assert!(shown.contains("Day of procedure"), "{shown}");
    assert!(shown.contains("complication: CIRSE grade 2"), "{shown}");
    // Opened again: what is recorded; Enter with nothing changed writes
    // nothing.
    key(&mut app, KeyCode::Char('d'));
    let Some(Overlay::Day(s)) = &app.overlay else {
        panic!("no form")
    };
    assert_eq!(s.version, Some(2));
    assert_eq!(s.shown(crate::tui::app::DayField::Duration, Lang::En), "45");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(day_of(&app, CASE).expect("day").version, 2);
}

#[test]
fn d_records_a_procedure_not_performed_only_with_its_coded_reason() {
    let (_d, mut app) = after_the_week(Lang::En);
    select(&mut app, OTHER);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Day(s)) = &app.overlay else {
        panic!("the form closed")
    };
    assert_eq!(
        s.error.as_deref(),
        Some("a procedure not performed needs its coded reason")
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let day = day_of(&app, OTHER).expect("recorded");
    assert!(
        matches!(
            &day.record.outcome,
            DayOutcome::NotPerformed(n) if n.reason == ReasonCode::DrugNotStopped
        ),
        "{day:?}"
    );
}

#[test]
fn d_is_refused_on_a_case_not_validated_and_on_a_day_to_come() {
    let (_d, mut app) = after_the_week(Lang::En);
    select(&mut app, UNDECIDED);
    key(&mut app, KeyCode::Char('d'));
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("a message");
    assert!(flash.error);
    assert!(
        flash.text.contains("is not validated by the committee"),
        "{}",
        flash.text
    );
    // On the committee's Thursday, the week is still to come.
    let (_d, mut app) = super::app(Lang::En);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('d'));
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("a message");
    assert!(flash.text.contains("after today"), "{}", flash.text);
}

/// The form offers what the role records: a radiographer the day without
/// the complication, an anaesthetist the complication of a performed
/// procedure only.
#[test]
fn d_offers_what_the_role_records() {
    use crate::tui::app::DayField::*;
    let (_d, mut app) = after_the_week(Lang::En);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let login = crate::storage::identity::login();
    for (role, fields) in [
        (
            "radiographer",
            vec![Outcome, At, Operator, Techniques, Anaesthesia, Duration],
        ),
        ("anaesthetist", vec![Grade, ComplicationText]),
        (
            "chair",
            vec![
                Outcome,
                At,
                Operator,
                Techniques,
                Anaesthesia,
                Duration,
                Grade,
                ComplicationText,
            ],
        ),
    ] {
        app.db_mut_for_tests()
            .write(|w| {
                w.tx().execute(
                    "INSERT OR IGNORE INTO users (login, name, role, created_at)
                     VALUES ('boss', 'Boss', 'chair', 'x')",
                    [],
                )?;
                w.tx().execute(
                    "UPDATE users SET role = ?2 WHERE login = ?1",
                    [login.as_str(), role],
                )?;
                Ok::<_, crate::storage::StorageError>(())
            })
            .expect("role");
        app.role = crate::domain::roles::Role::parse(role);
        key(&mut app, KeyCode::Char('d'));
        let Some(Overlay::Day(s)) = &app.overlay else {
            panic!("{role}: {:?}", app.flash)
        };
        assert_eq!(s.fields(), fields, "{role}");
        key(&mut app, KeyCode::Esc);
    }
    // The anaesthetist records the complication.
    app.db_mut_for_tests()
        .write(|w| {
            w.tx().execute(
                "UPDATE users SET role = 'anaesthetist' WHERE login = ?1",
                [login.as_str()],
            )?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .expect("role");
    app.role = Some(crate::domain::roles::Role::Anaesthetist);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "malaise vagal");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let c = day_of(&app, CASE)
        .and_then(|d| d.record.complication)
        .expect("complication");
    assert_eq!((c.grade.get(), c.text.as_str()), (1, "malaise vagal"));
    // A viewer may not open it.
    app.db_mut_for_tests()
        .write(|w| {
            w.tx().execute(
                "UPDATE users SET role = 'viewer' WHERE login = ?1",
                [login.as_str()],
            )?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .expect("role");
    app.role = Some(crate::domain::roles::Role::Viewer);
    key(&mut app, KeyCode::Char('d'));
    assert!(app.overlay.is_none());
    assert!(
        app.flash.as_ref().is_some_and(|f| f.error),
        "{:?}",
        app.flash
    );
}

/// The form in French, on a procedure not performed: its coded reason.
#[test]
fn the_form_in_french() {
    let (_d, mut app) = after_the_week(Lang::Fr);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    insta::assert_snapshot!("day_form_fr_120x40", screen(&app, 120, 40));
}

/// A technique word the form does not know is refused in the form, with
/// the words it knows; nothing is written.
#[test]
fn d_refuses_an_unknown_technique() {
    let (_d, mut app) = after_the_week(Lang::En);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('d'));
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    keys(&mut app, ", magic");
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Day(s)) = &app.overlay else {
        panic!("the form stays open")
    };
    let e = s.error.clone().unwrap_or_default();
    assert!(
        e.contains("unknown technique") && e.contains("vertebroplasty"),
        "{e}"
    );
    assert!(day_of(&app, CASE).is_none());
}
