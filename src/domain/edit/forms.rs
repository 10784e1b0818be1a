//! The forms of the dossier, one per evidence object: their lines and
//! fields, loading a stored object into a form, building the object back
//! (every field checked), and comparing forms (for a conflict).

use chrono::NaiveDate;
use serde::Serialize;

use super::build::Line;
use super::field::{FieldError, FieldKind, FieldSpec, Value, read};
use crate::domain::model::{AnaesthesiaConsult, Biology, Coagulation, Scores};
use crate::domain::record::EvidenceKind;
use crate::domain::vocab::*;

const YES_NO: &[&str] = &["yes", "no"];

use FieldKind::{Choice, Level, Number, Paragraph, Text, When as At};

const CONSULTATION: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("radiologist", Text),
    FieldSpec::new("leaflet_given", Choice(YES_NO)),
    FieldSpec::new("consent_kind", Choice(ConsentKind::WORDS)),
    FieldSpec::new("consent_by", Text),
    FieldSpec::new("consent_at", At),
    FieldSpec::new("consent_details", Paragraph),
];
const ANAESTHESIA: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("anaesthetist", Text),
    // Required: no choice is made for the person (a stored consultation
    // without one, from before the field, reads fit but is asked again).
    FieldSpec::new("conclusion", Choice(Conclusion::WORDS)).required(),
    FieldSpec::new("conditions", Paragraph),
];
const IMAGING: &[FieldSpec] = &[
    FieldSpec::new("kind", Choice(ImagingKind::WORDS)).required(),
    FieldSpec::new("at", At).required(),
];
const BIOLOGY: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("neutrophils_g_l", Number("neutrophils_g_l")),
    FieldSpec::new("hemoglobin_g_dl", Number("hemoglobin_g_dl")),
    FieldSpec::new("creatinine_umol_l", Number("creatinine_umol_l")),
    FieldSpec::new("egfr", Number("egfr")),
    FieldSpec::new("sepsis", Choice(YES_NO)),
];
const COAGULATION: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("inr", Number("inr")),
    FieldSpec::new("platelets_g_l", Number("platelets_g_l")),
];
const MEDICATION: &[FieldSpec] = &[
    FieldSpec::new("drug", Choice(Drug::WORDS)).required(),
    FieldSpec::new("name", Text),
    FieldSpec::new("last_intake", At),
    FieldSpec::new("crcl_ml_min", Number("crcl_ml_min")),
];
const MIRELS: &[FieldSpec] = &[
    FieldSpec::new("lesion", Text),
    FieldSpec::new("site", Choice(MirelsSite::WORDS)),
    FieldSpec::new("pain", Choice(MirelsPain::WORDS)),
    FieldSpec::new("size", Choice(MirelsSize::WORDS)),
    FieldSpec::new("appearance", Choice(MirelsAppearance::WORDS)),
];
const SINS: &[FieldSpec] = &[
    FieldSpec::new("level", Level),
    FieldSpec::new("location", Choice(SinsLocation::WORDS)),
    FieldSpec::new("pain", Choice(SinsPain::WORDS)),
    FieldSpec::new("lesion", Choice(SinsLesion::WORDS)),
    FieldSpec::new("alignment", Choice(SinsAlignment::WORDS)),
    FieldSpec::new("collapse", Choice(SinsCollapse::WORDS)),
    FieldSpec::new("posterolateral", Choice(SinsPosterolateral::WORDS)),
];

/// The kind of one line of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Consultation,
    Anaesthesia,
    Imaging,
    Biology,
    Coagulation,
    /// One drug line.
    Medication,
    /// One long-bone lesion.
    Mirels,
    /// One vertebral level.
    Sins,
}

impl GroupKind {
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            GroupKind::Consultation => CONSULTATION,
            GroupKind::Anaesthesia => ANAESTHESIA,
            GroupKind::Imaging => IMAGING,
            GroupKind::Biology => BIOLOGY,
            GroupKind::Coagulation => COAGULATION,
            GroupKind::Medication => MEDICATION,
            GroupKind::Mirels => MIRELS,
            GroupKind::Sins => SINS,
        }
    }

    /// Lines of this kind can be added and removed; a blank one is dropped.
    pub fn repeats(self) -> bool {
        matches!(
            self,
            GroupKind::Imaging | GroupKind::Medication | GroupKind::Mirels | GroupKind::Sins
        )
    }
}

