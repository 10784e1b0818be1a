//! The ward instructions in the programme (issue 14, §2): per validated
//! case, each drug's planned last intake a person recorded and who, or
//! "to review" when the drug's line blocks (never the date the rules
//! computed), "INR the day before" for a vitamin K antagonist, and the
//! advisories; in every format, escaped by that format.

use chrono::NaiveDate;

use super::model::Programme;
use super::testkit::{cases, programme_of};
use super::{csv, html, ics, json, md};
use crate::domain::instructions::DrugLine;
use crate::domain::message::Lang;
use crate::domain::model::Medication;
use crate::domain::record::{PendingValue, StoredCase};
use crate::domain::time::When;
use crate::domain::vocab::Drug;

/// The fixture's second case (validated, Monday 30/11 08:30, high
/// bleeding risk) taking warfarin stopped on J−6 (compliant, recorded),
/// rivaroxaban with no planned last intake (blocking) and an `other` drug
/// with a hostile name (checked by hand).
fn changed() -> Vec<StoredCase> {
    let mut cs = cases();
    let day = |d| When::Date(NaiveDate::from_ymd_opt(2026, 11, d).expect("date"));
    cs[1].file.medications = Some(vec![
        Medication {
            drug: Drug::Warfarin,
            name: None,
            last_intake: Some(day(24)),
            crcl_ml_min: None,
        },
        Medication {
            drug: Drug::Rivaroxaban,
            name: None,
            last_intake: None,
            crcl_ml_min: Some(80.0),
        },
        Medication {
            drug: Drug::Other,
            name: Some("<b>Kardégic</b> & \"co\"".into()),
            last_intake: None,
            crcl_ml_min: None,
        },
    ]);
    cs
}

fn entry_of<'p>(p: &'p Programme, cases: &[StoredCase], i: usize) -> &'p super::Entry {
    let c = &cases[i].file;
    p.validated
        .iter()
        .find(|e| e.start == c.procedure.scheduled_at && e.room == c.procedure.room)
        .expect("the case is in the programme")
}

#[test]
fn each_drug_says_its_recorded_intake_and_who_or_to_review() {
    let cs = changed();
    let p = programme_of(&cs, Lang::Fr, false, false);
    let w = &entry_of(&p, &cs, 1).ward;
    assert!(!w.unchecked);
    assert!(w.inr_day_before, "warfarin: an INR the day before");
    assert!(matches!(
        &w.drugs[0],
        DrugLine::Recorded { drug: Drug::Warfarin, by, .. } if by == "secretary"
    ));
    assert!(matches!(
        w.drugs[1],
        DrugLine::Review {
            drug: Drug::Rivaroxaban,
            ..
        }
    ));
    assert!(matches!(
        w.drugs[2],
        DrugLine::NotRecorded {
            drug: Drug::Other,
            ..
        }
    ));
    let lines = crate::text::export::ward_lines(Lang::Fr, w);
    assert_eq!(
        lines[..4],
        [
            "dernière prise de warfarine prévue\u{a0}: 24/11, saisie par secretary",
            "rivaroxaban\u{a0}: arrêt non conforme\u{a0}: à revoir",
            "<b>Kardégic</b> & \"co\"\u{a0}: aucune dernière prise prévue saisie",
            "INR la veille",
        ]
    );
    // Rivaroxaban before a high-risk procedure on 30/11: the rule's latest
    // intake is J−3, 27/11. It is never printed: only what a person recorded.
    assert!(lines.iter().all(|l| !l.contains("27/11")), "{lines:?}");
    let en = crate::text::export::ward_lines(Lang::En, w);
    assert_eq!(
        en[..2],
        [
            "planned last intake of warfarin: 2026-11-24, recorded by secretary",
            "rivaroxaban: hold not compliant: to review",
        ]
    );
}

#[test]
fn every_format_carries_the_ward_instructions_escaped() {
    let cs = changed();
    let p = programme_of(&cs, Lang::Fr, false, false);
    let e = entry_of(&p, &cs, 1);
    let lines = crate::text::export::ward_lines(Lang::Fr, &e.ward);
    let out = html::render(&p);
    assert!(out.contains("Consignes au service"));
    assert!(out.contains("&lt;b&gt;Kardégic&lt;/b&gt; &amp; &quot;co&quot;"));
    assert!(!out.contains("<b>Kardégic"));
    assert!(out.contains(&html::escape(&lines[0])));
    let out = md::render(&p);
    assert!(out.contains(&md::escape(&lines[1])));
    assert!(!out.contains("<b>Kardégic"));
    // csv: the 18th column, one instruction a line.
    let out = csv::render(&p);
    let body = out.strip_prefix('\u{feff}').expect("BOM");
    let mut r = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    let heads = r.headers().expect("headers").clone();
    assert_eq!(&heads[17], "Consignes au service");
    let rows: Vec<::csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let row = rows
        .iter()
        .find(|x| x[8] == e.patient.ipp)
        .expect("the case's row");
    assert_eq!(&row[17], lines.join("\n"));
    // json: a field, typed and in words.
    let v: serde_json::Value = serde_json::from_str(&json::render(&p)).expect("json");
    let proc = v["days"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["procedures"].as_array().into_iter().flatten())
        .find(|x| x["patient"]["ipp"] == e.patient.ipp.as_str())
        .expect("the case");
    let w = &proc["ward_instructions"];
    assert_eq!(w["inr_day_before"], true);
    assert_eq!(w["drugs"][0]["kind"], "recorded");
    assert_eq!(w["drugs"][0]["by"], "secretary");
    assert_eq!(w["drugs"][0]["at"], "2026-11-24");
    assert_eq!(w["drugs"][1]["kind"], "review");
    assert!(w["drugs"][1].get("at").is_none());
    assert_eq!(w["lines"][0], lines[0].as_str());
    // ics: in the description, after the notes.
    let ev = ics::event_of(e, Lang::Fr);
    assert!(
        ev.description
            .ends_with(&format!("Consignes au service\u{a0}: {}", lines.join("\n")))
    );
}

