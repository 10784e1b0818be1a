//! The medication list's form: none taken, what is merged, going back to
//! what is saved.

use super::*;

fn medications(app: &App, external_id: &str) -> Option<Vec<crate::domain::model::Medication>> {
    crate::storage::read::by_external_id(app.db(), external_id)
        .expect("case")
        .file
        .medications
}

/// A case of the fixture whose medications were never recorded.
fn case_without_medications(app: &App) -> String {
    app.data
        .cases
        .iter()
        .find(|c| c.stored.file.medications.is_none())
        .map(|c| c.stored.file.external_id.clone())
        .expect("a case without medications in the fixture")
}

#[test]
fn none_taken_on_a_list_never_recorded_takes_two_enters() {
    let (_d, mut app) = app(Lang::En);
    let id = case_without_medications(&app);
    select(&mut app, &id);
    open_form(&mut app, EvidenceKind::Medications);
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Enter again records"), "{s}");
    assert_eq!(medications(&app, &id), None, "one Enter records nothing");
    key(&mut app, KeyCode::Esc);
    assert_eq!(medications(&app, &id), None, "Esc records nothing");
    open_form(&mut app, EvidenceKind::Medications);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(
        medications(&app, &id),
        Some(vec![]),
        "none taken, confirmed"
    );
}

#[test]
fn enter_on_an_untouched_form_records_nothing() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    let before = actions_of(&app, "SCH-2026-004501").len();
    open_form(&mut app, EvidenceKind::Coagulation);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert!(
        app.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("Nothing changed"))
    );
    assert_eq!(
        actions_of(&app, "SCH-2026-004501").len(),
        before,
        "no audit row"
    );
}

#[test]
fn recording_none_taken_asks_for_a_confirmation() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004504");
    // 004504 takes aspirin: removing the line records "none taken".
    open_form(&mut app, EvidenceKind::Medications);
    ctrl(&mut app, 'd');
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Enter again records"), "{s}");
    assert_eq!(
        medications(&app, "SCH-2026-004504").map(|m| m.len()),
        Some(1)
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(medications(&app, "SCH-2026-004504"), Some(vec![]));
}

#[test]
fn when_their_lines_differ_nothing_is_merged_blindly() {
    let (dir, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    open_form(&mut app, EvidenceKind::Imaging);
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2026-11-24");
    // They add an examination meanwhile.
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let c = crate::storage::read::by_external_id(&other, "SCH-2026-004501").expect("case");
    let mut imaging = c.file.imaging.clone().expect("imaging");
    imaging.push(crate::domain::model::Imaging {
        kind: crate::domain::vocab::ImagingKind::PetCt,
        at: crate::domain::time::When::parse("2026-11-10").expect("date"),
    });
    let json = serde_json::to_string(&imaging).expect("json");
    let version = c.recorded(EvidenceKind::Imaging).map(|r| r.version);
    other
        .write(|w| {
            crate::storage::cases::set_evidence(w, c.id, EvidenceKind::Imaging, &json, version)
        })
        .expect("their save");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Conflict);
    let s = screen(&app, 120, 40);
    assert!(s.contains("cannot be put on top automatically"), "{s}");
    assert!(!s.contains("r reapply"), "no automatic merge offered: {s}");
    keys(&mut app, "r");
    assert_eq!(app.context(), Context::Conflict, "r does nothing here");
    let imaging = |app: &App| {
        crate::storage::read::by_external_id(app.db(), "SCH-2026-004501")
            .expect("case")
            .file
            .imaging
            .expect("imaging")
    };
    assert_eq!(imaging(&app).len(), 2, "their line is still there");
    // Back to my form: the warning stays while I type, and the save asks again.
    keys(&mut app, "e");
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "4");
    assert!(screen(&app, 120, 40).contains("saving it replaces what they saved"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(imaging(&app).len(), 2, "one Enter is not enough");
    assert!(screen(&app, 120, 40).contains("Enter again saves your form over theirs"));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(imaging(&app).len(), 1, "mine, knowingly");
}

#[test]
fn ctrl_r_goes_back_to_what_is_saved_and_drops_the_draft() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    type_inr(&mut app, "1.4");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('e'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("draft kept"), "the list shows the draft: {s}");
    key(&mut app, KeyCode::Esc);
    open_form(&mut app, EvidenceKind::Coagulation);
    ctrl(&mut app, 'r');
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(f.value(0, 1), "1.05");
    key(&mut app, KeyCode::Esc);
    let draft = crate::storage::drafts::get(
        app.db(),
        app.db().login(),
        crate::storage::read::by_external_id(app.db(), "SCH-2026-004501")
            .expect("case")
            .id,
        crate::storage::drafts::DraftKind::Form(EvidenceKind::Coagulation),
    )
    .expect("read");
    assert!(draft.is_none());
}
