//! Laboratory values kept until a case can take them (issue 16, tester's
//! finding): in hospitals the pre-procedure blood test is often drawn and
//! resulted before the scheduling system sends the booking. Every usable
//! value of an ORU^R01 (in its stored unit, with its specimen time) is
//! kept here with the PID's identity as sent, whether or not it reached a
//! case on arrival; when a case is created, or gets a patient, through a
//! booking (`feed_booking`) or a file import (`cases::save`), the values
//! of that patient are applied to it as a live result is
//! (`storage::labs::apply`: value by value, each with its own date, the
//! original sender as the source), provided the identity checks of
//! `feed_labs` pass on the patient as stored then: the IPP and its
//! assigning authority, the birth date, the last name.
//!
//! A value older than the longest biology or coagulation validity window
//! of the rules table (`*.max_age`, in days) can no longer make any
//! coming case complete: it is deleted (audited) whenever values are kept
//! or applied, and not shown. The results that reached no case yet are
//! listed (`feeds held`) with why: no case yet, a patient the file does
//! not hold, an identity that differs; `check` counts the last.

use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub(super) use super::feed_held_apply::{apply_to_case, apply_to_patient};
pub use super::feed_held_list::{Held, HeldValue, list, mismatches};
use super::{Result, Writer, audit};
use crate::domain::labs::{Analyte, LabValue};
use crate::domain::text::fold;
use crate::domain::time::{DATE_FMT, When};
use crate::import::hl7::LabReport;

/// Migration 30: the laboratory values kept for a case to come.
pub const SCHEMA: &str = "
    CREATE TABLE lab_held (
        id          INTEGER PRIMARY KEY,
        -- The message: its sender (hl7:MSH-3@MSH-4, the three-way rule's
        -- source), MSH-10, and where it came from (file:NAME, mllp:ADDR).
        source      TEXT NOT NULL,
        control_id  TEXT NOT NULL,
        origin      TEXT NOT NULL,
        -- The PID as sent: IPP, its assigning authority ('' when not sent),
        -- names and birth date.
        ipp         TEXT NOT NULL,
        authority   TEXT NOT NULL,
        last_name   TEXT NOT NULL,
        first_name  TEXT NOT NULL,
        birth_date  TEXT NOT NULL,
        analyte     TEXT NOT NULL CHECK (analyte IN ('inr', 'platelets_g_l',
                      'neutrophils_g_l', 'hemoglobin_g_dl', 'creatinine_umol_l', 'egfr')),
        -- In the stored unit, within its physical bounds.
        value       REAL NOT NULL,
        -- The specimen's time (OBR-7, else OBX-14).
        at          TEXT NOT NULL,
        -- What happened on arrival.
        arrival     TEXT NOT NULL CHECK (arrival IN ('applied', 'no_case', 'unknown_patient',
                      'identity_mismatch')),
        received_at TEXT NOT NULL,
        -- When it first reached a case (on arrival or later); NULL: held.
        applied_at  TEXT,
        -- OBX-11: a final result, a correction (a later final of the same
        -- sender, analyte and time is not kept), or a withdrawal's mark
        -- (no value kept of that sender, analyte and time; never applied).
        status      TEXT NOT NULL DEFAULT 'final'
                      CHECK (status IN ('final', 'corrected', 'withdrawn')),
        audit_row   INTEGER
    ) STRICT;
    CREATE INDEX lab_held_by_ipp ON lab_held (ipp);
    CREATE INDEX lab_held_by_at ON lab_held (at);";

/// The audit action of values kept.
pub const HOLD_ACTION: &str = "labs.held";
/// The audit action of kept values applied to a case.
pub const APPLY_ACTION: &str = "labs.held_apply";
/// The audit action of kept values withdrawn by their laboratory.
pub const WITHDRAW_ACTION: &str = "labs.held_withdraw";
/// The audit action of kept values deleted, too old to matter.
pub const PURGE_ACTION: &str = "labs.held_purge";

/// What happened to a result on arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arrival {
    /// Applied to the patient's cases of the coming four weeks.
    Applied,
    /// The patient has no case in the coming four weeks.
    NoCase,
    /// No patient of that IPP (or of its authority).
    UnknownPatient,
    /// The stored birth date or last name is not the message's.
    IdentityMismatch,
}

impl Arrival {
    fn as_str(self) -> &'static str {
        match self {
            Arrival::Applied => "applied",
            Arrival::NoCase => "no_case",
            Arrival::UnknownPatient => "unknown_patient",
            Arrival::IdentityMismatch => "identity_mismatch",
        }
    }
}

