//! What the feed's storage tests share: the HL7 fixtures of
//! `tests/hl7/`, a message sent through the real handler, the file's user
//! taking a role.

use crate::feed::handler::StorageHandler;
use crate::feed::{Handler, Origin, Payload};
use crate::storage::StorageError;

/// The fixture `name` of `tests/hl7/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/hl7/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("fixture")
}

/// Sends `text`; the ACK's MSA-1.
pub(crate) fn send(h: &mut StorageHandler, text: &str) -> String {
    let a = h.handle(Payload::Hl7(text.as_bytes()), &Origin::File("t.hl7".into()));
    let ack = String::from_utf8_lossy(&a.bytes).into_owned();
    ack.split('\r')
        .find_map(|s| s.strip_prefix("MSA|"))
        .map(|s| s.chars().take(2).collect())
        .unwrap_or(ack)
}

/// The file's user takes `role`.
pub(crate) fn be(h: &mut StorageHandler, role: &str) {
    let login = h.db().login().to_owned();
    h.db_mut()
        .write(|w| {
            w.tx().execute(
                "UPDATE users SET role = ?1 WHERE login = ?2",
                [role, login.as_str()],
            )?;
            Ok::<_, StorageError>(())
        })
        .expect("role");
}
