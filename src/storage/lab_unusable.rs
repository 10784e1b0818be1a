//! A laboratory's final results that could not be used (issue 16, "never
//! silently wrong"): an INR `>15`, a value outside its physical bounds, a
//! unit this product does not know, two values of one date. Each is
//! recorded against every case the report reached and makes that case's
//! coagulation or biology item blocking, while the stored, older value is
//! left as it was. A person clears it: by typing a value of that analyte
//! dated at or after it (`cases::set_evidence`), or by acknowledging it
//! (`feeds ack-result`, the screen).

use rusqlite::{Connection, params};

use super::{Result, StorageError, Writer, audit};
use crate::domain::feed::{Unusable, UnusableLab};
use crate::domain::labs::Analyte;
use crate::domain::record::EvidenceKind;
use crate::domain::roles::Permission;
use crate::domain::text::sanitize_line;
use crate::domain::time::When;

/// Migration 27: the results set aside that a person must see.
pub const SCHEMA: &str = "
    CREATE TABLE lab_unusable (
        id              INTEGER PRIMARY KEY,
        case_id         INTEGER NOT NULL REFERENCES cases (id),
        analyte         TEXT NOT NULL CHECK (analyte IN ('inr', 'platelets_g_l',
                          'neutrophils_g_l', 'hemoglobin_g_dl', 'creatinine_umol_l', 'egfr')),
        -- OBX-5 and OBX-6 as sent, shortened.
        raw             TEXT NOT NULL CHECK (length(raw) <= 24),
        unit            TEXT NOT NULL CHECK (length(unit) <= 24),
        -- The specimen's time (OBR-7, else OBX-14) when known.
        at              TEXT,
        reason          TEXT NOT NULL CHECK (reason IN ('not_a_number', 'unknown_unit',
                          'undated', 'out_of_bounds', 'two_values', 'future')),
        source          TEXT NOT NULL,
        received_at     TEXT NOT NULL,
        -- Who cleared it (a login), and when; NULL: still blocking.
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        audit_row       INTEGER,
        CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
    ) STRICT;
    CREATE INDEX lab_unusable_open ON lab_unusable (case_id) WHERE acknowledged_at IS NULL;";

/// The audit action of a result recorded as unusable.
pub const RECORD_ACTION: &str = "labs.unusable";
/// The audit action of one acknowledged (`feeds ack-result`).
pub const ACK_ACTION: &str = "feeds.ack_result";
/// The audit action of one cleared by a typed value.
pub const TYPED_ACTION: &str = "labs.unusable_typed";

/// At most `MAX` characters: longer text ends with `…`.
fn clip(s: &str) -> String {
    const MAX: usize = 24;
    let clean = sanitize_line(s);
    if clean.chars().count() <= MAX {
        return clean;
    }
    let mut out: String = clean.chars().take(MAX - 1).collect();
    out.push('…');
    out
}

/// A line for the audit trail: `inr ">15" {INR} 2026-12-07T08:15 not_a_number`.
fn line(u: &UnusableLab) -> String {
    let at =
        u.at.map(|a| a.to_string())
            .unwrap_or_else(|| "undated".into());
    format!(
        "{} \"{}\" {} {at} {} {}",
        u.analyte.key(),
        u.raw,
        u.unit,
        u.reason.as_str(),
        u.source
    )
}

