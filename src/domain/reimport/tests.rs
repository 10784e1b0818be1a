use super::*;

const COAG: Field = Field::Evidence(EvidenceKind::Coagulation);
const MEDS: Field = Field::Evidence(EvidenceKind::Medications);
const IMAGING: Field = Field::Evidence(EvidenceKind::Imaging);
const ROOM: Field = Field::Schedule(ScheduleField::Room);

fn coag(at: &str, inr: f64) -> String {
    format!(r#"{{"at":"{at}","inr":{inr}}}"#)
}

/// (label, field, file, base, stored, verdict)
type Row<'a> = (
    &'a str,
    Field,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Verdict,
);

#[test]
#[rustfmt::skip] // one row per case of the rule
fn the_three_way_rule_at_its_edges() {
    let a = coag("2026-11-30", 1.05);
    let typed_later = coag("2026-12-01", 2.4);
    let typed_same_day = coag("2026-11-30", 2.4);
    let file_newer = coag("2026-12-02", 1.2);
    let file_older = coag("2026-11-20", 1.1);
    let file_same_day = coag("2026-11-30", 1.3);
    let table: &[Row] = &[
        ("the file holds what is stored", COAG, &a, Some(&a), Some(&a), Verdict::Same),
        ("same file again after a person's edit", COAG, &a, Some(&a), Some(&typed_later), Verdict::SourceUnchanged),
        ("same file again, edit dated earlier", COAG, &a, Some(&a), Some(&file_older), Verdict::SourceUnchanged),
        ("nothing stored", COAG, &a, None, None, Verdict::Take),
        ("nothing stored, a base", COAG, &a, Some(&file_older), None, Verdict::Take),
        ("nobody changed it here, newer file", COAG, &file_newer, Some(&a), Some(&a), Verdict::Take),
        ("nobody changed it here, same-day correction", COAG, &file_same_day, Some(&a), Some(&a), Verdict::Take),
        ("nobody changed it here, older file", COAG, &file_older, Some(&a), Some(&a), Verdict::FileLoses(Loss::Older)),
        ("both changed, file newer", COAG, &file_newer, Some(&a), Some(&typed_later), Verdict::TakeNewer),
        ("both changed, file older", COAG, &file_older, Some(&a), Some(&typed_later), Verdict::FileLoses(Loss::Older)),
        ("both changed, same day", COAG, &file_same_day, Some(&a), Some(&typed_same_day), Verdict::FileLoses(Loss::SameDate)),
        ("no base (a form wrote it before the rule): both changed", COAG, &file_newer, None, Some(&typed_later), Verdict::TakeNewer),
        ("no base, file older", COAG, &file_older, None, Some(&typed_later), Verdict::FileLoses(Loss::Older)),
        ("undated, nobody changed it here", MEDS, "[]", Some("[{\"drug\":\"aspirin\"}]"), Some("[{\"drug\":\"aspirin\"}]"), Verdict::Take),
        ("undated, both changed", MEDS, "[]", Some("[{\"drug\":\"aspirin\"}]"), Some("[{\"drug\":\"clopidogrel\"}]"), Verdict::FileLoses(Loss::Undated)),
        ("undated, no base", MEDS, "[]", None, Some("[{\"drug\":\"clopidogrel\"}]"), Verdict::FileLoses(Loss::Undated)),
        ("schedule field, nobody changed it here", ROOM, "\"Salle 2\"", Some("\"Salle 1\""), Some("\"Salle 1\""), Verdict::Take),
        ("schedule field, both changed", ROOM, "\"Salle 2\"", Some("\"Salle 1\""), Some("\"Salle 3\""), Verdict::FileLoses(Loss::Undated)),
        ("schedule field, source unchanged", ROOM, "\"Salle 1\"", Some("\"Salle 1\""), Some("\"Salle 3\""), Verdict::SourceUnchanged),
    ];
    for (label, field, file, base, stored, verdict) in table {
        let got = judge(*field, file, *base, *stored).expect(label);
        assert_eq!(&got, verdict, "{label}");
    }
}

