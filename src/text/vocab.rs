//! One label per variant of every domain enum, in each language: the
//! vocabulary every layer (screen, exports, command line, rule messages)
//! prints. The files, the database and JSON keep the wire words
//! (`as_str`).
//!
//! Choices where the files disagreed before (issue 13), settled on the
//! practice guide (`../shared/reference`, the référentiel):
//! - tunnelled drains: « cathéter tunnélisé pleural / péritonéal », the
//!   guide's noun and spelling (p. 16 "drainage par cathéter tunnélisé",
//!   p. 3 "Cathéter tunnélisé pleural ou péritonéal");
//! - cryoablation: « cryothérapie », the guide's word (pp. 12, 15, 17);
//!   likewise « radiofréquence », « micro-ondes », « laser »,
//!   « ultrasons focalisés » as the guide lists them;
//! - a case with no decision: « non décidé » / "undecided" (what it is;
//!   « en attente » already names a re-import conflict waiting to be
//!   settled);
//! - LMWH: « HBPM (dose curative) » / « HBPM (dose préventive) », the dose
//!   named as in the rule messages (the guide does not name them).

use super::Lang;
use crate::domain::record::{DecisionKind, EvidenceKind};
use crate::domain::roles::{Permission, Read, Role};
use crate::domain::rules::{Item, Status};
use crate::domain::scores::{MirelsBand, SinsBand, SpinalRegion};
use crate::domain::vocab::*;

/// A domain value's name in a language.
pub trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// `en`, `fr` pairs, one arm per variant: a new variant is a compile error.
macro_rules! labels {
    ($ty:ty { $($pat:pat => ($en:expr, $fr:expr)),+ $(,)? }) => {
        impl Label for $ty {
            fn label(self, lang: Lang) -> &'static str {
                type T = $ty;
                match self { $($pat => lang.pick($en, $fr)),+ }
            }
        }
    };
}

labels!(Technique {
    T::Vertebroplasty => ("vertebroplasty", "vertébroplastie"),
    T::Kyphoplasty => ("kyphoplasty", "cyphoplastie"),
    T::Cementoplasty => ("cementoplasty", "cimentoplastie"),
    T::Osteosynthesis => ("percutaneous osteosynthesis", "ostéosynthèse percutanée"),
    T::RadiofrequencyAblation => ("radiofrequency ablation", "radiofréquence"),
    T::Cryoablation => ("cryoablation", "cryothérapie"),
    T::MicrowaveAblation => ("microwave ablation", "micro-ondes"),
    T::LaserAblation => ("laser ablation", "laser"),
    T::FocusedUltrasound => ("focused ultrasound", "ultrasons focalisés"),
    T::Neurolysis => ("neurolysis", "neurolyse"),
    T::Embolisation => ("embolisation", "embolisation"),
    T::TunnelledPleuralDrain => ("tunnelled pleural catheter", "cathéter tunnélisé pleural"),
    T::TunnelledPeritonealDrain => ("tunnelled peritoneal catheter", "cathéter tunnélisé péritonéal"),
});

labels!(Anaesthesia {
    T::Local => ("local anaesthesia", "anesthésie locale"),
    T::Hypnoanalgesia => ("hypnoanalgesia", "hypnoanalgésie"),
    T::Meopa => ("nitrous oxide (MEOPA)", "MEOPA"),
    T::ConsciousSedation => ("conscious sedation", "sédation vigile"),
    T::General => ("general anaesthesia", "anesthésie générale"),
    T::Regional => ("regional anaesthesia", "anesthésie locorégionale"),
});

labels!(BleedingRisk {
    T::Low => ("low", "faible"),
    T::High => ("high", "élevé"),
});

labels!(Access {
    T::Femoral => ("femoral", "fémoral"),
    T::Radial => ("radial", "radial"),
    T::Venous => ("venous", "veineux"),
    T::Percutaneous => ("percutaneous", "percutané"),
});

