//! The dossier rules: seven items, each judged from the case's evidence
//! against the rules table. One file per item:
//!
//! | item          | file              |
//! |---------------|-------------------|
//! | imaging       | `imaging.rs`      |
//! | biology       | `biology.rs`      |
//! | coagulation   | `coagulation.rs`  |
//! | anaesthesia   | `anaesthesia.rs`  |
//! | consent       | `consent.rs`      |
//! | delay (48 h)  | `delay.rs`        |
//! | medication    | `medication.rs`   |
//!
//! Messages (French and English) are in `message.rs`. Every threshold, window
//! and hold is read from the [`RuleSet`]; the code holds no clinical number.
//!
//! An item yields one or more [`Finding`]s; the item's severity is the highest
//! of them, and its status that of the deciding finding (the first non-ok one
//! among the most severe). Its findings read in that order: blocking lines
//! first, then advisories, then the others. A required rule row missing from
//! the table is a blocking `<item>.rule_missing` finding.

pub mod anaesthesia;
pub mod biology;
pub mod coagulation;
pub mod consent;
pub mod delay;
pub mod imaging;
pub mod medication;
pub mod message;
pub mod risk_message;
pub mod table;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use serde::Serialize;

pub use message::{Age, Evidence, Hold, Msg, Renal};
pub use table::{RuleRow, RuleSet, Severity, Unit};

use crate::domain::model::CaseFile;
use crate::domain::time::{When, days_before, elapsed};
use crate::domain::vocab::BleedingRisk;

/// The seven dossier items, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Imaging,
    Biology,
    Coagulation,
    Anaesthesia,
    Consent,
    Delay,
    Medication,
}

impl Item {
    pub const ALL: [Item; 7] = [
        Item::Imaging,
        Item::Biology,
        Item::Coagulation,
        Item::Anaesthesia,
        Item::Consent,
        Item::Delay,
        Item::Medication,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Item::Imaging => "imaging",
            Item::Biology => "biology",
            Item::Coagulation => "coagulation",
            Item::Anaesthesia => "anaesthesia",
            Item::Consent => "consent",
            Item::Delay => "delay",
            Item::Medication => "medication",
        }
    }
}

/// What the evidence of an item shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Missing,
    OutOfRange,
    Expired,
    NotRequired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::OutOfRange => "out_of_range",
            Status::Expired => "expired",
            Status::NotRequired => "not_required",
        }
    }
}

/// What the rule engine needs besides the case.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    /// The hospital's time zone: elapsed hours count daylight-saving changes.
    pub tz: Tz,
}

impl Context<'_> {
    /// The bleeding risk the case is judged at: the highest risk of its
    /// techniques, or the case's own when it applies (a raise; a `low` only
    /// where every technique's risk is judged per case: see
    /// [`RuleSet::procedure_risk`]).
    pub fn risk(&self, case: &CaseFile) -> BleedingRisk {
        self.rules
            .procedure_risk(&case.procedure.techniques, case.procedure.bleeding_risk)
    }
}

/// One judgement on one piece of evidence: an item may carry several (INR
/// and platelets, one per drug…).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable, language-free id, e.g. `coagulation.inr_high` (see each item file).
    pub code: &'static str,
    pub status: Status,
    pub severity: Severity,
    pub msg: Msg,
}

impl Finding {
    pub fn new(code: &'static str, status: Status, severity: Severity, msg: Msg) -> Finding {
        Finding {
            code,
            status,
            severity,
            msg,
        }
    }

    /// A finding that raises nothing.
    pub fn ok(code: &'static str, msg: Msg) -> Finding {
        Finding::new(code, Status::Ok, Severity::None, msg)
    }

    /// An ok finding that still deserves attention: at most advisory, whatever
    /// the row says (an ok status never blocks a case).
    pub fn ok_advisory(code: &'static str, row_severity: Severity, msg: Msg) -> Finding {
        Finding::new(code, Status::Ok, row_severity.min(Severity::Advisory), msg)
    }
}

