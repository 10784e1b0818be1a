//! Fixed vocabularies of the interchange format (`ir-committee/cases@1`).
//!
//! Every enum serialises to the snake_case word of the format; an unknown word
//! is an import error naming the field.

use serde::{Deserialize, Serialize};

/// Declares a vocabulary enum with its wire words, in order.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every wire word, in declaration order (the choices a form offers).
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// The word used in files, the database and JSON output.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Parses the wire word (exact, case-sensitive).
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// A procedure technique (référentiel pp. 10–16).
    Technique {
        Vertebroplasty = "vertebroplasty",
        Kyphoplasty = "kyphoplasty",
        Cementoplasty = "cementoplasty",
        Osteosynthesis = "osteosynthesis",
        RadiofrequencyAblation = "radiofrequency_ablation",
        Cryoablation = "cryoablation",
        MicrowaveAblation = "microwave_ablation",
        LaserAblation = "laser_ablation",
        FocusedUltrasound = "focused_ultrasound",
        Neurolysis = "neurolysis",
        Embolisation = "embolisation",
        TunnelledPleuralDrain = "tunnelled_pleural_drain",
        TunnelledPeritonealDrain = "tunnelled_peritoneal_drain",
    }
);

vocabulary!(
    /// Planned anaesthesia.
    Anaesthesia {
        Local = "local",
        Hypnoanalgesia = "hypnoanalgesia",
        Meopa = "meopa",
        ConsciousSedation = "conscious_sedation",
        General = "general",
        Regional = "regional",
    }
);

vocabulary!(
    /// Bleeding risk of a procedure (SIR 2019).
    BleedingRisk {
        Low = "low",
        High = "high",
    }
);

vocabulary!(
    /// How the procedure reaches its target (SIR 2019: the low-risk INR
    /// threshold of an arterial procedure depends on its access).
    Access {
        Femoral = "femoral",
        Radial = "radial",
        Venous = "venous",
        Percutaneous = "percutaneous",
    }
);

vocabulary!(
    /// Sex as recorded by the hospital.
    Sex {
        F = "F",
        M = "M",
        X = "X",
    }
);

vocabulary!(
    /// How consent was obtained: a signed form, or traced proof (HAS 2012).
    ConsentKind {
        Signed = "signed",
        Traced = "traced",
    }
);

vocabulary!(
    /// The anaesthesia consultation's conclusion: fit, fit with conditions
    /// (said as an advisory, with the conditions), not fit (blocking).
    Conclusion {
        Fit = "fit",
        FitWithConditions = "fit_with_conditions",
        NotFit = "not_fit",
    }
);

vocabulary!(
    /// Kind of imaging on file. Only CT, MRI and PET-CT count as planning imaging.
    ImagingKind {
        Ct = "ct",
        Mri = "mri",
        PetCt = "pet_ct",
        Radiograph = "radiograph",
        Ultrasound = "ultrasound",
        BoneScan = "bone_scan",
    }
);

impl ImagingKind {
    /// Whether this kind of imaging can plan a procedure (CT, MRI, PET-CT).
    pub fn is_planning(self) -> bool {
        matches!(
            self,
            ImagingKind::Ct | ImagingKind::Mri | ImagingKind::PetCt
        )
    }
}

vocabulary!(
    /// Anticoagulants and antiplatelets with a stop rule; `other` needs a `name`.
    Drug {
        Apixaban = "apixaban",
        Rivaroxaban = "rivaroxaban",
        Edoxaban = "edoxaban",
        Dabigatran = "dabigatran",
        Warfarin = "warfarin",
        Fluindione = "fluindione",
        Acenocoumarol = "acenocoumarol",
        LmwhTherapeutic = "lmwh_therapeutic",
        LmwhProphylactic = "lmwh_prophylactic",
        UfhSc = "ufh_sc",
        UfhIv = "ufh_iv",
        Aspirin = "aspirin",
        Clopidogrel = "clopidogrel",
        Ticagrelor = "ticagrelor",
        Prasugrel = "prasugrel",
        Other = "other",
    }
);

vocabulary!(
    /// Mirels: lesion site.
    MirelsSite {
        UpperLimb = "upper_limb",
        LowerLimb = "lower_limb",
        ProximalFemur = "proximal_femur",
    }
);

vocabulary!(
    /// Mirels: pain.
    MirelsPain {
        Mild = "mild",
        Moderate = "moderate",
        Functional = "functional",
    }
);

vocabulary!(
    /// Mirels: size of the lesion relative to the cortex.
    MirelsSize {
        Lt13 = "lt_1_3",
        From13To23 = "1_3_to_2_3",
        Gt23 = "gt_2_3",
    }
);

vocabulary!(
    /// Mirels: radiographic appearance.
    MirelsAppearance {
        Blastic = "blastic",
        Mixed = "mixed",
        Lytic = "lytic",
    }
);

vocabulary!(
    /// SINS: spinal location class.
    SinsLocation {
        Junctional = "junctional",
        Mobile = "mobile",
        SemiRigid = "semi_rigid",
        Rigid = "rigid",
    }
);

vocabulary!(
    /// SINS: pain.
    SinsPain {
        Mechanical = "mechanical",
        NonMechanical = "non_mechanical",
        PainFree = "pain_free",
    }
);

vocabulary!(
    /// SINS: bone lesion.
    SinsLesion {
        Lytic = "lytic",
        Mixed = "mixed",
        Blastic = "blastic",
    }
);

vocabulary!(
    /// SINS: radiographic spinal alignment.
    SinsAlignment {
        Subluxation = "subluxation",
        Deformity = "deformity",
        Normal = "normal",
    }
);

vocabulary!(
    /// SINS: vertebral body collapse.
    SinsCollapse {
        Gt50 = "gt_50",
        Lt50 = "lt_50",
        NoneGt50Involved = "none_gt_50_involved",
        None = "none",
    }
);

vocabulary!(
    /// SINS: posterolateral involvement of spinal elements.
    SinsPosterolateral {
        Bilateral = "bilateral",
        Unilateral = "unilateral",
        None = "none",
    }
);

vocabulary!(
    /// The committee's decision on a case.
    DecisionStatus {
        Pending = "pending",
        Validated = "validated",
        Postponed = "postponed",
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Why a validated case was not performed on the day, or why the
    /// committee postponed or cancelled one (issue 15 §1): the coded
    /// reasons the indicators count (`other` comes with a text).
    ReasonCode {
        MissingTest = "missing_test",
        DrugNotStopped = "drug_not_stopped",
        Consent = "consent",
        Anaesthesia = "anaesthesia",
        PatientCondition = "patient_condition",
        PatientDeceased = "patient_deceased",
        Equipment = "equipment",
        Scheduling = "scheduling",
        PatientDeclined = "patient_declined",
        Other = "other",
    }
);

vocabulary!(
    /// Analgesic use at a follow-up, against before the procedure.
    Analgesics {
        Stopped = "stopped",
        Decreased = "decreased",
        Unchanged = "unchanged",
        Increased = "increased",
    }
);

vocabulary!(
    /// Which follow-up: the day after (optional) or at one month (M1, due
    /// from J+28 to J+42).
    FollowUpKind {
        J1 = "j1",
        M1 = "m1",
    }
);
