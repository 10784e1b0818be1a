//! Import is all or nothing: every kind of bad input leaves the database
//! unchanged and names where the error is.

mod common;

use common::{bin, check_json, first_id, fixture, hash, imported, refused, with_first_case};
use predicates::prelude::*;

#[test]
fn bad_inputs_are_refused_with_their_location() {
    let id = first_id();
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        (
            "bad JSON",
            "{\"format\": \"ir-committee/cases@1\", \"cases\": [\n{,}]}".into(),
            vec!["line 2".into(), "not valid JSON".into()],
        ),
        (
            "wrong format",
            r#"{"format": "other@2", "cases": []}"#.into(),
            vec!["format".into()],
        ),
        (
            "unknown technique",
            with_first_case(|c| c["procedure"]["techniques"][0] = "acupuncture".into()),
            vec![
                format!("case 0 ({id})"),
                "procedure.techniques[0]".into(),
                "acupuncture".into(),
            ],
        ),
        (
            "impossible date",
            with_first_case(|c| c["procedure"]["scheduled_at"] = "2026-02-30T08:30".into()),
            vec![
                format!("case 0 ({id})"),
                "procedure.scheduled_at".into(),
                "2026-02-30".into(),
            ],
        ),
        (
            "INR 40",
            with_first_case(|c| {
                c["coagulation"] =
                    serde_json::json!({"at": "2026-11-27", "inr": 40, "platelets_g_l": 200})
            }),
            vec![
                format!("case 0 ({id})"),
                "coagulation.inr".into(),
                "40".into(),
            ],
        ),
        (
            "negative count",
            with_first_case(|c| {
                c["coagulation"] =
                    serde_json::json!({"at": "2026-11-27", "inr": 1.0, "platelets_g_l": -5})
            }),
            vec!["coagulation.platelets_g_l".into()],
        ),
        (
            "date in 2062",
            with_first_case(|c| {
                c["biology"] =
                    serde_json::json!({"at": "2062-01-01", "neutrophils_g_l": 3, "egfr": 80})
            }),
            vec!["biology.at".into(), "2062".into()],
        ),
        (
            "unknown field",
            with_first_case(|c| c["coagulaton"] = serde_json::json!({})),
            vec!["coagulaton".into()],
        ),
        (
            "no technique",
            with_first_case(|c| c["procedure"]["techniques"] = serde_json::json!([])),
            vec!["procedure.techniques".into(), "at least one".into()],
        ),
        (
            "empty name",
            with_first_case(|c| c["patient"]["last_name"] = "\u{1b}\u{202e} \u{7}".into()),
            vec!["patient.last_name".into()],
        ),
    ];
    for (what, content, expected) in cases {
        let err = refused(&content, "bad.json");
        for e in expected {
            assert!(err.contains(&e), "{what}: expected '{e}' in: {err}");
        }
    }
}

#[test]
fn a_duplicate_external_id_in_the_file_is_refused() {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let first = doc["cases"][0].clone();
    doc["cases"].as_array_mut().expect("cases").push(first);
    let err = refused(&doc.to_string(), "dup.json");
    assert!(err.contains("duplicate external_id"), "{err}");
}

#[test]
fn one_bad_case_among_good_ones_imports_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    bin(&db)
        .args(["init", "--demo", "--timezone", "Europe/Paris"])
        .assert()
        .success();
    let before = hash(&db);
    let file = dir.path().join("bad.json");
    std::fs::write(&file, with_first_case(|c| c["pain_vas"] = 11.into())).expect("write");
    bin(&db).arg("import").arg(&file).assert().failure();
    assert_eq!(hash(&db), before);
    assert_eq!(check_json(&db)["cases"].as_array().map(Vec::len), Some(0));
}

#[test]
fn csv_errors_name_the_line() {
    let csv = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia\n\
               CSV-1;100;Dupré;Hélène;1950-03-02;F;2026-12-01T08:30;Salle 1;Dr Martin;vertebroplasty;L3;general\n\
               CSV-2;101;Noël;Côme;1948-07-14;M;2026-12-01T10:00;Salle 1;Dr Martin;vertebroplasty+teleportation;L4;general\n";
    let err = refused(csv, "schedule.csv");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("teleportation"), "{err}");
}

