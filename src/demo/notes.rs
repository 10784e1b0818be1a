//! Dates written inside the demo's free text ("Consultation programmée le
//! 01/12") moved with the cases, so a note still matches its dossier.
//!
//! Only a token that is certainly a date is moved; anything else is left as
//! written. A token is a date when:
//! - it is written `dd/mm`, `dd/mm/yyyy` or `yyyy-mm-dd` with exactly two
//!   digits for the day and month (so `1/3 des cas`, `EVA 7/10` are not);
//! - it stands alone: no letter, digit or `/` glued to either side, and no
//!   `.`/`,` joining it to another number (`SINS 12/18/20`, `2,5/10`);
//! - it is a real calendar date (`SINS 10/18`, `31/11` are not);
//! - it falls within the span of the fixture's own dossier dates (first to
//!   last, birth dates aside). A `dd/mm` takes the year that puts it in that
//!   span. This last rule keeps a score that happens to read as a calendar
//!   date far from the dossier (`EVA 10/10` in a December week, `score 05/06`)
//!   untouched: the notes speak of the weeks around the procedure, the same
//!   weeks as the dossier's dates.
//!
//! A moved date is written back in the form it was found in.

use chrono::{Datelike, Duration, NaiveDate};

/// The first and last dates of the fixture's dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Span {
    fn holds(self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last
    }

    /// The span widened to hold `d`.
    pub fn with(self, d: NaiveDate) -> Span {
        Span {
            first: self.first.min(d),
            last: self.last.max(d),
        }
    }
}

