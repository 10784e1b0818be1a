//! The rules table as the rule engine reads it: rows loaded from the
//! database's `rules` table (seeded by `schema.sql`), never literals in code.

use serde::Serialize;

use crate::domain::vocab::{BleedingRisk, Technique};

/// Unit of a rule's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    Hours,
    Minutes,
    GL,
    Ratio,
    MlMin,
    Flag,
    /// A drug hold in calendar days with a noon cut-off: value n means the
    /// last intake falls on J−n before 12:00, or on any earlier day (a date
    /// alone on J−n does not count as before noon).
    DayNoon,
    /// A number of people (the quorum).
    People,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "days" => Unit::Days,
            "hours" => Unit::Hours,
            "minutes" => Unit::Minutes,
            "g_l" => Unit::GL,
            "ratio" => Unit::Ratio,
            "ml_min" => Unit::MlMin,
            "flag" => Unit::Flag,
            "day_noon" => Unit::DayNoon,
            "people" => Unit::People,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Minutes => "minutes",
            Unit::GL => "g_l",
            Unit::Ratio => "ratio",
            Unit::MlMin => "ml_min",
            Unit::Flag => "flag",
            Unit::DayNoon => "day_noon",
            Unit::People => "people",
        }
    }

    /// Whether a value in this unit must be a whole number: a day with a
    /// noon cut-off cannot be split.
    pub fn whole(self) -> bool {
        matches!(self, Unit::DayNoon | Unit::People)
    }

    /// The sane range of a value in this unit (inclusive); `None` for a flag,
    /// whose value is not read.
    pub fn range(self) -> Option<(f64, f64)> {
        Some(match self {
            Unit::Days => (0.0, 3650.0),
            Unit::Hours => (0.0, 8760.0),
            Unit::Minutes => (1.0, 1440.0),
            Unit::GL => (0.0, 2000.0),
            Unit::Ratio => (0.5, 15.0),
            Unit::MlMin => (0.0, 300.0),
            // J−0 before noon would allow an intake on the procedure day.
            Unit::DayNoon => (1.0, 3650.0),
            Unit::People => (0.0, 50.0),
            Unit::Flag => return None,
        })
    }
}

/// Whether a rule reads its row's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueUse {
    /// A threshold or window: NULL is refused.
    Required,
    /// Read when present (e.g. the J−n of an advisory), NULL allowed.
    Optional,
    /// A flag: the row's presence is what counts; the value is not read.
    Ignored,
}

/// What the rule engine expects of the rows of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSpec {
    pub rule: &'static str,
    /// The units the engine can read for this rule.
    pub units: &'static [Unit],
    pub value: ValueUse,
}

const fn spec(rule: &'static str, units: &'static [Unit], value: ValueUse) -> RuleSpec {
    RuleSpec { rule, units, value }
}

/// The units a drug hold may be written in.
const HOLD_UNITS: &[Unit] = &[Unit::Days, Unit::DayNoon, Unit::Hours, Unit::Minutes];

/// Every rule the engine reads (all seeded by `schema.sql`), with its units
/// and whether it needs a value. A row of any other rule is refused at load:
/// a misspelt rule name would otherwise be silently ignored.
#[rustfmt::skip] // one line per rule
pub const KNOWN_RULES: &[RuleSpec] = {
    use ValueUse::{Ignored, Optional, Required};
    &[
        spec("technique.bleeding_risk", &[Unit::Flag], Ignored),
        spec("technique.risk_per_case", &[Unit::Flag], Ignored),
        spec("technique.arterial_access", &[Unit::Flag], Ignored),
        spec("technique.duration", &[Unit::Minutes], Required),
        spec("imaging.max_age", &[Unit::Days], Required),
        spec("biology.max_age", &[Unit::Days], Required),
        spec("biology.neutrophils_min", &[Unit::GL], Required),
        spec("biology.sepsis", &[Unit::Flag], Ignored),
        spec("biology.egfr_block_below", &[Unit::MlMin], Required),
        spec("biology.egfr_advise_below", &[Unit::MlMin], Required),
        spec("coagulation.max_age", &[Unit::Days], Required),
        spec("coagulation.inr_max", &[Unit::Ratio], Required),
        spec("coagulation.inr_max_arterial", &[Unit::Ratio], Required),
        spec("coagulation.platelets_min", &[Unit::GL], Required),
        spec("anaesthesia.required", &[Unit::Flag], Ignored),
        spec("anaesthesia.min_days_before", &[Unit::Days], Required),
        spec("anaesthesia.max_age", &[Unit::Days], Required),
        spec("consent.required", &[Unit::Flag], Ignored),
        spec("delay.min_hours", &[Unit::Hours, Unit::Minutes, Unit::Days], Required),
        spec("delay.advise_below", &[Unit::Days], Required),
        spec("medication.hold", HOLD_UNITS, Required),
        spec("medication.hold_renal", HOLD_UNITS, Required),
        spec("medication.renal_threshold", &[Unit::MlMin], Required),
        spec("medication.crcl_min", &[Unit::MlMin], Required),
        spec("medication.inr_check", &[Unit::Days], Optional),
        spec("medication.aspirin_advisory", &[Unit::Flag], Ignored),
        spec("medication.other", &[Unit::Flag], Ignored),
        spec("meeting.quorum", &[Unit::People], Required),
    ]
};

