//! A laboratory's final result that cannot be used ("never silently
//! wrong"), through the real parser and handler: the case's item blocks
//! with what was sent, the older stored value is left as it was, and a
//! person clears it (an acknowledgement, a later typed value).

use super::*;
use crate::domain::message::Lang;
use crate::domain::record::EvidenceKind;
use crate::domain::rules::{Item, ItemResult, Severity};
use crate::storage::lab_unusable::{self, ACK_ACTION, TYPED_ACTION};

/// The INR fixture's older result (1.3 at 07:15) applied, then a second
/// message of that lab at 08:15 whose OBX is `obx`.
fn older_then(obx: &str) -> StorageHandler {
    let mut h = booked();
    let inr = fixture("oru_inr_only.hl7");
    assert_eq!(send(&mut h, &inr), "AA");
    let later = inr
        .replace("LAB-20261207-0001", "LAB-20261207-0009")
        .replace("20261207071500+0100", "20261207081500+0100");
    let Some(start) = later.find("OBX|") else {
        panic!("fixture has an OBX")
    };
    let text = format!("{}{obx}", &later[..start]);
    assert_eq!(send(&mut h, &text), "AA");
    h
}

fn assessed(h: &StorageHandler) -> crate::domain::assess::Assessment {
    let stored = case(h);
    let rules = h.db().rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: h.db().timezone().expect("tz"),
    };
    Assessment::of_stored(&stored, &ctx)
}

/// The findings of unusable results on the case.
fn unusable_findings(h: &StorageHandler) -> usize {
    assessed(h)
        .dossier
        .items
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.code == "feed.lab_unusable")
        .count()
}

fn item(h: &StorageHandler, item: Item) -> ItemResult {
    assessed(h).dossier.item(item).expect("item").clone()
}

/// The trail still accounts for every row.
fn verified(h: &StorageHandler) {
    assert!(matches!(
        crate::storage::audit::verify_live(h.db()).expect("verify"),
        crate::storage::audit::LiveVerdict::Match { .. }
    ));
}

