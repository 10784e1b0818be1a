//! What an export holds, whatever its format: the week's validated
//! programme in time order per day and room, each case with what the
//! committee knew (validated by override, or blocking since it was
//! validated), the cases set apart (postponed, cancelled, cancelled at
//! their source, undecided), when
//! it was made and the audit head hash and, for the minutes, who attended.
//! Built once from the stored cases (pure: no database, no format); each
//! format only writes it out.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::pseudo::Pseudonymiser;
use crate::domain::assess::{Assessment, age_on};
use crate::domain::instructions::{DrugLine, Ward};
use crate::domain::message::Lang;
use crate::domain::protocol::{State, Status};
use crate::domain::record::EvidenceKind;
use crate::domain::record::{DecisionKind, StoredCase};
use crate::domain::rules::{Context, Item};
use crate::domain::text::{sanitize_line, sanitize_text};
use crate::domain::vocab::DecisionStatus;
use crate::domain::week::Week;

/// The duration used when neither the case nor the rules table gives one.
pub const DEFAULT_DURATION_MIN: u32 = 60;

/// The patient as the export shows them: named, or pseudonymised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientLine {
    /// "BÉRANGER Hélène", or the initials "B. H." when pseudonymised.
    pub name: String,
    /// None when pseudonymised (the age stays).
    pub birth_date: Option<NaiveDate>,
    /// Age on the day of the procedure.
    pub age: i32,
    pub sex: String,
    /// The hospital number, or its keyed pseudonym ("P-…").
    pub ipp: String,
}

/// One procedure as exported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The scheduling system's id (not an identity): the calendar UID is built on it.
    pub external_id: String,
    /// Local wall-clock times in the hospital's zone.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub duration_min: u32,
    pub room: String,
    pub operator: String,
    /// In the export's language, joined with " + ".
    pub technique: String,
    pub target: String,
    pub anaesthesia: String,
    pub patient: PatientLine,
    /// Notes on the case, each with its line breaks (`\n`; left out when
    /// pseudonymised: free text may name people).
    pub notes: Vec<String>,
    pub status: DecisionStatus,
    /// The decision in force: its reason (postponed, cancelled), target
    /// week (postponed), override justification (validated despite a
    /// blocking item), who and when.
    pub reason: Option<String>,
    pub to_week: Option<String>,
    pub override_justification: Option<String>,
    pub decided_by: Option<String>,
    /// Local time in the hospital's zone, `YYYY-MM-DDTHH:MM`.
    pub decided_at: Option<String>,
    /// Validated by an override: the committee accepted blocking items
    /// with a justification ([`StoredCase::overridden`]).
    pub overridden: bool,
    /// The items blocking now, in display order (whatever the decision).
    pub blocking: Vec<Item>,
    /// Validated without an override and blocking now (evidence changed
    /// after the decision, [`StoredCase::validated_but_blocking`]): the
    /// items blocking. Empty otherwise.
    pub now_blocking: Vec<Item>,
    /// The booking ended at its source (SIU S15, S17, S26) and the committee
    /// did not cancel the case itself ([`StoredCase::ended_at_source`]):
    /// never in the programme, whatever `status` (the committee's, kept)
    /// says; the minutes say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_by_source: Option<crate::domain::feed::Ended>,
    /// The hospital's system changed the case after the committee's
    /// decision ([`StoredCase::changed_after_decision`]): the committee
    /// decided another procedure or day, so never in the programme until
    /// it decides again; the minutes say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_after_decision: Option<crate::domain::feed::ChangedAfterDecision>,
    /// What the wards need to know (issue 14, §2): each drug's planned last
    /// intake a person recorded and who, or that it is to review; an INR the
    /// day before; the advisories. Words in `crate::text::export::ward_lines`.
    #[serde(skip)]
    pub ward: Ward,
}

/// One person present at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendee {
    pub name: String,
    /// Their role in the file, when they are a user of it.
    pub role: Option<String>,
}

/// What only the minutes carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Minutes {
    pub meeting_date: NaiveDate,
    pub attendees: Vec<Attendee>,
    /// The roles short of the quorum (rules `meeting.quorum`), in words:
    /// empty when it holds; None when no attendance is recorded. When
    /// short, every decision of the week is marked as taken without it.
    pub quorum_missing: Option<Vec<String>>,
    /// The audit trail's head hash when the minutes were made: an external
    /// anchor for `audit --verify --anchor`.
    pub audit_head: String,
    /// The week's exports to a file that were started and never completed
    /// (their process was killed): `export.start` with no completion.
    pub unfinished_exports: Vec<UnfinishedExport>,
}

