//! The follow-up calls, the deaths and the operators' links in words
//! (issue 15 §2–3): refusals, the call list's headings and cells.

use chrono::{NaiveDate, NaiveDateTime};

use super::Lang;
use crate::domain::followup::{Call, Refusal, State};
use crate::domain::vocab::FollowUpKind;

/// Why a follow-up, a death or a link is refused, one line.
pub fn refusal(lang: Lang, r: &Refusal) -> String {
    let fr = lang == Lang::Fr;
    let day = |d: &NaiveDate| super::typo::date(lang, *d);
    match r {
        Refusal::NotPerformed { case } if fr => format!(
            "{case} n'a pas de geste enregistré comme réalisé\u{a0}: rien à suivre (enregistrez d'abord le jour du geste)"
        ),
        Refusal::NotPerformed { case } => format!(
            "{case} has no procedure recorded as performed: nothing to follow up (record the day of the procedure first)"
        ),
        Refusal::BeforeProcedure { case, performed } if fr => format!(
            "{case}\u{a0}: un appel de suivi ne précède pas le geste (réalisé le {})",
            day(performed)
        ),
        Refusal::BeforeProcedure { case, performed } => format!(
            "{case}: a follow-up call cannot come before the procedure (performed on {})",
            day(performed)
        ),
        Refusal::DeathBeforeAlive { ipp, on, alive } if fr => format!(
            "patient {ipp}\u{a0}: un décès le {} précède le {}, où le dossier le sait en vie (naissance, geste réalisé ou appel joint)",
            day(on),
            day(alive)
        ),
        Refusal::DeathBeforeAlive { ipp, on, alive } => format!(
            "patient {ipp}: a death on {} is before {}, when the file knows them alive (birth, a procedure performed or a call that reached them)",
            day(on),
            day(alive)
        ),
        Refusal::M1TooEarly { case, opens } if fr => format!(
            "{case}\u{a0}: le suivi à 1 mois s'ouvre le {} (J+28)\u{a0}; un appel plus tôt n'en est pas un",
            day(opens)
        ),
        Refusal::M1TooEarly { case, opens } => format!(
            "{case}: the one-month follow-up opens on {} (J+28); an earlier call is not one",
            day(opens)
        ),
        Refusal::CallInFuture { case, at } if fr => format!(
            "{case}\u{a0}: un appel du {} est dans le futur",
            at.format("%d/%m/%Y %H:%M")
        ),
        Refusal::CallInFuture { case, at } => format!(
            "{case}: a call at {} is in the future",
            at.format("%Y-%m-%d %H:%M")
        ),
        Refusal::Invalid(e) => super::outcome::invalid(lang, e),
        Refusal::AlreadyDead { ipp, on } if fr => format!(
            "le décès du patient {ipp} est déjà enregistré (le {})\u{a0}: il ne s'enregistre qu'une fois",
            day(on)
        ),
        Refusal::AlreadyDead { ipp, on } => format!(
            "the death of patient {ipp} is already recorded (on {}): it is recorded once",
            day(on)
        ),
        Refusal::DeathInFuture { on, today } if fr => format!(
            "date de décès {} postérieure à aujourd'hui ({})",
            day(on),
            day(today)
        ),
        Refusal::DeathInFuture { on, today } => format!(
            "date of death {} is after today ({})",
            day(on),
            day(today)
        ),
        Refusal::NoPatient(ipp) if fr => format!("aucun patient d'IPP '{ipp}' dans la base"),
        Refusal::NoPatient(ipp) => format!("no patient with IPP '{ipp}' in the file"),
        Refusal::NoUser(login) if fr => format!(
            "'{login}' n'est pas un utilisateur de la base (voir ir-committee users list)"
        ),
        Refusal::NoUser(login) => {
            format!("'{login}' is not a user of the file (see ir-committee users list)")
        }
        Refusal::NoOperator => lang
            .pick(
                "an operator's name must not be empty (invisible characters do not count)",
                "le nom d'un opérateur ne peut pas être vide (les caractères invisibles ne comptent pas)",
            )
            .to_owned(),
        Refusal::NoLink(name) if fr => format!("aucun lien pour l'opérateur '{name}'"),
        Refusal::NoLink(name) => format!("no link for the operator '{name}'"),
        Refusal::AlreadyReached { case, kind: k } if fr => format!(
            "{case}\u{a0}: son suivi {} a déjà joint le patient\u{a0}; un appel sans réponse n'efface pas ses réponses (pour les corriger, enregistrez un appel joint)",
            kind(Lang::Fr, *k)
        ),
        Refusal::AlreadyReached { case, kind: k } => format!(
            "{case}: its {} follow-up already reached the patient; an unanswered call does not erase the answers (to correct them, record a reached call)",
            kind(Lang::En, *k)
        ),
        Refusal::CallAfterDeath { case, on } if fr => format!(
            "{case}\u{a0}: le décès du patient est enregistré le {}\u{a0}: pas d'appel de suivi après cette date",
            day(on)
        ),
        Refusal::CallAfterDeath { case, on } => format!(
            "{case}: the patient's death is recorded on {}: no follow-up call after that day",
            day(on)
        ),
        Refusal::Deceased { ipp, on } if fr => format!(
            "patient {ipp}\u{a0}: décès le {}, pas de fiche de consignes",
            day(on)
        ),
        Refusal::Deceased { ipp, on } => format!(
            "patient {ipp} died on {}: no instruction sheet",
            day(on)
        ),
    }
}

