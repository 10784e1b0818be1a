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
