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

mod dates;
mod labs;
mod medications;