fn open_rows(h: &StorageHandler) -> i64 {
    h.db()
        .conn()
        .query_row(
            "SELECT count(*) FROM lab_unusable WHERE acknowledged_at IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("count")
}

#[test]
fn a_final_result_of_ours_that_cannot_be_used_blocks_its_item() {
    // (OBX, item made blocking with this English text, or none).
    let obx = |code: &str, value: &str, unit: &str, status: &str| {
        format!("OBX|1|NM|{code}^x^LN||{value}|{unit}|||||{status}|||20261207081500+0100")
    };
    let cases: Vec<(String, Option<(Item, &str)>)> = vec![
        (
            obx("34714-6", ">15", "{INR}", "F"),
            Some((
                Item::Coagulation,
                "laboratory INR result unusable: \">15\" on 2026-12-07 08:15 (not a number)",
            )),
        ),
        (
            obx("34714-6", "16", "{INR}", "C"),
            Some((
                Item::Coagulation,
                "laboratory INR result unusable: \"16\" on 2026-12-07 08:15 (outside physical bounds)",
            )),
        ),
        (
            obx("777-3", "215", "%", "F"),
            Some((
                Item::Coagulation,
                "laboratory platelets result unusable: \"215 %\" on 2026-12-07 08:15 (unit not known)",
            )),
        ),
        (
            obx("751-8", "abc", "G/L", "F"),
            Some((
                Item::Biology,
                "laboratory neutrophils result unusable: \"abc\"",
            )),
        ),
        (
            format!(
                "{}\r{}",
                obx("34714-6", "1.2", "", "F"),
                obx("6301-6", "3.4", "", "F")
            ),
            Some((Item::Coagulation, "(two different values of one time)")),
        ),
        // A preliminary value, a code not ours: nothing raised.
        (obx("34714-6", ">15", "{INR}", "P"), None),
        (obx("2823-3", "7.1", "mmol/L", "F"), None),
    ];
    for (line, expected) in cases {
        let mut h = older_then(&line);
        be(&mut h, "chair");
        verified(&h);
        let c = coag(&h);
        assert_eq!(c["inr"], 1.3, "the older INR stays stored: {line}");
        assert_eq!(c["dates"]["inr"], "2026-12-07T07:15", "{line}");
        let a = assessed(&h);
        let found: Vec<_> = a
            .dossier
            .items
            .iter()
            .flat_map(|r| r.findings.iter().map(move |f| (r.item, f)))
            .filter(|(_, f)| f.code == "feed.lab_unusable")
            .collect();
        match expected {
            None => assert!(found.is_empty(), "{line}: {found:?}"),
            Some((it, text)) => {
                assert!(!found.is_empty(), "{line}");
                for (i, f) in &found {
                    assert_eq!(*i, it, "{line}");
                    assert_eq!(f.severity, Severity::Blocking, "{line}");
                }
                assert!(item(&h, it).is_blocking(), "{line}");
                let en = found[0].1.msg.render(Lang::En);
                assert!(en.contains(text), "{line}: {en}");
            }
        }
    }
}

#[test]
fn the_french_finding_says_what_was_sent_and_why() {
    let h = older_then("OBX|1|SN|34714-6^INR^LN||>^15|{INR}|||||F|||20261207081500+0100");
    let r = item(&h, Item::Coagulation);
    let fr = r.message(Lang::Fr);
    assert!(
        fr.contains(
            "résultat INR du laboratoire inutilisable\u{a0}: «\u{a0}>15\u{a0}» du 07/12/2026 08:15 (pas un nombre) — à vérifier"
        ),
        "{fr}"
    );
}

#[test]
fn an_acknowledgement_clears_it_and_is_audited() {
    let mut h = older_then("OBX|1|NM|34714-6^INR^LN||>15|{INR}|||||F|||20261207081500+0100");
    assert_eq!(open_rows(&h), 1);
    // Sent again under another message id: still one.
    let again = fixture("oru_inr_only.hl7")
        .replace("LAB-20261207-0001", "LAB-20261207-0010")
        .replace("20261207071500+0100", "20261207081500+0100")
        .replace("|1.3|{INR}|", "|>15|{INR}|");
    assert_eq!(send(&mut h, &again), "AA");
    assert_eq!(open_rows(&h), 1);
    // The feed may not acknowledge; a person may, for the analyte named.
    let refused = h
        .db_mut()
        .write(|w| lab_unusable::acknowledge(w, BOOKING, crate::domain::labs::Analyte::Inr));
    assert!(refused.is_err());
    be(&mut h, "secretary");
    let other = h
        .db_mut()
        .write(|w| lab_unusable::acknowledge(w, BOOKING, crate::domain::labs::Analyte::Platelets));
    assert!(
        other
            .as_ref()
            .is_err_and(|e| e.to_string().contains("no unusable platelets_g_l")),
        "{other:?}"
    );
    let n = h
        .db_mut()
        .write(|w| lab_unusable::acknowledge(w, BOOKING, crate::domain::labs::Analyte::Inr))
        .expect("acknowledged");
    assert_eq!(n, 1);
    assert_eq!(open_rows(&h), 0);
    verified(&h);
    assert_eq!(unusable_findings(&h), 0);
    let audited: i64 = h
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = ?1 AND outcome = 'done'",
            [ACK_ACTION],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1);
}