/// The expectations for `rule`, if the engine knows it.
pub fn rule_spec(rule: &str) -> Option<&'static RuleSpec> {
    KNOWN_RULES.iter().find(|s| s.rule == rule)
}

/// A value for a message: plain, or in scientific notation when huge.
fn show(v: f64) -> String {
    if v.is_finite() && v.abs() < 1e9 {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    None,
    Advisory,
    Blocking,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "none" => Severity::None,
            "advisory" => Severity::Advisory,
            "blocking" => Severity::Blocking,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Advisory => "advisory",
            Severity::Blocking => "blocking",
        }
    }
}

/// One row of the rules table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRow {
    /// e.g. `coagulation.inr_max`, `medication.hold`.
    pub rule: String,
    /// A technique, drug or anaesthesia word, or `*`.
    pub subject: String,
    /// `None` = either bleeding risk (`*` in the table).
    pub risk: Option<BleedingRisk>,
    pub value: Option<f64>,
    pub unit: Unit,
    pub severity: Severity,
    pub source: String,
    /// The row's version in the table, raised by every change: a change made
    /// from an older read of the row is refused.
    pub version: i64,
}

impl RuleRow {
    /// What is wrong with the row, if anything, against what the engine
    /// expects of its rule: a known rule name, an allowed unit, and a value
    /// that is present when needed, finite and within the unit's sane range.
    /// Typed: `crate::text::error::rules` puts it into words.
    pub fn problem(&self) -> Option<RuleProblem> {
        let Some(spec) = rule_spec(&self.rule) else {
            return Some(RuleProblem::UnknownRule);
        };
        if !spec.units.contains(&self.unit) {
            return Some(RuleProblem::UnitNotAllowed {
                unit: self.unit,
                allowed: spec.units,
            });
        }
        let value = match (spec.value, self.value) {
            (ValueUse::Ignored, Some(v)) => return Some(RuleProblem::ValueNotRead(v)),
            (ValueUse::Ignored, _) | (ValueUse::Optional, None) => return None,
            (ValueUse::Required, None) => return Some(RuleProblem::ValueMissing),
            (_, Some(v)) => v,
        };
        if !value.is_finite() {
            return Some(RuleProblem::NotFinite(value));
        }
        if let Some((min, max)) = self.unit.range()
            && !(min..=max).contains(&value)
        {
            return Some(RuleProblem::OutOfRange {
                value,
                unit: self.unit,
                min,
                max,
            });
        }
        if self.unit.whole() && value.fract() != 0.0 {
            return Some(RuleProblem::NotWhole {
                value,
                unit: self.unit,
            });
        }
        None
    }

    /// [`Self::problem`] as one technical line, without the row's identity
    /// (the caller adds it): what a damaged file is reported with at load,
    /// naming the stored words (`day_noon`).
    pub fn check(&self) -> Result<(), String> {
        let Some(problem) = self.problem() else {
            return Ok(());
        };
        Err(match problem {
            // Nothing reads it: not a reason to refuse the whole file.
            RuleProblem::ValueNotRead(_) => return Ok(()),
            RuleProblem::UnknownRule => format!("unknown rule '{}'", self.rule),
            RuleProblem::UnitNotAllowed { unit, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(|u| u.as_str()).collect();
                format!(
                    "unit '{}' not allowed (expected {})",
                    unit.as_str(),
                    allowed.join(" or ")
                )
            }
            RuleProblem::ValueMissing => "value missing (NULL)".to_string(),
            RuleProblem::NotFinite(value) => {
                format!("value {} is not a finite number", show(value))
            }
            RuleProblem::OutOfRange {
                value,
                unit,
                min,
                max,
            } => format!(
                "value {} {} out of the range {min}–{max}",
                show(value),
                unit.as_str()
            ),
            RuleProblem::NotWhole { value, unit } => format!(
                "value {} {} is not a whole number of {}",
                show(value),
                unit.as_str(),
                if unit == Unit::People {
                    "people"
                } else {
                    "days"
                }
            ),
        })
    }
}

