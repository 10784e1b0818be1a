//! The bare schedule as a scheduling system exports it: one row per
//! procedure, a header row, `;` or `,` separated. Rows carry no evidence.

use std::collections::HashMap;

use super::{Location, Problem};
use crate::domain::model::{CaseFile, Patient, Procedure};
use crate::domain::time::{parse_date, parse_datetime};
use crate::domain::vocab::{Anaesthesia, BleedingRisk, Sex, Technique};

/// Columns, in the documented order; the header may order them freely.
pub const COLUMNS: [&str; 14] = [
    "external_id",
    "ipp",
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "scheduled_at",
    "room",
    "operator",
    "techniques",
    "target",
    "anaesthesia",
    "duration_min",
    "bleeding_risk",
];
/// Columns that may be left out of the header or left empty.
const OPTIONAL: [&str; 2] = ["duration_min", "bleeding_risk"];

pub fn parse(text: &str) -> Result<Vec<(Location, CaseFile)>, Vec<Problem>> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let file_problem = |message: String| {
        vec![Problem {
            at: Location {
                line: Some(1),
                ..Location::default()
            },
            message,
        }]
    };
    let header = reader
        .headers()
        .map_err(|e| file_problem(format!("cannot read the header: {e}")))?
        .clone();
    let index: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h, i)).collect();
    if let Some(unknown) = header.iter().find(|h| !COLUMNS.contains(h)) {
        return Err(file_problem(format!(
            "unknown column '{unknown}' (expected: {})",
            COLUMNS.join(", ")
        )));
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !OPTIONAL.contains(c) && !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(file_problem(format!(
            "missing column(s): {}",
            missing.join(", ")
        )));
    }
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                problems.push(Problem {
                    at: Location {
                        line,
                        ..Location::default()
                    },
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        let get = Row {
            index: &index,
            record: &record,
        };
        let at = Location {
            line,
            external_id: Some(get.get("external_id").to_owned()).filter(|s| !s.is_empty()),
            ..Location::default()
        };
        match row(&get) {
            Ok(case) => cases.push((at, case)),
            Err((field, message)) => problems.push(Problem {
                at: Location {
                    field: Some(field.to_owned()),
                    ..at
                },
                message,
            }),
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

type FieldError = (&'static str, String);

fn word<T>(
    field: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
) -> Result<T, FieldError>
where
    T: std::fmt::Display,
{
    parse(value).ok_or_else(|| {
        let words: Vec<String> = all.iter().map(ToString::to_string).collect();
        (
            field,
            format!(
                "unknown word '{value}' (expected one of: {})",
                words.join(", ")
            ),
        )
    })
}

/// One record with its columns found by name.
struct Row<'a> {
    index: &'a HashMap<&'a str, usize>,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, col: &str) -> &str {
        self.index
            .get(col)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }
}

fn row(r: &Row<'_>) -> Result<CaseFile, FieldError> {
    let get = |col: &str| r.get(col);
    let techniques = get("techniques")
        .split(['+', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| word("techniques", t, Technique::parse, Technique::ALL))
        .collect::<Result<Vec<_>, _>>()?;
    let duration_min = match get("duration_min") {
        "" => None,
        d => Some(d.parse::<u32>().map_err(|_| {
            (
                "duration_min",
                format!("'{d}' is not a whole number of minutes"),
            )
        })?),
    };
    let bleeding_risk = match get("bleeding_risk") {
        "" => None,
        b => Some(word(
            "bleeding_risk",
            b,
            BleedingRisk::parse,
            BleedingRisk::ALL,
        )?),
    };
    Ok(CaseFile::new(
        get("external_id").to_owned(),
        Patient {
            ipp: get("ipp").to_owned(),
            last_name: get("last_name").to_owned(),
            first_name: get("first_name").to_owned(),
            birth_date: parse_date(get("birth_date")).map_err(|e| ("birth_date", e))?,
            sex: word("sex", get("sex"), Sex::parse, Sex::ALL)?,
        },
        Procedure {
            scheduled_at: parse_datetime(get("scheduled_at")).map_err(|e| ("scheduled_at", e))?,
            room: get("room").to_owned(),
            operator: get("operator").to_owned(),
            techniques,
            target: get("target").to_owned(),
            anaesthesia: word(
                "anaesthesia",
                get("anaesthesia"),
                Anaesthesia::parse,
                Anaesthesia::ALL,
            )?,
            bleeding_risk,
            duration_min,
        },
    ))
}