/// Keeps the usable values of `r` (those `feed_labs` would apply: within
/// bounds, not dated in the future, not two values of one date), in `w`'s
/// transaction; audited (no patient data). Values older than any window
/// are deleted first. These rows are the laboratory's last word, the one
/// `lab_status` reads for the cases too (known patient or not): a
/// withdrawal (OBX-11 `W`) deletes the kept values of its sender, analyte
/// and time and marks them withdrawn; a final result of a time its sender
/// corrected or withdrew is not kept.
pub(super) fn hold(w: &Writer<'_>, r: &LabReport, origin: &str, arrival: Arrival) -> Result<()> {
    purge(w)?;
    let (now, today) = super::day::hospital_now(w)?;
    let cutoff = cutoff(w.tx(), today)?;
    let recent = |at: When| cutoff.is_none_or(|c| at.date() >= c);
    let received = w.clock().timestamp();
    let source = r.header.source();
    let observer = super::lab_status::Observer {
        source: &source,
        ipp: &r.patient.ipp,
        authority: &r.patient.authority,
    };
    // The laboratory's last word is kept whatever its date (never purged).
    for wd in &r.withdrawn {
        if let Some(at) = wd.at {
            withdraw(w, r, wd.analyte, at, origin, &received)?;
        }
    }
    let (values, _, _) = super::feed_labs::usable(&r.values, now);
    let mut kept = Vec::new();
    for v in values {
        let corrected = r
            .corrected
            .iter()
            .any(|c| c.analyte == v.analyte && c.at == v.at);
        // A final value already too old for any coming case is not kept,
        // nor one its sender corrected or withdrew before.
        if corrected
            || (recent(v.at)
                && super::lab_status::last_word(w, observer, v.analyte, v.at)?.is_none())
        {
            kept.push((v, if corrected { "corrected" } else { "final" }));
        }
    }
    if kept.is_empty() {
        return Ok(());
    }
    let applied = (arrival == Arrival::Applied).then_some(received.as_str());
    for (v, status) in &kept {
        insert(
            w,
            r,
            origin,
            (v, status),
            arrival.as_str(),
            (&received, applied),
        )?;
    }
    let line = format!(
        "{} #{}: {} value(s) kept ({})",
        r.header.source(),
        r.header.control_id,
        kept.len(),
        arrival.as_str()
    );
    audit::record(w, HOLD_ACTION, None, None, Some(&line))
}

fn insert(
    w: &Writer<'_>,
    r: &LabReport,
    origin: &str,
    (v, status): (&LabValue, &str),
    arrival: &str,
    (received, applied): (&str, Option<&str>),
) -> Result<()> {
    let p = &r.patient;
    w.tx()
        .prepare_cached(
            "INSERT INTO lab_held (source, control_id, origin, ipp, authority, last_name,
               first_name, birth_date, analyte, value, at, arrival, received_at, applied_at,
               status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            r.header.source(),
            r.header.control_id,
            origin,
            p.ipp,
            p.authority,
            p.last_name,
            p.first_name.as_deref().unwrap_or_default(),
            p.birth_date.format(DATE_FMT).to_string(),
            v.analyte.key(),
            v.value,
            v.at.to_string(),
            arrival,
            received,
            applied,
            status
        ])?;
    Ok(())
}

/// A withdrawal (OBX-11 `W`) of `r`'s sender for that patient, `analyte`
/// and specimen time `at`: the kept values deleted, so that a later case
/// never gets them, and a mark kept in their place (a final result sent
/// again is then not kept either); audited.
fn withdraw(
    w: &Writer<'_>,
    r: &LabReport,
    analyte: Analyte,
    at: When,
    origin: &str,
    received: &str,
) -> Result<()> {
    let source = r.header.source();
    let n = w.tx().execute(
        "DELETE FROM lab_held WHERE source = ?1 AND ipp = ?2 AND authority = ?3
           AND analyte = ?4 AND at = ?5",
        params![
            source,
            r.patient.ipp,
            r.patient.authority,
            analyte.key(),
            at.to_string()
        ],
    )?;
    let mark = LabValue {
        analyte,
        value: 0.0,
        at,
    };
    insert(
        w,
        r,
        origin,
        (&mark, "withdrawn"),
        "applied",
        (received, Some(received)),
    )?;
    let line = format!(
        "{source}: {n} kept {} value(s) of {at} withdrawn",
        analyte.key()
    );
    audit::record(w, WITHDRAW_ACTION, None, None, Some(&line))
}

/// The first day a kept value may still matter on: today minus the
/// longest biology or coagulation validity (days) of the rules table;
/// `None` when the table gives none (nothing is deleted then).
pub(super) fn cutoff(conn: &Connection, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let days: Option<f64> = conn.query_row(
        "SELECT max(value) FROM rules
         WHERE rule IN ('biology.max_age', 'coagulation.max_age') AND unit = 'days'",
        [],
        |r| r.get(0),
    )?;
    Ok(days
        .filter(|d| d.is_finite() && *d >= 0.0)
        .map(|d| today - Duration::days(d.ceil() as i64)))
}

