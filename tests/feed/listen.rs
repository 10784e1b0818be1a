//! `listen --mllp`: the listener with the test handler, then the real
//! binary, each talked to by python-hl7's MLLP client.

use super::*;

/// The python-hl7 sender, or None (locally) when Python or the package is
/// missing. In CI (`CI=true`) a missing client fails the test: `.ci/run`
/// installs it.
fn python_client() -> Option<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feed/mllp_client.py");
    let found = Command::new("python3")
        .args(["-c", "import hl7.client"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if found {
        return Some(script);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !ci,
        "python3 with the hl7 package (python-hl7) is needed for the MLLP end-to-end tests: pip install hl7"
    );
    println!("skipped: python3 with the hl7 package not found (pip install hl7)");
    None
}

/// An ACK's (MSA-1, MSA-2), None when the listener closed without one.
type Msa = Option<(String, String)>;

/// What the listener saw and said.
type Seen = (Vec<(String, Origin)>, Vec<mllp::Note>);

/// One step for the client: a message, or a frame of N bytes.
enum Step {
    Message(String),
    Oversize(usize),
}

/// Sends the steps over one connection to `addr`; per step, the ACK's
/// (MSA-1, MSA-2), or None when the listener closed without answering.
fn send(
    client: &Path,
    addr: SocketAddr,
    steps: &[Step],
) -> Result<Vec<Msa>, Box<dyn std::error::Error>> {
    let json: Vec<Value> = steps
        .iter()
        .map(|s| match s {
            Step::Message(m) => serde_json::json!({ "message": m }),
            Step::Oversize(n) => serde_json::json!({ "oversize": n }),
        })
        .collect();
    let mut child = Command::new("python3")
        .arg(client)
        .arg(addr.ip().to_string())
        .arg(addr.port().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(serde_json::to_string(&json)?.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    assert!(
        out.status.success(),
        "the python client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout)?;
    Ok(answers
        .iter()
        .map(|a| {
            let field = |k: &str| a.get(k).and_then(Value::as_str).map(str::to_owned);
            field("msa1").zip(field("msa2"))
        })
        .collect())
}

fn ack(code: &str, id: &str) -> Msa {
    Some((code.to_owned(), id.to_owned()))
}

/// The listener with `Echo` on a free loopback port, in a thread.
struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    echo: Arc<Mutex<Echo>>,
    notes: Arc<Mutex<Vec<mllp::Note>>>,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

fn start(limits: Limits) -> Result<Running, Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let peers = Peers::new(addr, &[]).map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    let echo = Arc::new(Mutex::new(Echo::default()));
    let notes = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&notes);
    let log: mllp::Log = Arc::new(move |n| {
        if let Ok(mut v) = kept.lock() {
            v.push(n.clone());
        }
    });
    let (s, e) = (Arc::clone(&stop), Arc::clone(&echo));
    let thread = std::thread::spawn(move || mllp::serve(listener, peers, e, limits, s, log));
    Ok(Running {
        addr,
        stop,
        echo,
        notes,
        thread,
    })
}

impl Running {
    fn stop(self) -> Result<Seen, Box<dyn std::error::Error>> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().map_err(|_| "the listener panicked")??;
        let seen = self.echo.lock().map_err(|_| "poisoned")?.seen.clone();
        let notes = self.notes.lock().map_err(|_| "poisoned")?.clone();
        Ok((seen, notes))
    }
}

#[test]
fn the_listener_answers_each_message_on_one_connection() -> TestResult {
    let Some(client) = python_client() else {
        return Ok(());
    };
    let limits = Limits {
        max_message: 4096,
        ..Limits::default()
    };
    let running = start(limits)?;
    let addr = running.addr;
    let answers = send(
        &client,
        addr,
        &[
            Step::Message(oru("M1")),
            Step::Message(oru_without_pid("M2")),
            Step::Message("not HL7 at all".into()),
            Step::Oversize(4097),
            // The limit itself is taken, and the connection goes on.
            Step::Message(format!(
                "{}\rNTE|1||{}",
                oru("M3"),
                "x".repeat(4096 - oru("M3").len() - 8)
            )),
            Step::Message(oru("M4")),
        ],
    )?;
    assert_eq!(
        answers,
        vec![
            ack("AA", "M1"),
            ack("AE", "M2"),
            ack("AR", ""),
            ack("AR", ""),
            ack("AA", "M3"),
            ack("AA", "M4"),
        ]
    );
    // The oversized frame's AR came from the handler (its clock, its zone).
    let refused = running.echo.lock().map_err(|_| "poisoned")?.refused.clone();
    assert_eq!(refused, ["message over 4096 bytes, not read"]);
    let (seen, notes) = running.stop()?;
    let ids: Vec<&str> = seen.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["M1", "M2", "", "M3", "M4"],
        "the oversized frame never reached the handler"
    );
    assert!(matches!(seen[0].1, Origin::Peer(p) if p.ip().is_loopback()));
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, mllp::Note::TooLarge { max: 4096, .. }))
    );
    assert!(notes.contains(&mllp::Note::Stopped));
    Ok(())
}

