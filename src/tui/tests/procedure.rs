//! The procedure form: the access route, recorded from the list of forms
//! (`e`, its last line), audited, with the coagulation flag following.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::domain::rules::Item;
use crate::domain::vocab::Access;
use crate::tui::keys::Context;

/// The embolisation of the fixture week, sent `low` with no access.
const EMBOLISATION: &str = "SCH-2026-004516";

/// e, then up to the last line (the procedure form), Enter.
fn open_procedure(app: &mut App) {
    key(app, KeyCode::Char('e'));
    assert_eq!(app.context(), Context::Picker);
    key(app, KeyCode::Up);
    key(app, KeyCode::Enter);
}

fn access(app: &App) -> Option<Access> {
    crate::storage::read::by_external_id(app.db(), EMBOLISATION)
        .expect("case")
        .file
        .procedure
        .access
}

fn coagulation_codes(app: &App) -> Vec<&'static str> {
    app.data
        .cases
        .iter()
        .find(|c| c.stored.file.external_id == EMBOLISATION)
        .and_then(|c| c.assessment.dossier.item(Item::Coagulation))
        .map(|r| r.findings.iter().map(|f| f.code).collect())
        .unwrap_or_default()
}

#[test]
fn the_access_is_recorded_in_the_procedure_form_and_the_flag_follows() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, EMBOLISATION);
    assert!(coagulation_codes(&app).contains(&"coagulation.access_missing"));
    key(&mut app, KeyCode::Char('e'));
    insta::assert_snapshot!("procedure_picker_en", screen(&app, 120, 40));
    key(&mut app, KeyCode::Esc);
    open_procedure(&mut app);
    assert!(
        matches!(app.overlay, Some(Overlay::Procedure(_))),
        "{:?}",
        app.flash
    );
    assert_eq!(app.context(), Context::Procedure);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    insta::assert_snapshot!("procedure_form_en", screen(&app, 120, 40));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved and closed: {:?}", app.flash);
    assert_eq!(access(&app), Some(Access::Radial));
    assert!(actions_of(&app, EMBOLISATION).contains(&"case.access".to_owned()));
    assert!(!coagulation_codes(&app).contains(&"coagulation.access_missing"));
    // The list says what is recorded, and who recorded it.
    key(&mut app, KeyCode::Char('e'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Procedure (access route)"), "{s}");
    assert!(s.contains("radial · by [login]"), "{s}");
}

#[test]
fn an_unsaved_choice_is_dropped_only_at_the_second_escape() {
    let (_d, mut app) = app(Lang::Fr);
    select(&mut app, EMBOLISATION);
    open_procedure(&mut app);
    // A letter chooses: v, "veineux".
    keys(&mut app, "v");
    let Some(Overlay::Procedure(p)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(p.chosen, Some(Access::Venous));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay, Some(Overlay::Procedure(_))), "asks");
    insta::assert_snapshot!("procedure_form_confirm_drop_fr", screen(&app, 80, 24));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(access(&app), None, "nothing written");
}

#[test]
fn a_role_that_may_not_record_evidence_is_told_why() {
    let (_d, mut app) = app(Lang::En);
    let login = crate::storage::identity::login();
    app.db_mut_for_tests()
        .write(|w| {
            w.tx().execute("INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')", [])?;
            w.tx().execute("UPDATE users SET role = 'anaesthetist' WHERE login = ?1", [&login])?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .expect("roles");
    app.role = app.db().role().expect("role");
    select(&mut app, EMBOLISATION);
    open_procedure(&mut app);
    assert!(!matches!(app.overlay, Some(Overlay::Procedure(_))));
    let flash = app.flash.clone().expect("why");
    assert!(
        flash.error && flash.text.contains("radiologist"),
        "{flash:?}"
    );
    assert_eq!(access(&app), None);
}
