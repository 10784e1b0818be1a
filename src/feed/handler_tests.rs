//! The handler as a transport calls it: HL7 answered by its ACK (applied
//! or not, never half), JSON imported under the feed's login with a line.

use chrono::NaiveDate;

use super::*;
use crate::domain::roles::Role;
use crate::domain::vocab::Sex;
use crate::import::hl7::{Header, IdentityUpdate, Parsed, PatientIdentity};
use crate::testkit::clock;

/// A file whose user is `role` (a chair kept beside it).
fn handler_as(role: Role) -> StorageHandler {
    let mut db = Db::open_in_memory(clock()).expect("db");
    let login = db.login().to_owned();
    db.write(|w| {
        w.tx().execute(
            "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
            [],
        )?;
        w.tx().execute(
            "UPDATE users SET role = ?2 WHERE login = ?1",
            [&login, role.as_str()],
        )?;
        Ok::<_, StorageError>(())
    })
    .expect("role");
    StorageHandler::new(db).expect("handler")
}

fn identity(control_id: &str) -> Parsed {
    Parsed::Identity(IdentityUpdate {
        header: Header {
            sending_application: "DXCARE".into(),
            sending_facility: "CHU".into(),
            receiving_application: "IRC".into(),
            receiving_facility: "RI".into(),
            message_type: "ADT".into(),
            trigger: "A08".into(),
            control_id: control_id.into(),
            processing_id: "P".into(),
            version: "2.5".into(),
            digest: format!("digest of {control_id}"),
        },
        patient: PatientIdentity {
            ipp: "NOT-HELD".into(),
            authority: "CHU".into(),
            ins: None,
            last_name: "Durand".into(),
            first_name: Some("Jeanne".into()),
            birth_date: NaiveDate::from_ymd_opt(1948, 3, 12).expect("date"),
            sex: Some(Sex::F),
        },
    })
}

fn msa(a: &Answer) -> String {
    let text = String::from_utf8_lossy(&a.bytes);
    text.split('\r')
        .find(|s| s.starts_with("MSA|"))
        .map(|s| s.chars().take(6).collect())
        .unwrap_or_default()
}

