//! The local protocol in words (issue 17): the header line the board,
//! `check`, the minutes and the programme share, and what `rules approve`
//! says. The generated document's words are in `text::protocol_doc`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::protocol::{Approval, Side, State, Status};
use crate::domain::rules::Unit;
use crate::text::Lang;
use crate::text::typo;

/// A rule's value with its unit, as the history and the document's
/// changes write it: "24 heures", "1 jour", "J−2 avant midi", "50 G/L",
/// "1,5" (a ratio: the number says it); a value a flag holds is shown as
/// it is (never hidden); none: "aucune". Used wherever a value is shown
/// beside who changed it, so that the history and the document agree.
pub fn valued(lang: Lang, value: Option<f64>, unit: Option<Unit>) -> String {
    let Some(v) = value else {
        return crate::text::screen::rules_table::no_value(lang).to_owned();
    };
    let n = typo::number(lang, v);
    // French takes the singular below 2, English for 1 only.
    let one = match lang {
        Lang::Fr => v.abs() < 2.0,
        Lang::En => v == 1.0,
    };
    let word = |en1: &'static str, en: &'static str, fr1: &'static str, fr: &'static str| match (
        lang, one,
    ) {
        (Lang::En, true) => en1,
        (Lang::En, false) => en,
        (Lang::Fr, true) => fr1,
        (Lang::Fr, false) => fr,
    };
    match unit {
        None | Some(Unit::Flag | Unit::Ratio) => n,
        Some(Unit::DayNoon) => format!("J−{n} {}", lang.pick("before noon", "avant midi")),
        Some(Unit::Days) => format!("{n} {}", word("day", "days", "jour", "jours")),
        Some(Unit::Hours) => format!("{n} {}", word("hour", "hours", "heure", "heures")),
        Some(Unit::Minutes) => format!("{n} {}", word("minute", "minutes", "minute", "minutes")),
        Some(Unit::People) => format!("{n} {}", word("person", "people", "personne", "personnes")),
        Some(Unit::GL) => format!("{n} G/L"),
        Some(Unit::MlMin) => format!("{n} mL/min"),
    }
}

/// One side of a change: "24 heures (bloquant)", "aucune (à signaler)", a
/// risk's word, or the trail's text as it is (sanitized).
pub fn side(lang: Lang, s: &Side, unit: Option<Unit>) -> String {
    use crate::text::Label;
    match s {
        Side::Value { value, severity } => format!(
            "{} ({})",
            valued(lang, *value, unit),
            crate::text::screen::rule_severity(lang, *severity)
        ),
        Side::Risk { risk } => risk.label(lang).to_owned(),
        Side::Raw { text } => crate::domain::text::sanitize_line(text),
    }
}

/// A time of the trail as a date in the hospital's zone.
pub fn day(lang: Lang, at: DateTime<Utc>, tz: Tz) -> String {
    typo::date(lang, at.with_timezone(&tz).date_naive())
}

/// A time of the trail as a date and time in the hospital's zone.
pub fn moment(lang: Lang, at: DateTime<Utc>, tz: Tz) -> String {
    typo::date_time(lang, at.with_timezone(&tz).naive_local())
}

/// "protocole v12, approuvé le 03/11/2026", "protocole v13 modifié depuis
/// l'approbation (v12 du 03/11/2026)" or "protocole v1, jamais approuvé".
pub fn line(lang: Lang, s: &Status, tz: Tz) -> String {
    let v = s.version;
    let fr = lang == Lang::Fr;
    let approved = s
        .approval
        .as_ref()
        .map(|a| (a.version, day(lang, a.at, tz)));
    match (s.state(), approved) {
        (State::Approved, Some((_, on))) if fr => format!("protocole v{v}, approuvé le {on}"),
        (State::Approved, Some((_, on))) => format!("protocol v{v}, approved on {on}"),
        (State::ModifiedSinceApproval, Some((a, on))) if fr => {
            format!("protocole v{v} modifié depuis l'approbation (v{a} du {on})")
        }
        (State::ModifiedSinceApproval, Some((a, on))) => {
            format!("protocol v{v} changed since its approval (v{a} of {on})")
        }
        (State::ChangedOutsideVersion, Some((_, on))) if fr => format!(
            "protocole v{v}\u{a0}: règles ou fuseau horaire changés depuis l'approbation du {on}, sans nouvelle version"
        ),
        (State::ChangedOutsideVersion, Some((_, on))) => format!(
            "protocol v{v}: rules or time zone changed since its approval of {on}, without a new version"
        ),
        _ if fr => format!("protocole v{v}, jamais approuvé"),
        _ => format!("protocol v{v}, never approved"),
    }
}

