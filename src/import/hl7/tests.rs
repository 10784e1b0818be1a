//! Messages of each type (the fixtures in tests/hl7/), malformed ones per
//! segment, character sets, escapes.

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Europe::Paris;

use super::*;
use crate::domain::labs::{Analyte, LabValue};
use crate::domain::time::When;
use crate::domain::vocab::Sex;

pub const ORU_INR_ONLY: &str = include_str!("../../../tests/hl7/oru_inr_only.hl7");
pub const ORU_FULL: &str = include_str!("../../../tests/hl7/oru_full.hl7");
pub const SIU_S12: &str = include_str!("../../../tests/hl7/siu_s12.hl7");
pub const SIU_S15: &str = include_str!("../../../tests/hl7/siu_s15.hl7");
pub const ADT_A08: &str = include_str!("../../../tests/hl7/adt_a08.hl7");
pub const ADT_A40: &str = include_str!("../../../tests/hl7/adt_a40.hl7");

pub fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test date-time")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn lab(text: &str) -> LabReport {
    match parse(text.as_bytes(), Paris) {
        Ok(Parsed::Lab(report)) => report,
        other => panic!("expected a lab report, got {other:?}"),
    }
}

fn booking(text: &str) -> Booking {
    match parse(text.as_bytes(), Paris) {
        Ok(Parsed::Booking(b)) => b,
        other => panic!("expected a booking, got {other:?}"),
    }
}

pub fn refusal(text: &[u8]) -> Refusal {
    match parse(text, Paris) {
        Err(r) => r,
        Ok(p) => panic!("expected a refusal, got {p:?}"),
    }
}

/// The segment of `text` that starts with `prefix` replaced by `with`
/// (removed when `with` is empty).
pub fn replace_segment(text: &str, prefix: &str, with: &str) -> String {
    text.split('\r')
        .filter_map(|s| match s.starts_with(prefix) {
            true if with.is_empty() => None,
            true => Some(with),
            false => Some(s),
        })
        .collect::<Vec<_>>()
        .join("\r")
}

#[test]
fn an_inr_only_result_is_read_with_its_header_patient_and_specimen_time() {
    let report = lab(ORU_INR_ONLY);
    let h = &report.header;
    assert_eq!(
        (h.sending_application.as_str(), h.sending_facility.as_str()),
        ("GLIMS", "LABO-CHU")
    );
    assert_eq!(h.source(), "hl7:GLIMS@LABO-CHU");
    assert_eq!(
        (
            h.message_type.as_str(),
            h.trigger.as_str(),
            h.control_id.as_str()
        ),
        ("ORU", "R01", "LAB-20261207-0001")
    );
    assert_eq!((h.processing_id.as_str(), h.version.as_str()), ("P", "2.5"));
    let p = &report.patient;
    assert_eq!(
        (p.ipp.as_str(), p.authority.as_str()),
        ("123456", "CHU-NANTES")
    );
    assert_eq!(
        p.ins,
        Some(("252037512345678".into(), InsStatus::Qualified))
    );
    assert_eq!(
        (
            p.last_name.as_str(),
            p.first_name.as_deref().unwrap_or_default()
        ),
        ("DUPONT", "Hélène")
    );
    assert_eq!((p.birth_date, p.sex), (day("1952-03-14"), Some(Sex::F)));
    // OBR-7 20261207071500+0100: 07:15 in Paris in winter.
    let inr = LabValue {
        analyte: Analyte::Inr,
        value: 1.3,
        at: When::DateTime(dt("2026-12-07 07:15")),
    };
    assert_eq!(report.values, [inr]);
    assert!(report.set_aside.is_empty());
}

#[test]
fn a_full_report_dates_each_value_by_its_obr_and_sets_aside_the_rest() {
    let report = lab(ORU_FULL);
    let coag = When::DateTime(dt("2026-12-06 15:30"));
    let bio = When::DateTime(dt("2026-12-06 15:45"));
    let got: Vec<_> = report
        .values
        .iter()
        .map(|v| (v.analyte, v.value, v.at))
        .collect();
    assert_eq!(
        got,
        [
            (Analyte::Inr, 1.1, coag),
            (Analyte::Platelets, 215.0, coag),
            (Analyte::Neutrophils, 4.2, bio),
            (Analyte::Haemoglobin, 12.8, bio),
            (Analyte::Creatinine, 88.0, bio),
            (Analyte::Egfr, 67.0, bio),
        ]
    );
    let aside = |obx: usize, code: &str, reason| SetAside {
        obx,
        code: code.into(),
        reason,
        seen: None,
    };
    // What was sent is checked by `tests_values`.
    let without_seen: Vec<SetAside> = report
        .set_aside
        .iter()
        .map(|s| SetAside {
            seen: None,
            ..s.clone()
        })
        .collect();
    assert_eq!(
        without_seen,
        [
            aside(7, "2823-3", SetAsideReason::NotUsed),
            aside(8, "2160-0", SetAsideReason::NotFinal("P".into())),
        ]
    );
}

