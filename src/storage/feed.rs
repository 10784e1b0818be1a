//! Messages of the hospital's systems, applied (issue 16): each in the
//! caller's one write transaction, by the `feed` role (or a chair), with
//! the message's origin in its audit rows (`Db::set_origin`). A message
//! already applied (same MSH-3, MSH-4, MSH-10) is not applied twice.
//! Bookings: `feed_booking.rs`; the service codes' mapping and the
//! identity acknowledgement (a person's writes): `feed_services.rs`; the
//! marks read with the cases: `feed_marks.rs`.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Writer, audit};
use crate::domain::roles::{Permission, Read, reads};
use crate::domain::time::DATE_FMT;
use crate::domain::vocab::Sex;
use crate::import::hl7::{
    AckCode, Header, IdentityUpdate, InsStatus, Parsed, PatientIdentity, Place, Refusal,
};

/// Migration (issue 16, the feed's storage): the `feed` role, the INS and
/// the identity change to check on patients, a booking's service codes and
/// its end at the source on cases, the messages applied and the service
/// codes' mapping. Every new table is tracked by the audit trail's
/// cross-check.
pub const SCHEMA: &str = "
    -- The users table rebuilt with the feed's service account role.
    CREATE TABLE users_new (
        login      TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN
                     ('chair', 'radiologist', 'anaesthetist', 'radiographer', 'secretary', 'viewer',
                      'auditor', 'nurse', 'feed')),
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1,
        audit_row  INTEGER
    ) STRICT;
    INSERT INTO users_new (login, name, role, active, created_at, version, audit_row)
      SELECT login, name, role, active, created_at, version, audit_row FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;

    -- The IPP's assigning authority (PID-3 CX.4); the INS, a second
    -- identifier never matched on, with its qualification; the day the
    -- hospital's system changed the identity, until a person acknowledges it.
    ALTER TABLE patients ADD COLUMN ipp_authority TEXT;
    ALTER TABLE patients ADD COLUMN ins TEXT;
    ALTER TABLE patients ADD COLUMN ins_status TEXT
      CHECK (ins_status IN ('qualified', 'not_qualified'));
    ALTER TABLE patients ADD COLUMN identity_changed_on TEXT;
    ALTER TABLE patients ADD COLUMN identity_changed_by TEXT;

    -- The service codes the last booking sent (AIS-3, JSON array; NULL: not
    -- a booking's case), and the booking's end at its source (S15, S17,
    -- S26): not a committee decision.
    ALTER TABLE cases ADD COLUMN services TEXT CHECK (services IS NULL OR json_valid(services));
    ALTER TABLE cases ADD COLUMN source_end TEXT
      CHECK (source_end IN ('cancelled', 'deleted', 'no_show'));
    ALTER TABLE cases ADD COLUMN source_end_on TEXT;
    ALTER TABLE cases ADD COLUMN source_end_by TEXT;

    -- The messages applied: (MSH-3, MSH-4, MSH-10) is applied once; the
    -- message's digest (SHA-256 of its bytes, hex) tells a message sent
    -- again from another one under a control id already used.
    CREATE TABLE feed_messages (
        sending_application TEXT NOT NULL,
        sending_facility    TEXT NOT NULL,
        control_id          TEXT NOT NULL,
        digest              TEXT NOT NULL,
        received_at         TEXT NOT NULL,
        origin              TEXT NOT NULL,
        message_type        TEXT NOT NULL,
        ack_code            TEXT NOT NULL CHECK (ack_code IN ('AA', 'AE', 'AR')),
        -- applied, unknown_patient (an identity update for an IPP the file
        -- does not hold: nothing created), unknown_booking (an end for a
        -- booking it does not hold).
        outcome             TEXT NOT NULL,
        audit_row           INTEGER,
        PRIMARY KEY (sending_application, sending_facility, control_id)
    ) STRICT, WITHOUT ROWID;

    -- A booking's service code (AIS-3) and the techniques it is.
    CREATE TABLE service_map (
        code       TEXT PRIMARY KEY,
        techniques TEXT NOT NULL
                   CHECK (json_valid(techniques) AND json_array_length(techniques) > 0),
        mapped_at  TEXT NOT NULL,
        mapped_by  TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1,
        audit_row  INTEGER
    ) STRICT;";

/// The audit action of applying a message (and of its refusal).
pub const ACTION: &str = "feed.apply";

/// What applying one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Applied (the case it created or updated, if any).
    Applied { case_id: Option<i64> },
    /// Already applied: nothing done.
    Duplicate,
    /// Acknowledged and recorded, nothing changed: an identity update for an
    /// IPP the file does not hold (the cautious reading: no patient is made
    /// from an identity update), or a booking's end for a booking it does
    /// not hold.
    Unknown,
    /// Acknowledged and recorded, nothing applied: lab results for an IPP
    /// whose stored birth date or last name is not the message's (the
    /// cautious reading: a value on the wrong patient could hide a
    /// blocking item).
    Mismatch,
    /// Not applied: the answer's AE or AR.
    Refused(Refusal),
}

