//! No sentence of the screen's catalogue writes a key's name (the help
//! once said "PgPréc/PgSuiv" while the keys printed "PgUp/PgDn"): a
//! sentence that names keys takes them as parameters, filled by the caller
//! from the key table (`text/screen/keyed.rs`, `keys::keys_of`).

use std::collections::BTreeSet;

use super::bindings::BINDINGS;
use crate::domain::message::Lang;

/// The screen's sentences, as written in the catalogue's source.
const SOURCES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../text/screen/mod.rs")),
    ("forms.rs", include_str!("../../text/screen/forms.rs")),
    ("help.rs", include_str!("../../text/screen/help.rs")),
    ("keyed.rs", include_str!("../../text/screen/keyed.rs")),
    ("export.rs", include_str!("../../text/screen/export.rs")),
    (
        "procedure.rs",
        include_str!("../../text/screen/procedure.rs"),
    ),
    ("resolve.rs", include_str!("../../text/screen/resolve.rs")),
    (
        "rules_table.rs",
        include_str!("../../text/screen/rules_table.rs"),
    ),
    ("choices.rs", include_str!("../../text/screen/choices.rs")),
    ("patient.rs", include_str!("../../text/screen/patient.rs")),
    ("zone.rs", include_str!("../../text/screen/zone.rs")),
    (
        "contextual.rs",
        include_str!("../../text/screen/contextual.rs"),
    ),
    (
        "followups.rs",
        include_str!("../../text/screen/followups.rs"),
    ),
    ("coded.rs", include_str!("../../text/screen/coded.rs")),
];

fn labels() -> BTreeSet<String> {
    BINDINGS
        .iter()
        .flat_map(|b| b.keys.iter())
        .flat_map(|k| [k.label(Lang::Fr), k.label(Lang::En)])
        .collect()
}

/// The string literals of a source file (enough for this catalogue: no raw
/// strings with quotes inside).
fn literals(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // A char literal ('"' among them) or a lifetime: skip it.
            let rest: String = chars.clone().take(3).collect();
            if rest.starts_with("\\") {
                chars.nth(2);
            } else if rest.chars().nth(1) == Some('\'') {
                chars.nth(1);
            }
            continue;
        }
        if c == '/' && chars.peek() == Some(&'/') {
            for c in chars.by_ref() {
                if c == '\n' {
                    break;
                }
            }
            continue;
        }
        if c != '"' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(e) = chars.next() {
                        s.push(e);
                    }
                }
                '"' => break,
                c => s.push(c),
            }
        }
        out.push(s);
    }
    out
}

/// Words that name a key: a modifier form (Ctrl-R, Alt-Entrée, Maj-Tab,
/// Shift-Tab), a page key (PgUp, PgPréc…), a key's label in either
/// language written with its capital (Entrée, Esc, Espace…), a label of
/// several words (Retour arrière), or a one-character label standing
/// alone (`e`, `F`, `[`), except the words `a`, `y` and `I`, the arrows
/// (checked as pairs) and a letter in a unit (`G/L`), an abbreviation
/// (`e.g.`) or a written-out plural or feminine (`aucun(e)`).
fn key_words(sentence: &str, labels: &BTreeSet<String>) -> Vec<String> {
    // "S?, M?": the scores' legend (SINS, Mirels), not the key S.
    let sentence = &written_out(&sentence.replace("e.g.", "eg").replace("S?, M?", ""));
    let named: BTreeSet<&str> = labels
        .iter()
        .filter(|l| l.chars().count() > 1 && l.chars().next().is_some_and(char::is_uppercase))
        .map(String::as_str)
        .collect();
    let single: BTreeSet<&str> = labels
        .iter()
        .filter(|l| {
            l.chars().count() == 1
                && !["a", "y", "I", "?", "/", "←", "→", "↑", "↓"].contains(&l.as_str())
        })
        .map(String::as_str)
        .collect();
    let multi = |w: &str| {
        ["Ctrl-", "Alt-", "Maj-", "Shift-", "Pg"]
            .iter()
            .any(|p| w.starts_with(p))
            || (named.contains(w) && !["Fin", "Début", "End", "Home"].contains(&w))
    };
    let mut words: Vec<String> = Vec::new();
    for token in sentence.split(|c: char| c.is_whitespace() || ",;:()·«»\".?!".contains(c)) {
        if single.contains(token) {
            words.push(token.to_owned());
        } else {
            // `PgUp/PgDn` names two keys; `G/L` is a unit.
            words.extend(token.split('/').filter(|w| multi(w)).map(str::to_owned));
        }
    }
    words.extend(
        labels
            .iter()
            .filter(|l| l.contains(' ') && sentence.contains(l.as_str()))
            .cloned(),
    );
    words
}

/// `aucun(e)`, `né(e)`: the bracketed ending is part of the word.
fn written_out(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut previous = ' ';
    let mut chars = sentence.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '(' && previous.is_alphabetic() {
            for c in chars.by_ref() {
                if c == ')' {
                    break;
                }
            }
            continue;
        }
        out.push(c);
        previous = c;
    }
    out
}

#[test]
fn a_drifted_key_name_is_caught() {
    let labels = labels();
    let words = key_words("Défiler : PgPréc/PgSuiv · Ctrl-Q", &labels);
    assert_eq!(words, ["PgPréc", "PgSuiv", "Ctrl-Q"]);
    assert_eq!(
        key_words(
            "[ et ] changent de semaine ; e rouvre (F) ; il y a ; n'est ; G/L ; e.g. ; aucun(e)",
            &labels
        ),
        ["[", "]", "e", "F"]
    );
    assert_eq!(
        key_words("Retour arrière vide", &labels),
        ["Retour arrière"]
    );
    assert!(words.iter().all(|w| !labels.contains(w)));
}

/// Point 3 of the house rules: a sentence takes its key names from the
/// table (a parameter, `text/screen/keyed.rs`), it never writes one.
#[test]
fn no_sentence_writes_a_key_name() {
    let labels = labels();
    let mut written = Vec::new();
    for (file, src) in SOURCES {
        for sentence in literals(src) {
            // "←/→", "↑/↓": keys ("→ resched." is not one).
            let arrows = ["←/", "/→", "↑/", "/↓"]
                .iter()
                .any(|a| sentence.contains(a));
            let words = key_words(&sentence, &labels);
            if arrows || !words.is_empty() {
                written.push(format!("text/screen/{file}: {words:?} in {sentence:?}"));
            }
        }
    }
    assert!(written.is_empty(), "{}", written.join("\n"));
}
