//! How the words of the vocabularies read in the forms (the files and the
//! database keep the wire words).

use crate::domain::message::Lang;

/// A vocabulary word as the forms show it; unknown words as they are.
pub fn choice(lang: Lang, word: &str) -> String {
    use crate::domain::vocab::{Conclusion, ConsentKind, Drug, ImagingKind};
    use crate::text::Label;
    // The vocabularies' own labels first (one catalogue: `text::vocab`).
    if let Some(l) = Drug::parse(word)
        .map(|d| d.label(lang))
        .or_else(|| ImagingKind::parse(word).map(|k| k.label(lang)))
        .or_else(|| ConsentKind::parse(word).map(|k| k.label(lang)))
        .or_else(|| Conclusion::parse(word).map(|k| k.label(lang)))
    {
        return l.to_owned();
    }
    let fr = lang == Lang::Fr;
    let shown = match word {
        "" => "—",
        "yes" if fr => "oui",
        "no" if fr => "non",
        "signed" if fr => "signé",
        "traced" if fr => "tracé (oral)",
        "traced" => "traced (oral)",
        "ct" if fr => "TDM",
        "ct" => "CT",
        "mri" if fr => "IRM",
        "mri" => "MRI",
        "pet_ct" if fr => "TEP-TDM",
        "pet_ct" => "PET-CT",
        "radiograph" if fr => "radiographie",
        "ultrasound" if fr => "échographie",
        "bone_scan" if fr => "scintigraphie osseuse",
        "bone_scan" => "bone scan",
        "lmwh_therapeutic" if fr => "HBPM curative",
        "lmwh_therapeutic" => "LMWH, therapeutic",
        "lmwh_prophylactic" if fr => "HBPM préventive",
        "lmwh_prophylactic" => "LMWH, prophylactic",
        "ufh_sc" if fr => "HNF sous-cutanée",
        "ufh_sc" => "UFH, subcutaneous",
        "ufh_iv" if fr => "HNF IV",
        "ufh_iv" => "UFH, intravenous",
        "warfarin" if fr => "warfarine",
        "aspirin" if fr => "aspirine",
        "clopidogrel" => "clopidogrel",
        "other" if fr => "autre",
        "upper_limb" if fr => "membre supérieur",
        "upper_limb" => "upper limb",
        "lower_limb" if fr => "membre inférieur",
        "lower_limb" => "lower limb",
        "proximal_femur" if fr => "fémur proximal",
        "proximal_femur" => "proximal femur",
        "mild" if fr => "légère",
        "moderate" if fr => "modérée",
        "functional" if fr => "fonctionnelle",
        "lt_1_3" => "< 1/3",
        "1_3_to_2_3" => "1/3 – 2/3",
        "gt_2_3" => "> 2/3",
        "blastic" if fr => "condensante",
        "mixed" if fr => "mixte",
        "lytic" if fr => "lytique",
        "junctional" if fr => "jonctionnelle",
        "mobile" => "mobile",
        "semi_rigid" if fr => "semi-rigide",
        "semi_rigid" => "semi-rigid",
        "rigid" if fr => "rigide",
        "mechanical" if fr => "mécanique",
        "non_mechanical" if fr => "non mécanique",
        "non_mechanical" => "non-mechanical",
        "pain_free" if fr => "indolore",
        "pain_free" => "pain-free",
        "subluxation" => "subluxation",
        "deformity" if fr => "déformation",
        "normal" => "normal",
        "gt_50" if fr => "> 50 %",
        "gt_50" => "> 50%",
        "lt_50" if fr => "< 50 %",
        "lt_50" => "< 50%",
        "none_gt_50_involved" if fr => "aucun, corps atteint > 50 %",
        "none_gt_50_involved" => "none, > 50% of the body involved",
        "none" if fr => "aucun(e)",
        "bilateral" if fr => "bilatérale",
        "unilateral" if fr => "unilatérale",
        "femoral" if fr => "fémoral",
        "venous" if fr => "veineux",
        "percutaneous" if fr => "percutané",
        other => other,
    };
    shown.to_owned()
}
