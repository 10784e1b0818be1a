//! The local protocol (issue 17): the rules table as a document the
//! department reviews and signs. Its version rises with every change of the
//! table; an approval records that one version was reviewed. Pure types:
//! `storage::protocol` reads and writes them, `text::protocol` words them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::roles::Role;
use crate::domain::rules::{RuleRow, Severity};
use crate::domain::vocab::BleedingRisk;

/// The version of the table a new file starts with: the rows `schema.sql`
/// and the migrations seed.
pub const FIRST_VERSION: i64 = 1;

/// The longest approval note kept (characters).
pub const NOTE_MAX_CHARS: usize = 2000;

/// One person present at the meeting where a version was approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Present {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// A version approved: by whom, when, with what note, at which meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    pub version: i64,
    pub at: DateTime<Utc>,
    pub login: String,
    /// The approver's name as the users table held it then.
    pub name: String,
    pub note: String,
    /// The week of the meeting held on the day of the approval, if one is
    /// recorded, and who was present.
    pub week: Option<String>,
    /// The day that meeting was held (it may be before the approval's).
    pub meeting_on: Option<chrono::NaiveDate>,
    pub attendance: Vec<Present>,
    /// The fingerprint of the rules and the zone approved ([`digest`]).
    pub digest: String,
}

/// Where the protocol stands: its version, its last approval, and whether
/// the rules or the zone differ from what that approval saw although the
/// version did not rise (the file edited outside the program, or a
/// migration that rewrote rows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub version: i64,
    pub approval: Option<Approval>,
    /// The fingerprint of the rules and the zone in force.
    pub digest: String,
}

/// What the header line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The version in force is the one last approved.
    Approved,
    /// The table changed since its last approval.
    ModifiedSinceApproval,
    /// The version is the one approved, but its rules or the zone are not
    /// what the approval saw (changed outside the program's writes).
    ChangedOutsideVersion,
    /// No version was ever approved.
    NeverApproved,
}

impl Status {
    pub fn state(&self) -> State {
        match &self.approval {
            None => State::NeverApproved,
            Some(a) if a.version == self.version && a.digest == self.digest => State::Approved,
            Some(a) if a.version == self.version => State::ChangedOutsideVersion,
            // An approval of a later version than the file's (only after a
            // hand edit) is read the cautious way.
            Some(_) => State::ModifiedSinceApproval,
        }
    }

    /// Whether the line must stand out (amber): the rules judging the week
    /// are not the ones the department signed.
    pub fn needs_review(&self) -> bool {
        self.state() != State::Approved
    }
}

/// The fingerprint of the rules in force and the hospital's zone (which
/// dates J−n before noon and every window): SHA-256 of their canonical
/// JSON, the first 16 hex digits. An approval keeps it; a difference at the
/// same version means a change the version did not count.
pub fn digest(rows: &[RuleRow], zone: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<&RuleRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.rule.as_str(),
            a.subject.as_str(),
            a.risk.map(BleedingRisk::as_str),
        )
            .cmp(&(
                b.rule.as_str(),
                b.subject.as_str(),
                b.risk.map(BleedingRisk::as_str),
            ))
    });
    let canonical: Vec<_> = sorted
        .iter()
        .map(|r| {
            (
                &r.rule,
                &r.subject,
                r.risk.map_or("*", BleedingRisk::as_str),
                r.value.map(f64::to_bits),
                r.unit.as_str(),
                r.severity.as_str(),
                &r.source,
            )
        })
        .collect();
    let json = serde_json::to_string(&(zone, canonical)).unwrap_or_default();
    let full = Sha256::digest(json.as_bytes());
    full.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A row of the rules table as the trail names it: `rule/subject/risk`
/// (a technique's bleeding risk row: `rule/subject`, its risk being what
/// changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowKey {
    pub rule: String,
    pub subject: String,
    pub risk: Option<String>,
}

impl RowKey {
    /// Reads `rule/subject/risk` or `rule/subject`.
    pub fn parse(s: &str) -> Option<RowKey> {
        let mut parts = s.split('/');
        let rule = parts.next().filter(|r| !r.is_empty())?.to_owned();
        let subject = parts.next()?.to_owned();
        let risk = parts.next().map(str::to_owned);
        if parts.next().is_some() {
            return None;
        }
        Some(RowKey {
            rule,
            subject,
            risk,
        })
    }

