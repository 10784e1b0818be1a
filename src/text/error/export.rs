//! Export failures in words ([`ExportError`] is data).

use crate::export::ExportError;
use crate::export::pseudo::KEY_FILE_ENV as KEY;
use crate::text::Lang;

pub fn export(lang: Lang, e: &ExportError) -> String {
    use ExportError as E;
    let fr = lang == Lang::Fr;
    match e {
        E::MinutesFormat(f) if fr => format!(
            "--minutes est pour html et md (le compte rendu est un document à lire), pas pour {f}"
        ),
        E::MinutesFormat(f) => {
            format!("--minutes is for html and md (the minutes are a document to read), not {f}")
        }
        E::NoPseudonymKey if fr => format!(
            "pas de clé de pseudonymisation\u{a0}: nommez dans ${KEY} un fichier d'au moins 16 octets aléatoires (p. ex. `openssl rand -hex 32 > pseudonym.key; chmod 600 pseudonym.key`), ou pseudonym_key_file dans la configuration"
        ),
        E::NoPseudonymKey => format!(
            "no pseudonym key: name a file of at least 16 random bytes in ${KEY} (e.g. `openssl rand -hex 32 > pseudonym.key; chmod 600 pseudonym.key`), or pseudonym_key_file in the configuration"
        ),
        E::ReaderNeedsKey { role } if fr => format!(
            "{role} ne lit que des données pseudonymisées et aucune clé de pseudonymisation n'est installée\u{a0}: nommez dans ${KEY} un fichier d'au moins 16 octets aléatoires (p. ex. `openssl rand -hex 32 > pseudonym.key; chmod 600 pseudonym.key`), ou pseudonym_key_file dans la configuration"
        ),
        E::ReaderNeedsKey { role } => format!(
            "{role} reads pseudonymised data only and no pseudonym key is installed: name a file of at least 16 random bytes in ${KEY} (e.g. `openssl rand -hex 32 > pseudonym.key; chmod 600 pseudonym.key`), or pseudonym_key_file in the configuration"
        ),
        E::PseudonymKey { path, reason } if fr => {
            format!("clé de pseudonymisation {path}\u{a0}: {reason}")
        }
        E::PseudonymKey { path, reason } => format!("pseudonym key {path}: {reason}"),
        E::ViewerNeedsPseudonym => lang
            .pick(
                "a viewer may export only pseudonymised (add --pseudonymise)",
                "un lecteur ne peut exporter que pseudonymisé (ajoutez --pseudonymise)",
            )
            .into(),
        E::Write { path, reason } => format!("{path}{} {reason}", super::super::typo::colon(lang)),
        E::OntoDatabase { path, file } if fr => format!(
            "export sur {path} refusé\u{a0}: c'est la base de données ({file})\u{202f}; choisissez un autre fichier"
        ),
        E::OntoDatabase { path, file } => format!(
            "refusing to export onto {path}: that is the database ({file}); choose another file"
        ),
        E::OntoSqlite { path } if fr => format!(
            "export sur {path} refusé\u{a0}: c'est une base SQLite\u{202f}; choisissez un autre fichier"
        ),
        E::OntoSqlite { path } => format!(
            "refusing to export onto {path}: it is a SQLite database; choose another file"
        ),
        E::Exists { path } if fr => format!("{path} existe\u{202f}; ajoutez --force pour le remplacer"),
        E::Exists { path } => format!("{path} exists; add --force to replace it"),
        E::StdoutIsDatabase { file } if fr => format!(
            "écriture de l'export sur la sortie standard refusée\u{a0}: la sortie standard est la base de données ({file})"
        ),
        E::StdoutIsDatabase { file } => format!(
            "refusing to write the export to the standard output: the standard output is the database ({file})"
        ),
        E::Terminal => lang
            .pick(
                "refusing to write the export to a terminal: give --output FILE (or pipe it)",
                "écriture de l'export dans un terminal refusée\u{a0}: donnez --output FICHIER (ou redirigez-le)",
            )
            .into(),
        E::RandomKey(reason) if fr => format!(
            "pas de clé aléatoire pour l'extrait (le système n'a pas donné d'octets aléatoires)\u{a0}: {reason}"
        ),
        E::RandomKey(reason) => format!(
            "no random key for the extract (the system gave no random bytes): {reason}"
        ),
        E::Storage(s) => super::storage::storage(lang, s),
    }
}
