//! Tests of `ics.rs`: the calendar read back by the `icalendar` parser.

use icalendar::parser::{Calendar, Component, read_calendar, unfold};

use super::*;
use crate::export::testkit::{events, programme};

fn stamp() -> DateTime<Utc> {
    "2026-11-26T16:00:00Z".parse().expect("stamp")
}

/// Unfolds and parses (the text is leaked: tests only).
fn parsed(out: &str) -> Calendar<'static> {
    read_calendar(Box::leak(unfold(out).into_boxed_str())).expect("parses")
}

fn prop<'a>(c: &'a Component<'_>, name: &str) -> &'a str {
    c.find_prop(name).map_or("", |p| p.val.as_str())
}

fn tzid<'a>(c: &'a Component<'_>, name: &str) -> Option<&'a str> {
    let t = c.find_prop(name)?.params.iter().find(|x| x.key == "TZID")?;
    t.val.as_ref().map(|v| v.as_str())
}

fn named<'a>(list: &'a [Component<'a>], name: &str) -> Vec<&'a Component<'a>> {
    list.iter().filter(|c| c.name == name).collect()
}

#[test]
fn ics_one_vevent_per_event_folded_at_75_octets_crlf() {
    let p = programme(Lang::Fr, false, false);
    let evs = events(&p);
    let out = render(&p, &evs, stamp());
    let body = out
        .strip_suffix("END:VCALENDAR\r\n")
        .expect("crlf at the end");
    for line in body.split_terminator("\r\n") {
        assert!(line.len() <= 75 && !line.contains(['\r', '\n']), "{line:?}");
    }
    assert!(out.contains("\r\n "), "something is folded");
    let cal = parsed(&out);
    let head: Vec<String> = cal
        .properties
        .iter()
        .map(|x| format!("{}:{}", x.name, x.val))
        .collect();
    let want = [
        "VERSION:2.0",
        "PRODID:-//ir-committee//EN",
        "CALSCALE:GREGORIAN",
    ];
    let want2 = ["METHOD:PUBLISH", "X-WR-CALNAME:Programme validé 2026-W49"];
    assert!(
        want.iter()
            .chain(&want2)
            .all(|w| head.iter().any(|h| h == w)),
        "{head:?}"
    );
    let got = named(&cal.components, "VEVENT");
    assert_eq!(got.len(), p.validated.len());
    assert_eq!(evs.len(), p.validated.len());
    for ((c, e), entry) in got.iter().zip(&evs).zip(&p.validated) {
        let uid = format!("{}@ir-committee", entry.external_id);
        assert_eq!(prop(c, "UID"), uid);
        assert_eq!(prop(c, "SEQUENCE"), "0");
        assert_eq!(prop(c, "DTSTAMP"), "20261126T160000Z");
        assert_eq!(prop(c, "DTSTART"), local(&entry.start));
        assert_eq!(prop(c, "DTEND"), local(&entry.end));
        assert_eq!(tzid(c, "DTSTART"), Some("Europe/Paris"));
        assert_eq!(tzid(c, "DTEND"), Some("Europe/Paris"));
        let summary = format!("{} — {}", entry.technique, entry.patient.name);
        assert_eq!(prop(c, "SUMMARY"), summary);
        assert_eq!(prop(c, "LOCATION"), entry.room);
        assert_eq!(prop(c, "DESCRIPTION"), e.description);
        assert_eq!(prop(c, "STATUS"), "CONFIRMED");
    }
    assert!(got.iter().any(|c| prop(c, "LOCATION") == "Salle 1; \"B\""));
    assert!(
        got.iter()
            .any(|c| prop(c, "DESCRIPTION").contains("<i>before</i>"))
    );
}

#[test]
fn ics_cancelled_event_is_sent_as_cancelled() {
    let p = programme(Lang::En, false, false);
    let mut evs = events(&p);
    (evs[0].cancelled, evs[0].sequence) = (true, 3);
    let cal = parsed(&render(&p, &evs, stamp()));
    let got = named(&cal.components, "VEVENT");
    assert_eq!(
        (prop(got[0], "STATUS"), prop(got[0], "SEQUENCE")),
        ("CANCELLED", "3")
    );
    assert!(got[1..].iter().all(|c| prop(c, "STATUS") == "CONFIRMED"));
    // Exactly the events given, none read from the programme.
    let only = render(&p, &evs[..1], stamp());
    assert_eq!(only.matches("BEGIN:VEVENT").count(), 1);
}