#[test]
fn a_drug_list_to_settle_or_with_no_known_author_is_to_review() {
    // A value on file waiting for a person: every drug is to review.
    let mut cs = changed();
    cs[1].pending.push(PendingValue {
        item: "medications".into(),
        source: "file".into(),
        value: r#"[{"drug":"warfarin","last_intake":"2026-11-28"}]"#.into(),
        origin: "import:week.json".into(),
        loss: "undated".into(),
        at: "2026-11-26T08:00:00Z".into(),
        by: "secretary".into(),
    });
    // Nobody known recorded the list: no date given as a person's.
    cs[2].recorded.clear();
    let p = programme_of(&cs, Lang::En, false, false);
    for i in [1, 2] {
        let w = &entry_of(&p, &cs, i).ward;
        assert!(!w.drugs.is_empty());
        assert!(
            w.drugs.iter().all(|d| matches!(d, DrugLine::Review { .. })),
            "case {i}: {:?}",
            w.drugs
        );
    }
    // No drug list at all: said, to review.
    let mut cs = cases();
    cs[1].file.medications = None;
    let p = programme_of(&cs, Lang::Fr, false, false);
    let w = &entry_of(&p, &cs, 1).ward;
    assert!(w.unchecked);
    assert_eq!(
        crate::text::export::ward_lines(Lang::Fr, w)[0],
        "anticoagulants et antiplaquettaires non vérifiés\u{a0}: à revoir"
    );
}

/// A pseudonymised programme keeps the drug's class, not an `other`
/// drug's free name (free text may name people, as the notes), in every
/// format; who recorded a planned intake stays, as who decided does.
#[test]
fn a_pseudonymised_programme_drops_an_other_drugs_free_name() {
    let cs = changed();
    let p = programme_of(&cs, Lang::Fr, true, false);
    let w = &entry_of(&p, &cs, 1).ward;
    assert!(matches!(
        &w.drugs[2],
        DrugLine::NotRecorded {
            drug: Drug::Other,
            name: None
        }
    ));
    assert!(matches!(
        &w.drugs[0],
        DrugLine::Recorded { by, .. } if by == "secretary"
    ));
    let lines = crate::text::export::ward_lines(Lang::Fr, w);
    assert!(lines.iter().all(|l| !l.contains("Kardégic")), "{lines:?}");
    for out in [
        html::render(&p),
        md::render(&p),
        csv::render(&p),
        json::render(&p),
    ] {
        assert!(!out.contains("Kardégic"), "{out}");
    }
    let ev = ics::event_of(entry_of(&p, &cs, 1), Lang::Fr);
    assert!(!ev.description.contains("Kardégic"), "{}", ev.description);
}

/// An anaesthetist's "fit with conditions" reaches the wards in the
/// programme; pseudonymised, the conditions (free text) are left out and
/// only that there are some is said.
#[test]
fn the_anaesthetists_conditions_reach_the_wards_named_only() {
    use crate::domain::vocab::Conclusion;
    let secret = "Jeûne 6 h, <b>PPC</b> de Mme Ophélie";
    let mut cs = cases();
    let a = cs[1]
        .file
        .anaesthesia_consult
        .as_mut()
        .expect("a consultation");
    a.conclusion = Some(Conclusion::FitWithConditions);
    a.conditions = Some(secret.to_owned());
    let named = programme_of(&cs, Lang::En, false, false);
    let lines = crate::text::export::ward_lines(Lang::En, &entry_of(&named, &cs, 1).ward);
    assert!(
        lines
            .iter()
            .any(|l| l == &format!("fit with conditions: {secret}")),
        "{lines:?}"
    );
    let html = html::render(&named);
    assert!(
        html.contains("Jeûne 6 h, &lt;b&gt;PPC&lt;/b&gt;"),
        "escaped in html"
    );
    let seen = programme_of(&cs, Lang::En, true, false);
    let lines = crate::text::export::ward_lines(Lang::En, &entry_of(&seen, &cs, 1).ward);
    assert!(
        lines.iter().any(|l| l == "fit with conditions: …"),
        "{lines:?}"
    );
    for out in [html::render(&seen), md::render(&seen), csv::render(&seen)] {
        assert!(!out.contains("Ophélie"), "left out when pseudonymised");
    }
}
