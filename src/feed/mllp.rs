//! `listen --mllp ADDR:PORT`: an MLLP listener (HL7's minimal lower layer
//! protocol over TCP). A thread per connection, capped; every message goes
//! through the one [`Handler`] behind a mutex (SQLite has one writer
//! anyway), in the order each connection sends them; the ACK goes back on
//! the same connection. A bad message is answered and the connection goes
//! on; a frame over the size limit is dropped as it arrives and answered
//! with an AR (the connection goes on too); a peer silent in the middle of
//! a frame, or idle too long, is disconnected. On stop (SIGTERM): no new
//! connection, each connection finishes the messages it has in hand, then
//! [`serve`] returns. No TLS: see docs/deployment.md (SSH tunnel, stunnel).

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::frame::{Deframer, Event, framed};
use super::{Failure, Handler, Origin, Payload};
use crate::import::hl7::{self, AckCode, Refusal};

/// How the listener behaves; [`Limits::default`] is what `listen` uses.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest message taken, in bytes (without framing).
    pub max_message: usize,
    /// Connections served at once; one more is closed unanswered.
    pub max_connections: usize,
    /// A frame not ended this long after it began (however slowly its
    /// bytes trickle in): the peer is stuck, the connection is closed.
    pub frame_timeout: Duration,
    /// A connection with no byte for this long is closed (the interface
    /// engine reconnects when it has something to send).
    pub idle_timeout: Duration,
    /// How long an ACK may take to be written.
    pub write_timeout: Duration,
    /// How often blocked reads and the accept loop look at the stop flag.
    pub tick: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_message: 1 << 20,
            max_connections: 8,
            frame_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(600),
            write_timeout: Duration::from_secs(30),
            tick: Duration::from_millis(200),
        }
    }
}

/// Which peers may connect: on a loopback address (an SSH tunnel or
/// stunnel ends there), the local accounts allowed
/// (`mllp_local_accounts`, by default the listener's own: see
/// [`super::local_peer`]); otherwise only the addresses listed in the
/// configuration (`mllp_allowed_peers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peers {
    bound: SocketAddr,
    allowed: Vec<IpAddr>,
    /// The accounts (uids) a loopback peer may be.
    local: Vec<u32>,
}

/// Why the listener does not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListenError {
    /// Not `ADDR:PORT` (as typed, cleaned).
    BadAddress(String),
    /// A host name other than `localhost` with no allowed peers configured:
    /// only loopback is taken then, and a name is not looked up.
    NameWithoutPeers(String),
    /// A host name (allowed peers configured) that does not resolve.
    Unresolved { name: String, reason: String },
    /// A non-loopback address with no allowed peers configured.
    OpenWithoutPeers(SocketAddr),
    /// The address could not be bound (in use, not this machine's…).
    Bind { addr: SocketAddr, reason: String },
}

impl std::fmt::Display for ListenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::Localized;
        f.write_str(&self.in_lang(crate::text::Lang::En))
    }
}

impl Peers {
    /// Refuses a non-loopback address unless `allowed` names peers.
    pub fn new(bound: SocketAddr, allowed: &[IpAddr]) -> Result<Peers, ListenError> {
        if !bound.ip().is_loopback() && allowed.is_empty() {
            return Err(ListenError::OpenWithoutPeers(bound));
        }
        Ok(Peers {
            bound,
            allowed: allowed.iter().map(|ip| ip.to_canonical()).collect(),
            local: vec![nix::unistd::geteuid().as_raw()],
        })
    }

    /// The local accounts (uids) a loopback peer may be, instead of the
    /// listener's own.
    #[must_use]
    pub fn local_accounts(mut self, uids: Vec<u32>) -> Peers {
        self.local = uids;
        self
    }

    /// The address rule: any loopback peer when bound to loopback (its
    /// account is checked apart, [`Peers::allows_account`]), else a listed one.
    pub fn allows(&self, peer: IpAddr) -> bool {
        self.bound.ip().is_loopback() || self.allowed.contains(&peer.to_canonical())
    }

    /// A loopback peer's account: one of the local accounts allowed. An
    /// account the kernel's tables do not show is refused.
    pub fn allows_account(&self, uid: Option<u32>) -> bool {
        uid.is_some_and(|u| self.local.contains(&u))
    }
}

