//! What happened after the committee, for the synthetic past cases (issue
//! 15 §6): the committee's coded reasons, the day of each validated case
//! (performed, or not with a coded reason), its immediate complication, the
//! J+1 and M1 calls, and a few patients who died.
//!
//! The rates are plausible, not real: about 6 % of validated cases not
//! performed at the start of the series, mostly for a drug not stopped or a
//! missing test, falling to about 2 % at its end (the committee's effect);
//! about 3 % immediate complications (CIRSE 1 and 2 mostly); pain 7–8
//! before a cementoplasty or vertebroplasty and 2–4 at M1; M1 reached for
//! most, some not reached, some not called yet (overdue).
//!
//! Its draws come from a generator of their own, so that the cases the
//! series had before (their patients, dates, techniques) stay as they were.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{CachedStatement, params};

use super::super::{Result, Writer, audit};
use crate::domain::outcome::{M1_FROM_DAYS, M1_TO_DAYS};
use crate::domain::vocab::{Analgesics, ReasonCode, Technique};

/// The committee's coded reason for a postponement or a cancellation, and
/// the free text a member would type with it.
pub(super) fn decision_reason(
    rng: &mut fastrand::Rng,
    status: &str,
) -> (Option<&'static str>, Option<ReasonCode>) {
    match status {
        "postponed" => {
            let (text, code) = match rng.u8(0..10) {
                0..=4 => ("dossier incomplet", ReasonCode::MissingTest),
                5 | 6 => ("anticoagulant non arrêté", ReasonCode::DrugNotStopped),
                7 => ("consentement à recueillir", ReasonCode::Consent),
                8 => (
                    "consultation d'anesthésie à prévoir",
                    ReasonCode::Anaesthesia,
                ),
                _ => ("créneau indisponible", ReasonCode::Scheduling),
            };
            (Some(text), Some(code))
        }
        "cancelled" => {
            let (text, code) = match rng.u8(0..10) {
                0..=5 => ("altération de l'état général", ReasonCode::PatientCondition),
                6 | 7 => ("refus du patient", ReasonCode::PatientDeclined),
                8 => ("patient décédé", ReasonCode::PatientDeceased),
                _ => ("indication récusée", ReasonCode::Other),
            };
            (Some(text), Some(code))
        }
        _ => (None, None),
    }
}

/// The pain before the procedure (0–10) for a case's main technique, from
/// the draw the series always made (3 to 9): 6–9 (mostly 7–8) for the
/// procedures done for pain, the draw itself otherwise.
pub(super) fn pain_before(technique: Technique, raw: u8) -> u8 {
    match technique {
        Technique::Cementoplasty
        | Technique::Vertebroplasty
        | Technique::Kyphoplasty
        | Technique::Neurolysis => [6, 7, 7, 8, 8, 9][usize::from(raw) % 6],
        _ => raw,
    }
}

/// One validated past case, as the series drew it.
pub(super) struct Case<'a> {
    pub id: i64,
    pub at: NaiveDateTime,
    pub operator: &'a str,
    pub techniques: &'a str,
    pub technique: Technique,
    pub anaesthesia: &'a str,
    pub pain: u8,
    /// Where the case falls in the series: 0 at its start, 1 at its end.
    pub progress: f64,
}

/// The prepared writes of the day and of the follow-ups.
pub(super) struct After<'t> {
    outcome: CachedStatement<'t>,
    follow_up: CachedStatement<'t>,
    today: NaiveDate,
    now: String,
    login: String,
}

