//! Messages from the hospital's systems, as they arrive: a drop folder
//! (`watch DIR`) or an MLLP listener (`listen --mllp`). A transport reads
//! bytes and gives them to a [`Handler`], which applies the message in one
//! transaction and answers the ACK the transport sends or writes back.

pub mod handler;

use std::net::SocketAddr;

/// Where a message came from: the audit trail's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the watched folder, by its name (no directory).
    File(String),
    /// An MLLP peer.
    Peer(SocketAddr),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File(name) => write!(f, "file:{name}"),
            Origin::Peer(addr) => write!(f, "mllp:{addr}"),
        }
    }
}

/// What a transport received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// An HL7 v2 message (ER7), bytes as sent (UTF-8 or the charset MSH-18 names).
    Hl7(&'a [u8]),
    /// A file of the project's interchange format `ir-committee/cases@1`.
    Json(&'a [u8]),
}

/// Applies one message and answers what to send back: the encoded ACK for
/// HL7, a one-line report for JSON. Never panics on a bad message; an
/// unusable one is answered (AE/AR) and applies nothing.
pub trait Handler {
    fn handle(&mut self, payload: Payload<'_>, origin: &Origin) -> Answer;

    /// The AR answering an HL7 message the handler never saw (a frame or a
    /// file over the size limit, a file unreadable): no header to echo,
    /// ERR-8 `reason`. A handler that knows the hospital's zone dates it
    /// there, as its other ACKs; this default uses the machine's.
    fn refusal(&mut self, reason: &str) -> Vec<u8> {
        mllp::refusal_ack(reason, chrono::Local::now().naive_local())
    }
}

/// The handler's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Applied (or already applied): the file goes to `done/`; otherwise to
    /// `failed/`.
    pub accepted: bool,
    /// What to send back (MLLP) or write beside the file (`.ack`).
    pub bytes: Vec<u8>,
}

pub mod frame;
pub mod mllp;
pub mod watch;