/// The line with who approved it, for the minutes and the document:
/// "…, approuvé le 03/11/2026 par Dr Martin".
pub fn line_by(lang: Lang, s: &Status, tz: Tz) -> String {
    let base = line(lang, s, tz);
    match (&s.approval, s.state()) {
        (Some(a), State::Approved) => {
            let by = crate::domain::text::sanitize_line(&a.name);
            format!("{base} {} {by}", lang.pick("by", "par"))
        }
        _ => base,
    }
}

/// The versions the week's decisions were taken under, after the line of
/// the version in force: "Décisions prises sous cette version." or "…
/// sous le protocole v3." (None: no decision).
pub fn decided_under(lang: Lang, versions: &[i64], current: i64) -> Option<String> {
    let fr = lang == Lang::Fr;
    let list = || {
        versions
            .iter()
            .map(|v| format!("v{v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(match versions {
        [] => return None,
        [v] if *v == current && fr => "Décisions prises sous cette version.".to_owned(),
        [v] if *v == current => "Decisions taken under this version.".to_owned(),
        [_] if fr => format!("Décisions prises sous le protocole {}.", list()),
        [_] => format!("Decisions taken under protocol {}.", list()),
        _ if fr => format!("Décisions prises sous les protocoles {}.", list()),
        _ => format!("Decisions taken under protocols {}.", list()),
    })
}

/// What `rules approve` prints.
pub fn approved(lang: Lang, a: &Approval, tz: Tz) -> String {
    let on = moment(lang, a.at, tz);
    let v = a.version;
    let meeting = match a.week {
        Some(_) => crate::text::protocol_history::meeting(lang, a),
        None => lang
            .pick(
                "no meeting recorded today",
                "aucune réunion enregistrée ce jour",
            )
            .to_owned(),
    };
    let s = match lang {
        Lang::Fr => format!("protocole v{v} approuvé le {on} ({meeting})"),
        Lang::En => format!("protocol v{v} approved on {on} ({meeting})"),
    };
    typo::finish(lang, typo::Medium::Screen, &s)
}

/// Refusal: an empty note, or one too long (its length).
pub fn note_refused(lang: Lang, chars: Option<usize>) -> String {
    let max = crate::domain::protocol::NOTE_MAX_CHARS;
    match (lang, chars) {
        (Lang::Fr, None) => "une approbation demande une note (--note \"…\"), par exemple ce qui a été relu et par qui".into(),
        (Lang::En, None) => "an approval needs a note (--note \"…\"), e.g. what was reviewed and by whom".into(),
        (Lang::Fr, Some(n)) => format!("note de {n} caractères\u{a0}: {max} au plus"),
        (Lang::En, Some(n)) => format!("a note of {n} characters: {max} at most"),
    }
}

/// Refusal: the version in force is already approved as it stands.
pub fn already_approved(lang: Lang, v: i64, on: chrono::NaiveDate, by: &str) -> String {
    let on = typo::date(lang, on);
    let by = crate::domain::text::sanitize_line(by);
    match lang {
        Lang::Fr => format!(
            "le protocole v{v} est déjà approuvé (le {on} par {by})\u{a0}; rien n'est enregistré"
        ),
        Lang::En => {
            format!("protocol v{v} is already approved (on {on} by {by}); nothing recorded")
        }
    }
}

/// Refusal: the meeting named is not recorded, or several were held today.
pub fn approval_meeting(lang: Lang, named: Option<&str>, held_today: &[String]) -> String {
    let held: Vec<String> = held_today
        .iter()
        .map(|w| crate::domain::text::sanitize_line(w))
        .collect();
    let held = held.join(", ");
    match (lang, named) {
        (Lang::Fr, Some(w)) => format!(
            "aucune réunion {} n'est enregistrée (la liste des présents se saisit à l'écran)\u{a0}; rien n'est enregistré",
            crate::domain::text::sanitize_line(w)
        ),
        (Lang::En, Some(w)) => format!(
            "no meeting {} is recorded (the attendance is recorded on the screen); nothing recorded",
            crate::domain::text::sanitize_line(w)
        ),
        (Lang::Fr, None) => format!(
            "plusieurs réunions sont enregistrées aujourd'hui ({held})\u{a0}: nommez celle de l'approbation avec --meeting SEMAINE\u{a0}; rien n'est enregistré"
        ),
        (Lang::En, None) => format!(
            "several meetings are recorded today ({held}): name the approval's with --meeting WEEK; nothing recorded"
        ),
    }
}

/// Refusal: the fingerprint given is not the table's, or none was given
/// while the table changed without a new version.
pub fn approval_fingerprint(lang: Lang, given: Option<&str>, found: &str) -> String {
    match (lang, given) {
        (Lang::Fr, Some(g)) => format!(
            "l'empreinte relue ({g}) n'est pas celle des règles en vigueur ({found})\u{a0}: faites relire le document actuel (rules document)\u{a0}; rien n'est enregistré"
        ),
        (Lang::En, Some(g)) => format!(
            "the fingerprint reviewed ({g}) is not the rules' in force ({found}): have the current document reviewed (rules document); nothing recorded"
        ),
        (Lang::Fr, None) => format!(
            "les règles ou le fuseau horaire ont changé sans nouvelle version depuis la dernière approbation\u{a0}: faites relire le document actuel (rules document) et donnez son empreinte (--fingerprint {found})\u{a0}; rien n'est enregistré"
        ),
        (Lang::En, None) => format!(
            "the rules or the time zone changed without a new version since the last approval: have the current document reviewed (rules document) and give its fingerprint (--fingerprint {found}); nothing recorded"
        ),
    }
}

/// Refusal: the version reviewed is not the one in force.
pub fn approval_stale(lang: Lang, reviewed: i64, found: i64) -> String {
    if reviewed > found || reviewed < crate::domain::protocol::FIRST_VERSION {
        return match lang {
            Lang::Fr => format!(
                "il n'existe pas de version v{reviewed}\u{a0}: la v{found} est en vigueur\u{a0}; rien n'est enregistré"
            ),
            Lang::En => {
                format!("there is no version v{reviewed}: v{found} is in force; nothing recorded")
            }
        };
    }
    match lang {
        Lang::Fr => format!(
            "la version relue (v{reviewed}) n'est pas celle en vigueur (v{found})\u{a0}: la table a changé depuis\u{a0}; voyez ir-committee rules history, faites relire la v{found} (rules document) puis approuvez-la\u{a0}; rien n'est enregistré"
        ),
        Lang::En => format!(
            "the version reviewed (v{reviewed}) is not the one in force (v{found}): the table changed since; see ir-committee rules history, have v{found} reviewed (rules document) and approve it; nothing recorded"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::Approval;

    fn status(version: i64, approved: Option<i64>) -> Status {
        let at = DateTime::parse_from_rfc3339("2026-11-03T23:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        Status {
            version,
            digest: "d".into(),
            approval: approved.map(|v| Approval {
                meeting_on: None,
                version: v,
                digest: "d".into(),
                at,
                login: "hm".into(),
                name: "Dr Martin".into(),
                note: "relu".into(),
                week: None,
                attendance: vec![],
            }),
        }
    }

    #[test]
    fn the_line_says_the_state_in_the_hospitals_zone() {
        let paris = chrono_tz::Europe::Paris;
        // 23:30 UTC on 3 November is 4 November in Paris.
        let table = [
            (
                status(12, Some(12)),
                Lang::Fr,
                "protocole v12, approuvé le 04/11/2026",
            ),
            (
                status(12, Some(12)),
                Lang::En,
                "protocol v12, approved on 2026-11-04",
            ),
            (
                status(13, Some(12)),
                Lang::Fr,
                "protocole v13 modifié depuis l'approbation (v12 du 04/11/2026)",
            ),
            (
                status(13, Some(12)),
                Lang::En,
                "protocol v13 changed since its approval (v12 of 2026-11-04)",
            ),
            (status(1, None), Lang::Fr, "protocole v1, jamais approuvé"),
            (status(1, None), Lang::En, "protocol v1, never approved"),
        ];
        for (s, lang, want) in table {
            assert_eq!(line(lang, &s, paris), want);
        }
        assert_eq!(
            line_by(Lang::Fr, &status(12, Some(12)), paris),
            "protocole v12, approuvé le 04/11/2026 par Dr Martin"
        );
        assert_eq!(
            line_by(Lang::Fr, &status(13, Some(12)), paris),
            "protocole v13 modifié depuis l'approbation (v12 du 04/11/2026)"
        );
    }
}
