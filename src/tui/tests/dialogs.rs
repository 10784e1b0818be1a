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
