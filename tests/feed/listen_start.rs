//! `listen` through the real binary, where it starts and what it says:
//! the address as typed (localhost, IPv6 loopback, a host name), and the
//! cause in the log when the committee file does not take a message.

use super::*;

/// One framed message to `addr` on a new connection; its ACK.
fn send_raw(addr: SocketAddr, message: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(&ir_committee::feed::frame::framed(message.as_bytes()))?;
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.ends_with(b"\x1c\x0d") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    Ok(got)
}

/// The tester's finding: a file the listener cannot write (here upgraded
/// by a newer ir-committee while it runs) was answered AE and logged with
/// no cause. Now AR, ERR-8 and the log line say why, without patient data.
#[test]
fn the_real_listener_says_why_the_file_did_not_take_a_message() -> TestResult {
    let (_tmp, db) = common::imported();
    let addr = format!("127.0.0.1:{}", free_port()?);
    let child = real_listen(&db, &addr)?;
    let newer = ir_committee::storage::migrate::LATEST + 1;
    rusqlite::Connection::open(&db)?.pragma_update(None, "user_version", newer)?;
    let ack = send_raw(addr.parse()?, &oru("N1"))?;
    let text = String::from_utf8_lossy(&ack);
    assert_eq!(
        mllp::ack_code(&ack[1..ack.len() - 2]).as_deref(),
        Some("AE"),
        "{text:?}"
    );
    assert!(
        text.contains("not applied: the committee file was upgraded by a newer ir-committee"),
        "{text:?}"
    );
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(
        err.contains(": AE (not applied: the committee file was upgraded by a newer ir-committee, upgrade this one)"),
        "{err}"
    );
    assert!(!err.contains("TEST") && !err.contains("123456"), "{err}");
    Ok(())
}

/// The tester's finding: `listen --mllp localhost:PORT` was refused (an
/// IP address was required). Now localhost is 127.0.0.1; `[::1]:PORT`
/// works too (where the machine has IPv6 loopback); another host name
/// without allowed peers is refused in one line, before any lookup.
#[test]
fn the_real_listener_takes_localhost_and_ipv6_loopback() -> TestResult {
    let (_tmp, db) = common::imported();
    let port = free_port()?;
    let mut cmd = real(&db);
    let child = Killed(
        cmd.args(["listen", "--mllp", &format!("localhost:{port}")])
            .stderr(Stdio::piped())
            .spawn()?,
    );
    let target = SocketAddr::from(([127, 0, 0, 1], port));
    drop(connect_when_up(target));
    let ack = send_raw(target, &oru("L1"))?;
    assert!(mllp::ack_code(&ack[1..ack.len() - 2]).is_some(), "{ack:?}");
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(
        err.contains(&format!("listen: listening on 127.0.0.1:{port} (MLLP)")),
        "{err}"
    );
    if TcpListener::bind("[::1]:0").is_ok() {
        let port = free_port()?;
        let child = real_listen(&db, &format!("[::1]:{port}"))?;
        let ack = send_raw(format!("[::1]:{port}").parse()?, &oru("L2"))?;
        assert!(mllp::ack_code(&ack[1..ack.len() - 2]).is_some(), "{ack:?}");
        let (status, err) = child.term()?;
        assert_eq!(status, Some(0), "{err}");
    }
    for (spec, says) in [
        (
            "lab.example.org:2575",
            "listen: lab.example.org is a host name other than localhost and no peers are allowed",
        ),
        ("localhost", "listen: 'localhost' is not ADDR:PORT"),
    ] {
        let out = real(&db).args(["listen", "--mllp", spec]).output()?;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{spec}: {err}");
        assert_eq!(err.lines().count(), 1, "{spec}: {err}");
        assert!(err.contains(says), "{spec}: {err}");
    }
    Ok(())
}