/// The address `listen --mllp` binds to: `IP:PORT` (`[IPv6]:PORT`), or
/// `localhost:PORT`, which is 127.0.0.1 and is not looked up (RFC 6761: a
/// hosts file or a resolver could make it another address). Another host
/// name is taken only when `allowed` lists peers (it may then be a
/// non-loopback address) and is resolved to its first address; without
/// allowed peers it is refused before any lookup.
pub fn listen_addr(spec: &str, allowed: &[IpAddr]) -> Result<SocketAddr, ListenError> {
    let spec = crate::domain::text::sanitize_line(spec).trim().to_owned();
    if let Ok(addr) = spec.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let bad = || ListenError::BadAddress(spec.clone());
    let (host, port) = spec.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    let host = host.strip_suffix('.').unwrap_or(host);
    let name_like = !host.is_empty()
        && host.len() <= 253
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !name_like {
        return Err(bad());
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if allowed.is_empty() {
        return Err(ListenError::NameWithoutPeers(host.to_owned()));
    }
    use std::net::ToSocketAddrs;
    let unresolved = |reason: String| ListenError::Unresolved {
        name: host.to_owned(),
        reason,
    };
    (host, port)
        .to_socket_addrs()
        .map_err(|e| unresolved(crate::domain::text::sanitize_line(&e.to_string())))?
        .next()
        .ok_or_else(|| unresolved("no address".to_owned()))
}

/// What the listener tells its log (one line each, never patient data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    Listening(SocketAddr),
    Connected(SocketAddr),
    /// Not in the allowed peers: closed unanswered.
    NotAllowed(SocketAddr),
    /// A loopback peer whose account (uid, when the kernel shows it) is
    /// not one of the local accounts allowed: closed unanswered.
    NotAllowedAccount {
        peer: SocketAddr,
        uid: Option<u32>,
    },
    /// Over [`Limits::max_connections`]: closed unanswered.
    TooMany(SocketAddr),
    /// A message answered: its ACK code (MSA-1) when the answer has one,
    /// and why the committee file did not take it when that was the cause.
    Answered {
        peer: SocketAddr,
        code: Option<String>,
        failure: Option<Failure>,
    },
    /// A frame over the limit, answered AR.
    TooLarge {
        peer: SocketAddr,
        max: usize,
    },
    /// Closed: by the peer, a timeout, a flood, or the stop.
    Closed {
        peer: SocketAddr,
        why: Closed,
    },
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    ByPeer,
    /// Mid-frame for longer than [`Limits::frame_timeout`].
    Stuck,
    Idle,
    /// An oversized frame that did not end.
    Flood,
    Stopping,
    /// A read or write failed (reset, broken pipe, an ACK not taken in time).
    Failed,
}

/// Where notes go: the command line writes them to stderr in its language.
pub type Log = Arc<dyn Fn(&Note) + Send + Sync>;

/// Binds `addr` after checking it against `peers`' rule.
pub fn bind(peers: &Peers) -> Result<TcpListener, ListenError> {
    TcpListener::bind(peers.bound).map_err(|e| ListenError::Bind {
        addr: peers.bound,
        reason: crate::domain::text::sanitize_line(&e.to_string()),
    })
}

/// Serves `listener` until `stop` is set, then waits for the connections
/// to finish the messages they have in hand.
pub fn serve<H: Handler + Send + 'static>(
    listener: TcpListener,
    peers: Peers,
    handler: Arc<Mutex<H>>,
    limits: Limits,
    stop: Arc<AtomicBool>,
    log: Log,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    log(&Note::Listening(listener.local_addr()?));
    let open = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        let (stream, peer) = match listener.accept() {
            Ok(pair) => pair,
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => {
                std::thread::sleep(limits.tick.min(Duration::from_millis(50)));
                continue;
            }
            // A connection reset before it was accepted, out of file
            // descriptors: keep listening.
            Err(_) => {
                std::thread::sleep(limits.tick);
                continue;
            }
        };
        if !peers.allows(peer.ip()) {
            log(&Note::NotAllowed(peer));
            drop(stream);
            continue;
        }
        // Whoever connects over loopback is a local account: the one the
        // kernel names must be allowed (a secretary's shell is not the
        // interface engine's tunnel).
        let ours = stream.local_addr().ok();
        // A peer of this machine: over loopback, or from one of its own
        // addresses (which `mllp_allowed_peers` may list).
        let local = peer.ip().to_canonical().is_loopback()
            || ours.is_some_and(|o| o.ip().to_canonical() == peer.ip().to_canonical());
        if local {
            let uid = ours.and_then(|ours| super::local_peer::uid_of(peer, ours));
            if !peers.allows_account(uid) {
                log(&Note::NotAllowedAccount { peer, uid });
                drop(stream);
                continue;
            }
        }
        if open.load(Ordering::SeqCst) >= limits.max_connections {
            log(&Note::TooMany(peer));
            drop(stream);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        log(&Note::Connected(peer));
        let (handler, limits, stop, log, open) = (
            Arc::clone(&handler),
            limits.clone(),
            Arc::clone(&stop),
            Arc::clone(&log),
            Arc::clone(&open),
        );
        threads.retain(|t: &std::thread::JoinHandle<()>| !t.is_finished());
        threads.push(std::thread::spawn(move || {
            // The slot is given back even if the handler panics.
            let _slot = Slot(open);
            let why = connection(stream, peer, &handler, &limits, &stop, &log);
            log(&Note::Closed { peer, why });
        }));
    }
    drop(listener);
    for t in threads {
        let _ = t.join();
    }
    log(&Note::Stopped);
    Ok(())
}

