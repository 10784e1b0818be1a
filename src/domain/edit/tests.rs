use super::*;
use crate::domain::model::CaseFile;
use crate::domain::record::{EvidenceKind, canonical_evidence};
use crate::testkit::today;

fn fixture() -> Vec<CaseFile> {
    #[derive(serde::Deserialize)]
    struct File {
        cases: Vec<CaseFile>,
    }
    let text = include_str!("../../../fixtures/week.json");
    let file: File = serde_json::from_str(text).expect("the fixture parses");
    file.cases
}

/// Sets field `key` of line `group`.
fn set(form: &mut Form, group: usize, key: &str, value: &str) {
    let g = &mut form.groups[group];
    let i = g
        .kind
        .fields()
        .iter()
        .position(|f| f.key == key)
        .expect("a field of the line");
    g.values[i] = value.to_owned();
}

#[test]
fn every_evidence_object_of_the_fixture_survives_a_form_unchanged() {
    let mut seen = 0;
    for case in fixture() {
        for kind in EvidenceKind::ALL {
            let Some(json) = case.evidence_json(kind).expect("serialises") else {
                continue;
            };
            let mut stored = canonical_evidence(kind, &json).expect("canonical");
            let mut form = Form::load(kind, Some(&stored)).expect("loads");
            // A transcription stays one when its transcriber saves it again.
            if kind == EvidenceKind::AnaesthesiaConsult {
                form.transcriber = case
                    .anaesthesia_consult
                    .as_ref()
                    .and_then(|a| a.transcribed_by.clone());
            }
            // A consultation from before the conclusion existed: the form
            // asks for it (and then keeps everything else).
            if let Some(a) = case
                .anaesthesia_consult
                .as_ref()
                .filter(|a| kind == EvidenceKind::AnaesthesiaConsult && a.conclusion.is_none())
            {
                let asked: Vec<_> = form
                    .problems(today())
                    .into_iter()
                    .map(|p| (GroupKind::Anaesthesia.fields()[p.field].key, p.error))
                    .collect();
                assert_eq!(asked, [("conclusion", FieldError::Required)]);
                set(&mut form, 0, "conclusion", "fit");
                let fit = crate::domain::model::AnaesthesiaConsult {
                    conclusion: Some(crate::domain::vocab::Conclusion::Fit),
                    ..a.clone()
                };
                stored = serde_json::to_string(&fit).expect("serialises");
            }
            let back = form.to_json(today()).unwrap_or_else(|p| {
                panic!("{} {kind:?}: {p:?}", case.external_id);
            });
            assert_eq!(
                canonical_evidence(kind, &back).expect("canonical"),
                stored,
                "{} {kind:?}",
                case.external_id
            );
            seen += 1;
        }
    }
    assert!(seen > 150, "{seen} objects");
}

#[test]
fn an_inr_of_40_and_a_date_in_2062_are_refused_where_they_are_typed() {
    let mut form = Form::load(EvidenceKind::Coagulation, None).expect("blank");
    set(&mut form, 0, "at", "2062-01-01");
    set(&mut form, 0, "inr", "40");
    let problems = form.to_json(today()).expect_err("refused");
    let keys: Vec<(&str, &FieldError)> = problems
        .iter()
        .map(|p| (form.groups[p.group].kind.fields()[p.field].key, &p.error))
        .collect();
    assert!(matches!(keys[0], ("at", FieldError::DateOutOfRange { .. })));
    assert!(matches!(
        keys[1],
        ("inr", FieldError::OutOfRange { max, .. }) if *max == 15.0
    ));
    assert_eq!(form.check_field(0, 2, today()), Ok(()), "platelets empty");
    set(&mut form, 0, "at", "2026-11-20");
    set(&mut form, 0, "inr", "1,2");
    assert_eq!(
        form.to_json(today()).expect("accepted"),
        r#"{"at":"2026-11-20","inr":1.2}"#
    );
}