/// Records `u` against the case `case_id`, in the feed's transaction;
/// audited. The same result still open on that case (a laboratory sending
/// it again under another message id) is not recorded twice.
pub(super) fn record(w: &Writer<'_>, case_id: i64, u: &UnusableLab) -> Result<()> {
    let u = UnusableLab {
        raw: clip(&u.raw),
        unit: clip(&u.unit),
        ..u.clone()
    };
    let at = u.at.map(|a| a.to_string());
    let open: bool = w.tx().query_row(
        "SELECT EXISTS (SELECT 1 FROM lab_unusable WHERE case_id = ?1 AND analyte = ?2
           AND raw = ?3 AND unit = ?4 AND at IS ?5 AND reason = ?6 AND source = ?7
           AND acknowledged_at IS NULL)",
        params![
            case_id,
            u.analyte.key(),
            u.raw,
            u.unit,
            at,
            u.reason.as_str(),
            u.source
        ],
        |r| r.get(0),
    )?;
    if open {
        return Ok(());
    }
    w.tx().execute(
        "INSERT INTO lab_unusable (case_id, analyte, raw, unit, at, reason, source, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            case_id,
            u.analyte.key(),
            u.raw,
            u.unit,
            at,
            u.reason.as_str(),
            u.source,
            w.clock().timestamp()
        ],
    )?;
    audit::record(w, RECORD_ACTION, Some(case_id), None, Some(&line(&u)))
}

/// The analyte a person names: its key (`inr`, `platelets_g_l`…) or its
/// short name (`platelets`, `neutrophils`, `haemoglobin`/`hemoglobin`,
/// `creatinine`), case folded.
pub fn parse_analyte(s: &str) -> Option<Analyte> {
    let s = s.trim().to_ascii_lowercase();
    Analyte::from_key(&s).or(match s.as_str() {
        "platelets" | "plt" | "plaquettes" => Some(Analyte::Platelets),
        "neutrophils" | "neutrophiles" => Some(Analyte::Neutrophils),
        "haemoglobin" | "hemoglobin" | "hemoglobine" | "hb" => Some(Analyte::Haemoglobin),
        "creatinine" => Some(Analyte::Creatinine),
        "dfg" => Some(Analyte::Egfr),
        _ => None,
    })
}

/// Marks the rows `ids` of `case_id` as cleared by the writer, each
/// audited as `action`.
fn clear(w: &Writer<'_>, ids: &[i64], action: &str, case_id: i64) -> Result<()> {
    for id in ids {
        let old: String = w.tx().query_row(
            "SELECT analyte || ' \"' || raw || '\" ' || unit || ' ' || coalesce(at, 'undated')
               || ' ' || reason || ' ' || source FROM lab_unusable WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        w.tx().execute(
            "UPDATE lab_unusable SET acknowledged_by = ?2, acknowledged_at = ?3 WHERE id = ?1",
            params![id, w.login(), w.clock().timestamp()],
        )?;
        audit::record(w, action, Some(case_id), Some(&old), Some("checked"))?;
    }
    Ok(())
}

/// Acknowledges every open unusable result of `analyte` on the case
/// `external_id` (a person has dealt with it); audited. Refused when the
/// case has none. Returns how many were cleared.
pub fn acknowledge(w: &Writer<'_>, external_id: &str, analyte: Analyte) -> Result<usize> {
    w.require(Permission::AckResult, ACK_ACTION, None)?;
    let case_id: i64 = w
        .tx()
        .query_row(
            "SELECT id FROM cases WHERE external_id = ?1",
            [external_id],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                StorageError::NoCase(sanitize_line(external_id))
            }
            e => e.into(),
        })?;
    let ids: Vec<i64> = w
        .tx()
        .prepare_cached(
            "SELECT id FROM lab_unusable
             WHERE case_id = ?1 AND analyte = ?2 AND acknowledged_at IS NULL ORDER BY id",
        )?
        .query_map(params![case_id, analyte.key()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.is_empty() {
        return Err(StorageError::Invalid(format!(
            "{}: no unusable {} result to acknowledge",
            sanitize_line(external_id),
            analyte.key()
        )));
    }
    clear(w, &ids, ACK_ACTION, case_id)?;
    Ok(ids.len())
}

/// The open unusable results of the case `case_id`, oldest first, each
/// with its row id: what `L`'s dialog lists, read afresh from the file
/// (not the board's snapshot, which may predate a result).
pub fn open_of(db: &super::Db, case_id: i64) -> Result<Vec<(i64, UnusableLab)>> {
    open_rows(db.conn(), case_id)
}

/// Acknowledges the one open unusable result `id` of the case `case_id`
/// (audited as `feeds ack-result`), only if the case's open results are
/// still exactly `seen`, the list the person was shown; otherwise nothing
/// is acknowledged (`LabResultsChangedSinceShown`). Returns the case's
/// external id and the result acknowledged.
pub fn acknowledge_seen(
    w: &Writer<'_>,
    case_id: i64,
    seen: &[(i64, UnusableLab)],
    id: i64,
) -> Result<(String, UnusableLab)> {
    w.require(Permission::AckResult, ACK_ACTION, Some(case_id))?;
    let external_id: String = w
        .tx()
        .query_row(
            "SELECT external_id FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => StorageError::NoCase(case_id.to_string()),
            e => e.into(),
        })?;
    let now = open_rows(w.tx(), case_id)?;
    let chosen = now.iter().find(|(i, _)| *i == id).map(|(_, u)| u.clone());
    let (true, Some(chosen)) = (now == seen, chosen) else {
        return Err(StorageError::LabResultsChangedSinceShown(sanitize_line(
            &external_id,
        )));
    };
    clear(w, &[id], ACK_ACTION, case_id)?;
    Ok((external_id, chosen))
}

