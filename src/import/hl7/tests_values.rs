//! OBX values: each unit conversion, each reason to set a value aside,
//! dating by OBR-7 or OBX-14, offsets converted to Paris wall-clock time.

use chrono::NaiveDate;
use chrono_tz::Europe::Paris;

use super::read::{Stamp, stamp, unescape};
use super::tests::{ORU_INR_ONLY, dt, lab, replace_segment};
use super::units::{analyte, factor, normalise, number};
use super::*;
use crate::domain::labs::Analyte;
use crate::domain::time::When;

/// An ORU with one OBR (its OBR-7) and these OBX.
fn report(obr7: &str, obx: &[&str]) -> LabReport {
    let obr = format!("OBR|1|C1|L1|HEMOST^Bilan^L|||{obr7}");
    let mut text = replace_segment(ORU_INR_ONLY, "OBX|", "");
    text = replace_segment(&text, "OBR|", &obr);
    for line in obx {
        text.push('\r');
        text.push_str(line);
    }
    lab(&text)
}

/// One OBX (code, value, unit, status, OBX-14) under OBR-7 of 7 Dec 2026 08:00.
fn one(code: &str, value: &str, unit: &str, status: &str, obx14: &str) -> LabReport {
    let line = format!("OBX|1|NM|{code}^x^LN||{value}|{unit}|||||{status}|||{obx14}");
    report("202612070800", &[&line])
}

#[test]
fn each_unit_is_converted_to_the_canonical_one() {
    let cases: &[(&str, &str, &str, Analyte, f64)] = &[
        ("34714-6", "1.3", "", Analyte::Inr, 1.3),
        ("34714-6", "1.3", "{INR}", Analyte::Inr, 1.3),
        ("6301-6", "2.5", "INR", Analyte::Inr, 2.5),
        ("777-3", "215", "G/L", Analyte::Platelets, 215.0),
        ("777-3", "215", "10*9/L", Analyte::Platelets, 215.0),
        ("777-3", "215", "10\\S\\9/L", Analyte::Platelets, 215.0),
        ("26515-7", "215", "10*3/uL", Analyte::Platelets, 215.0),
        ("26515-7", "215", "10\\S\\3/µL", Analyte::Platelets, 215.0),
        ("777-3", "215", "/nL", Analyte::Platelets, 215.0),
        ("777-3", "215", "giga/l", Analyte::Platelets, 215.0),
        ("751-8", "4.2", "G/L", Analyte::Neutrophils, 4.2),
        ("26499-4", "4.2", "10*9/L", Analyte::Neutrophils, 4.2),
        ("751-8", "4200", "/mm3", Analyte::Neutrophils, 4.2),
        ("751-8", "4200", "/µL", Analyte::Neutrophils, 4.2),
        ("718-7", "12.8", "g/dL", Analyte::Haemoglobin, 12.8),
        ("718-7", "123", "g/L", Analyte::Haemoglobin, 12.3),
        ("718-7", "12.8", "g/100 mL", Analyte::Haemoglobin, 12.8),
        ("14682-9", "88", "µmol/L", Analyte::Creatinine, 88.0),
        ("14682-9", "88", "umol/L", Analyte::Creatinine, 88.0),
        ("14682-9", "88", "μmol/l", Analyte::Creatinine, 88.0),
        // Whole µmol/L, as laboratories report it (106.104 before).
        ("2160-0", "1.2", "mg/dL", Analyte::Creatinine, 106.0),
        ("2160-0", "12", "mg/L", Analyte::Creatinine, 106.0),
        // The tester's: 97.262 shown before.
        ("2160-0", "1.1", "mg/dL", Analyte::Creatinine, 97.0),
        ("2160-0", "1.0", "mg/dL", Analyte::Creatinine, 88.0),
        ("2160-0", "0.57", "mg/dL", Analyte::Creatinine, 50.0),
        ("14682-9", "88.6", "µmol/L", Analyte::Creatinine, 89.0),
        ("33914-3", "67", "mL/min/1.73m2", Analyte::Egfr, 67.0),
        ("62238-1", "67", "mL/min/{1.73_m2}", Analyte::Egfr, 67.0),
        ("98979-8", "67", "ml/mn/1,73 m²", Analyte::Egfr, 67.0),
        ("98979-8", "67", "mL/min/1.73 m2", Analyte::Egfr, 67.0),
    ];
    for &(code, value, unit, analyte, expected) in cases {
        let r = one(code, value, unit, "F", "");
        assert_eq!(r.set_aside, [], "{code} {unit}");
        assert_eq!(
            (r.values[0].analyte, r.values[0].value),
            (analyte, expected),
            "{code} {unit}"
        );
    }
}