impl Outcome {
    /// The ACK code the message is answered with.
    pub fn ack_code(&self) -> AckCode {
        match self {
            Outcome::Refused(r) => r.code,
            _ => AckCode::Aa,
        }
    }
}

/// Applies one parsed message in `w`'s transaction. Refused unless the
/// writer may apply feed messages; `origin` (the file or the peer) is
/// recorded with it. A message refused (AE or AR) changes nothing: what it
/// wrote before its refusal is rolled back, and only its refusal is
/// audited.
pub fn apply(w: &Writer<'_>, msg: &Parsed, origin: &str) -> Result<Outcome> {
    w.require(Permission::ApplyFeed, ACTION, None)?;
    // The feed reads what it matches on, and only that (the read table's
    // row: a role that may apply it may read it).
    debug_assert!(reads(w.role(), Read::FeedMatch).is_some());
    let header = msg.header();
    match seen(w.tx(), header)? {
        Seen::No => {}
        Seen::Same => return Ok(Outcome::Duplicate),
        Seen::Other => {
            let refusal = Refusal {
                code: AckCode::Ae,
                place: Some(Place {
                    segment: "MSH".into(),
                    sequence: 1,
                    field: 10,
                }),
                reason: "control id already used for another message: not applied".into(),
            };
            record_refusal(w, header, &refusal)?;
            return Ok(Outcome::Refused(refusal));
        }
    }
    w.tx().execute_batch("SAVEPOINT feed_message")?;
    let mut lab_note = None;
    let outcome = match msg {
        Parsed::Lab(r) => {
            let (outcome, note) = super::feed_labs::apply(w, r, origin)?;
            lab_note = Some(note.line());
            outcome
        }
        Parsed::Booking(b) => super::feed_booking::apply(w, b)?,
        Parsed::Identity(m) => identity_update(w, m)?,
    };
    if let Outcome::Refused(refusal) = &outcome {
        // Nothing half-applied: back to before the message.
        w.tx()
            .execute_batch("ROLLBACK TO feed_message; RELEASE feed_message")?;
        record_refusal(w, header, refusal)?;
        return Ok(outcome);
    }
    w.tx().execute_batch("RELEASE feed_message")?;
    let word = match &outcome {
        Outcome::Applied { .. } => "applied",
        Outcome::Unknown => match msg {
            Parsed::Identity(_) | Parsed::Lab(_) => "unknown_patient",
            Parsed::Booking(_) => "unknown_booking",
        },
        Outcome::Mismatch => "identity_mismatch",
        Outcome::Duplicate | Outcome::Refused(_) => return Ok(outcome),
    };
    record(w, header, origin, word, lab_note.as_deref())?;
    Ok(outcome)
}

/// Whether a message of the same sender and control id was applied.
enum Seen {
    No,
    /// The same message (same digest): sent again.
    Same,
    /// Another message under a control id already used.
    Other,
}

/// Whether the message (MSH-3, MSH-4, MSH-10) was applied already, and
/// whether it was this one.
fn seen(conn: &Connection, h: &Header) -> Result<Seen> {
    let digest: Option<String> = conn
        .prepare_cached(
            "SELECT digest FROM feed_messages WHERE sending_application = ?1
               AND sending_facility = ?2 AND control_id = ?3",
        )?
        .query_row(
            params![h.sending_application, h.sending_facility, h.control_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match digest {
        None => Seen::No,
        Some(d) if d == h.digest => Seen::Same,
        Some(_) => Seen::Other,
    })
}

/// Audits a message refused (no patient data: the sender, the type, the
/// id, the code and the reason). Not kept in `feed_messages`: the message
/// may be sent again once corrected.
fn record_refusal(w: &Writer<'_>, h: &Header, refusal: &Refusal) -> Result<()> {
    let line = format!(
        "{}^{} {} #{} refused {}: {}",
        h.message_type,
        h.trigger,
        h.source(),
        h.control_id,
        refusal.code.as_str(),
        refusal.reason
    );
    audit::record(w, ACTION, None, None, Some(&line))
}

/// Records the message as applied, audited (no patient data: the sender,
/// the type, the id and what was done).
fn record(
    w: &Writer<'_>,
    h: &Header,
    origin: &str,
    outcome: &str,
    detail: Option<&str>,
) -> Result<()> {
    let kind = format!("{}^{}", h.message_type, h.trigger);
    w.tx().execute(
        "INSERT INTO feed_messages (sending_application, sending_facility, control_id,
           digest, received_at, origin, message_type, ack_code, outcome)
         VALUES (?1, ?2, ?3, ?8, ?4, ?5, ?6, 'AA', ?7)",
        params![
            h.sending_application,
            h.sending_facility,
            h.control_id,
            w.clock().timestamp(),
            origin,
            kind,
            outcome,
            h.digest
        ],
    )?;
    let mut line = format!("{kind} {} #{} {outcome}", h.source(), h.control_id);
    if let Some(detail) = detail {
        line.push_str(&format!(" ({detail})"));
    }
    audit::record(w, ACTION, None, None, Some(&line))
}