impl<'t> After<'t> {
    pub fn new(w: &'t Writer<'_>) -> Result<After<'t>> {
        let tx = w.tx();
        Ok(After {
            outcome: tx.prepare_cached(
                "INSERT INTO outcomes (case_id, performed, performed_at, operator, techniques,
                   anaesthesia, duration_min, reason, reason_text, complication_grade,
                   complication_text, recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            follow_up: tx.prepare_cached(
                "INSERT INTO follow_ups (case_id, kind, called_at, reached, pain, analgesics,
                   morphine_mg_day, complication_grade, complication_text, attempts,
                   recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?,
            today: w.clock().today(),
            now: w.clock().timestamp(),
            login: w.login().to_owned(),
        })
    }

    /// Writes the day of a validated case and its follow-ups, if its day
    /// has come.
    pub fn case(&mut self, rng: &mut fastrand::Rng, c: &Case<'_>) -> Result<()> {
        if c.at.date() >= self.today {
            return Ok(());
        }
        if let Some((reason, text)) = not_performed(rng, c.progress) {
            self.outcome.execute(params![
                c.id,
                0,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<i64>,
                reason.as_str(),
                text,
                None::<i64>,
                None::<String>,
                self.now,
                self.login,
            ])?;
            return Ok(());
        }
        let complication = immediate_complication(rng);
        self.outcome.execute(params![
            c.id,
            1,
            c.at.format("%Y-%m-%dT%H:%M").to_string(),
            c.operator,
            c.techniques,
            c.anaesthesia,
            duration(rng, c.technique),
            None::<String>,
            None::<String>,
            complication.map(|(g, _)| g),
            complication.map(|(_, t)| t),
            self.now,
            self.login,
        ])?;
        self.follow_ups(rng, c)
    }

    fn follow_ups(&mut self, rng: &mut fastrand::Rng, c: &Case<'_>) -> Result<()> {
        let day = c.at.date();
        let since = (self.today - day).num_days();
        // J+1: called for some (two in five), reached mostly.
        if since >= 1 && rng.u8(0..5) < 2 {
            let reached = rng.u8(0..10) != 0;
            let pain = c.pain.saturating_sub(rng.u8(0..3));
            let at = (day + Duration::days(1)).and_hms_opt(10, 0, 0);
            self.call(
                c.id,
                "j1",
                at,
                reached.then_some(pain),
                Analgesics::Unchanged,
                None,
                None,
                1,
            )?;
        }
        // M1: due from J+28 to J+42, overdue after.
        let from = M1_FROM_DAYS as i64;
        let to = M1_TO_DAYS as i64;
        if since < from {
            return Ok(());
        }
        let called_on = from + rng.i64(0..12);
        let draw = rng.u8(0..100);
        let (reached, attempts) = match draw {
            0..=84 => (true, 1 + u32::from(rng.u8(0..10) < 2)),
            85..=92 => (false, 2 + u32::from(rng.u8(0..2))),
            _ => return Ok(()), // not called yet: overdue once past J+42
        };
        if called_on > since || (since <= to && rng.bool()) {
            // Still in the window: not every call is made yet.
            return Ok(());
        }
        let at = (day + Duration::days(called_on)).and_hms_opt(14, 30, 0);
        if !reached {
            return self.call(
                c.id,
                "m1",
                at,
                None,
                Analgesics::Unchanged,
                None,
                None,
                attempts,
            );
        }
        let pain = pain_at_m1(rng, c.technique, c.pain);
        let relief = c.pain.saturating_sub(pain);
        let analgesics = if relief >= 3 {
            match rng.u8(0..20) {
                0..=4 => Analgesics::Stopped,
                5..=16 => Analgesics::Decreased,
                17 | 18 => Analgesics::Unchanged,
                _ => Analgesics::Increased,
            }
        } else {
            match rng.u8(0..20) {
                0..=3 => Analgesics::Decreased,
                4..=16 => Analgesics::Unchanged,
                _ => Analgesics::Increased,
            }
        };
        let morphine = (rng.u8(0..10) < 3).then(|| f64::from(rng.u8(1..13)) * 5.0);
        let complication = (rng.u8(0..50) == 0).then(|| {
            if rng.u8(0..4) == 0 {
                (2, "douleur au point de ponction, antalgiques majorés")
            } else {
                (1, "hématome résolutif")
            }
        });
        self.call(
            c.id,
            "m1",
            at,
            Some(pain),
            analgesics,
            morphine,
            complication,
            attempts,
        )
    }

    /// One follow-up row; not reached when `pain` is `None`.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        id: i64,
        kind: &str,
        at: Option<NaiveDateTime>,
        pain: Option<u8>,
        analgesics: Analgesics,
        morphine: Option<f64>,
        complication: Option<(u8, &str)>,
        attempts: u32,
    ) -> Result<()> {
        let Some(at) = at else { return Ok(()) };
        let reached = pain.is_some();
        self.follow_up.execute(params![
            id,
            kind,
            at.format("%Y-%m-%dT%H:%M").to_string(),
            i64::from(reached),
            pain,
            reached.then_some(analgesics.as_str()),
            morphine.filter(|_| reached),
            complication.filter(|_| reached).map(|(g, _)| g),
            complication.filter(|_| reached).map(|(_, t)| t),
            attempts,
            self.now,
            self.login,
        ])?;
        Ok(())
    }
}

