//! Who may apply the hospital's messages, what `check` shows of them, and
//! a mapping that meets techniques a person set meanwhile (issue 16).

use super::feed::{self};
use super::feed_tests::*;
use super::*;
use crate::domain::message::Lang;
use crate::domain::rules::Context;
use crate::domain::vocab::Technique;
use crate::import::hl7::*;
use crate::testkit::clock;

/// Only the feed and a chair apply messages; the feed does nothing a
/// person does. Each refusal is audited, nothing else written.
#[test]
fn who_may_apply_messages_and_what_the_feed_may_not_do() {
    use crate::domain::roles::Role;
    let msg = booking("M1", BookingEvent::New, "RDV-1", &["VERT"]);
    for role in Role::ALL {
        let mut db = Db::open_in_memory(clock()).expect("db");
        let login = db.login().to_owned();
        db.write(|w| {
            w.tx().execute(
                "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
                [],
            )?;
            w.tx().execute("UPDATE users SET role = ?2 WHERE login = ?1", [&login, role.as_str()])?;
            Ok::<_, StorageError>(())
        })
        .expect("role");
        let got = db.write_as(&needs::feed_apply(), |w| feed::apply(w, &msg, ORIGIN));
        let may = matches!(role, Role::Feed | Role::Chair);
        assert_eq!(got.is_ok(), may, "{role}");
        if !may {
            let err = got.expect_err("refused").to_string();
            assert!(
                err.contains("may not apply hospital system messages"),
                "{role}: {err}"
            );
            assert_eq!(count(&db, "SELECT count(*) FROM cases"), 0);
        }
        if role == Role::Feed {
            // A person's actions are refused to the feed.
            let id = case(&db, "RDV-1").id;
            let decide = crate::decide::Request::Validate {
                override_justification: None,
            };
            let refused = crate::decide::decide(&mut db, id, None, decide);
            assert!(refused.is_err_and(|e| e.to_string().contains("may not")));
            let rule = db.write_as(&needs::map_service(), |w| {
                feed_services::map_service(w, "VERT", &[Technique::Vertebroplasty])
            });
            assert!(rule.is_err_and(|e| e.to_string().contains("may not")));
            let note = db.write(|w| notes::add(w, id, "x", "test"));
            assert!(note.is_err());
        }
    }
}