/// ADT^A08: the identity corrected on a patient the file holds; for an
/// IPP it does not hold, nothing is made.
/// An IPP held for a patient of another assigning authority is another
/// patient: nothing is changed either.
fn identity_update(w: &Writer<'_>, m: &IdentityUpdate) -> Result<Outcome> {
    match match_patient(w, &m.patient)? {
        Match::Same(id, old) => {
            if correct_identity(w, id, &old, &m.patient, &m.header.source())? {
                // Laboratory values kept because their PID differed may
                // name the patient now (`feed_held`).
                super::feed_held::apply_to_patient(w, id)?;
            }
            Ok(Outcome::Applied { case_id: None })
        }
        Match::None | Match::OtherDomain => Ok(Outcome::Unknown),
    }
}

/// A patient's identity as stored, with the INS.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(super) struct StoredIdentity {
    ipp: String,
    authority: Option<String>,
    last_name: String,
    first_name: String,
    birth_date: String,
    sex: String,
    ins: Option<String>,
    ins_status: Option<String>,
}

impl StoredIdentity {
    /// What `p` says, what it leaves out (an empty given name or sex: no
    /// change) taken from `old`, else empty and X for a new patient.
    fn of(p: &PatientIdentity, old: Option<&StoredIdentity>) -> StoredIdentity {
        let first_name = match (&p.first_name, old) {
            (Some(f), _) => f.clone(),
            (None, Some(old)) => old.first_name.clone(),
            (None, None) => String::new(),
        };
        let sex = match (p.sex, old) {
            (Some(s), _) => s.as_str().to_owned(),
            (None, Some(old)) => old.sex.clone(),
            (None, None) => Sex::X.as_str().to_owned(),
        };
        StoredIdentity {
            ipp: p.ipp.clone(),
            authority: Some(p.authority.clone()).filter(|a| !a.is_empty()),
            last_name: p.last_name.clone(),
            first_name,
            birth_date: p.birth_date.format(DATE_FMT).to_string(),
            sex,
            ins: p.ins.as_ref().map(|(n, _)| n.clone()),
            ins_status: p.ins.as_ref().map(|(_, s)| ins_word(*s).to_owned()),
        }
    }

    pub(super) fn birth_date(&self) -> &str {
        &self.birth_date
    }

    pub(super) fn last_name(&self) -> &str {
        &self.last_name
    }

    /// Names, birth date, sex: what the advisory is about.
    fn person(&self) -> (&str, &str, &str, &str) {
        (
            &self.last_name,
            &self.first_name,
            &self.birth_date,
            &self.sex,
        )
    }
}

fn ins_word(s: InsStatus) -> &'static str {
    match s {
        InsStatus::Qualified => "qualified",
        InsStatus::NotQualified => "not_qualified",
    }
}

/// The patient of `ipp`, as stored.
pub(super) fn find_patient(w: &Writer<'_>, ipp: &str) -> Result<Option<(i64, StoredIdentity)>> {
    Ok(w.tx()
        .prepare_cached(
            "SELECT id, ipp, ipp_authority, last_name, first_name, birth_date, sex, ins, ins_status
             FROM patients WHERE ipp = ?1",
        )?
        .query_row([ipp], |r| {
            Ok((
                r.get(0)?,
                StoredIdentity {
                    ipp: r.get(1)?,
                    authority: r.get(2)?,
                    last_name: r.get(3)?,
                    first_name: r.get(4)?,
                    birth_date: r.get(5)?,
                    sex: r.get(6)?,
                    ins: r.get(7)?,
                    ins_status: r.get(8)?,
                },
            ))
        })
        .optional()?)
}

