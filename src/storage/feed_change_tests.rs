//! A booking that changes a case the committee decided, through the real
//! parser and handler (the S12 fixture of `tests/hl7/`): the case is
//! blocking, "to decide again", counted as an alert and out of the
//! validated programme until the committee decides again; a re-mapped code
//! leaves the cases that have techniques alone; a code not mapped empties
//! the techniques.

use crate::storage::feed_testkit::{be, send};
use chrono::NaiveDate;

use crate::domain::clock::Clock;
use crate::domain::message::Lang;
use crate::domain::record::StoredCase;
use crate::domain::rules::{Context, Item, Severity};
use crate::domain::vocab::Technique;
use crate::feed::handler::StorageHandler;
use crate::storage::decisions::{self, NewDecision};
use crate::storage::{Db, StorageError, feed_services, needs};

const BOOKING: &str = "RDV-55501";

fn fixture() -> String {
    let path = format!("{}/tests/hl7/siu_s12.hl7", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("fixture")
}

/// The S12 fixture again as `trigger` with control id `id`, its service
/// code `code` and its start `start` (`YYYYMMDDHHMMSS`).
fn again(trigger: &str, id: &str, code: &str, start: &str) -> String {
    fixture()
        .replace("SIU^S12^SIU_S12", &format!("SIU^{trigger}^SIU_{trigger}"))
        .replace("RDV-20261207-0001", id)
        .replace("RIV-BIOFOIE", code)
        .replace("20261214093000", start)
}

/// A file on 2026-12-07 whose user is the feed (and a chair, `boss`),
/// `RIV-BIOFOIE` mapped to a radiofrequency ablation, `RIV-VERTEBRO` to a
/// vertebroplasty, the S12 fixture's booking (2026-12-14 09:30) applied.
fn booked() -> StorageHandler {
    let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("day");
    let mut db = Db::open_in_memory(Clock::Fixed(day)).expect("db");
    let login = db.login().to_owned();
    for (code, t) in [
        ("RIV-BIOFOIE", Technique::RadiofrequencyAblation),
        ("RIV-VERTEBRO", Technique::Vertebroplasty),
    ] {
        db.write_as(&needs::map_service(), |w| {
            feed_services::map_service(w, code, &[t])
        })
        .expect("mapped");
    }
    db.write(|w| {
        w.tx()
            .execute("UPDATE users SET role = 'feed' WHERE login = ?1", [&login])?;
        Ok::<_, StorageError>(())
    })
    .expect("role");
    let mut h = StorageHandler::new(db).expect("handler");
    assert_eq!(send(&mut h, &fixture()), "AA");
    h
}

fn case(h: &StorageHandler) -> StoredCase {
    crate::storage::read::by_external_id(h.db(), BOOKING).expect("case")
}

/// Records `entry` as a chair (the feed's user again after).
fn decide(h: &mut StorageHandler, entry: NewDecision) {
    let id = case(h).id;
    be(h, "chair");
    h.db_mut()
        .write_as(&needs::decide(id), |w| {
            decisions::record(w, id, None, &entry)
        })
        .expect("decided");
    be(h, "feed");
}

/// Maps `code` as a chair (the feed's user again after).
fn map(h: &mut StorageHandler, code: &str, t: Technique) -> feed_services::Mapped {
    be(h, "chair");
    let mapped = h
        .db_mut()
        .write_as(&needs::map_service(), |w| {
            feed_services::map_service(w, code, &[t])
        })
        .expect("mapped");
    be(h, "feed");
    mapped
}

fn validate(h: &mut StorageHandler) {
    // The booking's case is incomplete (no work-up): validated by override.
    decide(
        h,
        NewDecision::Validated {
            override_justification: Some("bilan au lit".into()),
        },
    );
}

/// The French words of the case's "to decide again" findings.
fn to_decide_again(h: &StorageHandler) -> Vec<String> {
    let c = case(h);
    let rules = h.db().rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: h.db().timezone().expect("tz"),
    };
    crate::domain::assess::Assessment::of_stored(&c, &ctx)
        .dossier
        .items
        .iter()
        .flat_map(|r| r.findings.iter())
        .filter(|f| f.code == "feed.changed_after_decision")
        .inspect(|f| assert_eq!(f.severity, Severity::Blocking))
        .map(|f| f.msg.render(Lang::Fr))
        .collect()
}

/// The alerts on this booking (the header's and `check`'s), and whether
/// the validated programme of its week lists it.
fn alerted_and_programmed(h: &mut StorageHandler) -> (bool, bool) {
    be(h, "chair");
    let out = alerted_and_programmed_as_chair(h);
    be(h, "feed");
    out
}

fn alerted_and_programmed_as_chair(h: &StorageHandler) -> (bool, bool) {
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
    let alerts = crate::report::alerts::coming(h.db(), &reader, &ctx, today, None).expect("alerts");
    let alerted = alerts
        .iter()
        .any(|a| a.external_id == BOOKING && a.items.contains(&Item::Delay));
    let c = case(h);
    let b = crate::export::model::Build {
        week: "2026-W51".parse().expect("week"),
        lang: Lang::Fr,
        ctx: &ctx,
        pseudonymiser: None,
        edition: crate::export::model::Edition {
            at: today.and_hms_opt(8, 0, 0).expect("time"),
            audit_head: String::new(),
        },
        protocol: &crate::domain::protocol::Status {
            version: 1,
            digest: "d".into(),
            approval: None,
        },
        minutes: None,
    };
    let p = crate::export::model::build(&[c], &b);
    let programmed = p.validated.iter().any(|e| e.external_id == BOOKING);
    (alerted, programmed)
}

