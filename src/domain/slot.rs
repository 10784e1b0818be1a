//! A new slot for a postponed case (issue 14 §3): its date, time and room
//! as a person types them, on the screen or the command line, read and
//! checked against the same bounds as a slot a file sends
//! (`import::validate`): the day within ten years of today
//! (`bounds::check_procedure_date`) and not before the patient's birth, the
//! room one line of visible text of at most [`MAX_LINE_CHARS`]. The app
//! keeps no list of rooms: a room is free text, as the scheduling files
//! send it. Dates are read as the forms read them
//! (`edit::field::iso_when`): ISO always; in French also `15/12/2026`,
//! `15/12` (the nearest 15 December) and `aujourd'hui`. Pure.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::bounds;
use super::edit::{MAX_LINE_CHARS, iso_when};
use super::message::Lang;
use super::text::{is_blank, sanitize_line};
use super::time::{When, parse_datetime};

/// Where a case now takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Local wall-clock time.
    pub at: NaiveDateTime,
    pub room: String,
}

/// Which part of a slot a refusal is about (the screen shows it beside
/// that field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Date,
    Time,
    Room,
}

/// Why a typed slot is refused. `crate::text::reschedule` words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotError {
    DateRequired,
    /// Not a date in any accepted form, or no such day.
    NotADate,
    TimeRequired,
    /// Not `HH:MM` (or `9:30`, `9h30`, `14h`), or no such time.
    NotATime,
    /// More than ten years before or after today.
    OutOfRange {
        earliest: NaiveDate,
        latest: NaiveDate,
    },
    /// Before the patient was born.
    BeforeBirth {
        birth: NaiveDate,
    },
    RoomRequired,
    RoomTooLong {
        chars: usize,
        max: usize,
    },
}

impl SlotError {
    pub fn part(&self) -> Part {
        match self {
            SlotError::DateRequired
            | SlotError::NotADate
            | SlotError::OutOfRange { .. }
            | SlotError::BeforeBirth { .. } => Part::Date,
            SlotError::TimeRequired | SlotError::NotATime => Part::Time,
            SlotError::RoomRequired | SlotError::RoomTooLong { .. } => Part::Room,
        }
    }
}

/// A day as typed (see the module's forms).
pub fn read_date(text: &str, lang: Lang, today: NaiveDate) -> Result<NaiveDate, SlotError> {
    if is_blank(text) {
        return Err(SlotError::DateRequired);
    }
    match When::parse(&iso_when(text, lang, today)) {
        Ok(When::Date(d)) => Ok(d),
        _ => Err(SlotError::NotADate),
    }
}

/// A time of day as typed: `09:00`, `9:00`, `9h00`, `9h` (hours 0–23,
/// minutes two digits).
pub fn read_time(text: &str) -> Result<NaiveTime, SlotError> {
    if is_blank(text) {
        return Err(SlotError::TimeRequired);
    }
    let t = text.trim().to_lowercase();
    let (h, m) = match t.split_once([':', 'h']) {
        Some((h, "")) if t.ends_with('h') => (h, "00"),
        Some((h, m)) => (h, m),
        None => return Err(SlotError::NotATime),
    };
    let digits =
        |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h, &[1, 2]) || !digits(m, &[2]) {
        return Err(SlotError::NotATime);
    }
    let (h, m) = (h.parse().ok(), m.parse().ok());
    h.zip(m)
        .and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0))
        .ok_or(SlotError::NotATime)
}

/// A date and a time in one text (the command line's `--at`):
/// `2026-12-15T09:00`, or a day as [`read_date`] reads it, a space and a
/// time as [`read_time`] reads it (`15/12/2026 09:00`, `15/12 9h30`).
pub fn read_at(text: &str, lang: Lang, today: NaiveDate) -> Result<NaiveDateTime, SlotError> {
    if is_blank(text) {
        return Err(SlotError::DateRequired);
    }
    if let Ok(at) = parse_datetime(text) {
        return Ok(at);
    }
    let text = text.trim();
    match text.rsplit_once(char::is_whitespace) {
        Some((day, time)) => {
            let day = read_date(day, lang, today)?;
            Ok(day.and_time(read_time(time)?))
        }
        None => {
            read_date(text, lang, today)?;
            Err(SlotError::TimeRequired)
        }
    }
}

/// A room as typed: one line, cleaned (NFC, no control characters).
pub fn read_room(text: &str) -> Result<String, SlotError> {
    let room = sanitize_line(text);
    if room.is_empty() {
        return Err(SlotError::RoomRequired);
    }
    let chars = room.chars().count();
    if chars > MAX_LINE_CHARS {
        return Err(SlotError::RoomTooLong {
            chars,
            max: MAX_LINE_CHARS,
        });
    }
    Ok(room)
}

