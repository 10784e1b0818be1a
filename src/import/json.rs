//! The JSON interchange format, `ir-committee/cases@1`.

use serde_json::Value;

use super::{FORMAT, Location, Problem};
use crate::domain::model::CaseFile;

/// Parses the document and every case, collecting one problem per bad case.
/// Returns each case with its index.
pub fn parse(text: &str) -> Result<Vec<(Location, CaseFile)>, Vec<Problem>> {
    let text = text.trim_start_matches('\u{feff}');
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem {
            at: Location {
                line: Some(e.line()),
                ..Location::default()
            },
            message: format!("not valid JSON: {e}"),
        }]
    })?;
    let top = |message: String| {
        vec![Problem {
            at: Location::default(),
            message,
        }]
    };
    let Value::Object(mut doc) = doc else {
        return Err(top(format!(
            "expected an object {{\"format\": \"{FORMAT}\", \"cases\": [...]}}"
        )));
    };
    match doc.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => return Err(top(format!("format is {other}, expected \"{FORMAT}\""))),
        None => return Err(top(format!("no \"format\" field: expected \"{FORMAT}\""))),
    }
    if let Some(k) = doc.keys().find(|k| *k != "format" && *k != "cases") {
        return Err(top(format!(
            "unknown top-level field '{k}' (expected format, cases)"
        )));
    }
    let Some(Value::Array(items)) = doc.remove("cases") else {
        return Err(top("\"cases\" must be a list of cases".to_owned()));
    };
    let mut cases = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let external_id = item
            .get("external_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let at = Location {
            case_index: Some(index),
            external_id,
            ..Location::default()
        };
        match serde_path_to_error::deserialize::<_, CaseFile>(item) {
            Ok(case) => cases.push((at, case)),
            Err(e) => {
                let path = e.path().to_string();
                let field = (path != ".").then_some(path);
                problems.push(Problem {
                    at: Location { field, ..at },
                    message: e.into_inner().to_string(),
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}
