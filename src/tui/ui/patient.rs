//! A patient's name in a board cell: shortened to fit without reading
//! like another name, and, for look-alike patients of the week (`Likeness`,
//! computed once per loaded week in `tui::data`), showing what tells them
//! apart — full first name, birth date, hospital number. Pseudonymised
//! (initials, no birth date), what tells them apart is the IPP's pseudonym.

use crate::tui::data::{Likeness, PatientName};

/// "LAST First, 78" when it fits in `width` columns, else "LAST F., 78",
/// else the last name shortened with "…": the age always shows, and a name
/// is never cut into something that reads like another name.
pub fn patient(last: &str, first: &str, age: i32, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let last = last.to_uppercase();
    let age = format!(", {age}");
    // Pseudonymised: the initials alone, in `last`.
    let full = if first.is_empty() {
        format!("{last}{age}")
    } else {
        format!("{last} {first}{age}")
    };
    if full.width() <= width {
        return full;
    }
    let initial: String = first
        .chars()
        .next()
        .map(|c| format!(" {c}."))
        .unwrap_or_default();
    let short = format!("{last}{initial}{age}");
    if short.width() <= width {
        return short;
    }
    let room = width.saturating_sub(age.width() + 1);
    let mut cut = String::new();
    for ch in last.chars() {
        if (cut.clone() + &ch.to_string()).width() > room {
            break;
        }
        cut.push(ch);
    }
    format!("{cut}…{age}")
}

/// The patient as the board shows them in `width` columns: [`patient`] for
/// a name no other of the week resembles; for a look-alike, the full first
/// name (the age gives way first, then the last name is shortened with
/// "…"), and the birth date `dd/mm/yyyy` when the first names match too,
/// and the hospital number when the birth dates match as well: what tells
/// the rows apart is never cut while some of it fits. Without a birth date
/// (pseudonymised) none is shown: the hospital number (its pseudonym) is.
pub fn patient_label(n: &PatientName, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let born = n
        .birth_date
        .map(|d| format!(", {}", d.format("%d/%m/%Y")))
        .unwrap_or_default();
    let first = if n.first.is_empty() {
        String::new()
    } else {
        format!(" {}", n.first)
    };
    // The rest of the label after the last name, and whether the last name
    // may be shortened for it, in order of preference.
    let shapes: Vec<(String, bool)> = match n.likeness {
        Likeness::Unique => return patient(&n.last, &n.first, n.age, width),
        Likeness::FirstName => vec![
            (format!("{first}, {}", n.age), false),
            (first.clone(), false),
            (first.clone(), true),
        ],
        Likeness::BirthDate => vec![
            (format!("{first}{born}"), false),
            (format!("{first}{born}"), true),
            (born.clone(), false),
            (born.clone(), true),
        ],
        // Pseudonymised (initials, no birth date): the initials, then as
        // much of the IPP's pseudonym as fits (its first digits tell the
        // rows apart); the initials are never cut.
        Likeness::Ipp if n.birth_date.is_none() => {
            for label in [
                format!("{}, IPP {}", n.last, n.ipp),
                format!("{}, {}", n.last, n.ipp),
            ] {
                if label.width() <= width {
                    return label;
                }
            }
            return cut_end(&format!("{} {}", n.last, n.ipp), width);
        }
        Likeness::Ipp => {
            // Same name and birth date, another number: the first name's
            // initial stays as long as it fits.
            let initial = n
                .first
                .chars()
                .next()
                .map(|c| format!(" {c}."))
                .unwrap_or_default();
            vec![
                (format!("{first}{born}, IPP {}", n.ipp), false),
                (format!("{first}{born}, IPP {}", n.ipp), true),
                (format!("{first}, IPP {}", n.ipp), true),
                (format!("{initial}, IPP {}", n.ipp), true),
                (format!(", IPP {}", n.ipp), true),
            ]
        }
    };
    for (rest, shorten) in &shapes {
        if let Some(label) = fit(&n.last, rest, width, *shorten) {
            return label;
        }
    }
    // Narrower than any shape (never on the board: its patient column is
    // wider): what tells the rows apart, after a "…" for the last name.
    let (rest, _) = shapes.last().cloned().unwrap_or_default();
    cut_end(&format!("…{}", rest.trim_start_matches([' ', ','])), width)
}

/// `last` then `rest` if it fits in `width`; else, when `shorten`, `last`
/// cut with "…" (at least one letter kept) then `rest`.
fn fit(last: &str, rest: &str, width: usize, shorten: bool) -> Option<String> {
    use unicode_width::UnicodeWidthStr;
    let full = format!("{last}{rest}");
    if full.width() <= width {
        return Some(full);
    }
    if !shorten {
        return None;
    }
    let room = width.checked_sub(rest.width() + 1)?;
    let kept = cut_to(last, room);
    (!kept.is_empty()).then(|| format!("{kept}…{rest}"))
}

/// The longest start of `s` at most `width` columns wide.
fn cut_to(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out
}

