//! JSON on the standard output, cleaned at the boundary: every string is
//! passed through the text sanitiser (`domain::text::sanitize`) as text is
//! where it enters. A value written straight into the file (the sqlite3
//! shell) with a C1 control, an escape sequence or a bidi override never
//! reaches a terminal, a log or a script raw, escaped or not.

use serde::Serialize;

use crate::domain::text::sanitize;

/// Writes `value` as pretty JSON, then a newline; strings cleaned.
pub(super) fn write(out: &mut dyn std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    writeln!(out, "{}", clean(&text)?)
}

/// `text` (JSON as serde_json writes it) with each string literal decoded,
/// sanitised and encoded again; everything between the strings (the
/// structure, numbers, white space: ASCII) is kept as it is, in its order.
fn clean(text: &str) -> std::io::Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let literal = &rest[start..];
        let end = literal_end(literal).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "unterminated JSON string")
        })?;
        let value: String = serde_json::from_str(&literal[..end]).map_err(std::io::Error::from)?;
        out.push_str(&serde_json::to_string(&sanitize(&value)).map_err(std::io::Error::from)?);
        rest = &literal[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The length of the string literal at the start of `s` (its quotes
/// included), escapes skipped.
fn literal_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_stripped_keys_and_order_kept() {
        #[derive(Serialize)]
        struct Row {
            zeta: &'static str,
            alpha: Vec<&'static str>,
            n: i64,
        }
        let row = Row {
            zeta: "Du\u{9b}31mpont\u{1b}[0m \"q\" \\ \u{202e}evil\u{2066}",
            alpha: vec!["a\u{85}b", "line 1\r\nline 2\tx", "\u{200b}"],
            n: -3,
        };
        let mut out = Vec::new();
        write(&mut out, &row).expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        for bad in [
            '\u{9b}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{1b}',
        ] {
            assert!(!text.contains(bad), "U+{:04X} left in {text}", bad as u32);
        }
        assert!(!text.contains("\\u001b") && !text.contains("\\r"), "{text}");
        assert!(text.find("zeta") < text.find("alpha"), "field order kept");
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back["zeta"], "Du31mpont[0m \"q\" \\ evil");
        assert_eq!(back["alpha"][1], "line 1\nline 2\tx");
        assert_eq!(back["alpha"][2], "");
        assert_eq!(back["n"], -3);
    }
}
