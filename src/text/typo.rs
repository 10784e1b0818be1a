//! Typography, plurals, dates and numbers: the one implementation of each.
//!
//! French: a no-break space (U+00A0) before `:`, a narrow no-break space
//! (U+202F) before `;` `?` `!` and inside « », so that a wrapped line never
//! starts with punctuation. On the screen every one of them is U+00A0:
//! ratatui's word wrap breaks lines at U+202F (it only keeps U+00A0
//! together, `ratatui-core` `StyledGrapheme::is_whitespace`).

use chrono::{NaiveDate, NaiveDateTime};

use super::Lang;

/// No-break space.
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space.
pub const NNBSP: char = '\u{202f}';

/// Where text goes: the screen wraps at U+202F, print does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// Terminal output, files, exports.
    Print,
    /// The ratatui screen.
    Screen,
}

impl Medium {
    /// The space before `;` `?` `!` and inside « ».
    fn thin(self) -> char {
        match self {
            Medium::Print => NNBSP,
            Medium::Screen => NBSP,
        }
    }
}

/// What follows a label: `:` in English, U+00A0 `:` in French.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ":",
        Lang::Fr => "\u{a0}:",
    }
}

/// `label: ` in English, `label : ` (no-break) in French.
pub fn label(lang: Lang, name: &str) -> String {
    format!("{name}{} ", colon(lang))
}

/// French spacing applied to a sentence for `medium`: the space before
/// `: ; ? !` and inside « » (ordinary, U+00A0 or U+202F: the catalogue
/// writes the printed one) becomes the medium's no-break one; a missing
/// one is not added. English text is returned as it is.
pub fn finish(lang: Lang, medium: Medium, s: &str) -> String {
    match lang {
        Lang::En => s.to_owned(),
        Lang::Fr => french(medium, s),
    }
}

fn french(medium: Medium, s: &str) -> String {
    let thin = medium.thin();
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            // " :" and " ;" and the like: the space becomes no-break.
            (' ' | NBSP | NNBSP, Some(p @ (':' | ';' | '?' | '!' | '»'))) => {
                // A colon in a time (`10 : 30`) never occurs; a colon at the
                // end of a URL scheme has no space before it.
                out.push(if p == ':' { NBSP } else { thin });
            }
            ('«', Some(' ' | NBSP | NNBSP)) => {
                out.push('«');
                out.push(thin);
                i += 1;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Clauses joined with a semicolon: `a; b` in English, `a ; b` in French.
pub fn clauses(lang: Lang, parts: &[String]) -> String {
    parts.join(lang.pick("; ", "\u{202f}; "))
}

/// A code or word quoted: `« X »` (no-break spaces inside) in French,
/// `"X"` in English.
pub fn quoted(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Fr => format!("«\u{a0}{s}\u{a0}»"),
        Lang::En => format!("\"{s}\""),
    }
}

/// The singular or the plural for `n`: French takes the singular for 0
/// and 1, English only for 1.
pub fn plural<'a>(lang: Lang, n: u64, one: &'a str, many: &'a str) -> &'a str {
    let singular = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    if singular { one } else { many }
}

/// A heading or sentence with its first letter in capital, unless its
/// first word already holds one (eGFR, INR stay as they are written).
pub fn capital(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    if first_word.chars().any(char::is_uppercase) {
        return s.to_owned();
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A date as a person reads it: `JJ/MM/AAAA` in French, ISO in English.
/// (csv, json and ics stay ISO whatever the language.)
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fr => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A date and time as a person reads it (minutes).
pub fn date_time(lang: Lang, t: NaiveDateTime) -> String {
    format!("{} {}", date(lang, t.date()), t.format("%H:%M"))
}

/// An ISO date (`2026-12-07`, or the date part of an RFC 3339 time) as a
/// person reads it; anything else is returned as it is.
pub fn iso_date(lang: Lang, s: &str) -> String {
    let day = s.get(..10).unwrap_or(s);
    match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) => {
            let rest = s.get(10..).unwrap_or("");
            match rest.strip_prefix('T') {
                Some(time) => format!("{} {time}", date(lang, d)),
                None => format!("{}{rest}", date(lang, d)),
            }
        }
        Err(_) => s.to_owned(),
    }
}

/// A number with `digits` decimals: decimal comma in French.
pub fn decimal(lang: Lang, x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    match lang {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A number as short as it is exact (`2`, `1.5`, `0.25`): decimal comma
/// in French. (A rule's value: whatever digits the chair typed.)
pub fn number(lang: Lang, x: f64) -> String {
    let s = x.to_string();
    match lang {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_spacing_keeps_punctuation_with_its_word() {
        let s = "motif : scanner ; urgent ? « oui » !";
        assert_eq!(
            finish(Lang::Fr, Medium::Print, s),
            "motif\u{a0}: scanner\u{202f}; urgent\u{202f}? «\u{202f}oui\u{202f}»\u{202f}!"
        );
        assert_eq!(
            finish(Lang::Fr, Medium::Screen, s),
            "motif\u{a0}: scanner\u{a0}; urgent\u{a0}? «\u{a0}oui\u{a0}»\u{a0}!"
        );
        assert_eq!(finish(Lang::En, Medium::Print, s), s);
        // The catalogue's printed spacing, put on the screen, and back.
        let printed = finish(Lang::Fr, Medium::Print, s);
        assert_eq!(
            finish(Lang::Fr, Medium::Screen, &printed),
            finish(Lang::Fr, Medium::Screen, s)
        );
        assert_eq!(finish(Lang::Fr, Medium::Print, &printed), printed);
        assert_eq!(label(Lang::Fr, "motif"), "motif\u{a0}: ");
        assert_eq!(label(Lang::En, "reason"), "reason: ");
    }

    #[test]
    fn plurals_follow_each_language() {
        for (n, fr, en) in [
            (0, "ligne", "rows"),
            (1, "ligne", "row"),
            (2, "lignes", "rows"),
        ] {
            assert_eq!(plural(Lang::Fr, n, "ligne", "lignes"), fr);
            assert_eq!(plural(Lang::En, n, "row", "rows"), en);
        }
    }

    #[test]
    fn dates_and_numbers() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date");
        assert_eq!(date(Lang::Fr, d), "07/12/2026");
        assert_eq!(date(Lang::En, d), "2026-12-07");
        assert_eq!(iso_date(Lang::Fr, "2026-10-18T09:00"), "18/10/2026 09:00");
        assert_eq!(iso_date(Lang::Fr, "?"), "?");
        assert_eq!(decimal(Lang::Fr, 1.5, 1), "1,5");
        assert_eq!(decimal(Lang::En, 1.5, 1), "1.5");
        assert_eq!(number(Lang::Fr, 1.5), "1,5");
        assert_eq!(number(Lang::Fr, 30.0), "30");
        assert_eq!(number(Lang::En, 0.25), "0.25");
    }
}
