//! Untrusted text (names, notes, imports): normalised where it enters.
//!
//! Invisible characters are removed (Unicode's Default_Ignorable_Code_Point:
//! soft hyphen, combining grapheme joiner, zero-width characters, bidi
//! controls, Hangul fillers, variation selectors, tag characters…), and a
//! text with no visible character at all ([`is_blank`]) counts as empty
//! wherever a text is required: at import, in the forms and dialogs, for
//! users and logins, and in the rules that read stored values.

use icu_properties::props::{BinaryProperty, DefaultIgnorableCodePoint};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Unicode's Default_Ignorable_Code_Point, from the Unicode Consortium's
/// own tables (ICU4X's `icu_properties`, the Unicode version of its data
/// crate: 18.0.0 for `icu_properties_data` 2.4). Characters that are not
/// drawn, or not meant to be unless a font supports them.
pub fn is_default_ignorable(c: char) -> bool {
    DefaultIgnorableCodePoint::for_char(c)
}

/// Removes control and invisible characters, then NFC-normalises: C0
/// except newline and tab, DEL, C1, every Default_Ignorable_Code_Point
/// (among them the bidirectional controls that can disguise text, the
/// zero-width characters, the byte-order mark, the Hangul fillers, soft
/// hyphens, variation selectors and tag characters) and the Unicode line
/// and paragraph separators. Carriage returns are dropped so that `\r\n`
/// becomes `\n`. (Normalising after removing: a letter and its accent that
/// an invisible character held apart compose.)
pub fn sanitize(s: &str) -> String {
    // Stored text was cleaned where it entered, and the screen cleans it
    // again on every frame: when nothing would change (no character to
    // remove, already NFC by the quick check), copy it as it is.
    if !s.chars().any(is_forbidden)
        && unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes
    {
        return s.to_owned();
    }
    s.chars().filter(|c| !is_forbidden(*c)).nfc().collect()
}

/// Like [`sanitize`] for a single-line field: newlines and tabs become spaces,
/// runs of spaces collapse, and the ends are trimmed. A value with no visible
/// character ([`is_blank`]) becomes "".
pub fn sanitize_line(s: &str) -> String {
    let clean = sanitize(s);
    let mut out = String::with_capacity(clean.len());
    for word in clean.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if is_blank(&out) {
        out.clear();
    }
    out
}

/// Like [`sanitize_line`] for a message the program wrote (a refusal, an
/// error, which may quote what a person typed) shown on the screen: its
/// no-break spaces stay, U+202F as U+00A0 (the one ratatui does not break
/// at), so that a wrapped line never starts with French `:` `;` `?` `!`.
pub fn sanitize_message(s: &str) -> String {
    let clean = sanitize(s);
    let breaks = |c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}';
    let mut out = String::with_capacity(clean.len());
    for word in clean.split(breaks).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let out = out.replace('\u{202f}', "\u{a0}");
    if is_blank(&out) { String::new() } else { out }
}

/// Like [`sanitize`] for free text on several lines (notes, what was said
/// for a traced consent, a reason): line breaks are kept, the ends are
/// trimmed, and a text with no visible character ([`is_blank`]) becomes "".
pub fn sanitize_text(s: &str) -> String {
    let clean = sanitize(s);
    if is_blank(&clean) {
        return String::new();
    }
    clean.trim().to_owned()
}

/// Whether `s` has no visible character: every character is white space,
/// the blank Braille pattern U+2800 (drawn as nothing), a control or
/// default-ignorable character (removed by [`sanitize`], counted here too
/// for values stored before they were), or a combining mark (with nothing
/// visible to carry it). Such a text is empty wherever a text is required.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || c == '\u{2800}'
            || c.is_control()
            || is_default_ignorable(c)
            || is_combining_mark(c)
    })
}

