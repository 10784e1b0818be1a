//! The schedule columns of a case (date, room, operator, techniques…): as
//! stored, field by field for the re-import rule, and their update.

use rusqlite::{Row, ToSql, params_from_iter};
use serde::Serialize;

use super::{Result, Writer, audit};
use crate::domain::model::CaseFile;
use crate::domain::reimport::ScheduleField;
use crate::domain::time::DATETIME_FMT;

/// The schedule columns of a case, as stored (for comparison and audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Schedule {
    pub patient_id: i64,
    pub scheduled_at: String,
    pub room: String,
    pub operator: String,
    pub techniques: String,
    pub target: String,
    pub anaesthesia: String,
    pub bleeding_risk: Option<String>,
    pub duration_min: Option<u32>,
    pub pain_vas: Option<u8>,
    pub life_expectancy_over_6_months: Option<bool>,
    /// The access route (migration 9).
    pub access: Option<String>,
}

pub(crate) const SCHEDULE_COLS: &str = "patient_id, scheduled_at, room, operator, techniques, \
    target, anaesthesia, bleeding_risk, duration_min, pain_vas, life_expectancy_over_6_months, \
    access";
pub(crate) const SCHEDULE_LEN: usize = 12;

/// `?1, ?2, …, ?n`.
pub(super) fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a source's missing optional schedule fields read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// The source is complete for its procedure: an absent `bleeding_risk`
    /// or `duration_min` is the value "none" (JSON interchange).
    Clears,
    /// The source only carries some columns: an absent one is not a value
    /// (CSV schedule).
    Keeps,
}

impl Schedule {
    pub(super) fn of(case: &CaseFile, patient_id: i64) -> Schedule {
        let p = &case.procedure;
        let techniques: Vec<&str> = p.techniques.iter().map(|t| t.as_str()).collect();
        Schedule {
            patient_id,
            scheduled_at: p.scheduled_at.format(DATETIME_FMT).to_string(),
            room: p.room.clone(),
            operator: p.operator.clone(),
            techniques: serde_json::Value::from(techniques).to_string(),
            target: p.target.clone(),
            anaesthesia: p.anaesthesia.as_str().to_owned(),
            bleeding_risk: p.bleeding_risk.map(|r| r.as_str().to_owned()),
            duration_min: p.duration_min,
            pain_vas: case.pain_vas,
            life_expectancy_over_6_months: case.life_expectancy_over_6_months,
            access: p.access.map(|a| a.as_str().to_owned()),
        }
    }

    /// The fields a source sends, each as JSON: `pain_vas`, the life
    /// expectancy and the access only when given (an absent one is not a
    /// value: it never clears what a person recorded); `bleeding_risk` and `duration_min` as
    /// `null` when the source is complete for them (`absent`).
    pub(super) fn sent(&self, absent: Absent) -> Result<Vec<(ScheduleField, String)>> {
        let mut out = Vec::with_capacity(ScheduleField::ALL.len());
        for field in ScheduleField::ALL {
            let value = match schedule_field(self, field)? {
                Some(v) => Some(v),
                None => match (field, absent) {
                    (ScheduleField::BleedingRisk | ScheduleField::DurationMin, Absent::Clears) => {
                        Some("null".to_owned())
                    }
                    _ => None,
                },
            };
            if let Some(v) = value {
                out.push((field, v));
            }
        }
        Ok(out)
    }

    /// The values of [`SCHEDULE_COLS`], in order.
    pub(super) fn values(&self) -> Vec<&dyn ToSql> {
        vec![
            &self.patient_id,
            &self.scheduled_at,
            &self.room,
            &self.operator,
            &self.techniques,
            &self.target,
            &self.anaesthesia,
            &self.bleeding_risk,
            &self.duration_min,
            &self.pain_vas,
            &self.life_expectancy_over_6_months,
            &self.access,
        ]
    }
}