#[test]
fn a_typed_value_at_or_after_it_clears_it_an_earlier_one_does_not() {
    let mut h = older_then("OBX|1|NM|34714-6^INR^LN||>15|{INR}|||||F|||20261207081500+0100");
    be(&mut h, "radiologist");
    let type_inr = |h: &mut StorageHandler, at: &str, inr: f64| {
        let c = case(h);
        let version = c.recorded(EvidenceKind::Coagulation).map(|r| r.version);
        let data = format!(r#"{{"at":"{at}","inr":{inr}}}"#);
        h.db_mut()
            .write(|w| {
                crate::storage::cases::set_evidence(
                    w,
                    c.id,
                    EvidenceKind::Coagulation,
                    &data,
                    version,
                )
            })
            .expect("a form's save");
    };
    // Typed, but dated before the unusable result: still blocking.
    type_inr(&mut h, "2026-12-07T08:00", 1.4);
    assert_eq!(open_rows(&h), 1);
    assert_eq!(unusable_findings(&h), 1);
    // Typed at 10:00 (the person re-checked it): cleared, audited.
    type_inr(&mut h, "2026-12-07T10:00", 1.2);
    assert_eq!(open_rows(&h), 0);
    assert_eq!(unusable_findings(&h), 0);
    assert_eq!(coag(&h)["inr"], 1.2);
    let who: String = h
        .db()
        .conn()
        .query_row("SELECT acknowledged_by FROM lab_unusable", [], |r| r.get(0))
        .expect("row");
    assert_eq!(who, h.db().login());
    verified(&h);
    let audited: i64 = h
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = ?1",
            [TYPED_ACTION],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1);
}

#[test]
fn a_validated_case_made_blocking_raises_the_alert() {
    let mut h = booked();
    // A full work-up of this morning: coagulation fine.
    let full = fixture("oru_full.hl7")
        .replace("20261206153000+0100", "20261207063000+0100")
        .replace("20261206154500", "20261207064500");
    assert_eq!(send(&mut h, &full), "AA");
    assert!(!item(&h, Item::Coagulation).is_blocking());
    be(&mut h, "chair");
    h.db()
        .conn()
        .execute(
            "UPDATE cases SET status = 'validated' WHERE external_id = ?1",
            [BOOKING],
        )
        .expect("validated");
    let alerts = |h: &StorageHandler| {
        let rules = h.db().rules().expect("rules");
        let ctx = Context {
            rules: &rules,
            tz: h.db().timezone().expect("tz"),
        };
        let reader = h
            .db()
            .reader(crate::domain::roles::Read::Week)
            .expect("reader");
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("day");
        crate::report::alerts::coming(h.db(), &reader, &ctx, today, None).expect("alerts")
    };
    let before: Vec<_> = alerts(&h)
        .into_iter()
        .filter(|a| a.items.contains(&Item::Coagulation))
        .collect();
    assert!(before.is_empty(), "{before:?}");
    be(&mut h, "feed");
    let bad = fixture("oru_inr_only.hl7")
        .replace("LAB-20261207-0001", "LAB-20261207-0009")
        .replace("|1.3|{INR}|", "|>15|{INR}|");
    assert_eq!(send(&mut h, &bad), "AA");
    be(&mut h, "chair");
    assert_eq!(coag(&h)["inr"], 1.1, "the stored INR is left as it was");
    let after = alerts(&h);
    assert!(
        after
            .iter()
            .any(|a| a.external_id == BOOKING && a.items.contains(&Item::Coagulation)),
        "{after:?}"
    );
}