/// An export started and never completed, as the minutes list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnfinishedExport {
    /// Local wall-clock time in the hospital's zone.
    pub at: NaiveDateTime,
    pub login: String,
    pub format: String,
    pub minutes: bool,
    pub pseudonymised: bool,
}

/// When an export was made, and the audit trail's head then: what the
/// reader of a printed copy compares with the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    /// Local wall-clock time in the hospital's zone (from the clock).
    pub at: NaiveDateTime,
    /// The audit trail's head hash when the export was built (before its
    /// own audit row); empty for a trail with no row.
    pub audit_head: String,
}

/// The local protocol that judged the week (issue 17): its version, its
/// state and its last approval, and the header's line. `check` shows it
/// too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Protocol {
    pub version: i64,
    pub state: State,
    /// The rules judging the week are not the ones last approved (never
    /// approved, or changed since): the line stands out.
    pub needs_review: bool,
    /// The last approval, whatever the version since.
    pub approval: Option<ProtocolApproval>,
    /// The header's line in the output's language
    /// (`text::protocol::line_by` for an export, `line` for `check`).
    pub line: String,
    /// The versions in force when the week's decisions were recorded
    /// (`storage::protocol::versions_at_decisions`; empty: none decided,
    /// or not asked, as for `check`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decided_under: Vec<i64>,
}

/// An approval as the header names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolApproval {
    pub version: i64,
    /// The day, in the hospital's zone.
    pub on: NaiveDate,
    /// The approver's name, cleaned.
    pub by: String,
}

impl Protocol {
    /// The status read with the rules, the day of its approval in `tz`,
    /// with `line` its words.
    pub fn of(s: &Status, tz: chrono_tz::Tz, line: String) -> Protocol {
        Protocol {
            version: s.version,
            state: s.state(),
            needs_review: s.needs_review(),
            approval: s.approval.as_ref().map(|a| ProtocolApproval {
                version: a.version,
                on: a.at.with_timezone(&tz).date_naive(),
                by: clean(&a.name),
            }),
            line: clean(&line),
            decided_under: Vec::new(),
        }
    }
}

/// A week's export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Programme {
    #[serde(serialize_with = "week_str")]
    pub week: Week,
    /// IANA name of the hospital's zone (times are local to it).
    pub timezone: String,
    pub pseudonymised: bool,
    /// The validated procedures, by day, time, then room.
    pub validated: Vec<Entry>,
    /// The other cases of the week (postponed, cancelled, not decided),
    /// in the same order: the minutes list them apart, never the programme.
    pub set_apart: Vec<Entry>,
    pub edition: Edition,
    /// The protocol version that judged the week.
    pub protocol: Protocol,
    pub minutes: Option<Minutes>,
    #[serde(skip)]
    pub lang: Lang,
}

impl Programme {
    /// The validated procedures grouped by day.
    pub fn days(&self) -> Vec<(NaiveDate, Vec<&Entry>)> {
        let mut out: Vec<(NaiveDate, Vec<&Entry>)> = Vec::new();
        for e in &self.validated {
            let day = e.start.date();
            match out.last_mut() {
                Some((d, list)) if *d == day => list.push(e),
                _ => out.push((day, vec![e])),
            }
        }
        out
    }
}

/// What to build.
pub struct Build<'a> {
    pub week: Week,
    pub lang: Lang,
    pub ctx: &'a Context<'a>,
    pub pseudonymiser: Option<&'a Pseudonymiser>,
    pub edition: Edition,
    /// The protocol's status, read with the rules of `ctx`.
    pub protocol: &'a Status,
    pub minutes: Option<Minutes>,
}

