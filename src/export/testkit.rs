//! A programme to test the formats with: the fixture week, where the first
//! eight cases are validated (one by override; some of the others are
//! blocking, as if evidence had changed since), two postponed, one
//! cancelled, the rest pending; a note with markup, a note on several
//! lines and a name starting with `=` to check escaping. Tests only.

use chrono::NaiveDate;

use super::model::{Attendee, Build, Edition, Minutes, build};
use super::pseudo::Pseudonymiser;
use super::{CalendarEvent, Programme};
use crate::domain::message::Lang;
use crate::domain::protocol::{Approval, Status};
use crate::domain::record::{DecisionKind, DecisionRow, EvidenceKind, Note, Recorded, StoredCase};
use crate::domain::rules::Context;
use crate::domain::vocab::DecisionStatus;
use crate::domain::week::Week;

pub const WEEK: &str = "2026-W49";

fn decision(kind: DecisionKind, reason: Option<&str>, justification: Option<&str>) -> DecisionRow {
    DecisionRow {
        at: "2026-11-26T15:30:00Z".into(),
        by: "chair".into(),
        decision: kind,
        reason: reason.map(str::to_owned),
        to_week: (kind == DecisionKind::Postponed).then(|| "2026-W50".to_owned()),
        override_justification: justification.map(str::to_owned),
        override_items: None,
        reason_code: None,
        undone: false,
    }
}

/// The fixture's cases as stored, with decisions.
pub fn cases() -> Vec<StoredCase> {
    let week: Week = WEEK.parse().expect("week");
    let files = crate::demo::fixture_cases(week).expect("fixture");
    files
        .into_iter()
        .enumerate()
        .map(|(i, mut file)| {
            let (status, decisions) = match i {
                0 => (
                    DecisionStatus::Validated,
                    vec![decision(
                        DecisionKind::Validated,
                        None,
                        Some("INR of the day before checked by <b>Dr Martin</b> & team"),
                    )],
                ),
                1..=7 => (
                    DecisionStatus::Validated,
                    vec![decision(DecisionKind::Validated, None, None)],
                ),
                8 | 9 => (
                    DecisionStatus::Postponed,
                    vec![decision(
                        DecisionKind::Postponed,
                        Some("Anaesthesia consultation missing; \"urgent\""),
                        None,
                    )],
                ),
                10 => (
                    DecisionStatus::Cancelled,
                    vec![decision(
                        DecisionKind::Cancelled,
                        Some("Patient declined, wants to think"),
                        None,
                    )],
                ),
                _ => (DecisionStatus::Pending, vec![]),
            };
            if i == 2 {
                file.patient.last_name = "=HYPERLINK(\"http://x\")".into();
            }
            if i == 3 {
                file.patient.last_name = "<script>alert(1)</script>".into();
                file.procedure.room = "Salle 1; \"B\"".into();
            }
            let notes = if i == 1 {
                vec![
                    Note {
                        at: "2026-11-26T14:00:00Z".into(),
                        author: "secretary".into(),
                        body: "Call Mrs X, 06 12 34 56 78 <i>before</i> 8:00, bring CD".into(),
                        source: "screen".into(),
                    },
                    Note {
                        at: "2026-11-26T14:05:00Z".into(),
                        author: "secretary".into(),
                        body: "Iodine allergy\r\n- premedication | per protocol\n\tin the ward"
                            .into(),
                        source: "screen".into(),
                    },
                ]
            } else {
                vec![]
            };
            StoredCase {
                id: i as i64 + 1,
                version: 1,
                status,
                postponed_to: (status == DecisionStatus::Postponed).then(|| "2026-W50".to_owned()),
                // Who recorded the drug list: the ward instructions name them.
                recorded: file
                    .medications
                    .as_ref()
                    .map(|_| Recorded {
                        kind: EvidenceKind::Medications,
                        source: "screen".into(),
                        at: "2026-11-25T10:00:00Z".into(),
                        by: "secretary".into(),
                        version: 1,
                    })
                    .into_iter()
                    .collect(),
                file,
                notes,
                decisions,
                pending: vec![],
                risk_set: None,
                access_set: None,
                reschedules: Vec::new(),
                died_on: None,
                day: None,
                feed: Default::default(),
            }
        })
        .collect()
}

/// The programme of the fixture week (`minutes`: with the minutes' part).
pub fn programme(lang: Lang, pseudonymise: bool, minutes: bool) -> Programme {
    programme_of(&cases(), lang, pseudonymise, minutes)
}

/// The programme of `cases` (the fixture's, changed by a test).
pub fn programme_of(
    cases: &[StoredCase],
    lang: Lang,
    pseudonymise: bool,
    minutes: bool,
) -> Programme {
    programme_with(cases, lang, pseudonymise, minutes, &protocol())
}

/// The protocol the test programme was judged by: v3, approved on
/// 19/11/2026 (Paris) by Dr Hélène Martin.
pub fn protocol() -> Status {
    Status {
        version: 3,
        digest: "d".into(),
        approval: Some(Approval {
            meeting_on: None,
            version: 3,
            digest: "d".into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-11-19T17:45:00Z")
                .expect("time")
                .with_timezone(&chrono::Utc),
            login: "hm".into(),
            name: "Dr Hélène Martin".into(),
            note: "relu en réunion".into(),
            week: None,
            attendance: Vec::new(),
        }),
    }
}

/// The programme of `cases` judged by `protocol`.
pub fn programme_with(
    cases: &[StoredCase],
    lang: Lang,
    pseudonymise: bool,
    minutes: bool,
    protocol: &Status,
) -> Programme {
    let rules = crate::storage::rules::seeded();
    let ctx = Context {
        rules: &rules,
        tz: chrono_tz::Europe::Paris,
    };
    let key = Pseudonymiser::from_key(b"a test key, not a secret").expect("key");
    let minutes = minutes.then(|| Minutes {
        meeting_date: NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
        attendees: vec![
            Attendee {
                name: "Dr Hélène Martin".into(),
                role: Some("chair".into()),
            },
            Attendee {
                name: "Dr <Roussel> & co".into(),
                role: None,
            },
        ],
        audit_head: "9f2c".repeat(16),
        quorum_missing: None,
        unfinished_exports: Vec::new(),
    });
    build(
        cases,
        &Build {
            week: WEEK.parse().expect("week"),
            lang,
            ctx: &ctx,
            pseudonymiser: pseudonymise.then_some(&key),
            edition: edition(),
            protocol,
            minutes,
        },
    )
}

/// When the test programme was made: 26/11/2026 16:30 in Paris, the
/// audit head the minutes show.
pub fn edition() -> Edition {
    Edition {
        at: NaiveDate::from_ymd_opt(2026, 11, 26)
            .and_then(|d| d.and_hms_opt(16, 30, 0))
            .expect("time"),
        audit_head: "9f2c".repeat(16),
    }
}

/// The calendar events of a programme, first export (sequence 0).
pub fn events(p: &Programme) -> Vec<CalendarEvent> {
    p.validated
        .iter()
        .map(|e| super::ics::event_of(e, p.lang))
        .collect()
}
