//! The week as the screen shows it: loaded from storage once per change
//! (never from the draw code), judged, and kept in the app state; with how
//! much of each patient's identity the board must show to tell look-alike
//! patients apart.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::domain::assess::{Assessment, age_on};
use crate::domain::record::{PendingValue, StoredCase};
use crate::domain::roles::{Read, Role, Sight};
use crate::domain::rules::Context;
use crate::domain::text::{fold, sanitize_line, search_key};
use crate::domain::week::Week;
use crate::export::pseudo::Pseudonymiser;
use crate::storage::{Db, Result};
use crate::tui::TuiError;

/// How much of a patient's identity the board shows (identity vigilance:
/// last name, first name, birth date, then the hospital number). Ordered:
/// each level shows more than the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    /// No other patient of the week shares the shortened name (`DUPRÉ F.`).
    Unique,
    /// Another patient shares the shortened name: the full first name shows.
    FirstName,
    /// Another patient shares the last and first names: the full birth date
    /// shows too.
    BirthDate,
    /// Another patient shares the names and the birth date (two hospital
    /// numbers): the hospital number shows too.
    Ipp,
}

/// The patient as the board names them, cleaned once per loaded week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientName {
    /// In capitals.
    pub last: String,
    pub first: String,
    /// On the day of the procedure.
    pub age: i32,
    /// `None` when pseudonymised: never shown, never compared.
    pub birth_date: Option<NaiveDate>,
    pub ipp: String,
    pub likeness: Likeness,
}

/// What [`CaseView::fingerprint`] compares.
pub type Fingerprint = (i64, i64, usize, usize, Vec<PendingValue>);

/// One case on the board.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub stored: StoredCase,
    pub assessment: Assessment,
    /// Postponed into this week from an earlier one: shown at the top.
    pub to_reschedule: bool,
    /// What a search looks into (`text::search_key`): the last and first
    /// names, the IPP, the case id and the operator, as shown (a viewer's
    /// initials and pseudonyms, never the real ones).
    pub search_key: String,
    /// The patient's name as the board shows it, with its [`Likeness`].
    pub name: PatientName,
}

impl CaseView {
    pub fn id(&self) -> i64 {
        self.stored.id
    }

    /// Validated, and blocking since on an item the committee did not
    /// accept (an override accepts only what was blocking then).
    pub fn alert(&self) -> bool {
        self.assessment.validated_but_blocking(&self.stored)
    }

    /// Changes when anything shown about the case changes: its row, an
    /// evidence object, a note, a decision, a pending file value.
    pub fn fingerprint(&self) -> Fingerprint {
        let evidence = self.stored.recorded.iter().map(|r| r.version).sum();
        (
            self.stored.version,
            evidence,
            self.stored.notes.len(),
            self.stored.decisions.len(),
            self.stored.pending.clone(),
        )
    }
}

/// The loaded week.
#[derive(Debug, Clone)]
pub struct WeekData {
    pub week: Week,
    /// The hospital's time zone, for showing when things were recorded.
    pub tz: chrono_tz::Tz,
    /// Cases to reschedule first, then the week's cases by time and room.
    pub cases: Vec<CaseView>,
    /// Every case was seen as a viewer sees it (`report::pseudo::case`):
    /// the screen says so, always.
    pub pseudonymised: bool,
    /// The pseudonym key the screen was opened with (kept for reloads).
    pub key: Option<Pseudonymiser>,
    /// The week's chase list counted (open, too late), for the header;
    /// `None` for a role that may not read it (`Read::Tasks`).
    pub tasks: Option<(usize, usize)>,
    /// When the week's attendance is recorded: the roles short of the
    /// quorum, each with how many are missing (empty: it holds).
    pub quorum: Option<Vec<(Role, u32)>>,
    /// The follow-up calls overdue, counted at each load (the header);
    /// `None` for a role that may not read them (`Read::FollowUps`).
    pub overdue_follow_ups: Option<usize>,
    /// The validated cases of the coming four weeks blocking now
    /// (`report::alerts`), whatever week is shown: the header counts them.
    pub alerts: Vec<crate::report::alerts::Alert>,
    /// The role reads the follow-up calls but no week (the nurse): the
    /// board holds no case and says why.
    pub board_refused: bool,
    /// The local protocol's version and last approval (the header's line;
    /// issue 17), read at each load: a change of the rules reloads.
    pub protocol: crate::domain::protocol::Status,
}

