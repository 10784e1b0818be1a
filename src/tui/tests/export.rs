//! Attendance (`a`) and export (`x`) from the screen.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::tui::keys::Context;

#[test]
fn the_chair_records_who_attends_and_the_minutes_list_them() {
    let (dir, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(app.context(), Context::Attendance);
    // Tick the first user (the chair), then type a guest.
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Down);
    assert_eq!(app.context(), Context::AttendanceName);
    keys(&mut app, "Dr Anne Roussel (anaesthesia)");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("attendance_en", screen(&app, 120, 40));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let meeting = crate::storage::exports::meeting(app.db(), WEEK.parse().expect("week"))
        .expect("read")
        .expect("recorded");
    assert_eq!(meeting.people.len(), 2);
    assert_eq!(meeting.people[1].name, "Dr Anne Roussel (anaesthesia)");
    // Export the minutes from the screen.
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.context(), Context::Export);
    key(&mut app, KeyCode::Right); // csv
    key(&mut app, KeyCode::Right); // ics
    key(&mut app, KeyCode::Right); // json
    key(&mut app, KeyCode::Right); // md
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Right); // minutes
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.context(), Context::ExportFile);
    let out = dir.path().join("minutes.md");
    for _ in 0..300 {
        key(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, &out.display().to_string());
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let flash = app.flash.clone().expect("where it went");
    assert!(flash.text.contains("minutes.md"), "{flash:?}");
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("Dr Anne Roussel (anaesthesia)"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&out).expect("file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn minutes_in_csv_are_refused_in_the_dialog() {
    let (_d, mut app) = app(Lang::Fr);
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Right); // csv
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Right); // minutes
    insta::assert_snapshot!("export_dialog_fr", screen(&app, 120, 40));
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Export(x)) = &app.overlay else {
        panic!("the dialog stays");
    };
    assert!(x.error.as_deref().is_some_and(|e| e.contains("html ou md")));
}

#[test]
fn a_secretary_may_not_record_attendance() {
    let (_d, mut app) = app(Lang::En);
    become_secretary(&mut app);
    key(&mut app, KeyCode::Char('a'));
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("why");
    assert!(flash.error && flash.text.contains("chair"), "{flash:?}");
}
