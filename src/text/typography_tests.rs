//! French typography in the catalogue's source (issue 13, point 2): no
//! string literal of `src/text` puts an ordinary space before `:` `;` `?`
//! `!` or inside « » (a wrapped line would start with the punctuation).
//! The catalogue writes U+00A0 before `:`, U+202F before `;` `?` `!` and
//! inside « » — U+00A0 there too in `screen/`, since ratatui breaks lines
//! at U+202F; `typo::finish` turns one into the other for its medium. Every
//! file under `src/text` is read, so a new one is covered; tests are not.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, tests left out.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/text is readable")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            sources(&p, out);
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            out.push(p);
        }
    }
}

/// The string literals of `src` as written (escapes not decoded), with
/// their line, outside comments and the trailing `mod tests`.
fn literals(src: &str) -> Vec<(usize, String)> {
    let src = src
        .find("\n#[cfg(test)]\nmod tests {")
        .map_or(src, |at| &src[..at]);
    let chars: Vec<char> = src.chars().collect();
    let (mut out, mut line, mut i) = (Vec::new(), 1, 0);
    while i < chars.len() {
        match chars[i] {
            '\n' => line += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            // A char literal: '"' or '\''.
            '\'' if chars.get(i + 2) == Some(&'\'') => i += 2,
            '\'' if chars.get(i + 1) == Some(&'\\') && chars.get(i + 3) == Some(&'\'') => i += 3,
            '"' => {
                let (start, mut s) = (line, String::new());
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        s.push(chars[i]);
                        i += 1;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    s.push(chars[i]);
                    i += 1;
                }
                out.push((start, s));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Where `s` puts an ordinary space against French punctuation (`· ! `,
/// the board legend's advisory marker, is not punctuation).
fn ordinary_spaces(s: &str) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    let mut bad = Vec::new();
    for i in 0..c.len() {
        let next = c.get(i + 1).copied();
        let marker = i > 0 && c[i - 1] == '·' && next == Some('!');
        let before = c[i] == ' ' && matches!(next, Some(':' | ';' | '?' | '!' | '»'));
        if (before && !marker) || (c[i] == '«' && next == Some(' ')) {
            bad.push(
                c[i.saturating_sub(12)..(i + 2).min(c.len())]
                    .iter()
                    .collect(),
            );
        }
    }
    bad
}

#[test]
fn no_catalogue_literal_puts_an_ordinary_space_before_french_punctuation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 20, "{files:?}");
    let mut found = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("readable");
        let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        for (line, lit) in literals(&src) {
            for bad in ordinary_spaces(&lit) {
                found.push(format!("src/text/{rel}:{line}: …{bad}"));
            }
            if rel.starts_with("screen") && lit.contains("\\u{202f}") {
                found.push(format!(
                    "src/text/{rel}:{line}: U+202F on the screen (ratatui breaks there)"
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_scan_sees_what_it_should() {
    let src = "let a = \"motif : x\"; // \"pas : ici\"\nlet b = '\"'; let c = \"« oui »\";\n";
    let lits = literals(src);
    assert_eq!(lits, [(1, "motif : x".into()), (2, "« oui »".into())]);
    assert_eq!(ordinary_spaces("motif : x").len(), 1);
    assert_eq!(ordinary_spaces("« oui »").len(), 2);
    assert!(ordinary_spaces("✓ ok · ! advisory").is_empty());
    assert!(ordinary_spaces("motif\\u{a0}: x\\u{202f}; «\\u{202f}oui\\u{202f}»").is_empty());
}