#[test]
fn a_booking_gives_its_id_start_duration_room_operator_and_services() {
    let b = booking(SIU_S12);
    assert_eq!(b.event, BookingEvent::New);
    assert_eq!(b.appointment_id, "RDV-55501");
    assert_eq!(b.start, Some(dt("2026-12-14 09:30")));
    assert_eq!(b.duration_min, Some(45));
    assert_eq!(b.room.as_deref(), Some("SALLE-RI-2"));
    assert_eq!(b.operator.as_deref(), Some("LEFEBVRE Antoine"));
    assert_eq!(b.services, ["RIV-BIOFOIE"]);
    assert_eq!(b.patient.ipp, "123456");
    assert_eq!(booking(SIU_S15).event, BookingEvent::Cancelled);
}

#[test]
fn each_siu_trigger_gives_its_event() {
    let cases = [
        ("S12", BookingEvent::New),
        ("S13", BookingEvent::Changed),
        ("S14", BookingEvent::Changed),
        ("S15", BookingEvent::Cancelled),
        ("S17", BookingEvent::Deleted),
        ("S26", BookingEvent::NoShow),
    ];
    for (trigger, event) in cases {
        let text = SIU_S12.replace("SIU^S12^", &format!("SIU^{trigger}^"));
        assert_eq!(booking(&text).event, event, "{trigger}");
    }
}

#[test]
fn booking_fallbacks_sch_1_sch_11_sch_9_and_hours() {
    let no_ais_times = replace_segment(
        SIU_S12,
        "AIS|",
        "AIS|1|A|RIV-BIOFOIE^Biopsie^L~X|||||||Booked\rAIS|2|A|RIV-DRAIN^Drainage^L",
    );
    let b = booking(&no_ais_times);
    assert_eq!(b.start, Some(dt("2026-12-14 09:30")), "SCH-11 TQ.4");
    assert_eq!(b.duration_min, Some(60), "SCH-9/SCH-10");
    assert_eq!(b.services, ["RIV-BIOFOIE", "RIV-DRAIN"]);

    let placer_only = SIU_S12.replace("|RDV-55501^AGENDA|", "||");
    assert_eq!(booking(&placer_only).appointment_id, "PLAC-789");

    for (amount, unit, minutes) in [
        ("1.5", "h", Some(90)),
        ("2", "HR", Some(120)),
        ("1", "hours", Some(60)),
        ("30", "", Some(30)),
        ("30", "MIN", Some(30)),
        ("3", "d", None),
        ("trois quarts", "min", None),
        ("100000", "min", None),
        ("24", "h", Some(1440)),
    ] {
        let ais = format!("AIS|1|A|RIV-BIOFOIE^B^L|20261214093000|||{amount}|{unit}");
        let b = booking(&replace_segment(SIU_S12, "AIS|", &ais));
        assert_eq!(b.duration_min, minutes, "{amount} {unit}");
    }
}

#[test]
fn deleted_resources_tq1_and_the_room_of_pl_2() {
    let text = replace_segment(
        SIU_S12,
        "AIS|",
        "AIS|1|D|RIV-OLD^Ancien^L|20261213080000|||20|min\rAIS|2|A|RIV-NEW^Nouveau^L",
    );
    let text = replace_segment(&text, "AIL|", "AIL|1|D|SALLE-1\rAIL|2|A|^SALLE-3");
    let text = text.replace("\rPID|", "\rTQ1|1||||||202612150800\rPID|");
    let b = booking(&text);
    assert_eq!(b.services, ["RIV-NEW"]);
    assert_eq!(b.start, Some(dt("2026-12-15 08:00")), "TQ1-7 before SCH-11");
    assert_eq!(b.duration_min, Some(60), "SCH-9, the deleted AIS-7 ignored");
    assert_eq!(b.room.as_deref(), Some("SALLE-3"));
}

