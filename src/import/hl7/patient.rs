//! MSH (who sent the message, its id) and PID (the patient, IHE PAM France).

use hl7_parser::message::{Repeat, Segment};

use super::read::{Reader, Stamp, invalid, missing, refuse, short, stamp};
use super::types::{AckCode, Header, InsStatus, PatientIdentity, Refusal};
use crate::domain::vocab::Sex;

/// HL7's explicit null: the value is deleted (an empty one is unchanged).
const NULL: &str = "\"\"";

/// OIDs of the INS in PID-3 CX.4 (ANS): INS-NIR, INS-NIA, and the test
/// NIR and NIA of the qualification platforms.
pub const INS_OIDS: [&str; 4] = [
    "1.2.250.1.213.1.4.8",
    "1.2.250.1.213.1.4.9",
    "1.2.250.1.213.1.4.10",
    "1.2.250.1.213.1.4.11",
];

/// The header as far as it can be read, for the ACK of any message, even
/// one refused later (MSH-10 may be empty here).
pub fn header_of(r: &Reader) -> Option<Header> {
    let msh = r.message.segment("MSH")?;
    Some(Header {
        sending_application: hd(r, msh, 3),
        sending_facility: hd(r, msh, 4),
        receiving_application: hd(r, msh, 5),
        receiving_facility: hd(r, msh, 6),
        message_type: r.text(msh, 9, 1).to_ascii_uppercase(),
        trigger: r.text(msh, 9, 2).to_ascii_uppercase(),
        control_id: r.text(msh, 10, 1),
        processing_id: r.text(msh, 11, 1),
        version: r.text(msh, 12, 1),
        digest: String::new(),
    })
}

/// An HD (MSH-3 to MSH-6): its namespace id, else its universal id (OID).
fn hd(r: &Reader, msh: &Segment, field: usize) -> String {
    Some(r.text(msh, field, 1))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| r.text(msh, field, 2))
}

/// The header of a message to apply: MSH-9, MSH-10 and MSH-12 required;
/// versions 2.1 to 2.9 (with any sub-release, e.g. 2.5.1) taken.
pub fn header(r: &Reader) -> Result<Header, Refusal> {
    let h = header_of(r).ok_or_else(|| missing("MSH", 1, 0, "message header"))?;
    if h.message_type.is_empty() {
        return Err(missing("MSH", 1, 9, "message type"));
    }
    if h.control_id.is_empty() {
        return Err(missing("MSH", 1, 10, "message control id"));
    }
    if h.version.is_empty() {
        return Err(missing("MSH", 1, 12, "version id"));
    }
    let mut parts = h.version.split('.');
    let major = parts.next();
    let minor_ok = parts
        .next()
        .is_some_and(|m| m.len() == 1 && m.bytes().all(|b| (b'1'..=b'9').contains(&b)));
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if major != Some("2") || !minor_ok || !rest_ok {
        return Err(refuse(
            AckCode::Ar,
            "MSH",
            1,
            12,
            format!(
                "HL7 version {} is not taken (2.1 to 2.9)",
                short(&h.version)
            ),
        ));
    }
    Ok(h)
}

/// The message's single PID.
pub fn pid_segment<'a, 'm>(r: &'a Reader<'m>) -> Result<&'a Segment<'m>, Refusal> {
    let pid = r
        .message
        .segment("PID")
        .ok_or_else(|| missing("PID", 1, 0, "patient identification"))?;
    if r.message.segment_count("PID") > 1 {
        return Err(refuse(
            AckCode::Ar,
            "PID",
            2,
            0,
            "the message is about several patients: send one patient per message".into(),
        ));
    }
    Ok(pid)
}

/// The patient of PID: the IPP (PID-3 of type PI, else the first that is
/// not the INS) with its assigning authority (CX.4 HD.1, else HD.2), the INS
/// and its qualification (PID-32 `VALI`), the legal name (PID-5 of type L
/// when there are several), the birth date (PID-7, to the day at least) and
/// the sex (PID-8: F, M, anything else X). An empty given name (PID-5.2)
/// or sex (PID-8, or U) is absent (`None`): in HL7 an empty value means "no
/// change", only `""` deletes.
pub fn patient(r: &Reader, pid: &Segment) -> Result<PatientIdentity, Refusal> {
    let ids = r.repeats(pid, 3);
    let id_of = |rep: &Repeat| r.comp(rep, 1);
    let is_ins = |rep: &Repeat| {
        let hd: Vec<String> = (1..=3).map(|s| r.sub(rep, 4, s)).collect();
        hd.iter().any(|v| INS_OIDS.contains(&v.as_str()))
    };
    let local: Vec<&Repeat> = ids
        .iter()
        .filter(|rep| !id_of(rep).is_empty() && !is_ins(rep))
        .collect();
    let chosen = local
        .iter()
        .find(|rep| r.comp(rep, 5).eq_ignore_ascii_case("PI"))
        .or_else(|| local.first())
        .ok_or_else(|| missing("PID", 1, 3, "patient identifier: no local identifier (IPP)"))?;
    let authority = Some(r.sub(chosen, 4, 1))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| r.sub(chosen, 4, 2));
    let qualified = r
        .repeats(pid, 32)
        .iter()
        .any(|rep| r.comp(rep, 1).eq_ignore_ascii_case("VALI"));
    let ins = ids
        .iter()
        .find(|rep| is_ins(rep) && !id_of(rep).is_empty())
        .map(|rep| {
            let status = if qualified {
                InsStatus::Qualified
            } else {
                InsStatus::NotQualified
            };
            (id_of(rep), status)
        });

    let names = r.repeats(pid, 5);
    let name = names
        .iter()
        .find(|rep| r.comp(rep, 7).eq_ignore_ascii_case("L"))
        .or_else(|| names.first());
    let (last_name, first_name) = name
        .map(|rep| (r.comp(rep, 1), r.comp(rep, 2)))
        .unwrap_or_default();
    if last_name.is_empty() || last_name == NULL {
        return Err(missing("PID", 1, 5, "patient name"));
    }
    // An empty component is "no change"; only `""` deletes.
    let first_name = match first_name.as_str() {
        "" => None,
        NULL => Some(String::new()),
        _ => Some(first_name),
    };

    let birth = r.text(pid, 7, 1);
    if birth.is_empty() {
        return Err(missing("PID", 1, 7, "birth date"));
    }
    // A birth date is a calendar day: read as written, never shifted.
    let birth_day = birth.get(..8).unwrap_or("");
    let birth_date = match stamp(birth_day, chrono_tz::UTC) {
        Some(Stamp::Day(d)) if stamp(&birth, chrono_tz::UTC).is_some() => d,
        _ => return Err(invalid("PID", 1, 7, "a birth date (YYYYMMDD)")),
    };

    // Empty, or U (unknown to the sender): no change; `""` (deleted) and
    // any other code (O, A, N...): X.
    let sex = match r.text(pid, 8, 1).to_ascii_uppercase().as_str() {
        "" | "U" => None,
        "F" => Some(Sex::F),
        "M" => Some(Sex::M),
        _ => Some(Sex::X),
    };
    Ok(PatientIdentity {
        ipp: id_of(chosen),
        authority,
        ins,
        last_name,
        first_name,
        birth_date,
        sex,
    })
}