#[test]
fn ics_folding_round_trips_long_accented_text() {
    let p = programme(Lang::Fr, false, false);
    let mut e = events(&p).remove(0);
    e.description = "Ponction évacuatrice — « hématome » sous-capsulaire 🩻🫀 ".repeat(12)
        + "\nSecond line: é, è; à\\fin 👩🏽‍⚕️";
    e.summary = "é".repeat(100);
    let out = render(&p, std::slice::from_ref(&e), stamp());
    assert!(out.split("\r\n").all(|line| line.len() <= 75));
    let cal = parsed(&out);
    let c = named(&cal.components, "VEVENT")[0];
    assert_eq!(prop(c, "DESCRIPTION"), e.description);
    assert_eq!(prop(c, "SUMMARY"), e.summary);
}

#[test]
fn ics_escapes_text_and_strips_control_characters() {
    assert_eq!(text("a,b;c\\d\ne\r\nf\rg"), "a\\,b\\;c\\\\d\\ne\\nf\\ng");
    assert_eq!(text("bell\u{7}\u{1b}[31m\tx\u{85}"), "bell[31m x");
    let p = programme(Lang::En, false, false);
    let mut e = events(&p).remove(0);
    e.summary = "Drain, left; \\\\server\\share\nline 2\u{0}".into();
    let out = render(&p, std::slice::from_ref(&e), stamp());
    assert!(out.contains("SUMMARY:Drain\\, left\\; \\\\\\\\server\\\\share\\nline 2\r\n"));
    let cal = parsed(&out);
    let back = prop(named(&cal.components, "VEVENT")[0], "SUMMARY");
    assert_eq!(back, "Drain, left; \\\\server\\share\nline 2");
}

/// The zone's id and observances (kind, DTSTART, from, to, name).
fn zone(out: &str) -> (String, Vec<[String; 5]>) {
    let cal = parsed(out);
    let vtz = named(&cal.components, "VTIMEZONE")[0];
    let keys = ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME"];
    let obs = vtz.components.iter().map(|c| {
        let [a, b, c2, d] = keys.map(|k| prop(c, k).to_owned());
        [c.name.to_string(), a, b, c2, d]
    });
    (prop(vtz, "TZID").to_owned(), obs.collect())
}

#[test]
fn ics_paris_vtimezone_has_the_2026_changes() {
    let p = programme(Lang::En, false, false);
    let (id, obs) = zone(&render(&p, &events(&p), stamp()));
    assert_eq!(id, "Europe/Paris");
    for want in [
        ["DAYLIGHT", "20260329T020000", "+0100", "+0200", "CEST"],
        ["STANDARD", "20261025T030000", "+0200", "+0100", "CET"],
    ] {
        assert!(
            obs.iter().any(|o| o == &want.map(str::to_owned)),
            "{want:?} in {obs:?}"
        );
    }
    // 2025 to 2027: the observance of 1 January 2025, then two changes a year.
    assert_eq!(obs.len(), 7);
    let first = ["STANDARD", "20250101T010000", "+0100", "+0100", "CET"];
    assert_eq!(obs[0], first.map(str::to_owned));
}

#[test]
fn ics_fixed_or_unknown_zone() {
    let mut p = programme(Lang::En, false, false);
    let e = event_of(&p.validated[0], p.lang);
    p.timezone = "Asia/Tokyo".into();
    let (id, obs) = zone(&render(&p, std::slice::from_ref(&e), stamp()));
    assert_eq!(id, "Asia/Tokyo");
    assert_eq!(
        obs,
        [["STANDARD", "20250101T090000", "+0900", "+0900", "JST"].map(str::to_owned)]
    );
    assert_eq!(
        (utc_offset(-12600), utc_offset(561)),
        ("-0330".into(), "+000921".into())
    );
    p.timezone = "Mars/Olympus".into();
    let out = render(&p, &[e], stamp());
    assert!(!out.contains("VTIMEZONE") && !out.contains("TZID"));
    let start = local(&p.validated[0].start);
    assert!(out.contains(&format!("\r\nDTSTART:{start}\r\n")));
}