#[test]
fn csv_schedule_imports_and_reimport_keeps_evidence() {
    let (dir, db) = imported();
    let id = first_id();
    let before = check_json(&db);
    let case = before["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case")
        .clone();
    let csv = format!(
        "\u{feff}external_id,ipp,last_name,first_name,birth_date,sex,scheduled_at,room,operator,techniques,target,anaesthesia\n\
         {id},{ipp},{last},{first},{birth},{sex},{at},Salle 7,Dr Autre,{tech},{target},{anaes}\n\
         CSV-NEW,99999999,Zoé,Béranger,1960-01-01,F,2026-12-03T14:00,Salle 2,Dr Nguyen,tunnelled_pleural_drain,plèvre droite,local\n",
        ipp = case["patient"]["ipp"].as_str().expect("ipp"),
        last = case["patient"]["last_name"].as_str().expect("name"),
        first = case["patient"]["first_name"].as_str().expect("name"),
        birth = case["patient"]["birth_date"].as_str().expect("birth"),
        sex = case["patient"]["sex"].as_str().expect("sex"),
        at = case["scheduled_at"].as_str().expect("at"),
        tech = case["techniques"]
            .as_array()
            .expect("t")
            .iter()
            .filter_map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("+"),
        target = case["target"].as_str().expect("target"),
        anaes = case["anaesthesia"].as_str().expect("anaesthesia"),
    );
    let file = dir.path().join("schedule.csv");
    std::fs::write(&file, csv).expect("write");
    bin(&db)
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 created, 1 updated, 0 unchanged",
        ));
    let after = check_json(&db);
    let updated = after["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case");
    assert_eq!(updated["room"], "Salle 7");
    // Evidence and clinical values from the JSON import are still there.
    assert_eq!(updated["items"], case["items"]);
    assert_eq!(updated["pain_vas"], case["pain_vas"]);
    assert!(updated["pain_vas"].is_u64());
    let new = after["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "CSV-NEW")
        .expect("new case");
    assert_eq!(new["complete"], false);
}

#[test]
fn text_is_normalised_and_stripped_on_the_way_in() {
    let (dir, db) = imported();
    let id = first_id();
    let file = dir.path().join("names.json");
    std::fs::write(
        &file,
        with_first_case(|c| {
            c["patient"]["first_name"] = "He\u{301}le\u{300}ne\u{1b}[31m\u{202e}".into();
        }),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let v = check_json(&db);
    let case = v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case");
    assert_eq!(case["patient"]["first_name"], "Hélène[31m");
}

#[test]
fn reimport_reports_updates_and_never_touches_a_decision() {
    let (dir, db) = imported();
    let id = first_id();
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "UPDATE cases SET status = 'validated' WHERE external_id = ?1",
            [&id],
        )
        .expect("validate");
    }
    let file = dir.path().join("again.json");
    std::fs::write(
        &file,
        with_first_case(|c| {
            c["coagulation"] =
                serde_json::json!({"at": "2026-11-27", "inr": 3.1, "platelets_g_l": 200})
        }),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success().stdout(
        predicate::str::contains("1 updated").and(predicate::str::contains(format!(
            "warning: {id} is validated but now blocking: coagulation"
        ))),
    );
    let v = check_json(&db);
    let case = v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id.as_str())
        .expect("case");
    assert_eq!(case["status"], "validated");
    assert_eq!(case["validated_but_blocking"], true);
    assert_eq!(case["complete"], false);
}

// ---- Review of the import: CSV shape, duplicate keys, every error, one identity per IPP.

/// The day the tests import on (see `common::TODAY`).
use ir_committee::testkit::today;

