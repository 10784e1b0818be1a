//! One field of a dossier form: what it holds and how typed text is read
//! and checked. Numbers are checked against the physical bounds table
//! (`domain/bounds.rs`, the same one import uses), dates against the
//! accepted calendar, choices against the vocabularies.

use chrono::NaiveDate;

use crate::domain::bounds;
use crate::domain::message::Lang;
use crate::domain::scores::VertebralLevel;
use crate::domain::text::{is_blank, sanitize_line, sanitize_text};
use crate::domain::time::When;

/// The longest one-line text a form accepts (as import does).
pub const MAX_LINE_CHARS: usize = 200;
/// The longest text on several lines a form accepts (as import does for
/// `notes` and a consent's `details`).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    When,
    /// A number checked against the bounds table row named here; a comma
    /// is read as the decimal point.
    Number(&'static str),
    /// One word of a vocabulary (chosen, not typed).
    Choice(&'static [&'static str]),
    /// A vertebral level (`C0`–`S5`).
    Level,
    /// One line of free text.
    Text,
    /// Free text on several lines, its line breaks kept: the fields that
    /// import accepts with line breaks (a consent's `details`).
    Paragraph,
}

/// A field of a form: its key (as in the interchange format), what it
/// holds, and whether a line of the form needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

impl FieldSpec {
    pub const fn new(key: &'static str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            key,
            kind,
            required: false,
        }
    }

    pub const fn required(mut self) -> FieldSpec {
        self.required = true;
        self
    }

    /// Whether the field holds several lines (Ctrl-J starts a new one).
    pub fn is_multiline(&self) -> bool {
        self.kind == FieldKind::Paragraph
    }

    /// The choices of a choice field (empty otherwise).
    pub fn choices(&self) -> &'static [&'static str] {
        match self.kind {
            FieldKind::Choice(c) => c,
            _ => &[],
        }
    }
}

/// Why a field's text is refused. The screen words it (`tui/catalogue/forms.rs`).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    /// Empty, but the line needs it.
    Required,
    /// Filled, but it means nothing without `needs` (e.g. who traced a
    /// consent without its kind).
    Needs(&'static str),
    NotANumber,
    OutOfRange {
        min: f64,
        max: f64,
        unit: &'static str,
    },
    /// Not `YYYY-MM-DD` nor `YYYY-MM-DDTHH:MM`, or no such day.
    NotADate,
    /// Before 1900 or more than ten years ahead.
    DateOutOfRange {
        latest: NaiveDate,
    },
    NotAChoice,
    NotALevel,
    TooLong {
        max: usize,
    },
    /// Filled on a drug that is not "other" (the vocabulary names it).
    OnlyForOther,
    /// The same vertebral level on an earlier line.
    Duplicate,
    /// A SINS location class given with a level (the level decides it).
    NotWithLevel,
    /// Empty on a transcribed anaesthesia consultation: who consulted must
    /// be named.
    TranscriptionNeedsName,
    /// Conditions on a conclusion other than "fit with conditions".
    OnlyWithConditions,
}

/// A value read from a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    When(When),
    Number(f64),
    Word(&'static str),
    Level(VertebralLevel),
    Text(String),
}

/// Reads and checks the text typed in a field (`today` bounds the dates).
/// Required-ness is the form's business: an empty field, or one with no
/// visible character (a Hangul filler, a Braille blank…), reads as `Empty`.
pub fn read(spec: &FieldSpec, text: &str, today: NaiveDate) -> Result<Value, FieldError> {
    if is_blank(text) {
        return Ok(Value::Empty);
    }
    let text = text.trim();
    match spec.kind {
        FieldKind::When => {
            let when = When::parse(text).map_err(|_| FieldError::NotADate)?;
            bounds::check_date(when.date(), today).map_err(|_| FieldError::DateOutOfRange {
                latest: bounds::latest_date(today),
            })?;
            Ok(Value::When(when))
        }
        FieldKind::Number(bound) => {
            let v = decimal(text).ok_or(FieldError::NotANumber)?;
            if bounds::check(bound, v).is_err() {
                let b = bounds::BOUNDS.iter().find(|b| b.field == bound);
                return Err(FieldError::OutOfRange {
                    min: b.map_or(f64::MIN, |b| b.min),
                    max: b.map_or(f64::MAX, |b| b.max),
                    unit: b.map_or("", |b| b.unit),
                });
            }
            Ok(Value::Number(v))
        }
        FieldKind::Choice(words) => words
            .iter()
            .find(|w| **w == text)
            .map(|w| Value::Word(w))
            .ok_or(FieldError::NotAChoice),
        FieldKind::Level => text
            .parse::<VertebralLevel>()
            .map(Value::Level)
            .map_err(|_| FieldError::NotALevel),
        FieldKind::Text => {
            let clean = sanitize_line(text);
            if clean.is_empty() {
                return Ok(Value::Empty);
            }
            if clean.chars().count() > MAX_LINE_CHARS {
                return Err(FieldError::TooLong {
                    max: MAX_LINE_CHARS,
                });
            }
            Ok(Value::Text(clean))
        }
        FieldKind::Paragraph => {
            let clean = sanitize_text(text);
            if clean.is_empty() {
                return Ok(Value::Empty);
            }
            if clean.chars().count() > MAX_TEXT_CHARS {
                return Err(FieldError::TooLong {
                    max: MAX_TEXT_CHARS,
                });
            }
            Ok(Value::Text(clean))
        }
    }
}

