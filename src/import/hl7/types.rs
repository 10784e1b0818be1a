//! What an HL7 v2 message says once parsed: the contract between the parser
//! (`import::hl7`), the storage that applies it (`storage::feed`) and the
//! transports (`feed`). Pure data; text already NFC and free of control
//! characters.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::labs::{Analyte, LabValue};
use crate::domain::time::When;
use crate::domain::vocab::Sex;

/// MSH: who sent the message and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// MSH-3 (HD.1): sending application.
    pub sending_application: String,
    /// MSH-4 (HD.1): sending facility.
    pub sending_facility: String,
    /// MSH-5 and MSH-6: echoed in the ACK as its sender.
    pub receiving_application: String,
    pub receiving_facility: String,
    /// MSH-9: e.g. `ORU`, `R01`.
    pub message_type: String,
    pub trigger: String,
    /// MSH-10: unique per sender; (MSH-3, MSH-4, MSH-10) makes a message
    /// already applied.
    pub control_id: String,
    /// MSH-11 and MSH-12, echoed in the ACK.
    pub processing_id: String,
    pub version: String,
    /// SHA-256 of the message's bytes (lowercase hex): a message sent again
    /// under its control id has the same; another one under a control id
    /// already used does not.
    pub digest: String,
}

impl Header {
    /// The three-way rule's source for everything this sender sends:
    /// `hl7:<MSH-3>@<MSH-4>`.
    pub fn source(&self) -> String {
        format!("hl7:{}@{}", self.sending_application, self.sending_facility)
    }
}

/// INS (identifiant national de santé) qualification (PID-32 / IHE France).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsStatus {
    /// Identité qualifiée (INS-C/INS-NIR checked with INSi).
    Qualified,
    /// Present but not qualified (provisional, recovered, doubtful…).
    NotQualified,
}

/// PID: the patient as the sender knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientIdentity {
    /// PID-3 CX.1 of the repetition whose type is PI (else the first one
    /// that is not the INS).
    pub ipp: String,
    /// PID-3 CX.4 of that repetition (assigning authority): HD.1, else
    /// HD.2 (the OID) when HD.1 is empty.
    pub authority: String,
    /// The INS when PID-3 carries one (CX.4 OID 1.2.250.1.213.1.4.8 to .11:
    /// INS-NIR, INS-NIA, test NIR, test NIA), with its qualification (PID-32
    /// `VALI`): kept as a second identifier, never matched on.
    pub ins: Option<(String, InsStatus)>,
    pub last_name: String,
    /// PID-5.2; `None` when empty (no change: the stored one is kept),
    /// `Some("")` when `""` (deleted).
    pub first_name: Option<String>,
    pub birth_date: NaiveDate,
    /// PID-8; `None` when empty or U (no change: the stored one is kept; a
    /// new patient is X).
    pub sex: Option<Sex>,
}

/// ORU^R01: results of one or more orders for one patient.
#[derive(Debug, Clone, PartialEq)]
pub struct LabReport {
    pub header: Header,
    pub patient: PatientIdentity,
    /// Final or corrected values the rules use, in canonical units, each
    /// dated by its specimen (OBR-7, else OBX-14).
    pub values: Vec<LabValue>,
    /// Those of `values` sent as corrected (OBX-11 `C`): a later final
    /// result of the same sender, analyte and specimen time does not undo
    /// them (`storage::lab_status`).
    pub corrected: Vec<LabValue>,
    /// Results the laboratory withdraws (OBX-11 `W`, posted in error, e.g.
    /// on the wrong patient), by analyte and specimen time.
    pub withdrawn: Vec<Withdrawal>,
    /// Values set aside, each with why (preliminary, unknown unit, not a
    /// number, undated…): reported in the ACK's text and the audit trail,
    /// never applied.
    pub set_aside: Vec<SetAside>,
}

/// An OBX-11 `W` for one of our analytes: the result of that analyte and
/// specimen time this sender gave is wrong (OBX-5 is not read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withdrawal {
    /// 1-based OBX repetition in the message.
    pub obx: usize,
    pub analyte: Analyte,
    /// The specimen's time (OBR-7, else OBX-14); `None` when not readable.
    pub at: Option<When>,
}