/// The patient a message's PID names, as the file holds them.
pub(super) enum Match {
    /// No patient of that IPP.
    None,
    /// The patient of that IPP (and of its assigning authority when both
    /// the stored one and the message's are known).
    Same(i64, StoredIdentity),
    /// A patient of that IPP assigned by another authority: another
    /// patient, whom the message must not touch.
    OtherDomain,
}

/// The patient of `p`'s IPP, matched by (IPP, assigning authority) when
/// both the stored authority and the message's are known.
pub(super) fn match_patient(w: &Writer<'_>, p: &PatientIdentity) -> Result<Match> {
    Ok(match find_patient(w, &p.ipp)? {
        None => Match::None,
        Some((id, stored)) if same_domain(stored.authority.as_deref(), &p.authority) => {
            Match::Same(id, stored)
        }
        Some(_) => Match::OtherDomain,
    })
}

/// Whether two assigning authorities may be the same domain: only two
/// known and different ones are not.
pub(super) fn same_domain(stored: Option<&str>, sent: &str) -> bool {
    match stored {
        Some(a) if !a.is_empty() && !sent.is_empty() => a.eq_ignore_ascii_case(sent),
        _ => true,
    }
}

/// Creates the patient a booking names, audited.
pub(super) fn create_patient(w: &Writer<'_>, p: &PatientIdentity) -> Result<i64> {
    let new = StoredIdentity::of(p, None);
    let search = super::cases::search_key(&new.last_name, &new.first_name, &new.ipp);
    w.tx().execute(
        "INSERT INTO patients (ipp, ipp_authority, last_name, first_name, birth_date, sex,
           search_key, ins, ins_status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            new.ipp,
            new.authority,
            new.last_name,
            new.first_name,
            new.birth_date,
            new.sex,
            search,
            new.ins,
            new.ins_status
        ],
    )?;
    let id = w.tx().last_insert_rowid();
    let json = serde_json::to_string(&new)?;
    audit::record_for_patient(w, "patient.create", id, None, Some(&json))?;
    Ok(id)
}

/// Corrects a patient's identity to what the hospital's system holds,
/// audited old → new. A change of names, birth date or sex is to check on
/// the patient's upcoming cases until a person acknowledges it; an INS
/// alone (added, qualified) is recorded without one. An authority the
/// message leaves empty keeps the stored one. Returns whether anything
/// changed.
/// The identity advisory of patient `id`, whose identity (last name,
/// first name, birth date, sex, as stored) was `before` until `by` (a
/// message's sender, or an imported file) changed it: shown on the
/// patient's cases until a person acknowledges it. The identity a person
/// last checked stays the "before" until then, however many changes follow.
pub(super) fn mark_identity_changed(
    w: &Writer<'_>,
    id: i64,
    before: [&str; 4],
    by: &str,
) -> Result<()> {
    let today = super::day::hospital_now(w)?.1.format(DATE_FMT).to_string();
    let before = serde_json::to_string(&before)?;
    w.tx().execute(
        "UPDATE patients SET identity_changed_on = ?2, identity_changed_by = ?3,
           identity_before = COALESCE(identity_before, ?4) WHERE id = ?1",
        params![id, today, by, before],
    )?;
    Ok(())
}

pub(super) fn correct_identity(
    w: &Writer<'_>,
    id: i64,
    old: &StoredIdentity,
    p: &PatientIdentity,
    source: &str,
) -> Result<bool> {
    let mut new = StoredIdentity::of(p, Some(old));
    if new.authority.is_none() {
        new.authority = old.authority.clone();
    }
    if new.ins.is_none() {
        // A message without the INS does not remove a known one.
        new.ins = old.ins.clone();
        new.ins_status = old.ins_status.clone();
    }
    if new == *old {
        return Ok(false);
    }
    let person_changed = new.person() != old.person();
    let search = super::cases::search_key(&new.last_name, &new.first_name, &new.ipp);
    w.tx().execute(
        "UPDATE patients SET ipp_authority = ?2, last_name = ?3, first_name = ?4,
           birth_date = ?5, sex = ?6, search_key = ?7, ins = ?8, ins_status = ?9,
           version = version + 1 WHERE id = ?1",
        params![
            id,
            new.authority,
            new.last_name,
            new.first_name,
            new.birth_date,
            new.sex,
            search,
            new.ins,
            new.ins_status
        ],
    )?;
    if person_changed {
        let (last, first, birth, sex) = old.person();
        mark_identity_changed(w, id, [last, first, birth, sex], source)?;
    }
    let (old, new) = (serde_json::to_string(old)?, serde_json::to_string(&new)?);
    audit::record_for_patient(w, "patient.update", id, Some(&old), Some(&new))?;
    Ok(true)
}