/// A date field's text as stored (ISO), from what a person typed: in
/// French (`lang`), day first — `07/12/2026` is `2026-12-07`,
/// `07/12/2026 10:30` is `2026-12-07T10:30`, `03/12` the 3 December
/// nearest to `today` — and in either language the day's word
/// (`aujourd'hui`, `hier`; `today`, `yesterday`), `today` being the one
/// clock's. Any other text is kept as it is (ISO is read as ever,
/// anything else refused by [`read`]).
pub fn iso_when(text: &str, lang: Lang, today: NaiveDate) -> String {
    let t = text.trim();
    if let Some(days_ago) = day_word(lang, t) {
        let day = today.checked_sub_days(chrono::Days::new(days_ago));
        return day.map_or_else(|| text.to_owned(), |d| When::Date(d).to_string());
    }
    if lang != Lang::Fr {
        return text.to_owned();
    }
    if let Some(d) = day_and_month(t, today) {
        return When::Date(d).to_string();
    }
    When::parse_day_first(text).map_or_else(|| text.to_owned(), |w| w.to_string())
}

/// How many days before today a word names (`hier`: 1), case and the
/// apostrophe's form ignored.
fn day_word(lang: Lang, word: &str) -> Option<u64> {
    let w = word.to_lowercase().replace('\u{2019}', "'");
    match (lang, w.as_str()) {
        (Lang::Fr, "aujourd'hui") | (Lang::En, "today") => Some(0),
        (Lang::Fr, "hier") | (Lang::En, "yesterday") => Some(1),
        _ => None,
    }
}

/// `JJ/MM` (two digits each): the date with that day and month nearest to
/// `today` (the later one on a tie); 29/02 the nearest 29 February.
fn day_and_month(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (d, m) = text.split_once('/')?;
    let digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(d) || !digits(m) {
        return None;
    }
    let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
    use chrono::Datelike;
    (today.year() - 4..=today.year() + 4)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .min_by_key(|c| ((*c - today).num_days().abs(), -(*c - today).num_days()))
}

/// A date field's stored text as a person who writes dates day first
/// reads it (`2026-12-07` is `07/12/2026`); text that is not a date as it is.
pub fn day_first_when(text: &str) -> String {
    When::parse(text).map_or_else(|_| text.to_owned(), When::day_first)
}

