//! The MLLP listener alone (issue 16, "Speed"): 1,000 ORU^R01 lab results
//! sent over one connection, each waiting for its ACK before the next (as
//! an interface engine sends), to a handler that answers a fixed ACK: what
//! the transport costs (framing, the thread, the handler's lock, the
//! loopback round trip), without the database.
//!
//! Run: `cargo bench --bench listener` (divan prints the time per 1,000
//! messages and, with the item counter, messages per second).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, LazyLock, Mutex};

use divan::Bencher;
use divan::counter::ItemsCount;
use ir_committee::feed::frame::framed;
use ir_committee::feed::mllp::{self, Limits, Peers};
use ir_committee::feed::{Answer, Handler, Origin, Payload};

const MESSAGES: usize = 1_000;

fn main() {
    divan::main();
}

/// Answers every message with the same ACK.
struct Fixed(Vec<u8>);

impl Handler for Fixed {
    fn handle(&mut self, _: Payload<'_>, _: &Origin) -> Answer {
        Answer::new(true, self.0.clone())
    }
}

/// A typical ORU^R01: a coagulation and blood count panel (fictitious patient).
fn oru(n: usize) -> String {
    [
        format!("MSH|^~\\&|LABO|CHU|IRC|RADIO|20261207083000||ORU^R01^ORU_R01|MSG{n:06}|P|2.5|||||FRA|UNICODE UTF-8"),
        "PID|1||123456^^^CHU^PI~1234567890123^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||TEST^Patient^^^^^L||19600101|F".to_owned(),
        "PV1|1|O".to_owned(),
        "ORC|RE||L20261207-1".to_owned(),
        "OBR|1||L20261207-1|24326-1^Bilan^LN|||20261207070000|||||||||||||||20261207080000||HM|F".to_owned(),
        "OBX|1|NM|34714-6^INR^LN||1.1||0.8-1.2|N|||F|||20261207070000".to_owned(),
        "OBX|2|NM|777-3^Plaquettes^LN||245|10*9/L|150-400|N|||F|||20261207070000".to_owned(),
        "OBX|3|NM|718-7^Hémoglobine^LN||13.2|g/dL|12-16|N|||F|||20261207070000".to_owned(),
        "OBX|4|NM|14682-9^Créatinine^LN||78|umol/L|45-90|N|||F|||20261207070000".to_owned(),
    ]
    .join("\r")
}

/// The listener, started once for the whole run, on a free loopback port.
static LISTENER: LazyLock<SocketAddr> = LazyLock::new(|| {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    let peers = Peers::new(addr, &[]).expect("loopback");
    let ack =
        b"MSH|^~\\&|IRC|RADIO|LABO|CHU|20261207083001||ACK^R01^ACK|A1|P|2.5\rMSA|AA|MSG000001\r";
    let handler = Arc::new(Mutex::new(Fixed(ack.to_vec())));
    let log: mllp::Log = Arc::new(|_| {});
    let stop = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || mllp::serve(listener, peers, handler, Limits::default(), stop, log));
    addr
});

#[divan::bench(sample_count = 10, sample_size = 1)]
fn thousand_oru_one_connection(bencher: Bencher) {
    let addr = *LISTENER;
    let frames: Vec<Vec<u8>> = (0..MESSAGES).map(|n| framed(oru(n).as_bytes())).collect();
    bencher.counter(ItemsCount::new(MESSAGES)).bench_local(|| {
        let mut stream = TcpStream::connect(addr).expect("connected");
        stream.set_nodelay(true).expect("nodelay");
        let mut buf = [0u8; 4096];
        for frame in &frames {
            stream.write_all(frame).expect("sent");
            let mut got = 0;
            loop {
                let n = stream.read(&mut buf[got..]).expect("an ACK");
                assert!(n > 0, "closed before the ACK");
                got += n;
                if buf[..got].ends_with(&[0x1c, 0x0d]) {
                    break;
                }
            }
        }
    });
}