#[test]
fn a_stuck_peer_is_let_go_and_the_cap_holds() -> TestResult {
    let limits = Limits {
        max_connections: 1,
        frame_timeout: Duration::from_millis(300),
        tick: Duration::from_millis(50),
        ..Limits::default()
    };
    let running = start(limits)?;
    let mut stuck = TcpStream::connect(running.addr)?;
    stuck.write_all(b"\x0bMSH|^~\\&|half a message")?;
    std::thread::sleep(Duration::from_millis(100));
    // Over the cap: closed unanswered.
    let mut second = TcpStream::connect(running.addr)?;
    second.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut buf = [0u8; 16];
    assert_eq!(second.read(&mut buf).unwrap_or(0), 0);
    // The stuck one is closed after the frame timeout, though it still
    // sends a byte now and then.
    for _ in 0..10 {
        if stuck.write_all(b"x").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(60));
    }
    stuck.set_read_timeout(Some(Duration::from_secs(5)))?;
    assert_eq!(stuck.read(&mut buf).unwrap_or(0), 0);
    // Then a new connection is served.
    let mut third = TcpStream::connect(running.addr)?;
    third.set_read_timeout(Some(Duration::from_secs(5)))?;
    third.write_all(&ir_committee::feed::frame::framed(oru("M9").as_bytes()))?;
    let mut got = Vec::new();
    while !got.ends_with(b"\x1c\x0d") {
        let n = third.read(&mut buf)?;
        assert!(n > 0, "closed before the ACK");
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(mllp::ack_code(&got[1..got.len() - 2]), Some("AA".into()));
    drop((stuck, second, third));
    let (_, notes) = running.stop()?;
    assert!(notes.iter().any(|n| matches!(n, mllp::Note::TooMany(_))));
    assert!(notes.iter().any(|n| matches!(
        n,
        mllp::Note::Closed {
            why: mllp::Closed::Stuck,
            ..
        }
    )));
    Ok(())
}

