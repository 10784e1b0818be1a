use super::*;

fn when(s: &str) -> When {
    When::parse(s).expect("date")
}

#[test]
fn only_at_dates_every_value_at_and_canonical_names_them() {
    let json = r#"{"at":"2026-11-27","inr":1.1,"platelets_g_l":220.0}"#;
    let canonical = canonical_json(EvidenceKind::Coagulation, json).expect("valid");
    assert_eq!(
        canonical,
        r#"{"at":"2026-11-27","dates":{"inr":"2026-11-27","platelets_g_l":"2026-11-27"},"inr":1.1,"platelets_g_l":220.0}"#
    );
    // Canonical twice is the same.
    assert_eq!(
        canonical_json(EvidenceKind::Coagulation, &canonical).as_deref(),
        Ok(canonical.as_str())
    );
}

#[test]
fn at_is_the_latest_value_date_and_a_date_for_no_value_is_refused() {
    let json =
        r#"{"at":"2026-11-01","dates":{"inr":"2026-11-28T08:00"},"inr":1.1,"platelets_g_l":220.0}"#;
    let (values, at) = values_of(EvidenceKind::Coagulation, json).expect("valid");
    assert_eq!(at, when("2026-11-28T08:00"));
    assert_eq!(values["platelets_g_l"].1, when("2026-11-01"));
    assert_eq!(values["inr"].1, when("2026-11-28T08:00"));
    let bad = r#"{"at":"2026-11-01","dates":{"inr":"2026-11-28"},"platelets_g_l":220.0}"#;
    let err = canonical_json(EvidenceKind::Coagulation, bad).expect_err("no INR");
    assert!(err.contains("dates.inr"), "{err}");
}

#[test]
fn an_edit_dates_only_the_values_it_changed() {
    let k = EvidenceKind::Coagulation;
    let stored = r#"{"at":"2026-11-27","dates":{"inr":"2026-11-27","platelets_g_l":"2026-11-06"},"inr":1.1,"platelets_g_l":220.0}"#;
    // The form shows the latest date; the person changes the INR only and
    // dates the form 2026-11-29.
    let edited = r#"{"at":"2026-11-29","inr":1.3,"platelets_g_l":220.0}"#;
    let (values, at) = values_of(k, &dated_edit(k, Some(stored), edited).expect("ok")).expect("ok");
    assert_eq!(values["inr"].1, when("2026-11-29"));
    assert_eq!(values["platelets_g_l"].1, when("2026-11-06"));
    assert_eq!(at, when("2026-11-29"));
    // Saved untouched: nothing changes.
    let same = r#"{"at":"2026-11-27","inr":1.1,"platelets_g_l":220.0}"#;
    assert_eq!(dated_edit(k, Some(stored), same).as_deref(), Ok(stored));
    // Nothing stored: every value takes the form's date.
    let first = dated_edit(k, None, edited).expect("ok");
    assert!(first.contains(r#""platelets_g_l":"2026-11-29""#), "{first}");
}

/// The form shows the latest date: what a person's edit does to each
/// value's own date (INR dated 27/11, platelets 06/11).
#[test]
fn the_forms_date_dates_what_the_person_changed_never_an_older_value_it_did_not_show() {
    let k = EvidenceKind::Coagulation;
    let stored = r#"{"at":"2026-11-27","dates":{"inr":"2026-11-27","platelets_g_l":"2026-11-06"},"inr":1.1,"platelets_g_l":220.0}"#;
    #[rustfmt::skip]
    let rows = [
        // (what the person did, edit, INR date, platelets date)
        ("platelets typo fixed, date left", r#"{"at":"2026-11-27","inr":1.1,"platelets_g_l":210.0}"#, "2026-11-27", "2026-11-06"),
        ("INR changed, date left", r#"{"at":"2026-11-27","inr":1.2,"platelets_g_l":220.0}"#, "2026-11-27", "2026-11-06"),
        ("date corrected back, nothing else", r#"{"at":"2026-11-20","inr":1.1,"platelets_g_l":220.0}"#, "2026-11-20", "2026-11-06"),
        ("new platelets dated today", r#"{"at":"2026-11-29","inr":1.1,"platelets_g_l":250.0}"#, "2026-11-27", "2026-11-29"),
        ("date moved later, nothing else", r#"{"at":"2026-11-28","inr":1.1,"platelets_g_l":220.0}"#, "2026-11-28", "2026-11-06"),
        ("new INR dated today", r#"{"at":"2026-11-29","inr":1.4,"platelets_g_l":220.0}"#, "2026-11-29", "2026-11-06"),
    ];
    for (what, edited, inr, platelets) in rows {
        let (values, _) =
            values_of(k, &dated_edit(k, Some(stored), edited).expect(what)).expect(what);
        assert_eq!(values["inr"].1, when(inr), "{what}: INR");
        assert_eq!(
            values["platelets_g_l"].1,
            when(platelets),
            "{what}: platelets"
        );
    }
}