/// "J+1" / "M1".
pub fn kind(lang: Lang, k: FollowUpKind) -> &'static str {
    match (k, lang) {
        (FollowUpKind::J1, Lang::Fr) => "J+1",
        (FollowUpKind::J1, Lang::En) => "D+1",
        (FollowUpKind::M1, _) => "M1",
    }
}

/// The state of a call: "overdue since …" / "due until …".
pub fn state(lang: Lang, s: State) -> String {
    match (s, lang) {
        (State::Overdue { ended }, Lang::Fr) => {
            format!("en retard depuis le {}", super::typo::date(lang, ended))
        }
        (State::Overdue { ended }, Lang::En) => {
            format!("overdue since {}", super::typo::date(lang, ended))
        }
        (State::Due { until }, Lang::Fr) => {
            format!("à faire d'ici le {}", super::typo::date(lang, until))
        }
        (State::Due { until }, Lang::En) => {
            format!("due by {}", super::typo::date(lang, until))
        }
    }
}

/// Attempts so far: "" / "2 attempts".
pub fn attempts(lang: Lang, n: u32) -> String {
    match (n, lang) {
        (0, _) => String::new(),
        (1, Lang::Fr) => "1 tentative".to_owned(),
        (n, Lang::Fr) => format!("{n} tentatives"),
        (1, Lang::En) => "1 attempt".to_owned(),
        (n, Lang::En) => format!("{n} attempts"),
    }
}

/// Pain before: "EVA 7" / "VAS 7", "—" when not recorded.
pub fn pain(lang: Lang, p: Option<u8>) -> String {
    match p {
        Some(p) => format!("{} {p}", lang.pick("VAS", "EVA")),
        None => "\u{2014}".to_owned(),
    }
}

/// The techniques of a call, by their labels.
pub fn techniques(lang: Lang, c: &Call) -> String {
    c.procedure
        .techniques
        .iter()
        .map(|t| crate::text::Label::label(*t, lang))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The procedure's date and time.
pub fn performed(lang: Lang, at: NaiveDateTime) -> String {
    super::typo::date_time(lang, at)
}

/// The column headings of the list.
pub struct Headings {
    pub state: &'static str,
    pub kind: &'static str,
    pub case: &'static str,
    pub patient: &'static str,
    pub procedure: &'static str,
    pub date: &'static str,
    pub pain: &'static str,
    pub attempts: &'static str,
    pub operator: &'static str,
}

pub fn headings(lang: Lang) -> Headings {
    Headings {
        state: lang.pick("State", "État"),
        kind: lang.pick("Call", "Appel"),
        case: lang.pick("Case", "Dossier"),
        patient: lang.pick("Patient", "Patient"),
        procedure: lang.pick("Procedure", "Geste"),
        date: lang.pick("Date", "Date"),
        pain: lang.pick("Pain before", "Douleur avant"),
        attempts: lang.pick("Attempts", "Tentatives"),
        operator: lang.pick("Operator", "Opérateur"),
    }
}

/// The list's title.
pub fn title(lang: Lang, today: NaiveDate) -> String {
    match lang {
        Lang::Fr => format!(
            "Suivis à appeler au {} (M1\u{a0}: {})",
            super::typo::date(lang, today),
            super::outcome::m1_window(lang)
        ),
        Lang::En => format!(
            "Follow-up calls on {} (M1: {})",
            super::typo::date(lang, today),
            super::outcome::m1_window(lang)
        ),
    }
}

/// An operator's heading: "Dr Martin (3)".
pub fn operator(lang: Lang, name: &str, n: usize) -> String {
    let name = if name.trim().is_empty() {
        lang.pick("(no operator)", "(sans opérateur)")
    } else {
        name
    };
    format!("{name} ({n})")
}

/// Nothing to call.
pub fn none(lang: Lang) -> &'static str {
    lang.pick(
        "No follow-up call to make.",
        "Aucun appel de suivi à faire.",
    )
}

/// `follow-up` done.
pub fn saved(lang: Lang, case: &str, k: FollowUpKind, reached: bool, attempts: u32) -> String {
    let what = kind(lang, k);
    match (lang, reached) {
        (Lang::Fr, true) => format!("{case}\u{a0}: suivi {what} enregistré (patient joint)"),
        (Lang::Fr, false) => format!(
            "{case}\u{a0}: suivi {what}, patient non joint ({})",
            self::attempts(lang, attempts)
        ),
        (Lang::En, true) => format!("{case}: {what} follow-up recorded (patient reached)"),
        (Lang::En, false) => format!(
            "{case}: {what} follow-up, patient not reached ({})",
            self::attempts(lang, attempts)
        ),
    }
}

