//! t: the chase list of the week on the screen — sorted by deadline, `m`
//! for one's own, Enter shows the case; a role that may not read it is
//! told so (issue 14, §1).

use super::*;
use crate::domain::roles::Role;
use crate::tui::app::TasksState;

fn state(app: &App) -> &TasksState {
    let Some(Overlay::Tasks(t)) = &app.overlay else {
        panic!("the chase list is open");
    };
    t
}

#[test]
fn t_lists_the_weeks_tasks_by_deadline_and_enter_shows_the_case() {
    let (_d, mut app) = app(Lang::Fr);
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(app.context(), Context::Tasks);
    let rows = state(&app).rows.clone();
    assert!(!rows.is_empty());
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Liste des relances — 2026-W49"), "{shown}");
    assert!(shown.contains("à prélever entre le "), "{shown}");
    // The chair does everything: "mine" keeps them all.
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(state(&app).shown().len(), rows.len());
    key(&mut app, KeyCode::Char('m'));
    // Enter on the second task: its case, selected on the board, detail open.
    key(&mut app, KeyCode::Down);
    let want = state(&app).shown()[1].case_id;
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(app.current().map(|c| c.id()), Some(want));
    assert!(app.detail_open);
    // Esc closes it without moving.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn mine_keeps_the_roles_own_tasks() {
    let (_d, app) = app(Lang::En);
    let all = crate::tui::app::TasksState {
        rows: crate::tui::app::tasks_rows(app.db(), &app.data, Some(Role::Anaesthetist), Lang::En),
        mine: true,
        selected: 0,
    };
    let mine = all.shown();
    assert!(!mine.is_empty() && mine.len() < all.rows.len());
    assert!(
        mine.iter()
            .all(|r| r.task.contains("anaesthesia consultation") || r.task.starts_with("stop ")),
        "{mine:#?}"
    );
    // The secretary's drug holds: contact the operator, no date.
    let secretary =
        crate::tui::app::tasks_rows(app.db(), &app.data, Some(Role::Secretary), Lang::En);
    let contact = secretary
        .iter()
        .find(|r| r.task.starts_with("contact "))
        .expect("a drug hold on the secretary's list");
    assert_eq!(contact.deadline, "—");
}

#[test]
fn the_list_follows_the_evidence() {
    let (dir, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char('t'));
    let before = state(&app).rows.len();
    // A coagulation recorded for the first case that lacks one.
    let row = state(&app)
        .rows
        .iter()
        .find(|r| r.task.starts_with("coagulation work-up"))
        .cloned()
        .expect("a coagulation task");
    let case = app
        .data
        .cases
        .iter()
        .find(|c| c.id() == row.case_id)
        .expect("the case")
        .stored
        .file
        .clone();
    let day = case.day().format("%Y-%m-%d").to_string();
    let json = format!(r#"{{"at":"{day}","inr":1.0,"platelets_g_l":200}}"#);
    let version = app
        .data
        .cases
        .iter()
        .find(|c| c.id() == row.case_id)
        .and_then(|c| {
            c.stored
                .recorded
                .iter()
                .find(|r| r.kind == crate::domain::record::EvidenceKind::Coagulation)
                .map(|r| r.version)
        });
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    other
        .write(|w| {
            crate::storage::cases::set_evidence(
                w,
                row.case_id,
                crate::domain::record::EvidenceKind::Coagulation,
                &json,
                version,
            )
        })
        .expect("recorded");
    assert!(app.poll_changes());
    let after = &state(&app).rows;
    assert_eq!(after.len(), before - 1);
    assert!(
        !after
            .iter()
            .any(|r| r.case_id == row.case_id && r.task.starts_with("coagulation work-up"))
    );
}

#[test]
fn a_viewer_is_told_the_list_is_the_care_teams() {
    let (_d, mut app) = app(Lang::En);
    app.role = Some(Role::Viewer);
    key(&mut app, KeyCode::Char('t'));
    assert!(app.overlay.is_none());
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("the chase list is the care team's"),
        "{shown}"
    );
}

/// The header counts the open and too-late tasks, whole or not at all.
#[test]
fn the_header_counts_the_tasks_whole_or_not_at_all() {
    let (_d, mut app) = app(Lang::En);
    let (open, late) = app.data.tasks.expect("the chair reads the list");
    key(&mut app, KeyCode::Char('t'));
    assert_eq!(open + late, state(&app).rows.len());
    key(&mut app, KeyCode::Esc);
    let wide = screen(&app, 120, 40);
    let want = format!(" · tasks {open} ({late} too late)");
    assert!(
        wide.lines()
            .nth(1)
            .is_some_and(|l| l.ends_with(&want) || l.contains(&want)),
        "{wide}"
    );
    // At 80 columns: on one line, whole, or not at all.
    let narrow = screen(&app, 80, 24);
    let header: Vec<&str> = narrow.lines().take(3).collect();
    assert!(
        header.iter().any(|l| l.contains(&want[3..]))
            || header.iter().all(|l| !l.contains("tasks")),
        "cut: {header:?}"
    );
    // A viewer has no count.
    app.data.tasks = None;
    assert!(
        !screen(&app, 120, 40)
            .lines()
            .nth(1)
            .expect("line")
            .contains("tasks")
    );
}

/// A patient recorded as deceased (by another program): off the chase
/// list, marked † on the board, "deceased on …" in the detail, and their
/// case blocking "to cancel" (issue 15 §2).
#[test]
fn a_deceased_patient_leaves_the_list_and_is_shown_as_such() {
    let (dir, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char('t'));
    let case_id = state(&app).rows[0].case_id;
    let case = app
        .data
        .cases
        .iter()
        .find(|c| c.id() == case_id)
        .expect("the case")
        .stored
        .file
        .clone();
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    other
        .write(|w| crate::storage::followup::record_death(w, &case.patient.ipp, clock().today()))
        .expect("death");
    assert!(app.poll_changes());
    assert!(state(&app).rows.iter().all(|r| r.case_id != case_id));
    key(&mut app, KeyCode::Esc);
    select(&mut app, &case.external_id);
    let board = screen(&app, 120, 40);
    let last = case.patient.last_name.to_uppercase();
    assert!(
        board.lines().any(|l| l.contains(&format!("† {last}"))),
        "{board}"
    );
    key(&mut app, KeyCode::Enter);
    let detail = screen(&app, 120, 40);
    assert!(detail.contains("† deceased on 2026-11-26"), "{detail}");
    assert!(detail.contains("✗ delay: patient deceased: to"), "{detail}");
}