#[test]
#[rustfmt::skip] // one row per case
fn what_a_line_needs() {
    let consultation = |values: &[(&str, &str)]| {
        let mut f = Form::load(EvidenceKind::Consultation, None).expect("blank");
        for (k, v) in values {
            set(&mut f, 0, k, v);
        }
        f.problems(today()).into_iter().map(|p| (f.groups[0].kind.fields()[p.field].key, p.error)).collect::<Vec<_>>()
    };
    type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [(&'a str, FieldError)]);
    let table: &[Row] = &[
        ("the date is needed", &[("radiologist", "Dr A")], &[("at", FieldError::Required)]),
        ("a date alone is enough", &[("at", "2026-11-20")], &[]),
        ("who traced it needs the kind", &[("at", "2026-11-20"), ("consent_by", "Dr A")], &[("consent_by", FieldError::Needs("consent_kind"))]),
        ("with the kind", &[("at", "2026-11-20"), ("consent_kind", "traced"), ("consent_by", "Dr A")], &[]),
        ("a kind that is not one", &[("at", "2026-11-20"), ("consent_kind", "oral")], &[("consent_kind", FieldError::NotAChoice)]),
    ];
    for (label, values, expected) in table {
        assert_eq!(consultation(values), expected.to_vec(), "{label}");
    }
}

#[test]
fn a_drug_line_needs_its_drug_and_other_needs_a_name_and_blank_lines_go() {
    let mut form = Form::load(EvidenceKind::Medications, None).expect("blank");
    assert_eq!(form.groups.len(), 1, "one blank line to type in");
    assert_eq!(form.to_json(today()).expect("none taken"), "[]");
    set(&mut form, 0, "last_intake", "2026-11-28");
    assert_eq!(form.problems(today())[0].error, FieldError::Required);
    set(&mut form, 0, "drug", "other");
    let p = form.problems(today());
    assert_eq!((p[0].field, &p[0].error), (1, &FieldError::Required));
    set(&mut form, 0, "name", "Tinzaparine");
    let at = form
        .add_line(GroupKind::Medication, 0)
        .expect("a list form");
    assert_eq!(at, 1);
    let json = form.to_json(today()).expect("saved");
    assert_eq!(
        json,
        r#"[{"drug":"other","name":"Tinzaparine","last_intake":"2026-11-28"}]"#
    );
    assert!(form.remove_line(0));
    assert!(form.remove_line(0), "the last line is blanked");
    assert_eq!(form.groups.len(), 1);
    assert!(form.groups[0].is_blank());
}

#[test]
fn a_scores_form_offers_a_lesion_and_a_level() {
    let form = Form::load(EvidenceKind::Scores, None).expect("blank");
    let kinds: Vec<GroupKind> = form.groups.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GroupKind::Mirels, GroupKind::Sins]);
    assert_eq!(
        form.to_json(today()).expect("empty"),
        r#"{"mirels":[],"sins":[]}"#
    );
    let only_sins = r#"{"mirels":[],"sins":[{"level":"L3","pain":"mechanical"}]}"#;
    let form = Form::load(EvidenceKind::Scores, Some(only_sins)).expect("loads");
    let kinds: Vec<GroupKind> = form.groups.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GroupKind::Mirels, GroupKind::Sins]);
    assert_eq!(
        form.to_json(today()).expect("same"),
        canonical_evidence(EvidenceKind::Scores, only_sins).expect("canonical")
    );
    // Every choice offered is a word the format accepts.
    for g in &form.groups {
        for spec in g.kind.fields() {
            assert!(spec.choices().iter().all(|w| !w.is_empty()));
        }
    }
}

#[test]
fn mine_on_top_of_theirs() {
    let stored = r#"{"at":"2026-11-20","inr":1.1,"platelets_g_l":150.0}"#;
    let base = Form::load(EvidenceKind::Coagulation, Some(stored)).expect("loads");
    let mut mine = base.clone();
    set(&mut mine, 0, "inr", "1.3");
    let mut theirs = base.clone();
    set(&mut theirs, 0, "platelets_g_l", "90");
    set(&mut theirs, 0, "inr", "1.5");
    let theirs_changed: Vec<(&str, String, String)> = base
        .changes(&theirs)
        .into_iter()
        .map(|c| (c.key, c.from, c.to))
        .collect();
    assert_eq!(
        theirs_changed,
        [
            ("inr", "1.1".to_owned(), "1.5".to_owned()),
            ("platelets_g_l", "150".to_owned(), "90".to_owned())
        ]
    );
    let merged = Form::rebase(&base, &mine, &theirs).expect("the same lines");
    assert_eq!(
        merged.to_json(today()).expect("valid"),
        r#"{"at":"2026-11-20","inr":1.3,"platelets_g_l":90.0}"#
    );
    // A line added on their side: nothing is merged blindly.
    let base = Form::load(EvidenceKind::Imaging, Some("[]")).expect("loads");
    let mut mine = base.clone();
    set(&mut mine, 0, "kind", "ct");
    set(&mut mine, 0, "at", "2026-11-01");
    let mut theirs = base.clone();
    theirs.add_line(GroupKind::Imaging, 0);
    assert_eq!(Form::rebase(&base, &mine, &theirs), None);
}