/// A row of the rules table by its identity: rule, subject and risk (none:
/// `*`, or a technique's bleeding risk, whose risk is its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowName {
    pub rule: String,
    pub subject: String,
    pub risk: Option<BleedingRisk>,
}

/// What is wrong with a rules row ([`RuleRow::problem`]): data, put into
/// words by `crate::text::error::rules`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleProblem {
    /// The engine does not know the rule.
    UnknownRule,
    /// The row's unit is not one its rule is written in.
    UnitNotAllowed {
        unit: Unit,
        allowed: &'static [Unit],
    },
    /// The rule needs a value and the row has none.
    ValueMissing,
    NotFinite(f64),
    /// Outside the unit's sane range (inclusive).
    OutOfRange {
        value: f64,
        unit: Unit,
        min: f64,
        max: f64,
    },
    /// A value given to a rule that does not read it (a flag: its row's
    /// presence is what counts). Refused when a person sets it, so that
    /// no number sits in the table that nothing applies; a row already
    /// holding one still loads (nothing reads it).
    ValueNotRead(f64),
    /// A unit counted in whole days (a noon cut-off) given a fraction.
    NotWhole {
        value: f64,
        unit: Unit,
    },
}

/// All rows, with lookups that prefer the most specific row.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rows: Vec<RuleRow>,
}

impl RuleSet {
    pub fn new(rows: Vec<RuleRow>) -> RuleSet {
        RuleSet { rows }
    }

    pub fn rows(&self) -> &[RuleRow] {
        &self.rows
    }

    /// The row for `rule` that applies to `subject` at bleeding risk `risk`:
    /// an exact subject beats `*`, an exact risk beats `*`.
    pub fn get(&self, rule: &str, subject: &str, risk: BleedingRisk) -> Option<&RuleRow> {
        self.rows
            .iter()
            .filter(|r| r.rule == rule)
            .filter(|r| r.subject == subject || r.subject == "*")
            .filter(|r| r.risk.is_none_or(|x| x == risk))
            .max_by_key(|r| (r.subject != "*", r.risk.is_some()))
    }

    /// The bleeding risk of one technique (`technique.bleeding_risk` rows);
    /// a technique with no row is treated as high risk (the safe reading).
    pub fn technique_risk(&self, technique: Technique) -> BleedingRisk {
        self.rows
            .iter()
            .filter(|r| r.rule == "technique.bleeding_risk" && r.subject == technique.as_str())
            .filter_map(|r| r.risk)
            .max()
            .unwrap_or(BleedingRisk::High)
    }

    /// Whether the rules table judges this technique's bleeding risk per
    /// case (`technique.risk_per_case`): only then may a case lower it.
    pub fn risk_per_case(&self, technique: Technique) -> bool {
        self.rows
            .iter()
            .any(|r| r.rule == "technique.risk_per_case" && r.subject == technique.as_str())
    }

    /// The bleeding risk the techniques give: the highest of them (a
    /// combined procedure takes the highest; none: high, the safe reading).
    pub fn techniques_risk(&self, techniques: &[Technique]) -> BleedingRisk {
        techniques
            .iter()
            .map(|t| self.technique_risk(*t))
            .max()
            .unwrap_or(BleedingRisk::High)
    }

    /// Whether a case may set its own risk lower than its techniques give:
    /// it has techniques and every one's risk is judged per case.
    pub fn lowerable(&self, techniques: &[Technique]) -> bool {
        !techniques.is_empty() && techniques.iter().all(|t| self.risk_per_case(*t))
    }

    /// The first technique whose risk is not judged per case: why a case
    /// may not lower its risk (`None` when every one is).
    pub fn not_per_case(&self, techniques: &[Technique]) -> Option<Technique> {
        techniques.iter().copied().find(|t| !self.risk_per_case(*t))
    }