/// A connection to `target` once the listener there is up.
fn connect_when_up(target: SocketAddr) -> TcpStream {
    let start = Instant::now();
    loop {
        if let Ok(s) = TcpStream::connect(target) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "listen did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The stop (SIGTERM) lets the message in hand arrive and answers it,
/// then closes the connection.
#[test]
fn the_stop_finishes_the_message_in_hand() -> TestResult {
    let running = start(Limits {
        tick: Duration::from_millis(50),
        ..Limits::default()
    })?;
    let mut stream = TcpStream::connect(running.addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let frame = ir_committee::feed::frame::framed(oru("S1").as_bytes());
    let (head, tail) = frame.split_at(40);
    stream.write_all(head)?;
    std::thread::sleep(Duration::from_millis(200));
    running.stop.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(tail)?;
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert!(got.ends_with(b"\x1c\x0d"), "answered, then closed: {got:?}");
    assert_eq!(mllp::ack_code(&got[1..got.len() - 2]), Some("AA".into()));
    let (seen, notes) = running.stop()?;
    assert_eq!(seen.len(), 1);
    assert!(notes.iter().any(|n| matches!(
        n,
        mllp::Note::Closed {
            why: mllp::Closed::Stopping,
            ..
        }
    )));
    Ok(())
}

fn free_port() -> Result<u16, std::io::Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts the real `listen` and waits until it accepts connections.
fn real_listen(db: &Path, addr: &str) -> Result<Killed, Box<dyn std::error::Error>> {
    real_listen_at(db, addr, None)
}

/// [`real_listen`] on a fixed day (`--today`, a demo file's clock).
fn real_listen_on(
    db: &Path,
    addr: &str,
    today: &str,
) -> Result<Killed, Box<dyn std::error::Error>> {
    real_listen_at(db, addr, Some(today))
}

fn real_listen_at(
    db: &Path,
    addr: &str,
    today: Option<&str>,
) -> Result<Killed, Box<dyn std::error::Error>> {
    let mut cmd = real(db);
    if let Some(day) = today {
        cmd.args(["--today", day]);
    }
    let child = cmd
        .args(["listen", "--mllp", addr])
        .stderr(Stdio::piped())
        .spawn()?;
    let mut child = Killed(child);
    let target: SocketAddr = addr.parse()?;
    let start = Instant::now();
    while TcpStream::connect(target).is_err() {
        if let Some(status) = child.0.try_wait()? {
            let mut err = String::new();
            if let Some(mut e) = child.0.stderr.take() {
                e.read_to_string(&mut err)?;
            }
            return Err(format!("listen exited ({status}): {err}").into());
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "listen did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(child)
}

#[test]
fn the_real_listener_answers_limits_and_stops_on_sigterm() -> TestResult {
    let Some(client) = python_client() else {
        return Ok(());
    };
    let (_tmp, db) = common::imported();
    let addr = format!("127.0.0.1:{}", free_port()?);
    let child = real_listen(&db, &addr)?;
    let answers = send(
        &client,
        addr.parse()?,
        &[
            Step::Message(oru("R1")),
            Step::Message("not HL7 at all".into()),
            Step::Oversize((1 << 20) + 1),
            Step::Message(oru_without_pid("R2")),
        ],
    )?;
    assert_eq!(answers.len(), 4, "{answers:?}");
    // Whatever the handler makes of them, each is answered with an ACK;
    // a message that parses has its MSH-10 echoed.
    assert_eq!(answers[0].as_ref().map(|a| a.1.as_str()), Some("R1"));
    assert!(matches!(
        answers[0].as_ref().map(|a| a.0.as_str()),
        Some("AA" | "AE" | "AR")
    ));
    // Unusable: refused, never accepted.
    assert!(matches!(
        answers[1].as_ref().map(|a| a.0.as_str()),
        Some("AE" | "AR")
    ));
    // Over 1 MiB: AR, and the connection went on.
    assert_eq!(answers[2].as_ref().map(|a| a.0.as_str()), Some("AR"));
    assert!(matches!(
        answers[3].as_ref().map(|a| a.0.as_str()),
        Some("AE" | "AR")
    ));
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(
        err.contains(&format!("listen: listening on {addr} (MLLP)")),
        "{err}"
    );
    assert!(
        err.contains("AR (message over 1048576 bytes, not read)"),
        "{err}"
    );
    assert!(err.contains("listen: stopped"), "{err}");
    // No patient data in the log.
    assert!(!err.contains("TEST") && !err.contains("123456"), "{err}");
    Ok(())
}

#[test]
fn the_real_listener_stays_on_loopback_unless_peers_are_listed() -> TestResult {
    let (_tmp, db) = common::imported();
    let port = free_port()?;
    let out = real(&db)
        .args(["listen", "--mllp", &format!("0.0.0.0:{port}")])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("is not a loopback address and no peers are allowed"),
        "{err}"
    );
    // Listed peers that do not include this one: the connection is closed
    // unanswered, and logged with the address only.
    let mut cmd = real(&db);
    cmd.env("IR_COMMITTEE_MLLP_ALLOWED_PEERS", "192.0.2.7")
        .args(["listen", "--mllp", &format!("0.0.0.0:{port}")])
        .stderr(Stdio::piped());
    let child = Killed(cmd.spawn()?);
    let target: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let mut stream = connect_when_up(target);
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let _ = stream.write_all(&ir_committee::feed::frame::framed(oru("P1").as_bytes()));
    let mut buf = [0u8; 64];
    assert_eq!(
        stream.read(&mut buf).unwrap_or(0),
        0,
        "answered a peer not listed"
    );
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(err.contains("not an allowed peer, closed"), "{err}");
    Ok(())
}

/// `listen --config FILE` (a service started with NoNewPrivileges=yes,
/// where the setgid bit does nothing): the database and the allowed peers
/// come from the file, which must be root's like the deployment's.
#[test]
fn the_real_listener_takes_a_services_configuration() -> TestResult {
    let (tmp, db) = common::imported();
    let etc = tmp.path().join("etc");
    std::fs::create_dir(&etc)?;
    std::fs::set_permissions(&etc, std::fs::Permissions::from_mode(0o755))?;
    let conf = etc.join("config");
    std::fs::write(
        &conf,
        format!(
            "database = {}\nmllp_allowed_peers = 192.0.2.7\n",
            db.display()
        ),
    )?;
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o644))?;
    let port = free_port()?;
    let open = format!("0.0.0.0:{port}");
    let out = real(&db)
        .args(["listen", "--mllp", &open, "--config"])
        .arg(&conf)
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--config names the database: leave --db out"),
        "{err}"
    );
    let mut cmd = Command::new(bin_path());
    cmd.args(["--lang", "en", "listen", "--mllp", &open, "--config"])
        .arg(&conf)
        .env_remove("IR_COMMITTEE_DB")
        .env_remove("IR_COMMITTEE_MLLP_ALLOWED_PEERS")
        .stderr(Stdio::piped());
    if uid() != 0 {
        // Not root's: refused, as the deployment's configuration would be.
        let out = cmd.output()?;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("is owned by uid {}, not root", uid())),
            "{err}"
        );
        return Ok(());
    }
    let child = Killed(cmd.spawn()?);
    let target: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let mut stream = connect_when_up(target);
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let _ = stream.write_all(&ir_committee::feed::frame::framed(oru("C1").as_bytes()));
    let mut buf = [0u8; 64];
    assert_eq!(
        stream.read(&mut buf).unwrap_or(0),
        0,
        "answered a peer not listed"
    );
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    assert!(
        err.contains(&format!("listen: listening on {open}")),
        "{err}"
    );
    assert!(err.contains("not an allowed peer, closed"), "{err}");
    Ok(())
}

