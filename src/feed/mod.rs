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
    /// Why a message that was read was not applied when the cause is on
    /// this side (the committee file), not in the message: for the log.
    pub failure: Option<Failure>,
}

impl Answer {
    /// An answer with no failure of the file behind it.
    pub fn new(accepted: bool, bytes: Vec<u8>) -> Answer {
        Answer {
            accepted,
            bytes,
            failure: None,
        }
    }
}

/// Why the committee file did not take a message that was read: a kind,
/// never the message's content (the log line says it, the ACK's ERR-8 in
/// English). Only [`Failure::Busy`] passes by itself: it is answered AE
/// (send it again); every other is answered AR, since sending the message
/// again cannot help until a person acts (docs/feeds.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Another writer held the file longer than the busy timeout.
    Busy,
    /// The file or its folder is read-only for the feed's account.
    ReadOnly,
    /// The disk (or a quota) is full.
    DiskFull,
    /// A newer ir-committee upgraded the file: its schema is unknown here.
    NewerSchema,
    /// The feed's account may no longer apply messages (its role changed).
    NotAllowed,
    /// The file is damaged or not a committee file.
    Damaged,
    /// The audit trail refuses writes (a trigger altered, a seal or a key
    /// that does not match).
    AuditTrail,
    /// A disk input/output error.
    Io,
    /// Anything else the file refused.
    Other,
}

pub mod frame;
pub mod local_peer;
pub mod mllp;
pub mod watch;