    /// Whether this key names the row (`rule`, `subject`, `risk` as the
    /// table stores it: `*` for none). A key without a risk names the row
    /// whatever its risk (a technique's bleeding risk).
    pub fn names(&self, rule: &str, subject: &str, risk: Option<BleedingRisk>) -> bool {
        self.rule == rule
            && self.subject == subject
            && self
                .risk
                .as_deref()
                .is_none_or(|r| r == risk.map_or("*", |k| k.as_str()))
    }
}

/// One side of a change as the trail wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Side {
    /// A value (None: no value) and its severity.
    Value {
        value: Option<f64>,
        severity: Severity,
    },
    /// A technique's bleeding risk.
    Risk { risk: BleedingRisk },
    /// What the trail holds, when it cannot be read as either: shown as
    /// it is rather than guessed.
    Raw { text: String },
}

impl Side {
    /// Reads the part after ` = `: `1.5 (blocking)`, `none (advisory)`,
    /// `high`; anything else is kept as it is.
    pub fn parse(s: &str) -> Side {
        let raw = || Side::Raw { text: s.to_owned() };
        if let Some(risk) = BleedingRisk::parse(s) {
            return Side::Risk { risk };
        }
        let Some((value, rest)) = s.split_once(" (") else {
            return raw();
        };
        let Some(severity) = rest.strip_suffix(')').and_then(Severity::parse) else {
            return raw();
        };
        let value = match value {
            "none" => None,
            v => match v.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => return raw(),
            },
        };
        Side::Value { value, severity }
    }
}

/// A change of the rules table, read back from the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The protocol version this change made.
    pub version: i64,
    pub at: DateTime<Utc>,
    pub login: String,
    /// The login's name in the users table, if it has one.
    pub name: Option<String>,
    /// The row; None when the trail's text cannot be read (then `old` and
    /// `new` are [`Side::Raw`] with the whole text).
    pub row: Option<RowKey>,
    pub old: Side,
    pub new: Side,
    /// The first approval that covers it (its version), if any.
    pub approved_in: Option<i64>,
}

impl Change {
    /// Reads an audit row's old and new values (`key = side`). A change of
    /// a technique's risk (`risk_row`) names its row `rule/subject`, any
    /// other change `rule/subject/risk`; a key of the other shape, or two
    /// sides naming different rows, is not read (kept raw) rather than
    /// given to the wrong row.
    pub fn sides(risk_row: bool, old: &str, new: &str) -> (Option<RowKey>, Side, Side) {
        let split = |s: &str| {
            s.split_once(" = ").and_then(|(k, v)| {
                let key = RowKey::parse(k)?;
                (key.risk.is_none() == risk_row).then(|| (key, v.to_owned()))
            })
        };
        match (split(old), split(new)) {
            (Some((k, o)), Some((n_key, n))) if k == n_key => {
                (Some(k), Side::parse(&o), Side::parse(&n))
            }
            _ => (
                None,
                Side::Raw {
                    text: old.to_owned(),
                },
                Side::Raw {
                    text: new.to_owned(),
                },
            ),
        }
    }
}

/// The unit of the row a key names in `rows` (the table today: a row's
/// unit is fixed by the seed, never by `rules set`).
pub fn unit_of(rows: &[RuleRow], key: &RowKey) -> Option<crate::domain::rules::Unit> {
    rows.iter()
        .find(|r| key.names(&r.rule, &r.subject, r.risk))
        .map(|r| r.unit)
}

/// The version before `version` that was approved last, if any: the base
/// a document's "changes since" starts from.
pub fn previous_approved(approvals: &[Approval], version: i64) -> Option<i64> {
    approvals
        .iter()
        .map(|a| a.version)
        .filter(|&v| v < version)
        .max()
}

