//! Typing text (issue 9): Ctrl-J and Alt-Enter break the line in a field
//! that holds several (a traced consent's "what was said"), and never
//! discard what was typed in a one-line field; pasted line breaks.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::record::EvidenceKind;
use crate::tui::keys::Context;

fn ctrl_j(app: &mut App) {
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char('j'),
        KeyModifiers::CONTROL,
    )));
}

fn alt_enter(app: &mut App) {
    app.handle_event(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)));
}

/// Every key that would break a line, as terminals send them.
fn line_breaks(app: &mut App) {
    ctrl_j(app);
    alt_enter(app);
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char('m'),
        KeyModifiers::CONTROL,
    )));
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char('\n'),
        KeyModifiers::NONE,
    )));
}

/// The case with a traced consent, its consultation form open on the field
/// `key` (the text there is cleared).
fn consultation_on(app: &mut App, field: &str) {
    select(app, "SCH-2026-004529");
    key(app, KeyCode::Char('e'));
    key(app, KeyCode::Enter);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("the consultation form");
    };
    assert_eq!(f.kind, EvidenceKind::Consultation);
    let at = crate::domain::edit::GroupKind::Consultation
        .fields()
        .iter()
        .position(|s| s.key == field)
        .expect("a field");
    for _ in 0..at {
        key(app, KeyCode::Tab);
    }
    assert_eq!(app.context(), Context::Form);
    for _ in 0..300 {
        key(app, KeyCode::Backspace);
    }
}

fn consent(app: &App) -> crate::domain::model::Consent {
    crate::storage::read::by_external_id(app.db(), "SCH-2026-004529")
        .expect("case")
        .file
        .consultation
        .and_then(|c| c.consent)
        .expect("a consent")
}

#[test]
fn ctrl_j_in_what_was_said_starts_a_new_line_and_both_sentences_are_saved() {
    let (_d, mut app) = app(Lang::En);
    consultation_on(&mut app, "consent_details");
    keys(&mut app, "Information lue à voix haute.");
    ctrl_j(&mut app);
    keys(&mut app, "Accord oral devant sa fille.");
    alt_enter(&mut app);
    keys(&mut app, "Fiche remise.");
    let s = screen(&app, 120, 40);
    assert!(s.contains("Information lue à voix haute."), "{s}");
    assert!(s.contains("Accord oral devant sa fille."), "{s}");
    insta::assert_snapshot!("form_consent_details_en_80x24", screen(&app, 80, 24));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    assert_eq!(
        consent(&app).details.as_deref(),
        Some("Information lue à voix haute.\nAccord oral devant sa fille.\nFiche remise.")
    );
    // Opened again, the lines are there, and saving unchanged changes nothing.
    consultation_on_again(&mut app);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert!(
        app.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("Nothing changed")),
        "{:?}",
        app.flash
    );
}

/// The form opened again, the cursor left on its first field.
fn consultation_on_again(app: &mut App) {
    key(app, KeyCode::Char('e'));
    key(app, KeyCode::Enter);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("the consultation form");
    };
    let details = f.value(0, 6);
    assert_eq!(
        details,
        "Information lue à voix haute.\nAccord oral devant sa fille.\nFiche remise."
    );
}

#[test]
fn a_line_break_in_a_one_line_field_does_nothing_and_keeps_the_text() {
    let (_d, mut app) = app(Lang::En);
    consultation_on(&mut app, "consent_by");
    keys(&mut app, "Dr Benali");
    line_breaks(&mut app);
    keys(&mut app, " et Mme Roux");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    assert_eq!(consent(&app).by.as_deref(), Some("Dr Benali et Mme Roux"));
}

#[test]
fn a_line_break_in_the_other_one_line_boxes_keeps_the_text() {
    let (_d, mut app) = app(Lang::En);
    // The attendance's name line.
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Down);
    assert_eq!(app.context(), Context::AttendanceName);
    keys(&mut app, "Dr Anne");
    line_breaks(&mut app);
    keys(&mut app, " Roussel");
    let Some(Overlay::Attendance(a)) = &app.overlay else {
        panic!("attendance");
    };
    assert_eq!(a.input.lines(), ["Dr Anne Roussel"]);
    key(&mut app, KeyCode::Esc);
    // A rule's value.
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::RuleEdit);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "4");
    line_breaks(&mut app);
    keys(&mut app, "2");
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    assert_eq!(
        r.editing.as_ref().map(|i| i.lines().to_vec()),
        Some(vec!["42".to_owned()])
    );
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    // A postponement's target week.
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Tab);
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("the postpone dialog");
    };
    let week = d.week_text();
    line_breaks(&mut app);
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("the postpone dialog");
    };
    assert_eq!(d.week.lines(), [week.as_str()]);
}

#[test]
fn pasted_lines_stay_lines_in_what_was_said_and_join_in_a_one_line_field() {
    let (_d, mut app) = app(Lang::En);
    consultation_on(&mut app, "consent_details");
    app.handle_event(Event::Paste("Lu à voix haute.\r\nAccord oral.".into()));
    key(&mut app, KeyCode::BackTab); // consent_at
    key(&mut app, KeyCode::BackTab); // consent_by
    for _ in 0..300 {
        key(&mut app, KeyCode::Backspace);
    }
    app.handle_event(Event::Paste("Dr Benali\nMme Roux".into()));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    let c = consent(&app);
    assert_eq!(c.details.as_deref(), Some("Lu à voix haute.\nAccord oral."));
    assert_eq!(c.by.as_deref(), Some("Dr Benali Mme Roux"));
}

/// The form's value of `field` in the consultation form.
fn consultation_value(app: &App, field: &str) -> String {
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("the consultation form");
    };
    let at = crate::domain::edit::GroupKind::Consultation
        .fields()
        .iter()
        .position(|s| s.key == field)
        .expect("a field");
    f.value(0, at)
}

#[test]
fn a_value_wider_than_its_field_ends_with_an_ellipsis_and_stays_whole() {
    let (_d, mut app) = app(Lang::Fr);
    consultation_on(&mut app, "radiologist");
    let name = "Dr Marie-Bénédicte de La Tour d'Auvergne-Lauraguais";
    keys(&mut app, name);
    // On another field, the name shows as far as the field allows, then "…".
    key(&mut app, KeyCode::Tab);
    let s = screen(&app, 120, 40);
    let row = s
        .lines()
        .find(|l| l.contains("Radiologue"))
        .expect("the field's row");
    let shown: String = name.chars().take(23).chain(['…']).collect();
    assert!(row.contains(&shown), "{shown} in {row}");
    assert!(!s.contains(name));
    // The value itself is whole.
    assert_eq!(consultation_value(&app, "radiologist"), name);
    // A text on several lines longer than its rows: its last row ends with "…".
    let (_d2, mut app) = super::app(Lang::Fr);
    consultation_on(&mut app, "consent_details");
    let said: Vec<String> = (1..=6).map(|i| format!("Phrase numéro {i}.")).collect();
    for (i, line) in said.iter().enumerate() {
        if i > 0 {
            ctrl_j(&mut app);
        }
        keys(&mut app, line);
    }
    key(&mut app, KeyCode::Tab);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Phrase numéro 3."), "{s}");
    assert!(s.contains("Phrase numéro 4.…"), "{s}");
    assert!(!s.contains("Phrase numéro 5."), "{s}");
    assert_eq!(consultation_value(&app, "consent_details"), said.join("\n"));
}
