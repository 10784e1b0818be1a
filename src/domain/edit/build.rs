//! Turning a checked form line into the model's value.

use chrono::NaiveDate;

use super::field::{Value, read};
use super::forms::{Group, GroupKind};
use crate::domain::model::{Consent, Consultation, Imaging, Medication, MirelsInput, SinsInput};
use crate::domain::vocab::*;

/// A checked line being turned into a model value.
pub(super) struct Line<'a> {
    pub(super) group: &'a Group,
    pub(super) today: NaiveDate,
}

impl Line<'_> {
    pub(super) fn value(&self, key: &str) -> Value {
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

    pub(super) fn when(&self, key: &str) -> Option<crate::domain::time::When> {
        match self.value(key) {
            Value::When(w) => Some(w),
            _ => None,
        }
    }

    pub(super) fn number(&self, key: &str) -> Option<f64> {
        match self.value(key) {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub(super) fn text(&self, key: &str) -> Option<String> {
        match self.value(key) {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    pub(super) fn word(&self, key: &str) -> Option<&'static str> {
        match self.value(key) {
            Value::Word(w) => Some(w),
            _ => None,
        }
    }

    pub(super) fn yes(&self, key: &str) -> Option<bool> {
        self.word(key).map(|w| w == "yes")
    }

    pub(super) fn parsed<T>(&self, key: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.word(key).and_then(parse)
    }

    pub(super) fn consultation(&self) -> Consultation {
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

    pub(super) fn imaging(&self) -> Option<Imaging> {
        Some(Imaging {
            kind: self.parsed("kind", ImagingKind::parse)?,
            at: self.when("at")?,
        })
    }

    pub(super) fn medication(&self) -> Option<Medication> {
        Some(Medication {
            drug: self.parsed("drug", Drug::parse)?,
            name: self.text("name"),
            last_intake: self.when("last_intake"),
            crcl_ml_min: self.number("crcl_ml_min"),
        })
    }

    pub(super) fn mirels(&self) -> Option<MirelsInput> {
        (self.group.kind == GroupKind::Mirels).then(|| MirelsInput {
            lesion: self.text("lesion"),
            site: self.parsed("site", MirelsSite::parse),
            pain: self.parsed("pain", MirelsPain::parse),
            size: self.parsed("size", MirelsSize::parse),
            appearance: self.parsed("appearance", MirelsAppearance::parse),
        })
    }

    pub(super) fn sins(&self) -> Option<SinsInput> {
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
