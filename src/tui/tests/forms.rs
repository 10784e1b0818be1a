//! The dossier forms and the rules table, driven by keys: saving, a value
//! refused on the spot, a conflict with someone else's save, drafts, roles.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::edit::FieldError;
use crate::domain::record::EvidenceKind;
use crate::domain::rules::Item;
use crate::tui::keys::Context;

fn ctrl(app: &mut App, c: char) {
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

/// Opens the form of `kind` on the selected case (e, then down to it, Enter).
pub(super) fn open_form(app: &mut App, kind: EvidenceKind) {
    key(app, KeyCode::Char('e'));
    assert_eq!(app.context(), Context::Picker);
    let n = EvidenceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("a kind");
    for _ in 0..n {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::Form(_))),
        "{:?}",
        app.flash
    );
}

/// Opens the coagulation form and types `inr` in its INR field.
fn type_inr(app: &mut App, inr: &str) {
    open_form(app, EvidenceKind::Coagulation);
    key(app, KeyCode::Tab);
    retype(app, inr);
}

/// Replaces the text of the focused field.
fn retype(app: &mut App, text: &str) {
    for _ in 0..40 {
        key(app, KeyCode::Backspace);
    }
    keys(app, text);
}

fn coagulation(app: &App, external_id: &str) -> Option<crate::domain::model::Coagulation> {
    crate::storage::read::by_external_id(app.db(), external_id)
        .expect("case")
        .file
        .coagulation
}

fn item_blocking(app: &App, external_id: &str, item: Item) -> bool {
    app.data
        .cases
        .iter()
        .find(|c| c.stored.file.external_id == external_id)
        .and_then(|c| c.assessment.dossier.item(item))
        .is_some_and(|r| r.is_blocking())
}

#[test]
fn recording_a_coagulation_saves_it_audits_it_and_the_flag_follows() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004504");
    assert!(item_blocking(&app, "SCH-2026-004504", Item::Coagulation));
    open_form(&mut app, EvidenceKind::Coagulation);
    keys(&mut app, "2026-11-24");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "1,1");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "210");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved and closed");
    let c = coagulation(&app, "SCH-2026-004504").expect("recorded");
    assert_eq!((c.inr, c.platelets_g_l), (Some(1.1), Some(210.0)));
    assert!(!item_blocking(&app, "SCH-2026-004504", Item::Coagulation));
    assert!(
        actions_of(&app, "SCH-2026-004504").contains(&"evidence.coagulation".to_owned()),
        "audited"
    );
    assert!(app.flash.as_ref().is_some_and(|f| f.text.contains("Saved")));
}

#[test]
fn an_inr_of_40_is_refused_on_the_spot_and_nothing_is_saved() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    type_inr(&mut app, "40");
    key(&mut app, KeyCode::Tab);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("the form stays open");
    };
    assert_eq!(f.focus, (0, 1), "the cursor stays on the refused field");
    insta::assert_snapshot!("form_refused_inr_en", screen(&app, 120, 40));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Form(_))), "not saved");
    assert_eq!(
        coagulation(&app, "SCH-2026-004501").and_then(|c| c.inr),
        Some(1.05)
    );
    // A date in 2062 too.
    key(&mut app, KeyCode::BackTab);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(f.focus, (0, 1), "cannot leave the refused field");
    retype(&mut app, "1.2");
    key(&mut app, KeyCode::BackTab);
    retype(&mut app, "2062-01-01");
    key(&mut app, KeyCode::Tab);
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("date out of range (1900-01-01 to 2036-11-26)"),
        "{s}"
    );
}