#[test]
fn ics_event_of_describes_the_case() {
    let p = programme(Lang::En, false, false);
    let x = p
        .validated
        .iter()
        .find(|e| !e.notes.is_empty())
        .expect("a note");
    let e = event_of(x, Lang::En);
    assert_eq!(e.uid, format!("{}@ir-committee", x.external_id));
    assert_eq!(
        (e.sequence, e.cancelled, e.start, e.end),
        (0, false, x.start, x.end)
    );
    assert_eq!(e.location, x.room);
    let (t, a, o, n) = (&x.target, &x.anaesthesia, &x.operator, x.notes.join("\n"));
    let (ipp, age) = (&x.patient.ipp, x.patient.age);
    // The fixture's case with notes was validated and is blocking now.
    assert_eq!(x.now_blocking, [crate::domain::rules::Item::Imaging]);
    let mut want = format!(
        "VALIDATED BUT NOW BLOCKING: imaging\nTarget: {t}\nAnaesthesia: {a}\nOperator: {o}\n\
         IPP: {ipp} — Age: {age} y\nNotes: {n}"
    );
    // Then the ward instructions, one a line.
    let ward = crate::text::export::ward_lines(Lang::En, &x.ward);
    if !ward.is_empty() {
        want.push_str(&format!("\nWard instructions: {}", ward.join("\n")));
    }
    assert_eq!(e.description, want);
    assert_eq!(
        e.alert.as_deref(),
        Some("VALIDATED BUT NOW BLOCKING: imaging")
    );
    // Notes keep their line breaks.
    assert!(
        e.description
            .contains("Iodine allergy\n- premedication | per protocol\nin the ward")
    );
    let plain = p
        .validated
        .iter()
        .find(|e| !e.overridden && e.now_blocking.is_empty() && e.notes.is_empty())
        .expect("a plainly validated case");
    let fr = event_of(plain, Lang::Fr);
    assert!(fr.description.starts_with("Cible\u{a0}: ") && !fr.description.contains("Notes"));
    assert_eq!(fr.alert, None);
}

/// The VEVENT of each validated procedure, parsed back, with its entry.
fn parsed_events(p: &Programme) -> Vec<(Entry, std::collections::HashMap<String, String>)> {
    let cal = parsed(&render(p, &events(p), stamp()));
    let got = named(&cal.components, "VEVENT");
    assert_eq!(got.len(), p.validated.len());
    got.iter()
        .zip(&p.validated)
        .map(|(c, e)| {
            let props = c
                .properties
                .iter()
                .map(|x| (x.name.to_string(), x.val.to_string()))
                .collect();
            (e.clone(), props)
        })
        .collect()
}

#[test]
fn ics_says_validated_by_override_and_now_blocking() {
    let p = programme(Lang::En, false, false);
    let (mut overrides, mut blocking, mut plain) = (0, 0, 0);
    for (e, props) in parsed_events(&p) {
        let alert = props.get("X-IR-COMMITTEE-ALERT").map(String::as_str);
        let description = &props["DESCRIPTION"];
        if e.overridden {
            overrides += 1;
            let want = "VALIDATED BY OVERRIDE: \
                        INR of the day before checked by <b>Dr Martin</b> & team";
            assert_eq!(alert, Some(want));
            assert!(
                description.starts_with(&format!("{want}\n")),
                "{description}"
            );
        } else if !e.now_blocking.is_empty() {
            blocking += 1;
            let a = alert.expect("an alert");
            assert!(a.starts_with("VALIDATED BUT NOW BLOCKING: "), "{a}");
            for i in &e.now_blocking {
                assert!(a.contains(crate::text::words::item(Lang::En, *i)), "{a}");
            }
            assert!(description.starts_with(a));
        } else {
            plain += 1;
            assert_eq!(alert, None);
            assert!(description.starts_with("Target: "));
        }
    }
    assert!(overrides == 1 && blocking >= 1 && plain >= 1);
}

#[test]
fn ics_pseudonymised_alert_has_no_justification() {
    let p = programme(Lang::Fr, true, false);
    let out = render(&p, &events(&p), stamp());
    assert!(!out.contains("Dr Martin</b>") && !out.contains("INR of the day"));
    let alerts: Vec<String> = parsed_events(&p)
        .into_iter()
        .filter(|(e, _)| e.overridden)
        .map(|(_, props)| props["X-IR-COMMITTEE-ALERT"].clone())
        .collect();
    assert_eq!(alerts, ["VALIDÉ PAR DÉROGATION"]);
}
