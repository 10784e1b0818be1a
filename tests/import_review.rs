//! Review of the import: CSV shape, duplicate keys, every error in file
//! order, one identity per IPP.

mod common;

use common::parse::{CSV_HEADER, csv_row, problems, with_doc};
use common::{first_id, refused, with_first_case};
use ir_committee::testkit::today;

#[test]
fn csv_rows_with_extra_or_missing_fields_are_refused_with_their_line() {
    let csv = [
        CSV_HEADER.to_owned(),
        csv_row("CSV-1", "100", "Hélène", "60;"),
        csv_row("CSV-2", "101", "Côme", "60;low"),
        // Line 4: two cells too many.
        csv_row("CSV-3", "102", "Zoé", "60;low;x;y"),
        // Line 5: the last two columns are missing.
        "CSV-4;103;Noël;Côme;1948-07-14;M;2026-12-01T10:00;Salle 1;Dr Martin;vertebroplasty;L4;general"
            .to_owned(),
    ]
    .join("\n");
    let found = problems(&csv);
    assert_eq!(
        found,
        vec![
            "line 4: 16 fields, the header has 14".to_owned(),
            "line 5: 12 fields, the header has 14".to_owned(),
        ]
    );
    // The same through the binary: refused, database unchanged, one line.
    let err = refused(&csv, "schedule.csv");
    assert!(
        err.contains("line 4: 16 fields, the header has 14"),
        "{err}"
    );
    assert!(
        err.contains("line 5: 12 fields, the header has 14"),
        "{err}"
    );
}

#[test]
fn csv_header_with_a_repeated_column_is_refused() {
    let csv = format!(
        "{CSV_HEADER};external_id\n{}\n",
        csv_row("CSV-1", "100", "Hélène", "60;;CSV-1")
    );
    assert_eq!(
        problems(&csv),
        vec!["line 1: column 'external_id' appears twice".to_owned()]
    );
    // An empty column name that is not a trailing separator is refused too.
    let csv = format!("external_id;;{}\n", &CSV_HEADER["external_id;".len()..]);
    let found = problems(&csv);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("line 1: column 2 has no name"),
        "{found:?}"
    );
}

#[test]
fn csv_trailing_separator_on_header_and_rows_is_tolerated() {
    let csv = [
        format!("\u{feff}{CSV_HEADER};"),
        // Trailing separator after an empty bleeding_risk.
        csv_row("CSV-1", "100", "Hélène", "60;;"),
        csv_row("CSV-2", "101", "Côme", "45;low;"),
        // No trailing separator on this row: still the header's 14 columns.
        csv_row("CSV-3", "102", "Zoé", ";high"),
    ]
    .join("\r\n");
    let cases = ir_committee::import::parse(&csv, today()).expect("accepted");
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[0].procedure.duration_min, Some(60));
    assert_eq!(cases[0].procedure.bleeding_risk, None);
    assert_eq!(cases[1].procedure.duration_min, Some(45));
    assert_eq!(
        cases[1].procedure.bleeding_risk.map(|b| b.to_string()),
        Some("low".to_owned())
    );
    assert_eq!(
        cases[2].procedure.bleeding_risk.map(|b| b.to_string()),
        Some("high".to_owned())
    );
    // The cell after the trailing separator must stay empty.
    let csv = format!(
        "{CSV_HEADER};\n{}\n",
        csv_row("CSV-1", "100", "Hélène", "60;;oops")
    );
    assert_eq!(
        problems(&csv),
        vec!["line 2: 15 fields, the header has 14".to_owned()]
    );
    // Without a trailing separator on the header, a row may not add one.
    let csv = format!(
        "{CSV_HEADER}\n{}\n",
        csv_row("CSV-1", "100", "Hélène", "60;;")
    );
    assert_eq!(
        problems(&csv),
        vec!["line 2: 15 fields, the header has 14".to_owned()]
    );
}

#[test]
fn csv_keeps_header_rules_comma_bom_and_free_order() {
    // Comma separated, BOM, columns in another order, optional ones left out.
    let csv = "\u{feff}ipp,external_id,first_name,last_name,sex,birth_date,scheduled_at,room,operator,techniques,target,anaesthesia\n\
               100,CSV-1,Hélène,Dupré,F,1950-03-02,2026-12-01T08:30,Salle 1,Dr Martin,vertebroplasty,L3,general\n";
    let cases = ir_committee::import::parse(csv, today()).expect("accepted");
    assert_eq!(cases[0].external_id, "CSV-1");
    assert_eq!(cases[0].patient.last_name, "Dupré");
    // A file without its required columns is refused on the header line.
    let found = problems("external_id;ipp\nCSV-1;100\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("line 1: missing columns: last_name"),
        "{found:?}"
    );
}