/// Builds the export from the week's cases (in any order).
pub fn build(cases: &[StoredCase], b: &Build<'_>) -> Programme {
    let mut entries: Vec<Entry> = cases.iter().map(|c| entry(c, b)).collect();
    entries.sort_by(|x, y| {
        (x.start, &x.room, &x.external_id).cmp(&(y.start, &y.room, &y.external_id))
    });
    // A case validated, then cancelled at its source, is not to be done;
    // one the source changed since was not validated as it is now.
    let (validated, set_apart) = entries.into_iter().partition(|e| {
        e.status == DecisionStatus::Validated
            && e.cancelled_by_source.is_none()
            && e.changed_after_decision.is_none()
    });
    Programme {
        week: b.week,
        timezone: b.ctx.tz.name().to_owned(),
        pseudonymised: b.pseudonymiser.is_some(),
        validated,
        set_apart,
        edition: b.edition.clone(),
        protocol: Protocol::of(
            b.protocol,
            b.ctx.tz,
            crate::text::protocol::line_by(b.lang, b.protocol, b.ctx.tz),
        ),
        minutes: b.minutes.clone(),
        lang: b.lang,
    }
}

fn entry(c: &StoredCase, b: &Build<'_>) -> Entry {
    let f = &c.file;
    let p = &f.procedure;
    let assessment = Assessment::of_stored(c, b.ctx);
    let duration_min = assessment.duration_min.unwrap_or(DEFAULT_DURATION_MIN);
    let start = p.scheduled_at;
    let end = start + Duration::minutes(i64::from(duration_min));
    let age = age_on(f.patient.birth_date, f.day());
    let patient = match b.pseudonymiser {
        Some(ps) => PatientLine {
            name: super::pseudo::initials(&f.patient.last_name, &f.patient.first_name),
            birth_date: None,
            age,
            sex: f.patient.sex.as_str().to_owned(),
            ipp: ps.ipp(&f.patient.ipp),
        },
        None => PatientLine {
            name: format!(
                "{} {}",
                f.patient.last_name.to_uppercase(),
                f.patient.first_name
            ),
            birth_date: Some(f.patient.birth_date),
            age,
            sex: f.patient.sex.as_str().to_owned(),
            ipp: f.patient.ipp.clone(),
        },
    };
    let technique = p
        .techniques
        .iter()
        .map(|t| crate::text::words::technique(b.lang, *t))
        .collect::<Vec<_>>()
        .join(" + ");
    let pseudo = b.pseudonymiser.is_some();
    let notes = if pseudo {
        Vec::new()
    } else {
        c.notes
            .iter()
            .map(|n| lines(&n.body))
            .filter(|n| !n.is_empty())
            .collect()
    };
    let blocking: Vec<Item> = assessment.dossier.blocking().map(|r| r.item).collect();
    let now_blocking = assessment.now_blocking(c);
    // Free text may name people: a pseudonymised export keeps that there
    // was a reason or a justification, not its words.
    let free = |t: Option<&str>| t.map(|t| if pseudo { String::new() } else { clean(t) });
    let decision = c.last_decision();
    let current = decision.filter(|d| match c.status {
        DecisionStatus::Validated => d.decision == DecisionKind::Validated,
        DecisionStatus::Postponed => d.decision == DecisionKind::Postponed,
        DecisionStatus::Cancelled => d.decision == DecisionKind::Cancelled,
        DecisionStatus::Pending => false,
    });
    Entry {
        external_id: match b.pseudonymiser {
            Some(ps) => ps.case(&f.external_id),
            None => clean(&f.external_id),
        },
        start,
        end,
        duration_min,
        room: clean(&p.room),
        operator: clean(&p.operator),
        technique,
        target: clean(&p.target),
        anaesthesia: crate::text::words::anaesthesia(b.lang, p.anaesthesia).to_owned(),
        patient: PatientLine {
            name: clean(&patient.name),
            ..patient
        },
        notes,
        status: c.status,
        reason: coded(
            b.lang,
            current.and_then(|d| d.reason_code),
            free(current.and_then(|d| d.reason.as_deref())),
        ),
        to_week: current.and_then(|d| d.to_week.clone()),
        override_justification: free(current.and_then(|d| d.override_justification.as_deref())),
        decided_by: current.map(|d| clean(&d.by)),
        decided_at: current.and_then(|d| {
            chrono::DateTime::parse_from_rfc3339(&d.at).ok().map(|t| {
                t.with_timezone(&b.ctx.tz)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            })
        }),
        overridden: c.overridden(),
        blocking,
        now_blocking,
        cancelled_by_source: c.ended_at_source().cloned(),
        changed_after_decision: c.changed_after_decision().cloned().map(|mut ch| {
            if pseudo {
                ch.leave_out_target("");
            }
            ch
        }),
        ward: ward(c, &assessment, b.ctx, pseudo),
    }
}

