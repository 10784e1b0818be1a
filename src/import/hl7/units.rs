//! LOINC codes this product uses and the units it takes for each, with the
//! conversion to the analyte's canonical unit. A unit not listed is never
//! guessed: the value is set aside.

use crate::domain::labs::Analyte;

/// The analyte of a LOINC code, if this product uses it.
pub fn analyte(loinc: &str) -> Option<Analyte> {
    Some(match loinc {
        "34714-6" | "6301-6" => Analyte::Inr,
        "777-3" | "26515-7" => Analyte::Platelets,
        "751-8" | "26499-4" => Analyte::Neutrophils,
        "718-7" => Analyte::Haemoglobin,
        "14682-9" | "2160-0" => Analyte::Creatinine,
        "33914-3" | "62238-1" | "98979-8" => Analyte::Egfr,
        _ => return None,
    })
}

/// A unit written for comparison: case folded, `µ`/`μ` as `u`, `^` as `*`,
/// `²`/`³` as digits, a decimal comma as a point, UCUM braces, underscores
/// and spaces dropped, `mn` (French minutes) as `min`.
pub fn normalise(unit: &str) -> String {
    let folded: String = unit
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '{' | '}' | '_'))
        .map(|c| match c {
            'µ' | 'μ' => 'u',
            '^' => '*',
            '²' => '2',
            '³' => '3',
            ',' => '.',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.replace("/mn/", "/min/")
}

/// Multiplier from the unit as sent (normalised) to the canonical unit of
/// the code's analyte; `None` for a unit not taken for that code.
///
/// - INR: no unit, `{INR}`, `INR`, `1`, `{ratio}`.
/// - Platelets and neutrophils, G/L: `G/L`, `10*9/L` (and `10^9/L`, `x10*9/L`,
///   `10E9/L`), `10*3/uL` (`10^3/µL`, `10*3/mm3`), `/nL`, all 1 for 1;
///   neutrophils also as a count per µL (`/uL`, `/mm3`): ÷ 1000.
/// - Haemoglobin (718-7 is a mass concentration): `g/dL`, `g/100mL` as is;
///   `g/L` ÷ 10; `mmol/L` refused (a molar concentration is another LOINC
///   code, and its factor depends on the convention used).
/// - Creatinine: 14682-9 (molar) in `µmol/L`; 2160-0 (mass) in `mg/dL`
///   × 88.42 or `mg/L` × 8.842.
/// - eGFR: `mL/min/1.73m2` (`mL/min/{1.73_m2}`, `ml/mn/1,73 m²`…); a
///   clearance in plain `mL/min` refused (not indexed).
pub fn factor(loinc: &str, unit: &str) -> Option<f64> {
    let u = normalise(unit);
    let per_nano_litre = [
        "g/l",
        "giga/l",
        "10*9/l",
        "x10*9/l",
        "10e9/l",
        "x10e9/l",
        "10.e9/l",
        "10*3/ul",
        "x10*3/ul",
        "10e3/ul",
        "10*3/mm3",
        "x10*3/mm3",
        "/nl",
        "1/nl",
    ];
    match analyte(loinc)? {
        Analyte::Inr => ["", "inr", "1", "ratio"]
            .contains(&u.as_str())
            .then_some(1.0),
        Analyte::Platelets => per_nano_litre.contains(&u.as_str()).then_some(1.0),
        Analyte::Neutrophils => {
            if per_nano_litre.contains(&u.as_str()) {
                Some(1.0)
            } else if ["/ul", "1/ul", "/mm3", "1/mm3"].contains(&u.as_str()) {
                Some(0.001)
            } else {
                None
            }
        }
        Analyte::Haemoglobin => match u.as_str() {
            "g/dl" | "g/100ml" => Some(1.0),
            "g/l" => Some(0.1),
            _ => None,
        },
        Analyte::Creatinine => match (loinc, u.as_str()) {
            ("14682-9", "umol/l") => Some(1.0),
            ("2160-0", "mg/dl") => Some(88.42),
            ("2160-0", "mg/l") => Some(8.842),
            _ => None,
        },
        Analyte::Egfr => (u == "ml/min/1.73m2").then_some(1.0),
    }
}

/// A value converted to its analyte's canonical unit, at the precision it
/// is reported in: creatinine in whole µmol/L, as laboratories report it
/// (1.1 mg/dL × 88.42 = 97.262 is 97; the factor stays exact), every other
/// analyte to four decimals (enough for each, and no 12.300000000000001).
/// Applied before the value is stored or checked against its bounds, so
/// that what is shown is what is judged. No rule compares creatinine with
/// a threshold (the drug rules use the Cockcroft clearance, `crcl_ml_min`;
/// the biology rule its presence and date); its bounds (0 to 3000 µmol/L)
/// see the rounded value.
pub fn reported(analyte: Analyte, value: f64) -> f64 {
    match analyte {
        Analyte::Creatinine => value.round(),
        _ => (value * 1e4).round() / 1e4,
    }
}

/// OBX-5 as a plain decimal number (`12`, `1.25`, `.5`, `+3`): no
/// comparator (`<0.5`), no exponent, no decimal comma, no text; not negative.
pub fn number(value: &str) -> Option<f64> {
    let v = value.trim();
    let v = v.strip_prefix('+').unwrap_or(v);
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let points = v.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || points > 1 || digits + points != v.len() {
        return None;
    }
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}
