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

/// Focuses the export dialog's file field and types `path` in it.
pub(super) fn export_to(app: &mut App, path: &std::path::Path) {
    key(app, KeyCode::Char('x'));
    for _ in 0..3 {
        key(app, KeyCode::Down);
    }
    assert_eq!(app.context(), Context::ExportFile);
    for _ in 0..300 {
        key(app, KeyCode::Backspace);
    }
    keys(app, &path.display().to_string());
}

fn dialog_error(app: &App) -> String {
    let Some(Overlay::Export(x)) = &app.overlay else {
        panic!("the dialog stays: {:?}", app.flash);
    };
    x.error.clone().expect("a message")
}

#[test]
fn an_existing_file_is_replaced_on_a_second_enter_that_names_it() {
    let (dir, mut app) = app(Lang::En);
    let out = dir.path().join("programme.html");
    std::fs::write(&out, "last week's").expect("write");
    export_to(&mut app, &out);
    key(&mut app, KeyCode::Enter);
    let warning = format!("{} exists: Enter again to replace it.", out.display());
    assert_eq!(dialog_error(&app), warning);
    assert!(screen(&app, 120, 40).contains("exists: Enter again to replace it."));
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "last week's");
    // Changing the name forgets the confirmation, even back to the same name.
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "l");
    key(&mut app, KeyCode::Enter);
    assert_eq!(dialog_error(&app), warning);
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "last week's");
    // The second Enter on the same name replaces it.
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let text = std::fs::read_to_string(&out).expect("replaced");
    assert!(text.contains("<html"), "{text}");
}

#[test]
fn the_screen_never_exports_onto_its_database() {
    let (dir, mut app) = app(Lang::Fr);
    let db = dir.path().join("t.sqlite");
    let before = std::fs::read(&db).expect("db");
    export_to(&mut app, &db);
    for _ in 0..2 {
        key(&mut app, KeyCode::Enter);
        let e = dialog_error(&app);
        assert!(e.contains("est la base de données"), "{e}");
    }
    // A link to it is the database too.
    key(&mut app, KeyCode::Esc);
    let link = dir.path().join("programme.html");
    std::os::unix::fs::symlink(&db, &link).expect("symlink");
    export_to(&mut app, &link);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(dialog_error(&app).contains("est la base de données"));
    assert_eq!(std::fs::read(&db).expect("db"), before);
    // The screen keeps working on it.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(
        audit::verify(app.db(), None),
        Ok(audit::Verdict::Intact { .. })
    ));
}

/// `i` writes the selected case's instruction sheet (md) to a file named
/// from its id, 0600, audited, and says where; never over an existing file.
#[test]
fn i_writes_the_cases_instruction_sheet_and_never_over_a_file() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut app) = app(Lang::Fr);
    app.sheet_dir = dir.path().to_path_buf();
    let id = app
        .current()
        .map(|c| c.stored.file.external_id.clone())
        .expect("a case");
    key(&mut app, KeyCode::Char('i'));
    let path = dir.path().join(format!("{id}.md"));
    let flash = app.flash.as_ref().expect("said").text.clone();
    assert!(flash.contains(&format!("{id}.md")), "{flash}");
    assert!(flash.contains("fiche de consignes"), "{flash}");
    let text = std::fs::read_to_string(&path).expect("the sheet");
    assert!(
        text.starts_with("# Consignes avant votre intervention"),
        "{text}"
    );
    let mode = std::fs::metadata(&path).expect("file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Again: refused, the file untouched.
    std::fs::write(&path, "mine").expect("write");
    key(&mut app, KeyCode::Char('i'));
    let flash = app.flash.as_ref().expect("said");
    assert!(flash.error, "{}", flash.text);
    assert!(flash.text.contains("existe déjà"), "{}", flash.text);
    assert_eq!(std::fs::read_to_string(&path).expect("file"), "mine");
}

#[test]
fn a_leading_tilde_in_the_file_name_is_the_home_folder() {
    let (dir, mut app) = app(Lang::Fr);
    let home = dir.path().join("maison");
    std::fs::create_dir(&home).expect("home");
    // The home is given at start (`$HOME`, read once by `cli`), never read here.
    app.home = Some(home.clone());
    export_to(&mut app, std::path::Path::new("~/programme-s49.html"));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let out = home.join("programme-s49.html");
    assert!(out.exists());
    let flash = app.flash.clone().expect("where it went");
    assert!(flash.text.contains(&out.display().to_string()), "{flash:?}");
}
