//! OBX-11 through the real parser and handler: a correction (C) that a
//! final result (F) sent again later does not undo, a withdrawal (W) that
//! removes the sender's value, and the other statuses ignored.

use super::*;
use crate::domain::feed::Unusable;
use crate::domain::message::Lang;
use crate::domain::rules::{Item, Msg, Severity};
use crate::storage::lab_status::WITHDRAW_ACTION;

#[path = "lab_withdraw_tests.rs"]
mod withdraw;

const GLIMS: &str = "GLIMS|LABO-CHU";
const OTHER: &str = "AUTRE|LABO-CHU";
const T0715: &str = "20261207071500+0100";

/// One OBX of the INR fixture's report: status, OBX-5, sender (MSH-3|MSH-4)
/// and specimen time (OBR-7 and OBX-14; empty: undated).
#[derive(Clone, Copy)]
struct Obx {
    status: &'static str,
    value: &'static str,
    sender: &'static str,
    at: &'static str,
}

const fn obx(status: &'static str, value: &'static str) -> Obx {
    Obx {
        status,
        value,
        sender: GLIMS,
        at: T0715,
    }
}

impl Obx {
    const fn from(self, sender: &'static str) -> Obx {
        Obx { sender, ..self }
    }
    const fn at(self, at: &'static str) -> Obx {
        Obx { at, ..self }
    }
}

/// The INR fixture as `o` says, under the control id `id`.
fn message(o: Obx, id: usize) -> String {
    fixture("oru_inr_only.hl7")
        .replace("LAB-20261207-0001", &format!("LAB-S-{id}"))
        .replace(GLIMS, o.sender)
        .replace(T0715, o.at)
        .replace(
            "|1.3|{INR}|0.8-1.2|H|||F|",
            &format!("|{}|{{INR}}|0.8-1.2|H|||{}|", o.value, o.status),
        )
}

/// A booked case, then each of `seq` sent in order (each acknowledged AA:
/// never AE, which would stop the engine's queue).
fn sent(seq: &[Obx]) -> StorageHandler {
    let mut h = booked();
    for (i, o) in seq.iter().enumerate() {
        assert_eq!(send(&mut h, &message(*o, i)), "AA", "message {i}");
    }
    h
}

