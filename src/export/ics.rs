//! The validated programme as an iCalendar file (RFC 5545), for the
//! rooms' and operators' calendars: one VEVENT per event, at the local
//! wall-clock time of the hospital's zone (DTSTART;TZID=…), with the zone
//! described by a VTIMEZONE. An event keeps its UID from one export to the
//! next (`<external id>@ir-committee`); SEQUENCE goes up when it changes;
//! an event no longer in the programme is sent again as cancelled. A case
//! validated by override, or validated and blocking since, says so first
//! in its description and in an `X-IR-COMMITTEE-ALERT` property.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::{OffsetComponents, Tz};

use super::{CalendarEvent, Entry, Programme};
use crate::domain::message::Lang;
use crate::text::export::labels;

/// The event of a validated procedure, first export (sequence 0).
pub fn event_of(e: &Entry, lang: Lang) -> CalendarEvent {
    let l = labels(lang);
    let colon = crate::text::export::colon(lang);
    let alert = crate::text::export::alert(lang, e);
    let mut lines: Vec<String> = alert.iter().cloned().collect();
    lines.extend([
        format!("{}{colon}{}", l.target, e.target),
        format!("{}{colon}{}", l.anaesthesia, e.anaesthesia),
        format!("{}{colon}{}", l.operator, e.operator),
        format!(
            "{}{colon}{} — {}{colon}{} {}",
            l.ipp, e.patient.ipp, l.age, e.patient.age, l.years
        ),
    ]);
    if !e.notes.is_empty() {
        // Each note on its own lines, its line breaks kept.
        lines.push(format!("{}{colon}{}", l.notes, e.notes.join("\n")));
    }
    let ward = crate::text::export::ward_lines(lang, &e.ward);
    if !ward.is_empty() {
        // The ward instructions, one a line.
        lines.push(format!("{}{colon}{}", l.col_ward, ward.join("\n")));
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
        alert,
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
        // The protocol version that judged the week (a calendar that does
        // not know the property ignores it).
        format!("X-IR-COMMITTEE-PROTOCOL:{}", text(&p.protocol.line)),
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
        ]);
        if let Some(a) = &e.alert {
            lines.push(format!("X-IR-COMMITTEE-ALERT:{}", text(a)));
        }
        lines.push("END:VEVENT".to_owned());
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
#[path = "ics_tests.rs"]
mod tests;
