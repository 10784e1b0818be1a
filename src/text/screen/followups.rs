//! The strings of the follow-up calls on the screen (issue 15 §2–3): the
//! list's title and filter, its refusal, and the call form. The cells of
//! the list are the command line's (`text::followup`).

use crate::domain::message::Lang;
use crate::domain::roles::Read;

/// The list refused to a role that may not read it (named from the read
/// table).
pub fn followups_refused(lang: Lang) -> String {
    let who: Vec<&str> = Read::FollowUps
        .identified()
        .iter()
        .map(|r| r.label(lang))
        .collect();
    let who = who.join(", ");
    match lang {
        Lang::Fr => format!(
            "les appels de suivi nomment les patients\u{a0}: réservés à l'équipe de soins ({who})"
        ),
        Lang::En => format!("the follow-up calls name the patients: for the care team ({who})"),
    }
}

/// The list's title: the day, the M1 window (unless `short`: a narrow
/// screen), and the filter.
pub fn followups_title(
    lang: Lang,
    today: chrono::NaiveDate,
    short: bool,
    mine: bool,
    shown: usize,
) -> String {
    let title = match (short, lang) {
        (false, _) => crate::text::followup::title(lang, today),
        (true, Lang::Fr) => format!(
            "Suivis à appeler au {}",
            crate::text::typo::date(lang, today)
        ),
        (true, Lang::En) => format!(
            "Follow-up calls on {}",
            crate::text::typo::date(lang, today)
        ),
    };
    match (lang, mine) {
        (_, false) => title,
        (Lang::Fr, true) => format!("{title} — mes opérateurs\u{a0}: {shown}"),
        (Lang::En, true) => format!("{title} — my operators: {shown}"),
    }
}

/// "Mine" with no operator linked to the login.
pub fn followups_no_link(lang: Lang, login: &str, key: &str) -> String {
    let login = crate::domain::text::sanitize_line(login);
    match lang {
        Lang::Fr => format!(
            "Aucun opérateur n'est relié à {login}\u{a0}: un président le relie (ir-committee users link-operator \"NOM\" {login}). {key}\u{a0}: tous les appels."
        ),
        Lang::En => format!(
            "No operator is linked to {login}: a chair links one (ir-committee users link-operator \"NAME\" {login}). {key}: every call."
        ),
    }
}

/// The board of a role that reads no week (the nurse).
pub fn board_refused(lang: Lang, role: Option<crate::domain::roles::Role>, key: &str) -> String {
    let role = role.map(|r| r.label(lang)).unwrap_or_default();
    match lang {
        Lang::Fr => format!(
            "Votre rôle ({role}) ne lit pas la semaine du comité\u{a0}: aucun dossier n'est affiché ici. {key}\u{a0}: les appels de suivi."
        ),
        Lang::En => format!(
            "Your role ({role}) does not read the committee's week: no case is shown here. {key}: the follow-up calls."
        ),
    }
}

/// The words of the call form.
pub struct FollowUpTexts {
    pub title: &'static str,
    pub performed: &'static str,
    pub pain_before: &'static str,
    pub reached: &'static str,
    pub pain: &'static str,
    pub analgesics: &'static str,
    pub morphine: &'static str,
    pub grade: &'static str,
    pub text: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub unset: &'static str,
    pub none: &'static str,
    pub not_asked: &'static str,
    pub say_reached: &'static str,
    pub bad_pain: &'static str,
    pub bad_morphine: &'static str,
    pub grade_needed: &'static str,
    pub fix_first: &'static str,
    pub now_on_file: &'static str,
    pub left_list: &'static str,
}

const EN: FollowUpTexts = FollowUpTexts {
    title: "Follow-up call",
    performed: "performed",
    pain_before: "pain before",
    reached: "Patient reached",
    pain: "Pain (0–10)",
    analgesics: "Analgesics",
    morphine: "Morphine eq. (mg/day)",
    grade: "Complication (CIRSE)",
    text: "What happened",
    yes: "yes",
    no: "no",
    unset: "—",
    none: "none",
    not_asked: "(not asked: patient not reached)",
    say_reached: "say whether the patient was reached (→)",
    bad_pain: "a whole number from 0 to 10, or empty",
    bad_morphine: "a dose of 0 or more mg a day, or empty",
    grade_needed: "choose the complication's CIRSE grade (1 to 6), or empty the text",
    fix_first: "Not recorded: correct the fields marked ✗.",
    now_on_file: "Now on file:",
    left_list: "the patient was reached: this call has left the list",
};

const FR: FollowUpTexts = FollowUpTexts {
    title: "Appel de suivi",
    performed: "geste du",
    pain_before: "douleur avant",
    reached: "Patient joint",
    pain: "Douleur (0–10)",
    analgesics: "Antalgiques",
    morphine: "Éq. morphine (mg/j)",
    grade: "Complication (CIRSE)",
    text: "Ce qui s'est passé",
    yes: "oui",
    no: "non",
    unset: "—",
    none: "aucune",
    not_asked: "(sans objet\u{a0}: patient non joint)",
    say_reached: "dites si le patient a été joint (→)",
    bad_pain: "un nombre entier de 0 à 10, ou vide",
    bad_morphine: "une dose de 0 mg/j ou plus, ou vide",
    grade_needed: "choisissez le grade CIRSE de la complication (1 à 6), ou videz le texte",
    fix_first: "Non enregistré\u{a0}: corrigez les champs marqués ✗.",
    now_on_file: "Enregistré maintenant\u{a0}:",
    left_list: "le patient a été joint\u{a0}: cet appel a quitté la liste",
};

pub fn followup_texts(lang: Lang) -> &'static FollowUpTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// What is on file for the call now (after a conflict).
pub fn followup_on_file(lang: Lang, reached: bool, attempts: u32) -> String {
    let n = crate::text::followup::attempts(lang, attempts);
    match (lang, reached) {
        (Lang::Fr, true) => format!("patient joint ({n})"),
        (Lang::Fr, false) => format!("patient non joint ({n})"),
        (Lang::En, true) => format!("patient reached ({n})"),
        (Lang::En, false) => format!("patient not reached ({n})"),
    }
}

/// A save that met another call of the same follow-up.
pub fn followup_conflict(lang: Lang, by: &str, at: &str, submit: &str, dismiss: &str) -> String {
    let by = crate::domain::text::sanitize_line(by);
    let at = crate::text::typo::iso_date(lang, at);
    match lang {
        Lang::Fr => format!(
            "{by} a enregistré un appel de ce suivi ({at}) depuis l'ouverture du formulaire\u{a0}: rien n'est enregistré, la liste est rechargée. Vos réponses sont toujours là\u{a0}: {submit} les enregistre comme un appel de plus, {dismiss} revient à la liste."
        ),
        Lang::En => format!(
            "{by} recorded a call of this follow-up ({at}) since the form opened: nothing is recorded, the list is reloaded. Your answers are still here: {submit} records them as one more call, {dismiss} goes back to the list."
        ),
    }
}
