//! `r` on a case to reschedule (issue 14 §3): the form proposes the same
//! weekday, time and room in the week the case was postponed to; each
//! field is checked when the cursor leaves it; Enter gives the case its
//! slot (audited), and it is then an ordinary pending case of that week.

use ratatui::crossterm::event::KeyCode;

use super::*;

/// A complete case of the fixture week: Tuesday 2026-12-01.
const CASE: &str = "SCH-2026-004509";

/// Postpones `CASE` to 2026-W50 and goes there, the case selected (at
/// the top, to reschedule).
fn postponed(lang: Lang) -> (tempfile::TempDir, App) {
    let (d, mut app) = app(lang);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('p'));
    keys(&mut app, "IRM en panne");
    coded(&mut app, 7);
    key(&mut app, KeyCode::Enter);
    assert_eq!(status_of(&app, CASE), DecisionStatus::Postponed);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.week().to_string(), "2026-W50");
    select(&mut app, CASE);
    assert!(app.current().is_some_and(|c| c.to_reschedule));
    (d, app)
}

/// Empties the field with the cursor.
fn clear(app: &mut App) {
    for _ in 0..60 {
        key(app, KeyCode::Backspace);
    }
}

fn form(app: &App) -> &crate::tui::app::RescheduleState {
    match &app.overlay {
        Some(Overlay::Reschedule(r)) => r,
        _ => panic!("no reschedule form: {:?}", app.flash),
    }
}

#[test]
fn a_case_to_reschedule_gets_its_slot_from_the_screen() {
    let (_d, mut app) = postponed(Lang::Fr);
    // The board offers the key on this case only.
    let board = screen(&app, 120, 40);
    assert!(board.contains("r reprogrammer"), "{board}");
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.context(), Context::Reschedule);
    // The same weekday, time and room, in the week it was postponed to.
    let proposed: Vec<String> = (0..3).map(|i| form(&app).text(i)).collect();
    let case = crate::storage::read::by_external_id(app.db(), CASE).expect("case");
    let p = &case.file.procedure;
    assert_eq!(
        proposed,
        [
            "08/12/2026".to_owned(),
            p.scheduled_at.format("%H:%M").to_string(),
            p.room.clone()
        ]
    );
    insta::assert_snapshot!("reschedule_form_fr_80x24", screen(&app, 80, 24));
    // A date that is none is refused when the cursor leaves it.
    clear(&mut app);
    keys(&mut app, "32/12");
    key(&mut app, KeyCode::Tab);
    assert!(
        form(&app).errors[0]
            .as_deref()
            .is_some_and(|e| e.contains("date illisible")),
        "{:?}",
        form(&app).errors
    );
    insta::assert_snapshot!("reschedule_refused_fr_120x40", screen(&app, 120, 40));
    // Enter with a refused field saves nothing and goes back to it.
    key(&mut app, KeyCode::Enter);
    assert_eq!(form(&app).focus, 0);
    assert_eq!(status_of(&app, CASE), DecisionStatus::Postponed);
    clear(&mut app);
    keys(&mut app, "10/12");
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    keys(&mut app, "9h30");
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    keys(&mut app, "Salle 2");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let flash = app.flash.clone().expect("said");
    assert!(
        flash
            .text
            .contains("reprogrammé le 10/12/2026 09:30, Salle 2"),
        "{flash:?}"
    );
    let case = crate::storage::read::by_external_id(app.db(), CASE).expect("case");
    assert_eq!(case.status, DecisionStatus::Pending);
    assert_eq!(case.file.procedure.room, "Salle 2");
    assert_eq!(
        case.file
            .procedure
            .scheduled_at
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        "2026-12-10T09:30"
    );
    assert!(actions_of(&app, CASE).contains(&"case.reschedule".to_owned()));
    // Now an ordinary pending case of this week, and no longer offered.
    let c = app
        .data
        .cases
        .iter()
        .find(|c| c.stored.file.external_id == CASE)
        .expect("on the board");
    assert!(!c.to_reschedule);
    select(&mut app, CASE);
    assert!(!screen(&app, 120, 40).contains("r reprogrammer"));
    // Undo has nothing to revert: the postponement stays.
    key(&mut app, KeyCode::Char('u'));
    let flash = app.flash.clone().expect("said");
    assert!(
        flash.text.contains("depuis sa reprogrammation"),
        "{flash:?}"
    );
    assert_eq!(status_of(&app, CASE), DecisionStatus::Pending);
    // Its history keeps the postponement and says when it got its slot.
    key(&mut app, KeyCode::Enter);
    let detail = screen(&app, 120, 100).replace('│', " ");
    let detail = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(detail.contains("reporté à la semaine 2026-W50"), "{detail}");
    assert!(
        detail.contains(
            "reprogrammé le 10/12/2026 09:30, Salle 2 (était le 01/12/2026 10:00, Salle 2)"
        ),
        "{detail}"
    );
}

#[test]
fn only_a_case_to_reschedule_and_only_a_chair_or_a_secretary() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, CASE);
    key(&mut app, KeyCode::Char('r'));
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("said");
    assert!(
        flash.error && flash.text.contains("is undecided, not postponed"),
        "{flash:?}"
    );

    let (_d, mut app) = postponed(Lang::En);
    become_role(&mut app, "radiologist");
    key(&mut app, KeyCode::Char('r'));
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("said");
    assert!(
        flash.error && flash.text.contains("allowed for chair, secretary"),
        "{flash:?}"
    );
    // A secretary may.
    become_secretary(&mut app);
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.context(), Context::Reschedule);
    // Esc on an unchanged form closes it; on a changed one, asks once more.
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    key(&mut app, KeyCode::Char('r'));
    keys(&mut app, "x");
    key(&mut app, KeyCode::Esc);
    assert!(form(&app).confirming_drop);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(status_of(&app, CASE), DecisionStatus::Postponed);
}