/// The verdict on one dossier item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    pub item: Item,
    pub status: Status,
    pub severity: Severity,
    pub findings: Vec<Finding>,
}

impl ItemResult {
    /// Aggregates an item's findings: the severity is the highest one; the
    /// status is that of the deciding finding (see [`ItemResult::decider`]).
    /// The findings are put in the order they decide: blocking first, then
    /// advisory, then the rest; within a severity, a finding that is not ok
    /// before an ok one; otherwise in the order the item gave them.
    pub fn from_findings(item: Item, mut findings: Vec<Finding>) -> ItemResult {
        findings.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.status == Status::Ok));
        let (status, severity) = decider(&findings)
            .map(|f| (f.status, f.severity))
            .unwrap_or((Status::Ok, Severity::None));
        ItemResult {
            item,
            status,
            severity,
            findings,
        }
    }

    /// The finding that decides the item: among the most severe findings, the
    /// first one that is not ok, else the first one.
    pub fn decider(&self) -> Option<&Finding> {
        decider(&self.findings)
    }

    /// The code of the deciding finding.
    pub fn code(&self) -> &'static str {
        self.decider().map_or(self.item.as_str(), |f| f.code)
    }

    pub fn is_blocking(&self) -> bool {
        self.severity == Severity::Blocking
    }
}

fn decider(findings: &[Finding]) -> Option<&Finding> {
    let top = findings.iter().map(|f| f.severity).max()?;
    let most_severe = || findings.iter().filter(move |f| f.severity == top);
    most_severe()
        .find(|f| f.status != Status::Ok)
        .or_else(|| most_severe().next())
}

/// The seven items of a case's dossier, always in [`Item::ALL`] order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dossier {
    pub items: Vec<ItemResult>,
}

impl Dossier {
    /// Complete when no item is blocking.
    pub fn complete(&self) -> bool {
        self.blocking().next().is_none()
    }

    /// The blocking items, in display order.
    pub fn blocking(&self) -> impl Iterator<Item = &ItemResult> {
        self.items.iter().filter(|r| r.is_blocking())
    }

    /// The result of one item (always present in a dossier built by
    /// [`evaluate`]).
    pub fn item(&self, item: Item) -> Option<&ItemResult> {
        self.items.iter().find(|r| r.item == item)
    }
}

/// Judges the seven items of a case's dossier against the rules table.
pub fn evaluate(case: &CaseFile, ctx: &Context) -> Dossier {
    let items = Item::ALL
        .iter()
        .map(|item| evaluate_item(*item, case, ctx))
        .collect();
    Dossier { items }
}

/// Judges one item.
pub fn evaluate_item(item: Item, case: &CaseFile, ctx: &Context) -> ItemResult {
    let findings = match item {
        Item::Imaging => imaging::findings(case, ctx),
        Item::Biology => biology::findings(case, ctx),
        Item::Coagulation => coagulation::findings(case, ctx),
        Item::Anaesthesia => anaesthesia::findings(case, ctx),
        Item::Consent => consent::findings(case, ctx),
        Item::Delay => delay::findings(case, ctx),
        Item::Medication => medication::findings(case, ctx),
    };
    ItemResult::from_findings(item, findings.unwrap_or_else(|f| vec![f]))
}

/// What an item's evaluation returns: its findings, or the one finding that
/// stopped it early (a rule row missing from the table).
type Findings = Result<Vec<Finding>, Finding>;

/// A rule row the item cannot be judged without. Its absence is a
/// configuration error, reported as a blocking finding (the safe reading).
fn required<'r>(
    ctx: &Context<'r>,
    item: Item,
    rule: &'static str,
    subject: &str,
    risk: BleedingRisk,
) -> Result<&'r RuleRow, Finding> {
    ctx.rules
        .get(rule, subject, risk)
        .ok_or_else(|| rule_missing(item, rule, subject))
}