#[test]
fn values_are_set_aside_with_their_reason() {
    use SetAsideReason::*;
    let cases: Vec<(&str, &str, &str, &str, &str, SetAsideReason)> = vec![
        ("34714-6", "1.3", "", "P", "", NotFinal("P".into())),
        ("34714-6", "1.3", "", "", "", NotFinal(String::new())),
        ("34714-6", "1.3", "", "X", "", NotFinal("X".into())),
        ("34714-6", "<0.5", "", "F", "", NotANumber("<0.5".into())),
        (
            "777-3",
            "ininterprétable",
            "G/L",
            "F",
            "",
            NotANumber("ininterprétable".into()),
        ),
        ("777-3", "1,5", "G/L", "F", "", NotANumber("1,5".into())),
        ("777-3", "-3", "G/L", "F", "", NotANumber("-3".into())),
        ("777-3", "1e3", "G/L", "F", "", NotANumber("1e3".into())),
        ("777-3", "215", "%", "F", "", UnknownUnit("%".into())),
        ("751-8", "60", "%", "F", "", UnknownUnit("%".into())),
        (
            "718-7",
            "7.9",
            "mmol/L",
            "F",
            "",
            UnknownUnit("mmol/L".into()),
        ),
        (
            "14682-9",
            "1.2",
            "mg/dL",
            "F",
            "",
            UnknownUnit("mg/dL".into()),
        ),
        (
            "2160-0",
            "88",
            "µmol/L",
            "F",
            "",
            UnknownUnit("µmol/L".into()),
        ),
        (
            "33914-3",
            "67",
            "mL/min",
            "F",
            "",
            UnknownUnit("mL/min".into()),
        ),
        ("34714-6", "1.3", "s", "F", "", UnknownUnit("s".into())),
        // An unescaped ^ splits the unit: "10" is no unit of ours.
        ("777-3", "215", "10^9/L", "F", "", UnknownUnit("10".into())),
        ("2823-3", "4.1", "mmol/L", "F", "", NotUsed),
        ("1920-8", "22", "U/L", "F", "", NotUsed),
    ];
    for (code, value, unit, status, obx14, reason) in cases {
        let r = one(code, value, unit, status, obx14);
        assert_eq!(r.values, [], "{code} {value} {unit}");
        let expected = SetAside {
            obx: 1,
            code: code.into(),
            reason,
            seen: analyte(code).map(|analyte| Seen {
                analyte,
                value: value.into(),
                unit: unit.split('^').next().unwrap_or_default().into(),
                at: r.set_aside[0].seen.as_ref().and_then(|s| s.at),
            }),
        };
        assert_eq!(r.set_aside, [expected], "{code} {value} {unit}");
    }
}

#[test]
fn a_value_is_dated_by_obr_7_else_obx_14_else_set_aside() {
    let obx = |obx14: &str| format!("OBX|1|NM|34714-6^INR^LN||1.2||||||F|||{obx14}");
    let at = |r: &LabReport| r.values.first().map(|v| v.at);
    let undated = |r: &LabReport| r.set_aside.first().map(|s| s.reason.clone());
    let cases: &[(&str, &str, Option<When>)] = &[
        (
            "202612070800",
            "202612060900",
            Some(When::DateTime(dt("2026-12-07 08:00"))),
        ),
        (
            "",
            "202612060900",
            Some(When::DateTime(dt("2026-12-06 09:00"))),
        ),
        ("20261207", "", Some(When::Date(date("2026-12-07")))),
        ("2026120708", "", Some(When::Date(date("2026-12-07")))),
        ("", "20261206", Some(When::Date(date("2026-12-06")))),
        // Winter: +0000 is 1 h behind Paris; summer: +0200 is Paris.
        (
            "202612070800+0000",
            "",
            Some(When::DateTime(dt("2026-12-07 09:00"))),
        ),
        (
            "202607070800+0200",
            "",
            Some(When::DateTime(dt("2026-07-07 08:00"))),
        ),
        (
            "202607070800-0400",
            "",
            Some(When::DateTime(dt("2026-07-07 14:00"))),
        ),
        (
            "202612312330+0000",
            "",
            Some(When::DateTime(dt("2027-01-01 00:30"))),
        ),
        (
            "20261207080000.1234+0100",
            "",
            Some(When::DateTime(dt("2026-12-07 08:00"))),
        ),
        ("", "", None),
        ("202612", "", None),
        ("07/12/2026", "202612060900", None),
        ("202612070800+01", "", None),
        ("", "garbage", None),
    ];
    for &(obr7, obx14, expected) in cases {
        let r = report(obr7, &[&obx(obx14)]);
        assert_eq!(at(&r), expected, "{obr7:?} {obx14:?}");
        if expected.is_none() {
            assert_eq!(
                undated(&r),
                Some(SetAsideReason::Undated),
                "{obr7:?} {obx14:?}"
            );
        }
    }
}

