//! Reading a message: bytes to text (UTF-8, else ISO-8859-1 as MSH-18
//! allows), the `hl7-parser` structure, and values out of it, each one
//! unescaped and cleaned like any untrusted text. Refusals name the place.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use hl7_parser::Message;
use hl7_parser::datetime::TimeStamp;
use hl7_parser::message::{Repeat, Segment, Separators};

use super::types::{AckCode, Place, Refusal};
use crate::domain::text::sanitize_line;
use crate::domain::time::When;

/// The ISO-IR or HL7 names (MSH-18) of the character sets read here.
const LATIN1: &str = "8859/1";
const UTF8: &str = "UNICODE UTF-8";
const ASCII: &str = "ASCII";

/// A value of the message quoted in a reason or a set-aside: its first 24
/// characters (a sender's mistake never floods a log line or an ACK).
pub fn short(value: &str) -> String {
    const MAX: usize = 24;
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}...", &value[..end]),
        None => value.to_owned(),
    }
}

/// A refusal at `segment`(`sequence`)-`field`.
pub fn refuse(
    code: AckCode,
    segment: &str,
    sequence: usize,
    field: usize,
    reason: String,
) -> Refusal {
    Refusal {
        code,
        place: Some(Place {
            segment: segment.to_owned(),
            sequence,
            field,
        }),
        reason,
    }
}

/// A required field left empty (ERR-3 101 in the ACK): the reason starts
/// with "missing", the convention `ack` reads.
pub fn missing(segment: &str, sequence: usize, field: usize, what: &str) -> Refusal {
    let reason = if field == 0 {
        format!("missing segment {segment} ({what})")
    } else {
        format!("missing {segment}-{field} ({what})")
    };
    refuse(AckCode::Ae, segment, sequence, field, reason)
}

/// A field that is present but unreadable (ERR-3 102).
pub fn invalid(segment: &str, sequence: usize, field: usize, what: &str) -> Refusal {
    let reason = format!("{segment}-{field} is not {what}");
    refuse(AckCode::Ae, segment, sequence, field, reason)
}

/// The message's text: segments separated by single CRs (runs of CR and
/// LF, blank lines among them, become one CR), without a leading byte-order
/// mark or blank lines, decoded from UTF-8 or, when it is not valid UTF-8
/// and MSH-18 names ISO-8859-1 or nothing, from ISO-8859-1.
pub fn decode(raw: &[u8]) -> Result<String, Refusal> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let text = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            // Each byte of ISO-8859-1 is the code point of the same number.
            let latin1: String = raw.iter().map(|&b| char::from(b)).collect();
            let normal = normalise_lines(&latin1);
            let charset = Message::parse(&normal)
                .ok()
                .and_then(|m| first_text(&m, "MSH", 18))
                .unwrap_or_default();
            if !(charset.is_empty() || charset == LATIN1) {
                return Err(refuse(
                    AckCode::Ae,
                    "MSH",
                    1,
                    18,
                    format!(
                        "the message is not valid {} (MSH-18 {})",
                        name_of(&charset),
                        short(&charset)
                    ),
                ));
            }
            latin1
        }
    };
    Ok(normalise_lines(&text))
}

/// The text as far as it can be read, for an ACK's header: decoded as
/// [`decode`] does, else byte for byte as ISO-8859-1.
pub fn lossy_text(raw: &[u8]) -> String {
    decode(raw).unwrap_or_else(|_| {
        normalise_lines(&raw.iter().map(|&b| char::from(b)).collect::<String>())
    })
}

fn name_of(charset: &str) -> &str {
    if charset == UTF8 {
        "UTF-8"
    } else {
        "text in that character set"
    }
}

/// Runs of CR and LF become one CR; leading ones and blanks are dropped;
/// the text ends without a separator.
fn normalise_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split(['\r', '\n']) {
        if line.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\r');
        }
        out.push_str(line);
    }
    out
}

