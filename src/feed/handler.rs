//! The handler the transports call (`watch`, `listen`): an HL7 message is
//! parsed in the hospital's zone, applied in one `BEGIN IMMEDIATE`
//! transaction by the storage (`storage::feed`), and answered with its ACK;
//! a file of the project's JSON is imported as any import is, under the
//! feed's login, and answered with one line. Every write names the
//! message's origin (its file or peer) in the audit trail.

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::{Answer, Failure, Handler, Origin, Payload};
use crate::domain::clock::Clock;
use crate::domain::message::Lang;
use crate::import::hl7::{self, AckCode, Header, Refusal};
use crate::storage::feed::{self, Outcome};
use crate::storage::{Db, StorageError, needs};
use crate::text::Localized;

/// Applies messages to one committee file, as its connection's login (the
/// feed's service account).
pub struct StorageHandler {
    db: Db,
    zone: Tz,
    /// Numbers this handler's ACKs (their own MSH-10).
    sent: u64,
}

impl StorageHandler {
    /// A handler writing to `db`, in the hospital's zone the file records.
    pub fn new(db: Db) -> Result<StorageHandler, StorageError> {
        let zone = db.timezone()?;
        Ok(StorageHandler { db, zone, sent: 0 })
    }

    /// The file it writes to.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The file it writes to, for a person's writes beside the feed's
    /// (tests).
    pub fn db_mut(&mut self) -> &mut Db {
        &mut self.db
    }

    /// The hospital's wall-clock time now (noon UTC of the day under a
    /// fixed clock).
    fn now(&self) -> NaiveDateTime {
        let utc = match self.db.clock() {
            Clock::System => chrono::Utc::now(),
            Clock::Fixed(d) => d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
        };
        utc.with_timezone(&self.zone).naive_local()
    }

    /// The ACK's own control id: the time and a counter.
    fn next_control_id(&mut self, now: NaiveDateTime) -> String {
        self.sent += 1;
        format!(
            "IRC{}{:06}",
            now.format("%Y%m%d%H%M%S"),
            self.sent % 1_000_000
        )
    }

    fn ack(&mut self, header: Option<&Header>, code: AckCode, refusal: Option<&Refusal>) -> Answer {
        let now = self.now();
        let id = self.next_control_id(now);
        Answer::new(
            code == AckCode::Aa,
            hl7::ack(header, code, refusal, &id, now).into_bytes(),
        )
    }

    fn hl7(&mut self, raw: &[u8], origin: &Origin) -> Answer {
        let msg = match hl7::parse(raw, self.zone) {
            Ok(msg) => msg,
            Err(refusal) => {
                // The header as far as it reads: MSA-2 and MSH-3 to MSH-6
                // let the sender match the ACK to its message.
                let header = hl7::read_header(raw);
                return self.ack(header.as_ref(), refusal.code, Some(&refusal));
            }
        };
        self.apply(&msg, origin)
    }

    /// Applies a parsed message in one transaction and answers its ACK.
    pub(crate) fn apply(&mut self, msg: &hl7::Parsed, origin: &Origin) -> Answer {
        let from = origin.to_string();
        self.db.set_origin(Some(&from));
        let applied = self
            .db
            .write_as(&needs::feed_apply(), |w| feed::apply(w, msg, &from));
        self.db.set_origin(None);
        let header = Some(msg.header());
        match applied {
            Ok(Outcome::Refused(r)) => self.ack(header, r.code, Some(&r)),
            Ok(outcome) => self.ack(header, outcome.ack_code(), None),
            Err(e) => {
                // Nothing applied, and not the message's fault: AE, so
                // that the engine keeps the message and sends it again (an
                // engine drops a message answered AR: a lab result or a
                // booking lost is worse than a queue held until a person
                // fixes the file); the cause in ERR-8 and in the log, its
                // kind only (no patient data).
                let failure = failure_of(&e);
                let code = AckCode::Ae;
                let refusal = Refusal {
                    code,
                    place: None,
                    reason: not_applied(failure),
                };
                Answer {
                    failure: Some(failure),
                    ..self.ack(header, code, Some(&refusal))
                }
            }
        }
    }