/// Migration 29 rebuilds `lab_unusable` to widen its reasons: the rows a
/// file holds are kept as they were (ids, audit rows), and the trail
/// still accounts for them.
#[test]
fn migration_29_keeps_the_unusable_results_and_the_trail_verifies() {
    let (_dir, path) = crate::testkit::fixture_db();
    let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("day");
    let before: (i64, Option<i64>, String) = {
        let db = Db::open(&path, crate::domain::clock::Clock::Fixed(day)).expect("open");
        let mut h = StorageHandler::new(db).expect("handler");
        be(&mut h, "feed");
        assert_eq!(send(&mut h, &fixture("siu_s12.hl7")), "AA");
        assert_eq!(
            send(
                &mut h,
                &fixture("oru_inr_only.hl7").replace("|1.3|{INR}|", "|>15|{INR}|")
            ),
            "AA"
        );
        be(&mut h, "chair");
        h.db()
            .conn()
            .query_row("SELECT id, audit_row, reason FROM lab_unusable", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("one row")
    };
    // As version 27 wrote it: the narrower table, no last words.
    let legacy = format!(
        "DROP TABLE lab_result_status;
         DROP TABLE lab_held;
         DROP INDEX case_facts_by_performed;
         ALTER TABLE patients DROP COLUMN identity_before;
         ALTER TABLE cases DROP COLUMN changed_after_decision;
         ALTER TABLE decisions DROP COLUMN cleared_change;
         DROP TABLE protocol_approvals;
         DROP INDEX audit_rules;
         DELETE FROM meta WHERE key = 'protocol_version';
         DROP INDEX lab_unusable_open;
         ALTER TABLE lab_unusable RENAME TO lab_unusable_28;
         {}
         INSERT INTO lab_unusable SELECT * FROM lab_unusable_28;
         DROP TABLE lab_unusable_28;
         PRAGMA user_version = 27;",
        crate::storage::lab_unusable::SCHEMA
    );
    rusqlite::Connection::open(&path)
        .expect("shell")
        .execute_batch(&legacy)
        .expect("legacy");
    let db = Db::open(&path, crate::domain::clock::Clock::Fixed(day)).expect("migrated");
    let after: (i64, Option<i64>, String) = db
        .conn()
        .query_row("SELECT id, audit_row, reason FROM lab_unusable", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("one row");
    assert_eq!(after, before);
    assert!(matches!(
        crate::storage::audit::verify_live(&db).expect("verify"),
        crate::storage::audit::LiveVerdict::Match { .. }
    ));
    // The widened reasons are taken.
    db.conn()
        .execute(
            "UPDATE lab_unusable SET reason = 'withdrawn' WHERE id = ?1",
            [after.0],
        )
        .expect("a new reason");
}

/// `L`'s acknowledgement: the one result chosen, only while the case's
/// open results are the ones listed (a new one, or one cleared meanwhile:
/// nothing acknowledged); a role that may not is refused.
#[test]
fn an_acknowledgement_of_what_was_shown_is_refused_once_the_list_changed() {
    let mut h = older_then("OBX|1|NM|34714-6^INR^LN||>15|{INR}|||||F|||20261207081500+0100");
    let case_id = crate::storage::read::by_external_id(h.db(), BOOKING)
        .expect("case")
        .id;
    let shown = lab_unusable::open_of(h.db(), case_id).expect("read");
    assert_eq!(shown.len(), 1);
    let id = shown[0].0;
    let ack = |h: &mut StorageHandler, seen: &[(i64, crate::domain::feed::UnusableLab)], id| {
        h.db_mut()
            .write(|w| lab_unusable::acknowledge_seen(w, case_id, seen, id))
    };
    assert!(ack(&mut h, &shown, id).is_err(), "the feed may not");
    be(&mut h, "secretary");
    // A list older than the file's (empty, or another id): refused.
    for (seen, id) in [(&shown[..0], id), (&shown[..], id + 1000)] {
        let refused = ack(&mut h, seen, id);
        assert!(
            matches!(
                refused,
                Err(crate::storage::StorageError::LabResultsChangedSinceShown(_))
            ),
            "{refused:?}"
        );
        assert_eq!(open_rows(&h), 1);
    }
    let (external_id, u) = ack(&mut h, &shown, id).expect("acknowledged");
    assert_eq!((external_id.as_str(), u.raw.as_str()), (BOOKING, ">15"));
    assert_eq!(open_rows(&h), 0);
    // Once cleared, the same list is no longer the file's.
    assert!(ack(&mut h, &shown, id).is_err());
    let audited: i64 = h
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = ?1 AND outcome = 'done'",
            [ACK_ACTION],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1);
}
