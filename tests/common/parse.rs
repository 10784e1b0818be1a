//! Import helpers shared by the import tests: the problems the parser
//! finds, the fixture edited, a CSV row.

use ir_committee::testkit::today;

use super::fixture;

/// The problems `import::parse` finds in `text`, as printed; empty when it
/// accepts the file.
pub fn problems(text: &str) -> Vec<String> {
    match ir_committee::import::parse(text, today()) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

/// The fixture with `edit` applied to the whole document.
pub fn with_doc(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    edit(&mut doc);
    serde_json::to_string_pretty(&doc).expect("JSON")
}

pub const CSV_HEADER: &str = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia;duration_min;bleeding_risk";

pub fn csv_row(id: &str, ipp: &str, first_name: &str, tail: &str) -> String {
    format!(
        "{id};{ipp};Dupré;{first_name};1950-03-02;F;2026-12-01T08:30;Salle 1;Dr Martin;vertebroplasty;L3;general;{tail}"
    )
}
