use serde_json::json;

use super::*;

const K: EvidenceKind = EvidenceKind::Coagulation;

fn d(v: f64, at: &str) -> Dated {
    (json!(v), When::parse(at).expect("date"))
}

#[test]
#[rustfmt::skip] // one row per case
fn one_value_by_the_three_way_table() {
    use ValueVerdict::*;
    let (old, new, newer) = ("2026-11-20", "2026-11-27", "2026-11-28");
    type Row = (&'static str, Dated, Option<Dated>, Option<Dated>, ValueVerdict);
    let table: [Row; 9] = [
        ("the source sends what is stored", d(1.1, new), None, Some(d(1.1, new)), Same),
        ("nothing stored", d(1.1, new), None, None, Take),
        ("the source did not change it, a person did", d(1.1, old), Some(d(1.1, old)), Some(d(2.4, new)), SourceUnchanged),
        ("nobody changed it here, newer", d(1.3, new), Some(d(1.1, old)), Some(d(1.1, old)), Take),
        ("nobody changed it here, older than its last", d(1.3, "2026-11-10"), Some(d(1.1, old)), Some(d(1.1, old)), Loses(Loss::Older)),
        ("a typed value, the result newer", d(1.3, newer), None, Some(d(2.4, new)), TakeNewer),
        ("a typed value, the result older", d(1.3, old), None, Some(d(2.4, new)), Loses(Loss::Older)),
        ("a typed value, the result the same day", d(1.3, new), None, Some(d(2.4, new)), Loses(Loss::SameDate)),
        ("same value, another date: a result", d(1.1, newer), Some(d(1.1, old)), Some(d(1.1, old)), Take),
    ];
    for (label, file, base, stored, verdict) in table {
        assert_eq!(judge_value(&file, base.as_ref(), stored.as_ref()), verdict, "{label}");
    }
}

#[test]
fn an_inr_alone_keeps_the_stored_platelets_with_their_own_date() {
    let stored = r#"{"at":"2026-11-06","inr":1.4,"platelets_g_l":220.0}"#;
    let file = r#"{"at":"2026-11-28T08:00","inr":1.1}"#;
    let j = judge_panel(K, file, None, Some(stored), None, Older::Pending).expect("judged");
    assert_eq!(j.verdicts, [("inr".to_owned(), ValueVerdict::TakeNewer)]);
    let store = j.store.expect("the INR is taken");
    let (values, at) = values_of(K, &store).expect("values");
    assert_eq!(values["inr"], d(1.1, "2026-11-28T08:00"));
    assert_eq!(
        values["platelets_g_l"],
        d(220.0, "2026-11-06"),
        "never carried forward"
    );
    assert_eq!(at, When::parse("2026-11-28T08:00").expect("date"));
    // The source's base holds what it sent: the INR only.
    let (base, _) = values_of(K, &j.base).expect("base");
    assert_eq!(base.keys().collect::<Vec<_>>(), ["inr"]);
    assert_eq!(j.pending, None);
}

#[test]
fn losing_values_wait_alone_and_taking_them_merges_value_by_value() {
    // A person typed both; the feed sends an older INR and newer platelets.
    let stored = r#"{"at":"2026-11-27","inr":2.4,"platelets_g_l":150.0}"#;
    let file = r#"{"at":"2026-11-28","dates":{"inr":"2026-11-26","platelets_g_l":"2026-11-28"},"inr":1.1,"platelets_g_l":230.0}"#;
    let j = judge_panel(K, file, None, Some(stored), None, Older::Pending).expect("judged");
    assert_eq!(j.loss, Some(Loss::Older));
    let pending = j.pending.expect("the INR waits");
    let (p, _) = values_of(K, &pending).expect("pending");
    assert_eq!(p.keys().collect::<Vec<_>>(), ["inr"]);
    let (s, _) = values_of(K, &j.store.expect("platelets taken")).expect("stored");
    assert_eq!(s["inr"], d(2.4, "2026-11-27"));
    assert_eq!(s["platelets_g_l"], d(230.0, "2026-11-28"));
    // Taking the pending INR replaces it alone, with its own date.
    let stored = object_of(K, &s, When::parse("2026-11-28").expect("date")).expect("object");
    let taken = take_pending(K, Some(&stored), &pending).expect("taken");
    let (t, _) = values_of(K, &taken).expect("values");
    assert_eq!(t["inr"], d(1.1, "2026-11-26"));
    assert_eq!(t["platelets_g_l"], d(230.0, "2026-11-28"));
    // Sent again: nothing changes, the INR still waits.
    let again = judge_panel(
        K,
        file,
        Some(&j.base),
        Some(&stored),
        Some(&pending),
        Older::Pending,
    )
    .expect("judged");
    assert_eq!(again.store, None);
    assert_eq!(again.pending.as_deref(), Some(pending.as_str()));
    assert!(again.verdicts.iter().all(|(_, v)| *v != ValueVerdict::Take));
}

#[test]
fn a_pending_value_of_another_analyte_stays_when_a_message_omits_it() {
    let stored = r#"{"at":"2026-11-27","inr":2.4,"platelets_g_l":150.0}"#;
    let pending = r#"{"at":"2026-11-26","inr":1.1}"#;
    let file = r#"{"at":"2026-11-29","platelets_g_l":230.0}"#;
    let j =
        judge_panel(K, file, None, Some(stored), Some(pending), Older::Pending).expect("judged");
    let (p, _) = values_of(K, &j.pending.expect("still waiting")).expect("pending");
    assert_eq!(p["inr"], d(1.1, "2026-11-26"));
    // The INR is sent again as stored: the pending INR is dropped.
    let file = r#"{"at":"2026-11-27","inr":2.4}"#;
    let j =
        judge_panel(K, file, None, Some(stored), Some(pending), Older::Pending).expect("judged");
    assert_eq!(j.pending, None);
    assert!(j.dropped.is_some());
}

/// A laboratory's result older than the stored value: the newer stands and
/// nothing waits for a person; a same-date conflict still does.
#[test]
fn an_older_result_is_superseded_not_pending_but_a_same_date_one_waits() {
    let stored = r#"{"at":"2026-11-27","dates":{"inr":"2026-11-27","platelets_g_l":"2026-11-27"},"inr":1.1,"platelets_g_l":220.0}"#;
    let older = r#"{"at":"2026-11-20","inr":2.5}"#;
    let j = judge_panel(K, older, None, Some(stored), None, Older::Superseded).expect("judged");
    assert_eq!((j.pending, j.lost, j.store), (None, None, None));
    let same_day = r#"{"at":"2026-11-27","inr":2.5}"#;
    let j = judge_panel(K, same_day, None, Some(stored), None, Older::Superseded).expect("judged");
    assert!(j.pending.is_some_and(|p| p.contains("2.5")));
}
