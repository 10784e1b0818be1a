//! `L` (the tester's finding, patient safety): it lists the case's
//! laboratory results the program could not use, read afresh from the file
//! (never "none" while the detail shows one), and acknowledges the one
//! chosen, only if the list is still the one shown; Esc acknowledges
//! nothing.

use super::*;
use crate::import::hl7::BookingEvent;
use crate::storage::feed_tests::{apply, booking};

/// Records an unusable result on RDV-7, as the feed would, through
/// another connection.
fn unusable(feed: &Db, analyte: &str, raw: &str, unit: &str, at: &str, reason: &str) {
    feed.conn()
        .execute(
            "INSERT INTO lab_unusable (case_id, analyte, raw, unit, at, reason, source, received_at)
             SELECT id, ?1, ?2, ?3, ?4, ?5, 'hl7:LAB@H', 'x' FROM cases WHERE external_id = 'RDV-7'",
            rusqlite::params![analyte, raw, unit, at, reason],
        )
        .expect("an unusable result");
}

/// The results still open on RDV-7, oldest first (analyte and as sent).
fn open(app: &App) -> Vec<(String, String)> {
    let conn = app.db().conn();
    let mut stmt = conn
        .prepare("SELECT analyte, raw FROM lab_unusable WHERE acknowledged_at IS NULL ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

fn acknowledged(app: &App) -> i64 {
    app.db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'feeds.ack_result' AND outcome = 'done'",
            [],
            |r| r.get(0),
        )
        .expect("count")
}

/// RDV-7 on the board; its feed connection.
fn setup(lang: Lang) -> (tempfile::TempDir, App, Db) {
    let (dir, mut app) = app(lang);
    let mut feed = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    apply(
        &mut feed,
        &booking("M1", BookingEvent::New, "RDV-7", &["X"]),
    );
    assert!(app.poll_changes());
    select(&mut app, "RDV-7");
    (dir, app, feed)
}

#[test]
fn l_lists_each_result_read_afresh_and_acknowledges_only_the_one_chosen() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        let (_dir, mut app, feed) = setup(lang);
        unusable(
            &feed,
            "inr",
            ">15",
            "{INR}",
            "2026-11-26T08:15",
            "not_a_number",
        );
        unusable(
            &feed,
            "platelets_g_l",
            "212",
            "mmol/L",
            "2026-11-26T08:15",
            "unknown_unit",
        );
        // Not reloaded yet: the board's snapshot has neither; L reads the
        // file, it never says "none" while there are some.
        assert!(
            app.current()
                .is_some_and(|c| c.stored.feed.lab_unusable.is_empty())
        );
        key(&mut app, KeyCode::Char('L'));
        let shown = screen(&app, 120, 40).replace('\u{a0}', " ");
        let expected = match lang {
            Lang::En => [">15", "212 mmol/L", "(not a number)", "(unit not known)"],
            Lang::Fr => [">15", "212 mmol/L", "(pas un nombre)", "(unité inconnue)"],
        };
        for said in expected {
            assert!(shown.contains(said), "{said}\n{shown}");
        }
        insta::assert_snapshot!(format!("lab_ack_list_{name}_120x40"), screen(&app, 120, 40));
        // The mark moves; Enter acknowledges the platelets only.
        key(&mut app, KeyCode::Char('j'));
        let moved = screen(&app, 120, 40);
        assert!(
            moved.lines().any(|l| l.contains("▶") && l.contains("212")),
            "{moved}"
        );
        key(&mut app, KeyCode::Enter);
        assert_eq!(open(&app), [("inr".to_owned(), ">15".to_owned())]);
        assert_eq!(acknowledged(&app), 1);
        let said = screen(&app, 120, 40).replace('\u{a0}', " ");
        let flash = match lang {
            Lang::En => "RDV-7: unusable platelets result \"212\" acknowledged; 1 more to check",
            Lang::Fr => {
                "RDV-7 : résultat plaquettes inutilisable « 212 » vérifié ; encore 1 à vérifier"
            }
        };
        assert!(said.contains(flash), "{said}");
        // The INR is still blocking, listed alone.
        key(&mut app, KeyCode::Char('L'));
        let again = screen(&app, 120, 40);
        assert!(again.contains(">15") && !again.contains("212"), "{again}");
    }
}

#[test]
fn esc_acknowledges_nothing() {
    let (_dir, mut app, feed) = setup(Lang::En);
    unusable(
        &feed,
        "inr",
        ">15",
        "{INR}",
        "2026-11-26T08:15",
        "not_a_number",
    );
    key(&mut app, KeyCode::Char('L'));
    assert!(app.overlay.is_some());
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(open(&app).len(), 1);
    assert_eq!(acknowledged(&app), 0);
}

#[test]
fn a_list_changed_since_shown_is_refused_and_nothing_acknowledged() {
    for (lang, name, words) in [
        (
            Lang::En,
            "en",
            "changed since they were shown (a new one arrived, one was cleared); nothing was acknowledged",
        ),
        (
            Lang::Fr,
            "fr",
            "ont changé depuis leur affichage (un nouveau reçu, un autre vérifié) ; rien n'a été vérifié",
        ),
    ] {
        let (_dir, mut app, feed) = setup(lang);
        unusable(
            &feed,
            "inr",
            ">15",
            "{INR}",
            "2026-11-26T08:15",
            "not_a_number",
        );
        key(&mut app, KeyCode::Char('L'));
        // A new one arrives while the person looks.
        unusable(
            &feed,
            "inr",
            "12.5",
            "mmol",
            "2026-11-26T09:00",
            "unknown_unit",
        );
        key(&mut app, KeyCode::Enter);
        let refused = screen(&app, 120, 40);
        let said = match &app.overlay {
            Some(Overlay::Dialog(d)) => d.error.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let said = said.replace(['\u{a0}', '\u{202f}'], " ");
        assert!(said.contains(words), "{said}\n{refused}");
        insta::assert_snapshot!(format!("lab_ack_refused_{name}_120x40"), refused);
        assert_eq!(open(&app).len(), 2);
        assert_eq!(acknowledged(&app), 0);
        // Cleared meanwhile: refused too.
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('L'));
        feed.conn()
            .execute(
                "UPDATE lab_unusable SET acknowledged_by = 'x', acknowledged_at = 'x' WHERE raw = '12.5'",
                [],
            )
            .expect("cleared elsewhere");
        key(&mut app, KeyCode::Enter);
        assert_eq!(open(&app).len(), 1);
        assert_eq!(acknowledged(&app), 0);
        // Looked at again, it goes.
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('L'));
        key(&mut app, KeyCode::Enter);
        assert!(open(&app).is_empty());
        assert_eq!(acknowledged(&app), 1);
    }
}
