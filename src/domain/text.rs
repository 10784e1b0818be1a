//! Untrusted text (names, notes, imports): normalised where it enters.

use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `s` and removes control characters: C0 except newline and
/// tab, DEL, C1, the bidirectional controls that can disguise text
/// (embeddings, overrides, isolates, marks), the invisible zero-width
/// characters (space, non-joiner, joiner, word joiner, byte-order mark) and
/// the Unicode line and paragraph separators. Carriage returns are dropped so
/// that `\r\n` becomes `\n`.
pub fn sanitize(s: &str) -> String {
    s.nfc().filter(|c| !is_forbidden(*c)).collect()
}

/// Like [`sanitize`] for a single-line field: newlines and tabs become spaces,
/// runs of spaces collapse, and the ends are trimmed.
pub fn sanitize_line(s: &str) -> String {
    let clean = sanitize(s);
    let mut out = String::with_capacity(clean.len());
    for word in clean.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_forbidden(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidi: LRM, RLM, ALM, embeddings/overrides, isolates.
        '\u{200e}' | '\u{200f}' | '\u{061c}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        // Invisible: zero-width space, non-joiner, joiner; word joiner; BOM
        // (zero-width no-break space).
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => true,
        // Line and paragraph separators: a line break that is not `\n`.
        '\u{2028}' | '\u{2029}' => true,
        _ => false,
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

#[cfg(test)]
mod tests {
    use super::*;

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
            ("next to U+2060: U+2061 function application", "a\u{2061}b", "a\u{2061}b"),
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

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Hélène ÉLOÏSE"), "helene eloise");
        assert_eq!(fold("DUBŒUF Lætitia"), "duboeuf laetitia");
    }
}