fn inr(h: &StorageHandler) -> Option<f64> {
    case(h).file.coagulation.and_then(|c| c.inr)
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

/// The case's coagulation item as judged now.
fn coagulation(h: &StorageHandler) -> crate::domain::rules::ItemResult {
    assessed(h)
        .dossier
        .item(Item::Coagulation)
        .expect("item")
        .clone()
}

/// The reasons of the case's unusable-result findings (each blocking the
/// coagulation item).
fn shown(h: &StorageHandler) -> Vec<Unusable> {
    let a = assessed(h);
    let mut out = Vec::new();
    for r in &a.dossier.items {
        for f in r.findings.iter().filter(|f| f.code == "feed.lab_unusable") {
            assert_eq!(r.item, Item::Coagulation);
            assert_eq!(f.severity, Severity::Blocking);
            if let Msg::LabUnusable(u) = &f.msg {
                assert_eq!(u.source, "hl7:GLIMS@LABO-CHU");
                out.push(u.reason);
            }
        }
    }
    out
}

fn audits(h: &StorageHandler, action: &str) -> i64 {
    h.db()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .expect("audit")
}

fn last_apply_note(h: &StorageHandler) -> String {
    h.db()
        .conn()
        .query_row(
            "SELECT new_value FROM audit WHERE action = 'feed.apply' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("audit")
}

fn verified(h: &StorageHandler) {
    assert!(matches!(
        crate::storage::audit::verify_live(h.db()).expect("verify"),
        crate::storage::audit::LiveVerdict::Match { .. }
    ));
}

/// What is sent, the INR stored at the end, the blocking findings left.
type Row = (&'static str, Vec<Obx>, Option<f64>, Vec<Unusable>);

/// Each sequence of one analyte's results: the INR stored at the end, and
/// the blocking findings it leaves.
#[test]
fn a_correction_stands_and_a_withdrawal_removes_the_senders_value() {
    use Unusable::*;
    let (f, c, w) = (|v| obx("F", v), |v| obx("C", v), |v| obx("W", v));
    let later = "20261207081500+0100";
    let rows: Vec<Row> = vec![
        // The tester's sequence: the replayed final does not undo the correction.
        (
            "F, C, F again",
            vec![f("1.1"), c("2.4"), f("1.1")],
            Some(2.4),
            vec![ResentAfterCorrection],
        ),
        (
            "F again with the correction's value",
            vec![f("1.1"), c("2.4"), f("2.4")],
            Some(2.4),
            vec![],
        ),
        (
            "C after C: the later wins",
            vec![f("1.1"), c("2.4"), c("3.0")],
            Some(3.0),
            vec![],
        ),
        (
            "F after C after C",
            vec![f("1.1"), c("2.4"), c("3.0"), f("2.4")],
            Some(3.0),
            vec![ResentAfterCorrection],
        ),
        (
            "a C alone, then an F",
            vec![c("2.4"), f("1.1")],
            Some(2.4),
            vec![ResentAfterCorrection],
        ),
        // F after F of one time from one sender: the three-way rule (nobody
        // changed it here: the sender's new value is taken).
        ("F after F", vec![f("1.1"), f("1.4")], Some(1.4), vec![]),
        // Another specimen time is another observation: a newer result.
        (
            "F of a later time after C",
            vec![f("1.1"), c("2.4"), f("1.1").at(later)],
            Some(1.1),
            vec![],
        ),
        // Another sender is a source of its own: a same-time conflict waits
        // for a person (pending), nothing is refused as stale.
        (
            "another sender's F after C",
            vec![f("1.1"), c("2.4"), f("1.1").from(OTHER)],
            Some(2.4),
            vec![],
        ),
        // W: the sender's value removed; the case says why.
        ("F then W", vec![f("1.1"), w("1.1")], None, vec![Withdrawn]),
        (
            "F then W without a value",
            vec![f("1.1"), w("")],
            None,
            vec![Withdrawn],
        ),
        (
            "C then W",
            vec![f("1.1"), c("2.4"), w("2.4")],
            None,
            vec![Withdrawn],
        ),
        ("W of a value never applied", vec![w("1.1")], None, vec![]),
        (
            "W of another sender's value",
            vec![f("1.1").from(OTHER), w("1.1")],
            Some(1.1),
            vec![],
        ),
        (
            "W of an older time than the stored",
            vec![f("1.1"), f("1.2").at(later), w("1.1")],
            Some(1.2),
            vec![],
        ),
        (
            "F replayed after W",
            vec![f("1.1"), w("1.1"), f("1.1")],
            None,
            vec![Withdrawn, ResentAfterWithdrawal],
        ),
        (
            "C after W",
            vec![f("1.1"), w("1.1"), c("1.2")],
            Some(1.2),
            vec![Withdrawn],
        ),
        // Undated: which value is wrong is not known; the stored one stays,
        // the case says the laboratory withdrew a result.
        (
            "W undated",
            vec![f("1.1"), w("1.1").at("")],
            Some(1.1),
            vec![Withdrawn],
        ),
        // Dated, but at no time the sender gave: the value of that day
        // stays (which one is wrong is not sure), the case says why.
        (
            "W of the date alone",
            vec![f("1.1"), w("1.1").at("20261207")],
            Some(1.1),
            vec![Withdrawn],
        ),
        (
            "W of another minute",
            vec![f("1.1"), w("1.1").at("20261207071600+0100")],
            Some(1.1),
            vec![Withdrawn],
        ),
        (
            "W of another day",
            vec![f("1.1"), w("1.1").at("20261206071500+0100")],
            Some(1.1),
            vec![],
        ),
    ];
    for (what, seq, expected, findings) in rows {
        let mut h = sent(&seq);
        assert_eq!(inr(&h), expected, "{what}");
        be(&mut h, "chair");
        assert_eq!(shown(&h), findings, "{what}");
        if expected.is_none() {
            assert!(coagulation(&h).is_blocking(), "{what}");
        }
        verified(&h);
    }
}

/// Statuses other than F, C and W (preliminary, incomplete, results
/// entered not verified, deleted, …) are ignored as before.
#[test]
fn other_statuses_change_nothing() {
    for status in ["P", "I", "R", "X", "D", "S", "U", "N", ""] {
        let mut h = sent(&[obx("F", "1.1"), obx(status, "3.0")]);
        assert_eq!(inr(&h), Some(1.1), "{status}");
        be(&mut h, "chair");
        assert!(shown(&h).is_empty(), "{status}");
        assert!(last_apply_note(&h).contains("NotFinal"), "{status}");
    }
}

#[test]
fn a_replay_with_the_corrections_value_is_audited_not_applied() {
    let h = sent(&[obx("F", "1.1"), obx("C", "2.4"), obx("F", "2.4")]);
    let note = last_apply_note(&h);
    assert!(
        note.contains("inr final re-sent after its correction, same value"),
        "{note}"
    );
    let h = sent(&[obx("F", "1.1"), obx("C", "2.4"), obx("F", "1.1")]);
    let note = last_apply_note(&h);
    assert!(
        note.contains("inr final re-sent after its correction"),
        "{note}"
    );
    let corrections: i64 = h
        .db()
        .conn()
        .query_row(
            "SELECT count(*) FROM lab_held WHERE status = 'corrected'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(corrections, 1, "the correction remembered once");
}

#[test]
fn the_withdrawal_is_audited_old_to_none_and_said_in_both_languages() {
    let mut h = sent(&[obx("F", "1.1"), obx("W", "1.1")]);
    let (old, new): (String, Option<String>) = h
        .db()
        .conn()
        .query_row(
            "SELECT old_value, new_value FROM audit WHERE action = ?1",
            [WITHDRAW_ACTION],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audited");
    assert_eq!(old, "inr 1.1 2026-12-07T07:15 hl7:GLIMS@LABO-CHU");
    assert_eq!(new, None);
    assert!(
        last_apply_note(&h).contains("withdrawn: inr 2026-12-07T07:15: removed from 1 case(s)")
    );
    be(&mut h, "chair");
    let r = coagulation(&h);
    let fr = r.message(Lang::Fr);
    assert!(
        fr.contains("résultat INR retiré par le laboratoire (GLIMS@LABO-CHU)\u{a0}: «\u{a0}1.1\u{a0}» du 07/12/2026 07:15 enlevé du dossier"),
        "{fr}"
    );
    let en = r.message(Lang::En);
    assert!(
        en.contains("INR result withdrawn by the laboratory (GLIMS@LABO-CHU): \"1.1\" on"),
        "{en}"
    );
    let stale = sent(&[obx("F", "1.1"), obx("C", "2.4"), obx("F", "1.1")]);
    let mut stale = stale;
    be(&mut stale, "chair");
    let r = coagulation(&stale);
    let en = r.message(Lang::En);
    assert!(en.contains("final INR result \"1.1\" on"), "{en}");
    assert!(
        en.contains("re-sent by GLIMS@LABO-CHU after its correction: kept the correction"),
        "{en}"
    );
    let fr = r.message(Lang::Fr);
    assert!(
        fr.contains("renvoyé par GLIMS@LABO-CHU après sa correction\u{a0}: correction gardée"),
        "{fr}"
    );
}

/// Acknowledging a withdrawal clears the finding and never brings the
/// value back; the value stays missing (blocking) until a person types one.
#[test]
fn acknowledging_a_withdrawal_does_not_bring_the_value_back() {
    let mut h = sent(&[obx("F", "1.1"), obx("W", "1.1")]);
    be(&mut h, "chair");
    let n = h
        .db_mut()
        .write(|w| {
            crate::storage::lab_unusable::acknowledge(w, BOOKING, crate::domain::labs::Analyte::Inr)
        })
        .expect("acknowledged");
    assert_eq!(n, 1);
    assert!(shown(&h).is_empty());
    assert_eq!(inr(&h), None);
    assert!(coagulation(&h).is_blocking(), "the INR is missing");
    verified(&h);
    // The replayed final result is still not applied.
    be(&mut h, "feed");
    assert_eq!(send(&mut h, &message(obx("F", "1.1"), 9)), "AA");
    assert_eq!(inr(&h), None);
}

/// A value a person typed since is not the sender's: a withdrawal leaves
/// it, and is only recorded.
#[test]
fn a_withdrawal_leaves_a_value_a_person_typed_since() {
    let mut h = sent(&[obx("F", "1.1")]);
    be(&mut h, "chair");
    let c = case(&h);
    let version = c
        .recorded(crate::domain::record::EvidenceKind::Coagulation)
        .map(|r| r.version);
    h.db_mut()
        .write(|w| {
            crate::storage::cases::set_evidence(
                w,
                c.id,
                crate::domain::record::EvidenceKind::Coagulation,
                r#"{"at":"2026-12-07T07:15","inr":1.5}"#,
                version,
            )
        })
        .expect("typed");
    be(&mut h, "feed");
    assert_eq!(send(&mut h, &message(obx("W", "1.1"), 5)), "AA");
    assert_eq!(inr(&h), Some(1.5));
    assert!(last_apply_note(&h).contains("removed from 0 case(s)"));
    assert_eq!(audits(&h, WITHDRAW_ACTION), 0);
    be(&mut h, "chair");
    assert!(shown(&h).is_empty());
}

/// The sender's value that lost to a person's (pending, waiting for a
/// choice) is withdrawn too: nobody can take it afterwards.
#[test]
fn a_withdrawal_drops_the_senders_pending_value() {
    let mut h = booked();
    be(&mut h, "chair");
    let c = case(&h);
    h.db_mut()
        .write(|w| {
            crate::storage::cases::set_evidence(
                w,
                c.id,
                crate::domain::record::EvidenceKind::Coagulation,
                r#"{"at":"2026-12-07T07:15","inr":1.5}"#,
                None,
            )
        })
        .expect("typed");
    be(&mut h, "feed");
    assert_eq!(send(&mut h, &message(obx("F", "1.1"), 1)), "AA");
    let pending = |h: &StorageHandler| -> i64 {
        h.db()
            .conn()
            .query_row("SELECT count(*) FROM pending_values", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(pending(&h), 1, "a same-time conflict waits");
    assert_eq!(send(&mut h, &message(obx("W", ""), 2)), "AA");
    assert_eq!(pending(&h), 0);
    assert_eq!(inr(&h), Some(1.5));
    be(&mut h, "chair");
    verified(&h);
}

/// The correction is the patient's, not one case's: a case booked after
/// it gets the correction (the values kept, `feed_held`), and not the
/// stale final result sent again after it.
#[test]
fn a_case_booked_after_the_correction_is_not_given_the_stale_final() {
    let mut h = sent(&[obx("F", "1.1"), obx("C", "2.4")]);
    let second = fixture("siu_s12.hl7")
        .replace("RDV-20261207-0001", "RDV-20261207-0002")
        .replace("RDV-55501", "RDV-55502");
    assert_eq!(send(&mut h, &second), "AA");
    assert_eq!(send(&mut h, &message(obx("F", "1.1"), 7)), "AA");
    assert_eq!(inr(&h), Some(2.4));
    let other = crate::storage::read::by_external_id(h.db(), "RDV-55502").expect("case");
    assert_eq!(other.file.coagulation.and_then(|c| c.inr), Some(2.4));
    assert_eq!(
        other
            .feed
            .lab_unusable
            .iter()
            .map(|u| u.reason)
            .collect::<Vec<_>>(),
        vec![Unusable::ResentAfterCorrection]
    );
}