/// `check` (text and JSON) shows what the feed said: codes to map, a
/// booking cancelled at its source, an identity to check.
#[test]
fn check_shows_the_feeds_marks() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    apply(
        &mut db,
        &booking("M1", BookingEvent::New, "RDV-1", &["A", "B"]),
    );
    let week: crate::domain::week::Week = "2026-W49".parse().expect("week");
    let text = |db: &Db, lang: Lang| {
        let rules = db.rules().expect("rules");
        let ctx = Context {
            rules: &rules,
            tz: db.timezone().expect("zone"),
        };
        let stored = read::week(db, week).expect("week");
        let r = crate::report::build(week, &stored, &[], &ctx, lang, None);
        let json = serde_json::to_string(&r).expect("json");
        (crate::report::render_text(&r, lang), json)
    };
    let (fr, json) = text(&db, Lang::Fr);
    // Printed as plain text: spaces of any kind read as spaces here.
    let fr = fr.replace(['\u{202f}', '\u{a0}'], " ");
    assert!(
        fr.contains("technique à définir : codes SIH « A », « B » non associés"),
        "{fr}"
    );
    assert!(json.contains("technique à définir"), "{json}");
    assert!(json.contains(r#""to_map":["A","B"]"#), "{json}");
    apply(
        &mut db,
        &booking("M2", BookingEvent::Cancelled, "RDV-1", &["A", "B"]),
    );
    let (en, json) = text(&db, Lang::En);
    assert!(
        en.contains(
            "✗ cancelled at source on 2026-11-26 (cancellation, hl7:DXCARE@CHU): not a committee decision"
        ),
        "{en}"
    );
    assert!(en.contains("cancelled 0 · cancelled at source 1"), "{en}");
    assert!(json.contains(r#""cancelled_by_source":1"#), "{json}");
    assert!(json.contains(r#""how":"cancelled""#), "{json}");
}

/// A code mapped after a person set the techniques of a case waiting for
/// it: the person's stay, the mapped ones wait for a choice.
#[test]
fn a_mapping_does_not_undo_techniques_a_person_set_meanwhile() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    apply(
        &mut db,
        &booking("M1", BookingEvent::New, "RDV-1", &["NEW"]),
    );
    db.write(|w| {
        w.tx().execute(
            "UPDATE cases SET techniques = '[\"kyphoplasty\"]' WHERE external_id = 'RDV-1'",
            [],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("a person's techniques");
    let mapped = map(&mut db, "NEW", &[Technique::Vertebroplasty]);
    assert_eq!(
        (mapped.filled.len(), mapped.pending.as_slice()),
        (0, ["RDV-1".to_owned()].as_slice())
    );
    let c = case(&db, "RDV-1");
    assert_eq!(c.file.procedure.techniques, [Technique::Kyphoplasty]);
    assert_eq!(c.pending.len(), 1);
    assert_eq!(c.pending[0].item, "techniques");
    // The code is mapped: not "to define" any more, the conflict blocks.
    assert!(findings(&db, &c, "feed.to_map").is_empty());
    assert!(!findings(&db, &c, "file.conflict").is_empty());
}

/// A booking whose PID says another identity for a known IPP corrects it,
/// to check, as an identity update does.
#[test]
fn a_booking_with_another_identity_corrects_it_to_check() {
    let mut db = Db::open_in_memory(clock()).expect("db");
    apply(&mut db, &booking("M1", BookingEvent::New, "RDV-1", &["X"]));
    let mut msg = booking("M2", BookingEvent::New, "RDV-2", &["X"]);
    if let Parsed::Booking(b) = &mut msg {
        b.patient.first_name = Some("Jeanne-Marie".into());
    }
    apply(&mut db, &msg);
    for rdv in ["RDV-1", "RDV-2"] {
        let c = case(&db, rdv);
        assert_eq!(c.file.patient.first_name, "Jeanne-Marie");
        assert!(c.feed.identity_changed.is_some(), "{rdv}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM patients"), 1);
}

/// The identity advisory names each trait changed, old → new, from the
/// identity a person last checked; a pseudonymised reader sees which
/// traits changed, never their values (the report and its JSON).
#[test]
#[rustfmt::skip] // one row per step
fn the_identity_advisory_says_what_changed_and_a_pseudonymised_reader_not_the_values() {
    use crate::domain::feed::IdentityField::{BirthDate, LastName};
    let mut db = Db::open_in_memory(clock()).expect("db");
    apply(&mut db, &booking("M1", BookingEvent::New, "RDV-1", &["VERT"]));
    let born = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(1948, m, d).expect("date");
    // (control id, last name, birth date, acknowledged before, the changes)
    let steps = [
        ("A1", "Durand-Lefèvre", born(3, 12), false,
         vec![(LastName, "Durand", "Durand-Lefèvre")]),
        ("A2", "Durand-Lefèvre", born(12, 3), false,
         vec![(LastName, "Durand", "Durand-Lefèvre"), (BirthDate, "1948-03-12", "1948-12-03")]),
        ("A3", "Durand", born(3, 12), false, vec![]),
        ("A4", "Lefèvre", born(3, 12), true, vec![(LastName, "Durand", "Lefèvre")]),
    ];
    for (id, last, birth, ack, expected) in steps {
        if ack {
            // Back as it was, then checked: the next change starts from it.
            db.write_as(&needs::ack_identity(), |w| super::feed_services::ack_identity(w, "900001"))
                .expect("acknowledged");
        }
        let mut p = patient(last);
        p.birth_date = birth;
        apply(&mut db, &Parsed::Identity(IdentityUpdate { header: header(id, "ADT", "A08"), patient: p }));
        let c = case(&db, "RDV-1");
        let got: Vec<_> = c.feed.identity_changes.iter()
            .map(|x| (x.field, x.old.as_str(), x.new.as_str())).collect();
        assert_eq!(got, expected, "{id}");
        assert!(c.feed.identity_changed.is_some(), "{id}");
    }
    let rules = db.rules().expect("rules");
    let ctx = Context { rules: &rules, tz: db.timezone().expect("zone") };
    let week = crate::testkit::week();
    let stored = read::week(&db, week).expect("week");
    let ps = crate::export::pseudo::Pseudonymiser::from_key(b"a test key, not a secret").expect("key");
    let r = crate::report::build(week, &stored, &[], &ctx, Lang::En, Some(&ps));
    let json = serde_json::to_string(&r).expect("json");
    let text = crate::report::render_text(&r, Lang::En);
    for shown in [&json, &text] {
        assert!(!shown.contains("Lefèvre") && !shown.contains("Durand"), "{shown}");
    }
    assert!(json.contains(r#""field":"last_name","old":"…","new":"…""#), "{json}");
    assert!(text.contains("last name … → …: check"), "{text}");
}
