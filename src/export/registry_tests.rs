use super::*;
use crate::domain::model::{MirelsInput, Scores, SinsInput};
use crate::domain::outcome::CirseGrade;
use crate::domain::vocab::{
    Anaesthesia, Analgesics, MirelsAppearance, MirelsPain, MirelsSite, MirelsSize, ReasonCode, Sex,
    Technique,
};
use crate::storage::registry::{Decision, Outcome};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A procedure of patient `ipp` on `day`, named DUPONT Jeanne.
fn procedure(ipp: &str, external_id: &str, day: &str) -> Procedure {
    Procedure {
        ipp: ipp.to_owned(),
        external_id: external_id.to_owned(),
        birth_date: Some(d("1950-06-15")),
        sex: Sex::F,
        day: d(day),
        techniques: vec![Technique::Cementoplasty],
        anaesthesia: Anaesthesia::Local,
        pain_before: Some(8),
        scores: None,
        status: "pending".into(),
        decision: None,
        history: Vec::new(),
        outcome: None,
        j1: None,
        m1: None,
        died_on: None,
    }
}

fn parse_csv(out: &str) -> Vec<Vec<String>> {
    let body = out.strip_prefix('\u{feff}').expect("a BOM first");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_same_patient_has_one_pseudonym_within_an_extract_and_another_in_the_next() {
    let all = [
        procedure("IPP0001", "SCH-1", "2026-03-02"),
        procedure("IPP0002", "SCH-2", "2026-03-03"),
        procedure("IPP0001", "SCH-3", "2026-05-04"),
    ];
    let pseudonyms = |key: &Key| -> Vec<(String, String)> {
        let mut r: Vec<_> = rows(&all, key)
            .into_iter()
            .map(|r| (r.procedure, r.patient))
            .collect();
        r.sort();
        r
    };
    let by_procedure = |rows: &[Row], key: &Key, id: &str| -> String {
        let p = key.pseudonym("procedure", id);
        rows.iter()
            .find(|r| r.procedure == p)
            .expect("the row")
            .patient
            .clone()
    };
    let key = Key::fixed(1);
    let first = rows(&all, &key);
    assert_eq!(
        by_procedure(&first, &key, "SCH-1"),
        by_procedure(&first, &key, "SCH-3")
    );
    assert_ne!(
        by_procedure(&first, &key, "SCH-1"),
        by_procedure(&first, &key, "SCH-2")
    );
    // Every pseudonym: 16 hex digits.
    for r in &first {
        for p in [&r.patient, &r.procedure] {
            assert_eq!(p.len(), 16, "{p}");
            assert!(p.chars().all(|c| c.is_ascii_hexdigit()), "{p}");
        }
    }
    // Another key, another extract: nothing in common.
    let a = pseudonyms(&Key::fixed(1));
    let b = pseudonyms(&Key::fixed(2));
    for (x, y) in a.iter().flat_map(|x| b.iter().map(move |y| (x, y))) {
        assert_ne!(x.0, y.0);
        assert_ne!(x.1, y.1);
    }
    // Two random keys differ, and so do their pseudonyms.
    let (k1, k2) = (
        Key::random().expect("random"),
        Key::random().expect("random"),
    );
    assert_ne!(k1.0, k2.0);
    assert_ne!(
        k1.pseudonym("patient", "IPP0001"),
        k2.pseudonym("patient", "IPP0001")
    );
    // The patient and the procedure domains differ even for equal text.
    assert_ne!(
        key.pseudonym("patient", "X"),
        key.pseudonym("procedure", "X")
    );
}

#[test]
fn ages_fall_in_five_year_bands_at_their_edges() {
    let table: &[(i32, Option<&str>)] = &[
        (-1, None),
        (0, Some("0-4")),
        (4, Some("0-4")),
        (5, Some("5-9")),
        (69, Some("65-69")),
        (70, Some("70-74")),
        (74, Some("70-74")),
        (75, Some("75-79")),
        (89, Some("85-89")),
        (90, Some("90+")),
        (104, Some("90+")),
    ];
    for (age, band) in table {
        assert_eq!(age_band(*age).as_deref(), *band, "{age}");
    }
    // Measured on the procedure's day: the day before the 75th birthday
    // is 70-74, the birthday itself 75-79.
    let key = Key::fixed(1);
    let band = |day: &str| {
        let mut p = procedure("IPP0001", "SCH-1", day);
        p.birth_date = Some(d("1951-03-10"));
        rows(&[p], &key)[0].age_band.clone()
    };
    assert_eq!(band("2026-03-09").as_deref(), Some("70-74"));
    assert_eq!(band("2026-03-10").as_deref(), Some("75-79"));
}

#[test]
fn dates_are_months() {
    let table = [
        ("2026-01-01", "2026-01"),
        ("2026-03-31", "2026-03"),
        ("2026-12-31", "2026-12"),
        ("0999-07-04", "0999-07"),
    ];
    for (day, m) in table {
        assert_eq!(month(d(day)), m);
    }
}

/// A case with everything recorded: postponed then validated by override,
/// performed, a J+1 not reached, an M1 reached, scores, death.
fn full() -> Procedure {
    let mut p = procedure("IPP0001", "SCH-2026-0001", "2026-03-02");
    p.status = "validated".into();
    let postponed = Decision {
        decision: "postponed".into(),
        on: Some(d("2026-02-19")),
        reason_code: Some(ReasonCode::DrugNotStopped),
        overridden: false,
    };
    let validated = Decision {
        decision: "validated".into(),
        on: Some(d("2026-02-26")),
        reason_code: None,
        overridden: true,
    };
    p.history = vec![postponed, validated.clone()];
    p.decision = Some(validated);
    p.scores = Some(Scores {
        mirels: vec![
            MirelsInput {
                lesion: Some("left femur, Mme DUPONT".into()),
                site: Some(MirelsSite::LowerLimb),
                pain: Some(MirelsPain::Functional),
                size: Some(MirelsSize::Gt23),
                appearance: Some(MirelsAppearance::Mixed),
            },
            MirelsInput::default(),
        ],
        sins: vec![SinsInput {
            level: Some("T12".parse().expect("level")),
            ..SinsInput::default()
        }],
    });
    p.outcome = Some(Outcome {
        performed: true,
        performed_on: Some(d("2026-03-02")),
        techniques: vec![Technique::Cementoplasty, Technique::Neurolysis],
        anaesthesia: Some(Anaesthesia::General),
        duration_min: Some(70),
        reason: None,
        complication: CirseGrade::new(2),
    });
    p.j1 = Some(FollowUp {
        reached: false,
        pain: None,
        analgesics: None,
        morphine_mg_day: None,
        complication: None,
    });
    p.m1 = Some(FollowUp {
        reached: true,
        pain: Some(3),
        analgesics: Some(Analgesics::Decreased),
        morphine_mg_day: Some(12.5),
        complication: CirseGrade::new(1),
    });
    p.died_on = Some(d("2026-09-14"));
    p
}

#[test]
fn a_full_case_reads_in_both_formats_with_its_documented_columns() {
    let key = Key::fixed(7);
    let r = rows(&[full()], &key);
    let out = csv(&r);
    let cells = parse_csv(&out);
    assert_eq!(cells[0], COLUMNS);
    assert_eq!(cells.len(), 2);
    let row: std::collections::HashMap<&str, &str> = COLUMNS
        .iter()
        .copied()
        .zip(cells[1].iter().map(String::as_str))
        .collect();
    let expected: &[(&str, &str)] = &[
        ("sex", "F"),
        ("age_band", "75-79"),
        ("month", "2026-03"),
        ("techniques", "cementoplasty"),
        ("anaesthesia_planned", "local"),
        ("pain_before", "8"),
        ("mirels_totals", "10|NA"),
        ("mirels_bands", "high|NA"),
        ("sins_levels", "T12"),
        ("sins_totals", "NA"),
        ("sins_bands", "NA"),
        ("decision", "validated"),
        ("decision_month", "2026-02"),
        ("decision_reason_code", ""),
        ("decision_override", "true"),
        ("decisions", "postponed:drug_not_stopped|validated"),
        ("outcome", "performed"),
        ("outcome_month", "2026-03"),
        ("outcome_reason_code", ""),
        ("techniques_done", "cementoplasty|neurolysis"),
        ("anaesthesia", "general"),
        ("duration_min", "70"),
        ("complication_grade", "2"),
        ("j1_reached", "false"),
        ("j1_pain", ""),
        ("j1_analgesics", ""),
        ("m1_reached", "true"),
        ("m1_pain", "3"),
        ("m1_analgesics", "decreased"),
        ("m1_morphine_mg_day", "12.5"),
        ("m1_complication_grade", "1"),
        ("death_month", "2026-09"),
    ];
    for (col, want) in expected {
        assert_eq!(row[col], *want, "{col}");
    }

    let text = json(&r, d("2026-01-01"), d("2026-12-31"));
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-01"), Some("2026-12"))
    );
    assert_eq!(v["columns"], serde_json::json!(COLUMNS.as_slice()));
    let p = &v["procedures"][0];
    assert_eq!(p["mirels_totals"], serde_json::json!([10, null]));
    assert_eq!(p["decision_override"], true);
    assert_eq!(p["j1_pain"], serde_json::Value::Null);
    assert_eq!(p["m1_morphine_mg_day"], 12.5);
    // The keys in the documented order.
    let object = text.split("\"procedures\"").nth(1).expect("procedures");
    let at: Vec<usize> = COLUMNS
        .iter()
        .map(|c| object.find(&format!("\"{c}\":")).expect(c))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert_eq!(p.as_object().expect("object").len(), COLUMNS.len());
}