/// A reason with its code in front, when one was given ("missing test —
/// the CT is too old"; pseudonymised: the code alone, its text left out).
fn coded(
    lang: crate::domain::message::Lang,
    code: Option<crate::domain::vocab::ReasonCode>,
    reason: Option<String>,
) -> Option<String> {
    let Some(code) = code else {
        return reason;
    };
    let label = crate::text::Label::label(code, lang);
    Some(match reason.filter(|r| !r.is_empty()) {
        Some(r) => format!("{label} — {r}"),
        None => label.to_owned(),
    })
}

/// The case's ward instructions, text from the database cleaned. When
/// pseudonymised, an `other` drug's free name is dropped (free text may
/// name people, as for the notes): the line names the drug's class
/// instead, and the free text of an advisory (that name, an anaesthetist's
/// conditions) is left out. Who recorded a planned intake stays, as who
/// decided does.
fn ward(c: &StoredCase, a: &Assessment, ctx: &Context<'_>, pseudo: bool) -> Ward {
    let by = c.recorded(EvidenceKind::Medications).map(|r| r.by.as_str());
    let mut w = crate::domain::instructions::ward(&c.file, &a.dossier, ctx, by);
    let free = |name: &mut Option<String>| {
        *name = if pseudo {
            None
        } else {
            name.as_deref().map(clean)
        };
    };
    for d in &mut w.drugs {
        match d {
            DrugLine::Recorded { name, by, .. } => {
                free(name);
                *by = clean(by);
            }
            DrugLine::Review { name, .. } | DrugLine::NotRecorded { name, .. } => free(name),
        }
    }
    for m in &mut w.advisories {
        if pseudo {
            m.leave_out_free_text(crate::report::pseudo::LEFT_OUT);
        } else if let crate::domain::rules::Msg::AnaesthesiaConditions { conditions } = m {
            *conditions = clean(conditions);
        }
    }
    w
}

/// Text from the database on one line: no control characters, line breaks
/// as spaces.
fn clean(s: &str) -> String {
    sanitize_line(s)
}

/// Free text on several lines (a note): its line breaks kept as `\n`, each
/// line cleaned as [`clean`] (every format has its own way to break lines).
fn lines(s: &str) -> String {
    sanitize_text(s)
        .lines()
        .map(clean)
        .collect::<Vec<_>>()
        .join("\n")
}

fn week_str<S: serde::Serializer>(w: &Week, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocab::DecisionStatus;
    use crate::export::testkit;

    /// What the committee knew, per case, is what the domain says of it.
    #[test]
    fn entries_carry_override_and_now_blocking_as_the_domain_judges() {
        let rules = crate::storage::rules::seeded();
        let ctx = Context {
            rules: &rules,
            tz: chrono_tz::Europe::Paris,
        };
        let cases = testkit::cases();
        for pseudo in [false, true] {
            let p = testkit::programme(Lang::En, pseudo, false);
            for e in p.validated.iter().chain(&p.set_apart) {
                let c = cases
                    .iter()
                    .find(|c| {
                        c.file.procedure.scheduled_at == e.start && c.file.procedure.room == e.room
                    })
                    .or_else(|| cases.iter().find(|c| c.file.external_id == e.external_id))
                    .expect("the case");
                let a = Assessment::of_stored(c, &ctx);
                let blocking: Vec<Item> = a.dossier.blocking().map(|r| r.item).collect();
                assert_eq!(e.blocking, blocking);
                assert_eq!(e.overridden, c.overridden());
                assert_eq!(e.now_blocking, a.now_blocking(c));
                if !e.now_blocking.is_empty() {
                    assert!(e.now_blocking.iter().all(|i| blocking.contains(i)));
                    assert_eq!(e.status, DecisionStatus::Validated);
                }
                if e.overridden {
                    let j = e.override_justification.as_deref().expect("justification");
                    assert_eq!(j.is_empty(), pseudo);
                }
            }
            assert!(p.validated.iter().any(|e| e.overridden));
            assert!(p.validated.iter().any(|e| !e.now_blocking.is_empty()));
            assert!(
                p.set_apart
                    .iter()
                    .all(|e| e.now_blocking.is_empty() && !e.overridden)
            );
        }
    }
}