#[test]
fn an_identity_update_is_read_and_a_merge_is_refused() {
    match parse(ADT_A08.as_bytes(), Paris) {
        Ok(Parsed::Identity(u)) => {
            assert_eq!(u.patient.birth_date, day("1952-03-15"));
            assert_eq!(u.patient.first_name.as_deref(), Some("Hélène"));
            assert_eq!(u.header.trigger, "A08");
        }
        other => panic!("expected an identity update, got {other:?}"),
    }
    let r = refusal(ADT_A40.as_bytes());
    assert_eq!(r.code, AckCode::Ar);
    assert_eq!(r.place, Some(place("MSH", 1, 9)));
    assert!(
        r.reason.contains("A40") && r.reason.contains("by hand"),
        "{}",
        r.reason
    );
}

pub fn place(segment: &str, sequence: usize, field: usize) -> Place {
    Place {
        segment: segment.into(),
        sequence,
        field,
    }
}

#[test]
fn line_endings_lf_crlf_and_blank_lines_are_taken() {
    // The same message but for its bytes' digest.
    let without_digest = |mut r: LabReport| {
        r.header.digest.clear();
        r
    };
    let expected = without_digest(lab(ORU_FULL));
    for sep in ["\n", "\r\n", "\r\r", "\n\n", "\r\n\r\n"] {
        let text = format!("\u{feff}{}", ORU_FULL.replace('\r', sep));
        assert_eq!(without_digest(lab(&text)), expected, "{sep:?}");
    }
}

#[test]
fn latin1_is_decoded_when_not_utf8_and_msh_18_allows_it() {
    let latin = |text: &str| -> Vec<u8> { text.chars().map(|c| c as u32 as u8).collect() };
    for charset in ["8859/1", ""] {
        let text = ORU_INR_ONLY.replace("UNICODE UTF-8", charset);
        let report = match parse(&latin(&text), Paris) {
            Ok(Parsed::Lab(r)) => r,
            other => panic!("{charset}: {other:?}"),
        };
        assert_eq!(
            report.patient.first_name.as_deref(),
            Some("Hélène"),
            "{charset}"
        );
    }
    let r = refusal(&latin(ORU_INR_ONLY));
    assert_eq!((r.code, r.place), (AckCode::Ae, Some(place("MSH", 1, 18))));
}

#[test]
fn escapes_are_decoded_and_text_is_cleaned() {
    let pid = |name: &str| {
        let pid = ORU_INR_ONLY.split('\r').nth(1).unwrap_or("");
        let mut f: Vec<&str> = pid.split('|').collect();
        f[5] = name;
        lab(&replace_segment(ORU_INR_ONLY, "PID|", &f.join("|"))).patient
    };
    let cases = [
        ("DUPONT\\T\\FILS^Anne", "DUPONT&FILS", "Anne"),
        ("A\\F\\B\\S\\C\\R\\D\\E\\E^x", "A|B^C~D\\E", "x"),
        ("LE\\.br\\GALL^x", "LE GALL", "x"),
        ("O\\X27\\NEIL^x", "O'NEIL", "x"),
        ("M\\XC3A9\\NARD^x", "MéNARD", "x"),
        ("M\\X07\\ARTIN^Ma\\X0D\\rie", "MARTIN", "Marie"),
        ("\\H\\GRAS\\N\\^x", "GRAS", "x"),
        ("DUPONT^He\u{301}le\u{300}ne\u{200b}", "DUPONT", "Hélène"),
        ("NON\\FERMÉ^x", "NON\\FERMÉ", "x"),
    ];
    for (raw, last, first) in cases {
        let p = pid(raw);
        assert_eq!(
            (
                p.last_name.as_str(),
                p.first_name.as_deref().unwrap_or_default()
            ),
            (last, first),
            "{raw:?}"
        );
    }
}

