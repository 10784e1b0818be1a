//! Malformed messages, one per segment and field: refused (AE/AR) at
//! their place, never quoting patient data.

use super::tests::{ADT_A08, ORU_INR_ONLY, SIU_S12, place, refusal, replace_segment};
use super::*;

#[test]
fn malformed_messages_are_refused_at_their_place_without_patient_data() {
    let inr = ORU_INR_ONLY;
    let pid_with = |f: &dyn Fn(&mut Vec<String>)| {
        let pid = inr
            .split('\r')
            .find(|s| s.starts_with("PID|"))
            .expect("PID");
        let mut fields: Vec<String> = pid.split('|').map(str::to_owned).collect();
        f(&mut fields);
        replace_segment(inr, "PID|", &fields.join("|"))
    };
    let only_ins = pid_with(&|f| f[3] = f[3].split('~').nth(1).unwrap_or("").to_owned());
    let two_pid = inr.replace(
        "\rPV1|",
        &format!("\r{}\rPV1|", inr.split('\r').nth(1).unwrap_or("")),
    );
    use AckCode::{Ae, Ar};
    let cases: Vec<(&str, String, AckCode, Option<Place>)> = vec![
        (
            "no MSH-10",
            inr.replace("|LAB-20261207-0001|", "||"),
            Ae,
            Some(place("MSH", 1, 10)),
        ),
        (
            "no MSH-9",
            inr.replace("|ORU^R01^ORU_R01|", "||"),
            Ae,
            Some(place("MSH", 1, 9)),
        ),
        (
            "no MSH-12",
            inr.replace("|P|2.5|", "|P||"),
            Ae,
            Some(place("MSH", 1, 12)),
        ),
        (
            "version 3",
            inr.replace("|P|2.5|", "|P|3.0|"),
            Ar,
            Some(place("MSH", 1, 12)),
        ),
        (
            "no PID",
            replace_segment(inr, "PID|", ""),
            Ae,
            Some(place("PID", 1, 0)),
        ),
        ("two PID", two_pid, Ar, Some(place("PID", 2, 0))),
        (
            "no PID-3",
            pid_with(&|f| f[3].clear()),
            Ae,
            Some(place("PID", 1, 3)),
        ),
        ("PID-3 INS only", only_ins, Ae, Some(place("PID", 1, 3))),
        (
            "no PID-5",
            pid_with(&|f| f[5].clear()),
            Ae,
            Some(place("PID", 1, 5)),
        ),
        (
            "no PID-7",
            pid_with(&|f| f[7].clear()),
            Ae,
            Some(place("PID", 1, 7)),
        ),
        (
            "ISO PID-7",
            pid_with(&|f| f[7] = "1952-03-14".into()),
            Ae,
            Some(place("PID", 1, 7)),
        ),
        (
            "year PID-7",
            pid_with(&|f| f[7] = "1952".into()),
            Ae,
            Some(place("PID", 1, 7)),
        ),
        (
            "Feb 30",
            pid_with(&|f| f[7] = "19520230".into()),
            Ae,
            Some(place("PID", 1, 7)),
        ),
        (
            "SCH no id",
            SIU_S12.replace("SCH|PLAC-789^IRCOMMITTEE|RDV-55501^AGENDA|", "SCH|||"),
            Ae,
            Some(place("SCH", 1, 2)),
        ),
        (
            "no SCH",
            replace_segment(SIU_S12, "SCH|", ""),
            Ae,
            Some(place("SCH", 1, 0)),
        ),
        (
            "bad AIS-4",
            SIU_S12.replace(
                "|20261214093000|||45|min|||Booked",
                "|14/12/2026|||45|min|||Booked",
            ),
            Ae,
            Some(place("AIS", 1, 4)),
        ),
        (
            "day AIS-4",
            SIU_S12.replace(
                "|20261214093000|||45|min|||Booked",
                "|20261214|||45|min|||Booked",
            ),
            Ae,
            Some(place("AIS", 1, 4)),
        ),
        (
            "two messages",
            format!("{inr}\r{SIU_S12}"),
            Ar,
            Some(place("MSH", 2, 0)),
        ),
        (
            "batch",
            format!("FHS|^~\\&|GLIMS\rBHS|^~\\&|GLIMS\r{inr}\rBTS|1\rFTS|1"),
            Ar,
            Some(place("FHS", 1, 0)),
        ),
        (
            "SIU no PID",
            replace_segment(SIU_S12, "PID|", ""),
            Ae,
            Some(place("PID", 1, 0)),
        ),
        (
            "ADT no PID",
            replace_segment(ADT_A08, "PID|", ""),
            Ae,
            Some(place("PID", 1, 0)),
        ),
        (
            "ORM",
            inr.replace("ORU^R01^ORU_R01", "ORM^O01"),
            Ar,
            Some(place("MSH", 1, 9)),
        ),
        (
            "ORU^R30",
            inr.replace("ORU^R01^ORU_R01", "ORU^R30"),
            Ar,
            Some(place("MSH", 1, 9)),
        ),
        (
            "SIU^S16",
            SIU_S12.replace("SIU^S12^", "SIU^S16^"),
            Ar,
            Some(place("MSH", 1, 9)),
        ),
        (
            "ADT^A01",
            ADT_A08.replace("ADT^A08^", "ADT^A01^"),
            Ar,
            Some(place("MSH", 1, 9)),
        ),
        (
            "no MSH",
            replace_segment(inr, "MSH|", ""),
            Ae,
            Some(place("MSH", 1, 0)),
        ),
        ("empty", String::new(), Ae, Some(place("MSH", 1, 0))),
        ("short MSH", "MSH|^~".into(), Ae, Some(place("MSH", 1, 2))),
        (
            "same separators",
            inr.replacen("MSH|^~\\&", "MSH|^^\\&", 1),
            Ae,
            Some(place("MSH", 1, 2)),
        ),
        (
            "letters",
            inr.replacen("MSH|^~\\&", "MSH|a~\\&", 1),
            Ae,
            Some(place("MSH", 1, 2)),
        ),
        (
            "bad segment",
            inr.replace("\rPV1|", "\rP|garbage\rPV1|"),
            Ae,
            None,
        ),
        (
            "charset",
            inr.replace("UNICODE UTF-8", "8859/15"),
            Ar,
            Some(place("MSH", 1, 18)),
        ),
    ];
    for (name, text, code, at) in cases {
        let r = refusal(text.as_bytes());
        assert_eq!((r.code, &r.place), (code, &at), "{name}: {}", r.reason);
        for private in [
            "DUPONT",
            "MARTIN",
            "Hélène",
            "123456",
            "252037512345678",
            "1952",
            "Nantes",
        ] {
            assert!(!r.reason.contains(private), "{name}: {}", r.reason);
        }
    }
}