#[test]
fn a_booking_that_changes_a_validated_case_makes_it_to_decide_again_until_decided() {
    let mut h = booked();
    validate(&mut h);
    assert!(to_decide_again(&h).is_empty());
    assert_eq!(
        alerted_and_programmed(&mut h),
        (false, true),
        "as validated"
    );
    // The source moves it to the 16th at 14:00 and changes the procedure.
    let moved = again("S14", "RDV-20261207-0002", "RIV-VERTEBRO", "20261216140000");
    assert_eq!(send(&mut h, &moved), "AA");
    let c = case(&h);
    assert_eq!(c.file.procedure.techniques, [Technique::Vertebroplasty]);
    assert_eq!(
        to_decide_again(&h),
        [
            "modifié par le SIH le 07/12/2026 après la décision du comité (date 14/12/2026 09:30 \
          → 16/12/2026 14:00, technique radiofréquence → vertébroplastie)\u{a0}: à re-décider"
                .to_owned()
        ]
    );
    assert_eq!(
        alerted_and_programmed(&mut h),
        (true, false),
        "an alert whatever the override accepted, out of the programme"
    );
    let audited: i64 = h
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'case.changed_after_decision'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(audited, 1);
    // The committee decides again: the mark goes.
    validate(&mut h);
    assert!(to_decide_again(&h).is_empty());
    assert_eq!(alerted_and_programmed(&mut h), (false, true));
    // Undone, that decision gives the mark back.
    decide(&mut h, NewDecision::Undo);
    assert_eq!(to_decide_again(&h).len(), 1);
    assert_eq!(alerted_and_programmed(&mut h), (true, false));
    // A message that changes nothing the decision was about adds nothing.
    validate(&mut h);
    let room = again("S14", "RDV-20261207-0003", "RIV-VERTEBRO", "20261216140000")
        .replace("SALLE-RI-2", "SALLE-RI-3");
    assert_eq!(send(&mut h, &room), "AA");
    assert!(to_decide_again(&h).is_empty());
}

#[test]
fn a_case_ended_at_the_source_then_booked_again_otherwise_is_to_decide_again() {
    let mut h = booked();
    validate(&mut h);
    let cancel = again("S15", "RDV-20261207-0002", "RIV-BIOFOIE", "20261214093000");
    assert_eq!(send(&mut h, &cancel), "AA");
    assert!(case(&h).ended_at_source().is_some());
    let rebooked = again("S12", "RDV-20261207-0003", "RIV-VERTEBRO", "20261215080000");
    assert_eq!(send(&mut h, &rebooked), "AA");
    let words = to_decide_again(&h);
    assert_eq!(words.len(), 1);
    assert!(
        words[0].contains("date 14/12/2026 09:30 → 15/12/2026 08:00")
            && words[0].contains("réservé à nouveau après sa fin à la source"),
        "{words:?}"
    );
    assert_eq!(alerted_and_programmed(&mut h), (true, false));
    // Postponed rather than validated: marked all the same.
    decide(
        &mut h,
        NewDecision::Postponed {
            reason: "attendre le bilan".into(),
            to_week: "2026-W52".parse().expect("week"),
        },
    );
    assert!(to_decide_again(&h).is_empty());
    let moved = again("S13", "RDV-20261207-0004", "RIV-VERTEBRO", "20261222080000");
    assert_eq!(send(&mut h, &moved), "AA");
    assert_eq!(to_decide_again(&h).len(), 1);
}

#[test]
fn a_code_not_mapped_empties_the_techniques_of_the_case_and_marks_a_decided_one() {
    let mut h = booked();
    validate(&mut h);
    let unmapped = again("S14", "RDV-20261207-0002", "RIV-NOUVEAU", "20261214093000");
    assert_eq!(send(&mut h, &unmapped), "AA");
    let c = case(&h);
    // As the board says: to define, judged at high bleeding risk.
    assert!(c.file.procedure.techniques.is_empty(), "{c:?}");
    assert_eq!(c.feed.to_map, ["RIV-NOUVEAU"]);
    assert_eq!(
        to_decide_again(&h),
        [
            "modifié par le SIH le 07/12/2026 après la décision du comité (technique \
          radiofréquence → à définir)\u{a0}: à re-décider"
                .to_owned()
        ]
    );
    // Mapped, the waiting case gets its techniques.
    let mapped = map(&mut h, "RIV-NOUVEAU", Technique::Vertebroplasty);
    assert_eq!(mapped.filled, [BOOKING]);
    assert_eq!(
        case(&h).file.procedure.techniques,
        [Technique::Vertebroplasty]
    );
}

#[test]
fn mapping_again_a_mapped_code_leaves_the_cases_that_have_techniques() {
    let mut h = booked();
    validate(&mut h);
    let remap = map(&mut h, "RIV-BIOFOIE", Technique::Vertebroplasty);
    assert!(
        remap.filled.is_empty() && remap.pending.is_empty(),
        "{remap:?}"
    );
    assert!(remap.remapped);
    let c = case(&h);
    assert_eq!(
        c.file.procedure.techniques,
        [Technique::RadiofrequencyAblation]
    );
    assert!(to_decide_again(&h).is_empty());
    let words = crate::text::feeds::mapped(
        Lang::En,
        "RIV-BIOFOIE",
        &[Technique::Vertebroplasty],
        &remap.filled,
        &remap.pending,
        remap.remapped,
    );
    assert!(words.contains("later bookings only"), "{words}");
    // A case still waiting for a code gets it when mapped, as before.
    let waiting = again("S12", "RDV-20261207-0002", "RIV-AUTRE", "20261215080000")
        .replace("RDV-55501", "RDV-55502");
    assert_eq!(send(&mut h, &waiting), "AA");
    let first = map(&mut h, "RIV-AUTRE", Technique::Vertebroplasty);
    assert_eq!(first.filled, ["RDV-55502"]);
    assert!(!first.remapped);
}
