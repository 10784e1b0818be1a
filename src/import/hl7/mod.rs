//! HL7 v2.5 messages from the hospital's systems (IHE France profiles):
//! ORU^R01 lab results, SIU bookings, ADT^A08 identity updates. Parsed
//! with the `hl7-parser` crate into [`types`]; acknowledged with [`ack`].
//! See docs/feeds.md for the mapping tables; in short:
//!
//! | Segment.field | Model |
//! |---|---|
//! | MSH-3, MSH-4 (HD.1, else HD.2) | `Header::source` `hl7:<app>@<facility>` |
//! | MSH-9, MSH-10, MSH-11, MSH-12 | type^trigger, control id (required), echoed in the ACK; versions 2.1-2.9 |
//! | MSH-18 | charset: UTF-8; ISO-8859-1 (`8859/1` or empty) when not UTF-8 |
//! | PID-3 | IPP: CX.1 of type PI (CX.5), else the first that is not the INS; CX.4 its authority |
//! | PID-3 CX.4 OID 1.2.250.1.213.1.4.8-.11, PID-32 | INS, qualified when `VALI` |
//! | PID-5 (type L if several), PID-7, PID-8 | last^first name, birth date, sex (F, M, else X); an empty given name or sex (or U) is no change, `""` deletes |
//! | OBX-3 (LOINC, CE.1 or CE.4), OBX-5/OBX-6, OBX-11 | analyte, value in its canonical unit ([`units`]); F or C applied (a later F does not undo a C), W withdraws, others ignored |
//! | OBR-7, else OBX-14 | the value's own date (offset converted to the hospital's zone) |
//! | SCH-2 (else SCH-1) | appointment id |
//! | AIS-3, AIS-4 (else TQ1-7, SCH-11.4), AIS-7/8 (else SCH-9/10) | service codes, start, duration in minutes |
//! | AIL-3 (PL.1, else PL.2), AIP-3 (XCN family given) | room, operator |

mod ack;
mod oru;
mod patient;
mod read;
mod siu;
pub mod types;
pub mod units;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ack;
#[cfg(test)]
mod tests_refusals;
#[cfg(test)]
mod tests_values;

pub use types::*;

use chrono::NaiveDateTime;
use chrono_tz::Tz;

pub use ack::error_code;
pub use patient::INS_OIDS;

/// Parses one message (ER7 text, segments separated by CR; LF and CRLF
/// accepted). `zone` is the hospital's: a time with an offset is turned into
/// its wall-clock time there; one without is taken as local.
///
/// Taken: ORU^R01, SIU^S12/S13/S14/S15/S17/S26, ADT^A08, HL7 versions 2.1
/// to 2.9; UTF-8, or ISO-8859-1 when the bytes are not UTF-8 and MSH-18 is
/// `8859/1` or empty. Every text value is unescaped, NFC-normalised and
/// stripped of control characters. A refusal names its place and never
/// quotes patient data.
pub fn parse(raw: &[u8], zone: Tz) -> Result<Parsed, Refusal> {
    let text = read::decode(raw)?;
    let message = read::structure(&text)?;
    read::check_charset(&message)?;
    let r = read::Reader::new(&message);
    let mut header = patient::header(&r)?;
    header.digest = digest(raw);
    let kind = (header.message_type.as_str(), header.trigger.as_str());
    let event = match kind {
        ("ORU", "R01") | ("ADT", "A08") => None,
        ("SIU", trigger) if siu::event(trigger).is_some() => siu::event(trigger),
        ("ADT", "A40") => {
            return Err(read::refuse(
                AckCode::Ar,
                "MSH",
                1,
                9,
                "patient merges (A40) are not taken: merge in the patient file by hand".into(),
            ));
        }
        (kind, trigger) => {
            return Err(read::refuse(
                AckCode::Ar,
                "MSH",
                1,
                9,
                format!(
                    "message type {}^{} is not taken (ORU^R01, SIU^S12/S13/S14/S15/S17/S26, ADT^A08)",
                    read::short(kind),
                    read::short(trigger)
                ),
            ));
        }
    };
    let pid = patient::pid_segment(&r)?;
    let person = patient::patient(&r, pid)?;
    Ok(match event {
        Some(event) => Parsed::Booking(siu::booking(&r, header, event, person, zone)?),
        None if kind.0 == "ORU" => Parsed::Lab(oru::report(&r, header, person, zone)),
        None => Parsed::Identity(IdentityUpdate {
            header,
            patient: person,
        }),
    })
}

/// The header of a message as far as it can be read, for the ACK of a
/// message `parse` refused (MSH-10 may be empty): `None` when not even an
/// MSH could be read.
pub fn read_header(raw: &[u8]) -> Option<Header> {
    let text = read::lossy_text(raw);
    let message = hl7_parser::Message::parse(&text).ok()?;
    let mut header = patient::header_of(&read::Reader::new(&message))?;
    header.digest = digest(raw);
    Some(header)
}

/// SHA-256 of a message's bytes, lowercase hex ([`Header::digest`]).
pub fn digest(raw: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(raw)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The ACK (MSH, MSA, and ERR when refused) answering a message: `header`
/// is the received message's when it could be read ([`read_header`] for a
/// refused one); `control_id` is this ACK's own MSH-10; `now` the
/// hospital's wall-clock time. MSH-3/4 and MSH-5/6 swapped, MSH-9
/// `ACK^<trigger>^ACK`, MSH-11/12 echoed (else `P` and `2.5`), MSA-2 the
/// received MSH-10; ERR-2 the place (`PID^1^7`), ERR-3 the HL7 table 0357
/// code ([`error_code`]), ERR-4 `E`, ERR-8 the reason. Segments end in CR.
pub fn ack(
    header: Option<&Header>,
    code: AckCode,
    refusal: Option<&Refusal>,
    control_id: &str,
    now: NaiveDateTime,
) -> String {
    ack::encode(header, code, refusal, control_id, now)
}
