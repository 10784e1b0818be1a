//! SIU^S12..S26: SCH, TQ1, AIS, AIL, AIP into one booking.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use hl7_parser::message::Segment;

use super::read::{Reader, Stamp, invalid, missing, stamp};
use super::types::{Booking, BookingEvent, Header, PatientIdentity, Refusal};

/// The booking event of an SIU trigger this product takes.
pub fn event(trigger: &str) -> Option<BookingEvent> {
    Some(match trigger {
        "S12" => BookingEvent::New,
        "S13" | "S14" => BookingEvent::Changed,
        "S15" => BookingEvent::Cancelled,
        "S17" => BookingEvent::Deleted,
        "S26" => BookingEvent::NoShow,
        _ => return None,
    })
}

pub fn booking(
    r: &Reader,
    header: Header,
    event: BookingEvent,
    patient: PatientIdentity,
    zone: Tz,
) -> Result<Booking, Refusal> {
    let sch = r
        .message
        .segment("SCH")
        .ok_or_else(|| missing("SCH", 1, 0, "schedule activity information"))?;
    let appointment_id = Some(r.text(sch, 2, 1))
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| r.text(sch, 1, 1));
    if appointment_id.is_empty() {
        return Err(missing("SCH", 1, 2, "filler appointment id (or SCH-1)"));
    }
    // Each AIS with its occurrence number, those deleted (AIS-2 `D`, in a
    // modification) left out.
    let ais: Vec<(usize, &Segment)> = r
        .message
        .segments()
        .filter(|s| s.name == "AIS")
        .enumerate()
        .map(|(i, s)| (i + 1, s))
        .filter(|(_, s)| !deleted(r, s))
        .collect();

    let mut start = None;
    for (n, seg) in &ais {
        if let Some(at) = start_of(r, seg, "AIS", *n, 4, 1, zone)? {
            start = Some(at);
            break;
        }
    }
    if start.is_none()
        && let Some(tq1) = r.message.segment("TQ1")
    {
        start = start_of(r, tq1, "TQ1", 1, 7, 1, zone)?;
    }
    if start.is_none() {
        start = start_of(r, sch, "SCH", 1, 11, 4, zone)?;
    }

    let duration_min = match ais.iter().find(|(_, seg)| !r.text(seg, 7, 1).is_empty()) {
        Some((_, seg)) => duration(r, seg, 7),
        None => duration(r, sch, 9),
    };

    let mut services = Vec::new();
    for (_, seg) in &ais {
        let code = r.text(seg, 3, 1);
        if !code.is_empty() && !services.contains(&code) {
            services.push(code);
        }
    }
    let room = first_of(r, "AIL", |seg| {
        Some(r.text(seg, 3, 1))
            .filter(|point_of_care| !point_of_care.is_empty())
            .unwrap_or_else(|| r.text(seg, 3, 2))
    });
    let operator = first_of(r, "AIP", |seg| {
        let family = r.text(seg, 3, 2);
        let given = r.text(seg, 3, 3);
        [family, given]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    });
    Ok(Booking {
        header,
        event,
        patient,
        appointment_id,
        start,
        duration_min,
        room,
        operator,
        services,
    })
}

/// Whether a resource segment (AIS, AIL, AIP) is deleted (field 2 `D`).
fn deleted(r: &Reader, seg: &Segment) -> bool {
    r.text(seg, 2, 1).eq_ignore_ascii_case("D")
}

/// The first non-empty value among the segments named `name` not deleted.
fn first_of(r: &Reader, name: &str, value: impl Fn(&Segment) -> String) -> Option<String> {
    r.message
        .segments()
        .filter(|s| s.name == name && !deleted(r, s))
        .map(value)
        .find(|v| !v.is_empty())
}

/// A start time (TS in `field`, component `comp`): to the minute at least.
fn start_of(
    r: &Reader,
    seg: &Segment,
    name: &str,
    sequence: usize,
    field: usize,
    comp: usize,
    zone: Tz,
) -> Result<Option<NaiveDateTime>, Refusal> {
    let raw = r.text(seg, field, comp);
    if raw.is_empty() {
        return Ok(None);
    }
    match stamp(&raw, zone) {
        Some(Stamp::Minute(at)) => Ok(Some(at)),
        _ => Err(invalid(
            name,
            sequence,
            field,
            "a start time (YYYYMMDDHHMM at least)",
        )),
    }
}

/// A duration in minutes: the number in `field`, its unit in `field + 1`
/// (minutes when empty; hours converted). Any other unit, a value that is
/// not a number or one beyond a day leaves the duration unknown rather than
/// guessed (not worth stopping the sender's queue with an AE).
fn duration(r: &Reader, seg: &Segment, field: usize) -> Option<u32> {
    let amount = super::units::number(&r.text(seg, field, 1))?;
    let unit = r.text(seg, field + 1, 1).to_ascii_lowercase();
    let per = match unit.trim_end_matches('.') {
        "" | "min" | "mins" | "minute" | "minutes" | "mn" => 1.0,
        "h" | "hr" | "hrs" | "hour" | "hours" | "heure" | "heures" => 60.0,
        _ => return None,
    };
    let minutes = (amount * per).round();
    // At most a day: a larger value is a sender's mistake, not a procedure.
    (minutes <= 1440.0).then_some(minutes as u32)
}
