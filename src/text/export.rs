//! Every word the exports print, in French and English (column headings,
//! titles of the programme and the minutes). Text from the database is
//! never here: it is escaped by each format.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

use crate::domain::instructions::{DrugLine, Ward};
use crate::domain::message::Lang;
use crate::domain::rules::Item;
use crate::domain::time::When;
use crate::domain::vocab::DecisionStatus;
use crate::domain::vocab::Drug;
use crate::export::model::Entry;

pub struct Labels {
    pub programme_title: &'static str,
    pub minutes_title: &'static str,
    pub week: &'static str,
    pub time: &'static str,
    pub end: &'static str,
    pub room: &'static str,
    pub patient: &'static str,
    pub age: &'static str,
    pub years: &'static str,
    pub sex: &'static str,
    pub birth_date: &'static str,
    pub ipp: &'static str,
    pub technique: &'static str,
    pub target: &'static str,
    pub anaesthesia: &'static str,
    pub operator: &'static str,
    pub notes: &'static str,
    pub date: &'static str,
    pub case: &'static str,
    pub decision: &'static str,
    pub reason: &'static str,
    pub to_week: &'static str,
    pub override_title: &'static str,
    pub justification: &'static str,
    pub decided_by: &'static str,
    pub present: &'static str,
    pub nobody_recorded: &'static str,
    /// Marks a decision taken while the quorum did not hold.
    pub without_quorum: &'static str,
    pub discussed: &'static str,
    pub set_apart: &'static str,
    pub no_validated: &'static str,
    pub audit_head: &'static str,
    pub audit_head_hint: &'static str,
    /// The minutes' list of exports started and never completed (issue 12).
    pub unfinished_title: &'static str,
    pub pseudonymised: &'static str,
    pub meeting_of: &'static str,
    pub timezone: &'static str,
    pub validated_count: &'static str,
    /// The summary of a calendar event sent again as cancelled.
    pub cancelled_event: &'static str,
    /// A case validated by an override (the justification follows).
    pub by_override: &'static str,
    /// Beside an override: the items blocking now.
    pub blocking: &'static str,
    /// A case validated without an override and blocking since.
    pub now_blocking: &'static str,
    /// The CSV columns appended after the notes.
    pub col_override: &'static str,
    pub col_now_blocking: &'static str,
    /// "Edited on …": when the export was made.
    pub edited: &'static str,
    pub edition_head: &'static str,
    /// The ward instructions (a column in html and md, appended in csv).
    pub col_ward: &'static str,
}

const EN: Labels = Labels {
    programme_title: "Validated programme",
    minutes_title: "Minutes of the IR validation committee",
    week: "Week",
    time: "Time",
    end: "End",
    room: "Room",
    patient: "Patient",
    age: "Age",
    years: "y",
    sex: "Sex",
    birth_date: "Born",
    ipp: "IPP",
    technique: "Technique",
    target: "Target",
    anaesthesia: "Anaesthesia",
    operator: "Operator",
    notes: "Notes",
    date: "Date",
    case: "Case",
    decision: "Decision",
    reason: "Reason",
    to_week: "To week",
    override_title: "Validated despite a blocking item (overrides)",
    justification: "Justification",
    decided_by: "Decided by",
    present: "Present",
    nobody_recorded: "No attendance recorded.",
    without_quorum: "taken without quorum",
    discussed: "Cases discussed",
    set_apart: "Not in the programme (postponed, cancelled, undecided)",
    no_validated: "No validated procedure this week.",
    audit_head: "Audit trail head hash at the close of the meeting",
    audit_head_hint: "check with: ir-committee audit --verify --anchor",
    unfinished_title: "Exports started and never completed",
    pseudonymised: "Pseudonymised: initials, age and a keyed patient number; notes, reasons and justifications left out.",
    meeting_of: "Meeting of",
    timezone: "Times are local",
    validated_count: "validated procedures",
    cancelled_event: "Cancelled: no longer in the programme",
    by_override: "VALIDATED BY OVERRIDE",
    blocking: "blocking",
    now_blocking: "VALIDATED BUT NOW BLOCKING",
    col_override: "Override",
    col_now_blocking: "Now blocking",
    edited: "Edited",
    edition_head: "audit trail head",
    col_ward: "Ward instructions",
};

