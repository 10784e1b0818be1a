//! How a reader who sees pseudonymised data only (a viewer, the auditor:
//! `domain/roles.rs`) sees a case, on the screen and in `check`: exactly as
//! a pseudonymised export is (`docs/export-format.md`). The name becomes
//! initials, the birth date is left out (the age stays), the IPP and the
//! scheduling system's id become keyed pseudonyms, and free text (notes,
//! decision reasons, override justifications, consent details, an
//! anaesthetist's conditions, an `other` drug's free name, the values on
//! file a person must settle) is left out; that there was a reason or a
//! justification stays.
//!
//! [`case`] changes the judged case itself (its stored data and the
//! messages judged from it), so that nothing drawn or printed from it can
//! show what was left out: the screen (`tui::data::load`) and `check`
//! ([`super::build`]) both show only what it leaves.

use chrono::{Months, NaiveDate};

use super::CaseReport;
use crate::domain::assess::{Assessment, age_on};
use crate::domain::record::StoredCase;
use crate::export::pseudo::{Pseudonymiser, initials};

/// What stands, in a judged message, for a value that is left out (a
/// conflicting value on file, an `other` drug's free name).
pub const LEFT_OUT: &str = "…";

/// Pseudonymises a judged case in place (judge it first: the rules read
/// the real data). Afterwards the patient's last name holds the initials
/// (`B. H.`), the first name is empty, the IPP is `P-…`, the external id
/// `C-…`, and the birth date is a stand-in that gives the same age on the
/// procedure day and must never be shown (a reader seeing pseudonymised
/// data is shown the age only).
pub fn case(stored: &mut StoredCase, a: &mut Assessment, ps: &Pseudonymiser) {
    let f = &mut stored.file;
    f.external_id = ps.case(&f.external_id);
    let day = f.day();
    let p = &mut f.patient;
    p.last_name = initials(&p.last_name, &p.first_name);
    p.first_name = String::new();
    p.ipp = ps.ipp(&p.ipp);
    p.birth_date = stand_in(p.birth_date, day);
    f.notes = None;
    if let Some(consent) = f.consultation.as_mut().and_then(|c| c.consent.as_mut()) {
        consent.details = None;
    }
    if let Some(a) = f.anaesthesia_consult.as_mut() {
        a.conditions = a.conditions.as_ref().map(|_| LEFT_OUT.to_owned());
    }
    stored.notes.clear();
    for d in &mut stored.decisions {
        d.reason = d.reason.as_ref().map(|_| String::new());
        d.override_justification = d.override_justification.as_ref().map(|_| String::new());
    }
    for v in &mut stored.pending {
        v.value = String::new();
    }
    // Which traits the hospital's system changed stays; not their values.
    for c in &mut stored.feed.identity_changes {
        c.old = LEFT_OUT.to_owned();
        c.new = LEFT_OUT.to_owned();
    }
    if let Some(c) = &mut stored.feed.changed_after_decision {
        c.leave_out_target(LEFT_OUT);
    }
    for m in f.medications.iter_mut().flatten() {
        if let Some(name) = &mut m.name {
            *name = LEFT_OUT.to_owned();
        }
    }
    for item in &mut a.dossier.items {
        for finding in &mut item.findings {
            finding.msg.leave_out_free_text(LEFT_OUT);
        }
    }
}

/// A date that gives the same age on `day` as `birth` does: `day`, that
/// many years before (29 February becomes the 28th).
fn stand_in(birth: NaiveDate, day: NaiveDate) -> NaiveDate {
    let age = age_on(birth, day);
    let months = Months::new(age.unsigned_abs().saturating_mul(12));
    let moved = if age >= 0 {
        day.checked_sub_months(months)
    } else {
        day.checked_add_months(months)
    };
    moved.unwrap_or(day)
}

