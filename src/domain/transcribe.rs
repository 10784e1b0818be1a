//! Who records the anaesthesia consultation, and how (issue 14, §4): an
//! anaesthetist records their own; anyone else allowed to record it (the
//! chair, a radiographer, a secretary: `Permission::RecordAnaesthesia`)
//! transcribes it, naming the anaesthetist who saw the patient, and the
//! object keeps both names (`anaesthetist`, `transcribed_by`: the login of
//! who typed it). The screen's form asks for what this requires; the
//! storage layer refuses what breaks it, whatever the path.
//!
//! Pure: no SQL, no words (`crate::text::error::storage` says them).

use super::model::AnaesthesiaConsult;
use super::roles::Role;

/// Who transcribes when `login`, of `role`, records an anaesthesia
/// consultation: `None` for an anaesthetist (their own record), the login
/// for anyone else.
pub fn transcriber(role: Option<Role>, login: &str) -> Option<String> {
    (role != Some(Role::Anaesthetist)).then(|| login.to_owned())
}

/// Why a person's record of the consultation is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranscriptionProblem {
    /// Someone other than an anaesthetist records it without marking it
    /// as their transcription.
    NotMarked,
    /// It names another login as the one who transcribed it.
    OtherTranscriber { named: String },
    /// A transcription that does not name the anaesthetist.
    NoAnaesthetist,
}

/// Checks a consultation `login`, of `role`, is about to record by hand
/// (the screen's forms, scripts; not an import, which carries the hospital
/// system's record).
pub fn check(
    role: Option<Role>,
    login: &str,
    consult: &AnaesthesiaConsult,
) -> Result<(), TranscriptionProblem> {
    match (&consult.transcribed_by, transcriber(role, login)) {
        (Some(named), _) if named != login => Err(TranscriptionProblem::OtherTranscriber {
            named: named.clone(),
        }),
        (None, Some(_)) => Err(TranscriptionProblem::NotMarked),
        (Some(_), _)
            if consult
                .anaesthetist
                .as_deref()
                .is_none_or(super::text::is_blank) =>
        {
            Err(TranscriptionProblem::NoAnaesthetist)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::When;

    fn consult(anaesthetist: Option<&str>, transcribed_by: Option<&str>) -> AnaesthesiaConsult {
        AnaesthesiaConsult {
            at: When::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")),
            anaesthetist: anaesthetist.map(str::to_owned),
            conclusion: None,
            conditions: None,
            transcribed_by: transcribed_by.map(str::to_owned),
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn only_an_anaesthetist_records_without_transcribing() {
        use Role::*;
        use TranscriptionProblem as P;
        let other = || P::OtherTranscriber { named: "other".into() };
        type Row = (Role, Option<&'static str>, Option<&'static str>, Result<(), P>);
        let table: &[Row] = &[
            (Anaesthetist, None, None, Ok(())),
            (Anaesthetist, Some("Dr Blanc"), None, Ok(())),
            // An anaesthetist may also transcribe a colleague's, as themself.
            (Anaesthetist, Some("Dr Blanc"), Some("me"), Ok(())),
            (Anaesthetist, Some("Dr Blanc"), Some("other"), Err(other())),
            (Secretary, Some("Dr Blanc"), Some("me"), Ok(())),
            (Radiographer, Some("Dr Blanc"), Some("me"), Ok(())),
            (Chair, Some("Dr Blanc"), Some("me"), Ok(())),
            (Secretary, Some("Dr Blanc"), None, Err(P::NotMarked)),
            (Secretary, None, Some("me"), Err(P::NoAnaesthetist)),
            (Radiographer, Some("  "), Some("me"), Err(P::NoAnaesthetist)),
            (Secretary, Some("Dr Blanc"), Some("other"), Err(other())),
        ];
        for (role, name, by, want) in table {
            assert_eq!(&check(Some(*role), "me", &consult(*name, *by)), want, "{role} {name:?} {by:?}");
        }
        assert_eq!(transcriber(Some(Anaesthetist), "me"), None);
        assert_eq!(transcriber(Some(Secretary), "me").as_deref(), Some("me"));
        assert_eq!(transcriber(None, "me").as_deref(), Some("me"));
    }
}