/// After a person's edit of `kind` on `case_id` (`old` the object before,
/// `new` after): each open unusable result of an analyte whose value the
/// person changed, now dated at or after the result's specimen time, is
/// cleared (the person has dealt with it); audited. An undated one waits
/// for an acknowledgement.
pub(super) fn cleared_by_edit(
    w: &Writer<'_>,
    case_id: i64,
    kind: EvidenceKind,
    old: Option<&str>,
    new: &str,
) -> Result<()> {
    if !crate::domain::panel::is_panel(kind) {
        return Ok(());
    }
    let open = open_rows(w.tx(), case_id)?;
    if open.is_empty() {
        return Ok(());
    }
    let values = |json: Option<&str>| {
        json.and_then(|j| crate::domain::panel::values_of(kind, j).ok())
            .map(|(v, _)| v)
            .unwrap_or_default()
    };
    let (before, after) = (values(old), values(Some(new)));
    let mut ids = Vec::new();
    for (id, u) in open {
        let key = u.analyte.key();
        let (Some(at), Some(typed)) = (u.at, after.get(key)) else {
            continue;
        };
        let changed = before.get(key) != Some(typed);
        let later = crate::domain::reimport::compare_dates(typed.1, at).is_ge();
        if changed && later {
            ids.push(id);
        }
    }
    clear(w, &ids, TYPED_ACTION, case_id)
}

/// The open unusable results of a case, oldest first, with their ids.
fn open_rows(conn: &Connection, case_id: i64) -> Result<Vec<(i64, UnusableLab)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, analyte, raw, unit, at, reason, source FROM lab_unusable
         WHERE case_id = ?1 AND acknowledged_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, analyte, raw, unit, at, reason, source) = row?;
        let analyte = Analyte::from_key(&analyte)
            .ok_or_else(|| super::cases::corrupt("lab_unusable.analyte", &analyte))?;
        let reason = Unusable::parse(&reason)
            .ok_or_else(|| super::cases::corrupt("lab_unusable.reason", &reason))?;
        let at = at
            .map(|a| When::parse(&a).map_err(|_| super::cases::corrupt("lab_unusable.at", &a)))
            .transpose()?;
        out.push((
            id,
            UnusableLab {
                analyte,
                raw,
                unit,
                at,
                reason,
                source,
            },
        ));
    }
    Ok(out)
}

/// The open unusable results of a case (the feed's marks).
pub(super) fn load(conn: &Connection, case_id: i64) -> Result<Vec<UnusableLab>> {
    Ok(open_rows(conn, case_id)?
        .into_iter()
        .map(|(_, u)| u)
        .collect())
}