/// The character sets taken (MSH-18): none named, ASCII, ISO-8859-1, UTF-8;
/// any name for a message that is all ASCII.
pub fn check_charset(message: &Message) -> Result<(), Refusal> {
    let charset = first_text(message, "MSH", 18).unwrap_or_default();
    if message.raw_value().is_ascii()
        || charset.is_empty()
        || [ASCII, LATIN1, UTF8].contains(&charset.as_str())
    {
        return Ok(());
    }
    Err(refuse(
        AckCode::Ar,
        "MSH",
        1,
        18,
        format!(
            "character set {} is not taken (ASCII, 8859/1 or UNICODE UTF-8)",
            short(&charset)
        ),
    ))
}

/// Parses the structure, refusing when the encoding characters are not
/// usable or a segment could not be read (the parser would stop there and
/// silently drop the rest).
pub fn structure(text: &str) -> Result<Message<'_>, Refusal> {
    if let Some(batch) = ["FHS", "BHS"].into_iter().find(|b| text.starts_with(b)) {
        return Err(refuse(
            AckCode::Ar,
            batch,
            1,
            0,
            "batches (FHS/BHS) are not taken: send one message per file or MLLP frame".into(),
        ));
    }
    if !text.starts_with("MSH") {
        return Err(missing(
            "MSH",
            1,
            0,
            "message header: not an HL7 v2 message",
        ));
    }
    let message = Message::parse(text)
        .map_err(|_| invalid("MSH", 1, 2, "a usable set of encoding characters"))?;
    let s = message.separators;
    let chars = [s.field, s.component, s.repetition, s.escape, s.subcomponent];
    let usable = |c: char| c.is_ascii_punctuation();
    let distinct = chars
        .iter()
        .enumerate()
        .all(|(i, c)| !chars[..i].contains(c));
    if !chars.iter().all(|&c| usable(c)) || !distinct {
        return Err(invalid("MSH", 1, 2, "a usable set of encoding characters"));
    }
    let read = message.raw_value().len();
    if read < text.len() {
        let sequence = message.segments.len() + 1;
        return Err(Refusal {
            code: AckCode::Ae,
            place: None,
            reason: format!("segment {sequence} of the message is not a readable HL7 segment"),
        });
    }
    if message.segment_count("MSH") > 1 {
        return Err(refuse(
            AckCode::Ar,
            "MSH",
            2,
            0,
            "several messages in one: send one message per file or MLLP frame".into(),
        ));
    }
    Ok(message)
}