/// The report of a case seen through [`case`]: the initials in their own
/// field, no name or birth date fields.
pub(super) fn report(r: &mut CaseReport) {
    let p = &mut r.patient;
    p.initials = p.last_name.take();
    p.first_name = None;
    p.birth_date = None;
    // A death by its month only, as the registry extract gives it.
    p.died_on = p.died_on.take().map(|d| d.chars().take(7).collect());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// The stand-in gives the same age on the day, at the edges: the
    /// birthday itself, the day before, 29 February (born, and on the day),
    /// a birth after the day (bad data).
    #[test]
    fn the_stand_in_birth_date_gives_the_same_age_on_the_day() {
        let births = [
            "1948-03-14",
            "1948-03-15",
            "1948-03-13",
            "1952-02-29",
            "1951-02-28",
            "1951-03-01",
            "2026-11-30",
            "2027-05-01",
            "1900-01-01",
        ];
        let days = [
            "2026-03-14",
            "2026-11-30",
            "2028-02-29",
            "2026-02-28",
            "2026-03-01",
        ];
        for b in births {
            for day in days {
                let (b, day) = (d(b), d(day));
                let s = stand_in(b, day);
                assert_eq!(age_on(s, day), age_on(b, day), "born {b}, on {day}");
            }
        }
    }

    /// A value on file waiting for a person names what it holds in the
    /// item's message (`Msg::FileConflict`): consent details here. Seen
    /// pseudonymised, the message says a value waits, not what it is; and
    /// no name, birth date, IPP, scheduling id or free text is left.
    #[test]
    fn a_pseudonymised_report_leaves_out_the_value_on_file_and_free_text() {
        use crate::domain::message::Lang;
        use crate::domain::record::PendingValue;
        let secret = "agreed before her nephew Ophélien";
        let mut cases = crate::export::testkit::cases();
        // An anaesthetist's conditions are free text too.
        let conditions = "fasting, then call her son Théodule";
        if let Some(a) = cases[1].file.anaesthesia_consult.as_mut() {
            a.conclusion = Some(crate::domain::vocab::Conclusion::FitWithConditions);
            a.conditions = Some(conditions.to_owned());
        }
        cases[0].pending.push(PendingValue {
            item: "consultation".into(),
            source: "file".into(),
            value: format!(
                r#"{{"at":"2026-11-01T10:00","radiologist":"Dr Martin","consent":{{"kind":"traced","at":"2026-11-01T10:00","details":"{secret}"}}}}"#
            ),
            origin: "import:older.json".into(),
            loss: "older".into(),
            at: "2026-11-25T08:00:00Z".into(),
            by: "secretary".into(),
        });
        // An `other` drug's free name is free text too.
        let drug = "Préparation du Dr Ophélien";
        cases[0].file.medications = Some(vec![crate::domain::model::Medication {
            drug: crate::domain::vocab::Drug::Other,
            name: Some(drug.into()),
            last_intake: None,
            crcl_ml_min: None,
        }]);
        let rules = crate::storage::rules::seeded();
        let ctx = crate::domain::rules::Context {
            rules: &rules,
            tz: chrono_tz::Europe::Paris,
        };
        let week = crate::export::testkit::WEEK.parse().expect("week");
        let ps = Pseudonymiser::from_key(b"a test key, not a secret").expect("key");
        let json = |ps: Option<&Pseudonymiser>| {
            let r = super::super::build(week, &cases, &[], &ctx, Lang::En, ps);
            serde_json::to_string(&r).expect("json")
        };
        // Named, the message carries the value: what is looked for is there.
        let named = json(None);
        assert!(named.contains(secret), "{named}");
        assert!(named.contains(drug), "{named}");
        assert!(named.contains(conditions), "{named}");
        let first = &cases[0].file;
        for s in [
            &first.patient.last_name,
            &first.patient.ipp,
            &first.external_id,
        ] {
            assert!(named.contains(s.as_str()), "{s}");
        }
        let seen = json(Some(&ps));
        let report: serde_json::Value = serde_json::from_str(&seen).expect("json");
        let consent = report["cases"][0]["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["item"] == "consent")
            .expect("consent")
            .clone();
        assert_eq!(consent["severity"], "blocking");
        assert!(
            consent["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!(": {LEFT_OUT}, 2026-11-01 — keep or take"))),
            "{consent}"
        );
        let mut secrets = vec![secret.to_owned(), drug.to_owned(), conditions.to_owned()];
        for c in &cases {
            let p = &c.file.patient;
            secrets.extend([
                p.last_name.clone(),
                p.ipp.clone(),
                c.file.external_id.clone(),
                p.birth_date.format("%Y-%m-%d").to_string(),
                p.birth_date.format("%d/%m/%Y").to_string(),
            ]);
            secrets.extend(c.notes.iter().map(|n| n.body.clone()));
            for d in &c.decisions {
                secrets.extend(d.reason.clone());
                secrets.extend(d.override_justification.clone());
            }
        }
        for s in &secrets {
            assert!(
                !seen.contains(s.as_str()),
                "{s} in the pseudonymised report"
            );
        }
    }
}