#[test]
fn lines_are_merged_only_when_they_are_still_the_same_drug() {
    let stored = r#"[{"drug":"aspirin","last_intake":"2026-11-20"},{"drug":"clopidogrel","last_intake":"2026-11-18"}]"#;
    let base = Form::load(EvidenceKind::Medications, Some(stored)).expect("loads");
    let mut mine = base.clone();
    set(&mut mine, 0, "last_intake", "2026-11-22");
    // They replaced aspirin by clopidogrel and clopidogrel by apixaban.
    let theirs_json = r#"[{"drug":"clopidogrel","last_intake":"2026-11-18"},{"drug":"apixaban","last_intake":"2026-11-27"}]"#;
    let theirs = Form::load(EvidenceKind::Medications, Some(theirs_json)).expect("loads");
    assert_eq!(
        Form::rebase(&base, &mine, &theirs),
        None,
        "my aspirin date must not land on their clopidogrel"
    );
    // I made the aspirin line clopidogrel while they changed aspirin's date:
    // their date must not land on my new drug.
    let mut mine_other = base.clone();
    set(&mut mine_other, 0, "drug", "clopidogrel");
    let mut theirs_date = base.clone();
    set(&mut theirs_date, 0, "last_intake", "2026-11-25");
    assert_eq!(Form::rebase(&base, &mine_other, &theirs_date), None);
    // They only changed the clopidogrel date: mine merges.
    let mut theirs = base.clone();
    set(&mut theirs, 1, "last_intake", "2026-11-19");
    let merged = Form::rebase(&base, &mine, &theirs).expect("same drugs");
    assert_eq!(
        merged.to_json(today()).expect("valid"),
        r#"[{"drug":"aspirin","last_intake":"2026-11-22"},{"drug":"clopidogrel","last_intake":"2026-11-19"}]"#
    );
}

#[test]
fn a_draft_from_another_version_is_made_to_fit() {
    let mut form = Form::load(EvidenceKind::Coagulation, None).expect("blank");
    form.groups[0].values.truncate(1);
    form.groups.push(Group::blank(GroupKind::Sins));
    let fixed = form.normalised();
    assert_eq!(fixed.groups.len(), 1);
    assert_eq!(
        fixed.groups[0].values.len(),
        GroupKind::Coagulation.fields().len()
    );
}

/// Issue 9: text with no visible character typed in a form is empty: a
/// traced consent's author and what was said are not given (the consent
/// reads missing), and a drug "other" still needs a name.
#[test]
fn invisible_text_typed_in_a_form_is_empty() {
    let mut form = Form::load(EvidenceKind::Consultation, None).expect("blank");
    set(&mut form, 0, "at", "2026-11-20");
    set(&mut form, 0, "radiologist", "\u{34f}");
    set(&mut form, 0, "consent_kind", "traced");
    set(&mut form, 0, "consent_at", "2026-11-20");
    set(&mut form, 0, "consent_by", "\u{3164}");
    set(&mut form, 0, "consent_details", "\u{2800}");
    assert_eq!(
        form.to_json(today()).expect("saved"),
        r#"{"at":"2026-11-20","consent":{"kind":"traced","at":"2026-11-20"}}"#
    );
    let text = FieldSpec::new("by", FieldKind::Text);
    let inr = FieldSpec::new("inr", FieldKind::Number("inr"));
    for blank in [
        "\u{3164}",
        "\u{2800}",
        "\u{115f}\u{1160}",
        "\u{ffa0}",
        "\u{ad}",
        " \u{301}",
    ] {
        assert_eq!(read(&text, blank, today()), Ok(Value::Empty), "{blank:?}");
        assert_eq!(read(&inr, blank, today()), Ok(Value::Empty), "{blank:?}");
    }
    for visible in ["\u{1100}", "\u{2801}", "é"] {
        assert_eq!(
            read(&text, visible, today()),
            Ok(Value::Text(visible.into()))
        );
    }

    let mut drugs = Form::load(EvidenceKind::Medications, None).expect("blank");
    set(&mut drugs, 0, "drug", "other");
    set(&mut drugs, 0, "name", "\u{2800}\u{3164}");
    let p = drugs.problems(today());
    assert_eq!((p[0].field, &p[0].error), (1, &FieldError::Required));
    // A line with nothing visible is a blank line, dropped.
    set(&mut drugs, 0, "drug", "");
    assert!(drugs.groups[0].is_blank());
    assert_eq!(drugs.to_json(today()).expect("none taken"), "[]");
}

/// Issue 9: what was said for a traced consent keeps its lines through a
/// form, as import keeps them.
#[test]
fn what_was_said_keeps_its_lines_through_a_form() {
    let stored = r#"{"at":"2026-11-10","radiologist":"Dr Roy","leaflet_given":true,"consent":{"kind":"traced","at":"2026-11-10","by":"Dr Roy","details":"Lu à voix haute.\nAccord oral devant sa fille."}}"#;
    let stored = canonical_evidence(EvidenceKind::Consultation, stored).expect("canonical");
    let form = Form::load(EvidenceKind::Consultation, Some(&stored)).expect("loads");
    assert_eq!(
        form.groups[0].values[6],
        "Lu à voix haute.\nAccord oral devant sa fille."
    );
    assert_eq!(form.to_json(today()).expect("saved"), stored);
    let specs = GroupKind::Consultation.fields();
    let multiline: Vec<&str> = specs
        .iter()
        .filter(|s| s.is_multiline())
        .map(|s| s.key)
        .collect();
    assert_eq!(multiline, ["consent_details"]);
}
