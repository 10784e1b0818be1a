//! A validated case that becomes blocking after the meeting (a lab result
//! that arrived by itself, here written by another connection): the header
//! counts it, whatever week is shown, and the board marks the case.

use super::*;

/// Complete in the fixture: Monday 2026-11-30 08:00.
const CASE: &str = "SCH-2026-004501";

fn bad_inr_from_elsewhere(dir: &tempfile::TempDir) {
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let c = crate::storage::read::by_external_id(&other, CASE).expect("case");
    let version = c
        .recorded
        .iter()
        .find(|r| r.kind == crate::domain::record::EvidenceKind::Coagulation)
        .map(|r| r.version);
    let coag = r#"{"at":"2026-11-27","inr":3.1,"platelets_g_l":200}"#;
    other
        .write(|w| {
            crate::storage::cases::set_evidence(
                w,
                c.id,
                crate::domain::record::EvidenceKind::Coagulation,
                coag,
                version,
            )
        })
        .expect("their save");
}

#[test]
fn the_header_counts_a_validated_case_that_became_blocking_and_the_board_marks_it() {
    for (lang, words) in [
        (Lang::En, "⚠ 1 validated case now blocking (28 d)"),
        (Lang::Fr, "⚠ 1 cas validé devenu bloquant (28 j)"),
    ] {
        let (dir, mut app) = app(lang);
        select(&mut app, CASE);
        key(&mut app, KeyCode::Char('v'));
        key(&mut app, KeyCode::Enter);
        assert_eq!(
            app.current().map(|c| c.stored.status),
            Some(DecisionStatus::Validated)
        );
        assert!(!screen(&app, 120, 40).contains('⚠'), "no alert yet");
        bad_inr_from_elsewhere(&dir);
        assert!(app.poll_changes(), "someone wrote: reloaded");
        let shown = screen(&app, 120, 40);
        assert!(shown.contains(words), "{shown}");
        assert_eq!(app.data.alerts.len(), 1);
        assert!(
            app.current().is_some_and(|c| c.alert()),
            "the row is marked"
        );
        // Another week shown: the alert stays (it looks at the coming four weeks).
        key(&mut app, KeyCode::Char(']'));
        assert!(screen(&app, 120, 40).contains(words));
        // Narrow: still there, never pushed out.
        assert!(
            screen(&app, 80, 24).contains("⚠"),
            "{}",
            screen(&app, 80, 24)
        );
    }
}