/// `deceased` done.
pub fn death_saved(lang: Lang, ipp: &str, on: NaiveDate) -> String {
    match lang {
        Lang::Fr => format!(
            "décès du patient {ipp} enregistré (le {})",
            super::typo::date(lang, on)
        ),
        Lang::En => format!(
            "death of patient {ipp} recorded (on {})",
            super::typo::date(lang, on)
        ),
    }
}

/// `users link-operator` / `unlink-operator` done.
pub fn linked(lang: Lang, operator: &str, login: &str) -> String {
    match lang {
        Lang::Fr => format!("opérateur '{operator}' relié à {login}"),
        Lang::En => format!("operator '{operator}' linked to {login}"),
    }
}

pub fn unlinked(lang: Lang, operator: &str, login: &str) -> String {
    match lang {
        Lang::Fr => format!("opérateur '{operator}' détaché de {login}"),
        Lang::En => format!("operator '{operator}' unlinked from {login}"),
    }
}

/// `users list`: the operators linked to a login.
pub fn operators(lang: Lang, names: &[String]) -> String {
    match lang {
        Lang::Fr => format!("opérateur\u{a0}: {}", names.join(", ")),
        Lang::En => format!("operator: {}", names.join(", ")),
    }
}

/// The board's mark before the name of a patient who died.
pub const DECEASED_MARK: &str = "†";

/// The board's and the detail's word for a patient who died.
/// A month as a pseudonymised reader sees a death: "11/2026", "2026-11".
pub fn month(lang: Lang, on: NaiveDate) -> String {
    match lang {
        Lang::Fr => on.format("%m/%Y").to_string(),
        Lang::En => on.format("%Y-%m").to_string(),
    }
}

/// [`deceased`] seen pseudonymised: the month only.
pub fn deceased_in(lang: Lang, on: NaiveDate) -> String {
    match lang {
        Lang::Fr => format!("décès en {}", month(lang, on)),
        Lang::En => format!("deceased in {}", month(lang, on)),
    }
}

pub fn deceased(lang: Lang, on: NaiveDate) -> String {
    match lang {
        // A noun: no agreement to get wrong ("décédé", "décédée").
        Lang::Fr => format!("décès le {}", super::typo::date(lang, on)),
        Lang::En => format!("deceased on {}", super::typo::date(lang, on)),
    }
}

/// The board header's segment: "3 overdue follow-ups".
pub fn overdue(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Fr, 1) => "1 suivi en retard".to_owned(),
        (Lang::Fr, n) => format!("{n} suivis en retard"),
        (Lang::En, 1) => "1 overdue follow-up".to_owned(),
        (Lang::En, n) => format!("{n} overdue follow-ups"),
    }
}

/// `follow-ups --mine` for a login no operator is linked to.
pub fn no_operator_linked(lang: Lang, login: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "aucun opérateur relié à {login}\u{a0}: un président les relie (ir-committee users link-operator \"Dr Martin\" {login})"
        ),
        Lang::En => format!(
            "no operator is linked to {login}: a chair links them (ir-committee users link-operator \"Dr Martin\" {login})"
        ),
    }
}

/// `follow-ups --output`: the file written.
pub fn written(lang: Lang, path: &str, calls: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "{path}\u{a0}: {calls} {}",
            super::typo::plural(lang, calls as u64, "appel", "appels")
        ),
        Lang::En => format!(
            "{path}: {calls} {}",
            super::typo::plural(lang, calls as u64, "call", "calls")
        ),
    }
}

/// The last call of a follow-up not reached: "last call 01/12/2026 10:00".
pub fn last_called(lang: Lang, at: NaiveDateTime) -> String {
    match lang {
        Lang::Fr => format!("dernier appel le {}", super::typo::date_time(lang, at)),
        Lang::En => format!("last call {}", super::typo::date_time(lang, at)),
    }
}

/// `follow-up --seen-version` that no longer matches: who changed it, when.
pub fn conflict(
    lang: Lang,
    case: &str,
    k: FollowUpKind,
    (expected, found): (i64, i64),
    by: &str,
    at: &str,
) -> String {
    let what = kind(lang, k);
    // The day of the change (`at`: UTC, RFC 3339).
    let on = super::typo::iso_date(lang, at.get(..10).unwrap_or(at));
    match lang {
        Lang::Fr => format!(
            "{case}\u{a0}: son suivi {what} a été modifié par {by} le {on} depuis votre lecture (version {found}, attendue {expected})\u{202f}; relisez-le (ir-committee follow-ups --format json) avant d'enregistrer"
        ),
        Lang::En => format!(
            "{case}: its {what} follow-up was changed by {by} on {on} since you read it (version {found}, expected {expected}); read it again (ir-committee follow-ups --format json) before recording"
        ),
    }
}

/// A CIRSE grade outside 1–6 (the command line's parser already refuses it).
pub fn not_a_grade(lang: Lang, g: u8) -> String {
    match lang {
        Lang::Fr => format!("grade CIRSE {g}\u{a0}: de 1 à 6"),
        Lang::En => format!("CIRSE grade {g}: 1 to 6"),
    }
}