/// A plain decimal as people type it: digits, then optionally a point or
/// a comma (the French decimal mark) and digits. Nothing else: no sign,
/// no exponent, no thousands separator, no bare point.
pub fn decimal(text: &str) -> Option<f64> {
    let (int, frac) = match text.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let normal = match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_owned(),
    };
    normal.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn typed_text_at_the_edges() {
        let inr = FieldSpec::new("inr", FieldKind::Number("inr"));
        let at = FieldSpec::new("at", FieldKind::When);
        let kind = FieldSpec::new("kind", FieldKind::Choice(&["ct", "mri"]));
        let level = FieldSpec::new("level", FieldKind::Level);
        let text = FieldSpec::new("by", FieldKind::Text);
        let ok = |s: &FieldSpec, t: &str| read(s, t, today()).is_ok();
        let err = |s: &FieldSpec, t: &str| read(s, t, today()).err();
        let table: &[(&str, &FieldSpec, &str, Option<FieldError>)] = &[
            ("INR 40 refused", &inr, "40", Some(FieldError::OutOfRange { min: 0.5, max: 15.0, unit: "" })),
            ("INR 15 accepted", &inr, "15", None),
            ("INR 15.01 refused", &inr, "15.01", Some(FieldError::OutOfRange { min: 0.5, max: 15.0, unit: "" })),
            ("INR with a comma", &inr, "1,3", None),
            ("INR in words", &inr, "high", Some(FieldError::NotANumber)),
            ("INR NaN", &inr, "NaN", Some(FieldError::NotANumber)),
            ("INR inf", &inr, "inf", Some(FieldError::NotANumber)),
            ("an exponent", &inr, "1e1", Some(FieldError::NotANumber)),
            ("a sign", &inr, "+2", Some(FieldError::NotANumber)),
            ("a bare point", &inr, ".5", Some(FieldError::NotANumber)),
            ("a trailing point", &inr, "2.", Some(FieldError::NotANumber)),
            ("two marks", &inr, "1.2.3", Some(FieldError::NotANumber)),
            ("date in 2062", &at, "2062-01-01", Some(FieldError::DateOutOfRange { latest: NaiveDate::from_ymd_opt(2036, 11, 26).expect("date") })),
            ("date ten years ahead", &at, "2036-11-26", None),
            ("date before 1900", &at, "1899-12-31", Some(FieldError::DateOutOfRange { latest: NaiveDate::from_ymd_opt(2036, 11, 26).expect("date") })),
            ("date and time", &at, "2026-11-20T14:30", None),
            ("30 February", &at, "2026-02-30", Some(FieldError::NotADate)),
            ("French date order", &at, "20/11/2026", Some(FieldError::NotADate)),
            ("a choice", &kind, "ct", None),
            ("not a choice", &kind, "xray", Some(FieldError::NotAChoice)),
            ("a level", &level, "L3", None),
            ("no such level", &level, "L6", Some(FieldError::NotALevel)),
            ("text", &text, "Dr Martin", None),
            ("long text", &text, &"x".repeat(201), Some(FieldError::TooLong { max: 200 })),
        ];
        for (label, spec, typed, expected) in table {
            assert_eq!(err(spec, typed), *expected, "{label}");
        }
        assert!(ok(&inr, "  "), "blank reads as empty");
        assert_eq!(read(&text, "\u{1b}\u{7}", today()), Ok(Value::Empty), "nothing left");
        assert_eq!(read(&inr, "1,3", today()), Ok(Value::Number(1.3)));
    }

    #[test]
    fn a_paragraph_keeps_its_lines() {
        let spec = FieldSpec::new("consent_details", FieldKind::Paragraph);
        assert_eq!(
            read(&spec, " Lu à voix haute.\r\nAccord oral.\n\n", today()),
            Ok(Value::Text("Lu à voix haute.\nAccord oral.".into()))
        );
        assert_eq!(read(&spec, "\u{2800}\n\u{3164}", today()), Ok(Value::Empty));
        assert_eq!(
            read(&spec, &"x".repeat(MAX_TEXT_CHARS + 1), today()),
            Err(FieldError::TooLong {
                max: MAX_TEXT_CHARS
            })
        );
        assert!(read(&spec, &"x".repeat(MAX_TEXT_CHARS), today()).is_ok());
    }

    #[test]
    fn text_loses_its_control_characters() {
        let spec = FieldSpec::new("by", FieldKind::Text);
        assert_eq!(
            read(&spec, "Dr\u{1b}[2J Martin", today()),
            Ok(Value::Text("Dr[2J Martin".into()))
        );
    }

    /// A date typed day first without its year is the nearest such date;
    /// the day's words read from the one clock's today; at the edges of
    /// the year and on 29 February.
    #[test]
    fn a_date_typed_short_or_in_words_is_the_nearest_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let cases = [
            // (language, today, typed, stored)
            (Lang::Fr, "2026-11-26", "03/12", "2026-12-03"),
            (Lang::Fr, "2026-11-26", "20/11", "2026-11-20"),
            (Lang::Fr, "2027-01-02", "31/12", "2026-12-31"),
            (Lang::Fr, "2026-12-30", "02/01", "2027-01-02"),
            (Lang::Fr, "2026-11-26", "01/01", "2027-01-01"),
            (Lang::Fr, "2026-11-26", "29/02", "2028-02-29"),
            (Lang::Fr, "2025-03-01", "29/02", "2024-02-29"),
            (Lang::Fr, "2028-02-28", "29/02", "2028-02-29"),
            (Lang::Fr, "2026-11-26", "30/02", "30/02"),
            (Lang::Fr, "2026-11-26", "3/12", "3/12"),
            (Lang::Fr, "2026-11-26", "07/12/2026", "2026-12-07"),
            (
                Lang::Fr,
                "2026-11-26",
                "07/12/2026 10:30",
                "2026-12-07T10:30",
            ),
            (Lang::Fr, "2026-11-26", "2026-12-07", "2026-12-07"),
            (Lang::Fr, "2026-11-26", "aujourd'hui", "2026-11-26"),
            (Lang::Fr, "2026-11-26", " Aujourd\u{2019}hui ", "2026-11-26"),
            (Lang::Fr, "2027-01-01", "hier", "2026-12-31"),
            (Lang::Fr, "2026-11-26", "today", "today"),
            (Lang::En, "2026-11-26", "today", "2026-11-26"),
            (Lang::En, "2028-03-01", "Yesterday", "2028-02-29"),
            (Lang::En, "2026-11-26", "hier", "hier"),
            (Lang::En, "2026-11-26", "03/12", "03/12"),
        ];
        for (lang, today, typed, stored) in cases {
            assert_eq!(
                iso_when(typed, lang, d(today)),
                stored,
                "{typed} on {today}"
            );
        }
    }
}
