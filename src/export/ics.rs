//! The validated programme as an iCalendar file (RFC 5545), for the
//! rooms' and operators' calendars: one VEVENT per event, at the local
//! wall-clock time of the hospital's zone (DTSTART;TZID=…), with the zone
//! described by a VTIMEZONE. An event keeps its UID from one export to the
//! next (`<external id>@ir-committee`); SEQUENCE goes up when it changes;
//! an event no longer in the programme is sent again as cancelled.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::{OffsetComponents, Tz};

use super::labels::labels;
use super::{CalendarEvent, Entry, Programme};
use crate::domain::message::Lang;

/// The event of a validated procedure, first export (sequence 0).
pub fn event_of(e: &Entry, lang: Lang) -> CalendarEvent {
    let l = labels(lang);
    let colon = match lang {
        Lang::Fr => " : ",
        Lang::En => ": ",
    };
    let mut lines = vec![
        format!("{}{colon}{}", l.target, e.target),
        format!("{}{colon}{}", l.anaesthesia, e.anaesthesia),
        format!("{}{colon}{}", l.operator, e.operator),
        format!(
            "{}{colon}{} — {}{colon}{} {}",
            l.ipp, e.patient.ipp, l.age, e.patient.age, l.years
        ),
    ];
    if !e.notes.is_empty() {
        lines.push(format!("{}{colon}{}", l.notes, e.notes.join(" / ")));
    }
    CalendarEvent {
        uid: format!("{}@ir-committee", e.external_id),
        sequence: 0,
        cancelled: false,
        start: e.start,
        end: e.end,
        summary: format!("{} — {}", e.technique, e.patient.name),
        location: e.room.clone(),
        description: lines.join("\n"),
    }
}

/// Writes `events` (exactly these: the caller adds the cancelled ones) as
/// a calendar in `p`'s zone; `stamp` is DTSTAMP. A zone name that is not
/// an IANA zone gives floating local times (no VTIMEZONE).
pub fn render(p: &Programme, events: &[CalendarEvent], stamp: DateTime<Utc>) -> String {
    let tz: Option<Tz> = p.timezone.parse().ok();
    let name = format!("{} {}", labels(p.lang).programme_title, p.week);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//ir-committee//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", text(&name)),
    ];
    if let Some(tz) = tz {
        lines.push(format!("X-WR-TIMEZONE:{}", text(tz.name())));
        let years = events.iter().flat_map(|e| [e.start.year(), e.end.year()]);
        let week_year = p.week.monday().year();
        let first = years.clone().min().unwrap_or(week_year);
        let last = years.max().unwrap_or(week_year);
        vtimezone(&mut lines, tz, first - 1, last + 1);
    }
    let when = |t: &NaiveDateTime| match tz {
        Some(tz) => format!(";TZID={}:{}", tz.name(), local(t)),
        None => format!(":{}", local(t)),
    };
    for e in events {
        let status = if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", text(&e.uid)),
            format!("SEQUENCE:{}", e.sequence),
            format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
            format!("DTSTART{}", when(&e.start)),
            format!("DTEND{}", when(&e.end)),
            format!("SUMMARY:{}", text(&e.summary)),
            format!("LOCATION:{}", text(&e.location)),
            format!("DESCRIPTION:{}", text(&e.description)),
            format!("STATUS:{status}"),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for l in &lines {
        fold(&mut out, l);
    }
    out
}

/// A local date-time, `YYYYMMDDTHHMMSS`.
fn local(t: &NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// Appends `line` folded (RFC 5545 §3.1): at most 75 octets a physical
/// line, never inside a UTF-8 character; continuations start with a space.
fn fold(out: &mut String, line: &str) {
    let (mut room, mut used) = (75, 0);
    for c in line.chars() {
        if used + c.len_utf8() > room {
            out.push_str("\r\n ");
            (room, used) = (74, 0);
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A TEXT value (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks escaped,
/// other control characters left out (a tab becomes a space).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The zone's offset at an instant: (total seconds, daylight-saving
/// seconds, abbreviation).
fn observance(tz: Tz, at: NaiveDateTime) -> (i32, i64, String) {
    let t = tz.from_utc_datetime(&at);
    let (fix, dst) = (t.offset().fix(), t.offset().dst_offset());
    (
        fix.local_minus_utc(),
        dst.num_seconds(),
        t.format("%Z").to_string(),
    )
}

/// The VTIMEZONE of `tz` from the start of `first` to the end of `last`:
/// the observance in force at the start, then one per change (found hour
/// by hour, then to the second), its DTSTART the local time of the change
/// in the offset it ends.
fn vtimezone(lines: &mut Vec<String>, tz: Tz, first: i32, last: i32) {
    let year_start = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
    let from = year_start(first).and_time(NaiveTime::MIN);
    let to = year_start(last.saturating_add(1)).and_time(NaiveTime::MIN);
    lines.extend([
        "BEGIN:VTIMEZONE".to_owned(),
        format!("TZID:{}", text(tz.name())),
    ]);
    let mut current = observance(tz, from);
    let secs = |s: i32| Duration::seconds(i64::from(s));
    lines.extend(sub_component(from + secs(current.0), current.0, &current));
    let mut t = from;
    while t < to {
        let next = t + Duration::hours(1);
        if observance(tz, next) != current {
            // The first second in (t, next] with the new observance.
            let seconds: Vec<i64> = (1..=3600).collect();
            let k =
                seconds.partition_point(|s| observance(tz, t + Duration::seconds(*s)) == current);
            let at = t + Duration::seconds(seconds[k.min(3599)]);
            let new = observance(tz, at);
            lines.extend(sub_component(at + secs(current.0), current.0, &new));
            current = new;
        }
        t = next;
    }
    lines.push("END:VTIMEZONE".to_owned());
}

fn sub_component(start: NaiveDateTime, from: i32, to: &(i32, i64, String)) -> [String; 6] {
    let kind = if to.1 == 0 { "STANDARD" } else { "DAYLIGHT" };
    [
        format!("BEGIN:{kind}"),
        format!("DTSTART:{}", local(&start)),
        format!("TZOFFSETFROM:{}", utc_offset(from)),
        format!("TZOFFSETTO:{}", utc_offset(to.0)),
        format!("TZNAME:{}", text(&to.2)),
        format!("END:{kind}"),
    ]
}

/// `+HHMM`, or `+HHMMSS` when the offset has seconds (RFC 5545 §3.3.14).
fn utc_offset(s: i32) -> String {
    let (sign, a) = (if s < 0 { '-' } else { '+' }, s.unsigned_abs());
    let hhmm = format!("{sign}{:02}{:02}", a / 3600, a / 60 % 60);
    if a % 60 == 0 {
        hhmm
    } else {
        format!("{hhmm}{:02}", a % 60)
    }
}

#[cfg(test)]
mod tests {
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
        let (t, a, o, n) = (&x.target, &x.anaesthesia, &x.operator, x.notes.join(" / "));
        let (ipp, age) = (&x.patient.ipp, x.patient.age);
        let want = format!(
            "Target: {t}\nAnaesthesia: {a}\nOperator: {o}\nIPP: {ipp} — Age: {age} y\nNotes: {n}"
        );
        assert_eq!(e.description, want);
        let fr = event_of(&p.validated[0], Lang::Fr);
        assert!(fr.description.starts_with("Cible : ") && !fr.description.contains("Notes"));
    }
}
