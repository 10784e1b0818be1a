//! Loading a stored evidence object into a form's lines.

use super::forms::{Form, Group, GroupKind};
use crate::domain::model::{
    AnaesthesiaConsult, Biology, Coagulation, Consultation, Imaging, Medication, Scores,
};
use crate::domain::record::EvidenceKind;
use crate::domain::vocab::*;

fn text<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn word(v: Option<&'static str>) -> String {
    v.map(str::to_owned).unwrap_or_default()
}

fn yes_no(v: Option<bool>) -> String {
    v.map(|b| if b { "yes" } else { "no" }.to_owned())
        .unwrap_or_default()
}

impl Form {
    pub(super) fn groups_of(kind: EvidenceKind, data: &str) -> serde_json::Result<Vec<Group>> {
        use GroupKind as G;
        Ok(match kind {
            EvidenceKind::Consultation => {
                let c: Consultation = serde_json::from_str(data)?;
                let consent = c.consent.as_ref();
                vec![Group::with(
                    G::Consultation,
                    &[
                        ("at", c.at.to_string()),
                        ("radiologist", text(&c.radiologist)),
                        ("leaflet_given", yes_no(c.leaflet_given)),
                        ("consent_kind", word(consent.map(|x| x.kind.as_str()))),
                        ("consent_by", text(&consent.and_then(|x| x.by.clone()))),
                        ("consent_at", text(&consent.and_then(|x| x.at))),
                        (
                            "consent_details",
                            text(&consent.and_then(|x| x.details.clone())),
                        ),
                    ],
                )]
            }
            EvidenceKind::AnaesthesiaConsult => {
                let a: AnaesthesiaConsult = serde_json::from_str(data)?;
                vec![Group::with(
                    G::Anaesthesia,
                    &[
                        ("at", a.at.to_string()),
                        ("anaesthetist", text(&a.anaesthetist)),
                        ("conclusion", word(a.conclusion.map(Conclusion::as_str))),
                        ("conditions", text(&a.conditions)),
                    ],
                )]
            }
            EvidenceKind::Imaging => {
                let list: Vec<Imaging> = serde_json::from_str(data)?;
                list.iter()
                    .map(|i| {
                        Group::with(
                            G::Imaging,
                            &[("kind", i.kind.as_str().into()), ("at", i.at.to_string())],
                        )
                    })
                    .collect()
            }
            EvidenceKind::Biology => {
                let b: Biology = serde_json::from_str(data)?;
                vec![Group::with(
                    G::Biology,
                    &[
                        ("at", b.at.to_string()),
                        ("neutrophils_g_l", text(&b.neutrophils_g_l)),
                        ("hemoglobin_g_dl", text(&b.hemoglobin_g_dl)),
                        ("creatinine_umol_l", text(&b.creatinine_umol_l)),
                        ("egfr", text(&b.egfr)),
                        ("sepsis", yes_no(b.sepsis)),
                    ],
                )]
            }
            EvidenceKind::Coagulation => {
                let c: Coagulation = serde_json::from_str(data)?;
                vec![Group::with(
                    G::Coagulation,
                    &[
                        ("at", c.at.to_string()),
                        ("inr", text(&c.inr)),
                        ("platelets_g_l", text(&c.platelets_g_l)),
                    ],
                )]
            }
            EvidenceKind::Medications => {
                let list: Vec<Medication> = serde_json::from_str(data)?;
                list.iter()
                    .map(|m| {
                        Group::with(
                            G::Medication,
                            &[
                                ("drug", m.drug.as_str().into()),
                                ("name", text(&m.name)),
                                ("last_intake", text(&m.last_intake)),
                                ("crcl_ml_min", text(&m.crcl_ml_min)),
                            ],
                        )
                    })
                    .collect()
            }
            EvidenceKind::Scores => {
                let s: Scores = serde_json::from_str(data)?;
                let mirels = s.mirels.iter().map(|m| {
                    Group::with(
                        G::Mirels,
                        &[
                            ("lesion", text(&m.lesion)),
                            ("site", word(m.site.map(MirelsSite::as_str))),
                            ("pain", word(m.pain.map(MirelsPain::as_str))),
                            ("size", word(m.size.map(MirelsSize::as_str))),
                            (
                                "appearance",
                                word(m.appearance.map(MirelsAppearance::as_str)),
                            ),
                        ],
                    )
                });
                let sins = s.sins.iter().map(|x| {
                    Group::with(
                        G::Sins,
                        &[
                            ("level", text(&x.level)),
                            ("location", word(x.location.map(SinsLocation::as_str))),
                            ("pain", word(x.pain.map(SinsPain::as_str))),
                            ("lesion", word(x.lesion.map(SinsLesion::as_str))),
                            ("alignment", word(x.alignment.map(SinsAlignment::as_str))),
                            ("collapse", word(x.collapse.map(SinsCollapse::as_str))),
                            (
                                "posterolateral",
                                word(x.posterolateral.map(SinsPosterolateral::as_str)),
                            ),
                        ],
                    )
                });
                mirels.chain(sins).collect()
            }
        })
    }
}