/// The problems `import::parse` finds in `text`, as printed; empty when it
/// accepts the file.
fn problems(text: &str) -> Vec<String> {
    match ir_committee::import::parse(text, today()) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

/// The fixture with `edit` applied to the whole document.
fn with_doc(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    edit(&mut doc);
    serde_json::to_string_pretty(&doc).expect("JSON")
}

const CSV_HEADER: &str = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia;duration_min;bleeding_risk";

fn csv_row(id: &str, ipp: &str, first_name: &str, tail: &str) -> String {
    format!(
        "{id};{ipp};Dupré;{first_name};1950-03-02;F;2026-12-01T08:30;Salle 1;Dr Martin;vertebroplasty;L3;general;{tail}"
    )
}

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

#[test]
fn csv_reimport_keeps_the_bleeding_risk_override_and_duration() {
    let (dir, db) = imported();
    let before = check_json(&db);
    let case = before["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "SCH-2026-004516")
        .expect("case")
        .clone();
    assert_eq!(case["bleeding_risk"], "low");
    let csv = format!(
        "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia\n\
         SCH-2026-004516;{};{};{};{};{};{};Salle 2;{};embolisation;{};{}\n",
        case["patient"]["ipp"].as_str().expect("ipp"),
        case["patient"]["last_name"].as_str().expect("name"),
        case["patient"]["first_name"].as_str().expect("name"),
        case["patient"]["birth_date"].as_str().expect("birth"),
        case["patient"]["sex"].as_str().expect("sex"),
        case["scheduled_at"].as_str().expect("at"),
        case["operator"].as_str().expect("operator"),
        case["target"].as_str().expect("target"),
        case["anaesthesia"].as_str().expect("anaesthesia"),
    );
    let file = dir.path().join("s.csv");
    std::fs::write(&file, csv).expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let after = check_json(&db);
    let updated = after["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == "SCH-2026-004516")
        .expect("case");
    assert_eq!(updated["bleeding_risk"], "low");
    assert_eq!(updated["duration_min"], case["duration_min"]);
    assert_eq!(updated["complete"], case["complete"]);
}

#[test]
fn a_changed_identity_is_applied_reported_and_counted_as_an_update() {
    let (dir, db) = imported();
    let id = first_id();
    let file = dir.path().join("renamed.json");
    std::fs::write(
        &file,
        with_first_case(|c| c["patient"]["last_name"] = "Autre-Nom".into()),
    )
    .expect("write");
    let out = bin(&db).arg("import").arg(&file).output().expect("import");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("1 updated"), "{text}");
    assert!(text.contains(&id), "{text}");
    assert!(
        text.contains("warning: IPP")
            && text.contains("identity changed")
            && text.contains("Autre-Nom"),
        "{text}"
    );
}

#[test]
fn friendly_messages_for_empty_files_types_and_long_text() {
    let empty = refused("", "empty.json");
    assert!(empty.contains("the file is empty"), "{empty}");
    let blank = refused("  \n\n", "blank.csv");
    assert!(blank.contains("the file is empty"), "{blank}");
    let not_json = refused("hello", "x.json");
    assert!(not_json.contains("not valid JSON"), "{not_json}");
    let vas = refused(
        &with_first_case(|c| c["pain_vas"] = "high".into()),
        "vas.json",
    );
    assert!(
        vas.contains("pain_vas") && vas.contains("whole number"),
        "{vas}"
    );
    // Not the Rust type (after the file name: a temporary folder's random
    // name may contain "u8").
    let said = vas
        .split_once("vas.json")
        .map_or(vas.as_str(), |(_, rest)| rest);
    assert!(!said.contains("u8"), "{vas}");
    let long = refused(
        &with_first_case(|c| c["patient"]["last_name"] = "A".repeat(5000).into()),
        "long.json",
    );
    assert!(
        long.contains("patient.last_name") && long.contains("5000 characters"),
        "{long}"
    );
}

#[test]
fn a_tab_separated_schedule_is_read() {
    let (dir, db) = imported();
    let tsv = "external_id\tipp\tlast_name\tfirst_name\tbirth_date\tsex\tscheduled_at\troom\toperator\ttechniques\ttarget\tanaesthesia\n\
               TSV-1\t70000001\tNoël\tCôme\t1948-07-14\tM\t2026-12-02T10:00\tSalle 1\tDr Martin\tneurolysis\tplexus cœliaque\tgeneral\n";
    let file = dir.path().join("schedule.tsv");
    std::fs::write(&file, tsv).expect("write");
    bin(&db)
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 created"));
}

/// The consent item of the case `id` as `check` reads it.
fn consent_item(db: &std::path::Path, id: &str) -> (serde_json::Value, serde_json::Value) {
    let v = check_json(db);
    let case = v["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["external_id"] == id)
        .expect("case")
        .clone();
    let item = case["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "consent")
        .expect("consent item")
        .clone();
    (case, item)
}

/// Issue 9: a traced consent whose author is a Hangul filler and whose
/// "what was said" is a Braille blank read ok, the case complete. A text
/// with no visible character is empty: here optional (as `"by": ""`), so
/// the consent reads missing and the case is not complete.
#[test]
fn an_invisible_traced_consent_reads_missing_not_ok() {
    let (dir, db) = imported();
    let id = first_id();
    let file = dir.path().join("invisible.json");
    std::fs::write(
        &file,
        with_first_case(|c| {
            c["consultation"]["consent"] = serde_json::json!({
                "kind": "traced", "at": "2026-11-09T10:30",
                "by": "\u{3164}", "details": "\u{2800}"
            });
        }),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let (case, item) = consent_item(&db, &id);
    assert_eq!(item["status"], "missing", "{item}");
    assert_eq!(item["code"], "consent.traced_no_author", "{item}");
    let message = item["message"].as_str().expect("message");
    assert!(message.contains("what was said"), "{message}");
    assert_eq!(case["complete"], false);

    // A radiologist made of a combining grapheme joiner is no radiologist.
    std::fs::write(
        &file,
        with_first_case(|c| c["consultation"]["radiologist"] = "\u{34f}".into()),
    )
    .expect("write");
    bin(&db).arg("import").arg(&file).assert().success();
    let (case, item) = consent_item(&db, &id);
    assert_eq!(item["code"], "consent.no_radiologist", "{item}");
    assert_eq!(case["complete"], false);
}

/// A required text with no visible character is refused as empty, like "".
#[test]
#[rustfmt::skip] // one row per case
fn an_invisible_required_text_is_refused_as_empty() {
    type Edit = fn(&mut serde_json::Value);
    let table: [(&str, Edit, &str); 9] = [
        ("IPP: combining grapheme joiner", |c| c["patient"]["ipp"] = "\u{34f}".into(), "patient.ipp"),
        ("external_id: Hangul filler", |c| c["external_id"] = "\u{3164}".into(), "external_id"),
        ("last name: Braille blank", |c| c["patient"]["last_name"] = "\u{2800} \u{2800}".into(), "patient.last_name"),
        ("first name: choseong and jungseong fillers", |c| c["patient"]["first_name"] = "\u{115f}\u{1160}".into(), "patient.first_name"),
        ("room: halfwidth Hangul filler", |c| c["procedure"]["room"] = "\u{ffa0}".into(), "procedure.room"),
        ("operator: soft hyphen", |c| c["procedure"]["operator"] = "\u{ad}".into(), "procedure.operator"),
        ("target: tag characters", |c| c["procedure"]["target"] = "\u{e0054}\u{e0031}\u{e007f}".into(), "procedure.target"),
        ("target: a lone combining accent", |c| c["procedure"]["target"] = " \u{301} ".into(), "procedure.target"),
        ("drug other: a Braille blank name", |c| c["medications"] = serde_json::json!([{ "drug": "other", "name": "\u{2800}" }]), "medications[0].name"),
    ];
    for (label, edit, field) in table {
        let found = problems(&with_first_case(edit));
        assert_eq!(found.len(), 1, "{label}: {found:?}");
        assert!(found[0].contains(field), "{label}: {found:?}");
        let reason = if field.starts_with("medications") { "needs a name" } else { "must not be empty" };
        assert!(found[0].contains(reason), "{label}: {found:?}");
    }
    // Visible neighbours are text: a real Hangul letter, a Braille dot.
    assert_eq!(problems(&with_first_case(|c| c["patient"]["first_name"] = "\u{1100}".into())), Vec::<String>::new());
    assert_eq!(problems(&with_first_case(|c| c["procedure"]["room"] = "\u{2801}".into())), Vec::<String>::new());
}

#[test]
fn missing_columns_take_a_real_plural() {
    let all = "ipp;external_id;first_name;last_name;sex;birth_date;scheduled_at;room;operator;techniques;target;anaesthesia";
    let row = "100;CSV-1;Hélène;Dupré;F;1950-03-02;2026-12-01T08:30;Salle 1;Dr Martin;vertebroplasty;L3;general";
    let without = |drop: &[&str]| {
        let keep: Vec<usize> = all
            .split(';')
            .enumerate()
            .filter(|(_, c)| !drop.contains(c))
            .map(|(i, _)| i)
            .collect();
        let pick = |line: &str| {
            let cells: Vec<&str> = line.split(';').collect();
            keep.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(";")
        };
        format!("{}\n{}\n", pick(all), pick(row))
    };
    // 0 missing: accepted; 1: singular; 2: plural.
    assert!(ir_committee::import::parse(&without(&[]), today()).is_ok());
    for (drop, want) in [
        (&["room"][..], "line 1: missing column: room"),
        (
            &["room", "target"][..],
            "line 1: missing columns: room, target",
        ),
    ] {
        let found = problems(&without(drop));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with(want), "{found:?}");
        assert!(!found[0].contains("(s)"), "{found:?}");
    }
}

/// Issue 16: `dates` gives each biology and coagulation value its own date;
/// a date for a value the object does not hold, or out of range, is
/// refused with its place; creatinine is checked against its bounds.
#[test]
fn each_value_may_name_its_own_date() {
    let good = with_doc(|d| {
        d["cases"][0]["coagulation"] = serde_json::json!({
            "at": "2026-11-25", "dates": { "platelets_g_l": "2026-11-10" },
            "inr": 1.1, "platelets_g_l": 220
        });
        d["cases"][0]["biology"]["creatinine_umol_l"] = 88.into();
    });
    assert_eq!(problems(&good), Vec::<String>::new());
    for (label, edit, expected) in [
        (
            "a date for no value",
            serde_json::json!({ "at": "2026-11-25", "dates": { "inr": "2026-11-24" }, "platelets_g_l": 220 }),
            "coagulation.dates",
        ),
        (
            "a date out of range",
            serde_json::json!({ "at": "2026-11-25", "dates": { "inr": "1800-01-01" }, "inr": 1.1 }),
            "coagulation.dates.inr",
        ),
    ] {
        let text = with_doc(|d| d["cases"][0]["coagulation"] = edit);
        let found = problems(&text);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{label}: {found:?}"
        );
    }
    let text = with_doc(|d| d["cases"][0]["biology"]["creatinine_umol_l"] = (-1).into());
    let found = problems(&text);
    assert!(
        found
            .iter()
            .any(|p| p.contains("biology.creatinine_umol_l")),
        "{found:?}"
    );
}
