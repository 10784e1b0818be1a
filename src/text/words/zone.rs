//! What `init`, `set-timezone` and `check` say about the hospital's time
//! zone, in French and English.

use chrono_tz::Tz;

use crate::domain::message::Lang;
use crate::domain::zone::NotAPlace;

/// `init` without `--timezone` on a server whose zone is not a place: one
/// line naming the flag.
pub fn server_zone_refused(lang: Lang, why: &NotAPlace) -> String {
    let (en, fr) = match why {
        NotAPlace::Generic(name) => (
            format!(
                "the server's time zone is {name}, which says nothing of where the hospital is"
            ),
            format!("le fuseau horaire du serveur est {name}, qui ne dit pas où est l'hôpital"),
        ),
        NotAPlace::Unknown(Some(name)) => (
            format!("the server's time zone '{name}' is not an IANA zone"),
            format!(
                "le fuseau horaire du serveur «\u{202f}{name}\u{202f}» n'est pas un fuseau IANA"
            ),
        ),
        NotAPlace::Unknown(None) => (
            "the server's time zone cannot be read".to_owned(),
            "le fuseau horaire du serveur est illisible".to_owned(),
        ),
    };
    match lang {
        Lang::En => format!(
            "{en}: name the hospital's with --timezone, e.g. --timezone Europe/Paris (nothing was created)"
        ),
        Lang::Fr => format!(
            "{fr}\u{a0}: donnez celui de l'hôpital avec --timezone, p. ex. --timezone Europe/Paris (rien n'a été créé)"
        ),
    }
}

/// The warning of a file whose zone is not a place (`UTC`, `Etc/…`):
/// printed by `init`, `set-timezone` and every `check`.
pub fn generic_zone(lang: Lang, tz: Tz) -> String {
    match lang {
        Lang::En => format!(
            "the file's time zone is {tz}, not the hospital's: delays in hours and drug holds are counted in {tz}; a chair sets the hospital's with `ir-committee set-timezone ZONE` (e.g. Europe/Paris)"
        ),
        Lang::Fr => format!(
            "le fuseau horaire du fichier est {tz}, pas celui de l'hôpital\u{a0}: délais en heures et arrêts de traitement sont comptés en {tz}\u{202f}; un président fixe celui de l'hôpital avec `ir-committee set-timezone FUSEAU` (p. ex. Europe/Paris)"
        ),
    }
}

/// What `set-timezone` did.
pub fn zone_set(lang: Lang, tz: Tz, was: Option<&str>) -> String {
    let was = was.unwrap_or("-");
    match lang {
        Lang::En => {
            format!("time zone {tz} (was {was}): every dossier is now judged on this clock")
        }
        Lang::Fr => format!(
            "fuseau horaire {tz} (auparavant {was})\u{a0}: chaque dossier est désormais jugé à cette heure"
        ),
    }
}

/// `set-timezone` with the zone the file already has.
pub fn zone_unchanged(lang: Lang, tz: Tz) -> String {
    match lang {
        Lang::En => format!("time zone already {tz}, unchanged"),
        Lang::Fr => format!("fuseau horaire déjà {tz}, inchangé"),
    }
}