/// One line of a form: a value typed (or chosen) per field, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Group {
    pub kind: GroupKind,
    pub values: Vec<String>,
}

impl Group {
    pub fn blank(kind: GroupKind) -> Group {
        Group {
            kind,
            values: vec![String::new(); kind.fields().len()],
        }
    }

    /// Nothing visible in any field (a blank list line is dropped).
    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|v| crate::domain::text::is_blank(v))
    }

    /// The value of the field `key` of this line ("" when it has none).
    pub fn value(&self, key: &str) -> &str {
        self.kind
            .fields()
            .iter()
            .position(|f| f.key == key)
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }

    pub(super) fn with(kind: GroupKind, values: &[(&str, String)]) -> Group {
        let mut g = Group::blank(kind);
        for (key, value) in values {
            if let Some(i) = kind.fields().iter().position(|f| f.key == *key) {
                g.values[i] = value.clone();
            }
        }
        g
    }
}

/// A refused field: which line, which field, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub group: usize,
    pub field: usize,
    pub error: FieldError,
}

/// One field that differs between two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub group: usize,
    pub kind: GroupKind,
    pub key: &'static str,
    pub from: String,
    pub to: String,
}

/// The form of one evidence object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Form {
    pub evidence: EvidenceKind,
    pub groups: Vec<Group>,
    /// Who types an anaesthesia consultation that is not their own (a
    /// login: anyone but an anaesthetist): the anaesthetist must then be
    /// named, and the object records the login as `transcribed_by`. Set for
    /// the person at the keyboard when the form opens; never read from a
    /// draft.
    #[serde(skip)]
    pub transcriber: Option<String>,
}