#[test]
fn obx_without_an_obr_and_obx_under_several_obr() {
    let text = replace_segment(ORU_INR_ONLY, "OBR|", "");
    let text = replace_segment(
        &text,
        "OBX|",
        "OBX|1|NM|34714-6^INR^LN||1.3||||||F|||202612070700",
    );
    let r = lab(&text);
    assert_eq!(r.values[0].at, When::DateTime(dt("2026-12-07 07:00")));

    let r = report(
        "202612070800",
        &[
            "OBX|1|NM|777-3^PLT^LN||150|G/L|||||F",
            "OBR|2|C2|L2|X^Y^L|||20261120",
            "OBX|1|NM|34714-6^INR^LN||1.1||||||F|||202612070900",
        ],
    );
    let dates: Vec<_> = r.values.iter().map(|v| v.at).collect();
    assert_eq!(
        dates,
        [
            When::DateTime(dt("2026-12-07 08:00")),
            When::Date(date("2026-11-20"))
        ]
    );
}

#[test]
fn the_loinc_code_may_be_the_alternate_identifier() {
    let line = "OBX|1|NM|PLQ^Plaquettes^L^777-3^Platelets^LN||215|G/L|||||F";
    let r = report("202612070800", &[line]);
    assert_eq!(r.values[0].analyte, Analyte::Platelets);
    let local = "OBX|1|NM|777-3^Plaquettes^L||215|G/L|||||F";
    let r = report("202612070800", &[local]);
    assert_eq!(
        r.set_aside[0].reason,
        SetAsideReason::NotUsed,
        "a local code 777-3 is not LOINC"
    );
}