/// A required row with its value (a threshold or window).
fn required_value(
    ctx: &Context,
    item: Item,
    rule: &'static str,
    subject: &str,
    risk: BleedingRisk,
) -> Result<(f64, Severity), Finding> {
    let row = required(ctx, item, rule, subject, risk)?;
    match row.value {
        Some(v) if v.is_finite() => Ok((v, row.severity)),
        _ => Err(rule_missing(item, rule, subject)),
    }
}

fn rule_missing(item: Item, rule: &str, subject: &str) -> Finding {
    let code = match item {
        Item::Imaging => "imaging.rule_missing",
        Item::Biology => "biology.rule_missing",
        Item::Coagulation => "coagulation.rule_missing",
        Item::Anaesthesia => "anaesthesia.rule_missing",
        Item::Consent => "consent.rule_missing",
        Item::Delay => "delay.rule_missing",
        Item::Medication => "medication.rule_missing",
    };
    let msg = Msg::RuleMissing {
        rule: rule.to_string(),
        subject: subject.to_string(),
    };
    Finding::new(code, Status::Missing, Severity::Blocking, msg)
}

/// Whether evidence recorded `at` comes after the procedure: a date-time
/// later than the scheduled time (even on day J), or a date after day J. A
/// date alone on day J is not after (calendar-day rules count it as J).
fn after_procedure(case: &CaseFile, at: When) -> bool {
    match at {
        When::Date(d) => d > case.day(),
        When::DateTime(dt) => dt > case.procedure.scheduled_at,
    }
}

/// Calendar days from a piece of evidence to day J (J − date). Evidence
/// recorded after the procedure (see [`after_procedure`]) is out of range,
/// blocking.
fn days_before_procedure(
    case: &CaseFile,
    what: Evidence,
    at: When,
    after_code: &'static str,
) -> Result<i64, Finding> {
    let days = days_before(at.date(), case.day());
    if days < 0 || after_procedure(case, at) {
        let msg = Msg::AfterProcedure { what, at };
        return Err(Finding::new(
            after_code,
            Status::OutOfRange,
            Severity::Blocking,
            msg,
        ));
    }
    Ok(days)
}

/// Where an item accepts its evidence: from the first day of a validity
/// window (if any) to the latest moment. Computed by the rule that judges the
/// item, from the same rows, and used by it to judge; the chase list
/// (`domain::tasks`) shows the same value, so it can never disagree with the
/// flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// The first day accepted (`None`: no lower bound).
    pub earliest: Option<NaiveDate>,
    pub latest: Latest,
}

/// The latest moment a piece of evidence (or a last intake) is accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Latest {
    /// On this day or before (calendar days).
    Day(NaiveDate),
    /// On this day before 12:00, or on an earlier day (a date alone on this
    /// day is not before noon).
    DayNoon(NaiveDate),
    /// Long enough before the procedure, counted in elapsed time.
    Elapsed(Elapsed),
}

/// A minimum elapsed time before the procedure, in the hospital's zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Elapsed {
    pub min: Duration,
    /// "More than" `min` (the 48 h rule); otherwise "at least".
    pub more_than: bool,
    pub procedure: NaiveDateTime,
    pub tz: Tz,
}

impl Elapsed {
    /// Time from `at` (a date alone: the end of its day) to the procedure.
    pub fn waited(&self, at: When) -> Duration {
        elapsed(self.tz, at.latest(), self.procedure)
    }

    pub fn admits(&self, at: When) -> bool {
        let waited = self.waited(at);
        if self.more_than {
            waited > self.min
        } else {
            waited >= self.min
        }
    }

    /// The local wall-clock moment `min` before the procedure: the last one
    /// accepted ("at least"), or the first one refused ("more than").
    pub fn bound(&self) -> NaiveDateTime {
        crate::domain::time::before(self.tz, self.procedure, self.min)
    }
}

