//! Untrusted text (names, notes, imports): normalised where it enters.

use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `s` and removes control characters: C0 except newline and
/// tab, DEL, C1, and the bidirectional controls that can disguise text
/// (embeddings, overrides, isolates, marks). Carriage returns are dropped so
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
        _ => false,
    }
}

/// Lower-case, accent-free form for search: "Hélène" → "helene".
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
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
    }
}
