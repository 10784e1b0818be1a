//! What the hospital's systems said, on the board (issue 16): a booking
//! whose techniques are to define, one cancelled at its source.

use super::*;
use crate::import::hl7::BookingEvent;
use crate::storage::feed_tests::{apply, booking};

#[test]
fn the_board_shows_techniques_to_define_and_a_booking_cancelled_at_its_source() {
    for (lang, to_define, cancelled) in [
        (Lang::Fr, "à déf.", "✗ ann. SIH"),
        (Lang::En, "TBD", "✗ HIS canc"),
    ] {
        let (dir, mut app) = app(lang);
        // The feed writes through another connection, as `listen` would.
        let mut feed = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
        apply(
            &mut feed,
            &booking("M1", BookingEvent::New, "RDV-1", &["NEW-CODE"]),
        );
        apply(
            &mut feed,
            &booking("M2", BookingEvent::New, "RDV-2", &["NEW-CODE"]),
        );
        apply(
            &mut feed,
            &booking("M3", BookingEvent::Cancelled, "RDV-2", &["NEW-CODE"]),
        );
        assert!(app.poll_changes());
        let all = screen(&app, 120, 40);
        let row = |id: &str| {
            all.lines()
                .find(|l| l.contains(id))
                .unwrap_or_else(|| panic!("{id} on the board:\n{all}"))
                .to_owned()
        };
        assert!(row("DURAND").contains(to_define), "{all}");
        assert!(all.contains(cancelled), "{all}");
        // Both rows are to define; one of them is cancelled at its source.
        let rows: Vec<&str> = all.lines().filter(|l| l.contains("DURAND")).collect();
        assert_eq!(rows.len(), 2, "{all}");
        assert_eq!(rows.iter().filter(|l| l.contains(cancelled)).count(), 1);
    }
}

/// `I` on a case whose patient's identity the hospital changed: the
/// advisory goes (audited); a role that may not is told why.
#[test]
fn i_acknowledges_an_identity_changed_by_the_hospital_system() {
    use crate::import::hl7::{IdentityUpdate, Parsed};
    let (dir, mut app) = app(Lang::En);
    let mut feed = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    apply(
        &mut feed,
        &booking("M1", BookingEvent::New, "RDV-1", &["X"]),
    );
    let Parsed::Booking(b) = booking("M2", BookingEvent::New, "RDV-1", &["X"]) else {
        unreachable!()
    };
    let mut patient = b.patient.clone();
    patient.last_name = "Durand-Lefèvre".into();
    let mut header = b.header.clone();
    (header.message_type, header.trigger) = ("ADT".into(), "A08".into());
    apply(
        &mut feed,
        &Parsed::Identity(IdentityUpdate { header, patient }),
    );
    assert!(app.poll_changes());
    select(&mut app, "RDV-1");
    assert!(
        app.current()
            .is_some_and(|c| c.stored.feed.identity_changed.is_some())
    );
    become_role(&mut app, "viewer");
    key(&mut app, KeyCode::Char('I'));
    assert!(
        crate::storage::read::by_external_id(app.db(), "RDV-1")
            .expect("case")
            .feed
            .identity_changed
            .is_some(),
        "a viewer may not"
    );
    become_role(&mut app, "secretary");
    // `I` asks first, naming what changed; Esc goes back, nothing done.
    key(&mut app, KeyCode::Char('I'));
    let asked = screen(&app, 120, 40);
    assert!(asked.contains("last name Durand │"), "{asked}");
    assert!(asked.contains("→ Durand-Lefèvre: check"), "{asked}");
    assert!(asked.contains("Identity checked against"), "{asked}");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert!(
        app.current()
            .is_some_and(|c| c.stored.feed.identity_changed.is_some())
    );
    key(&mut app, KeyCode::Char('I'));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert!(
        app.current()
            .is_some_and(|c| c.stored.feed.identity_changed.is_none())
    );
    let acked: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'feeds.ack_identity' AND outcome = 'done'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(acked, 1);
}

/// A laboratory's result the program could not use blocks the case's
/// coagulation in the detail pane; `L` then Enter acknowledges it (audited); a role
/// that may not is told why.
#[test]
fn l_acknowledges_a_laboratory_result_the_program_could_not_use() {
    let (dir, mut app) = app(Lang::En);
    let mut feed = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    apply(
        &mut feed,
        &booking("M1", BookingEvent::New, "RDV-1", &["X"]),
    );
    feed.conn()
        .execute(
            "INSERT INTO lab_unusable (case_id, analyte, raw, unit, at, reason, source, received_at)
             SELECT id, 'inr', '>15', '{INR}', '2026-11-26T08:15', 'not_a_number', 'hl7:LAB@H', 'x'
             FROM cases WHERE external_id = 'RDV-1'",
            [],
        )
        .expect("an unusable INR");
    assert!(app.poll_changes());
    select(&mut app, "RDV-1");
    let shown = screen(&app, 160, 50);
    assert!(shown.contains("laboratory INR result unusable"), "{shown}");
    let blocking = |app: &App| {
        app.current().is_some_and(|c| {
            c.assessment
                .dossier
                .item(crate::domain::rules::Item::Coagulation)
                .is_some_and(|r| r.findings.iter().any(|f| f.code == "feed.lab_unusable"))
        })
    };
    assert!(blocking(&app));
    become_role(&mut app, "viewer");
    key(&mut app, KeyCode::Char('L'));
    assert!(blocking(&app), "a viewer may not");
    become_role(&mut app, "secretary");
    key(&mut app, KeyCode::Char('L'));
    assert!(blocking(&app), "L lists first");
    key(&mut app, KeyCode::Enter);
    assert!(!blocking(&app));
    let acked: i64 = app
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'feeds.ack_result' AND outcome = 'done'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(acked, 1);
}