fn count(h: &StorageHandler, sql: &str) -> i64 {
    h.db()
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_message_is_acknowledged_once_applied_and_again_as_a_duplicate() {
    let mut h = handler_as(Role::Feed);
    let origin = Origin::Peer("127.0.0.1:40000".parse().expect("addr"));
    let msg = identity("A1");
    let first = h.apply(&msg, &origin);
    assert_eq!((first.accepted, msa(&first)), (true, "MSA|AA".into()));
    let rows = count(&h, "SELECT count(*) FROM audit");
    let again = h.apply(&msg, &origin);
    assert_eq!((again.accepted, msa(&again)), (true, "MSA|AA".into()));
    assert_eq!(
        count(&h, "SELECT count(*) FROM audit"),
        rows,
        "not applied twice"
    );
    // The audit row names the feed's login and the peer.
    let origin: String = h
        .db()
        .conn()
        .query_row(
            "SELECT origin FROM audit WHERE action = 'feed.apply'",
            [],
            |r| r.get(0),
        )
        .expect("row");
    assert_eq!(origin, "mllp:127.0.0.1:40000");
}

#[test]
fn a_role_other_than_feed_or_chair_is_answered_ae_and_nothing_is_applied() {
    for role in [Role::Secretary, Role::Viewer, Role::Nurse] {
        let mut h = handler_as(role);
        let before = count(&h, "SELECT count(*) FROM feed_messages");
        let a = h.apply(&identity("A1"), &Origin::File("a.hl7".into()));
        assert_eq!((a.accepted, msa(&a)), (false, "MSA|AE".into()), "{role}");
        assert_eq!(a.failure, Some(Failure::NotAllowed), "{role}");
        assert_eq!(count(&h, "SELECT count(*) FROM feed_messages"), before);
    }
}

/// The tester's finding: a file that cannot take a message (read-only,
/// full, upgraded by a newer program) was answered AE with no cause in the
/// log. Now: AR (sending it again cannot help until a person acts), ERR-8
/// and the answer's failure say which, and nothing is applied.
#[test]
fn a_file_that_cannot_take_a_message_is_answered_ae_with_its_cause() {
    let newer = crate::storage::migrate::LATEST + 1;
    let cases: [(&str, String, Failure, &str); 2] = [
        (
            "read-only",
            "PRAGMA query_only = ON".into(),
            Failure::ReadOnly,
            "not applied: the committee file is read-only for the receiving account",
        ),
        (
            "newer schema",
            format!("PRAGMA user_version = {newer}"),
            Failure::NewerSchema,
            "not applied: the committee file was upgraded by a newer ir-committee; upgrade the receiver",
        ),
    ];
    for (what, sql, failure, reason) in cases {
        let mut h = handler_as(Role::Feed);
        let before = count(&h, "SELECT count(*) FROM feed_messages");
        h.db().conn().execute_batch(&sql).expect("setup");
        let a = h.apply(&identity("A1"), &Origin::File("a.hl7".into()));
        assert_eq!((a.accepted, msa(&a)), (false, "MSA|AE".into()), "{what}");
        assert_eq!(a.failure, Some(failure), "{what}");
        let err = segment(&a, "ERR|");
        assert_eq!(err.get(8).map(String::as_str), Some(reason), "{what}");
        assert_eq!(
            err.get(3).map(String::as_str),
            Some("207^Application internal error^HL70357"),
            "{what}"
        );
        h.db()
            .conn()
            .execute_batch("PRAGMA query_only = OFF")
            .expect("undo");
        assert_eq!(
            count(&h, "SELECT count(*) FROM feed_messages"),
            before,
            "{what}"
        );
    }
}

/// Only a busy file is answered AE (sending it again will do); every other
/// cause of the file's is AR.
#[test]
fn each_cause_on_the_files_side_has_its_kind() {
    assert_eq!(failure_of(&StorageError::Busy), Failure::Busy);
    for (e, kind) in [
        (StorageError::ReadOnly("x".into()), Failure::ReadOnly),
        (StorageError::Corrupt("x".into()), Failure::Damaged),
        (StorageError::Triggers("x".into()), Failure::AuditTrail),
        (StorageError::Invalid("x".into()), Failure::Other),
    ] {
        assert_eq!(failure_of(&e), kind, "{e:?}");
    }
    let sqlite = |code: std::ffi::c_int| {
        StorageError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    };
    for (code, failure) in [
        (rusqlite::ffi::SQLITE_FULL, Failure::DiskFull),
        (rusqlite::ffi::SQLITE_READONLY, Failure::ReadOnly),
        (rusqlite::ffi::SQLITE_IOERR, Failure::Io),
        (rusqlite::ffi::SQLITE_CORRUPT, Failure::Damaged),
        (rusqlite::ffi::SQLITE_CONSTRAINT, Failure::Other),
    ] {
        assert_eq!(failure_of(&sqlite(code)), failure, "{code}");
    }
}

#[test]
fn an_unreadable_message_is_refused_and_nothing_written() {
    let mut h = handler_as(Role::Feed);
    let rows = count(&h, "SELECT count(*) FROM audit");
    let a = h.handle(Payload::Hl7(b"not hl7"), &Origin::File("x.hl7".into()));
    assert!(!a.accepted);
    assert_ne!(msa(&a), "MSA|AA");
    assert_eq!(count(&h, "SELECT count(*) FROM audit"), rows);
}

#[test]
fn a_json_file_is_imported_under_the_feeds_login_with_its_origin() {
    let mut h = handler_as(Role::Feed);
    let cases = crate::testkit::fixture_cases();
    let n = cases.len();
    let doc = serde_json::json!({ "format": crate::import::FORMAT, "cases": cases }).to_string();
    let a = h.handle(
        Payload::Json(doc.as_bytes()),
        &Origin::File("week.json".into()),
    );
    let line = String::from_utf8(a.bytes.clone()).expect("text");
    assert!(a.accepted, "{line}");
    assert_eq!(line.lines().count(), 1);
    assert!(
        line.starts_with(&format!("file:week.json: {n} created")),
        "{line}"
    );
    let from = count(
        &h,
        "SELECT count(*) FROM audit WHERE action = 'case.create' AND origin = 'file:week.json'",
    );
    assert_eq!(from, n as i64);
    let bad = h.handle(Payload::Json(b"{"), &Origin::File("bad.json".into()));
    assert!(!bad.accepted);
    assert_eq!(String::from_utf8_lossy(&bad.bytes).lines().count(), 1);
}

const SIU_S12: &[u8] = include_bytes!("../../tests/hl7/siu_s12.hl7");

/// The ACK's segment starting with `prefix`, its fields.
fn segment(a: &Answer, prefix: &str) -> Vec<String> {
    String::from_utf8_lossy(&a.bytes)
        .split('\r')
        .find(|s| s.starts_with(prefix))
        .map(|s| s.split('|').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A message the parser refuses is answered with its control id (MSA-2)
/// and its sender and receiver swapped (MSH-3 to MSH-6), so that the
/// interface engine matches the ACK to it.
#[test]
fn the_ack_of_a_refused_message_names_it() {
    let mut h = handler_as(Role::Feed);
    let text = String::from_utf8_lossy(SIU_S12);
    let no_pid: String = text
        .split('\r')
        .filter(|s| !s.starts_with("PID|"))
        .collect::<Vec<_>>()
        .join("\r");
    let a = h.handle(
        Payload::Hl7(no_pid.as_bytes()),
        &Origin::File("x.hl7".into()),
    );
    assert!(!a.accepted);
    let msa = segment(&a, "MSA|");
    assert_eq!(msa[1..3], ["AE", "RDV-20261207-0001"]);
    let msh = segment(&a, "MSH|");
    assert_eq!(
        msh[2..6],
        ["IRCOMMITTEE", "RADIO-INTERV", "AGENDA", "CHU-NANTES"]
    );
}

/// The same bytes sent again are a duplicate (AA); other bytes under the
/// same control id are refused on MSH-10 (AE) and nothing is applied.
#[test]
fn a_control_id_used_again_for_another_message_is_answered_ae() {
    let mut h = handler_as(Role::Feed);
    let origin = Origin::File("s12.hl7".into());
    let first = h.handle(Payload::Hl7(SIU_S12), &origin);
    assert_eq!(msa(&first), "MSA|AA");
    let rows = count(&h, "SELECT count(*) FROM audit");
    let again = h.handle(Payload::Hl7(SIU_S12), &origin);
    assert_eq!(msa(&again), "MSA|AA");
    assert_eq!(count(&h, "SELECT count(*) FROM audit"), rows);
    let other = String::from_utf8_lossy(SIU_S12).replace("SALLE-RI-2", "SALLE-RI-5");
    let a = h.handle(Payload::Hl7(other.as_bytes()), &origin);
    assert_eq!((a.accepted, msa(&a)), (false, "MSA|AE".into()));
    let err = segment(&a, "ERR|");
    assert_eq!(err[2], "MSH^1^10");
    assert!(
        err.iter()
            .any(|f| f.contains("control id already used for another message")),
        "{err:?}"
    );
    let rooms = count(&h, "SELECT count(*) FROM cases WHERE room LIKE '%RI-5%'");
    assert_eq!(rooms, 0);
    let stored: String = h
        .db()
        .conn()
        .query_row("SELECT digest FROM feed_messages", [], |r| r.get(0))
        .expect("digest");
    assert_eq!(stored, crate::import::hl7::digest(SIU_S12));
}

/// The AR for a message never read (a frame or a file over the limit) is
/// dated in the hospital's zone like every other ACK (it was in the
/// machine's, UTC on a server, while the others were in Paris time).
#[test]
fn a_refusal_without_a_message_is_dated_in_the_hospitals_zone() {
    let mut h = handler_as(Role::Feed);
    let other = h.apply(&identity("Z1"), &Origin::File("z.hl7".into()));
    let refused = Answer::new(false, h.refusal("message over 10 bytes, not read"));
    let msh7 = |a: &Answer| segment(a, "MSH|").get(6).cloned().unwrap_or_default();
    // The test clock: noon UTC, 13:00 in Paris in December.
    let expected = format!("{}130000", crate::testkit::today().format("%Y%m%d"));
    assert_eq!(msh7(&other), expected);
    assert_eq!(msh7(&refused), expected);
    assert_eq!(msa(&refused), "MSA|AR");
    let err = segment(&refused, "ERR|");
    assert_eq!(
        err.get(8).map(String::as_str),
        Some("message over 10 bytes, not read")
    );
}