#[test]
fn a_repeated_json_key_is_refused_with_its_path() {
    let id = first_id();
    // `"inr"` twice: through `Value` the second one silently won.
    let text = with_first_case(|c| {
        c["coagulation"] =
            serde_json::json!({"at": "2026-11-27", "INR_PLACEHOLDER": 1, "platelets_g_l": 200})
    })
    .replace("\"INR_PLACEHOLDER\": 1", "\"inr\": 1.1, \"inr\": 1.9");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(&format!(
            "case 0 ({id}), field coagulation.inr: duplicate field `inr`"
        )),
        "{found:?}"
    );
    assert!(found[0].contains("duplicate field `inr`"), "{found:?}");
    assert!(
        !found[0].contains(" column "),
        "no position inside the case: {found:?}"
    );
    // A repeated external_id inside a case, and a repeated top-level key.
    let text = with_first_case(|_| {}).replacen(
        &format!("\"external_id\": \"{id}\""),
        &format!("\"external_id\": \"{id}\", \"external_id\": \"OTHER\""),
        1,
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    // Two ids: the case is named by its index alone, not by either id.
    assert_eq!(
        found,
        vec!["case 0, field external_id: duplicate field `external_id`".to_owned()]
    );
    let found = problems(r#"{"format": "ir-committee/cases@1", "cases": [], "cases": []}"#);
    assert_eq!(
        found,
        vec!["top-level field 'cases' appears twice".to_owned()]
    );
    // Refused by the binary too, database unchanged.
    let err = refused(
        &with_first_case(|c| c["pain_vas"] = 3.into()).replacen(
            "\"pain_vas\": 3",
            "\"pain_vas\": 3, \"pain_vas\": 9",
            1,
        ),
        "dup-key.json",
    );
    assert!(err.contains("duplicate field `pain_vas`"), "{err}");
}

#[test]
fn json_document_errors_keep_their_messages() {
    let found = problems("{\"format\": \"ir-committee/cases@1\",\n \"cases\": [\n{,}]}");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("line 3: not valid JSON"), "{found:?}");
    assert_eq!(
        problems(r#"{"format": "other@2", "cases": []}"#),
        vec![r#"format is "other@2", expected "ir-committee/cases@1""#.to_owned()]
    );
    assert_eq!(
        problems(r#"{"cases": []}"#),
        vec![r#"no "format" field: expected "ir-committee/cases@1""#.to_owned()]
    );
    assert_eq!(
        problems(r#"{"format": "ir-committee/cases@1", "cases": [], "extra": 1}"#),
        vec!["unknown top-level field 'extra' (expected format, cases)".to_owned()]
    );
    assert_eq!(
        problems(r#"{"format": "ir-committee/cases@1", "cases": {}}"#),
        vec![r#""cases" must be a list of cases"#.to_owned()]
    );
    let found = problems("[1, 2]");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("expected an object"), "{found:?}");
    assert_eq!(
        problems(r#"{"format": "ir-committee/cases@1", "cases": []}"#),
        Vec::<String>::new()
    );
}

#[test]
fn a_case_with_bad_fields_is_still_named_by_its_external_id() {
    let id = first_id();
    // Several bad fields: the case is named, its first structural error given.
    let found = problems(&with_first_case(|c| {
        c["patient"]["sex"] = "Q".into();
        c["procedure"]["techniques"] = serde_json::json!(["teleportation"]);
        c["pain_vas"] = 40.into();
    }));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(&format!("case 0 ({id}), field patient.sex:")),
        "{found:?}"
    );
    // An external_id that is not a string: the case is named by its index.
    let found = problems(&with_first_case(|c| c["external_id"] = 42.into()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("case 0, field external_id:"),
        "{found:?}"
    );
    // A case that is not an object.
    let found = problems(&with_doc(|d| d["cases"][0] = "hello".into()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("case 0: invalid type"), "{found:?}");
}

#[test]
fn structural_and_semantic_errors_are_reported_together_in_file_order() {
    let text = with_doc(|d| {
        let cases = &mut d["cases"];
        // Case 0: a bound (semantic: checked after reading).
        cases[0]["coagulation"] =
            serde_json::json!({"at": "2026-11-27", "inr": 40, "platelets_g_l": 200});
        // Case 1: an unknown word (structural: the case cannot be read).
        cases[1]["procedure"]["techniques"] = serde_json::json!(["teleportation"]);
        // Case 2: two semantic errors.
        cases[2]["pain_vas"] = 11.into();
        cases[2]["patient"]["last_name"] = " ".into();
        // Case 3: an impossible date (structural).
        cases[3]["procedure"]["scheduled_at"] = "2026-02-30T08:30".into();
    });
    let found = problems(&text);
    let fields: Vec<&str> = found
        .iter()
        .map(|p| p.split(": ").next().unwrap_or(""))
        .collect();
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(fields[0].starts_with("case 0 ") && fields[0].ends_with("field coagulation.inr"));
    assert!(
        fields[1].starts_with("case 1 ") && fields[1].ends_with("field procedure.techniques[0]")
    );
    assert!(fields[2].starts_with("case 2 ") && fields[2].ends_with("field patient.last_name"));
    assert!(fields[3].starts_with("case 2 ") && fields[3].ends_with("field pain_vas"));
    assert!(
        fields[4].starts_with("case 3 ") && fields[4].ends_with("field procedure.scheduled_at")
    );
    // CSV: a bad row and a row with a bound error are both reported.
    let csv = [
        CSV_HEADER.to_owned(),
        csv_row("CSV-1", "100", "Hélène", "2;"),
        csv_row("CSV-2", "101", "Côme", "60;medium"),
        csv_row("CSV-3", "102", "Zoé", "60;low;extra"),
    ]
    .join("\n");
    let found = problems(&csv);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("line 2, case CSV-1, field procedure.duration_min"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("line 3, case CSV-2, field bleeding_risk"),
        "{found:?}"
    );
    assert_eq!(found[2], "line 4: 15 fields, the header has 14");
}

#[test]
fn one_ipp_is_one_identity_within_a_file() {
    let text = with_doc(|d| {
        let cases = &mut d["cases"];
        cases[3]["patient"] = serde_json::json!({
            "ipp": "80012345", "last_name": "Dupré", "first_name": "Hélène",
            "birth_date": "1950-03-02", "sex": "F"
        });
        cases[5]["patient"] = cases[3]["patient"].clone();
        cases[5]["patient"]["birth_date"] = "1950-03-03".into();
        // Same identity once sanitised (decomposed accents, extra spaces): fine.
        cases[6]["patient"] = cases[3]["patient"].clone();
        cases[6]["patient"]["first_name"] = " He\u{301}le\u{300}ne ".into();
        cases[7]["patient"] = cases[3]["patient"].clone();
        cases[7]["patient"]["sex"] = "M".into();
    });
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let id = |i: usize| {
        doc["cases"][i]["external_id"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    let found = problems(&text);
    // Case 0 (the fixture's 80012345, Béranger) comes first: case 3 differs from it.
    let first = "(BÉRANGER Hélène, 1948-03-14, F)";
    assert_eq!(
        found,
        [3, 5, 6, 7]
            .iter()
            .map(|&i| format!(
                "case {i} ({}), field patient.ipp: IPP 80012345 is used by case 0 ({}) with another identity {first}",
                id(i),
                id(0)
            ))
            .collect::<Vec<_>>()
    );
    // Without the fixture's own 80012345, the later cases are compared with case 3.
    let text = with_doc(|d| {
        let cases = &mut d["cases"];
        cases[0]["patient"]["ipp"] = "80099999".into();
        cases[3]["patient"] = serde_json::json!({
            "ipp": "80012345", "last_name": "Dupré", "first_name": "Hélène",
            "birth_date": "1950-03-02", "sex": "F"
        });
        cases[6]["patient"] = cases[3]["patient"].clone();
        cases[6]["patient"]["first_name"] = " He\u{301}le\u{300}ne ".into();
        cases[7]["patient"] = cases[3]["patient"].clone();
        cases[7]["patient"]["last_name"] = "DUPRÉ".into();
    });
    assert_eq!(
        problems(&text),
        vec![format!(
            "case 7 ({}), field patient.ipp: IPP 80012345 is used by case 3 ({}) with another identity (DUPRÉ Hélène, 1950-03-02, F)",
            id(7),
            id(3)
        )]
    );
    // CSV: the line of the first row is named.
    let csv = [
        CSV_HEADER.to_owned(),
        csv_row("CSV-1", "100", "Hélène", "60;"),
        csv_row("CSV-2", "100", "Hélène", "60;"),
        csv_row("CSV-3", "100", "Helene", "60;"),
    ]
    .join("\n");
    assert_eq!(
        problems(&csv),
        vec![
            "line 4, case CSV-3, field patient.ipp: IPP 100 is used by line 2 (CSV-1) with another identity (DUPRÉ Hélène, 1950-03-02, F)"
                .to_owned()
        ]
    );
}