impl Latest {
    /// Whether evidence dated `at` is early enough.
    pub fn admits(&self, at: When) -> bool {
        match *self {
            Latest::Day(d) => at.date() <= d,
            Latest::DayNoon(d) => at.date() < d || (at.date() == d && before_noon(at)),
            Latest::Elapsed(e) => e.admits(at),
        }
    }

    /// Whether the window has closed at `now` (local): evidence dated now
    /// would not be accepted.
    pub fn closed(&self, now: NaiveDateTime) -> bool {
        !self.admits(When::DateTime(now))
    }

    /// The day of the deadline (to sort by).
    pub fn day(&self) -> NaiveDate {
        match *self {
            Latest::Day(d) | Latest::DayNoon(d) => d,
            Latest::Elapsed(e) => e.bound().date(),
        }
    }

    /// The moment to sort by: the end of the last day, noon, or the bound.
    pub fn sort_key(&self) -> NaiveDateTime {
        match *self {
            Latest::Day(d) => crate::domain::time::end_of_day(d),
            Latest::DayNoon(d) => d.and_time(noon()),
            Latest::Elapsed(e) => e.bound(),
        }
    }
}

/// The hour from which an intake on the cut-off day of a `day_noon` hold
/// is too late: the unit's definition (its name), not a clinical number.
const NOON_HOUR: u32 = 12;

fn noon() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(NOON_HOUR, 0, 0).unwrap_or(chrono::NaiveTime::MIN)
}

/// Whether a moment was recorded before noon: a date alone was not (its
/// hour is unknown, the cautious reading).
fn before_noon(at: When) -> bool {
    use chrono::Timelike;
    matches!(at, When::DateTime(dt) if dt.hour() < NOON_HOUR)
}

/// Day J minus `n` calendar days, `n` a row's value: a fraction of a day
/// counts whole (J−2.5 is J−3: `days >= n` for whole days). `None` when no
/// date is that far.
fn days_back(day: NaiveDate, n: f64) -> Option<NaiveDate> {
    let n = n.ceil();
    if n < 0.0 {
        return day.checked_add_days(chrono::Days::new((-n).min(1e6) as u64));
    }
    if n > 1e6 {
        return None;
    }
    day.checked_sub_days(chrono::Days::new(n as u64))
}

/// A validity window: evidence at most `max` calendar days old on day J
/// (the row's severity when older).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Validity {
    pub max: f64,
    pub severity: Severity,
    pub window: Window,
}

/// The validity window of `rule` (a number of days) for the case.
fn validity(
    case: &CaseFile,
    ctx: &Context,
    item: Item,
    rule: &'static str,
    risk: BleedingRisk,
) -> Result<Validity, Finding> {
    let (max, severity) = required_value(ctx, item, rule, "*", risk)?;
    let day = case.day();
    // days <= max, days whole: the oldest day is J − floor(max).
    let earliest = if max.floor() > 1e6 {
        None
    } else {
        days_back(day, max.floor())
    };
    Ok(Validity {
        max,
        severity,
        window: Window {
            earliest,
            latest: Latest::Day(day),
        },
    })
}

/// Checks a piece of evidence against its validity window: its age when
/// within, else an `expired` finding.
fn within_window(
    case: &CaseFile,
    (what, value): (Evidence, Option<message::Value>),
    at: When,
    validity: &Validity,
    risk: Option<BleedingRisk>,
    after_code: &'static str,
    expired_code: &'static str,
) -> Result<Age, Finding> {
    let days = days_before_procedure(case, what, at, after_code)?;
    let age = Age {
        what,
        value,
        at: at.date(),
        days,
        max: validity.max,
        risk,
    };
    if validity.window.earliest.is_some_and(|e| at.date() < e) {
        return Err(Finding::new(
            expired_code,
            Status::Expired,
            validity.severity,
            Msg::Age(age),
        ));
    }
    Ok(age)
}

/// A recorded text, if it has a visible character: one stored blank or
/// invisible (a Hangul filler, a Braille blank) reads as not given.
fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !crate::domain::text::is_blank(s))
}

#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod per_value_tests;