#[test]
fn no_name_ipp_scheduling_id_birth_date_nor_free_text_is_written() {
    let key = Key::fixed(3);
    let r = rows(&[full()], &key);
    for out in [csv(&r), json(&r, d("2026-01-01"), d("2026-12-31"))] {
        for secret in [
            "IPP0001",
            "SCH-2026-0001",
            "1950",
            "06-15",
            "DUPONT",
            "femur",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        // No day: every date is a month.
        for day in ["2026-03-02", "2026-02-19", "2026-02-26", "2026-09-14"] {
            assert!(!out.contains(day), "{day} in {out}");
        }
    }
}

#[test]
fn rows_are_sorted_by_month_then_pseudonym_not_by_day() {
    let all: Vec<Procedure> = (1..=20)
        .map(|i| {
            procedure(
                &format!("IPP{i:04}"),
                &format!("SCH-{i}"),
                &format!("2026-0{}-{:02}", 1 + i % 3, i),
            )
        })
        .collect();
    let r = rows(&all, &Key::fixed(9));
    let order: Vec<(&str, &str)> = r
        .iter()
        .map(|x| (x.month.as_str(), x.patient.as_str()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn a_cell_that_looks_like_a_formula_is_neutralised() {
    // No cell of the extract is free text; a coded cell never starts
    // with a formula sign, and the CSV goes through `csv::sheet` anyway.
    let out = csv(&rows(&[full()], &Key::fixed(1)));
    for line in out.lines().skip(1) {
        for cell in line.split(';') {
            let inner = cell.trim_matches('"');
            assert!(!inner.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[test]
fn the_documented_columns_are_the_extracts() {
    let doc = include_str!("../../docs/registry-extract.md");
    assert_eq!(documented_columns(doc), COLUMNS);
}

/// The column names of the doc's table: the first cell of each row that
/// starts with a code span.
pub(crate) fn documented_columns(doc: &str) -> Vec<&str> {
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect()
}