#[test]
fn numbers_units_and_stamps_at_their_edges() {
    for (raw, n) in [
        ("12", Some(12.0)),
        (" 1.25 ", Some(1.25)),
        (".5", Some(0.5)),
        ("+3", Some(3.0)),
        ("", None),
        (".", None),
        ("1.2.3", None),
        ("-1", None),
        ("NaN", None),
        ("inf", None),
    ] {
        assert_eq!(number(raw), n, "{raw:?}");
    }
    assert_eq!(normalise("mL/min/{1.73_m2}"), "ml/min/1.73m2");
    assert_eq!(normalise("10^9/L"), "10*9/l");
    assert_eq!(factor("0000-0", "G/L"), None);
    assert_eq!(
        stamp("20261207", Paris),
        Some(Stamp::Day(date("2026-12-07")))
    );
    assert_eq!(
        stamp("20261207+0100", Paris),
        Some(Stamp::Day(date("2026-12-07")))
    );
    for bad in [
        "2026",
        "202613",
        "20261232",
        "2026120725",
        "202612072460",
        "20261207080060",
        "x",
        "202612070800+0160",
    ] {
        assert_eq!(stamp(bad, Paris), None, "{bad}");
    }
    let seps = hl7_parser::message::Separators::default();
    assert_eq!(unescape("a\\E\\\\T\\b", &seps), "a\\&b");
    assert_eq!(unescape("\\X41\\\\Xzz\\\\X4\\", &seps), "A");
    assert_eq!(unescape("\\Cxxyy\\é\\", &seps), "é\\");
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

#[test]
fn a_structured_numeric_is_taken_only_when_plain() {
    let sn = |value: &str| {
        let line = format!("OBX|1|SN|777-3^PLT^LN||{value}|G/L|||||F");
        report("202612070800", &[&line])
    };
    assert_eq!(sn("^215").values[0].value, 215.0);
    assert_eq!(sn("=^215").values[0].value, 215.0);
    for (value, shown) in [
        ("<^50", "<50"),
        ("^10^-^20", "10-20"),
        (">=^400", ">=400"),
        ("", ""),
    ] {
        let r = sn(value);
        assert_eq!(
            r.set_aside[0].reason,
            SetAsideReason::NotANumber(shown.into()),
            "{value}"
        );
    }
    let two = report(
        "202612070800",
        &["OBX|1|NM|777-3^PLT^LN||215~216|G/L|||||F"],
    );
    assert_eq!(
        two.set_aside[0].reason,
        SetAsideReason::NotANumber("215".into())
    );
}

#[test]
fn quoted_values_are_shortened() {
    let long = "x".repeat(100);
    let r = one("777-3", &long, "G/L", "F", "");
    let expected = format!("{}...", "x".repeat(24));
    assert_eq!(r.set_aside[0].reason, SetAsideReason::NotANumber(expected));
    assert_eq!(super::read::short("1.3"), "1.3");
}

#[test]
fn a_final_value_of_ours_set_aside_says_what_was_sent_and_when() {
    let sn = report(
        "202612070815",
        &["OBX|1|SN|34714-6^INR^LN||>^15|{INR}|||||F"],
    );
    let at = Some(When::DateTime(dt("2026-12-07 08:15")));
    let expected = Seen {
        analyte: Analyte::Inr,
        value: ">15".into(),
        unit: "{INR}".into(),
        at,
    };
    assert_eq!(sn.set_aside[0].seen, Some(expected));
    // Undated: what was sent, with no date.
    let undated = report("", &["OBX|1|NM|777-3^PLT^LN||215|%|||||F"]);
    let seen = undated.set_aside[0].seen.clone().expect("ours");
    assert_eq!((seen.value.as_str(), seen.at), ("215", None));
    // A code not ours says nothing.
    let other = one("2823-3", "4.1", "mmol/L", "F", "");
    assert_eq!(other.set_aside[0].seen, None);
}

/// OBX-11: F and C are values (a C also among `corrected`); W withdraws
/// the analyte at its specimen time, whatever OBX-5 says (empty, text);
/// the other statuses are set aside as before.
#[test]
fn obx_11_sorts_values_corrections_and_withdrawals() {
    let at = When::DateTime(dt("2026-12-07 08:00"));
    let inr = |v: f64| crate::domain::labs::LabValue {
        analyte: Analyte::Inr,
        value: v,
        at,
    };
    let r = one("34714-6", "1.3", "", "F", "");
    assert_eq!(
        (r.values.clone(), r.corrected.clone()),
        (vec![inr(1.3)], vec![])
    );
    let r = one("34714-6", "1.3", "", "c", "");
    assert_eq!(
        (r.values.clone(), r.corrected.clone()),
        (vec![inr(1.3)], vec![inr(1.3)])
    );
    for value in ["1.3", "", "erreur"] {
        let r = one("777-3", value, "G/L", "W", "");
        assert!(r.values.is_empty() && r.set_aside.is_empty(), "{value}");
        assert_eq!(
            r.withdrawn,
            vec![Withdrawal {
                obx: 1,
                analyte: Analyte::Platelets,
                at: Some(at),
            }]
        );
    }
    // Undated: still a withdrawal, its time unknown.
    let line = "OBX|1|NM|34714-6^x^LN||1.3||||||W";
    let r = report("", &[line]);
    assert_eq!(r.withdrawn.first().map(|w| w.at), Some(None));
    // A code not ours: nothing.
    let r = one("2823-3", "4.1", "mmol/L", "W", "");
    assert!(r.withdrawn.is_empty());
    for status in ["P", "I", "R", "X", "D"] {
        let r = one("34714-6", "1.3", "", status, "");
        assert!(r.values.is_empty() && r.withdrawn.is_empty(), "{status}");
        assert_eq!(
            r.set_aside.first().map(|s| s.reason.clone()),
            Some(SetAsideReason::NotFinal(status.into()))
        );
    }
}

/// Creatinine is rounded to a whole µmol/L before it is stored or judged:
/// its bounds (0 to 3000 µmol/L, the only check of its value; no rule
/// compares creatinine with a threshold) see the value stored and shown.
#[test]
fn creatinine_is_judged_as_it_is_stored_and_shown() {
    for (mg_dl, stored, in_bounds) in [
        ("1.1", 97.0, true),
        // 3000.35 µmol/L: stored, shown and judged 3000.
        ("33.933", 3000.0, true),
        // 3000.97: 3001, out of bounds as shown.
        ("33.94", 3001.0, false),
    ] {
        let r = one("2160-0", mg_dl, "mg/dL", "F", "");
        assert_eq!(r.values[0].value, stored, "{mg_dl}");
        assert_eq!(
            crate::domain::bounds::check("creatinine_umol_l", stored).is_ok(),
            in_bounds,
            "{mg_dl}"
        );
    }
    assert_eq!(
        crate::text::rules::num(97.0, 0, crate::text::Lang::En),
        "97"
    );
}