/// Checks a slot's day as an imported one is checked: within ten years of
/// `today`, not before `birth`.
pub fn check(at: NaiveDateTime, today: NaiveDate, birth: NaiveDate) -> Result<(), SlotError> {
    if let Err(e) = bounds::check_procedure_date(at.date(), today) {
        return Err(SlotError::OutOfRange {
            earliest: e.earliest,
            latest: e.latest,
        });
    }
    if at.date() < birth {
        return Err(SlotError::BeforeBirth { birth });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        day(y, m, d).and_hms_opt(h, min, 0).expect("time")
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 3);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn the_command_lines_at_in_each_language() {
        use SlotError::*;
        let table: [(&str, Lang, Result<NaiveDateTime, SlotError>); 16] = [
            ("2026-12-15T09:00", Lang::En, Ok(at(2026, 12, 15, 9, 0))),
            ("2026-12-15 09:00", Lang::Fr, Ok(at(2026, 12, 15, 9, 0))),
            ("2026-12-15 9h30", Lang::Fr, Ok(at(2026, 12, 15, 9, 30))),
            ("15/12/2026 09:00", Lang::Fr, Ok(at(2026, 12, 15, 9, 0))),
            ("15/12 14h", Lang::Fr, Ok(at(2026, 12, 15, 14, 0))),
            // The nearest 10 January to 3 December 2026 is in 2027.
            ("10/01 08:15", Lang::Fr, Ok(at(2027, 1, 10, 8, 15))),
            ("aujourd'hui 16:00", Lang::Fr, Ok(at(2026, 12, 3, 16, 0))),
            ("today 16:00", Lang::En, Ok(at(2026, 12, 3, 16, 0))),
            // Day first is French only: in English it is not a date.
            ("15/12/2026 09:00", Lang::En, Err(NotADate)),
            ("2026-12-15", Lang::En, Err(TimeRequired)),
            ("15/12/2026", Lang::Fr, Err(TimeRequired)),
            ("2026-12-15 25:00", Lang::En, Err(NotATime)),
            ("2026-12-15 9:5", Lang::En, Err(NotATime)),
            ("2026-02-30 09:00", Lang::En, Err(NotADate)),
            ("demain 09:00", Lang::Fr, Err(NotADate)),
            (" \u{200b} ", Lang::Fr, Err(DateRequired)),
        ];
        for (text, lang, want) in table {
            assert_eq!(read_at(text, lang, today()), want, "{text:?} {lang:?}");
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn times_as_people_type_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        let table: [(&str, Result<NaiveTime, SlotError>); 10] = [
            ("09:00", Ok(t(9, 0))),
            ("9:00", Ok(t(9, 0))),
            ("9h00", Ok(t(9, 0))),
            ("14H30", Ok(t(14, 30))),
            ("9h", Ok(t(9, 0))),
            ("23:59", Ok(t(23, 59))),
            ("24:00", Err(SlotError::NotATime)),
            ("9", Err(SlotError::NotATime)),
            ("009:00", Err(SlotError::NotATime)),
            ("", Err(SlotError::TimeRequired)),
        ];
        for (text, want) in table {
            assert_eq!(read_time(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_room_is_one_clean_line() {
        assert_eq!(read_room("  Salle\u{7} 2 "), Ok("Salle 2".to_owned()));
        assert_eq!(read_room("\u{200b}"), Err(SlotError::RoomRequired));
        let long = "x".repeat(MAX_LINE_CHARS + 1);
        assert_eq!(
            read_room(&long),
            Err(SlotError::RoomTooLong {
                chars: MAX_LINE_CHARS + 1,
                max: MAX_LINE_CHARS
            })
        );
        assert!(read_room(&"x".repeat(MAX_LINE_CHARS)).is_ok());
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn the_same_bounds_as_an_imported_slot() {
        let birth = day(1950, 6, 1);
        let table = [
            ("ten years ahead", at(2036, 12, 3, 9, 0), true),
            ("a day more", at(2036, 12, 4, 9, 0), false),
            ("ten years before", at(2016, 12, 3, 9, 0), true),
            ("a day less", at(2016, 12, 2, 9, 0), false),
        ];
        for (label, when, ok) in table {
            assert_eq!(check(when, today(), birth).is_ok(), ok, "{label}");
        }
        let young = day(2020, 1, 1);
        assert_eq!(
            check(at(2019, 12, 31, 9, 0), today(), young),
            Err(SlotError::BeforeBirth { birth: young })
        );
        let err = check(at(2040, 1, 1, 9, 0), today(), birth).expect_err("far");
        assert_eq!(err.part(), Part::Date);
    }
}