labels!(Sex {
    T::F => ("F", "F"),
    T::M => ("M", "M"),
    T::X => ("X", "X"),
});

labels!(ConsentKind {
    T::Signed => ("signed", "signé"),
    T::Traced => ("traced (oral)", "tracé (oral)"),
});

labels!(Conclusion {
    T::Fit => ("fit", "apte"),
    T::FitWithConditions => ("fit with conditions", "apte sous conditions"),
    T::NotFit => ("not fit", "non apte"),
});

labels!(ReasonCode {
    T::MissingTest => ("missing test", "examen manquant"),
    T::DrugNotStopped => ("drug not stopped", "traitement non arrêté"),
    T::Consent => ("consent", "consentement"),
    T::Anaesthesia => ("anaesthesia", "anesthésie"),
    T::PatientCondition => ("patient's condition", "état du patient"),
    T::PatientDeceased => ("patient deceased", "patient décédé"),
    T::Equipment => ("equipment", "matériel"),
    T::Scheduling => ("scheduling", "programmation"),
    T::PatientDeclined => ("patient declined", "refus du patient"),
    T::Other => ("other", "autre"),
});

labels!(Analgesics {
    T::Stopped => ("stopped", "arrêtés"),
    T::Decreased => ("decreased", "diminués"),
    T::Unchanged => ("unchanged", "inchangés"),
    T::Increased => ("increased", "augmentés"),
});

labels!(FollowUpKind {
    T::J1 => ("day 1", "J+1"),
    T::M1 => ("one month", "M1"),
});

labels!(ImagingKind {
    T::Ct => ("CT", "TDM"),
    T::Mri => ("MRI", "IRM"),
    T::PetCt => ("PET-CT", "TEP-TDM"),
    T::Radiograph => ("radiograph", "radiographie"),
    T::Ultrasound => ("ultrasound", "échographie"),
    T::BoneScan => ("bone scan", "scintigraphie osseuse"),
});

labels!(Drug {
    T::Apixaban => ("apixaban", "apixaban"),
    T::Rivaroxaban => ("rivaroxaban", "rivaroxaban"),
    T::Edoxaban => ("edoxaban", "edoxaban"),
    T::Dabigatran => ("dabigatran", "dabigatran"),
    T::Warfarin => ("warfarin", "warfarine"),
    T::Fluindione => ("fluindione", "fluindione"),
    T::Acenocoumarol => ("acenocoumarol", "acénocoumarol"),
    T::LmwhTherapeutic => ("LMWH (therapeutic dose)", "HBPM (dose curative)"),
    T::LmwhProphylactic => ("LMWH (prophylactic dose)", "HBPM (dose préventive)"),
    T::UfhSc => ("UFH (subcutaneous)", "HNF sous-cutanée"),
    T::UfhIv => ("UFH (intravenous)", "HNF intraveineuse"),
    T::Aspirin => ("aspirin", "aspirine"),
    T::Clopidogrel => ("clopidogrel", "clopidogrel"),
    T::Ticagrelor => ("ticagrelor", "ticagrélor"),
    T::Prasugrel => ("prasugrel", "prasugrel"),
    T::Other => ("other drug", "autre médicament"),
});

labels!(MirelsSite {
    T::UpperLimb => ("upper limb", "membre supérieur"),
    T::LowerLimb => ("lower limb", "membre inférieur"),
    T::ProximalFemur => ("proximal femur", "fémur proximal"),
});

labels!(MirelsPain {
    T::Mild => ("mild", "légère"),
    T::Moderate => ("moderate", "modérée"),
    T::Functional => ("functional", "fonctionnelle"),
});

labels!(MirelsSize {
    T::Lt13 => ("< 1/3", "< 1/3"),
    T::From13To23 => ("1/3 – 2/3", "1/3 – 2/3"),
    T::Gt23 => ("> 2/3", "> 2/3"),
});

labels!(MirelsAppearance {
    T::Blastic => ("blastic", "condensante"),
    T::Mixed => ("mixed", "mixte"),
    T::Lytic => ("lytic", "lytique"),
});