    fn json(&mut self, raw: &[u8], origin: &Origin) -> Answer {
        let line = |accepted: bool, s: String| Answer::new(accepted, format!("{s}\n").into_bytes());
        let Ok(text) = std::str::from_utf8(raw) else {
            return line(false, format!("{origin}: not UTF-8 text: nothing imported"));
        };
        let from = origin.to_string();
        self.db.set_origin(Some(&from));
        let source = format!("import:{from}");
        let kind = Some(crate::import::Kind::Json);
        let report = crate::import::import_text(
            &mut self.db,
            text,
            kind,
            &source,
            crate::import::Mode::Write,
        );
        self.db.set_origin(None);
        match report {
            Ok(r) => line(
                true,
                crate::text::words::import_summary(Lang::En, &from, &r),
            ),
            Err(e) => {
                let text = e.in_lang(Lang::En);
                let first = text.lines().next().unwrap_or_default();
                line(false, crate::domain::text::sanitize_line(first))
            }
        }
    }
}

/// The kind of a storage error that stopped a message.
pub fn failure_of(e: &StorageError) -> Failure {
    use rusqlite::ErrorCode as C;
    match e {
        StorageError::Busy => Failure::Busy,
        StorageError::ReadOnly(_) | StorageError::CannotOpen(..) => Failure::ReadOnly,
        StorageError::TooNew { .. } => Failure::NewerSchema,
        StorageError::Forbidden { .. }
        | StorageError::NotAUser { .. }
        | StorageError::Disabled { .. } => Failure::NotAllowed,
        StorageError::Damaged(..) | StorageError::NotOurs(_) | StorageError::Corrupt(_) => {
            Failure::Damaged
        }
        StorageError::Triggers(_)
        | StorageError::AuditSeal(_)
        | StorageError::AuditKey { .. }
        | StorageError::AuditKeyNeeded
        | StorageError::AuditKeyMismatch
        | StorageError::ChainBroken { .. } => Failure::AuditTrail,
        StorageError::Sqlite(e) => match e.sqlite_error_code() {
            Some(C::ReadOnly | C::PermissionDenied | C::CannotOpen) => Failure::ReadOnly,
            Some(C::DiskFull) => Failure::DiskFull,
            Some(C::DatabaseCorrupt | C::NotADatabase) => Failure::Damaged,
            Some(C::SystemIoFailure) => Failure::Io,
            Some(C::DatabaseBusy | C::DatabaseLocked) => Failure::Busy,
            _ => Failure::Other,
        },
        _ => Failure::Other,
    }
}

/// ERR-8 of a message the file did not take: its cause, in English as
/// every ACK's reason, with no patient data.
fn not_applied(failure: Failure) -> String {
    let why = match failure {
        Failure::Busy => "the committee file is busy; send it again",
        Failure::ReadOnly => "the committee file is read-only for the receiving account",
        Failure::DiskFull => "the disk of the committee file is full",
        Failure::NewerSchema => {
            "the committee file was upgraded by a newer ir-committee; upgrade the receiver"
        }
        Failure::NotAllowed => "the receiving account may not apply messages",
        Failure::Damaged => "the committee file is damaged",
        Failure::AuditTrail => "the committee file's audit trail refuses writes",
        Failure::Io => "the committee file could not be read or written (I/O error)",
        Failure::Other => "the committee file could not be written",
    };
    format!("not applied: {why}")
}

impl Handler for StorageHandler {
    fn handle(&mut self, payload: Payload<'_>, origin: &Origin) -> Answer {
        match payload {
            Payload::Hl7(raw) => self.hl7(raw, origin),
            Payload::Json(raw) => self.json(raw, origin),
        }
    }

    /// Dated in the hospital's zone and numbered as every other ACK.
    fn refusal(&mut self, reason: &str) -> Vec<u8> {
        let refusal = Refusal {
            code: AckCode::Ar,
            place: None,
            reason: reason.to_owned(),
        };
        self.ack(None, AckCode::Ar, Some(&refusal)).bytes
    }
}

#[cfg(test)]
#[path = "handler_tests.rs"]
mod tests;