fn is_forbidden(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // No printable ASCII character is default-ignorable: no table lookup.
        ' '..='~' => false,
        // Line and paragraph separators: a line break that is not `\n`.
        '\u{2028}' | '\u{2029}' => true,
        c => is_default_ignorable(c),
    }
}

/// Lower-case, accent-free form for search: "Hélène" → "helene".
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .fold(String::with_capacity(s.len()), |mut out, c| {
            // Ligatures are typed as their two letters: "duboeuf" finds DUBŒUF.
            match c {
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                c => out.push(c),
            }
            out
        })
}

/// A field as search compares it: [`fold`]ed, without the spaces,
/// apostrophes and hyphens inside names ("D'ARCY" → "darcy", "LE DÛ" →
/// "ledu", "SCH-2026-004520" → "sch2026004520").
pub fn search_fold(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_name_joiner(*c))
        .collect()
}

/// An apostrophe or a hyphen, as names and case ids are written.
fn is_name_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}'
            | '\u{2018}'
            | '\u{2bc}'
            | '`'
            | '-'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2212}'
    )
}

/// The key a search looks into: each field [`search_fold`]ed, separated by
/// spaces (a word never matches across two fields).
pub fn search_key(fields: &[&str]) -> String {
    let folded: Vec<String> = fields.iter().map(|f| search_fold(f)).collect();
    folded.join(" ")
}

