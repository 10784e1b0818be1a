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
            _ => return None,
        })
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

    /// Like [`RuleSet::get`] for a rule that does not depend on a subject.
    pub fn any(&self, rule: &str, risk: BleedingRisk) -> Option<&RuleRow> {
        self.get(rule, "*", risk)
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

    /// The bleeding risk of a procedure: the override if given, else the
    /// highest of its techniques (a combined procedure takes the highest).
    pub fn procedure_risk(
        &self,
        techniques: &[Technique],
        override_risk: Option<BleedingRisk>,
    ) -> BleedingRisk {
        override_risk.unwrap_or_else(|| {
            techniques
                .iter()
                .map(|t| self.technique_risk(*t))
                .max()
                .unwrap_or(BleedingRisk::High)
        })
    }

    /// Expected duration in minutes: the longest default of the techniques.
    pub fn default_duration_min(&self, techniques: &[Technique]) -> Option<u32> {
        techniques
            .iter()
            .filter_map(|t| self.get("technique.duration", t.as_str(), BleedingRisk::High))
            .filter_map(|r| r.value)
            .map(|v| v.round() as u32)
            .max()
    }
}