    /// The case's own risk, when it applies: a raise always does; a `low`
    /// only when every technique's risk is judged per case. An override
    /// that would lower any other technique's risk is ignored.
    pub fn override_applies(&self, techniques: &[Technique], risk: BleedingRisk) -> bool {
        risk >= self.techniques_risk(techniques) || self.lowerable(techniques)
    }

    /// The bleeding risk of a procedure (the effective one): the case's own
    /// when it applies ([`RuleSet::override_applies`]), else the highest
    /// of its techniques.
    pub fn procedure_risk(
        &self,
        techniques: &[Technique],
        override_risk: Option<BleedingRisk>,
    ) -> BleedingRisk {
        match override_risk {
            Some(r) if self.override_applies(techniques, r) => r,
            _ => self.techniques_risk(techniques),
        }
    }

    /// Expected duration in minutes: the longest default of the techniques.
    /// The quorum: how many people of each role must attend (rules
    /// `meeting.quorum`, one row per role).
    pub fn quorum(&self) -> Vec<(crate::domain::roles::Role, u32)> {
        self.rows
            .iter()
            .filter(|r| r.rule == "meeting.quorum")
            .filter_map(|r| {
                let role = crate::domain::roles::Role::parse(&r.subject)?;
                let n = r.value.filter(|v| *v > 0.0)?;
                Some((role, n as u32))
            })
            .collect()
    }