/// `text` with every date it holds (as defined above) moved by `shift`.
pub fn shift_dates_in(text: &str, shift: Duration, span: Span) -> String {
    if shift.is_zero() {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((len, moved)) = date_at(&chars, i, shift, span) {
            out.push_str(&moved);
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The date token starting at `i`, if any: its length in chars and its
/// moved text.
fn date_at(chars: &[char], i: usize, shift: Duration, span: Span) -> Option<(usize, String)> {
    if i > 0 && glued(chars, i - 1, i.checked_sub(2)) {
        return None;
    }
    // Longest form first, so `01/12/2026` is not read as `01/12`.
    for form in [Form::DayMonthYear, Form::Iso, Form::DayMonth] {
        let len = form.len();
        let Some(token) = chars.get(i..i + len) else {
            continue;
        };
        if !form.matches(token) || glued(chars, i + len, Some(i + len + 1)) {
            continue;
        }
        let Some(date) = form.read(token, span) else {
            continue;
        };
        return Some((len, form.write(date + shift)));
    }
    None
}

/// Whether the char at `at` joins a token to more of a number: a letter,
/// a digit or `/`; or `.`/`,` with a digit at `beyond`.
fn glued(chars: &[char], at: usize, beyond: Option<usize>) -> bool {
    let Some(&c) = chars.get(at) else {
        return false;
    };
    if c.is_alphanumeric() || c == '/' {
        return true;
    }
    (c == '.' || c == ',')
        && beyond
            .and_then(|b| chars.get(b))
            .is_some_and(char::is_ascii_digit)
}

#[derive(Debug, Clone, Copy)]
enum Form {
    /// `dd/mm/yyyy`
    DayMonthYear,
    /// `yyyy-mm-dd`
    Iso,
    /// `dd/mm`
    DayMonth,
}

impl Form {
    /// The pattern: `d` a digit, anything else itself.
    fn pattern(self) -> &'static str {
        match self {
            Form::DayMonthYear => "dd/dd/dddd",
            Form::Iso => "dddd-dd-dd",
            Form::DayMonth => "dd/dd",
        }
    }

    fn len(self) -> usize {
        self.pattern().len()
    }

    fn matches(self, token: &[char]) -> bool {
        token.len() == self.len()
            && self.pattern().chars().zip(token).all(|(p, &c)| match p {
                'd' => c.is_ascii_digit(),
                _ => c == p,
            })
    }

    /// The date the token stands for, if it is a real date within `span`.
    fn read(self, token: &[char], span: Span) -> Option<NaiveDate> {
        let s: String = token.iter().collect();
        let number = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        let (day, month) = match self {
            Form::DayMonthYear | Form::DayMonth => (number(0..2)?, number(3..5)?),
            Form::Iso => (number(8..10)?, number(5..7)?),
        };
        let years = match self {
            Form::DayMonthYear => vec![number(6..10)?],
            Form::Iso => vec![number(0..4)?],
            Form::DayMonth => (span.first.year()..=span.last.year())
                .filter_map(|y| u32::try_from(y).ok())
                .collect(),
        };
        years.into_iter().find_map(|y| {
            let d = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, month, day)?;
            span.holds(d).then_some(d)
        })
    }

    fn write(self, d: NaiveDate) -> String {
        match self {
            Form::DayMonthYear => d.format("%d/%m/%Y").to_string(),
            Form::Iso => d.format("%Y-%m-%d").to_string(),
            Form::DayMonth => d.format("%d/%m").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    /// The fixture's span, about: mid-October to early December 2026.
    fn span() -> Span {
        Span {
            first: date(2026, 10, 11),
            last: date(2026, 12, 4),
        }
    }

    #[test]
    fn dates_in_text_move_and_nothing_else_does() {
        let three_weeks = Duration::weeks(3);
        let cases: &[(&str, &str)] = &[
            // Moved, in the form found.
            (
                "Consultation programmée le 01/12 (heure non précisée).",
                "Consultation programmée le 22/12 (heure non précisée).",
            ),
            (
                "Fièvre à 39 °C le 27/11, infection",
                "Fièvre à 39 °C le 18/12, infection",
            ),
            ("Reçue le 25/11.", "Reçue le 16/12."),
            ("le 29/11/2026 à 8 h", "le 20/12/2026 à 8 h"),
            ("scanner du 2026-11-20 ;", "scanner du 2026-12-11 ;"),
            ("du 25/11-27/11", "du 16/12-18/12"),
            ("(30/11)", "(21/12)"),
            ("30/11", "21/12"),
            ("le 04/12/2026", "le 25/12/2026"),
            ("le 15/11 puis le 20/11", "le 06/12 puis le 11/12"),
            // Not dates: one digit, scores, fractions, numbers.
            ("1/3 des cas", "1/3 des cas"),
            ("SINS 7/18", "SINS 7/18"),
            ("SINS 12/18", "SINS 12/18"),
            ("EVA 7/10", "EVA 7/10"),
            ("1/12", "1/12"),
            ("01/1", "01/1"),
            ("12/18/20", "12/18/20"),
            ("2,5/10", "2,5/10"),
            ("27/11,5", "27/11,5"),
            ("001/12", "001/12"),
            ("01/123", "01/123"),
            ("T12/11", "T12/11"),
            ("01/12h", "01/12h"),
            // Not real calendar dates.
            ("31/11", "31/11"),
            ("00/12", "00/12"),
            ("2026-13-01", "2026-13-01"),
            // Real dates far from the dossier's: scores that read as dates.
            ("EVA 10/10", "EVA 10/10"),
            ("score 05/06", "score 05/06"),
            ("01/12/2025", "01/12/2025"),
            ("Stent coronaire en 2025", "Stent coronaire en 2025"),
            ("1948-03-14", "1948-03-14"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(
                shift_dates_in(text, three_weeks, span()),
                *expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_demo_notes_follow_their_dossier_onto_any_week() {
        let week: crate::domain::week::Week = "2031-W11".parse().expect("week");
        let cases = crate::demo::fixture_cases(week).expect("fixture");
        let case = cases
            .iter()
            .find(|c| c.external_id == "SCH-2026-004519")
            .expect("the case whose note names its consultation");
        let at = case.consultation.as_ref().expect("consultation").at.date();
        assert_eq!(at, date(2031, 3, 11));
        assert_eq!(
            case.notes.as_deref(),
            Some("Consultation programmée le 11/03 (heure non précisée).")
        );
        // Every date the fixture's notes hold has moved with them.
        let notes: Vec<&str> = cases.iter().filter_map(|c| c.notes.as_deref()).collect();
        for old in ["25/11", "27/11", "29/11", "01/12"] {
            assert!(notes.iter().all(|n| !n.contains(old)), "{old} in {notes:?}");
        }
        for new in ["05/03", "07/03", "09/03", "11/03"] {
            assert!(notes.iter().any(|n| n.contains(new)), "{new} in {notes:?}");
        }
        assert!(notes.iter().any(|n| n.contains("Stent coronaire en 2025")));
    }

    #[test]
    fn no_shift_leaves_the_text_as_it_is() {
        let text = "le 01/12";
        assert_eq!(shift_dates_in(text, Duration::zero(), span()), text);
    }

    #[test]
    fn a_dd_mm_takes_the_year_that_puts_it_in_the_span() {
        let span = Span {
            first: date(2026, 12, 20),
            last: date(2027, 1, 10),
        };
        assert_eq!(
            shift_dates_in("le 05/01 et le 28/12", Duration::weeks(1), span),
            "le 12/01 et le 04/01"
        );
    }
}
