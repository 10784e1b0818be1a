//! The forms of the dossier, one per evidence object: their lines and
//! fields, loading a stored object into a form, building the object back
//! (every field checked), and comparing forms (for a conflict).

use chrono::NaiveDate;
use serde::Serialize;

use super::field::{FieldError, FieldKind, FieldSpec, Value, read};
use crate::domain::model::{
    AnaesthesiaConsult, Biology, Coagulation, Consent, Consultation, Imaging, Medication,
    MirelsInput, Scores, SinsInput,
};
use crate::domain::record::EvidenceKind;
use crate::domain::vocab::*;

const YES_NO: &[&str] = &["yes", "no"];

use FieldKind::{Choice, Level, Number, Text, When as At};

const CONSULTATION: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("radiologist", Text),
    FieldSpec::new("leaflet_given", Choice(YES_NO)),
    FieldSpec::new("consent_kind", Choice(ConsentKind::WORDS)),
    FieldSpec::new("consent_by", Text),
    FieldSpec::new("consent_at", At),
    FieldSpec::new("consent_details", Text),
];
const ANAESTHESIA: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("anaesthetist", Text),
];
const IMAGING: &[FieldSpec] = &[
    FieldSpec::new("kind", Choice(ImagingKind::WORDS)).required(),
    FieldSpec::new("at", At).required(),
];
const BIOLOGY: &[FieldSpec] = &[
    FieldSpec::new("at", At).required(),
    FieldSpec::new("neutrophils_g_l", Number("neutrophils_g_l")),
    FieldSpec::new("hemoglobin_g_dl", Number("hemoglobin_g_dl")),
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

    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|v| v.trim().is_empty())
    }

    fn with(kind: GroupKind, values: &[(&str, String)]) -> Group {
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
}

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
        })
    }

    fn groups_of(kind: EvidenceKind, data: &str) -> serde_json::Result<Vec<Group>> {
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
        Ok(())
    }

    fn value_of(&self, group: usize, key: &str) -> &str {
        let Some(g) = self.groups.get(group) else {
            return "";
        };
        g.kind
            .fields()
            .iter()
            .position(|f| f.key == key)
            .and_then(|i| g.values.get(i))
            .map_or("", String::as_str)
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
                    neutrophils_g_l: l.number("neutrophils_g_l"),
                    hemoglobin_g_dl: l.number("hemoglobin_g_dl"),
                    egfr: l.number("egfr"),
                    sepsis: l.yes("sepsis"),
                })
            }),
            EvidenceKind::Coagulation => lines.first().map(|l| {
                serde_json::to_string(&Coagulation {
                    at: l
                        .when("at")
                        .unwrap_or(crate::domain::time::When::Date(today)),
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

    /// The fields that differ from `self` to `other`, line by line.
    pub fn changes(&self, other: &Form) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let n = self.groups.len().max(other.groups.len());
        for gi in 0..n {
            let a = self.groups.get(gi);
            let b = other.groups.get(gi);
            match (a, b) {
                (Some(a), Some(b)) if a.kind != b.kind => {
                    // Different lines at the same place: all of one, all of the other.
                    out.extend(Self::line_changes(gi, Some(a), None));
                    out.extend(Self::line_changes(gi, None, Some(b)));
                    continue;
                }
                (None, None) => continue,
                _ => {}
            }
            out.extend(Self::line_changes(gi, a, b));
        }
        out
    }

    fn line_changes(gi: usize, a: Option<&Group>, b: Option<&Group>) -> Vec<FieldChange> {
        let Some(kind) = a.or(b).map(|g| g.kind) else {
            return Vec::new();
        };
        let get = |g: Option<&Group>, i: usize| {
            g.and_then(|g| g.values.get(i))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        kind.fields()
            .iter()
            .enumerate()
            .filter_map(|(i, spec)| {
                let (from, to) = (get(a, i), get(b, i));
                (from != to).then_some(FieldChange {
                    group: gi,
                    kind,
                    key: spec.key,
                    from,
                    to,
                })
            })
            .collect()
    }

    /// Mine on top of theirs: the fields I changed from the form I started
    /// from (`base`) are applied to what they saved; the rest is theirs.
    /// When the lines no longer match (a line added or removed on either
    /// side), my whole form wins: what I see is what is saved.
    pub fn rebase(base: &Form, mine: &Form, theirs: &Form) -> Form {
        let same_shape = |a: &Form, b: &Form| {
            a.groups.len() == b.groups.len()
                && a.groups
                    .iter()
                    .zip(&b.groups)
                    .all(|(x, y)| x.kind == y.kind)
        };
        if !(same_shape(base, mine) && same_shape(base, theirs)) {
            return mine.clone();
        }
        let mut out = theirs.clone();
        for (gi, g) in out.groups.iter_mut().enumerate() {
            for (fi, v) in g.values.iter_mut().enumerate() {
                let b = &base.groups[gi].values[fi];
                let m = &mine.groups[gi].values[fi];
                if m.trim() != b.trim() {
                    v.clone_from(m);
                }
            }
        }
        out
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

/// A checked line being turned into a model value.
struct Line<'a> {
    group: &'a Group,
    today: NaiveDate,
}

impl Line<'_> {
    fn value(&self, key: &str) -> Value {
        let fields = self.group.kind.fields();
        fields
            .iter()
            .position(|f| f.key == key)
            .and_then(|i| {
                let typed = self.group.values.get(i)?;
                read(&fields[i], typed, self.today).ok()
            })
            .unwrap_or(Value::Empty)
    }

    fn when(&self, key: &str) -> Option<crate::domain::time::When> {
        match self.value(key) {
            Value::When(w) => Some(w),
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Option<f64> {
        match self.value(key) {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.value(key) {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    fn word(&self, key: &str) -> Option<&'static str> {
        match self.value(key) {
            Value::Word(w) => Some(w),
            _ => None,
        }
    }

    fn yes(&self, key: &str) -> Option<bool> {
        self.word(key).map(|w| w == "yes")
    }

    fn parsed<T>(&self, key: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.word(key).and_then(parse)
    }

    fn consultation(&self) -> Consultation {
        let consent = self
            .parsed("consent_kind", ConsentKind::parse)
            .map(|kind| Consent {
                kind,
                at: self.when("consent_at"),
                by: self.text("consent_by"),
                details: self.text("consent_details"),
            });
        Consultation {
            at: self
                .when("at")
                .unwrap_or(crate::domain::time::When::Date(self.today)),
            radiologist: self.text("radiologist"),
            leaflet_given: self.yes("leaflet_given"),
            consent,
        }
    }

    fn imaging(&self) -> Option<Imaging> {
        Some(Imaging {
            kind: self.parsed("kind", ImagingKind::parse)?,
            at: self.when("at")?,
        })
    }

    fn medication(&self) -> Option<Medication> {
        Some(Medication {
            drug: self.parsed("drug", Drug::parse)?,
            name: self.text("name"),
            last_intake: self.when("last_intake"),
            crcl_ml_min: self.number("crcl_ml_min"),
        })
    }

    fn mirels(&self) -> Option<MirelsInput> {
        (self.group.kind == GroupKind::Mirels).then(|| MirelsInput {
            lesion: self.text("lesion"),
            site: self.parsed("site", MirelsSite::parse),
            pain: self.parsed("pain", MirelsPain::parse),
            size: self.parsed("size", MirelsSize::parse),
            appearance: self.parsed("appearance", MirelsAppearance::parse),
        })
    }

    fn sins(&self) -> Option<SinsInput> {
        (self.group.kind == GroupKind::Sins).then(|| SinsInput {
            level: match self.value("level") {
                Value::Level(l) => Some(l),
                _ => None,
            },
            location: self.parsed("location", SinsLocation::parse),
            pain: self.parsed("pain", SinsPain::parse),
            lesion: self.parsed("lesion", SinsLesion::parse),
            alignment: self.parsed("alignment", SinsAlignment::parse),
            collapse: self.parsed("collapse", SinsCollapse::parse),
            posterolateral: self.parsed("posterolateral", SinsPosterolateral::parse),
        })
    }
}
