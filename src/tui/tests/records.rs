//! Keys drive the app; the database records: decisions and their dialogs,
//! the detail's scrolling, notes and drafts.

use super::*;

#[test]
fn validating_a_complete_case_takes_effect_at_once() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('v'));
    assert!(app.overlay.is_none(), "no dialog for a complete case");
    assert_eq!(
        status_of(&app, "SCH-2026-004501"),
        DecisionStatus::Validated
    );
    assert!(actions_of(&app, "SCH-2026-004501").contains(&"decision.validated".to_owned()));
    // The board reflects it at once, selection kept.
    assert_eq!(
        app.current().map(|c| c.stored.status),
        Some(DecisionStatus::Validated)
    );
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(status_of(&app, "SCH-2026-004501"), DecisionStatus::Pending);
}

#[test]
fn validating_a_blocking_case_needs_a_justification() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004503");
    key(&mut app, KeyCode::Char('v'));
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    let s = screen(&app, 120, 40);
    assert!(s.contains("imaging"), "the blocking items are listed:\n{s}");
    // An empty justification is refused in the dialog.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    assert_eq!(status_of(&app, "SCH-2026-004503"), DecisionStatus::Pending);
    keys(&mut app, "CT booked for Monday, seen by Dr Martin");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(
        status_of(&app, "SCH-2026-004503"),
        DecisionStatus::Validated
    );
    let c = crate::storage::read::by_external_id(app.db(), "SCH-2026-004503").expect("case");
    let last = c.decisions.last().expect("a decision");
    assert_eq!(
        last.override_justification.as_deref(),
        Some("CT booked for Monday, seen by Dr Martin")
    );
}

#[test]
fn postponing_asks_for_a_reason_and_proposes_next_week() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004509");
    key(&mut app, KeyCode::Char('p'));
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(d.week_text(), "2026-W50");
    keys(&mut app, "biology not done");
    // A pasted paragraph is not submitted at its first line.
    app.handle_event(Event::Paste("\nsecond line\nthird line".into()));
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    // Not without a coded reason.
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(
        d.error.as_deref(),
        Some(crate::tui::app::code_required(Lang::En).as_str())
    );
    coded(&mut app, 1);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Coded reason"), "{shown}");
    assert!(shown.contains("‹ missing test ›"), "{shown}");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(
        status_of(&app, "SCH-2026-004509"),
        DecisionStatus::Postponed
    );
    let c = crate::storage::read::by_external_id(app.db(), "SCH-2026-004509").expect("case");
    let last = c.decisions.last().expect("decision");
    assert_eq!(
        last.reason.as_deref(),
        Some("biology not done\nsecond line\nthird line")
    );
    assert_eq!(last.to_week.as_deref(), Some("2026-W50"));
    assert_eq!(
        last.reason_code,
        Some(crate::domain::vocab::ReasonCode::MissingTest)
    );
    // The target week shows it at the top, to reschedule.
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.week().to_string(), "2026-W50");
    assert_eq!(
        app.current().map(|c| c.stored.file.external_id.as_str()),
        Some("SCH-2026-004509")
    );
    assert!(app.current().is_some_and(|c| c.to_reschedule));
    // Not complete for that week: it has no slot there yet.
    assert!(app.current().is_some_and(|c| !c.assessment.complete()));
}

#[test]
fn cancelling_asks_for_a_reason_and_a_confirmation() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004510");
    key(&mut app, KeyCode::Char('c'));
    keys(&mut app, "patient died");
    coded(&mut app, 6);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status_of(&app, "SCH-2026-004510"),
        DecisionStatus::Pending,
        "not before the confirmation"
    );
    assert!(screen(&app, 120, 40).contains("Cancel this procedure?"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status_of(&app, "SCH-2026-004510"),
        DecisionStatus::Cancelled
    );
}

#[test]
fn escape_closes_a_dialog_without_writing() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004510");
    let before = actions_of(&app, "SCH-2026-004510").len();
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "draft text");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    // No note and no decision; the text is kept as a draft (nothing lost to
    // a stray Esc) and comes back with the same key.
    let after = actions_of(&app, "SCH-2026-004510");
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.last().map(String::as_str), Some("draft.save"));
    key(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(d.body(), "draft text");
}

#[test]
fn the_detail_scrolls_within_its_content_and_each_case_opens_at_its_top() {
    let (_d, mut app) = app_with(Lang::En, Theme::colour(), (80, 24));
    select(&mut app, "SCH-2026-004513");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::End);
    let max = crate::tui::ui::detail::max_scroll(&app);
    assert!(max > 0);
    assert_eq!(app.detail_scroll, max);
    for _ in 0..50 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(app.detail_scroll, max, "no scrolling past the end");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.detail_scroll, max - 1);
    assert!(screen(&app, 80, 24).contains("Decisions"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.detail_scroll, 0);
}

#[test]
fn a_note_keeps_its_lines_and_new_lines_come_from_ctrl_j() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "line one");
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char('j'),
        KeyModifiers::CONTROL,
    )));
    keys(&mut app, "line two");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    let c = crate::storage::read::by_external_id(app.db(), "SCH-2026-004501").expect("case");
    assert_eq!(
        c.notes.last().map(|n| n.body.as_str()),
        Some("line one\nline two")
    );
}

#[test]
fn an_unfinished_text_is_kept_as_a_draft_and_offered_back() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "half a sentence");
    app.save_draft(); // what SIGHUP does
    app.overlay = None;
    key(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(d.body(), "half a sentence");
}