    pub fn default_duration_min(&self, techniques: &[Technique]) -> Option<u32> {
        techniques
            .iter()
            .filter_map(|t| self.get("technique.duration", t.as_str(), BleedingRisk::High))
            .filter_map(|r| r.value)
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.round() as u32)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rule: &str, value: Option<f64>, unit: Unit) -> RuleRow {
        RuleRow {
            rule: rule.to_string(),
            subject: "*".to_string(),
            risk: None,
            value,
            unit,
            severity: Severity::Blocking,
            source: "test".to_string(),
            version: 1,
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn rows_are_checked_against_their_rule() {
        use Unit::*;
        let ok = "";
        let table = [
            // The unit ranges at their edges.
            ("imaging.max_age", Some(0.0), Days, ok),
            ("imaging.max_age", Some(3650.0), Days, ok),
            ("imaging.max_age", Some(3650.5), Days, "value 3650.5 days out of the range 0–3650"),
            ("imaging.max_age", Some(-1.0), Days, "value -1 days out of the range 0–3650"),
            ("delay.min_hours", Some(0.0), Hours, ok),
            ("delay.min_hours", Some(8760.0), Hours, ok),
            ("delay.min_hours", Some(8760.1), Hours, "value 8760.1 hours out of the range 0–8760"),
            ("delay.min_hours", Some(1e300), Hours, "value 1e300 hours out of the range 0–8760"),
            ("delay.min_hours", Some(1440.0), Minutes, ok),
            ("delay.min_hours", Some(2.0), Days, ok),
            ("technique.duration", Some(1.0), Minutes, ok),
            ("technique.duration", Some(0.0), Minutes, "value 0 minutes out of the range 1–1440"),
            ("technique.duration", Some(1440.0), Minutes, ok),
            ("technique.duration", Some(1441.0), Minutes, "value 1441 minutes out of the range 1–1440"),
            ("coagulation.platelets_min", Some(2000.0), GL, ok),
            ("coagulation.platelets_min", Some(2000.5), GL, "value 2000.5 g_l out of the range 0–2000"),
            ("coagulation.inr_max", Some(0.5), Ratio, ok),
            ("coagulation.inr_max", Some(0.49), Ratio, "value 0.49 ratio out of the range 0.5–15"),
            ("coagulation.inr_max", Some(15.0), Ratio, ok),
            ("coagulation.inr_max", Some(15.1), Ratio, "value 15.1 ratio out of the range 0.5–15"),
            ("medication.crcl_min", Some(0.0), MlMin, ok),
            ("medication.crcl_min", Some(300.0), MlMin, ok),
            ("medication.crcl_min", Some(301.0), MlMin, "value 301 ml_min out of the range 0–300"),
            // Non-finite values.
            ("biology.max_age", Some(f64::INFINITY), Days, "value inf is not a finite number"),
            ("biology.max_age", Some(f64::NAN), Days, "value NaN is not a finite number"),
            // Units.
            ("imaging.max_age", Some(42.0), Hours, "unit 'hours' not allowed (expected days)"),
            ("medication.hold", Some(3.0), GL, "unit 'g_l' not allowed (expected days or day_noon or hours or minutes)"),
            ("delay.min_hours", Some(1.0), DayNoon, "unit 'day_noon' not allowed (expected hours or minutes or days)"),
            // A hold with a noon cut-off: whole days from J−1.
            ("medication.hold", Some(1.0), DayNoon, ok),
            ("medication.hold_renal", Some(3650.0), DayNoon, ok),
            ("medication.hold", Some(0.0), DayNoon, "value 0 day_noon out of the range 1–3650"),
            ("medication.hold", Some(1.5), DayNoon, "value 1.5 day_noon is not a whole number of days"),
            ("meeting.quorum", Some(1.5), People, "value 1.5 people is not a whole number of people"),
            ("meeting.quorum", Some(2.0), People, ok),
            ("meeting.quorum", Some(51.0), People, "value 51 people out of the range 0–50"),
            ("medication.hold", Some(3651.0), DayNoon, "value 3651 day_noon out of the range 1–3650"),
            ("medication.hold", None, DayNoon, "value missing (NULL)"),
            ("medication.hold", Some(1.5), Days, ok),
            ("consent.required", None, Days, "unit 'days' not allowed (expected flag)"),
            // NULL values.
            ("biology.neutrophils_min", None, GL, "value missing (NULL)"),
            ("medication.inr_check", None, Days, ok),
            ("medication.aspirin_advisory", None, Flag, ok),
            ("medication.aspirin_advisory", Some(3.0), Days, "unit 'days' not allowed (expected flag)"),
            // Flags: the value is not read.
            ("consent.required", None, Flag, ok),
            ("anaesthesia.required", Some(f64::INFINITY), Flag, ok),
            // Unknown rules.
            ("imaging.max_agee", Some(42.0), Days, "unknown rule 'imaging.max_agee'"),
            ("", None, Flag, "unknown rule ''"),
        ];
        for (rule, value, unit, expected) in table {
            let got = row(rule, value, unit).check().err().unwrap_or_default();
            assert_eq!(got, expected, "{rule} {value:?} {unit:?}");
        }
    }

    #[test]
    fn every_unit_reads_back_its_word() {
        use Unit::*;
        for u in [Days, DayNoon, Hours, Minutes, GL, Ratio, MlMin, Flag] {
            assert_eq!(Unit::parse(u.as_str()), Some(u));
            let word = serde_json::to_value(u).expect("serialisable");
            assert_eq!(word.as_str(), Some(u.as_str()));
        }
        assert_eq!(Unit::parse("day_noon"), Some(DayNoon));
        assert_eq!(Unit::parse("noon"), None);
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn a_cases_own_risk_raises_and_lowers_only_what_is_judged_per_case() {
        use BleedingRisk::{High as H, Low as L};
        use Technique::{Embolisation as E, TunnelledPleuralDrain as D, Vertebroplasty as V};
        let rules = crate::storage::rules::seeded();
        let table: &[(&[Technique], Option<BleedingRisk>, BleedingRisk, bool)] = &[
            // (techniques, own risk, effective risk, may be sent low)
            (&[V], None, H, false),
            (&[V], Some(L), H, false),
            (&[V], Some(H), H, false),
            (&[E], None, H, true),
            (&[E], Some(L), L, true),
            (&[E], Some(H), H, true),
            (&[D], None, L, false),
            (&[D], Some(L), L, false),
            (&[D], Some(H), H, false),
            (&[E, V], Some(L), H, false),
            (&[V, E], Some(L), H, false),
            (&[E, D], Some(L), H, false),
            (&[E, D], None, H, false),
            (&[], Some(L), H, false),
        ];
        for (techniques, own, effective, lowerable) in table {
            assert_eq!(rules.procedure_risk(techniques, *own), *effective, "{techniques:?} {own:?}");
            assert_eq!(rules.lowerable(techniques), *lowerable, "{techniques:?}");
        }
        assert_eq!(rules.not_per_case(&[E, V]), Some(V));
        assert_eq!(rules.not_per_case(&[E]), None);
    }

    #[test]
    fn every_known_rule_has_a_unit_and_a_unique_name() {
        for (i, s) in KNOWN_RULES.iter().enumerate() {
            assert!(!s.units.is_empty(), "{}", s.rule);
            assert!(
                KNOWN_RULES[..i].iter().all(|o| o.rule != s.rule),
                "{} twice",
                s.rule
            );
            let flag = s.units.contains(&Unit::Flag);
            assert_eq!(flag, s.value == ValueUse::Ignored, "{}", s.rule);
        }
    }
}