/// One connection's place under [`Limits::max_connections`].
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reads frames from one peer and answers each, until it closes, times
/// out, or the stop comes between two messages.
fn connection<H: Handler>(
    mut stream: TcpStream,
    peer: SocketAddr,
    handler: &Mutex<H>,
    limits: &Limits,
    stop: &AtomicBool,
    log: &Log,
) -> Closed {
    if stream.set_nonblocking(false).is_err()
        || stream.set_read_timeout(Some(limits.tick)).is_err()
        || stream
            .set_write_timeout(Some(limits.write_timeout))
            .is_err()
    {
        return Closed::Failed;
    }
    let _ = stream.set_nodelay(true);
    let origin = Origin::Peer(peer);
    let mut deframer = Deframer::new(limits.max_message);
    let mut buf = vec![0u8; 64 * 1024];
    let mut events = Vec::new();
    let mut last_byte = Instant::now();
    // The frame in hand: which one (its number) and since when.
    let (mut frame, mut frame_start) = (0, Instant::now());
    // The frames begun when the stop was first seen: one begun later
    // is not finished (its sender, unanswered, sends it again).
    let mut stopping_after: Option<u64> = None;
    loop {
        if stopping_after.is_none() && stop.load(Ordering::SeqCst) {
            stopping_after = Some(deframer.begun());
        }
        if let Some(begun) = stopping_after
            && (!deframer.in_frame() || deframer.begun() > begun)
        {
            return Closed::Stopping;
        }
        if deframer.in_frame() && frame_start.elapsed() >= limits.frame_timeout {
            return Closed::Stuck;
        }
        match stream.read(&mut buf) {
            Ok(0) => return Closed::ByPeer,
            Ok(n) => {
                last_byte = Instant::now();
                deframer.push(&buf[..n], &mut events);
                if deframer.begun() != frame {
                    (frame, frame_start) = (deframer.begun(), last_byte);
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if !deframer.in_frame() && last_byte.elapsed() >= limits.idle_timeout {
                    return Closed::Idle;
                }
                continue;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Closed::Failed,
        }
        for event in events.drain(..) {
            let answer = match event {
                Event::Message(bytes) => {
                    // A handler that panicked poisoned the lock: it left no
                    // half-applied message (one transaction), go on.
                    let mut h = handler.lock().unwrap_or_else(|p| p.into_inner());
                    let answer = h.handle(Payload::Hl7(&bytes), &origin);
                    drop(h);
                    log(&Note::Answered {
                        peer,
                        code: ack_code(&answer.bytes),
                        failure: answer.failure,
                    });
                    answer.bytes
                }
                Event::TooLarge => {
                    log(&Note::TooLarge {
                        peer,
                        max: limits.max_message,
                    });
                    let mut h = handler.lock().unwrap_or_else(|p| p.into_inner());
                    h.refusal(&too_large_reason(limits.max_message))
                }
                Event::Flood => return Closed::Flood,
            };
            if stream.write_all(&framed(&answer)).is_err() || stream.flush().is_err() {
                return Closed::Failed;
            }
        }
    }
}

/// The ACK code (MSA-1) of an answer, read with the HL7 parser; None when
/// the answer is not an HL7 message with an MSA segment.
pub fn ack_code(answer: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(answer).ok()?;
    let message = hl7_parser::Message::parse_with_lenient_newlines(text, true).ok()?;
    let code = message.segment("MSA")?.field(1)?.raw_value();
    let code = crate::domain::text::sanitize_line(code);
    (!code.is_empty() && code.len() <= 2).then_some(code)
}

/// ERR-8 of the AR answering a frame over `max` bytes: the message was
/// not read, so the ACK cannot echo its header ([`Handler::refusal`]).
pub fn too_large_reason(max: usize) -> String {
    format!("message over {max} bytes, not read")
}

/// An AR for a message the handler never saw (too large, unreadable),
/// without the message's header; ERR gives `reason`; MSH-7 is `now`.
pub fn refusal_ack(reason: &str, now: chrono::NaiveDateTime) -> Vec<u8> {
    let refusal = Refusal {
        code: AckCode::Ar,
        place: None,
        reason: reason.to_owned(),
    };
    let control_id = format!("IRC{}", now.format("%Y%m%d%H%M%S%6f"));
    hl7::ack(None, AckCode::Ar, Some(&refusal), &control_id, now).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SocketAddr {
        s.parse()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn loopback_needs_no_list_other_addresses_do() {
        assert!(Peers::new(addr("127.0.0.1:2575"), &[]).is_ok());
        assert!(Peers::new(addr("[::1]:2575"), &[]).is_ok());
        for open in ["0.0.0.0:2575", "10.1.2.3:2575", "[::]:2575"] {
            assert_eq!(
                Peers::new(addr(open), &[]),
                Err(ListenError::OpenWithoutPeers(addr(open))),
                "{open}"
            );
            assert!(Peers::new(addr(open), &[ip("10.9.9.9")]).is_ok(), "{open}");
        }
    }

    #[test]
    fn the_listen_address_as_typed() {
        let none: &[IpAddr] = &[];
        let cases: [(&str, Result<SocketAddr, ListenError>); 10] = [
            ("127.0.0.1:2575", Ok(addr("127.0.0.1:2575"))),
            ("[::1]:2575", Ok(addr("[::1]:2575"))),
            ("localhost:2575", Ok(addr("127.0.0.1:2575"))),
            ("LocalHost.:2575", Ok(addr("127.0.0.1:2575"))),
            (
                "lab.example.org:2575",
                Err(ListenError::NameWithoutPeers("lab.example.org".into())),
            ),
            (
                "localhost",
                Err(ListenError::BadAddress("localhost".into())),
            ),
            (
                "localhost:99999",
                Err(ListenError::BadAddress("localhost:99999".into())),
            ),
            ("::1:2575", Err(ListenError::BadAddress("::1:2575".into()))),
            (":2575", Err(ListenError::BadAddress(":2575".into()))),
            (
                "bad_name!:2575",
                Err(ListenError::BadAddress("bad_name!:2575".into())),
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(listen_addr(spec, none), want, "{spec}");
        }
        // With allowed peers a name is looked up; one that cannot exist
        // (RFC 6761 .invalid) is refused in a line.
        let peers = [ip("10.9.9.9")];
        assert!(matches!(
            listen_addr("nowhere.invalid:2575", &peers),
            Err(ListenError::Unresolved { .. })
        ));
        assert_eq!(
            listen_addr("localhost:2575", &peers),
            Ok(addr("127.0.0.1:2575"))
        );
    }

    #[test]
    fn only_listed_peers_when_open() {
        let p = Peers::new(addr("0.0.0.0:2575"), &[ip("10.9.9.9")]).ok();
        let allows = |s: &str| p.as_ref().is_some_and(|p| p.allows(ip(s)));
        assert!(allows("10.9.9.9"));
        // The same peer on a dual-stack socket.
        assert!(allows("::ffff:10.9.9.9"));
        assert!(!allows("10.9.9.8"));
        // Loopback is not implied on an open address.
        assert!(!allows("127.0.0.1"));
        let local = Peers::new(addr("127.0.0.1:2575"), &[]).ok();
        assert!(local.is_some_and(|p| p.allows(ip("127.0.0.1"))));
    }

    /// On loopback, by default only the listener's own account; listed
    /// accounts instead of it; an account the kernel does not show, never.
    #[test]
    fn loopback_peers_are_the_local_accounts_allowed() {
        let me = nix::unistd::geteuid().as_raw();
        let p = Peers::new(addr("127.0.0.1:2575"), &[]).ok();
        let mine = p.clone().is_some_and(|p| p.allows_account(Some(me)));
        assert!(mine);
        assert!(!p.clone().is_some_and(|p| p.allows_account(Some(me + 1))));
        assert!(!p.clone().is_some_and(|p| p.allows_account(None)));
        let listed = p.map(|p| p.local_accounts(vec![me + 1, me + 2]));
        assert!(
            listed
                .clone()
                .is_some_and(|p| p.allows_account(Some(me + 2)))
        );
        assert!(!listed.is_some_and(|p| p.allows_account(Some(me))));
    }

    #[test]
    fn the_ack_code_is_msa_1() {
        assert_eq!(
            ack_code(b"MSH|^~\\&|A|B|C|D|20261207||ACK|1|P|2.5\rMSA|AE|42\r"),
            Some("AE".into())
        );
        assert_eq!(ack_code(b"imported 3 cases"), None);
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .unwrap_or_default();
        let ar = refusal_ack(&too_large_reason(10), now);
        assert_eq!(ack_code(&ar), Some("AR".into()));
        assert!(String::from_utf8_lossy(&ar).contains("|20261207093000||ACK|"));
    }
}