#[test]
fn a_form_in_french_with_choices() {
    let (_d, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004504");
    open_form(&mut app, EvidenceKind::Imaging);
    // Kind of examination: a choice, by arrow or by letter.
    assert_eq!(app.context(), Context::Choice);
    key(&mut app, KeyCode::Right);
    keys(&mut app, "m");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2026-11-20");
    insta::assert_snapshot!("form_imaging_fr", screen(&app, 120, 40));
    ctrl(&mut app, 'n');
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(f.form.groups.len(), 2, "a line added");
    assert_eq!(f.focus, (1, 0), "on the new line");
    insta::assert_snapshot!("form_imaging_new_line_fr", screen(&app, 120, 40));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let imaging = crate::storage::read::by_external_id(app.db(), "SCH-2026-004504")
        .expect("case")
        .file
        .imaging
        .expect("imaging");
    assert!(
        imaging.len() == 1
            && imaging[0].kind.as_str() == "mri"
            && imaging[0].at.to_string() == "2026-11-20",
        "the blank line is not saved: {imaging:?}"
    );
}

/// Someone else saves the coagulation of 004501 (another connection).
fn someone_else_saves(dir: &tempfile::TempDir, json: &str) {
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let id = crate::storage::read::by_external_id(&other, "SCH-2026-004501")
        .expect("case")
        .id;
    let version = crate::storage::read::by_external_id(&other, "SCH-2026-004501")
        .expect("case")
        .recorded
        .iter()
        .find(|r| r.kind == EvidenceKind::Coagulation)
        .map(|r| r.version);
    other
        .write(|w| {
            crate::storage::cases::set_evidence(w, id, EvidenceKind::Coagulation, json, version)
        })
        .expect("their save");
}

#[test]
fn a_conflict_shows_theirs_against_mine_and_mine_can_be_reapplied_on_top() {
    let (dir, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    type_inr(&mut app, "1.3");
    someone_else_saves(
        &dir,
        r#"{"at":"2026-11-25T07:45","inr":1.5,"platelets_g_l":90}"#,
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Conflict);
    insta::assert_snapshot!("form_conflict_en", screen(&app, 120, 40));
    // Nothing of mine written yet: theirs stands.
    assert_eq!(
        coagulation(&app, "SCH-2026-004501").and_then(|c| c.inr),
        Some(1.5)
    );
    keys(&mut app, "r");
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let c = coagulation(&app, "SCH-2026-004501").expect("coagulation");
    assert_eq!(
        (c.inr, c.platelets_g_l),
        (Some(1.3), Some(90.0)),
        "my INR on top of their platelets"
    );
}

#[test]
fn keeping_theirs_drops_mine_and_going_back_keeps_it_unsaved() {
    let (dir, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    type_inr(&mut app, "1.3");
    someone_else_saves(&dir, r#"{"at":"2026-11-25T07:45","inr":1.5}"#);
    key(&mut app, KeyCode::Enter);
    // Back to editing: my value on top of theirs, not saved yet.
    keys(&mut app, "e");
    assert_eq!(app.context(), Context::Form);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(f.value(0, 1), "1.3");
    assert_eq!(
        coagulation(&app, "SCH-2026-004501").and_then(|c| c.inr),
        Some(1.5)
    );
    // They save again; this time I keep theirs.
    someone_else_saves(&dir, r#"{"at":"2026-11-25T07:45","inr":1.6}"#);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Conflict);
    keys(&mut app, "t");
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("the form shows theirs");
    };
    assert_eq!(f.value(0, 1), "1.6");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(
        coagulation(&app, "SCH-2026-004501").and_then(|c| c.inr),
        Some(1.6)
    );
}

#[test]
fn an_unsaved_form_is_kept_as_a_draft_and_comes_back() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    type_inr(&mut app, "1.4");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(
        coagulation(&app, "SCH-2026-004501").and_then(|c| c.inr),
        Some(1.05),
        "Esc saves nothing"
    );
    open_form(&mut app, EvidenceKind::Coagulation);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("open");
    };
    assert_eq!(f.value(0, 1), "1.4", "the draft is back");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        coagulation(&app, "SCH-2026-004501").and_then(|c| c.inr),
        Some(1.4)
    );
}

#[test]
fn forms_the_role_may_not_fill_are_refused_with_the_reason() {
    let (_d, mut app) = app(Lang::En);
    become_role(&mut app, "radiologist");
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('e'));
    // Anaesthesia consultation: an anaesthetist, or a transcription by the
    // chair, a radiographer or a secretary; not an IR radiologist.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(!matches!(app.overlay, Some(Overlay::Form(_))));
    let flash = app.flash.clone().expect("why");
    assert!(
        flash.error && flash.text.contains("anaesthetist") && flash.text.contains("secretary"),
        "{flash:?}"
    );
    // Imaging: a radiologist may.
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Form(_))));
}

#[test]
fn a_chair_changes_a_rule_from_the_screen_and_the_flags_follow() {
    let (_d, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char('R'));
    assert_eq!(app.context(), Context::Rules);
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    let at = r
        .rows
        .iter()
        .position(|row| {
            row.rule == "coagulation.inr_max" && row.risk.is_some_and(|x| x.as_str() == "high")
        })
        .expect("an INR row");
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::RuleEdit);
    retype(&mut app, "abc");
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    assert!(
        r.error
            .as_deref()
            .is_some_and(|e| e.contains("not a number"))
    );
    retype(&mut app, "1");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Rules, "{:?}", app.overlay.is_some());
    let rules = app.db().rules().expect("rules");
    let row = rules
        .rows()
        .iter()
        .find(|row| {
            row.rule == "coagulation.inr_max" && row.risk.is_some_and(|x| x.as_str() == "high")
        })
        .expect("row");
    assert_eq!(row.value, Some(1.0));
    // 004501 (INR 1.05, high risk) now blocks on coagulation.
    assert!(item_blocking(&app, "SCH-2026-004501", Item::Coagulation));
    let audit = audit::list(app.db(), None).expect("audit");
    assert!(audit.iter().any(|a| a.action == "rules.set"));
}

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
