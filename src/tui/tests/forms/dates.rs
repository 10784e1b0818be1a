//! Dates and decimals in the forms: French day first, words and short
//! dates, the decimal comma; English ISO.

use super::*;

#[test]
fn choices_follow_the_letters_shown_in_french() {
    let (_d, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004501");
    open_form(&mut app, EvidenceKind::Consultation);
    // Leaflet given: "o" is "oui".
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "n");
    keys(&mut app, "o");
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(f.value(0, 2), "yes");
}

/// In French a date field shows and takes `JJ/MM/AAAA` (ISO too), holds
/// ISO, and refuses anything else with a French reason.
#[test]
fn a_french_form_takes_and_shows_dates_day_first() {
    let (_d, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004504");
    open_form(&mut app, EvidenceKind::Coagulation);
    let error_at = |app: &App| {
        let Some(Overlay::Form(f)) = &app.overlay else {
            panic!("form");
        };
        f.errors.get(&(0, 0)).cloned()
    };
    for typed in ["31/02/2026", "00/11/2026", "24/11/26", "24-11-2026"] {
        retype(&mut app, typed);
        key(&mut app, KeyCode::Tab);
        assert_eq!(error_at(&app), Some(FieldError::NotADate), "{typed}");
        assert!(
            screen(&app, 120, 40).contains("pas une date valide (JJ/MM/AAAA"),
            "{typed}: {}",
            screen(&app, 120, 40)
        );
        key(&mut app, KeyCode::BackTab);
    }
    retype(&mut app, "24/11/2026");
    key(&mut app, KeyCode::Tab);
    assert_eq!(error_at(&app), None);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("form");
    };
    assert_eq!(f.form.groups[0].values[0], "2026-11-24", "held as ISO");
    assert!(
        screen(&app, 120, 40).contains("24/11/2026"),
        "shown day first"
    );
    keys(&mut app, "1,1");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "210");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    let c = coagulation(&app, "SCH-2026-004504").expect("recorded");
    assert_eq!(c.at.to_string(), "2026-11-24");
    // Opened again, the stored date is shown day first in the text box;
    // ISO is still taken.
    open_form(&mut app, EvidenceKind::Coagulation);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("form");
    };
    assert_eq!(f.input.lines().join(""), "24/11/2026");
    retype(&mut app, "2026-11-23T08:15");
    key(&mut app, KeyCode::Tab);
    assert_eq!(error_at(&app), None);
    key(&mut app, KeyCode::BackTab);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("form");
    };
    assert_eq!(f.input.lines().join(""), "23/11/2026 08:15");
}

/// In French a date field takes `hier` and `JJ/MM` (held as ISO, from the
/// one clock: Thursday 26/11/2026), and a decimal typed with a comma is
/// held with a point and shown back with a comma, saved or not.
#[test]
fn a_french_form_takes_words_short_dates_and_shows_a_comma() {
    let (_d, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004504");
    open_form(&mut app, EvidenceKind::Coagulation);
    let form = |app: &App| match &app.overlay {
        Some(Overlay::Form(f)) => (f.form.groups[0].values.clone(), f.input.lines().join("")),
        _ => panic!("form"),
    };
    for (typed, held) in [("hier", "2026-11-25"), ("23/11", "2026-11-23")] {
        retype(&mut app, typed);
        key(&mut app, KeyCode::Tab);
        assert_eq!(form(&app).0[0], held, "{typed}");
        key(&mut app, KeyCode::BackTab);
    }
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "1,1");
    key(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).0[1], "1.1", "held with a point");
    key(&mut app, KeyCode::BackTab);
    assert_eq!(form(&app).1, "1,1", "shown with a comma");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "210");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    let c = coagulation(&app, "SCH-2026-004504").expect("recorded");
    assert_eq!(c.at.to_string(), "2026-11-23");
    open_form(&mut app, EvidenceKind::Coagulation);
    key(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).1, "1,1", "stored, shown with a comma");
}

/// In English dates stay ISO: day first is not read (07/12 could be July).
#[test]
fn an_english_form_keeps_iso_dates() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004504");
    open_form(&mut app, EvidenceKind::Coagulation);
    keys(&mut app, "24/11/2026");
    key(&mut app, KeyCode::Tab);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("form");
    };
    assert_eq!(f.errors.get(&(0, 0)), Some(&FieldError::NotADate));
}

/// In French the conflict's before, theirs and yours show dates day first.
#[test]
fn a_french_conflict_shows_dates_day_first() {
    let (dir, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004501");
    open_form(&mut app, EvidenceKind::Coagulation);
    retype(&mut app, "24/11/2026");
    key(&mut app, KeyCode::Tab);
    someone_else_saves(
        &dir,
        r#"{"at":"2026-11-25T07:45","inr":1.5,"platelets_g_l":90}"#,
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Conflict);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("25/11/2026 07:45"), "{shown}");
    assert!(shown.contains("24/11/2026"), "{shown}");
    assert!(!shown.contains("2026-11-2"), "{shown}");
}