/// Deletes the final values dated before [`cutoff`], audited. The
/// corrections and withdrawals' marks stay: they are the laboratory's
/// last word (`lab_status`), and a correction is not listed or applied
/// once too old (the readers filter by date).
pub(super) fn purge(w: &Writer<'_>) -> Result<()> {
    let (_, today) = super::day::hospital_now(w)?;
    let Some(cutoff) = cutoff(w.tx(), today)? else {
        return Ok(());
    };
    let cutoff = cutoff.format(DATE_FMT).to_string();
    // `at` is a date or a date and time: before the day's date is before
    // the day (and the index serves).
    let n = w.tx().execute(
        "DELETE FROM lab_held WHERE at < ?1 AND status = 'final'",
        [&cutoff],
    )?;
    if n == 0 {
        return Ok(());
    }
    let line = format!(
        "{n} kept value(s) dated before {cutoff} deleted: older than the longest biology or \
         coagulation validity"
    );
    audit::record(w, PURGE_ACTION, None, None, Some(&line))
}

/// A kept value as read back.
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) source: String,
    pub(super) control_id: String,
    pub(super) origin: String,
    pub(super) ipp: String,
    pub(super) authority: String,
    pub(super) last_name: String,
    pub(super) first_name: String,
    pub(super) birth_date: String,
    pub(super) value: LabValue,
    pub(super) received_at: String,
    pub(super) applied: bool,
    /// Sent as a correction (OBX-11 `C`): at one time, it wins over a
    /// final result whatever their order.
    pub(super) corrected: bool,
}

const SELECT: &str = "SELECT id, source, control_id, origin, ipp, authority, last_name,
    first_name, birth_date, analyte, value, at, received_at, applied_at IS NOT NULL,
    status = 'corrected'
    FROM lab_held";

pub(super) fn read_rows(
    conn: &Connection,
    filter: &str,
    p: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Row>> {
    // A withdrawal's mark is no value.
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE status != 'withdrawn' AND ({filter}) ORDER BY id"
    ))?;
    let rows = stmt.query_map(p, |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ),
            (
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ),
            (
                r.get::<_, String>(9)?,
                r.get::<_, f64>(10)?,
                r.get::<_, String>(11)?,
            ),
            r.get::<_, String>(12)?,
            (r.get::<_, bool>(13)?, r.get::<_, bool>(14)?),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (id, source, control_id, origin),
            person,
            (analyte, value, at),
            received_at,
            (applied, corrected),
        ) = row?;
        let (ipp, authority, last_name, first_name, birth_date) = person;
        let analyte = Analyte::from_key(&analyte)
            .ok_or_else(|| super::cases::corrupt("lab_held.analyte", &analyte))?;
        let at = When::parse(&at).map_err(|_| super::cases::corrupt("lab_held.at", &at))?;
        out.push(Row {
            id,
            source,
            control_id,
            origin,
            ipp,
            authority,
            last_name,
            first_name,
            birth_date,
            value: LabValue { analyte, value, at },
            received_at,
            applied,
            corrected,
        });
    }
    Ok(out)
}

/// Why a result did not reach a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The patient is known, with no case the result could reach yet.
    NoCase,
    /// No patient of that IPP (or of that assigning authority).
    UnknownPatient,
    /// The file's patient of that IPP has another birth date or last name:
    /// possibly another patient's result.
    IdentityMismatch,
}

/// The patient of an IPP as stored: assigning authority, last name, birth
/// date.
pub(super) type Stored = (Option<String>, String, String);

pub(super) fn stored_patient(conn: &Connection, ipp: &str) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached("SELECT ipp_authority, last_name, birth_date FROM patients WHERE ipp = ?1")?
        .query_row([ipp], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Whether the kept value's PID names the stored patient (the checks of
/// `feed_labs`), and if not why; with what differs.
pub(super) fn judge(stored: Option<&Stored>, row: &Row) -> (Why, Vec<&'static str>) {
    let Some((authority, last_name, birth_date)) = stored else {
        return (Why::UnknownPatient, Vec::new());
    };
    if !super::feed::same_domain(authority.as_deref(), &row.authority) {
        return (Why::UnknownPatient, Vec::new());
    }
    let mut differs = Vec::new();
    if *birth_date != row.birth_date {
        differs.push("birth_date");
    }
    if fold(last_name) != fold(&row.last_name) {
        differs.push("last_name");
    }
    if differs.is_empty() {
        (Why::NoCase, differs)
    } else {
        (Why::IdentityMismatch, differs)
    }
}

#[cfg(test)]
#[path = "feed_held_tests.rs"]
mod tests;
