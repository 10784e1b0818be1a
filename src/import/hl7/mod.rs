//! HL7 v2.5 messages from the hospital's systems (IHE France profiles):
//! ORU^R01 lab results, SIU bookings, ADT^A08 identity updates. Parsed
//! with the `hl7-parser` crate into [`types`]; acknowledged with [`ack`].
//! See docs/feeds.md for the mapping tables.

pub mod types;

pub use types::*;

use chrono::NaiveDateTime;
use chrono_tz::Tz;

/// Parses one message (ER7 text, segments separated by CR; LF and CRLF
/// accepted). `zone` is the hospital's: a time with an offset is turned into
/// its wall-clock time there; one without is taken as local.
///
/// Placeholder until the parser lands (branch i16-hl7): refuses everything.
pub fn parse(raw: &[u8], zone: Tz) -> Result<Parsed, Refusal> {
    let _ = (raw, zone);
    Err(Refusal {
        code: AckCode::Ar,
        place: None,
        reason: "HL7 parsing is not built yet".into(),
    })
}

/// The ACK (MSH, MSA, and ERR when refused) answering a message: `header`
/// is the received message's when it could be read; `control_id` is this
/// ACK's own MSH-10; `now` the hospital's wall-clock time.
///
/// Placeholder until the encoder lands (branch i16-hl7).
pub fn ack(
    header: Option<&Header>,
    code: AckCode,
    refusal: Option<&Refusal>,
    control_id: &str,
    now: NaiveDateTime,
) -> String {
    let _ = (header, refusal, now);
    format!(
        "MSH|^~\\&|||||||ACK|{control_id}|P|2.5\rMSA|{}|\r",
        code.as_str()
    )
}