#[test]
fn identifiers_names_ins_and_sex_follow_ihe_france() {
    let with_pid = |f3: &str, f5: &str, f8: &str, f32: &str| {
        let text = replace_segment(
            ORU_INR_ONLY,
            "PID|",
            &format!("PID|1||{f3}||{f5}||19520314|{f8}{}{f32}", "|".repeat(24)),
        );
        lab(&text).patient
    };
    let nir = "1840275^^^INS&1.2.250.1.213.1.4.8&ISO^INS";
    let p = with_pid(
        &format!("A77^^^CHU^AN~{nir}~555^^^&1.2.3&ISO^PI"),
        "X^Y",
        "M",
        "PROV",
    );
    assert_eq!((p.ipp.as_str(), p.authority.as_str()), ("555", "1.2.3"));
    assert_eq!(p.ins, Some(("1840275".into(), InsStatus::NotQualified)));
    let p = with_pid("77^^^CHU", "USE^Nom^^^^^D~BIRTH^Nom^^^^^L", "U", "VALI");
    assert_eq!((p.ipp.as_str(), p.ins.clone()), ("77", None));
    assert_eq!(p.last_name, "BIRTH");
    let p = with_pid(
        "9^^^&1.2.250.1.213.1.4.10&ISO^INS~77^^^CHU",
        "A^B",
        "F",
        "VALI",
    );
    assert_eq!(p.ins, Some(("9".into(), InsStatus::Qualified)), "test NIR");
    // An empty given name is no change; `""` deletes it; `""` is no name.
    for (f5, first) in [("A", None), ("A^", None), ("A^\"\"", Some(""))] {
        let p = with_pid("77^^^CHU", f5, "F", "");
        assert_eq!(p.first_name.as_deref(), first, "{f5:?}");
    }
    let text = replace_segment(ORU_INR_ONLY, "PID|", "PID|1||77^^^CHU||\"\"^B||19520314|F");
    assert_eq!(refusal(text.as_bytes()).place, Some(place("PID", 1, 5)));
    for (code, sex) in [
        ("F", Some(Sex::F)),
        ("M", Some(Sex::M)),
        ("m", Some(Sex::M)),
        // Empty or unknown to the sender: no change (the stored one kept).
        ("U", None),
        ("", None),
        ("O", Some(Sex::X)),
        ("A", Some(Sex::X)),
        ("N", Some(Sex::X)),
        // HL7's null: deleted.
        ("\"\"", Some(Sex::X)),
    ] {
        assert_eq!(with_pid("77^^^CHU", "A^B", code, "").sex, sex, "{code:?}");
    }
}

#[test]
fn read_header_gives_the_header_of_a_refused_message() {
    let text = ORU_INR_ONLY.replace("|P|2.5|", "|P|3.0|");
    let h = read_header(text.as_bytes()).expect("header");
    assert_eq!(
        (h.control_id.as_str(), h.version.as_str()),
        ("LAB-20261207-0001", "3.0")
    );
    assert_eq!(read_header(b"PID|1||x"), None);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
    #[test]
    fn parse_never_panics_on_arbitrary_bytes(raw in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let _ = parse(&raw, Paris);
        let _ = read_header(&raw);
    }

    #[test]
    fn parse_never_panics_on_hl7_like_text(body in "[A-Z0-9|^~\\\\&\r\n .+-é]{0,300}") {
        let text = format!("MSH|^~\\&|{body}");
        let _ = parse(text.as_bytes(), Paris);
        let segments = format!("MSH|^~\\&|A|B|C|D|20261207||ORU^R01|1|P|2.5\rPID|{body}");
        let _ = parse(segments.as_bytes(), Paris);
    }

    #[test]
    fn parse_never_panics_on_damaged_messages(
        which in 0usize..6,
        edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()), 1..8),
    ) {
        let fixtures = [ORU_INR_ONLY, ORU_FULL, SIU_S12, SIU_S15, ADT_A08, ADT_A40];
        let mut raw = fixtures[which].as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(raw.len());
            raw[i] = byte;
        }
        if let Err(r) = parse(&raw, Paris) {
            let ack = ack(read_header(&raw).as_ref(), r.code, Some(&r), "A1", dt("2026-12-07 10:00"));
            proptest::prop_assert!(hl7_parser::Message::parse(&ack).is_ok());
        }
    }
}

#[test]
fn an_hd_without_namespace_is_its_oid_and_seconds_are_dropped() {
    let text = ORU_INR_ONLY.replacen("|GLIMS|LABO-CHU|", "|^1.2.250.1.9|LABO-CHU|", 1);
    let text = text.replace("20261207071500+0100|", "20261207071559+0100|");
    let report = lab(&text);
    assert_eq!(report.header.source(), "hl7:1.2.250.1.9@LABO-CHU");
    assert_eq!(report.values[0].at, When::DateTime(dt("2026-12-07 07:15")));
}