/// An OBX the report does not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// 1-based OBX repetition in the message.
    pub obx: usize,
    /// OBX-3 code.
    pub code: String,
    pub reason: SetAsideReason,
    /// For a code of ours: what the laboratory sent (analyte, OBX-5 and
    /// OBX-6 as written, shortened; the specimen's time when known), so a
    /// final result that cannot be used is shown on the patient's cases
    /// rather than dropped (`storage::lab_unusable`). `None` for a code
    /// this product does not use.
    pub seen: Option<Seen>,
}

/// What the laboratory sent for one of our analytes, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub analyte: Analyte,
    /// OBX-5 as sent (a structured numeric joined: `>15`), shortened.
    pub value: String,
    /// OBX-6 as sent (CE.1, else CE.2), shortened.
    pub unit: String,
    /// The specimen's time (OBR-7, else OBX-14), when readable.
    pub at: Option<When>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetAsideReason {
    /// OBX-11 neither F, C nor W (the status letter).
    NotFinal(String),
    /// A LOINC code of ours with a unit we do not know (the unit given).
    UnknownUnit(String),
    /// OBX-5 not a number (e.g. `<0.5`, text).
    NotANumber(String),
    /// Neither OBR-7 nor OBX-14.
    Undated,
    /// A code this product does not use (not an error: ignored quietly).
    NotUsed,
}

/// SIU: what happened to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingEvent {
    /// S12.
    New,
    /// S13 (reschedule) and S14 (modification).
    Changed,
    /// S15.
    Cancelled,
    /// S17 (deletion) and S26 (no-show).
    Deleted,
    NoShow,
}

/// SIU^S12..S26: one booked procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub header: Header,
    pub event: BookingEvent,
    pub patient: PatientIdentity,
    /// SCH-2 (filler appointment id, EI.1), else SCH-1: the case's external id.
    pub appointment_id: String,
    /// AIS-4, else TQ1-7, else SCH-11 TQ.4: local wall-clock start.
    pub start: Option<NaiveDateTime>,
    /// AIS-7 (with AIS-8 units, minutes), else SCH-9/SCH-10; `None` when
    /// absent or in a unit other than minutes or hours.
    pub duration_min: Option<u32>,
    /// AIL-3 (PL.1 point of care, else PL.2 room).
    pub room: Option<String>,
    /// AIP-3 (XCN: family^given), the operator.
    pub operator: Option<String>,
    /// AIS-3 CE.1 of each AIS (not those deleted, AIS-2 `D`): the service
    /// codes (techniques to map), each once, in order.
    pub services: Vec<String>,
}

/// ADT^A08: the patient's identity as the hospital now holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityUpdate {
    pub header: Header,
    pub patient: PatientIdentity,
}

/// A message the parser understood.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Lab(LabReport),
    Booking(Booking),
    Identity(IdentityUpdate),
}

impl Parsed {
    pub fn header(&self) -> &Header {
        match self {
            Parsed::Lab(m) => &m.header,
            Parsed::Booking(m) => &m.header,
            Parsed::Identity(m) => &m.header,
        }
    }
}

/// MSA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckCode {
    /// Application accept: applied, or already applied.
    Aa,
    /// Application error: the message is unusable as sent (a required
    /// segment or field missing or unreadable); nothing applied.
    Ae,
    /// Application reject: a message this receiver does not take (type,
    /// version, a merge A40); nothing applied.
    Ar,
}

impl AckCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AckCode::Aa => "AA",
            AckCode::Ae => "AE",
            AckCode::Ar => "AR",
        }
    }
}

/// Where in the message a refusal is (ERR-2, ERL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Segment id, e.g. `PID`.
    pub segment: String,
    /// 1-based occurrence of that segment.
    pub sequence: usize,
    /// 1-based field number, 0 for the segment itself.
    pub field: usize,
}

/// Why the message is not applied (AE/AR), in English for the ACK's ERR
/// segment; the screen and `check` have their own words (`text::`). Never
/// patient data. The ACK's ERR-3 is derived ([`super::error_code`]): an AE
/// whose reason starts with "missing" is 101 (100 for a segment), another
/// AE with a place 102, one with no place 207.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: AckCode,
    pub place: Option<Place>,
    pub reason: String,
}