const FR: Labels = Labels {
    programme_title: "Programme validé",
    minutes_title: "Compte rendu du comité de validation de radiologie interventionnelle",
    week: "Semaine",
    time: "Heure",
    end: "Fin",
    room: "Salle",
    patient: "Patient",
    age: "Âge",
    years: "ans",
    sex: "Sexe",
    birth_date: "Né(e) le",
    ipp: "IPP",
    technique: "Technique",
    target: "Cible",
    anaesthesia: "Anesthésie",
    operator: "Opérateur",
    notes: "Notes",
    date: "Date",
    case: "Dossier",
    decision: "Décision",
    reason: "Motif",
    to_week: "Reporté à",
    override_title: "Validés malgré un élément bloquant (dérogations)",
    justification: "Justification",
    decided_by: "Décidé par",
    present: "Présents",
    nobody_recorded: "Aucune présence enregistrée.",
    without_quorum: "prise sans quorum",
    discussed: "Dossiers discutés",
    set_apart: "Hors programme (reportés, annulés, non décidés)",
    no_validated: "Aucune intervention validée cette semaine.",
    audit_head: "Empreinte de tête du journal d'audit à la clôture de la séance",
    audit_head_hint: "à vérifier par\u{a0}: ir-committee audit --verify --anchor",
    unfinished_title: "Exports commencés et jamais terminés",
    pseudonymised: "Pseudonymisé\u{a0}: initiales, âge et numéro patient chiffré\u{202f}; notes, motifs et justifications omis.",
    meeting_of: "Séance du",
    timezone: "Heures locales",
    validated_count: "interventions validées",
    cancelled_event: "Annulée\u{a0}: plus au programme",
    by_override: "VALIDÉ PAR DÉROGATION",
    blocking: "bloquant",
    now_blocking: "VALIDÉ MAIS DÉSORMAIS BLOQUANT",
    col_override: "Dérogation",
    col_now_blocking: "Désormais bloquant",
    edited: "Édité le",
    edition_head: "tête du journal d'audit",
    col_ward: "Consignes au service",
};

/// One export never completed, for the minutes: when (local), who, what.
pub fn unfinished(lang: Lang, u: &crate::export::model::UnfinishedExport) -> String {
    let at = u.at.format("%Y-%m-%d %H:%M");
    let what = match (lang, u.minutes) {
        (Lang::En, true) => "minutes",
        (Lang::En, false) => "programme",
        (Lang::Fr, true) => "compte rendu",
        (Lang::Fr, false) => "programme",
    };
    let names = match (lang, u.pseudonymised) {
        (Lang::En, true) => "pseudonymised",
        (Lang::En, false) => "with names",
        (Lang::Fr, true) => "pseudonymisé",
        (Lang::Fr, false) => "nominatif",
    };
    format!("{at} — {} — {what} {}, {names}", u.login, u.format)
}

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// "Monday 30/11/2026" / "lundi 30/11/2026".
pub fn day(lang: Lang, d: NaiveDate) -> String {
    let name = match (lang, d.weekday()) {
        (Lang::En, Weekday::Mon) => "Monday",
        (Lang::En, Weekday::Tue) => "Tuesday",
        (Lang::En, Weekday::Wed) => "Wednesday",
        (Lang::En, Weekday::Thu) => "Thursday",
        (Lang::En, Weekday::Fri) => "Friday",
        (Lang::En, Weekday::Sat) => "Saturday",
        (Lang::En, Weekday::Sun) => "Sunday",
        (Lang::Fr, Weekday::Mon) => "lundi",
        (Lang::Fr, Weekday::Tue) => "mardi",
        (Lang::Fr, Weekday::Wed) => "mercredi",
        (Lang::Fr, Weekday::Thu) => "jeudi",
        (Lang::Fr, Weekday::Fri) => "vendredi",
        (Lang::Fr, Weekday::Sat) => "samedi",
        (Lang::Fr, Weekday::Sun) => "dimanche",
    };
    format!("{name} {}", d.format("%d/%m/%Y"))
}

/// ": " in English, " : " in French.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ": ",
        Lang::Fr => "\u{a0}: ",
    }
}