labels!(SinsLocation {
    T::Junctional => ("junctional", "jonctionnelle"),
    T::Mobile => ("mobile", "mobile"),
    T::SemiRigid => ("semi-rigid", "semi-rigide"),
    T::Rigid => ("rigid", "rigide"),
});

labels!(SinsPain {
    T::Mechanical => ("mechanical", "mécanique"),
    T::NonMechanical => ("non-mechanical", "non mécanique"),
    T::PainFree => ("pain-free", "indolore"),
});

labels!(SinsLesion {
    T::Lytic => ("lytic", "lytique"),
    T::Mixed => ("mixed", "mixte"),
    T::Blastic => ("blastic", "condensante"),
});

labels!(SinsAlignment {
    T::Subluxation => ("subluxation", "subluxation"),
    T::Deformity => ("deformity", "déformation"),
    T::Normal => ("normal", "normal"),
});

labels!(SinsCollapse {
    T::Gt50 => ("> 50%", "> 50\u{a0}%"),
    T::Lt50 => ("< 50%", "< 50\u{a0}%"),
    T::NoneGt50Involved => ("none, > 50% of the body involved", "aucun, corps atteint > 50\u{a0}%"),
    T::None => ("none", "aucun"),
});

labels!(SinsPosterolateral {
    T::Bilateral => ("bilateral", "bilatérale"),
    T::Unilateral => ("unilateral", "unilatérale"),
    T::None => ("none", "aucune"),
});

labels!(DecisionStatus {
    T::Pending => ("undecided", "non décidé"),
    T::Validated => ("validated", "validé"),
    T::Postponed => ("postponed", "reporté"),
    T::Cancelled => ("cancelled", "annulé"),
});

labels!(DecisionKind {
    T::Validated => ("validated", "validé"),
    T::Postponed => ("postponed", "reporté"),
    T::Cancelled => ("cancelled", "annulé"),
    T::Undone => ("undone", "retirée"),
});

labels!(EvidenceKind {
    T::Consultation => ("consultation and consent", "consultation et consentement"),
    T::AnaesthesiaConsult => ("anaesthesia consultation", "consultation d'anesthésie"),
    T::Imaging => ("imaging", "imagerie"),
    T::Biology => ("biology", "biologie"),
    T::Coagulation => ("coagulation", "coagulation"),
    T::Medications => ("medications", "traitements"),
    T::Scores => ("scores", "scores"),
});

labels!(Item {
    T::Imaging => ("imaging", "imagerie"),
    T::Biology => ("biology", "biologie"),
    T::Coagulation => ("coagulation", "coagulation"),
    T::Anaesthesia => ("anaesthesia", "anesthésie"),
    T::Consent => ("consent", "consentement"),
    T::Delay => ("delay", "délai"),
    T::Medication => ("medication", "traitements"),
});

labels!(Status {
    T::Ok => ("ok", "ok"),
    T::Missing => ("missing", "manquant"),
    T::OutOfRange => ("out of range", "hors limites"),
    T::Expired => ("expired", "périmé"),
    T::NotRequired => ("not required", "non requis"),
});

labels!(MirelsBand {
    T::Low => ("low fracture risk", "risque fracturaire faible"),
    T::Borderline => ("borderline: case by case", "limite\u{a0}: au cas par cas"),
    T::High => ("high: prophylactic fixation", "élevé\u{a0}: fixation prophylactique"),
});

labels!(SinsBand {
    T::Stable => ("stable", "stable"),
    T::PotentiallyUnstable => ("potentially unstable: surgical opinion", "potentiellement instable\u{a0}: avis chirurgical"),
    T::Unstable => ("unstable: surgical opinion", "instable\u{a0}: avis chirurgical"),
});

labels!(SpinalRegion {
    T::Cervical => ("cervical", "cervical"),
    T::Thoracic => ("thoracic", "thoracique"),
    T::Lumbar => ("lumbar", "lombaire"),
    T::Sacral => ("sacral", "sacré"),
});

