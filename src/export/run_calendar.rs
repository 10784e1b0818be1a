//! The calendar part of an export (ics): which events to send again, and
//! under which SEQUENCE (split from `run.rs`).

use super::super::CalendarEvent;
use crate::domain::message::Lang;
use crate::storage::exports;

/// The events to send, and what to remember of them: each validated
/// procedure (its SEQUENCE raised when its content changed since the last
/// export of the same variant), and each one sent before that is no longer
/// in the programme, sent again as cancelled under the same UID, with a
/// generic summary (what was sent before is not kept: it named patients).
pub fn calendar_events(
    fresh: &[CalendarEvent],
    before: &[exports::Sent],
    lang: Lang,
) -> (Vec<CalendarEvent>, Vec<exports::Sent>) {
    let previous = |uid: &str| before.iter().find(|b| b.uid == uid);
    let mut events = Vec::new();
    let mut sent = Vec::new();
    for e in fresh {
        let mut e = e.clone();
        let digest = digest(&e);
        e.sequence = match previous(&e.uid) {
            Some(p) if p.digest == digest && !p.cancelled => p.sequence,
            Some(p) => p.sequence.saturating_add(1),
            None => 0,
        };
        sent.push(exports::Sent {
            uid: e.uid.clone(),
            sequence: e.sequence,
            cancelled: false,
            start: e.start,
            end: e.end,
            location: e.location.clone(),
            digest,
        });
        events.push(e);
    }
    for b in before {
        if fresh.iter().any(|e| e.uid == b.uid) {
            continue;
        }
        let sequence = if b.cancelled {
            b.sequence
        } else {
            b.sequence.saturating_add(1)
        };
        let gone = CalendarEvent {
            uid: b.uid.clone(),
            sequence,
            cancelled: true,
            start: b.start,
            end: b.end,
            summary: crate::text::export::labels(lang).cancelled_event.to_owned(),
            location: b.location.clone(),
            description: String::new(),
            alert: None,
        };
        sent.push(exports::Sent {
            sequence,
            cancelled: true,
            ..b.clone()
        });
        events.push(gone);
    }
    (events, sent)
}

/// SHA-256 of what a calendar shows of an event.
fn digest(e: &CalendarEvent) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [&e.summary, &e.location, &e.description] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(e.start.to_string().as_bytes());
    h.update([0]);
    h.update(e.end.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