/// The first approval of a version at or after `version`.
pub fn approved_in(approvals: &[Approval], version: i64) -> Option<i64> {
    approvals
        .iter()
        .map(|a| a.version)
        .filter(|&v| v >= version)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_are_read_back_and_anything_else_is_kept_raw() {
        assert_eq!(
            Side::parse("1.5 (blocking)"),
            Side::Value {
                value: Some(1.5),
                severity: Severity::Blocking
            }
        );
        assert_eq!(
            Side::parse("none (advisory)"),
            Side::Value {
                value: None,
                severity: Severity::Advisory
            }
        );
        assert_eq!(
            Side::parse("low"),
            Side::Risk {
                risk: BleedingRisk::Low
            }
        );
        for odd in ["1.5", "x (blocking)", "1.5 (maybe)", "inf (blocking)", ""] {
            assert_eq!(Side::parse(odd), Side::Raw { text: odd.into() }, "{odd}");
        }
        let (key, old, new) = Change::sides(
            false,
            "coagulation.inr_max/*/high = 1.5 (blocking)",
            "coagulation.inr_max/*/high = 1.6 (blocking)",
        );
        let key = key.expect("key");
        assert!(key.names("coagulation.inr_max", "*", Some(BleedingRisk::High)));
        assert!(!key.names("coagulation.inr_max", "*", Some(BleedingRisk::Low)));
        assert!(matches!(old, Side::Value { value: Some(v), .. } if v == 1.5));
        assert!(matches!(new, Side::Value { value: Some(v), .. } if v == 1.6));
        let (key, ..) = Change::sides(
            true,
            "technique.bleeding_risk/neurolysis = high",
            "technique.bleeding_risk/neurolysis = low",
        );
        let key = key.expect("key");
        assert!(key.names(
            "technique.bleeding_risk",
            "neurolysis",
            Some(BleedingRisk::Low)
        ));
        // A key of the wrong shape for its action, or sides naming two
        // rows, is kept raw.
        for (risk_row, old, new) in [
            (
                false,
                "technique.bleeding_risk/neurolysis = high",
                "technique.bleeding_risk/neurolysis = low",
            ),
            (
                true,
                "imaging.max_age/*/* = 42 (blocking)",
                "imaging.max_age/*/* = 60 (blocking)",
            ),
            (
                false,
                "imaging.max_age/*/* = 42 (blocking)",
                "delay.min_hours/*/* = 60 (blocking)",
            ),
        ] {
            let (key, old_side, _) = Change::sides(risk_row, old, new);
            assert!(key.is_none(), "{old}");
            assert_eq!(old_side, Side::Raw { text: old.into() });
        }
        let (key, old, _) = Change::sides(false, "garbled", "x = y");
        assert!(key.is_none());
        assert_eq!(
            old,
            Side::Raw {
                text: "garbled".into()
            }
        );
    }

    #[test]
    fn the_state_follows_the_last_approval() {
        let approval = |version| Approval {
            digest: "d".into(),
            meeting_on: None,
            version,
            at: DateTime::<Utc>::UNIX_EPOCH,
            login: "c".into(),
            name: "C".into(),
            note: "n".into(),
            week: None,
            attendance: vec![],
        };
        let status = |version, a: Option<i64>| Status {
            digest: "d".into(),
            version,
            approval: a.map(approval),
        };
        assert_eq!(status(1, None).state(), State::NeverApproved);
        assert_eq!(status(12, Some(12)).state(), State::Approved);
        assert_eq!(status(13, Some(12)).state(), State::ModifiedSinceApproval);
        assert!(status(13, Some(12)).needs_review());
        assert!(!status(12, Some(12)).needs_review());
        // The same version with other rules or another zone than approved.
        let mut changed = status(12, Some(12));
        changed.digest = "other".into();
        assert_eq!(changed.state(), State::ChangedOutsideVersion);
        assert!(changed.needs_review());
        // An approval of a later version than the file's: the cautious way.
        assert_eq!(status(11, Some(12)).state(), State::ModifiedSinceApproval);
        let all = [approval(3), approval(9), approval(12)];
        assert_eq!(previous_approved(&all, 12), Some(9));
        assert_eq!(previous_approved(&all, 13), Some(12));
        assert_eq!(previous_approved(&all, 3), None);
        assert_eq!(approved_in(&all, 10), Some(12));
        assert_eq!(approved_in(&all, 9), Some(9));
        assert_eq!(approved_in(&all, 13), None);
    }
}