labels!(Role {
    T::Chair => ("chair", "président"),
    T::Radiologist => ("radiologist", "radiologue"),
    T::Anaesthetist => ("anaesthetist", "anesthésiste"),
    T::Radiographer => ("radiographer", "manipulateur"),
    T::Secretary => ("secretary", "secrétaire"),
    T::Viewer => ("viewer", "lecteur"),
    T::Auditor => ("auditor", "auditeur"),
    T::Nurse => ("pain nurse", "IDE douleur"),
    T::Feed => ("hospital systems feed", "flux du SIH"),
});

// English as the permission and read tables name them (the refusal
// messages have always said "may not record evidence").
labels!(Permission {
    T::Decide => ("decide", "décider"),
    T::RecordAnaesthesia => ("record anaesthesia", "enregistrer la consultation d'anesthésie"),
    T::RecordEvidence => ("record evidence", "compléter le dossier"),
    T::ScoreItems => ("score items", "coter les scores"),
    T::Notes => ("notes", "écrire des notes"),
    T::ManageUsers => ("manage users", "gérer les utilisateurs"),
    T::ManageRules => ("manage rules", "gérer les règles"),
    T::Import => ("import", "importer"),
    T::Export => ("export", "exporter"),
    T::ExportIdentified => ("export identified", "exporter avec les noms"),
    T::Attendance => ("attendance", "enregistrer les présences"),
    T::Schedule => ("schedule", "arbitrer le planning"),
    T::Reschedule => ("reschedule a postponed case", "reprogrammer un dossier reporté"),
    T::RecordOutcome => ("record the day of the procedure", "enregistrer le jour du geste"),
    T::RecordComplication => ("record complications", "enregistrer les complications"),
    T::RecordFollowUp => ("record follow-ups", "enregistrer les suivis"),
    T::ExportCases => ("export the registry extract", "exporter l'extrait registre"),
    T::PruneReads => ("prune reads", "purger la trace des lectures"),
    T::ApplyFeed => ("apply hospital system messages", "appliquer les messages du SIH"),
    T::MapServices => ("map hospital service codes", "associer les codes de prestation du SIH"),
    T::AckIdentity => ("acknowledge an identity change", "valider un changement d'identité"),
    T::AckResult => ("acknowledge a laboratory result not usable", "valider un résultat de laboratoire inutilisable"),
});

labels!(Read {
    T::Week => ("week", "la semaine"),
    T::CaseDetail => ("case detail", "le détail d'un dossier"),
    T::Export => ("export", "les exports"),
    T::AuditList => ("audit list", "le journal d'audit"),
    T::AuditVerify => ("audit verify", "la vérification du journal d'audit"),
    T::AuditReads => ("audit reads", "la trace des lectures"),
    T::ImportReport => ("import report", "le rapport d'import"),
    T::RulesList => ("rules list", "les règles"),
    T::UsersList => ("users list", "les utilisateurs"),
    T::Tasks => ("chase list", "la liste des relances"),
    T::Instructions => ("instruction sheet", "la fiche de consignes"),
    T::FollowUps => ("follow-up call list", "la liste des appels de suivi"),
    T::Report => ("committee indicators", "les indicateurs du comité"),
    T::ExportCases => ("registry extract", "l'extrait registre"),
    T::FeedMatch => ("what a hospital message is matched on", "ce sur quoi un message du SIH est rapproché"),
    T::HeldResults => ("laboratory results held", "les résultats de laboratoire en attente"),
});

/// "high bleeding risk", as the rule messages say it.
pub fn risk_long(lang: Lang, r: BleedingRisk) -> &'static str {
    match r {
        BleedingRisk::High => lang.pick("high bleeding risk", "risque hémorragique élevé"),
        BleedingRisk::Low => lang.pick("low bleeding risk", "risque hémorragique faible"),
    }
}

/// Labels joined with ", ".
pub fn list<T: Label>(lang: Lang, items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;

mod reimport;
