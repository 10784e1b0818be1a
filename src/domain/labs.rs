//! Laboratory values as the rules read them, one by one: each value has its
//! own date (a result never makes an older value look fresh) and is stored
//! in one canonical unit. Pure: no database, no message format.

use serde::{Deserialize, Serialize};

use super::time::When;

/// A laboratory value the dossier rules use, in its canonical unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Analyte {
    /// INR, no unit (coagulation).
    Inr,
    /// Platelets, G/L (= 10⁹/L) (coagulation).
    Platelets,
    /// Neutrophils, G/L (biology).
    Neutrophils,
    /// Haemoglobin, g/dL (biology; shown, no threshold).
    Haemoglobin,
    /// Creatinine, µmol/L (biology; stored and shown). Never a clearance.
    Creatinine,
    /// eGFR, mL/min/1.73 m² (biology). Never fills `crcl_ml_min`: the drug
    /// rules need a Cockcroft clearance.
    Egfr,
}

/// The evidence object a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Biology,
    Coagulation,
}

impl Analyte {
    pub const ALL: [Analyte; 6] = [
        Analyte::Inr,
        Analyte::Platelets,
        Analyte::Neutrophils,
        Analyte::Haemoglobin,
        Analyte::Creatinine,
        Analyte::Egfr,
    ];

    pub fn panel(self) -> Panel {
        match self {
            Analyte::Inr | Analyte::Platelets => Panel::Coagulation,
            _ => Panel::Biology,
        }
    }

    /// The key of the value in the stored (interchange) JSON object.
    pub fn key(self) -> &'static str {
        match self {
            Analyte::Inr => "inr",
            Analyte::Platelets => "platelets_g_l",
            Analyte::Neutrophils => "neutrophils_g_l",
            Analyte::Haemoglobin => "hemoglobin_g_dl",
            Analyte::Creatinine => "creatinine_umol_l",
            Analyte::Egfr => "egfr",
        }
    }

    pub fn from_key(key: &str) -> Option<Analyte> {
        Analyte::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// One value, in its analyte's canonical unit, with its own date (the
/// specimen's time when a laboratory sent it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabValue {
    pub analyte: Analyte,
    pub value: f64,
    pub at: When,
}

impl LabValue {
    /// The value against its analyte's physical bounds
    /// ([`crate::domain::bounds`]): the one check the feed (a value out of
    /// bounds is set aside, `storage::feed_labs`) and the writing of lab
    /// values (refused, `storage::labs`) both make.
    pub fn check_bounds(&self) -> Result<(), crate::domain::bounds::OutOfBounds> {
        crate::domain::bounds::check(self.analyte.key(), self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_distinct() {
        for a in Analyte::ALL {
            assert_eq!(Analyte::from_key(a.key()), Some(a));
        }
        assert_eq!(Analyte::from_key("crcl_ml_min"), None);
    }

    #[test]
    fn inr_and_platelets_are_coagulation_the_rest_biology() {
        let coag: Vec<_> = Analyte::ALL
            .into_iter()
            .filter(|a| a.panel() == Panel::Coagulation)
            .collect();
        assert_eq!(coag, [Analyte::Inr, Analyte::Platelets]);
    }

    #[test]
    fn a_value_is_checked_against_its_analytes_bounds() {
        let on = When::Date(crate::testkit::today());
        for (analyte, value, ok) in [
            (Analyte::Inr, 0.5, true),
            (Analyte::Inr, 0.4, false),
            (Analyte::Creatinine, 3000.0, true),
            (Analyte::Creatinine, 3001.0, false),
            (Analyte::Platelets, f64::NAN, false),
        ] {
            let v = LabValue {
                analyte,
                value,
                at: on,
            };
            assert_eq!(v.check_bounds().is_ok(), ok, "{analyte:?} {value}");
            assert_eq!(
                v.check_bounds().is_ok(),
                crate::domain::bounds::check(analyte.key(), value).is_ok()
            );
        }
    }
}
