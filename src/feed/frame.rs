//! MLLP framing (HL7 v2, Appendix C, release 2): a message travels as
//! `0x0B` (start block), the message, `0x1C 0x0D` (end block, carriage
//! return). [`Deframer`] turns the bytes read from a connection into
//! messages, bounded in size: a frame over the limit is dropped as it
//! arrives (never held in memory) and reported once its end is seen.

/// Start block.
pub const START: u8 = 0x0B;
/// End block.
pub const END: u8 = 0x1C;
/// Carriage return, after the end block.
pub const CR: u8 = 0x0D;

/// What the bytes read so far complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// One whole message, without its framing bytes.
    Message(Vec<u8>),
    /// A frame longer than the limit, now ended: its bytes were dropped.
    TooLarge,
    /// More than [`Deframer::DISCARD_CAP`] bytes without the end of an
    /// oversized frame: the connection should be closed.
    Flood,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for a start block; other bytes are ignored (MLLP allows
    /// nothing there, senders sometimes put a newline).
    Between,
    InFrame,
    /// Saw the end block inside a frame; a carriage return ends it.
    SawEnd,
    /// The frame went over the limit: dropping bytes until its end.
    Oversize,
    OversizeSawEnd,
}

/// Splits a byte stream into MLLP frames of at most `max` bytes.
#[derive(Debug)]
pub struct Deframer {
    state: State,
    buf: Vec<u8>,
    max: usize,
    discarded: usize,
    begun: u64,
}

impl Deframer {
    /// How many bytes of one oversized frame are dropped before giving up
    /// on the connection (a peer that never ends its frame).
    pub const DISCARD_CAP: usize = 64 << 20;

    pub fn new(max: usize) -> Deframer {
        Deframer {
            state: State::Between,
            buf: Vec::new(),
            max,
            discarded: 0,
            begun: 0,
        }
    }

    /// Whether a frame has begun and not ended: a message in hand.
    pub fn in_frame(&self) -> bool {
        self.state != State::Between
    }

    /// How many frames have begun so far: the listener times each frame
    /// from its start.
    pub fn begun(&self) -> u64 {
        self.begun
    }

    /// Reads `bytes`, appending what they complete to `out`.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<Event>) {
        for &b in bytes {
            self.state = match (self.state, b) {
                (State::Between, START) => {
                    self.buf.clear();
                    self.begun += 1;
                    State::InFrame
                }
                (State::Between, _) => State::Between,
                (State::InFrame, END) => State::SawEnd,
                // A new start inside a frame: the earlier frame was cut
                // short (its sender reconnected, say); start over.
                (State::InFrame, START) => {
                    self.buf.clear();
                    self.begun += 1;
                    State::InFrame
                }
                (State::InFrame, _) => self.keep(&[b]),
                (State::SawEnd, CR) => {
                    out.push(Event::Message(std::mem::take(&mut self.buf)));
                    State::Between
                }
                // An end block not followed by CR is data, as is that byte.
                (State::SawEnd, _) => self.keep(&[END, b]),
                (State::Oversize, END) => State::OversizeSawEnd,
                (State::Oversize | State::OversizeSawEnd, _)
                    if self.discarded >= Self::DISCARD_CAP =>
                {
                    out.push(Event::Flood);
                    self.discarded = 0;
                    State::Between
                }
                (State::Oversize, _) => {
                    self.discarded += 1;
                    State::Oversize
                }
                (State::OversizeSawEnd, CR) => {
                    out.push(Event::TooLarge);
                    self.discarded = 0;
                    State::Between
                }
                (State::OversizeSawEnd, END) => State::OversizeSawEnd,
                (State::OversizeSawEnd, _) => {
                    self.discarded += 2;
                    State::Oversize
                }
            };
            if out.last() == Some(&Event::Flood) {
                return;
            }
        }
    }

    /// Appends to the frame, or switches to dropping it once over `max`.
    fn keep(&mut self, bytes: &[u8]) -> State {
        if self.buf.len() + bytes.len() > self.max {
            self.discarded = self.buf.len() + bytes.len();
            self.buf = Vec::new();
            return State::Oversize;
        }
        self.buf.extend_from_slice(bytes);
        State::InFrame
    }
}

/// `message` in its MLLP frame.
pub fn framed(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 3);
    out.push(START);
    out.extend_from_slice(message);
    out.extend_from_slice(&[END, CR]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(max: usize, chunks: &[&[u8]]) -> Vec<Event> {
        let mut d = Deframer::new(max);
        let mut out = Vec::new();
        for c in chunks {
            d.push(c, &mut out);
        }
        out
    }

    fn msg(s: &str) -> Event {
        Event::Message(s.as_bytes().to_vec())
    }

    #[test]
    fn frames_in_one_read_or_byte_by_byte() {
        let mut two = framed(b"MSH|a");
        two.extend(framed(b"MSH|b"));
        assert_eq!(events(100, &[&two]), vec![msg("MSH|a"), msg("MSH|b")]);
        let bytes: Vec<&[u8]> = two.chunks(1).collect();
        assert_eq!(events(100, &bytes), vec![msg("MSH|a"), msg("MSH|b")]);
    }

    #[test]
    fn the_rule_edges() {
        let cases: &[(&str, &[u8], usize, Vec<Event>)] = &[
            (
                "exactly the limit",
                b"\x0bABCD\x1c\x0d",
                4,
                vec![msg("ABCD")],
            ),
            (
                "one over the limit",
                b"\x0bABCDE\x1c\x0d\x0bA\x1c\x0d",
                4,
                vec![Event::TooLarge, msg("A")],
            ),
            (
                "bytes between frames",
                b"\n\r\x0bA\x1c\x0d\n",
                4,
                vec![msg("A")],
            ),
            ("no end yet", b"\x0bABC", 4, vec![]),
            (
                "end without CR is data",
                b"\x0bA\x1cB\x1c\x0d",
                4,
                vec![msg("A\x1cB")],
            ),
            (
                "a restart drops the cut frame",
                b"\x0bAB\x0bC\x1c\x0d",
                4,
                vec![msg("C")],
            ),
            ("empty frame", b"\x0b\x1c\x0d", 4, vec![msg("")]),
            (
                "an oversized frame with END END CR",
                b"\x0bABCDEF\x1c\x1c\x0d",
                4,
                vec![Event::TooLarge],
            ),
        ];
        for (what, bytes, max, want) in cases {
            assert_eq!(&events(*max, &[bytes]), want, "{what}");
        }
    }

    #[test]
    fn in_frame_while_a_message_is_in_hand() {
        let mut d = Deframer::new(10);
        let mut out = Vec::new();
        assert!(!d.in_frame());
        d.push(b"\x0bMSH", &mut out);
        assert!(d.in_frame());
        d.push(b"\x1c\x0d", &mut out);
        assert!(!d.in_frame());
        d.push(b"\x0bA\x1c\x0d\x0bB", &mut out);
        assert_eq!(d.begun(), 3);
    }

    #[test]
    fn a_frame_that_never_ends_is_a_flood() {
        let mut d = Deframer::new(4);
        let mut out = Vec::new();
        d.push(&[START], &mut out);
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..(Deframer::DISCARD_CAP >> 20) + 1 {
            d.push(&chunk, &mut out);
            if !out.is_empty() {
                break;
            }
        }
        assert_eq!(out, vec![Event::Flood]);
    }
}
