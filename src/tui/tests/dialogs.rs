//! A decision typed in a dialog that meets someone else's change: the
//! text stays, the dialog takes the case as it is now, and Enter again
//! applies it.

use super::*;
use crate::domain::vocab::Access;
use crate::text::screen as words;
use crate::tui::keys::keys_of;

/// Someone else records the access route of a case (another connection):
/// its version moves on. Returns the new version.
fn someone_else_sets_the_access(dir: &tempfile::TempDir, external_id: &str) -> i64 {
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let c = crate::storage::read::by_external_id(&other, external_id).expect("case");
    other
        .write(|w| crate::storage::procedure::set_access(w, c.id, Some(Access::Radial), c.version))
        .expect("their save")
}

#[test]
fn a_decision_that_meets_a_change_takes_the_new_version_and_enter_again_applies_it() {
    let (dir, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004509");
    key(&mut app, KeyCode::Char('p'));
    keys(&mut app, "biology not done");
    coded(&mut app, 1);
    let now = someone_else_sets_the_access(&dir, "SCH-2026-004509");
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("the dialog closed: {:?}", app.flash)
    };
    assert_eq!(d.version, now, "the version as reloaded");
    let said = d.error.as_deref().unwrap_or_default();
    let named = |a| keys_of(Context::Dialog, a, Lang::En);
    let again = words::enter_again(Lang::En, &named(Action::Submit), &named(Action::Dismiss));
    assert!(said.ends_with(&again), "{said}");
    assert_eq!(d.body(), "biology not done", "the text stays");
    assert_eq!(status_of(&app, "SCH-2026-004509"), DecisionStatus::Pending);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(
        status_of(&app, "SCH-2026-004509"),
        DecisionStatus::Postponed
    );
}

/// Drafts can no longer be written (a full disk, say).
fn drafts_fail(app: &App) {
    let raw = rusqlite::Connection::open(app.db().path()).expect("raw");
    raw.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON drafts BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .expect("trigger");
}

#[test]
fn a_justification_is_not_lost_to_one_esc_when_its_draft_cannot_be_kept() {
    let (_dir, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "half a sentence");
    drafts_fail(&app);
    key(&mut app, KeyCode::Esc);
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("one Esc lost the text: {:?}", app.flash)
    };
    assert_eq!(d.body(), "half a sentence");
    let said = d.error.clone().unwrap_or_default();
    assert!(
        said.contains("disk full") && said.contains("Esc again"),
        "{said}"
    );
    // Typing again asks again; a second Esc in a row closes.
    keys(&mut app, ".");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn a_form_is_not_lost_to_one_esc_when_its_draft_cannot_be_kept() {
    let (_dir, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Form(_)) = &app.overlay else {
        panic!("no form: {:?}", app.flash)
    };
    keys(&mut app, "1");
    drafts_fail(&app);
    key(&mut app, KeyCode::Esc);
    let Some(Overlay::Form(f)) = &app.overlay else {
        panic!("one Esc lost the form: {:?}", app.flash)
    };
    let said = f.error.clone().unwrap_or_default();
    assert!(
        said.contains("disk full") && said.contains("Échap de nouveau"),
        "{said}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn a_reload_that_fails_says_so_and_the_next_poll_tries_again() {
    let (_dir, mut app) = app(Lang::En);
    let raw = rusqlite::Connection::open(app.db().path()).expect("raw");
    raw.execute_batch("ALTER TABLE notes RENAME TO notes_away;")
        .expect("rename");
    assert!(app.poll_changes(), "someone wrote: a reload is tried");
    assert!(
        app.flash.as_ref().is_some_and(|f| f.error),
        "{:?}",
        app.flash
    );
    // Nothing new was written, but the week shown is not what is stored:
    // the next poll tries again.
    assert!(app.poll_changes(), "the failed load is retried");
    raw.execute_batch("ALTER TABLE notes_away RENAME TO notes;")
        .expect("rename back");
    assert!(app.poll_changes());
    assert!(!app.poll_changes(), "loaded: nothing more to read");
}