/// The words of a search, each [`search_fold`]ed; none when it is blank.
pub fn search_words(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(search_fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether every word is found in `key` ([`search_key`]); no word: yes.
pub fn search_matches(key: &str, words: &[String]) -> bool {
    words.iter().all(|w| key.contains(w.as_str()))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_message_keeps_its_no_break_spaces_for_the_screen() {
        assert_eq!(
            sanitize_message("motif\u{a0}: x\u{202f}; y \n\t z\u{1b}"),
            "motif\u{a0}: x\u{a0}; y z"
        );
        assert_eq!(sanitize_line("motif\u{a0}: x"), "motif : x");
        assert_eq!(sanitize_message(" \u{2800} "), "");
    }

    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut for text that is already clean gives what the full
        /// cleaning gives, on any text (accents decomposed, controls,
        /// invisible characters, separators included).
        #[test]
        fn the_shortcut_changes_nothing(s in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{ad}\u{200b}-\u{200f}\u{202a}-\u{202e}\u{2028}\u{2029}\u{301}\u{327}e\u{feff}])*") {
            let full: String = s.chars().filter(|c| !is_forbidden(*c)).nfc().collect();
            prop_assert_eq!(sanitize(&s), full);
        }
    }

    #[test]
    fn strips_controls_and_escapes() {
        assert_eq!(sanitize("Dupont\u{1b}[31m"), "Dupont[31m");
        assert_eq!(sanitize("a\u{7f}b\u{85}c\u{9b}d"), "abcd");
        assert_eq!(sanitize("ab\u{202e}cd\u{2066}e"), "abcde");
        assert_eq!(sanitize("line 1\r\nline 2\tx"), "line 1\nline 2\tx");
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn strips_invisible_characters_and_separators() {
        let table = [
            ("zero-width space", "Du\u{200b}pont", "Dupont"),
            ("zero-width non-joiner", "Du\u{200c}pont", "Dupont"),
            ("zero-width joiner", "Du\u{200d}pont", "Dupont"),
            ("word joiner", "Du\u{2060}pont", "Dupont"),
            ("byte-order mark", "\u{feff}Dupont", "Dupont"),
            ("line separator", "Du\u{2028}pont", "Dupont"),
            ("paragraph separator", "Du\u{2029}pont", "Dupont"),
            // The neighbours are kept.
            ("next to the range: U+200A hair space", "a\u{200a}b", "a\u{200a}b"),
            ("next to the range: U+200E is a bidi mark", "a\u{200e}b", "ab"),
            ("U+2061 function application is default-ignorable", "a\u{2061}b", "ab"),
            ("no-break space", "a\u{a0}b", "a\u{a0}b"),
            ("accents", "Hélène", "Hélène"),
        ];
        for (label, input, clean) in table {
            assert_eq!(sanitize(input), clean, "{label}");
        }
        assert_eq!(sanitize_line(" \u{feff}Salle\u{200b} 2\u{2028}"), "Salle 2");
    }

    #[test]
    fn normalises_to_nfc() {
        // "e" + combining acute accent becomes the single "é".
        assert_eq!(sanitize("He\u{301}le\u{300}ne"), "Hélène");
    }

    #[test]
    fn single_line_fields_collapse_whitespace() {
        assert_eq!(sanitize_line("  Salle\n 2\t"), "Salle 2");
    }

    /// Default_Ignorable_Code_Point, as Unicode's DerivedCoreProperties.txt
    /// lists it (ranges unchanged since Unicode 14, which added U+180F).
    const DEFAULT_IGNORABLE: [(u32, u32); 17] = [
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ];

    fn ch(u: u32) -> char {
        char::from_u32(u).expect("a scalar value")
    }

    #[test]
    fn default_ignorable_ranges_at_their_edges() {
        for (lo, hi) in DEFAULT_IGNORABLE {
            for u in [lo, hi] {
                assert!(is_default_ignorable(ch(u)), "U+{u:04X} is ignorable");
                assert_eq!(
                    sanitize(&format!("a{}b", ch(u))),
                    "ab",
                    "U+{u:04X} is removed"
                );
                assert!(is_blank(&ch(u).to_string()), "U+{u:04X} alone is blank");
            }
            for u in [lo - 1, hi + 1] {
                assert!(!is_default_ignorable(ch(u)), "U+{u:04X} is not ignorable");
            }
        }
        // The neighbours that are text stay text (U+2029 is a separator,
        // U+200A a space, U+1D17B a combining mark: kept, and blank alone).
        for u in [
            0x00AC, 0x00AE, 0x034E, 0x0350, 0x061B, 0x115E, 0x1161, 0x17B3, 0x17B6, 0x180A, 0x2010,
            0x202F, 0x2070, 0x3163, 0x3165, 0xFDFF, 0xFE10, 0xFEFE, 0xFF9F, 0xFFA1, 0xFFEF, 0xFFF9,
            0x1BC9F, 0x1BCA4, 0x1D172, 0x1D17B, 0xE1000,
        ] {
            let c = ch(u);
            let kept = format!("a{c}b").nfc().collect::<String>();
            assert_eq!(sanitize(&format!("a{c}b")), kept, "U+{u:04X} is kept");
        }
        // The whole code space agrees with the table (the property's
        // source is a crate: a new Unicode version shows here).
        let listed = |u: u32| {
            DEFAULT_IGNORABLE
                .iter()
                .any(|(lo, hi)| (*lo..=*hi).contains(&u))
        };
        for u in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                is_default_ignorable(u),
                listed(u as u32),
                "U+{:04X}",
                u as u32
            );
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn blank_means_no_visible_character() {
        let table = [
            ("empty", "", true),
            ("spaces, tab, newline", " \t\n ", true),
            ("Hangul filler U+3164", "\u{3164}", true),
            ("Hangul choseong filler U+115F", "\u{115f}", true),
            ("Hangul jungseong filler U+1160", "\u{1160}", true),
            ("halfwidth Hangul filler U+FFA0", "\u{ffa0}", true),
            ("Braille blank U+2800", "\u{2800}", true),
            ("Braille blanks and spaces", " \u{2800} \u{2800}\n", true),
            ("combining grapheme joiner U+034F", "\u{34f}", true),
            ("soft hyphen", "\u{ad}", true),
            ("tag characters", "\u{e0041}\u{e007f}", true),
            ("variation selector", "\u{fe0f}", true),
            ("a combining accent with no base", "\u{301}", true),
            ("a combining accent on a space", " \u{301}\u{2800}", true),
            ("ideographic space", "\u{3000}", true),
            ("no-break space", "\u{a0}", true),
            ("a control character", "\u{1b}", true),
            ("a letter", "a", false),
            ("an accented letter", "é", false),
            ("a letter and a combining accent", "e\u{301}", false),
            ("Hangul letter U+1100", "\u{1100}", false),
            ("Braille dot U+2801", "\u{2801}", false),
            ("a name among fillers", "\u{3164}Roy\u{2800}", false),
            ("a digit", "0", false),
            ("a hyphen", "-", false),
        ];
        for (label, input, blank) in table {
            assert_eq!(is_blank(input), blank, "{label}");
        }
    }

    #[test]
    #[rustfmt::skip] // one row per case
    fn invisible_text_sanitizes_to_empty() {
        let lines = [
            ("Hangul filler", "\u{3164}", ""),
            ("Braille blank", "\u{2800}", ""),
            ("CGJ", "\u{34f}", ""),
            ("fillers, blanks, spaces", " \u{115f}\u{1160} \u{2800}\u{ffa0} ", ""),
            ("a lone accent", " \u{301} ", ""),
            ("a name keeps its Braille blank", "Dr\u{2800}Roy", "Dr\u{2800}Roy"),
            ("fillers inside a name go", "Dr \u{3164}Roy", "Dr Roy"),
            ("a real Hangul letter stays", "\u{1100}", "\u{1100}"),
        ];
        for (label, input, clean) in lines {
            assert_eq!(sanitize_line(input), clean, "line: {label}");
        }
        let texts = [
            ("Braille blank lines", "\u{2800}\n\u{2800}\n", ""),
            ("tag characters", "\u{e0041}\u{e0042}", ""),
            ("lines kept, ends trimmed", "\n ligne 1\n\u{2800}\nligne 3 \n", "ligne 1\n\u{2800}\nligne 3"),
        ];
        for (label, input, clean) in texts {
            assert_eq!(sanitize_text(input), clean, "text: {label}");
        }
    }

    #[test]
    fn an_invisible_character_between_a_letter_and_its_accent_is_removed_then_composed() {
        assert_eq!(sanitize("e\u{34f}\u{301}"), "\u{e9}");
        assert_eq!(sanitize_line("He\u{ad}\u{301}le\u{300}ne"), "Hélène");
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Hélène ÉLOÏSE"), "helene eloise");
        assert_eq!(fold("DUBŒUF Lætitia"), "duboeuf laetitia");
    }

    /// Names are compared without their spaces, apostrophes and hyphens,
    /// and every word of the query must be found (in any field).
    #[test]
    fn a_search_matches_every_word_inside_names() {
        let key = |f: &[&str]| search_key(f);
        let cases: &[(&[&str], &str, bool)] = &[
            (&["d'Arcy", "Jean"], "darcy", true),
            (&["D\u{2019}ARCY", "Jean"], "d'arcy", true),
            (&["Le Dû", "Anne"], "ledu", true),
            (&["Le Dû", "Anne"], "le du", true),
            (&["Mégane-Rousseau", "Bénédicte"], "megane rousseau", true),
            (
                &["Mégane-Rousseau", "Bénédicte"],
                "meganerousseau benedicte",
                true,
            ),
            (&["Mégane-Rousseau", "Bénédicte"], "rousseau martin", false),
            (&["X", "Y", "SCH-2026-004520"], "SCH-2026-004520", true),
            (&["X", "Y", "SCH-2026-004520"], "004520", true),
            (&["X", "Y", "Dr Lefèvre"], "lefevre", true),
            // A word never spans two fields.
            (&["Le", "Bon"], "lebon", false),
            (&["Anything"], "", true),
            (&["Anything"], "  - ' ", true),
        ];
        for (fields, query, expected) in cases {
            assert_eq!(
                search_matches(&key(fields), &search_words(query)),
                *expected,
                "{fields:?} {query:?}"
            );
        }
    }
}
