//! SIU bookings applied (issue 16 §2): the patient found by IPP (or made),
//! the case found by the booking's appointment id (or made), its schedule
//! fields through the three-way rule with the sender as their source, its
//! service codes mapped to techniques (a code the file does not know is
//! kept "to map", never refused), its end at the source marked.

use rusqlite::{OptionalExtension, ToSql, params, params_from_iter};

use super::feed::{Match, Outcome, correct_identity, create_patient, match_patient};
use super::reimport_apply::{Change, Stored, apply_from};
use super::schedule::{
    SCHEDULE_COLS, SCHEDULE_LEN, Schedule, placeholders, schedule_field, schedule_from_row,
    set_schedule_field, update_schedule,
};
use super::{Result, Writer, audit, reimport};
use crate::domain::feed::{
    ASSUMED_ANAESTHESIA, ChangedAfterDecision, ChangedField, FieldChange, SourceEnd,
};
use crate::domain::reimport::{Field, ScheduleField};
use crate::domain::time::{DATE_FMT, DATETIME_FMT};
use crate::domain::vocab::DecisionStatus;
use crate::import::hl7::{AckCode, Booking, BookingEvent, Place, Refusal};

/// The techniques `codes` map to, in the order of their first mention,
/// as the JSON array the case stores; `None` when a code is not mapped or
/// none was sent (the techniques are then to define).
pub(super) fn techniques_of(w: &Writer<'_>, codes: &[String]) -> Result<Option<String>> {
    if codes.is_empty() {
        return Ok(None);
    }
    let mut all: Vec<String> = Vec::new();
    for code in codes {
        let mapped: Option<String> = w
            .tx()
            .prepare_cached("SELECT techniques FROM service_map WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?;
        let Some(mapped) = mapped else {
            return Ok(None);
        };
        for t in serde_json::from_str::<Vec<String>>(&mapped)? {
            if !all.contains(&t) {
                all.push(t);
            }
        }
    }
    Ok(Some(serde_json::Value::from(all).to_string()))
}

/// Applies one booking.
pub(super) fn apply(w: &Writer<'_>, b: &Booking) -> Result<Outcome> {
    let source = b.header.source();
    let existing = w
        .tx()
        .query_row(
            &format!(
                "SELECT {SCHEDULE_COLS}, id, updated_at, services, source_end, patient_id, status
                 FROM cases WHERE external_id = ?1"
            ),
            [&b.appointment_id],
            |r| {
                Ok((
                    schedule_from_row(r, 0),
                    r.get::<_, i64>(SCHEDULE_LEN)?,
                    r.get::<_, String>(SCHEDULE_LEN + 1)?,
                    r.get::<_, Option<String>>(SCHEDULE_LEN + 2)?,
                    r.get::<_, Option<String>>(SCHEDULE_LEN + 3)?,
                    r.get::<_, i64>(SCHEDULE_LEN + 4)?,
                    r.get::<_, String>(SCHEDULE_LEN + 5)?,
                ))
            },
        )
        .optional()?;
    // A booking never changes a case's patient: the PID must be the
    // patient of the case its appointment id names.
    let matched = match_patient(w, &b.patient)?;
    if let Some(case_patient) = existing.as_ref().map(|e| e.5)
        && !matches!(&matched, Match::Same(id, _) if *id == case_patient)
    {
        return Ok(Outcome::Refused(another_patient(&b.appointment_id)));
    }
    let end = match b.event {
        BookingEvent::New | BookingEvent::Changed => None,
        BookingEvent::Cancelled => Some(SourceEnd::Cancelled),
        BookingEvent::Deleted => Some(SourceEnd::Deleted),
        BookingEvent::NoShow => Some(SourceEnd::NoShow),
    };
    if let Some(how) = end {
        // An end for a booking the file does not hold: nothing to mark.
        let Some((_, id, _, _, old_end, _, _)) = existing else {
            return Ok(Outcome::Unknown);
        };
        mark_end(w, id, old_end.as_deref(), Some(how), &source)?;
        return Ok(Outcome::Applied { case_id: Some(id) });
    }
    let patient_id = match matched {
        Match::Same(id, old) => {
            correct_identity(w, id, &old, &b.patient, &source)?;
            id
        }
        Match::None => create_patient(w, &b.patient)?,
        Match::OtherDomain => {
            return Ok(Outcome::Refused(Refusal {
                code: AckCode::Ar,
                place: Some(pid_3()),
                reason: "the patient identifier is held in this file for a patient of another \
                         assigning authority: not applied"
                    .into(),
            }));
        }
    };
    let techniques = techniques_of(w, &b.services)?;
    let services = serde_json::Value::from(b.services.clone()).to_string();
    let id = match existing {
        None => {
            let Some(start) = b.start else {
                return Ok(Outcome::Refused(Refusal {
                    code: AckCode::Ae,
                    place: Some(Place {
                        segment: "AIS".into(),
                        sequence: 1,
                        field: 4,
                    }),
                    reason: "a new booking without a start time".into(),
                }));
            };
            create(w, b, patient_id, start, techniques.as_deref(), &services)?
        }
        Some((old, id, updated_at, old_services, old_end, _, status)) => {
            let old = old?;
            // The case's patient, checked above: never replaced.
            let mut new = old.clone();
            let at = updated_at.as_str();
            // What the sender changes that the committee's decision was
            // about, a value kept as a conflict included.
            let mut pending_changes = Vec::new();
            for (field, value) in sent(b, techniques.as_deref())? {
                let stored = schedule_field(&old, field)?;
                let base = reimport::base(w, id, Field::Schedule(field), &source)?;
                let meta = Stored {
                    value: stored.as_deref(),
                    by: None,
                    at: Some(at),
                    from: None,
                };
                let mut items = Vec::new();
                let case = (id, b.appointment_id.as_str());
                let from = (source.as_str(), source.as_str());
                if let Some(v) = apply_from(
                    w,
                    case,
                    Field::Schedule(field),
                    &value,
                    meta,
                    from,
                    &mut items,
                )? {
                    set_schedule_field(&mut new, field, &v)?;
                } else if base.as_deref() != Some(value.as_str())
                    && items.iter().any(|i| i.change == Change::Pending)
                {
                    pending_changes.push((field, value));
                }
            }
            update_schedule(w, id, &old, &new)?;
            if old_services.as_deref() != Some(services.as_str()) {
                w.tx().execute(
                    "UPDATE cases SET services = ?2 WHERE id = ?1",
                    params![id, services],
                )?;
                audit::record(
                    w,
                    "case.services",
                    Some(id),
                    old_services.as_deref(),
                    Some(&services),
                )?;
            }
            // Booked again by its source: its end no longer stands.
            mark_end(w, id, old_end.as_deref(), None, &source)?;
            if DecisionStatus::parse(&status).is_some_and(|s| s != DecisionStatus::Pending) {
                let reopened = old_end.is_some();
                let change = changes(&old, &new, &pending_changes, reopened, &source, w)?;
                if let Some(change) = change {
                    super::feed_change::note(w, id, change)?;
                }
            }
            id
        }
    };
    // The laboratory's values that arrived before the booking (or while
    // the case was beyond the results' four weeks).
    super::feed_held::apply_to_case(w, id)?;
    Ok(Outcome::Applied { case_id: Some(id) })
}

/// What a booking changed on a decided case (`old` → `new`, and the
/// values it sent that wait as conflicts): the date, the techniques, the
/// target; or that it booked again a case ended at its source. `None`:
/// nothing the decision was about.
fn changes(
    old: &Schedule,
    new: &Schedule,
    pending: &[(ScheduleField, String)],
    reopened: bool,
    source: &str,
    w: &Writer<'_>,
) -> Result<Option<ChangedAfterDecision>> {
    let mut out = Vec::new();
    let watched = [
        (
            ChangedField::ScheduledAt,
            &old.scheduled_at,
            &new.scheduled_at,
        ),
        (ChangedField::Techniques, &old.techniques, &new.techniques),
        (ChangedField::Target, &old.target, &new.target),
    ];
    for (field, before, after) in watched {
        if before != after {
            out.push(FieldChange {
                field,
                before: before.clone(),
                after: after.clone(),
            });
        }
    }
    for (field, value) in pending {
        let (field, before, after) = match field {
            ScheduleField::ScheduledAt => (
                ChangedField::ScheduledAt,
                &old.scheduled_at,
                serde_json::from_str::<String>(value)?,
            ),
            ScheduleField::Techniques => (ChangedField::Techniques, &old.techniques, value.clone()),
            ScheduleField::Target => (
                ChangedField::Target,
                &old.target,
                serde_json::from_str::<String>(value)?,
            ),
            _ => continue,
        };
        if !out.iter().any(|c| c.field == field) {
            out.push(FieldChange {
                field,
                before: before.clone(),
                after,
            });
        }
    }
    if out.is_empty() && !reopened {
        return Ok(None);
    }
    let on = super::day::hospital_now(w)?.1;
    Ok(Some(ChangedAfterDecision {
        on,
        source: source.to_owned(),
        changes: out,
        reopened,
    }))
}

/// PID-3, the patient identifier.
fn pid_3() -> Place {
    Place {
        segment: "PID".into(),
        sequence: 1,
        field: 3,
    }
}

/// The refusal of a booking whose appointment is another patient's case
/// (no patient data: the appointment id only).
fn another_patient(appointment_id: &str) -> Refusal {
    Refusal {
        code: AckCode::Ar,
        place: Some(pid_3()),
        reason: format!(
            "appointment {appointment_id} belongs to another patient in this file: not applied"
        ),
    }
}

/// The schedule fields a booking sends, each as JSON: the start, the
/// room, the operator, the duration when it has them; the techniques when
/// every service code is mapped, none (`[]`, to define) when one is not.
/// Target and anaesthesia it never sends.
fn sent(b: &Booking, techniques: Option<&str>) -> Result<Vec<(ScheduleField, String)>> {
    fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String> {
        Ok(serde_json::to_string(v)?)
    }
    let mut out = Vec::new();
    if let Some(start) = b.start {
        let at = start.format(DATETIME_FMT).to_string();
        out.push((ScheduleField::ScheduledAt, json(&at)?));
    }
    if let Some(room) = &b.room {
        out.push((ScheduleField::Room, json(room)?));
    }
    if let Some(op) = &b.operator {
        out.push((ScheduleField::Operator, json(op)?));
    }
    match techniques {
        Some(t) => out.push((ScheduleField::Techniques, t.to_owned())),
        // A code not mapped: the techniques are to define, empty (judged
        // at high bleeding risk), never the ones an earlier code gave.
        None if !b.services.is_empty() => {
            out.push((ScheduleField::Techniques, "[]".to_owned()));
        }
        None => {}
    }
    if let Some(d) = b.duration_min {
        out.push((ScheduleField::DurationMin, json(&d)?));
    }
    Ok(out)
}

/// Makes the case of a new booking: what it lacks gets a cautious value
/// shown as such (no target: empty, "to complete"; no anaesthesia: the
/// most demanding, "assumed, to check"; techniques to define until every
/// service code is mapped), and the sender's bases for what it sent.
fn create(
    w: &Writer<'_>,
    b: &Booking,
    patient_id: i64,
    start: chrono::NaiveDateTime,
    techniques: Option<&str>,
    services: &str,
) -> Result<i64> {
    let source = b.header.source();
    let incoming = Schedule {
        patient_id,
        scheduled_at: start.format(DATETIME_FMT).to_string(),
        room: b.room.clone().unwrap_or_default(),
        operator: b.operator.clone().unwrap_or_default(),
        techniques: techniques.unwrap_or("[]").to_owned(),
        target: String::new(),
        anaesthesia: ASSUMED_ANAESTHESIA.as_str().to_owned(),
        bleeding_risk: None,
        duration_min: b.duration_min,
        pain_vas: None,
        life_expectancy_over_6_months: None,
        access: None,
    };
    let now = w.clock().timestamp();
    let mut values = incoming.values();
    values.extend([
        &b.appointment_id as &dyn ToSql,
        &source,
        &now,
        &services as &dyn ToSql,
    ]);
    w.tx().execute(
        &format!(
            "INSERT INTO cases ({SCHEDULE_COLS}, external_id, source, created_at, updated_at, services)
             VALUES ({}, ?{}, ?{})",
            placeholders(SCHEDULE_LEN + 3),
            SCHEDULE_LEN + 3,
            SCHEDULE_LEN + 4
        ),
        params_from_iter(values),
    )?;
    let id = w.tx().last_insert_rowid();
    let new = serde_json::to_string(&incoming)?;
    audit::record(w, "case.create", Some(id), None, Some(&new))?;
    audit::record(w, "case.services", Some(id), None, Some(services))?;
    for (field, value) in sent(b, techniques)? {
        reimport::set_base(w, id, Field::Schedule(field), &source, &value)?;
    }
    if techniques.is_none() {
        // What the sender's codes amount to until they are mapped: the
        // mapping then fills the case as a change of this source would.
        let field = Field::Schedule(ScheduleField::Techniques);
        reimport::set_base(w, id, field, &source, "[]")?;
    }
    Ok(id)
}

/// Sets (or, `how` None, clears) a case's end at its source, audited.
fn mark_end(
    w: &Writer<'_>,
    id: i64,
    old: Option<&str>,
    how: Option<SourceEnd>,
    source: &str,
) -> Result<()> {
    let new = how.map(SourceEnd::as_str);
    if old == new {
        return Ok(());
    }
    let today = super::day::hospital_now(w)?.1.format(DATE_FMT).to_string();
    w.tx().execute(
        "UPDATE cases SET source_end = ?2, source_end_on = ?3, source_end_by = ?4,
           version = version + 1 WHERE id = ?1",
        params![id, new, new.map(|_| today), new.map(|_| source.to_owned())],
    )?;
    let line = |v: Option<&str>| v.map(|v| format!("{v} ({source})"));
    audit::record(
        w,
        "case.source_end",
        Some(id),
        line(old).as_deref(),
        line(new).as_deref(),
    )
}