/// HL7 escape sequences decoded: \F\ \S\ \T\ \R\ \E\ as the separators,
/// \.br\ and \X0A\ \X0D\ as line breaks, other \Xhh..\ as the bytes they
/// name (UTF-8, else ISO-8859-1); formatting (\H\ \N\ \.xx\) and character
/// set switches (\C..\ \M..\) dropped. An unterminated escape is kept as is.
pub fn unescape(value: &str, seps: &Separators) -> String {
    let esc = seps.escape;
    if !value.contains(esc) {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find(esc) {
        out.push_str(&rest[..start]);
        let after = &rest[start + esc.len_utf8()..];
        let Some(end) = after.find(esc) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let code = &after[..end];
        match code {
            "F" => out.push(seps.field),
            "S" => out.push(seps.component),
            "T" => out.push(seps.subcomponent),
            "R" => out.push(seps.repetition),
            "E" => out.push(esc),
            ".br" => out.push('\n'),
            _ if code.starts_with('X') => out.push_str(&hex_text(&code[1..])),
            _ => {}
        }
        rest = &after[end + esc.len_utf8()..];
    }
    out.push_str(rest);
    out
}

fn hex_text(hex: &str) -> String {
    let bytes: Option<Vec<u8>> = (0..hex.len() / 2)
        .map(|i| {
            hex.get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    match bytes {
        Some(b) if hex.len().is_multiple_of(2) => match String::from_utf8(b) {
            Ok(s) => s,
            Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
        },
        _ => String::new(),
    }
}

/// Values of a parsed message, unescaped and cleaned.
pub struct Reader<'m> {
    pub message: &'m Message<'m>,
}

impl<'m> Reader<'m> {
    pub fn new(message: &'m Message<'m>) -> Self {
        Reader { message }
    }

    fn clean(&self, raw: &str) -> String {
        sanitize_line(&unescape(raw, &self.message.separators))
    }

    /// Subcomponent `sub` of component `comp` of one repetition.
    pub fn sub(&self, rep: &Repeat, comp: usize, sub: usize) -> String {
        rep.component(comp)
            .and_then(|c| c.subcomponent(sub))
            .map(|s| self.clean(s.raw_value()))
            .unwrap_or_default()
    }

    /// Component `comp` of one repetition (its first subcomponent).
    pub fn comp(&self, rep: &Repeat, comp: usize) -> String {
        self.sub(rep, comp, 1)
    }

    /// The repetitions of a field (none when the field is absent).
    pub fn repeats<'s>(&self, segment: &'s Segment<'m>, field: usize) -> &'s [Repeat<'m>] {
        segment
            .field(field)
            .map(|f| f.repeats.as_slice())
            .unwrap_or(&[])
    }

    /// Component `comp` of the field's first repetition.
    pub fn text(&self, segment: &Segment, field: usize, comp: usize) -> String {
        segment
            .field(field)
            .and_then(|f| f.repeat(1))
            .map(|r| self.comp(r, comp))
            .unwrap_or_default()
    }
}

/// MSH-n.1 of a message, cleaned; `None` when absent.
fn first_text(message: &Message, segment: &str, field: usize) -> Option<String> {
    let seg = message.segment(segment)?;
    Some(Reader::new(message).text(seg, field, 1))
}

/// An HL7 DTM's precision as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// Down to the day (or the hour: a date alone, read as its whole day).
    Day(NaiveDate),
    /// Down to the minute at least: the hospital's wall-clock time.
    Minute(NaiveDateTime),
}

impl Stamp {
    pub fn when(self) -> When {
        match self {
            Stamp::Day(d) => When::Date(d),
            Stamp::Minute(dt) => When::DateTime(dt),
        }
    }
}

/// Reads a DTM (`YYYYMMDD[HHMM[SS[.S]]][+/-ZZZZ]`), to the minute. With an
/// offset, a time becomes the wall-clock time of `zone`; without, it is
/// taken as local.
/// `None` when unreadable or coarser than a day.
pub fn stamp(value: &str, zone: Tz) -> Option<Stamp> {
    let value = value.trim();
    let ts: TimeStamp = value.parse().ok()?;
    // "+01" (hours alone) parses with no offset: never guess the zone.
    let signed = value.get(8..).is_some_and(|t| t.contains(['+', '-']));
    if signed && ts.offset.is_none() {
        return None;
    }
    let date =
        NaiveDate::from_ymd_opt(i32::from(ts.year), u32::from(ts.month?), u32::from(ts.day?))?;
    let (Some(hour), Some(minute)) = (ts.hour, ts.minute) else {
        return ts.hour.map_or(Some(Stamp::Day(date)), |h| {
            (h < 24).then_some(Stamp::Day(date))
        });
    };
    // Seconds are checked, then dropped: a value never looks newer than
    // its minute.
    NaiveTime::from_hms_opt(0, 0, u32::from(ts.second.unwrap_or(0)))?;
    let local = date.and_time(NaiveTime::from_hms_opt(
        u32::from(hour),
        u32::from(minute),
        0,
    )?);
    let Some(offset) = ts.offset else {
        return Some(Stamp::Minute(local));
    };
    let sign = if value.get(8..).unwrap_or("").contains('-') {
        -1
    } else {
        1
    };
    let seconds =
        sign * (i32::from(offset.hours.unsigned_abs()) * 3600 + i32::from(offset.minutes) * 60);
    if offset.minutes >= 60 {
        return None;
    }
    let fixed = FixedOffset::east_opt(seconds)?;
    let instant = fixed.from_local_datetime(&local).single()?;
    Some(Stamp::Minute(instant.with_timezone(&zone).naive_local()))
}
