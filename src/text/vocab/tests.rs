//! Every variant of every domain enum has a label in each language,
//! distinct from its siblings; no French label is the English one except
//! the words listed here as the same in both languages.

use super::*;

/// Words written the same in French and English (drug names, cognates,
/// abbreviations): the only French labels allowed to equal the English.
const SAME_IN_BOTH: &[&str] = &[
    "embolisation",
    "radial",
    "F",
    "M",
    "X",
    "apixaban",
    "rivaroxaban",
    "edoxaban",
    "dabigatran",
    "fluindione",
    "clopidogrel",
    "prasugrel",
    "< 1/3",
    "1/3 – 2/3",
    "> 2/3",
    "mobile",
    "subluxation",
    "normal",
    "coagulation",
    "ok",
    "stable",
    "scores",
    "cervical",
];

fn check<T: Label + std::fmt::Debug>(name: &str, all: &[T]) {
    assert!(!all.is_empty(), "{name}");
    for lang in Lang::ALL {
        let labels: Vec<&str> = all.iter().map(|v| v.label(lang)).collect();
        for (i, (v, l)) in all.iter().zip(&labels).enumerate() {
            assert!(!l.trim().is_empty(), "{name}::{v:?} has no {lang:?} label");
            assert!(
                !labels[..i].contains(l),
                "{name}::{v:?}: {lang:?} label {l:?} is also a sibling's"
            );
        }
    }
    for v in all {
        let (en, fr) = (v.label(Lang::En), v.label(Lang::Fr));
        assert!(
            en != fr || SAME_IN_BOTH.contains(&fr),
            "{name}::{v:?}: the French label is the English {en:?}"
        );
    }
}

/// Every status the rules give; a new one fails to compile here.
fn all_status() -> [Status; 5] {
    match Status::Ok {
        Status::Ok
        | Status::Missing
        | Status::OutOfRange
        | Status::Expired
        | Status::NotRequired => {}
    }
    [
        Status::Ok,
        Status::Missing,
        Status::OutOfRange,
        Status::Expired,
        Status::NotRequired,
    ]
}

fn all_mirels() -> [MirelsBand; 3] {
    match MirelsBand::Low {
        MirelsBand::Low | MirelsBand::Borderline | MirelsBand::High => {}
    }
    [MirelsBand::Low, MirelsBand::Borderline, MirelsBand::High]
}

fn all_sins() -> [SinsBand; 3] {
    match SinsBand::Stable {
        SinsBand::Stable | SinsBand::PotentiallyUnstable | SinsBand::Unstable => {}
    }
    [
        SinsBand::Stable,
        SinsBand::PotentiallyUnstable,
        SinsBand::Unstable,
    ]
}

#[test]
fn every_domain_enum_has_distinct_labels_in_each_language() {
    check("Technique", Technique::ALL);
    check("Anaesthesia", Anaesthesia::ALL);
    check("BleedingRisk", BleedingRisk::ALL);
    check("Access", Access::ALL);
    check("Sex", Sex::ALL);
    check("ConsentKind", ConsentKind::ALL);
    check("Conclusion", Conclusion::ALL);
    check("ImagingKind", ImagingKind::ALL);
    check("Drug", Drug::ALL);
    check("MirelsSite", MirelsSite::ALL);
    check("MirelsPain", MirelsPain::ALL);
    check("MirelsSize", MirelsSize::ALL);
    check("MirelsAppearance", MirelsAppearance::ALL);
    check("SinsLocation", SinsLocation::ALL);
    check("SinsPain", SinsPain::ALL);
    check("SinsLesion", SinsLesion::ALL);
    check("SinsAlignment", SinsAlignment::ALL);
    check("SinsCollapse", SinsCollapse::ALL);
    check("SinsPosterolateral", SinsPosterolateral::ALL);
    check("DecisionStatus", DecisionStatus::ALL);
    check("DecisionKind", &DecisionKind::ALL);
    check("EvidenceKind", &EvidenceKind::ALL);
    check("Item", &Item::ALL);
    check("Status", &all_status());
    check("MirelsBand", &all_mirels());
    check("SinsBand", &all_sins());
    check("SpinalRegion", &SpinalRegion::ALL);
    check("Role", &Role::ALL);
    check("Permission", &Permission::ALL);
    check("Read", &Read::ALL);
}

#[test]
fn the_divergent_terms_are_settled_on_the_guide() {
    let fr = Lang::Fr;
    assert_eq!(
        Technique::TunnelledPleuralDrain.label(fr),
        "cathéter tunnélisé pleural"
    );
    assert_eq!(
        Technique::TunnelledPeritonealDrain.label(fr),
        "cathéter tunnélisé péritonéal"
    );
    assert_eq!(Technique::Cryoablation.label(fr), "cryothérapie");
    assert_eq!(DecisionStatus::Pending.label(fr), "non décidé");
    assert_eq!(Drug::LmwhTherapeutic.label(fr), "HBPM (dose curative)");
}