impl Form {
    /// The kinds of line a form of `kind` holds (scores: lesions and levels).
    pub fn group_kinds(kind: EvidenceKind) -> &'static [GroupKind] {
        match kind {
            EvidenceKind::Consultation => &[GroupKind::Consultation],
            EvidenceKind::AnaesthesiaConsult => &[GroupKind::Anaesthesia],
            EvidenceKind::Imaging => &[GroupKind::Imaging],
            EvidenceKind::Biology => &[GroupKind::Biology],
            EvidenceKind::Coagulation => &[GroupKind::Coagulation],
            EvidenceKind::Medications => &[GroupKind::Medication],
            EvidenceKind::Scores => &[GroupKind::Mirels, GroupKind::Sins],
        }
    }

    /// The form of a stored object (`None`: nothing recorded yet). Every
    /// kind of line shows at least once, blank, ready to be typed in.
    pub fn load(kind: EvidenceKind, data: Option<&str>) -> serde_json::Result<Form> {
        let mut groups = match data {
            None => Vec::new(),
            Some(data) => Self::groups_of(kind, data)?,
        };
        for (i, k) in Self::group_kinds(kind).iter().enumerate() {
            if !groups.iter().any(|g| g.kind == *k) {
                let at = groups
                    .iter()
                    .position(|g| {
                        Self::group_kinds(kind).iter().position(|x| *x == g.kind) > Some(i)
                    })
                    .unwrap_or(groups.len());
                groups.insert(at, Group::blank(*k));
            }
        }
        Ok(Form {
            evidence: kind,
            groups,
            transcriber: None,
        })
    }

    /// Checks one field as typed, in the context of its line (a consent's
    /// "who" needs its kind; a drug "other" needs its name).
    pub fn check_field(
        &self,
        group: usize,
        field: usize,
        today: NaiveDate,
    ) -> Result<(), FieldError> {
        let Some(g) = self.groups.get(group) else {
            return Ok(());
        };
        let Some(spec) = g.kind.fields().get(field) else {
            return Ok(());
        };
        let typed = g.values.get(field).map_or("", String::as_str);
        let value = read(spec, typed, today)?;
        let blank_line = g.kind.repeats() && g.is_blank();
        if value == Value::Empty && !blank_line {
            let other_drug =
                spec.key == "name" && g.values.first().map(String::as_str) == Some("other");
            if spec.required || other_drug {
                return Err(FieldError::Required);
            }
        }
        if value != Value::Empty
            && spec.key.starts_with("consent_")
            && spec.key != "consent_kind"
            && self.value_of(group, "consent_kind").trim().is_empty()
        {
            return Err(FieldError::Needs("consent_kind"));
        }
        // A name is for the drug "other" only (the vocabulary names the rest).
        if value != Value::Empty
            && g.kind == GroupKind::Medication
            && spec.key == "name"
            && g.values.first().map(String::as_str) != Some("other")
        {
            return Err(FieldError::OnlyForOther);
        }
        if let Some(e) = self.anaesthesia_check(g, spec, &value) {
            return Err(e);
        }
        // A location class is for a level not given: with a level, the
        // location is the level's (a second one would contradict it).
        if value != Value::Empty
            && g.kind == GroupKind::Sins
            && spec.key == "location"
            && !self.value_of(group, "level").trim().is_empty()
        {
            return Err(FieldError::NotWithLevel);
        }
        // One line per vertebral level: a second would score it twice.
        if let Value::Level(level) = value {
            let same = self.groups.iter().enumerate().any(|(i, other)| {
                i < group
                    && other.kind == GroupKind::Sins
                    && other.values.get(field).map(|v| v.trim().to_uppercase())
                        == Some(level.to_string())
            });
            if same {
                return Err(FieldError::Duplicate);
            }
        }
        Ok(())
    }

    /// Whether field `key` of line `g` must be filled although its spec
    /// does not say so: the anaesthetist of a transcription, the conditions
    /// of "fit with conditions" (the form marks it as it checks it).
    pub fn required_here(&self, g: &Group, key: &str) -> bool {
        g.kind == GroupKind::Anaesthesia
            && match key {
                "anaesthetist" => self.transcriber.is_some(),
                "conditions" => {
                    g.value("conclusion").trim() == Conclusion::FitWithConditions.as_str()
                }
                _ => false,
            }
    }

    /// The anaesthesia consultation's own checks: a transcription names
    /// the anaesthetist; conditions go with "fit with conditions" and only
    /// with it.
    fn anaesthesia_check(&self, g: &Group, spec: &FieldSpec, value: &Value) -> Option<FieldError> {
        if g.kind != GroupKind::Anaesthesia {
            return None;
        }
        let required = self.required_here(g, spec.key);
        match (spec.key, value) {
            ("anaesthetist", Value::Empty) if required => Some(FieldError::TranscriptionNeedsName),
            ("conditions", Value::Empty) if required => Some(FieldError::Required),
            ("conditions", v) if *v != Value::Empty && !required => {
                Some(FieldError::OnlyWithConditions)
            }
            _ => None,
        }
    }

    fn value_of(&self, group: usize, key: &str) -> &str {
        self.groups.get(group).map_or("", |g| g.value(key))
    }

    /// Every refused field, in form order.
    pub fn problems(&self, today: NaiveDate) -> Vec<Problem> {
        let mut out = Vec::new();
        for (gi, g) in self.groups.iter().enumerate() {
            for fi in 0..g.kind.fields().len() {
                if let Err(error) = self.check_field(gi, fi, today) {
                    out.push(Problem {
                        group: gi,
                        field: fi,
                        error,
                    });
                }
            }
        }
        out
    }

    /// The evidence object the form holds, as stored JSON; blank lines are
    /// dropped (a list of none is "none on file", "none taken").
    pub fn to_json(&self, today: NaiveDate) -> Result<String, Vec<Problem>> {
        let problems = self.problems(today);
        if !problems.is_empty() {
            return Err(problems);
        }
        let lines: Vec<Line<'_>> = self
            .groups
            .iter()
            .filter(|g| !(g.kind.repeats() && g.is_blank()))
            .map(|g| Line { group: g, today })
            .collect();
        let json = match self.evidence {
            EvidenceKind::Consultation => lines
                .first()
                .map(Line::consultation)
                .map(|c| serde_json::to_string(&c)),
            EvidenceKind::AnaesthesiaConsult => lines.first().map(|l| {
                serde_json::to_string(&AnaesthesiaConsult {
                    at: l
                        .when("at")
                        .unwrap_or(crate::domain::time::When::Date(today)),
                    anaesthetist: l.text("anaesthetist"),
                    conclusion: Conclusion::parse(l.group.value("conclusion").trim()),
                    conditions: l.text("conditions"),
                    transcribed_by: self.transcriber.clone(),
                })
            }),
            EvidenceKind::Imaging => Some(serde_json::to_string(
                &lines.iter().filter_map(Line::imaging).collect::<Vec<_>>(),
            )),
            EvidenceKind::Biology => lines.first().map(|l| {
                serde_json::to_string(&Biology {
                    at: l
                        .when("at")
                        .unwrap_or(crate::domain::time::When::Date(today)),
                    // The values' own dates: storage keeps a value not
                    // changed at its stored date (`panel::dated_edit`).
                    dates: Default::default(),
                    neutrophils_g_l: l.number("neutrophils_g_l"),
                    hemoglobin_g_dl: l.number("hemoglobin_g_dl"),
                    creatinine_umol_l: l.number("creatinine_umol_l"),
                    egfr: l.number("egfr"),
                    sepsis: l.yes("sepsis"),
                })
            }),
            EvidenceKind::Coagulation => lines.first().map(|l| {
                serde_json::to_string(&Coagulation {
                    at: l
                        .when("at")
                        .unwrap_or(crate::domain::time::When::Date(today)),
                    dates: Default::default(),
                    inr: l.number("inr"),
                    platelets_g_l: l.number("platelets_g_l"),
                })
            }),
            EvidenceKind::Medications => Some(serde_json::to_string(
                &lines
                    .iter()
                    .filter_map(Line::medication)
                    .collect::<Vec<_>>(),
            )),
            EvidenceKind::Scores => Some(serde_json::to_string(&Scores {
                mirels: lines.iter().filter_map(Line::mirels).collect(),
                sins: lines.iter().filter_map(Line::sins).collect(),
            })),
        };
        match json {
            Some(Ok(json)) => Ok(json),
            // A single-object form always has its line; serialising plain
            // data cannot fail.
            _ => Err(vec![Problem {
                group: 0,
                field: 0,
                error: FieldError::Required,
            }]),
        }
    }

    /// Makes a form read from elsewhere (a draft saved by another
    /// version) fit this version: lines of a kind the form does not hold
    /// are dropped, each line gets exactly its kind's fields, every kind
    /// of line shows at least once.
    pub fn normalised(mut self) -> Form {
        let kinds = Self::group_kinds(self.evidence);
        self.groups.retain(|g| kinds.contains(&g.kind));
        for g in &mut self.groups {
            g.values.resize(g.kind.fields().len(), String::new());
        }
        for k in kinds {
            if !self.groups.iter().any(|g| g.kind == *k) {
                self.groups.push(Group::blank(*k));
            }
        }
        self
    }

    /// Adds a blank line of `kind` after line `after` (list forms only);
    /// returns its index.
    pub fn add_line(&mut self, kind: GroupKind, after: usize) -> Option<usize> {
        if !kind.repeats() {
            return None;
        }
        let at = (after + 1).min(self.groups.len());
        self.groups.insert(at, Group::blank(kind));
        Some(at)
    }

    /// Removes line `i` (list forms only); the last line of a kind is
    /// blanked instead, so every kind of line stays on the form.
    pub fn remove_line(&mut self, i: usize) -> bool {
        let Some(kind) = self.groups.get(i).map(|g| g.kind) else {
            return false;
        };
        if !kind.repeats() {
            return false;
        }
        if self.groups.iter().filter(|g| g.kind == kind).count() > 1 {
            self.groups.remove(i);
        } else {
            self.groups[i] = Group::blank(kind);
        }
        true
    }
}
