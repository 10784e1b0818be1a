//! What the hospital's systems said, as the committee sees it (issue 16,
//! the tester's findings): a booking ended at its source is the case's own
//! state on the board, in the header and in the detail (a validation before
//! it said); the identity advisory names what changed and `I` asks before
//! acknowledging; the procedure line names the codes to map.

use super::*;
use crate::import::hl7::{BookingEvent, IdentityUpdate, Parsed};
use crate::storage::feed_tests::{apply, booking};

#[test]
fn a_booking_ended_at_its_source_is_its_own_state_on_the_board_and_in_the_detail() {
    #[rustfmt::skip] // one row per language
    let table = [
        (Lang::Fr, "fr", "✓✗ ann. SIH", "✗ non venu", "annulés par la source 2",
         "complets 15 · bloquants 24 · validés 0 · reportés 0 · annulés 0 ·",
         "✗ validé puis annulé par la source le 26/11/2026"),
        (Lang::En, "en", "✓✗ HIS canc", "✗ no-show", "cancelled at source 2",
         "complete 15 · blocking 24 · validated 0 · postponed 0 · cancelled 0 ·",
         "✗ validated, then cancelled at source on 2026-11-26"),
    ];
    for (lang, name, validated, no_show, header, counts, said) in table {
        let (dir, mut app) = app(lang);
        // The feed writes through another connection, as `listen` would.
        let mut feed = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
        for (id, rdv) in [("M1", "RDV-1"), ("M2", "RDV-2")] {
            apply(&mut feed, &booking(id, BookingEvent::New, rdv, &["X"]));
        }
        let case_id = crate::storage::read::by_external_id(&feed, "RDV-1")
            .expect("case")
            .id;
        let request = crate::decide::Request::Validate {
            override_justification: Some("vu en RCP".into()),
        };
        crate::decide::decide(&mut feed, case_id, None, request).expect("validated");
        apply(
            &mut feed,
            &booking("M3", BookingEvent::Cancelled, "RDV-1", &["X"]),
        );
        apply(
            &mut feed,
            &booking("M4", BookingEvent::NoShow, "RDV-2", &["X"]),
        );
        assert!(app.poll_changes());
        select(&mut app, "RDV-1");
        let all = screen(&app, 160, 50);
        let rows: Vec<&str> = all
            .lines()
            .filter(|l| l.contains("09:00   Salle 3"))
            .collect();
        assert_eq!(rows.len(), 2, "{all}");
        assert!(rows[0].contains(validated), "{all}");
        assert!(rows[1].contains(no_show), "{all}");
        assert!(all.contains(header), "{all}");
        assert!(all.replace('\u{a0}', " ").contains(said), "{all}");
        // Neither blocking nor undecided nor validated: the week's 39
        // cases as they were (24 blocking, 15 complete), the two apart.
        assert!(all.contains(counts), "{all}");
        // Nothing to alert on: the case is not to be done.
        assert!(app.current().is_some_and(|c| !c.alert()));
        insta::assert_snapshot!(format!("feed_ended_{name}_160x50"), all);
        // On a small terminal the header still counts them.
        let small = screen(&app, 80, 24);
        assert!(small.contains(header), "{small}");
        // The filters: with the cancelled ones, never with the incomplete,
        // undecided or validated.
        use crate::tui::app::Filter;
        let ours = |app: &App| {
            app.visible
                .iter()
                .filter(|&&i| {
                    app.data.cases[i]
                        .stored
                        .file
                        .external_id
                        .starts_with("RDV-")
                })
                .count()
        };
        for (filter, expected) in [
            (Filter::Incomplete, 0),
            (Filter::Pending, 0),
            (Filter::Validated, 0),
            (Filter::Cancelled, 2),
        ] {
            while app.filter != filter {
                key(&mut app, KeyCode::Char('f'));
            }
            assert_eq!(ours(&app), expected, "{filter:?}");
        }
    }
}

#[test]
fn the_detail_names_the_identity_changes_and_the_codes_to_map_and_i_asks_first() {
    let (dir, mut app) = app(Lang::En);
    let mut feed = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    apply(
        &mut feed,
        &booking("M1", BookingEvent::New, "RDV-1", &["XR123"]),
    );
    let Parsed::Booking(b) = booking("M2", BookingEvent::New, "RDV-1", &["XR123"]) else {
        unreachable!()
    };
    let mut patient = b.patient.clone();
    patient.last_name = "Durand-Lefèvre".into();
    patient.birth_date = chrono::NaiveDate::from_ymd_opt(1948, 12, 3).expect("date");
    let mut header = b.header.clone();
    (header.message_type, header.trigger) = ("ADT".into(), "A08".into());
    apply(
        &mut feed,
        &Parsed::Identity(IdentityUpdate { header, patient }),
    );
    assert!(app.poll_changes());
    select(&mut app, "RDV-1");
    let all = screen(&app, 160, 50);
    // The detail pane wraps: each piece on its line.
    for said in [
        "2026-11-26: last name Durand → Durand-Lefèvre, birth",
        "date 1948-03-12 → 1948-12-03: check",
        "to define (hospital system code XR123: feeds",
    ] {
        assert!(all.contains(said), "{said}\n{all}");
    }
    insta::assert_snapshot!("feed_identity_detail_en_160x50", all);
    key(&mut app, KeyCode::Char('I'));
    insta::assert_snapshot!("feed_identity_confirm_en_160x50", screen(&app, 160, 50));
    // Changed again while the person looked: Enter acknowledges nothing
    // and says so; looked at again, it goes.
    let mut again = patient_of(&b);
    again.last_name = "Lefèvre".into();
    let mut header = b.header.clone();
    (header.message_type, header.trigger, header.control_id) =
        ("ADT".into(), "A08".into(), "M3".into());
    header.digest = "digest of M3".into();
    apply(
        &mut feed,
        &Parsed::Identity(IdentityUpdate {
            header,
            patient: again,
        }),
    );
    key(&mut app, KeyCode::Enter);
    let refused = screen(&app, 160, 50);
    assert!(
        refused.contains("hospital system since it was shown; nothing was acknowledged"),
        "{refused}"
    );
    let pending = |app: &App| {
        crate::storage::read::by_external_id(app.db(), "RDV-1")
            .expect("case")
            .feed
            .identity_changed
            .is_some()
    };
    assert!(pending(&app));
    key(&mut app, KeyCode::Esc);
    // The refusal reloaded the week: the new change is shown.
    app.poll_changes();
    key(&mut app, KeyCode::Char('I'));
    assert!(screen(&app, 160, 50).contains("Durand → Lefèvre"));
    key(&mut app, KeyCode::Enter);
    assert!(!pending(&app));
}

fn patient_of(b: &crate::import::hl7::Booking) -> crate::import::hl7::PatientIdentity {
    let mut p = b.patient.clone();
    p.birth_date = chrono::NaiveDate::from_ymd_opt(1948, 12, 3).expect("date");
    p
}