/// Item names in the export's language, joined with ", ".
pub fn items(lang: Lang, items: &[Item]) -> String {
    items
        .iter()
        .map(|i| crate::text::words::item(lang, *i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "VALIDATED BY OVERRIDE (blocking: imaging)" for a case validated by an
/// override (the items that block now, if any), without its justification.
pub fn override_head(lang: Lang, e: &Entry) -> Option<String> {
    if !e.overridden {
        return None;
    }
    let l = labels(lang);
    Some(if e.blocking.is_empty() {
        l.by_override.to_owned()
    } else {
        let c = colon(lang).trim_end();
        format!(
            "{} ({}{c} {})",
            l.by_override,
            l.blocking,
            items(lang, &e.blocking)
        )
    })
}

/// What a validated case's row must say beyond "validated", in one line:
/// validated by override with its justification (none when withheld), or
/// validated but blocking now with the items. None: plainly validated.
pub fn alert(lang: Lang, e: &Entry) -> Option<String> {
    let colon = colon(lang);
    if let Some(head) = override_head(lang, e) {
        return Some(match e.override_justification.as_deref() {
            Some(j) if !j.is_empty() => format!("{head}{colon}{j}"),
            _ => head,
        });
    }
    (!e.now_blocking.is_empty()).then(|| {
        let l = labels(lang);
        format!("{}{colon}{}", l.now_blocking, items(lang, &e.now_blocking))
    })
}

/// "Edited Thursday 26/11/2026 13:00 (Europe/Paris) · audit trail head:",
/// the hash to follow in each format's way.
pub fn edition(lang: Lang, at: NaiveDateTime, zone: &str) -> String {
    let l = labels(lang);
    let when = format!("{} {}", day(lang, at.date()), at.format("%H:%M"));
    let head = format!("{}{}", l.edition_head, colon(lang).trim_end());
    format!("{} {when} ({zone}) · {head}", l.edited)
}

/// The decision in words.
pub fn status(lang: Lang, s: DecisionStatus) -> &'static str {
    crate::text::Label::label(s, lang)
}

/// After `export`: where the file went and what it holds (real plurals).
pub fn exported(
    lang: Lang,
    path: &str,
    validated: usize,
    set_apart: usize,
    minutes: bool,
) -> String {
    use crate::text::typo::plural;
    let (v, o) = (validated as u64, set_apart as u64);
    let procedures = match lang {
        Lang::En => plural(lang, v, "validated procedure", "validated procedures"),
        Lang::Fr => plural(lang, v, "intervention validée", "interventions validées"),
    };
    let others = match lang {
        Lang::En => plural(lang, o, "other case", "other cases"),
        Lang::Fr => plural(lang, o, "autre dossier", "autres dossiers"),
    };
    let line = match (lang, minutes) {
        (Lang::En, false) => format!("{path}: {validated} {procedures}"),
        (Lang::Fr, false) => format!("{path}\u{a0}: {validated} {procedures}"),
        (Lang::En, true) => {
            format!("{path}: minutes, {validated} {procedures}, {set_apart} {others} of the week")
        }
        (Lang::Fr, true) => format!(
            "{path}\u{a0}: compte rendu, {validated} {procedures}, {set_apart} {others} de la semaine"
        ),
    };
    crate::text::typo::finish(lang, crate::text::typo::Medium::Print, &line)
}

/// After `export-cases` to a file: where it went, how many procedures, and
/// that its key is its own and gone.
pub fn cases_exported(lang: Lang, path: &str, procedures: usize) -> String {
    use crate::text::typo::plural;
    let n = procedures as u64;
    let line = match lang {
        Lang::En => format!(
            "{path}: {procedures} {}, pseudonymised with a key of this extract's own, not kept",
            plural(lang, n, "procedure", "procedures")
        ),
        Lang::Fr => format!(
            "{path}\u{a0}: {procedures} {}, pseudonymisées avec une clé propre à cet extrait, non conservée",
            plural(lang, n, "intervention", "interventions")
        ),
    };
    crate::text::typo::finish(lang, crate::text::typo::Medium::Print, &line)
}

/// "8 validated procedures" / "1 intervention validée" (the programme's
/// time-zone line).
pub fn validated_count(lang: Lang, n: usize) -> String {
    let word = match lang {
        Lang::En => crate::text::typo::plural(
            lang,
            n as u64,
            "validated procedure",
            "validated procedures",
        ),
        Lang::Fr => crate::text::typo::plural(
            lang,
            n as u64,
            "intervention validée",
            "interventions validées",
        ),
    };
    format!("{n} {word}")
}

/// The roles short of the quorum, in words ("anaesthetist", "2 × anaesthetist").
pub fn quorum_missing(lang: Lang, missing: &[(crate::domain::roles::Role, u32)]) -> Vec<String> {
    missing
        .iter()
        .map(|(r, n)| match n {
            1 => r.label(lang).to_owned(),
            n => format!("{n} × {}", r.label(lang)),
        })
        .collect()
}

/// The minutes' line under who attended: whether the quorum held.
pub fn quorum_line(lang: Lang, missing: &[String]) -> String {
    let who = missing.join(", ");
    match (lang, missing.is_empty()) {
        (Lang::En, true) => "Quorum reached.".to_owned(),
        (Lang::Fr, true) => "Quorum atteint.".to_owned(),
        (Lang::En, false) => format!(
            "Quorum not reached (missing: {who}): the decisions below were taken without quorum."
        ),
        (Lang::Fr, false) => format!(
            "Quorum non atteint (manque\u{a0}: {who})\u{a0}: les décisions ci-dessous ont été prises sans quorum."
        ),
    }
}

/// A drug's name in `lang`: the name given for `other` when there is one.
pub fn drug(lang: Lang, drug: Drug, name: Option<&str>) -> String {
    match name {
        Some(n) if drug == Drug::Other && !n.trim().is_empty() => n.to_owned(),
        _ => crate::text::Label::label(drug, lang).to_owned(),
    }
}

/// A recorded planned last intake as a person reads it: `07/12` (and the
/// time when one was recorded) in French, ISO in English.
pub fn intake(lang: Lang, at: When) -> String {
    let day = match lang {
        Lang::Fr => at.date().format("%d/%m").to_string(),
        Lang::En => at.date().format("%Y-%m-%d").to_string(),
    };
    match at {
        When::Date(_) => day,
        When::DateTime(t) => format!("{day} {}", t.format("%H:%M")),
    }
}

/// "d'apixaban", "de rivaroxaban": the French elision before a vowel or h.
fn de(name: &str) -> String {
    let first = name.chars().next().map(|c| c.to_lowercase().to_string());
    let vowel = first.is_some_and(|c| "aeiouyhàâäéèêëîïôöùûü".contains(c.as_str()));
    if vowel {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// One drug's line of the ward instructions.
pub fn drug_line(lang: Lang, d: &DrugLine) -> String {
    let (drug_kind, name) = d.drug();
    let name = drug(lang, drug_kind, name);
    match (lang, d) {
        (Lang::En, DrugLine::Recorded { at, by, .. }) => format!(
            "planned last intake of {name}: {}, recorded by {by}",
            intake(lang, *at)
        ),
        (Lang::Fr, DrugLine::Recorded { at, by, .. }) => format!(
            "dernière prise {} prévue\u{a0}: {}, saisie par {by}",
            de(&name),
            intake(lang, *at)
        ),
        (Lang::En, DrugLine::Review { .. }) => format!("{name}: hold not compliant: to review"),
        (Lang::Fr, DrugLine::Review { .. }) => {
            format!("{name}\u{a0}: arrêt non conforme\u{a0}: à revoir")
        }
        (Lang::En, DrugLine::NotRecorded { .. }) => {
            format!("{name}: no planned last intake recorded")
        }
        (Lang::Fr, DrugLine::NotRecorded { .. }) => {
            format!("{name}\u{a0}: aucune dernière prise prévue saisie")
        }
    }
}

/// The ward instructions of a case, one line each: the drugs, the INR the
/// day before, the advisories. Empty when there is nothing to say.
pub fn ward_lines(lang: Lang, w: &Ward) -> Vec<String> {
    let mut out = Vec::new();
    if w.unchecked {
        out.push(
            match lang {
                Lang::En => "anticoagulants and antiplatelets not checked: to review",
                Lang::Fr => "anticoagulants et antiplaquettaires non vérifiés\u{a0}: à revoir",
            }
            .to_owned(),
        );
    }
    out.extend(w.drugs.iter().map(|d| drug_line(lang, d)));
    if w.inr_day_before {
        out.push(
            match lang {
                Lang::En => "INR the day before",
                Lang::Fr => "INR la veille",
            }
            .to_owned(),
        );
    }
    out.extend(w.advisories.iter().map(|m| m.render(lang)));
    out
}