/// `s` in `width` columns, its end replaced by "…" when it does not fit.
pub(super) fn cut_end(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if s.width() <= width {
        return s.to_owned();
    }
    format!("{}…", cut_to(s, width.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn names_shorten_without_losing_the_age() {
        assert_eq!(patient("Béranger", "Hélène", 78, 30), "BÉRANGER Hélène, 78");
        assert_eq!(
            patient("Desrosières", "Gaëlle", 67, 19),
            "DESROSIÈRES G., 67"
        );
        assert_eq!(
            patient("Mégane-Rousseau", "Bénédicte", 74, 16),
            "MÉGANE-ROUS…, 74"
        );
        // Wide characters count double.
        assert_eq!(patient("山田", "太郎", 50, 13), "山田 太郎, 50");
        assert_eq!(patient("山田", "太郎", 50, 12), "山田 太., 50");
        assert_eq!(patient("山田山田山田", "太郎", 50, 12), "山田山…, 50");
    }

    fn name(last: &str, first: &str, born: &str, ipp: &str, likeness: Likeness) -> PatientName {
        let birth_date = NaiveDate::parse_from_str(born, "%Y-%m-%d").expect("date");
        PatientName {
            last: last.to_uppercase(),
            first: first.into(),
            age: crate::domain::assess::age_on(
                birth_date,
                NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
            ),
            birth_date: Some(birth_date),
            ipp: ipp.into(),
            likeness,
        }
    }

    /// (width, François DUPRÉ, Françoise DUPRÉ) at each level: what tells
    /// them apart shows at every width the board can give (16 and more).
    #[test]
    fn look_alikes_show_what_tells_them_apart_at_every_width() {
        use Likeness::*;
        let cases: &[(Likeness, usize, &str, &str)] = &[
            (Unique, 16, "DUPRÉ F., 70", "DUPRÉ F., 69"),
            (FirstName, 40, "DUPRÉ François, 70", "DUPRÉ Françoise, 69"),
            (FirstName, 19, "DUPRÉ François, 70", "DUPRÉ Françoise, 69"),
            // The age gives way before the last name is shortened.
            (FirstName, 18, "DUPRÉ François, 70", "DUPRÉ Françoise"),
            (FirstName, 16, "DUPRÉ François", "DUPRÉ Françoise"),
            (FirstName, 14, "DUPRÉ François", "DUP… Françoise"),
            (FirstName, 11, "D… François", "…Françoise"),
            (FirstName, 8, "…Franço…", "…Franço…"),
            (
                BirthDate,
                40,
                "DUPRÉ François, 02/07/1956",
                "DUPRÉ Françoise, 30/05/1957",
            ),
            (
                BirthDate,
                25,
                "DUP… François, 02/07/1956",
                "DU… Françoise, 30/05/1957",
            ),
            (BirthDate, 17, "DUPRÉ, 02/07/1956", "DUPRÉ, 30/05/1957"),
            (BirthDate, 16, "DUP…, 02/07/1956", "DUP…, 30/05/1957"),
            (
                Ipp,
                60,
                "DUPRÉ François, 02/07/1956, IPP 80023871",
                "DUPRÉ Françoise, 30/05/1957, IPP 80323109",
            ),
            (Ipp, 16, "D…, IPP 80023871", "D…, IPP 80323109"),
        ];
        for (likeness, width, a, b) in cases {
            let x = name("Dupré", "François", "1956-07-02", "80023871", *likeness);
            let y = name("Dupré", "Françoise", "1957-05-30", "80323109", *likeness);
            let got = (patient_label(&x, *width), patient_label(&y, *width));
            assert_eq!(
                got,
                (a.to_string(), b.to_string()),
                "{likeness:?} at {width}"
            );
            use unicode_width::UnicodeWidthStr;
            assert!(got.0.width() <= *width && got.1.width() <= *width);
        }
    }

    /// Pseudonymised look-alikes (the same initials, two IPPs): the
    /// initials, then as much of the pseudonym as fits; never a birth date.
    #[test]
    fn pseudonymised_look_alikes_show_their_initials_and_pseudonym() {
        let n = |ipp: &str| PatientName {
            last: "D. F.".into(),
            first: String::new(),
            age: 70,
            birth_date: None,
            ipp: ipp.into(),
            likeness: Likeness::Ipp,
        };
        let (a, b) = (n("P-500866d42dac"), n("P-4678912fb3d7"));
        let cases: &[(usize, &str, &str)] = &[
            (40, "D. F., IPP P-500866d42dac", "D. F., IPP P-4678912fb3d7"),
            (25, "D. F., IPP P-500866d42dac", "D. F., IPP P-4678912fb3d7"),
            (24, "D. F., P-500866d42dac", "D. F., P-4678912fb3d7"),
            (16, "D. F. P-500866d…", "D. F. P-4678912…"),
        ];
        for (width, x, y) in cases {
            assert_eq!(
                (patient_label(&a, *width), patient_label(&b, *width)),
                (x.to_string(), y.to_string()),
                "at {width}"
            );
        }
        // Unique: the initials and the age.
        let unique = PatientName {
            likeness: Likeness::Unique,
            ..n("P-500866d42dac")
        };
        assert_eq!(patient_label(&unique, 16), "D. F., 70");
    }
}
