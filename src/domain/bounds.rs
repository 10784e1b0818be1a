//! Physical bounds: values outside them are typing or unit errors, refused
//! where data enters (import now, the editing forms later). These are not
//! clinical thresholds (those live in the rules table).

use chrono::{Datelike, NaiveDate};

/// A numeric field's physically possible range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub field: &'static str,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
}

/// The one table of physical bounds.
pub const BOUNDS: &[Bound] = &[
    Bound {
        field: "inr",
        min: 0.5,
        max: 15.0,
        unit: "",
    },
    Bound {
        field: "platelets_g_l",
        min: 0.0,
        max: 2000.0,
        unit: "G/L",
    },
    Bound {
        field: "neutrophils_g_l",
        min: 0.0,
        max: 200.0,
        unit: "G/L",
    },
    Bound {
        field: "hemoglobin_g_dl",
        min: 1.0,
        max: 25.0,
        unit: "g/dL",
    },
    Bound {
        field: "egfr",
        min: 0.0,
        max: 250.0,
        unit: "mL/min/1.73 m²",
    },
    Bound {
        field: "crcl_ml_min",
        min: 0.0,
        max: 300.0,
        unit: "mL/min",
    },
    Bound {
        field: "pain_vas",
        min: 0.0,
        max: 10.0,
        unit: "",
    },
    Bound {
        field: "duration_min",
        min: 5.0,
        max: 1440.0,
        unit: "min",
    },
];

/// The earliest date accepted anywhere.
pub const MIN_YEAR: i32 = 1900;
/// How many years past today a date may lie.
pub const MAX_YEARS_AHEAD: i32 = 10;

/// Checks `value` against the bound of `field`; fields without a bound pass.
pub fn check(field: &str, value: f64) -> Result<(), String> {
    let Some(b) = BOUNDS.iter().find(|b| b.field == field) else {
        return Ok(());
    };
    if !value.is_finite() || value < b.min || value > b.max {
        let unit = if b.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", b.unit)
        };
        return Err(format!(
            "{value} is out of the possible range {}–{}{unit}",
            b.min, b.max
        ));
    }
    Ok(())
}

/// Checks that a date lies between 1900 and ten years after `today`.
pub fn check_date(date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    let max_year = today.year() + MAX_YEARS_AHEAD;
    let latest = today.with_year(max_year).unwrap_or(today);
    if date.year() < MIN_YEAR || date > latest {
        return Err(format!(
            "{} is outside the accepted dates ({MIN_YEAR}-01-01 to {latest})",
            date.format("%Y-%m-%d")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inr_bounds() {
        assert!(check("inr", 0.5).is_ok());
        assert!(check("inr", 15.0).is_ok());
        assert!(check("inr", 40.0).is_err());
        assert!(check("inr", 0.4).is_err());
        assert!(check("inr", f64::NAN).is_err());
    }

    #[test]
    fn counts_cannot_be_negative() {
        assert!(check("platelets_g_l", -1.0).is_err());
        assert!(check("platelets_g_l", 0.0).is_ok());
    }

    #[test]
    fn dates_between_1900_and_ten_years_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert!(check_date(d(1900, 1, 1), today).is_ok());
        assert!(check_date(d(1899, 12, 31), today).is_err());
        assert!(check_date(d(2036, 11, 26), today).is_ok());
        assert!(check_date(d(2036, 11, 27), today).is_err());
        assert!(check_date(d(2062, 1, 1), today).is_err());
    }
}