/// Whether a validated case was not performed on the day, and why: drug
/// holds and missing tests fall from about 4.5 % to 0.5 % over the series,
/// the other reasons stay at about 1.5 %.
fn not_performed(
    rng: &mut fastrand::Rng,
    progress: f64,
) -> Option<(ReasonCode, Option<&'static str>)> {
    let draw = rng.f64();
    let preventable = 0.005 + 0.04 * (1.0 - progress.clamp(0.0, 1.0));
    if draw < preventable {
        return Some(if rng.bool() {
            (ReasonCode::DrugNotStopped, None)
        } else {
            (ReasonCode::MissingTest, None)
        });
    }
    if draw < preventable + 0.015 {
        return Some(match rng.u8(0..6) {
            0 | 1 => (ReasonCode::PatientCondition, None),
            2 => (ReasonCode::Equipment, None),
            3 => (ReasonCode::Scheduling, None),
            4 => (ReasonCode::PatientDeclined, None),
            _ => (ReasonCode::Other, Some("patient hospitalisé ailleurs")),
        });
    }
    None
}

/// An immediate complication for about 3 in 100 cases: its CIRSE grade
/// and what happened.
fn immediate_complication(rng: &mut fastrand::Rng) -> Option<(u8, &'static str)> {
    if rng.u8(0..100) >= 3 {
        return None;
    }
    Some(match rng.u8(0..20) {
        0..=11 => (1, "hématome au point de ponction"),
        12..=16 => (2, "fuite de ciment asymptomatique surveillée"),
        17 | 18 => (3, "saignement nécessitant une transfusion"),
        _ => (4, "embolie cimentaire, réanimation"),
    })
}

/// The procedure's duration in minutes, around a technique's usual one.
fn duration(rng: &mut fastrand::Rng, technique: Technique) -> i64 {
    let base = match technique {
        Technique::TunnelledPleuralDrain | Technique::TunnelledPeritonealDrain => 30,
        Technique::Vertebroplasty | Technique::Cementoplasty | Technique::Neurolysis => 45,
        Technique::Embolisation | Technique::Osteosynthesis => 90,
        _ => 60,
    };
    base + 5 * rng.i64(-3..7)
}

/// The pain at M1 (0–10): 2–4 after a cementoplasty or vertebroplasty done
/// at 7–8, a smaller and wider relief after the others; about one in
/// eight not relieved.
fn pain_at_m1(rng: &mut fastrand::Rng, technique: Technique, before: u8) -> u8 {
    let relieved = rng.u8(0..100) < 88;
    match technique {
        Technique::Cementoplasty | Technique::Vertebroplasty | Technique::Kyphoplasty
            if relieved =>
        {
            (2 + rng.u8(0..3)).min(before)
        }
        _ if relieved => before.saturating_sub(1 + rng.u8(0..4)),
        _ => before.saturating_sub(rng.u8(0..2)),
    }
}

/// A few of the series' patients died (about 5 in 100, some months after
/// their last case): recorded once each, claimed by one audit row.
pub(super) fn deaths(w: &Writer<'_>, ipp_glob: &str) -> Result<()> {
    let today = w.clock().today().format("%Y-%m-%d").to_string();
    let n = w.tx().execute(
        "INSERT INTO deaths (patient_id, died_on, recorded_at, recorded_by)
         SELECT patient_id, died_on, ?1, ?2 FROM (
           SELECT c.patient_id,
                  date(max(c.scheduled_at), '+' || (45 + c.patient_id % 180) || ' days') AS died_on
             FROM cases c JOIN patients p ON p.id = c.patient_id
            WHERE p.ipp GLOB ?3 AND p.id % 20 = 7
              AND p.id NOT IN (SELECT patient_id FROM deaths)
            GROUP BY c.patient_id)
         WHERE died_on < ?4",
        params![w.clock().timestamp(), w.login(), ipp_glob, today],
    )?;
    let what = format!("synthetic deaths: {n}");
    audit::record(w, "demo.synthetic", None, None, Some(&what))?;
    Ok(())
}
