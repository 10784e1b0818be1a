//! Physical bounds: values outside them are typing or unit errors, refused
//! where data enters (import now, the editing forms later). These are not
//! clinical thresholds (those live in the rules table).

use chrono::{Datelike, Months, NaiveDate};

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
        field: "creatinine_umol_l",
        min: 0.0,
        max: 3000.0,
        unit: "µmol/L",
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
pub const MAX_YEARS_AHEAD: u32 = 10;

/// A value outside its field's bound (`crate::text::error::import` puts it
/// into words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutOfBounds {
    pub value: f64,
    pub min: f64,
    pub max: f64,
    /// As in [`Bound::unit`] (`min`, `G/L`…; empty: none).
    pub unit: &'static str,
}

/// A date outside the accepted ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOutside {
    pub date: NaiveDate,
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    /// The procedure's own date (ten years either side of today).
    pub procedure: bool,
}

/// Checks `value` against the bound of `field`; fields without a bound pass.
pub fn check(field: &str, value: f64) -> Result<(), OutOfBounds> {
    let Some(b) = BOUNDS.iter().find(|b| b.field == field) else {
        return Ok(());
    };
    if !value.is_finite() || value < b.min || value > b.max {
        return Err(OutOfBounds {
            value,
            min: b.min,
            max: b.max,
            unit: b.unit,
        });
    }
    Ok(())
}

/// The latest date accepted when today is `today`: the same day
/// [`MAX_YEARS_AHEAD`] years later (from 29 February: 28 February), or the
/// last representable date if that overflows.
pub fn latest_date(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(Months::new(12 * MAX_YEARS_AHEAD))
        .unwrap_or(NaiveDate::MAX)
}

/// How many years before today a procedure may lie: an older one is a
/// typing slip (the committee validates procedures to come; its history
/// is kept in the file, not imported again).
pub const PROCEDURE_MAX_YEARS_BEFORE: u32 = 10;

/// The earliest procedure date accepted when today is `today`: the same
/// day [`PROCEDURE_MAX_YEARS_BEFORE`] years earlier (from 29 February: 28
/// February), or the first representable date if that underflows.
pub fn earliest_procedure(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(12 * PROCEDURE_MAX_YEARS_BEFORE))
        .unwrap_or(NaiveDate::MIN)
}

/// Checks that a procedure's date lies between ten years before and ten
/// years after `today`.
pub fn check_procedure_date(date: NaiveDate, today: NaiveDate) -> Result<(), DateOutside> {
    let (earliest, latest) = (earliest_procedure(today), latest_date(today));
    if date < earliest || date > latest {
        return Err(DateOutside {
            date,
            earliest,
            latest,
            procedure: true,
        });
    }
    Ok(())
}

/// Checks that a date lies between 1900 and ten years after `today`.
pub fn check_date(date: NaiveDate, today: NaiveDate) -> Result<(), DateOutside> {
    let latest = latest_date(today);
    if date.year() < MIN_YEAR || date > latest {
        return Err(DateOutside {
            date,
            earliest: NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).unwrap_or(NaiveDate::MIN),
            latest,
            procedure: false,
        });
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

    #[test]
    #[rustfmt::skip] // one row per case
    fn ten_years_ahead_at_the_edges_of_the_calendar() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let table = [
            // 29 February: ten years later is never a leap year.
            ("leap day, +10 y 28 Feb", d(2028, 2, 29), d(2038, 2, 28), true),
            ("leap day, +10 y 1 Mar", d(2028, 2, 29), d(2038, 3, 1), false),
            ("leap day, today", d(2028, 2, 29), d(2028, 2, 29), true),
            ("leap day, 1900", d(2028, 2, 29), d(1900, 1, 1), true),
            ("leap day 2024, +10 y 28 Feb", d(2024, 2, 29), d(2034, 2, 28), true),
            ("leap day 2024, +10 y 1 Mar", d(2024, 2, 29), d(2034, 3, 1), false),
            ("31 December", d(2026, 12, 31), d(2036, 12, 31), true),
            ("31 December, +1 day", d(2026, 12, 31), d(2037, 1, 1), false),
        ];
        for (label, today, date, ok) in table {
            assert_eq!(check_date(date, today).is_ok(), ok, "{label}");
        }
        assert_eq!(latest_date(d(2028, 2, 29)), d(2038, 2, 28));
        let err = check_date(d(2038, 3, 1), d(2028, 2, 29)).expect_err("too far");
        assert_eq!(err.latest, d(2038, 2, 28), "{err:?}");
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn a_procedure_lies_within_ten_years_of_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let table = [
            ("1900", d(1900, 1, 1), false),
            ("ten years before, the day after the limit", d(2016, 11, 25), false),
            ("ten years before", d(2016, 11, 26), true),
            ("today", today, true),
            ("ten years after", d(2036, 11, 26), true),
            ("ten years after, a day more", d(2036, 11, 27), false),
        ];
        for (label, date, ok) in table {
            assert_eq!(check_procedure_date(date, today).is_ok(), ok, "{label}");
        }
        let err = check_procedure_date(d(1900, 11, 30), today).expect_err("1900");
        assert_eq!((err.earliest, err.latest), (d(2016, 11, 26), d(2036, 11, 26)));
        assert_eq!(earliest_procedure(d(2028, 2, 29)), d(2018, 2, 28));
        assert_eq!(earliest_procedure(NaiveDate::MIN), NaiveDate::MIN);
    }

    #[test]
    fn the_end_of_the_calendar_does_not_panic() {
        assert_eq!(latest_date(NaiveDate::MAX), NaiveDate::MAX);
        assert!(check_date(NaiveDate::MAX, NaiveDate::MAX).is_ok());
        assert!(check_date(NaiveDate::MIN, NaiveDate::MAX).is_err());
    }
}
