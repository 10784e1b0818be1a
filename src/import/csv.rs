//! The bare schedule as a scheduling system exports it: one row per
//! procedure, a header row, `;` or `,` separated. Rows carry no evidence.
//! Every row has as many fields as the header (a trailing separator on the
//! header, and then on the rows, is tolerated); a column appears once.

use std::collections::HashMap;

use super::{Location, Parsed, Problem};
use crate::domain::model::{CaseFile, Patient, Procedure};
use crate::domain::text::sanitize_line;
use crate::domain::time::{parse_date, parse_datetime};
use crate::domain::vocab::{Access, Anaesthesia, BleedingRisk, Sex, Technique};

/// Columns, in the documented order; the header may order them freely.
pub const COLUMNS: [&str; 15] = [
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
    "access",
];
/// Columns that may be left out of the header or left empty.
const OPTIONAL: [&str; 3] = ["duration_min", "bleeding_risk", "access"];

/// Reads the header and every row. A problem with the header refuses the
/// file at once (`Err`); a bad row is listed and the other rows are still read.
pub fn parse(text: &str) -> Result<Parsed, Vec<Problem>> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    // The separator the header uses most: `;` (French spreadsheets), `,`, or a tab.
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    // Flexible so that a row with a wrong number of fields is reported by
    // us, with its line and both counts, rather than by the reader.
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
            message: message.into(),
        }]
    };
    let raw_header = reader
        .headers()
        .map_err(|e| file_problem(format!("cannot read the header: {e}")))?
        .clone();
    let header = Header::new(&raw_header).map_err(file_problem)?;
    let index: HashMap<&str, usize> = header
        .names
        .iter()
        .enumerate()
        .map(|(i, h)| (*h, i))
        .collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !OPTIONAL.contains(c) && !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(file_problem(format!(
            "missing {}: {}",
            crate::text::typo::plural(
                crate::text::Lang::En,
                missing.len() as u64,
                "column",
                "columns"
            ),
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
                    message: e.to_string().into(),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        if let Err(message) = header.fits(&record) {
            problems.push(Problem {
                at: Location {
                    line,
                    ..Location::default()
                },
                message: message.into(),
            });
            continue;
        }
        let get = Row {
            index: &index,
            record: &record,
        };
        let at = Location {
            line,
            external_id: Some(sanitize_line(get.get("external_id"))).filter(|s| !s.is_empty()),
            ..Location::default()
        };
        match row(&get) {
            Ok(case) => cases.push((at, case)),
            Err((field, message)) => problems.push(Problem {
                at: Location {
                    field: Some(field.to_owned()),
                    ..at
                },
                message: message.into(),
            }),
        }
    }
    Ok(Parsed { cases, problems })
}

/// The header row: its column names, and whether it ends with an empty cell
/// left by a trailing separator (`…;bleeding_risk;`), which is ignored.
struct Header<'a> {
    names: Vec<&'a str>,
    trailing_empty: bool,
}

impl<'a> Header<'a> {
    /// Refuses an unknown, empty or repeated column name.
    fn new(raw: &'a csv::StringRecord) -> Result<Header<'a>, String> {
        let mut names: Vec<&str> = raw.iter().collect();
        let trailing_empty = names.len() > 1 && names.last().is_some_and(|h| h.is_empty());
        if trailing_empty {
            names.pop();
        }
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(format!(
                    "column {} has no name (expected: {})",
                    i + 1,
                    COLUMNS.join(", ")
                ));
            }
            if !COLUMNS.contains(name) {
                return Err(format!(
                    "unknown column '{}' (expected: {})",
                    sanitize_line(name),
                    COLUMNS.join(", ")
                ));
            }
            if names[..i].contains(name) {
                return Err(format!("column '{name}' appears twice"));
            }
        }
        Ok(Header {
            names,
            trailing_empty,
        })
    }

    /// A row must have as many fields as the header. When the header ends
    /// with a trailing separator, the row may too (its last cell empty).
    fn fits(&self, record: &csv::StringRecord) -> Result<(), String> {
        let want = self.names.len();
        let got = record.len();
        let trailing_ok =
            self.trailing_empty && got == want + 1 && record.get(want).is_some_and(str::is_empty);
        if got == want || trailing_ok {
            Ok(())
        } else {
            let fields = if got == 1 { "field" } else { "fields" };
            Err(format!("{got} {fields}, the header has {want}"))
        }
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
    // Empty: none (refused later, "needs at least one technique"); else
    // every name between the separators must be there (`+cementoplasty`
    // is a slip, not one technique).
    let listed = get("techniques");
    let techniques = if listed.is_empty() {
        Vec::new()
    } else {
        listed
            .split(['+', '|'])
            .map(str::trim)
            .map(|t| match t {
                "" => Err((
                    "techniques",
                    format!(
                        "'{}' has an empty technique between separators (+ or |)",
                        sanitize_line(listed)
                    ),
                )),
                t => word("techniques", t, Technique::parse, Technique::ALL),
            })
            .collect::<Result<Vec<_>, _>>()?
    };
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
    // Empty or absent: not recorded (a re-import keeps what is stored).
    let access = match get("access") {
        "" => None,
        a => Some(word("access", a, Access::parse, Access::ALL)?),
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
            access,
        },
    ))
}
