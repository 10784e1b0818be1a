//! The other library errors in words: import, demo, deployment, the
//! screen, and the parse errors of weeks and vertebral levels (all data;
//! their `Display` is the English here).

use crate::text::Lang;

pub fn import(lang: Lang, e: &crate::import::ImportError) -> String {
    use crate::import::ImportError as E;
    let fr = lang == Lang::Fr;
    match e {
        E::Read { path, source } if fr => format!("impossible de lire {path}\u{a0}: {source}"),
        E::Read { path, source } => format!("cannot read {path}: {source}"),
        E::TooLarge { path, size } if fr => format!(
            "{path} dépasse la limite de {} octets (au moins {size})",
            crate::import::MAX_FILE_BYTES
        ),
        E::TooLarge { path, size } => format!(
            "{path} is larger than the limit of {} bytes (at least {size})",
            crate::import::MAX_FILE_BYTES
        ),
        E::NotAFile { path, what } if fr => {
            format!(
                "{path} est {what}, pas un fichier\u{a0}: seul un fichier ordinaire est importé"
            )
        }
        E::NotAFile { path, what } => {
            format!("{path} is {what}, not a file: only a regular file is imported")
        }
        // The problems themselves are still worded in English
        // (import/validate.rs).
        E::Invalid { path, problems } if fr => format!(
            "{path}\u{a0}: {}\u{202f}; rien n'a été importé",
            super::import::summarize(lang, problems)
        ),
        E::Invalid { path, problems } => format!(
            "{path}: {}; nothing imported",
            super::import::summarize(lang, problems)
        ),
        E::Storage(s) => super::storage::storage(lang, s),
    }
}

pub fn demo(lang: Lang, e: &crate::demo::DemoError) -> String {
    use crate::demo::DemoError as E;
    let fr = lang == Lang::Fr;
    match e {
        E::Storage(s) => super::storage::storage(lang, s),
        E::Import(i) => import(lang, i),
        E::Fixture(why) if fr => format!("le jeu de données intégré est invalide\u{a0}: {why}"),
        E::Fixture(why) => format!("the built-in fixture is invalid: {why}"),
        E::Remove { path, source } if fr => format!(
            "impossible de supprimer l'ancien fichier de démonstration {}\u{a0}: {source}",
            path.display()
        ),
        E::Remove { path, source } => format!(
            "cannot remove the old demo file {}: {source}",
            path.display()
        ),
    }
}

pub fn deploy(lang: Lang, e: &crate::deploy::DeployError) -> String {
    use crate::deploy::DeployError as E;
    let fr = lang == Lang::Fr;
    match e {
        E::Unreadable { path, reason } if fr => {
            format!("impossible de lire la configuration {path}\u{a0}: {reason}")
        }
        E::Unreadable { path, reason } => {
            format!("cannot read the configuration {path}: {reason}")
        }
        E::Unsafe { path, reason } if fr => format!("configuration {path} refusée\u{a0}: {reason}"),
        E::Unsafe { path, reason } => format!("refusing the configuration {path}: {reason}"),
        E::Syntax { path, line, reason } if fr => {
            format!("la configuration {path}, ligne {line}\u{a0}: {reason}")
        }
        E::Syntax { path, line, reason } => {
            format!("the configuration {path}, line {line}: {reason}")
        }
        E::Drop(why) if fr => format!("impossible de renoncer au privilège de groupe\u{a0}: {why}"),
        E::Drop(why) => format!("cannot give up the group privilege: {why}"),
        E::Today => lang
            .pick(
                "--today is refused when running setgid: it would date the audit rows",
                "--today est refusé en exécution setgid\u{a0}: il daterait les lignes du journal d'audit",
            )
            .into(),
    }
}

pub fn tui(lang: Lang, e: &crate::tui::TuiError) -> String {
    use crate::tui::TuiError as E;
    match e {
        E::Storage(s) => super::storage::storage(lang, s),
        E::Key(k) => super::export::export(lang, k),
        E::Terminal(io) => lang.pick(
            format!("terminal error: {io}"),
            format!("erreur du terminal\u{a0}: {io}"),
        ),
    }
}

pub fn week(lang: Lang, input: &str) -> String {
    lang.pick(
        format!("'{input}' is not an ISO week (expected YYYY-Www, e.g. 2026-W49)"),
        format!("'{input}' n'est pas une semaine ISO (attendu AAAA-Www, p. ex. 2026-W49)"),
    )
}

pub fn vertebral_level(lang: Lang, input: &str) -> String {
    lang.pick(
        format!("unknown vertebral level {input:?}: expected C0–C7, T1–T12, L1–L5 or S1–S5 (e.g. \"L3\")"),
        format!("niveau vertébral inconnu {input:?}\u{a0}: attendu C0–C7, T1–T12, L1–L5 ou S1–S5 (p. ex. «\u{202f}L3\u{202f}»)"),
    )
}