/// Whether the chase list takes a case of the loaded week: its own, neither
/// cancelled (by the committee or at its source) nor postponed, of a
/// patient not recorded as deceased.
pub fn chased(c: &CaseView) -> bool {
    use crate::domain::vocab::DecisionStatus as S;
    !c.to_reschedule
        && !matches!(c.stored.status, S::Cancelled | S::Postponed)
        && c.stored.died_on.is_none()
        && c.stored.ended_at_source().is_none()
}

/// Now on the hospital's clock (`--today`: noon UTC of that day).
pub fn now(db: &Db, tz: chrono_tz::Tz) -> chrono::NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(&db.clock().timestamp())
        .map(|t| t.with_timezone(&tz).naive_local())
        .unwrap_or_else(|_| db.clock().today().and_time(chrono::NaiveTime::MIN))
}

/// The roles short of `week`'s quorum, when its attendance is recorded: a
/// user present counts in their role, a name typed in in the role it was
/// given (`domain::quorum`).
fn quorum(
    db: &Db,
    week: Week,
    rules: &crate::domain::rules::RuleSet,
) -> Result<Option<Vec<(Role, u32)>>> {
    let Some(meeting) = crate::storage::exports::meeting(db, week)? else {
        return Ok(None);
    };
    let mut present = Vec::new();
    for p in &meeting.people {
        let role = match &p.login {
            Some(login) => crate::storage::users::role_of(db.conn(), login)?,
            None => p.role,
        };
        present.extend(role);
    }
    Ok(Some(crate::domain::quorum::missing(
        &rules.quorum(),
        &present,
    )))
}

/// Whether the person reads no week but the follow-up calls (the nurse):
/// the screen opens on the call list, over a board with no case.
fn calls_only(db: &Db) -> Result<bool> {
    use crate::domain::roles::reads;
    let role = db.role()?;
    Ok(reads(role, Read::Week).is_none() && reads(role, Read::FollowUps).is_some())
}

/// The follow-up calls overdue today, for a role that reads them (read
/// once per load, never per frame).
fn overdue_follow_ups(db: &Db, tz: chrono_tz::Tz) -> Result<Option<usize>> {
    if crate::domain::roles::reads(db.role()?, Read::FollowUps).is_none() {
        return Ok(None);
    }
    let today = now(db, tz).date();
    crate::storage::followup::overdue_count(db, today).map(Some)
}

/// How the person sees the screen's board and detail (the read table's
/// `Week` and `CaseDetail`; pseudonymised if either is): a login the file
/// does not know reads nothing.
fn screen_sight(db: &Db) -> Result<Sight> {
    let mut sight = Sight::Identified;
    for r in [Read::Week, Read::CaseDetail] {
        if db.require_read(r)? == Sight::Pseudonymised {
            sight = Sight::Pseudonymised;
        }
    }
    Ok(sight)
}

/// Whether the person may see the screen, before the terminal is taken:
/// `None` to see it as stored; the configured pseudonym key for a role that
/// reads it pseudonymised (a viewer, the auditor), or the refusal saying
/// how to install one; a login the file does not know is refused.
pub fn require_screen(db: &Db) -> std::result::Result<Option<Pseudonymiser>, TuiError> {
    if calls_only(db)? {
        return Ok(None);
    }
    match screen_sight(db)? {
        Sight::Identified => Ok(None),
        sight => Ok(Pseudonymiser::for_sight(sight, db.role()?)?),
    }
}