#[path = "e2e.rs"]
mod e2e;

#[path = "listen_start.rs"]
mod real_start;

/// On loopback, only the local accounts allowed may send: by default the
/// listener's own; with `mllp_local_accounts` naming another account, this
/// test's connection is closed unanswered and logged with its uid; an
/// account the machine does not know stops the listener before it starts.
#[test]
fn the_real_listener_answers_only_its_local_accounts() -> TestResult {
    if nix::unistd::geteuid().as_raw() == 65534 {
        return Ok(());
    }
    let (_tmp, db) = common::imported();
    let out = real(&db)
        .env(LOCAL_ENV, "no-such-account-here")
        .args(["listen", "--mllp", &format!("127.0.0.1:{}", free_port()?)])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no account 'no-such-account-here'"), "{err}");
    let port = free_port()?;
    let mut cmd = real(&db);
    cmd.env(LOCAL_ENV, "nobody")
        .args(["listen", "--mllp", &format!("127.0.0.1:{port}")])
        .stderr(Stdio::piped());
    let child = Killed(cmd.spawn()?);
    let target: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let mut stream = connect_when_up(target);
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let _ = stream.write_all(&ir_committee::feed::frame::framed(oru("P1").as_bytes()));
    let mut buf = [0u8; 64];
    assert_eq!(
        stream.read(&mut buf).unwrap_or(0),
        0,
        "answered a local account not listed"
    );
    let (status, err) = child.term()?;
    assert_eq!(status, Some(0), "{err}");
    let me = nix::unistd::geteuid().as_raw();
    assert!(
        err.contains(&format!(
            "the local account of uid {me} is not in mllp_local_accounts"
        )),
        "{err}"
    );
    Ok(())
}

const LOCAL_ENV: &str = ir_committee::deploy::peers::LOCAL_ENV;
