//! HL7 v2.5 messages from the hospital's systems (IHE France profiles):
//! ORU^R01 lab results, SIU bookings, ADT^A08 identity updates. Parsed
//! with the `hl7-parser` crate into [`types`]; acknowledged with [`ack`].
//! See docs/feeds.md for the mapping tables.

pub mod types;

pub use types::*;
