//! The ACK, read back with hl7-parser: MSH swapped, MSA, ERR.

use chrono_tz::Europe::Paris;
use hl7_parser::Message;

use super::tests::{ORU_INR_ONLY, dt, place};
use super::*;

fn field(message: &Message, query: &str) -> String {
    message
        .query(query)
        .map(|v| v.raw_value().to_owned())
        .unwrap_or_default()
}

#[test]
fn an_accepted_message_is_acknowledged_with_swapped_header_and_no_err() {
    let header = match parse(ORU_INR_ONLY.as_bytes(), Paris) {
        Ok(p) => p.header().clone(),
        Err(r) => panic!("{r:?}"),
    };
    let text = ack(
        Some(&header),
        AckCode::Aa,
        None,
        "ACK-1",
        dt("2026-12-07 08:31"),
    );
    assert!(text.ends_with('\r') && !text.contains('\n'), "{text:?}");
    let m = Message::parse(&text).expect("the ACK parses");
    let got: Vec<String> = [
        "MSH.3", "MSH.4", "MSH.5", "MSH.6", "MSH.7", "MSH.9", "MSH.10", "MSH.11", "MSH.12",
        "MSA.1", "MSA.2",
    ]
    .iter()
    .map(|q| field(&m, q))
    .collect();
    assert_eq!(
        got,
        [
            "IRCOMMITTEE",
            "RADIO-INTERV",
            "GLIMS",
            "LABO-CHU",
            "20261207083100",
            "ACK^R01^ACK",
            "ACK-1",
            "P",
            "2.5",
            "AA",
            "LAB-20261207-0001"
        ]
    );
    assert_eq!(m.segment_count("ERR"), 0);
}

#[test]
fn a_refusal_carries_its_place_code_and_escaped_reason() {
    let text = ORU_INR_ONLY.replace("|19520314|", "|1952-03-14|");
    let refusal = parse(text.as_bytes(), Paris).expect_err("refused");
    let header = read_header(text.as_bytes());
    let encoded = ack(
        header.as_ref(),
        refusal.code,
        Some(&refusal),
        "ACK-2",
        dt("2026-12-07 08:31"),
    );
    let m = Message::parse(&encoded).expect("the ACK parses");
    assert_eq!(field(&m, "MSA.1"), "AE");
    assert_eq!(field(&m, "MSA.2"), "LAB-20261207-0001");
    assert_eq!(field(&m, "ERR.2"), "PID^1^7");
    assert_eq!(field(&m, "ERR.3.1"), "102");
    assert_eq!(field(&m, "ERR.4"), "E");
    assert_eq!(field(&m, "ERR.8"), refusal.reason);

    let nasty = Refusal {
        code: AckCode::Ae,
        place: None,
        reason: "a|b^c~d\\e&f\rg\nh".into(),
    };
    let encoded = ack(
        None,
        AckCode::Ae,
        Some(&nasty),
        "A|3",
        dt("2026-12-07 08:31"),
    );
    let m = Message::parse(&encoded).expect("the ACK parses");
    assert_eq!(m.segments.len(), 3, "{encoded:?}");
    let err8 = m.query("ERR.8").expect("ERR-8");
    let decoded = m.separators.decode(err8.raw_value()).to_string();
    assert_eq!(decoded, "a|b^c~d\\e&fg h");
    assert_eq!(field(&m, "MSH.9"), "ACK");
    assert_eq!(field(&m, "MSH.10"), "A\\F\\3");
    assert_eq!(
        (field(&m, "MSH.11"), field(&m, "MSH.12")),
        ("P".into(), "2.5".into())
    );
    assert_eq!(field(&m, "MSA.2"), "");
    assert_eq!(field(&m, "ERR.2"), "");
    assert_eq!(field(&m, "ERR.3.1"), "207");
}

#[test]
fn each_refusal_has_its_hl7_error_code() {
    let at = |segment, field| Some(place(segment, 1, field));
    let cases = [
        (AckCode::Ae, at("PID", 0), "missing segment PID (x)", 100),
        (AckCode::Ae, at("MSH", 10), "missing MSH-10 (x)", 101),
        (AckCode::Ae, at("PID", 7), "PID-7 is not a date", 102),
        (AckCode::Ar, at("MSH", 9), "message type", 200),
        (AckCode::Ar, at("MSH", 11), "processing", 202),
        (AckCode::Ar, at("MSH", 12), "version", 203),
        (AckCode::Ar, at("MSH", 18), "charset", 200),
        (AckCode::Ae, None, "database busy", 207),
    ];
    for (code, place, reason, number) in cases {
        let r = Refusal {
            code,
            place,
            reason: reason.into(),
        };
        assert_eq!(error_code(&r).0, number, "{reason}");
    }
}

#[test]
fn every_refusal_of_the_parser_is_acknowledged_with_msa_and_err() {
    let broken = [
        ORU_INR_ONLY.replace("|LAB-20261207-0001|", "||"),
        ORU_INR_ONLY.replace("ORU^R01", "ADT^A40"),
        "not hl7 at all".to_owned(),
        ORU_INR_ONLY.replace("\rPID|", "\rP|"),
    ];
    for text in broken {
        let r = parse(text.as_bytes(), Paris).expect_err("refused");
        let encoded = ack(
            read_header(text.as_bytes()).as_ref(),
            r.code,
            Some(&r),
            "X",
            dt("2026-12-07 08:31"),
        );
        let m = Message::parse(&encoded).expect("the ACK parses");
        assert_eq!(field(&m, "MSA.1"), r.code.as_str());
        assert_eq!(m.segment_count("ERR"), 1);
    }
}

proptest::proptest! {
    #[test]
    fn any_reason_gives_a_three_segment_ack(reason in ".{0,80}", control in ".{0,20}") {
        let r = Refusal { code: AckCode::Ar, place: Some(place("MSH", 1, 9)), reason };
        let encoded = ack(None, AckCode::Ar, Some(&r), &control, dt("2026-12-07 08:31"));
        let m = Message::parse(&encoded).expect("the ACK parses");
        proptest::prop_assert_eq!(m.segments.len(), 3);
        proptest::prop_assert_eq!(field(&m, "ERR.2"), "MSH^1^9");
    }
}