/// Reads and judges `week` (behind the read table, on every load); for a
/// role that reads it pseudonymised, each case is pseudonymised once
/// judged, in the data itself, with `key` (else the configured key: a role
/// changed while the screen is open; without one, refused).
pub fn load(db: &Db, week: Week, key: Option<&Pseudonymiser>) -> Result<WeekData> {
    if calls_only(db)? {
        let tz = db.timezone()?;
        return Ok(WeekData {
            week,
            tz,
            cases: Vec::new(),
            pseudonymised: false,
            key: key.cloned(),
            tasks: None,
            quorum: None,
            overdue_follow_ups: overdue_follow_ups(db, tz)?,
            alerts: Vec::new(),
            board_refused: true,
            protocol: crate::storage::protocol::status(db.conn())?,
        });
    }
    let reader = db.reader(Read::Week)?;
    let configured;
    let seen = match (screen_sight(db)?, key) {
        (Sight::Identified, _) => None,
        (Sight::Pseudonymised, Some(k)) => Some(k),
        (Sight::Pseudonymised, None) => {
            configured = Pseudonymiser::configured().map_err(|_| {
                crate::storage::StorageError::ScreenPseudonymised {
                    login: sanitize_line(db.login()),
                    role: db.role().ok().flatten().unwrap_or(Role::Viewer),
                }
            })?;
            Some(&configured)
        }
    };
    // The rules that judge the board and the version the header names, in
    // one read.
    let (rules, protocol) = db.rules_and_protocol()?;
    let quorum = quorum(db, week, &rules)?;
    let tz = db.timezone()?;
    let ctx = Context { rules: &rules, tz };
    let view = |mut stored: StoredCase, to_reschedule: bool| {
        let mut assessment = if to_reschedule {
            Assessment::to_reschedule(&stored, &ctx)
        } else {
            Assessment::of_stored(&stored, &ctx)
        };
        let f = &stored.file;
        let age = age_on(f.patient.birth_date, f.day());
        let mut birth_date = Some(f.patient.birth_date);
        if let Some(ps) = seen {
            crate::report::pseudo::case(&mut stored, &mut assessment, ps);
            birth_date = None;
        }
        // What the board and the detail show, and only that: a search
        // finds a viewer's case by its initials or its pseudonym.
        let f = &stored.file;
        let search_key = search_key(&[
            &f.patient.last_name,
            &f.patient.first_name,
            &f.patient.ipp,
            &f.external_id,
            &f.procedure.operator,
        ]);
        let name = PatientName {
            last: sanitize_line(&f.patient.last_name).to_uppercase(),
            first: sanitize_line(&f.patient.first_name),
            age,
            birth_date,
            ipp: sanitize_line(&f.patient.ipp),
            likeness: Likeness::Unique,
        };
        CaseView {
            assessment,
            stored,
            to_reschedule,
            search_key,
            name,
        }
    };
    let mut cases: Vec<CaseView> = reader
        .to_reschedule(week)?
        .into_iter()
        .map(|c| view(c, true))
        .collect();
    cases.extend(reader.week(week)?.into_iter().map(|c| view(c, false)));
    tell_apart(&mut cases);
    let tasks = crate::domain::roles::reads(db.role()?, Read::Tasks).map(|_| {
        let now = now(db, tz);
        let all = cases.iter().filter(|c| chased(c)).flat_map(|c| {
            crate::domain::tasks::chase(&c.stored.file, &c.assessment.dossier, &ctx, now).tasks
        });
        all.fold((0, 0), |(open, late), t| match t.state {
            crate::domain::tasks::State::Open => (open + 1, late),
            crate::domain::tasks::State::TooLate => (open, late + 1),
        })
    });
    let today = db.clock().today_in(tz);
    let alerts = crate::report::alerts::coming(db, &reader, &ctx, today, seen)?;
    Ok(WeekData {
        week,
        tz,
        cases,
        alerts,
        pseudonymised: seen.is_some(),
        key: seen.or(key).cloned(),
        tasks,
        quorum,
        overdue_follow_ups: overdue_follow_ups(db, tz)?,
        board_refused: false,
        protocol,
    })
}

/// Sets each row's [`Likeness`] ([`likenesses`]).
fn tell_apart(cases: &mut [CaseView]) {
    let names: Vec<&PatientName> = cases.iter().map(|c| &c.name).collect();
    let levels = likenesses(&names);
    for (c, level) in cases.iter_mut().zip(levels) {
        c.name.likeness = level;
    }
}

