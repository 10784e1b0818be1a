//! Who is behind a loopback connection. On loopback every local account
//! can connect, and a message the listener applies is a lab result or a
//! booking written under the role `feed`: a secretary's shell must not be
//! able to send one. The kernel's TCP tables (`/proc/net/tcp`, `tcp6`)
//! name the account owning each socket; the listener accepts a loopback
//! peer only when that account is one of [`crate::deploy::peers::LOCAL_KEY`]'s
//! (by default, the listener's own).

use std::net::SocketAddr;

/// The account (uid) owning the other end of a loopback connection we
/// accepted: the socket whose own address is `peer` and whose remote
/// address is `ours`, still established. `None` when the tables do not
/// show it (the peer has already gone, or `/proc` cannot be read): the
/// caller refuses. A socket its owner closed (FIN-WAIT, TIME-WAIT) is
/// listed as root's by the kernel, so only an established one counts: an
/// engine waits for its ACK with the connection open.
pub fn uid_of(peer: SocketAddr, ours: SocketAddr) -> Option<u32> {
    let same = |a: SocketAddr, b: SocketAddr| {
        a.port() == b.port() && a.ip().to_canonical() == b.ip().to_canonical()
    };
    [procfs::net::tcp(), procfs::net::tcp6()]
        .into_iter()
        .flatten()
        .flatten()
        .find(|e| {
            e.state == procfs::net::TcpState::Established
                && same(e.local_address, peer)
                && same(e.remote_address, ours)
        })
        .map(|e| e.uid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};

    /// Our own connection to our own listener is ours; a pair of addresses
    /// no socket has is nobody's; a peer that closed its end is nobody's
    /// (the kernel lists a closed socket as root's).
    #[test]
    fn the_peer_of_a_loopback_connection_is_its_owner() {
        for bind in ["127.0.0.1:0", "[::1]:0"] {
            let Ok(listener) = TcpListener::bind(bind) else {
                // No IPv6 on this machine.
                continue;
            };
            let ours = listener.local_addr().expect("addr");
            let client = TcpStream::connect(ours).expect("connect");
            let (stream, peer) = listener.accept().expect("accept");
            let local = stream.local_addr().expect("local");
            assert_eq!(
                uid_of(peer, local),
                Some(nix::unistd::geteuid().as_raw()),
                "{bind}"
            );
            // The listener's side is not the peer's.
            assert_eq!(uid_of(local, local), None, "{bind}");
            drop(client);
            assert_eq!(uid_of(peer, local), None, "{bind}: closed");
        }
    }
}
