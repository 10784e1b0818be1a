//! The re-imported items in the committee's words.

use crate::domain::record::EvidenceKind;
use crate::domain::reimport::{Field, ScheduleField};
use crate::text::Lang;

impl Field {
    /// The item in the committee's words.
    pub fn label(self, lang: Lang) -> &'static str {
        use EvidenceKind as E;
        use ScheduleField as S;
        let (en, fr) = match self {
            Field::Evidence(E::Consultation) => (
                "IR consultation and consent",
                "consultation de RI et consentement",
            ),
            Field::Evidence(E::AnaesthesiaConsult) => {
                ("anaesthesia consultation", "consultation d'anesthésie")
            }
            Field::Evidence(E::Imaging) => ("imaging", "imagerie"),
            Field::Evidence(E::Biology) => ("biology", "biologie"),
            Field::Evidence(E::Coagulation) => ("coagulation", "coagulation"),
            Field::Evidence(E::Medications) => (
                "anticoagulants and antiplatelets",
                "anticoagulants et antiagrégants",
            ),
            Field::Evidence(E::Scores) => ("score items", "items des scores"),
            Field::Schedule(S::ScheduledAt) => ("date and time", "date et heure"),
            Field::Schedule(S::Room) => ("room", "salle"),
            Field::Schedule(S::Operator) => ("operator", "opérateur"),
            Field::Schedule(S::Techniques) => ("techniques", "techniques"),
            Field::Schedule(S::Target) => ("target", "cible"),
            Field::Schedule(S::Anaesthesia) => ("anaesthesia", "anesthésie"),
            Field::Schedule(S::BleedingRisk) => ("bleeding risk", "risque hémorragique"),
            Field::Schedule(S::DurationMin) => ("duration", "durée"),
            Field::Schedule(S::PainVas) => ("pain (VAS)", "douleur (EVA)"),
            Field::Schedule(S::LifeExpectancy) => {
                ("life expectancy over 6 months", "espérance de vie > 6 mois")
            }
            Field::Schedule(S::Access) => ("access route", "voie d'abord"),
        };
        match lang {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}