/// One field as JSON (`"Salle 2"`, `["vertebroplasty"]`, `60`); `None`
/// when the column is empty.
pub(crate) fn schedule_field(s: &Schedule, field: ScheduleField) -> Result<Option<String>> {
    fn json<T: Serialize>(v: &T) -> Result<String> {
        Ok(serde_json::to_string(v)?)
    }
    Ok(match field {
        ScheduleField::ScheduledAt => Some(json(&s.scheduled_at)?),
        ScheduleField::Room => Some(json(&s.room)?),
        ScheduleField::Operator => Some(json(&s.operator)?),
        // Stored as a JSON array already.
        ScheduleField::Techniques => Some(s.techniques.clone()),
        ScheduleField::Target => Some(json(&s.target)?),
        ScheduleField::Anaesthesia => Some(json(&s.anaesthesia)?),
        ScheduleField::BleedingRisk => s.bleeding_risk.as_ref().map(json).transpose()?,
        ScheduleField::DurationMin => s.duration_min.as_ref().map(json).transpose()?,
        ScheduleField::PainVas => s.pain_vas.as_ref().map(json).transpose()?,
        ScheduleField::LifeExpectancy => s
            .life_expectancy_over_6_months
            .as_ref()
            .map(json)
            .transpose()?,
        ScheduleField::Access => s.access.as_ref().map(json).transpose()?,
    })
}

/// Sets one field from its JSON (as [`schedule_field`] writes it).
pub(crate) fn set_schedule_field(
    s: &mut Schedule,
    field: ScheduleField,
    value: &str,
) -> Result<()> {
    fn parse<T: serde::de::DeserializeOwned>(value: &str) -> Result<T> {
        Ok(serde_json::from_str(value)?)
    }
    match field {
        ScheduleField::ScheduledAt => s.scheduled_at = parse(value)?,
        ScheduleField::Room => s.room = parse(value)?,
        ScheduleField::Operator => s.operator = parse(value)?,
        ScheduleField::Techniques => {
            let list: Vec<String> = parse(value)?;
            s.techniques = serde_json::Value::from(list).to_string();
        }
        ScheduleField::Target => s.target = parse(value)?,
        ScheduleField::Anaesthesia => s.anaesthesia = parse(value)?,
        ScheduleField::BleedingRisk => s.bleeding_risk = parse(value)?,
        ScheduleField::DurationMin => s.duration_min = parse(value)?,
        ScheduleField::PainVas => s.pain_vas = parse(value)?,
        ScheduleField::LifeExpectancy => s.life_expectancy_over_6_months = parse(value)?,
        ScheduleField::Access => s.access = parse(value)?,
    }
    Ok(())
}

/// Writes a case's schedule if it changed, audited old -> new.
pub(crate) fn update_schedule(
    w: &Writer<'_>,
    case_id: i64,
    old: &Schedule,
    new: &Schedule,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let external_id = || -> Result<String> {
        Ok(w.tx().query_row(
            "SELECT external_id FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )?)
    };
    super::procedure::check_risk(w.tx(), &external_id, Some(old), new)?;
    let now = w.clock().timestamp();
    let mut values = new.values();
    values.extend([&now as &dyn ToSql, &case_id]);
    w.tx().execute(
        &format!(
            "UPDATE cases SET ({SCHEDULE_COLS}) = ({}), updated_at = ?{},
               version = version + 1 WHERE id = ?{}",
            placeholders(SCHEDULE_LEN),
            SCHEDULE_LEN + 1,
            SCHEDULE_LEN + 2
        ),
        params_from_iter(values),
    )?;
    let old_json = serde_json::to_string(old)?;
    let new_json = serde_json::to_string(new)?;
    audit::record(
        w,
        "case.update",
        Some(case_id),
        Some(&old_json),
        Some(&new_json),
    )?;
    Ok(())
}

pub(crate) fn schedule_from_row(r: &Row<'_>, at: usize) -> Result<Schedule> {
    Ok(Schedule {
        patient_id: r.get(at)?,
        scheduled_at: r.get(at + 1)?,
        room: r.get(at + 2)?,
        operator: r.get(at + 3)?,
        techniques: r.get(at + 4)?,
        target: r.get(at + 5)?,
        anaesthesia: r.get(at + 6)?,
        bleeding_risk: r.get(at + 7)?,
        duration_min: r.get(at + 8)?,
        pain_vas: r.get(at + 9)?,
        life_expectancy_over_6_months: r.get(at + 10)?,
        access: r.get(at + 11)?,
    })
}
