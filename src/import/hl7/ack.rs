//! The HL7 v2.5 ACK: MSH, MSA, and ERR when a message is refused.

use chrono::NaiveDateTime;
use hl7_parser::message::Separators;

use super::types::{AckCode, Header, Refusal};
use crate::domain::text::sanitize_line;

/// Text for a field of the ACK: one line, HL7 delimiters escaped.
fn esc(value: &str) -> String {
    Separators::default()
        .encode(&sanitize_line(value))
        .to_string()
}

/// HL7 table 0357 code and its text for a refusal: 207 with no place (an
/// application error); for AR, 203 on MSH-12, 202 on MSH-11, 200
/// otherwise (a message not taken); for AE, 100 for a missing
/// segment, 101 for a missing field (reasons that start with "missing"),
/// 102 for an unreadable one.
pub fn error_code(refusal: &Refusal) -> (u16, &'static str) {
    let Some(place) = &refusal.place else {
        return (207, "Application internal error");
    };
    let at_msh = |field| place.segment == "MSH" && place.field == field;
    match refusal.code {
        AckCode::Ar if at_msh(12) => (203, "Unsupported version id"),
        AckCode::Ar if at_msh(11) => (202, "Unsupported processing id"),
        // The type or trigger, several patients or messages in one, a
        // batch, a character set: a message this receiver does not take.
        AckCode::Ar => (200, "Unsupported message type"),
        _ if refusal.reason.starts_with("missing") && place.field == 0 => {
            (100, "Segment sequence error")
        }
        _ if refusal.reason.starts_with("missing") => (101, "Required field missing"),
        _ => (102, "Data type error"),
    }
}

pub fn encode(
    header: Option<&Header>,
    code: AckCode,
    refusal: Option<&Refusal>,
    control_id: &str,
    now: NaiveDateTime,
) -> String {
    let field = |f: fn(&Header) -> &str, default: &str| {
        header
            .map(f)
            .filter(|v| !v.is_empty())
            .map_or_else(|| default.to_owned(), esc)
    };
    let msh = [
        "MSH".to_owned(),
        "^~\\&".to_owned(),
        field(|h| &h.receiving_application, ""),
        field(|h| &h.receiving_facility, ""),
        field(|h| &h.sending_application, ""),
        field(|h| &h.sending_facility, ""),
        now.format("%Y%m%d%H%M%S").to_string(),
        String::new(),
        match header.map(|h| esc(&h.trigger)).filter(|t| !t.is_empty()) {
            Some(trigger) => format!("ACK^{trigger}^ACK"),
            None => "ACK".to_owned(),
        },
        esc(control_id),
        field(|h| &h.processing_id, "P"),
        field(|h| &h.version, "2.5"),
    ]
    .join("|");
    let msa = format!("MSA|{}|{}", code.as_str(), field(|h| &h.control_id, ""));
    let mut out = format!("{msh}\r{msa}\r");
    if let Some(refusal) = refusal {
        let location = refusal.place.as_ref().map_or_else(String::new, |p| {
            format!("{}^{}^{}", esc(&p.segment), p.sequence, p.field)
        });
        let (number, text) = error_code(refusal);
        out.push_str(&format!(
            "ERR||{location}|{number}^{text}^HL70357|E||||{}\r",
            esc(&refusal.reason)
        ));
    }
    out
}
