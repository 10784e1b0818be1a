//! The anaesthesia consultation's form, driven by keys: a secretary
//! transcribes it (the anaesthetist's name required, both names kept), the
//! conclusion is asked for every time (a stored one without it included),
//! "fit with conditions" needs its conditions.

use ratatui::crossterm::event::KeyCode;

use super::forms::open_form;
use super::*;
use crate::domain::edit::FieldError;
use crate::domain::model::AnaesthesiaConsult;
use crate::domain::record::EvidenceKind;
use crate::domain::rules::{Item, Severity};
use crate::domain::vocab::Conclusion;

const KIND: EvidenceKind = EvidenceKind::AnaesthesiaConsult;

fn stored(app: &App, external_id: &str) -> Option<AnaesthesiaConsult> {
    crate::storage::read::by_external_id(app.db(), external_id)
        .expect("case")
        .file
        .anaesthesia_consult
}

fn form_error(app: &App) -> Option<(usize, usize, FieldError)> {
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("the form stays open");
    };
    f.errors
        .get(&f.focus)
        .map(|e| (f.focus.0, f.focus.1, e.clone()))
}

fn item(app: &App, external_id: &str) -> crate::domain::rules::ItemResult {
    app.data
        .cases
        .iter()
        .find(|c| c.stored.file.external_id == external_id)
        .and_then(|c| c.assessment.dossier.item(Item::Anaesthesia))
        .cloned()
        .expect("item")
}

#[test]
fn a_secretary_transcribes_the_consultation_naming_the_anaesthetist() {
    let (_d, mut app) = app(Lang::En);
    become_secretary(&mut app);
    // General anaesthesia, no consultation on file.
    select(&mut app, "SCH-2026-004508");
    open_form(&mut app, KIND);
    assert!(
        screen(&app, 120, 40).contains("Transcription by [login]: name the anaesthetist"),
        "{}",
        screen(&app, 120, 40)
    );
    keys(&mut app, "2026-11-25");
    key(&mut app, KeyCode::Tab);
    // The anaesthetist left blank: refused on the spot.
    key(&mut app, KeyCode::Tab);
    assert_eq!(
        form_error(&app),
        Some((0, 1, FieldError::TranscriptionNeedsName))
    );
    keys(&mut app, "Dr Roussel");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    let a = stored(&app, "SCH-2026-004508").expect("recorded");
    assert_eq!(a.anaesthetist.as_deref(), Some("Dr Roussel"));
    let login = crate::storage::identity::login();
    assert_eq!(a.transcribed_by.as_deref(), Some(login.as_str()));
    assert_eq!(a.conclusion, Some(Conclusion::Fit));
    let r = item(&app, "SCH-2026-004508");
    assert_eq!(r.severity, Severity::None, "{}", r.message(Lang::En));
    assert!(
        r.message(Lang::En)
            .contains(&format!("Dr Roussel, transcribed by {login}")),
        "{}",
        r.message(Lang::En)
    );
    let s = screen(&app, 200, 50);
    assert!(
        s.contains("transcribed by [login]"),
        "the detail says it: {s}"
    );
}

#[test]
fn fit_with_conditions_needs_its_conditions_and_advises() {
    let (_d, mut app) = app(Lang::En);
    become_role(&mut app, "anaesthetist");
    select(&mut app, "SCH-2026-004508");
    open_form(&mut app, KIND);
    keys(&mut app, "2026-11-25");
    // An anaesthetist's own: no name needed, no transcription.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    assert_eq!(form_error(&app), Some((0, 3, FieldError::Required)));
    assert_eq!(stored(&app, "SCH-2026-004508"), None, "nothing saved");
    keys(&mut app, "à jeun 6 h");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    let a = stored(&app, "SCH-2026-004508").expect("recorded");
    assert_eq!(
        (a.conclusion, a.conditions.as_deref(), a.transcribed_by),
        (
            Some(Conclusion::FitWithConditions),
            Some("à jeun 6 h"),
            None
        )
    );
    let r = item(&app, "SCH-2026-004508");
    assert_eq!(r.severity, Severity::Advisory);
    assert!(
        r.message(Lang::En)
            .starts_with("fit with conditions: à jeun 6 h")
    );
}

#[test]
fn a_stored_consultation_without_a_conclusion_is_asked_for_it() {
    let (_d, mut app) = app(Lang::En);
    become_role(&mut app, "anaesthetist");
    select(&mut app, "SCH-2026-004501");
    let before = stored(&app, "SCH-2026-004501").expect("on file");
    assert_eq!(
        before.conclusion, None,
        "the fixture's: from before the field"
    );
    open_form(&mut app, KIND);
    key(&mut app, KeyCode::Enter);
    assert_eq!(form_error(&app), Some((0, 2, FieldError::Required)));
    // Not fit: blocking.
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
    let a = stored(&app, "SCH-2026-004501").expect("recorded");
    assert_eq!(a.conclusion, Some(Conclusion::NotFit));
    assert_eq!(a.anaesthetist, before.anaesthetist);
    let r = item(&app, "SCH-2026-004501");
    assert_eq!(
        (r.severity, r.code()),
        (Severity::Blocking, "anaesthesia.not_fit")
    );
}

/// The form as a secretary sees it, in French: a transcription, the
/// anaesthetist's name marked required, the conclusion to choose.
#[test]
fn the_transcription_form_in_french() {
    let (_d, mut app) = app(Lang::Fr);
    become_secretary(&mut app);
    select(&mut app, "SCH-2026-004508");
    open_form(&mut app, KIND);
    keys(&mut app, "25/11/2026");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "Dr Roussel");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    insta::assert_snapshot!("form_anaesthesia_transcription_fr", screen(&app, 120, 40));
}
