//! The JSON interchange format, `ir-committee/cases@1`.
//!
//! The document is never read through `serde_json::Value`, whose maps keep
//! the last of two equal keys without a word. The top level is read key by
//! key (a repeated key is reported), each case is kept as its raw text, and
//! then read into the derived structs, which refuse a repeated field.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::error::Category;
use serde_json::value::RawValue;

use super::{FORMAT, Location, Parsed, Problem};
use crate::domain::model::CaseFile;
use crate::domain::text::sanitize_line;

/// Parses the document and every case. A problem with the document itself
/// refuses the file at once (`Err`); each bad case gives one problem (its
/// first structural error) and the other cases are still read.
pub fn parse(text: &str) -> Result<Parsed, Vec<Problem>> {
    let text = text.trim_start_matches('\u{feff}');
    let top = |message: String| {
        vec![Problem {
            at: Location::default(),
            message: message.into(),
        }]
    };
    let doc: TopLevel = serde_json::from_str(text).map_err(|e| match e.classify() {
        Category::Data => top(format!(
            "expected an object {{\"format\": \"{FORMAT}\", \"cases\": [...]}}"
        )),
        Category::Io | Category::Syntax | Category::Eof => vec![Problem {
            at: Location {
                line: Some(e.line()),
                ..Location::default()
            },
            message: format!("not valid JSON: {e}").into(),
        }],
    })?;
    if let Some(k) = doc.repeated {
        return Err(top(format!("top-level field '{k}' appears twice")));
    }
    match doc
        .format
        .as_deref()
        .map(|raw| serde_json::from_str::<Value>(raw.get()))
    {
        Some(Ok(Value::String(f))) if f == FORMAT => {}
        Some(Ok(other)) => return Err(top(format!("format is {other}, expected \"{FORMAT}\""))),
        Some(Err(e)) => return Err(top(format!("format: {e}"))),
        None => return Err(top(format!("no \"format\" field: expected \"{FORMAT}\""))),
    }
    if let Some(k) = &doc.unknown {
        return Err(top(format!(
            "unknown top-level field '{}' (expected format, cases)",
            sanitize_line(k)
        )));
    }
    let items = doc
        .cases
        .as_deref()
        .and_then(|raw| serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()).ok())
        .ok_or_else(|| top("\"cases\" must be a list of cases".to_owned()))?;
    let mut cases = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = Location {
            case_index: Some(index),
            external_id: external_id(item),
            ..Location::default()
        };
        match case(item) {
            Ok(case) => cases.push((at, case)),
            Err((field, message)) => problems.push(Problem {
                at: Location { field, ..at },
                message: message.into(),
            }),
        }
    }
    Ok(Parsed { cases, problems })
}

/// Reads one case from its raw text; on error, the field path (none for the
/// case itself) and serde's message.
fn case(raw: &RawValue) -> Result<CaseFile, (Option<String>, String)> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize::<_, CaseFile>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let message = message(e.inner());
        // serde reports a repeated key at the object holding it: name the key.
        let repeated = message
            .strip_prefix("duplicate field `")
            .and_then(|m| m.strip_suffix('`'));
        let field = match (path.as_str(), repeated) {
            (".", None) => None,
            (".", Some(key)) => Some(key.to_owned()),
            (_, Some(key)) => Some(format!("{path}.{key}")),
            (_, None) => Some(path),
        };
        (field, message)
    })
}

/// serde_json's message without its " at line L column C", which counts
/// inside the case's own text and would mislead: the case index and field
/// path say where the error is.
fn message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    humanize(full.strip_suffix(&position).unwrap_or(&full))
}

/// Serde speaks Rust ("expected u8", "struct CaseFile"): say it in words.
fn humanize(message: &str) -> String {
    const WORDS: [(&str, &str); 9] = [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text in quotes"),
        ("expected struct ", "expected an object: "),
    ];
    let mut out = message.to_owned();
    for (rust, words) in WORDS {
        out = out.replace(rust, words);
    }
    // "expected an object: CaseFile" → name the thing without Rust's type.
    for (rust, words) in [
        ("CaseFile", "a case"),
        ("Vec<", "a list of "),
        ("Option<", ""),
    ] {
        out = out.replace(rust, words);
    }
    out
}

/// The case's `external_id` when it has a usable one, read leniently (other
/// fields ignored, whatever they hold) so that a case with errors is named.
fn external_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        #[serde(default)]
        external_id: Option<Value>,
    }
    let id = serde_json::from_str::<IdOnly>(raw.get())
        .ok()?
        .external_id?;
    let id = sanitize_line(id.as_str()?);
    (!id.is_empty()).then_some(id)
}

/// The top-level object, read key by key without failing on its content:
/// the checks in [`parse`] give the messages.
#[derive(Default)]
struct TopLevel {
    format: Option<Box<RawValue>>,
    cases: Option<Box<RawValue>>,
    /// The first key other than `format` and `cases`.
    unknown: Option<String>,
    /// `format` or `cases` when it appears twice.
    repeated: Option<&'static str>,
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an object {{\"format\": \"{FORMAT}\", \"cases\": [...]}}"
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut top = TopLevel::default();
        while let Some(key) = map.next_key::<String>()? {
            let (slot, name) = match key.as_str() {
                "format" => (&mut top.format, "format"),
                "cases" => (&mut top.cases, "cases"),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    top.unknown.get_or_insert(key);
                    continue;
                }
            };
            if slot.is_some() {
                top.repeated.get_or_insert(name);
            }
            *slot = Some(map.next_value()?);
        }
        Ok(top)
    }
}
