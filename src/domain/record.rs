//! A case as the register holds it: the dossier plus what the database
//! knows about it (row id, version, decision, who recorded each evidence
//! object, notes). What `check` reports and the screen shows.

use serde::{Deserialize, Serialize};

use super::model::CaseFile;
use super::vocab::DecisionStatus;

/// The evidence objects of a case, each stored and edited on its own
/// (the `evidence.kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Consultation,
    AnaesthesiaConsult,
    Imaging,
    Biology,
    Coagulation,
    Medications,
    Scores,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 7] = [
        EvidenceKind::Consultation,
        EvidenceKind::AnaesthesiaConsult,
        EvidenceKind::Imaging,
        EvidenceKind::Biology,
        EvidenceKind::Coagulation,
        EvidenceKind::Medications,
        EvidenceKind::Scores,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Consultation => "consultation",
            EvidenceKind::AnaesthesiaConsult => "anaesthesia_consult",
            EvidenceKind::Imaging => "imaging",
            EvidenceKind::Biology => "biology",
            EvidenceKind::Coagulation => "coagulation",
            EvidenceKind::Medications => "medications",
            EvidenceKind::Scores => "scores",
        }
    }

    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl CaseFile {
    /// One evidence object as JSON, `None` when absent.
    pub fn evidence_json(&self, kind: EvidenceKind) -> serde_json::Result<Option<String>> {
        fn json<T: Serialize>(v: &Option<T>) -> serde_json::Result<Option<String>> {
            v.as_ref().map(serde_json::to_string).transpose()
        }
        match kind {
            EvidenceKind::Consultation => json(&self.consultation),
            EvidenceKind::AnaesthesiaConsult => json(&self.anaesthesia_consult),
            EvidenceKind::Imaging => json(&self.imaging),
            EvidenceKind::Biology => json(&self.biology),
            EvidenceKind::Coagulation => json(&self.coagulation),
            EvidenceKind::Medications => json(&self.medications),
            EvidenceKind::Scores => json(&self.scores),
        }
    }

    /// Sets one evidence object from its JSON.
    pub fn set_evidence_json(&mut self, kind: EvidenceKind, data: &str) -> serde_json::Result<()> {
        match kind {
            EvidenceKind::Consultation => self.consultation = Some(serde_json::from_str(data)?),
            EvidenceKind::AnaesthesiaConsult => {
                self.anaesthesia_consult = Some(serde_json::from_str(data)?)
            }
            EvidenceKind::Imaging => self.imaging = Some(serde_json::from_str(data)?),
            EvidenceKind::Biology => self.biology = Some(serde_json::from_str(data)?),
            EvidenceKind::Coagulation => self.coagulation = Some(serde_json::from_str(data)?),
            EvidenceKind::Medications => self.medications = Some(serde_json::from_str(data)?),
            EvidenceKind::Scores => self.scores = Some(serde_json::from_str(data)?),
        }
        Ok(())
    }
}

/// Who recorded an evidence object, when, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub kind: EvidenceKind,
    /// `import:<file>`, `demo`, or later the screen's form.
    pub source: String,
    /// UTC, RFC 3339.
    pub at: String,
    pub by: String,
    pub version: i64,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub at: String,
    pub author: String,
    pub body: String,
    pub source: String,
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCase {
    pub id: i64,
    pub version: i64,
    pub status: DecisionStatus,
    pub file: CaseFile,
    /// One entry per evidence object present, in [`EvidenceKind::ALL`] order.
    pub recorded: Vec<Recorded>,
    pub notes: Vec<Note>,
}

impl StoredCase {
    pub fn recorded(&self, kind: EvidenceKind) -> Option<&Recorded> {
        self.recorded.iter().find(|r| r.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::from(k.as_str()))
            );
        }
        assert_eq!(EvidenceKind::parse("notes"), None);
    }
}