#[test]
fn a_date_alone_ties_with_a_time_on_the_same_day() {
    let w = |s: &str| When::parse(s).expect("when");
    assert_eq!(
        compare_dates(w("2026-11-30"), w("2026-11-30T08:00")),
        Ordering::Equal
    );
    assert_eq!(
        compare_dates(w("2026-11-30T09:00"), w("2026-11-30T08:00")),
        Ordering::Greater
    );
    assert_eq!(
        compare_dates(w("2026-11-29T23:59"), w("2026-11-30")),
        Ordering::Less
    );
    // A tie when both changed keeps what is stored.
    let file = r#"{"at":"2026-11-30T08:00","inr":1.0}"#;
    let stored = r#"{"at":"2026-11-30","inr":2.4}"#;
    assert_eq!(
        judge(COAG, file, None, Some(stored)).expect("judge"),
        Verdict::FileLoses(Loss::SameDate)
    );
}

#[test]
fn imaging_is_merged_by_kind_and_date_when_both_changed() {
    let base = r#"[{"kind":"ct","at":"2026-11-02"},{"kind":"mri","at":"2026-11-10"}]"#;
    // A person removed the MRI the source sent and added another.
    let stored = r#"[{"kind":"ct","at":"2026-11-02"},{"kind":"mri","at":"2026-11-20"}]"#;
    // The source still sends its MRI, and adds a PET-CT.
    let file = r#"[{"kind":"ct","at":"2026-11-02"},{"kind":"mri","at":"2026-11-10"},{"kind":"pet_ct","at":"2026-11-25"}]"#;
    let merged = r#"[{"kind":"ct","at":"2026-11-02"},{"kind":"mri","at":"2026-11-20"},{"kind":"pet_ct","at":"2026-11-25"}]"#;
    assert_eq!(
        judge(IMAGING, file, Some(base), Some(stored)).expect("judge"),
        Verdict::Merge {
            merged: merged.into(),
            added: r#"[{"kind":"pet_ct","at":"2026-11-25"}]"#.into()
        },
        "the removed MRI stays removed; the new PET-CT is added"
    );
    // Without a base every study of the file not stored is added.
    assert_eq!(
        judge(IMAGING, file, None, Some(stored)).expect("judge"),
        Verdict::Merge {
            merged: r#"[{"kind":"ct","at":"2026-11-02"},{"kind":"mri","at":"2026-11-20"},{"kind":"mri","at":"2026-11-10"},{"kind":"pet_ct","at":"2026-11-25"}]"#.into(),
            added: r#"[{"kind":"mri","at":"2026-11-10"},{"kind":"pet_ct","at":"2026-11-25"}]"#.into()
        }
    );
    // The same study at another time of the same day is the same study.
    let file = r#"[{"kind":"mri","at":"2026-11-20T18:30"}]"#;
    assert_eq!(
        judge(IMAGING, file, Some(base), Some(stored)).expect("judge"),
        Verdict::Covered
    );
    // Nobody changed it here: the source's list is taken as sent.
    assert_eq!(
        judge(IMAGING, file, Some(base), Some(base)).expect("judge"),
        Verdict::Take
    );
}

#[test]
fn a_stored_value_that_cannot_be_read_stops_the_judgement() {
    assert!(judge(COAG, &coag("2026-11-30", 1.0), None, Some("{}")).is_err());
}

#[test]
fn fields_round_trip_and_summaries_read() {
    for f in Field::all() {
        assert_eq!(Field::parse(f.as_str()), Some(f));
    }
    assert_eq!(Field::parse("notes"), None);
    assert_eq!(summary(&coag("2026-11-30", 2.4)), "INR 2.4");
    assert_eq!(
        summary_dated(
            COAG,
            r#"{"at":"2026-11-30T08:00","inr":2.4,"platelets_g_l":198.0}"#
        ),
        "INR 2.4, platelets 198, dated 2026-11-30 08:00"
    );
    assert_eq!(summary_dated(ROOM, "\"Salle 2\""), "Salle 2");
    assert_eq!(summary("\"Salle 2\""), "Salle 2");
    assert_eq!(summary("[]"), "none");
    assert_eq!(
        summary(r#"[{"crcl_ml_min":72,"drug":"apixaban","last_intake":"2026-12-01"}]"#),
        "apixaban, CrCl 72, last intake 2026-12-01"
    );
    assert_eq!(
        summary(r#"[{"kind":"mri","at":"2026-11-20"}]"#),
        "mri 2026-11-20"
    );
}