/// How much of each name the board must show: rows of different patients
/// (different hospital numbers) who share a last name, compared without
/// case or accents (`DUPRÉ` and `Dupre`: a narrow board may cut the
/// initial, so the last name alone decides) — show the full first name;
/// those whose full names also read alike show the birth date; those born
/// the same day too show the hospital number. Pseudonymised (the initials
/// in `last`, no first name, no birth date): rows of different patients
/// with the same initials show the IPP's pseudonym, nothing else. Rows of
/// the same patient never make each other look-alikes.
pub fn likenesses(names: &[&PatientName]) -> Vec<Likeness> {
    let keys: Vec<[String; 3]> = names
        .iter()
        .map(|n| {
            let short = fold(&n.last);
            let full = format!("{short}\u{0}{}", fold(&n.first));
            // Pseudonymised (no birth date, initials only): rows of two
            // patients with the same initials show their IPP pseudonyms.
            let born = match n.birth_date {
                Some(d) => format!("{full}\u{0}{d}"),
                None => full.clone(),
            };
            [short, full, born]
        })
        .collect();
    let mut out = vec![Likeness::Unique; names.len()];
    let levels = [Likeness::FirstName, Likeness::BirthDate, Likeness::Ipp];
    for (depth, level) in levels.into_iter().enumerate() {
        let mut patients: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for (k, n) in keys.iter().zip(names) {
            patients
                .entry(k[depth].as_str())
                .or_default()
                .insert(n.ipp.as_str());
        }
        for (k, o) in keys.iter().zip(out.iter_mut()) {
            if patients.get(k[depth].as_str()).is_some_and(|p| p.len() > 1) {
                *o = level;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(last: &str, first: &str, born: &str, ipp: &str) -> PatientName {
        PatientName {
            last: last.to_uppercase(),
            first: first.into(),
            age: 70,
            birth_date: Some(NaiveDate::parse_from_str(born, "%Y-%m-%d").expect("date")),
            ipp: ipp.into(),
            likeness: Likeness::Unique,
        }
    }

    #[test]
    fn look_alikes_are_told_apart_by_first_name_then_birth_date_then_number() {
        use Likeness::*;
        let rows = [
            n("Dupré", "François", "1956-07-02", "1"),
            n("Dupré", "Françoise", "1957-05-30", "2"),
            // Read alike without accents or case.
            n("DUPRE", "francois", "1961-03-14", "3"),
            // The same patient twice: no look-alike of themself.
            n("Béranger", "Hélène", "1948-03-14", "4"),
            n("Béranger", "Hélène", "1948-03-14", "4"),
            // Same names, same birth date, two hospital numbers.
            n("Martin", "Jean", "1950-01-01", "5"),
            n("Martin", "Jean", "1950-01-01", "6"),
            n("Martin", "Jeanne", "1950-01-01", "7"),
            // Same first initial, another last name.
            n("Dupont", "Fanny", "1970-01-01", "8"),
            n("", "", "1970-01-01", "9"),
            // The same last name, other initials: a narrow board cuts the
            // initial ("DESROSIÈRES…, 67"), so the first name shows.
            n("Desrosières", "Gaëlle", "1959-01-01", "10"),
            n("Desrosieres", "Marc", "1959-06-01", "11"),
        ];
        let refs: Vec<&PatientName> = rows.iter().collect();
        assert_eq!(
            likenesses(&refs),
            [
                BirthDate, FirstName, BirthDate, Unique, Unique, Ipp, Ipp, FirstName, Unique,
                Unique, FirstName, FirstName
            ]
        );
        assert_eq!(likenesses(&[]), Vec::<Likeness>::new());
    }

    /// Pseudonymised (initials in `last`, no first name, no birth date):
    /// two patients with the same initials show their IPP's pseudonym,
    /// at once (there is no first name or birth date to show first).
    #[test]
    fn pseudonymised_look_alikes_are_told_apart_by_the_pseudonym_alone() {
        use Likeness::*;
        let p = |initials: &str, ipp: &str| PatientName {
            last: initials.into(),
            first: String::new(),
            age: 70,
            birth_date: None,
            ipp: ipp.into(),
            likeness: Unique,
        };
        let rows = [
            p("D. F.", "P-1"),
            p("D. F.", "P-2"),
            p("D. F.", "P-1"),
            // The same patient twice.
            p("B. H.", "P-3"),
            p("B. H.", "P-3"),
            p("B. C.", "P-4"),
        ];
        let refs: Vec<&PatientName> = rows.iter().collect();
        assert_eq!(likenesses(&refs), [Ipp, Ipp, Ipp, Unique, Unique, Unique]);
    }
}
