//! Every string of the screen, in French and English. (Rule messages:
//! `domain/rules/message.rs`; report and command-line labels: `i18n.rs`.)

use crate::domain::message::Lang;
use crate::text::typo::plural;

mod board;
mod choices;
mod coded;
mod contextual;
mod export;
mod followups;
mod forms;
mod help;
mod keyed;
mod keys;
mod meeting;
mod narrow;
mod patient;
#[cfg(test)]
mod plural_tests;
mod procedure;
mod reschedule;
mod resolve;
pub mod rules_table;
mod zone;
pub use board::*;
pub use coded::*;
pub use contextual::*;
pub use export::*;
pub use followups::*;
pub use forms::*;
pub use help::*;
pub use keyed::*;
pub use keys::*;
pub use meeting::*;
pub use narrow::*;
pub use patient::*;
pub use procedure::*;
pub use reschedule::*;
pub use resolve::*;
pub use zone::*;

use crate::tui::action::Action;
use crate::tui::app::Filter;

pub struct Ui {
    pub title: &'static str,
    pub to_reschedule: &'static str,
    pub to_reschedule_short: &'static str,
    pub overridden_short: &'static str,
    pub col_time: &'static str,
    pub col_room: &'static str,
    pub col_patient: &'static str,
    pub col_technique: &'static str,
    pub col_technique_short: &'static str,
    /// ":" in English, U+00A0 ":" in French (`text::typo::colon`).
    pub colon: &'static str,
    pub col_target: &'static str,
    pub col_anaesthesia: &'static str,
    pub col_operator: &'static str,
    pub col_dossier: &'static str,
    pub col_scores: &'static str,
    pub col_status: &'static str,
    pub detail: &'static str,
    pub procedure: &'static str,
    pub dossier: &'static str,
    pub scores: &'static str,
    pub notes: &'static str,
    pub history: &'static str,
    pub none: &'static str,
    pub years: &'static str,
    pub risk: &'static str,
    pub help_title: &'static str,
    pub help_board: &'static str,
    pub help_dialog: &'static str,
    pub help_help: &'static str,
    pub help_markers: &'static str,
    pub markers: &'static str,
    pub search: &'static str,
    pub filter: &'static str,
    pub validated_but_blocking: &'static str,
    pub changed_elsewhere: &'static str,
    pub dlg_validate: &'static str,
    pub dlg_validate_hint: &'static str,
    pub dlg_postpone: &'static str,
    pub dlg_cancel: &'static str,
    pub dlg_note: &'static str,
    pub field_reason: &'static str,
    pub field_to_week: &'static str,
    pub field_justification: &'static str,
    pub field_note: &'static str,
    pub draft_restored: &'static str,
    pub saved_note: &'static str,
    pub nothing_selected: &'static str,
    pub pain_scale: &'static str,
    pub kept_as_draft: &'static str,
}

const EN: Ui = Ui {
    title: "IR validation committee",
    to_reschedule: "to reschedule",
    to_reschedule_short: "→ resched.",
    overridden_short: "✓ override",
    col_time: "Time",
    col_room: "Room",
    col_patient: "Patient",
    col_technique: "Technique",
    col_technique_short: "Tech.",
    colon: ":",
    col_target: "Target",
    col_anaesthesia: "Anaesth.",
    col_operator: "Operator",
    col_dossier: "I B C A K D M",
    col_scores: "Scores",
    col_status: "Decision",
    detail: "Case",
    procedure: "Procedure",
    dossier: "Dossier",
    scores: "Scores",
    notes: "Notes",
    history: "Decisions",
    none: "none",
    years: "y",
    risk: "bleeding risk",
    help_title: "Help",
    help_board: "Board",
    help_dialog: "In a dialog",
    help_help: "In this help",
    help_markers: "Dossier markers",
    markers: "I imaging · B biology · C coagulation · A anaesthesia · K consent · D delay · M medication — ✓ ok · ! advisory · ✗ blocking · – not required",
    search: "Search (name, IPP, case id or operator)",
    filter: "Filter",
    validated_but_blocking: "VALIDATED BUT NOW BLOCKING",
    changed_elsewhere: "changed elsewhere",
    dlg_validate: "Validate with blocking items",
    dlg_validate_hint: "This case has blocking items. Validating it anyway is an override: say why.",
    dlg_postpone: "Postpone",
    dlg_cancel: "Cancel the procedure",
    dlg_note: "Add a note",
    field_reason: "Reason",
    field_to_week: "Target week",
    field_justification: "Justification",
    field_note: "Note",
    draft_restored: "Your unfinished text was restored.",
    saved_note: "Note saved.",
    nothing_selected: "No case selected.",
    pain_scale: "Pain (VAS)",
    kept_as_draft: "Closed without saving; your text is kept: the same key on this case brings it back.",
};

const FR: Ui = Ui {
    title: "Comité de validation RI",
    to_reschedule: "à reprogrammer",
    to_reschedule_short: "→ à reprog.",
    overridden_short: "✓ dérog.",
    col_time: "Heure",
    col_room: "Salle",
    col_patient: "Patient",
    col_technique: "Technique",
    col_technique_short: "Tech.",
    colon: "\u{a0}:",
    col_target: "Cible",
    col_anaesthesia: "Anesth.",
    col_operator: "Opérateur",
    col_dossier: "I B C A K D M",
    col_scores: "Scores",
    col_status: "Décision",
    detail: "Dossier",
    procedure: "Intervention",
    dossier: "Dossier",
    scores: "Scores",
    notes: "Notes",
    history: "Décisions",
    none: "aucune",
    years: "ans",
    risk: "risque hémorragique",
    help_title: "Aide",
    help_board: "Tableau",
    help_dialog: "Dans une fenêtre de saisie",
    help_help: "Dans cette aide",
    help_markers: "Repères du dossier",
    markers: "I imagerie · B biologie · C coagulation · A anesthésie · K consentement · D délai · M traitements — ✓ conforme · ! à signaler · ✗ bloquant · – non requis",
    search: "Recherche (nom, IPP, n° de dossier ou opérateur)",
    filter: "Filtre",
    validated_but_blocking: "VALIDÉ MAIS DÉSORMAIS BLOQUANT",
    changed_elsewhere: "modifié ailleurs",
    dlg_validate: "Valider malgré des éléments bloquants",
    dlg_validate_hint: "Ce dossier a des éléments bloquants. Le valider quand même est une dérogation\u{a0}: dites pourquoi.",
    dlg_postpone: "Reporter",
    dlg_cancel: "Annuler l'intervention",
    dlg_note: "Ajouter une note",
    field_reason: "Motif",
    field_to_week: "Semaine cible",
    field_justification: "Justification",
    field_note: "Note",
    draft_restored: "Votre texte inachevé a été restauré.",
    saved_note: "Note enregistrée.",
    nothing_selected: "Aucun dossier sélectionné.",
    pain_scale: "Douleur (EVA)",
    kept_as_draft: "Fermé sans enregistrer\u{a0}; votre texte est gardé\u{a0}: la même touche sur ce dossier le rappelle.",
};

/// The keys of the open detail on the status line: the key names are the
/// key table's labels (`DETAIL_KEYS`), never spelt here.
pub fn detail_keys(lang: Lang) -> String {
    use crate::tui::keys::DETAIL_KEYS;
    let [up, down, page_up, page_down, top, end, back] = DETAIL_KEYS.map(|(k, _)| k.label(lang));
    match lang {
        Lang::En => format!(
            "{up}/{down} {page_up}/{page_down} scroll the case · {top}/{end} top/end · {back} back to the board"
        ),
        Lang::Fr => format!(
            "{up}/{down} {page_up}/{page_down} font défiler le dossier · {top}/{end} début/fin · {back} revient au tableau"
        ),
    }
}

pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// What an action does, for the help and the status line.
pub fn action(lang: Lang, a: Action) -> &'static str {
    use Action::*;
    match (lang, a) {
        (Lang::En, Down) => "next case",
        (Lang::En, Up) => "previous case",
        (Lang::En, Top) => "first case",
        (Lang::En, Bottom) => "last case",
        (Lang::En, PageDown) => "page down",
        (Lang::En, PageUp) => "page up",
        (Lang::En, PrevWeek) => "previous week",
        (Lang::En, NextWeek) => "next week",
        (Lang::En, Open) => "open the case",
        (Lang::En, Close) => "close, or clear the search, or show every day, room and operator",
        (Lang::En, Validate) => "validate",
        (Lang::En, Postpone) => "postpone",
        (Lang::En, Cancel) => "cancel the procedure",
        (Lang::En, Undo) => "undo the case's last decision",
        (Lang::En, Nod) => "validate the pending cases with nothing to discuss",
        (Lang::En, Note) => "add a note",
        (Lang::En, Order) => "change the board's order (shown in the header)",
        (Lang::En, Search) => "search",
        (Lang::En, Filter) => "change the filter",
        (Lang::En, Narrow) => "show one day, room or operator only",
        (Lang::En, Help) => "help",
        (Lang::En, Quit) => "quit",
        (Lang::En, Submit) => "save",
        (Lang::En, Dismiss) => "close without saving",
        (Lang::En, NewLine) => "new line",
        (Lang::En, NextField) => "next field",
        (Lang::En, Edit) => "record or correct a dossier item",
        (Lang::En, Rules) => "the rules table (changes: chair)",
        (Lang::En, PrevField) => "previous field",
        (Lang::En, AddLine) => "add a line (drug, examination, lesion, level)",
        (Lang::En, RemoveLine) => "remove this line",
        (Lang::En, ChoiceNext) => "next choice",
        (Lang::En, ChoicePrev) => "previous choice",
        (Lang::En, ChoiceClear) => "empty the choice",
        (Lang::En, KeepTheirs) => "keep theirs (drop your changes)",
        (Lang::En, Reapply) => "reapply yours on top of theirs and save",
        (Lang::En, BackToEditing) => "back to the form (yours on top of theirs, not saved yet)",
        (Lang::En, Attendance) => "who attends this week's meeting (chair)",
        (Lang::En, Export) => "export the programme or the minutes",
        (Lang::En, Instructions) => "write the case's instruction sheet here",
        (Lang::En, Toggle) => "tick or untick",
        (Lang::En, Revert) => "back to what is saved (drops your changes and the draft)",
        (Lang::En, Resolve) => "keep or take the case's conflicting values on file",
        (Lang::En, KeepStored) => "keep the stored value (the file's is dropped)",
        (Lang::En, TakeFile) => "take the file's value (it replaces the stored one)",
        (Lang::En, Tasks) => "the chase list of the week: who must do what by when",
        (Lang::En, Mine) => "only my role's tasks, or all",
        (Lang::En, Stats) => "the committee's indicators over the last months",
        (Lang::En, Span) => "the next span of months (12, 24, 6, 3)",
        (Lang::En, Reschedule) => "give a postponed case its new date, time and room",
        (Lang::En, FollowUps) => "follow-up calls due and overdue, per operator",
        (Lang::En, AckIdentity) => "identity changed by the hospital system: checked",
        (Lang::En, AckResult) => "unusable laboratory results: listed, one chosen, checked",
        (Lang::En, Day) => "the day of the procedure: done or not, complication",
        (Lang::Fr, Down) => "dossier suivant",
        (Lang::Fr, Up) => "dossier précédent",
        (Lang::Fr, Top) => "premier dossier",
        (Lang::Fr, Bottom) => "dernier dossier",
        (Lang::Fr, PageDown) => "page suivante",
        (Lang::Fr, PageUp) => "page précédente",
        (Lang::Fr, PrevWeek) => "semaine précédente",
        (Lang::Fr, NextWeek) => "semaine suivante",
        (Lang::Fr, Open) => "ouvrir le dossier",
        (Lang::Fr, Close) => {
            "fermer, ou effacer la recherche, ou afficher tous les jours, salles et opérateurs"
        }
        (Lang::Fr, Validate) => "valider",
        (Lang::Fr, Postpone) => "reporter",
        (Lang::Fr, Cancel) => "annuler l'intervention",
        (Lang::Fr, Undo) => "défaire la dernière décision du dossier",
        (Lang::Fr, Nod) => "valider les dossiers sans rien à discuter",
        (Lang::Fr, Note) => "ajouter une note",
        (Lang::Fr, Order) => "changer l'ordre du tableau (affiché en tête)",
        (Lang::Fr, Search) => "rechercher",
        (Lang::Fr, Filter) => "changer de filtre",
        (Lang::Fr, Narrow) => "n'afficher qu'un jour, une salle ou un opérateur",
        (Lang::Fr, Help) => "aide",
        (Lang::Fr, Quit) => "quitter",
        (Lang::Fr, Submit) => "enregistrer",
        (Lang::Fr, Dismiss) => "fermer sans enregistrer",
        (Lang::Fr, NewLine) => "nouvelle ligne",
        (Lang::Fr, NextField) => "champ suivant",
        (Lang::Fr, Edit) => "saisir ou corriger un élément du dossier",
        (Lang::Fr, Rules) => "la table des règles (modification\u{a0}: président)",
        (Lang::Fr, PrevField) => "champ précédent",
        (Lang::Fr, AddLine) => "ajouter une ligne (traitement, examen, lésion, niveau)",
        (Lang::Fr, RemoveLine) => "retirer cette ligne",
        (Lang::Fr, ChoiceNext) => "choix suivant",
        (Lang::Fr, ChoicePrev) => "choix précédent",
        (Lang::Fr, ChoiceClear) => "vider le choix",
        (Lang::Fr, KeepTheirs) => "garder le sien (abandonner vos modifications)",
        (Lang::Fr, Reapply) => "réappliquer les vôtres par-dessus et enregistrer",
        (Lang::Fr, BackToEditing) => {
            "revenir au formulaire (les vôtres par-dessus, pas encore enregistré)"
        }
        (Lang::Fr, Attendance) => "présents à la séance de la semaine (président)",
        (Lang::Fr, Export) => "exporter le programme ou le compte rendu",
        (Lang::Fr, Instructions) => "écrire la fiche de consignes ici",
        (Lang::Fr, Toggle) => "cocher ou décocher",
        (Lang::Fr, Revert) => {
            "revenir à ce qui est enregistré (abandonne votre saisie et le brouillon)"
        }
        (Lang::Fr, Resolve) => "garder ou prendre les valeurs du fichier en conflit",
        (Lang::Fr, KeepStored) => "garder la valeur enregistrée (celle du fichier est écartée)",
        (Lang::Fr, TakeFile) => "prendre la valeur du fichier (elle remplace l'enregistrée)",
        (Lang::Fr, Tasks) => {
            "la liste des relances de la semaine\u{a0}: qui doit faire quoi, et quand"
        }
        (Lang::Fr, Mine) => "seulement les relances de mon rôle, ou toutes",
        (Lang::Fr, Stats) => "les indicateurs du comité sur les derniers mois",
        (Lang::Fr, Span) => "la durée suivante en mois (12, 24, 6, 3)",
        (Lang::Fr, Reschedule) => "donner à un dossier reporté sa date, son heure et sa salle",
        (Lang::Fr, FollowUps) => "appels de suivi à faire et en retard, par opérateur",
        (Lang::Fr, AckIdentity) => "identité modifiée par le SIH\u{a0}: vérifiée",
        (Lang::Fr, AckResult) => {
            "résultats du laboratoire inutilisables\u{a0}: listés, un choisi, vérifié"
        }
        (Lang::Fr, Day) => "le jour du geste\u{a0}: réalisé ou non, complication",
    }
}

pub fn filter(lang: Lang, f: Filter) -> &'static str {
    match (lang, f) {
        (Lang::En, Filter::All) => "all",
        (Lang::En, Filter::Incomplete) => "incomplete",
        (Lang::En, Filter::Pending) => "pending",
        (Lang::En, Filter::Validated) => "validated",
        (Lang::En, Filter::Postponed) => "postponed",
        (Lang::En, Filter::Cancelled) => "cancelled",
        (Lang::En, Filter::ToReschedule) => "to reschedule",
        (Lang::Fr, Filter::All) => "tous",
        (Lang::Fr, Filter::Incomplete) => "incomplets",
        (Lang::Fr, Filter::Pending) => "en attente",
        (Lang::Fr, Filter::Validated) => "validés",
        (Lang::Fr, Filter::Postponed) => "reportés",
        (Lang::Fr, Filter::Cancelled) => "annulés",
        (Lang::Fr, Filter::ToReschedule) => "à reprogrammer",
    }
}

/// "Terminal too small: 70×20, need 80×24".
pub fn too_small(lang: Lang, w: u16, h: u16, need_w: u16, need_h: u16) -> String {
    match lang {
        Lang::En => format!("Terminal too small: {w}×{h}, need {need_w}×{need_h}"),
        Lang::Fr => format!("Terminal trop petit\u{a0}: {w}×{h}, il faut {need_w}×{need_h}"),
    }
}

/// The short name of an action for the status line.
pub fn hint(lang: Lang, a: Action) -> &'static str {
    use Action::*;
    match (lang, a) {
        (Lang::En, Validate) => "validate",
        (Lang::En, Postpone) => "postpone",
        (Lang::En, Cancel) => "cancel",
        (Lang::En, Undo) => "undo",
        (Lang::En, Nod) => "validate all clear",
        (Lang::En, Note) => "note",
        (Lang::En, Search) => "search",
        (Lang::En, Filter) => "filter",
        (Lang::En, Narrow) => "day/room/operator",
        (Lang::En, Order) => "order",
        (Lang::En, Help) => "help",
        (Lang::En, Quit) => "quit",
        (Lang::En, Submit) => "save",
        (Lang::En, Dismiss) => "close",
        (Lang::En, NewLine) => "new line",
        (Lang::En, NextField) => "next field",
        (Lang::En, Close) => "close",
        (Lang::En, Open) => "open",
        (Lang::En, Edit) => "edit",
        (Lang::En, Rules) => "rules",
        (Lang::En, Attendance) => "attendance",
        (Lang::En, Export) => "export",
        (Lang::En, Instructions) => "sheet",
        (Lang::En, Toggle) => "tick",
        (Lang::En, Revert) => "revert",
        (Lang::En, KeepTheirs) => "keep theirs",
        (Lang::En, Reapply) => "reapply mine",
        (Lang::En, BackToEditing) => "back to editing",
        (Lang::En, Resolve) => "file conflict",
        (Lang::En, KeepStored) => "keep stored",
        (Lang::En, TakeFile) => "take file's",
        (Lang::En, Tasks) => "tasks",
        (Lang::En, Mine) => "mine / all",
        (Lang::En, Stats) => "indicators",
        (Lang::En, Span) => "months",
        (Lang::En, Reschedule) => "reschedule",
        (Lang::En, FollowUps) => "follow-ups",
        (Lang::En, AckIdentity) => "identity checked",
        (Lang::En, AckResult) => "lab results…",
        (Lang::En, Day) => "day of procedure",
        (Lang::Fr, Validate) => "valider",
        (Lang::Fr, Postpone) => "reporter",
        (Lang::Fr, Cancel) => "annuler",
        (Lang::Fr, Undo) => "défaire",
        (Lang::Fr, Nod) => "valider les sans-alerte",
        (Lang::Fr, Note) => "note",
        (Lang::Fr, Search) => "chercher",
        (Lang::Fr, Filter) => "filtre",
        (Lang::Fr, Narrow) => "jour/salle/opérateur",
        (Lang::Fr, Order) => "ordre",
        (Lang::Fr, Help) => "aide",
        (Lang::Fr, Quit) => "quitter",
        (Lang::Fr, Submit) => "enregistrer",
        (Lang::Fr, Dismiss) => "fermer",
        (Lang::Fr, NewLine) => "nouvelle ligne",
        (Lang::Fr, NextField) => "champ suivant",
        (Lang::Fr, Close) => "fermer",
        (Lang::Fr, Open) => "ouvrir",
        (Lang::Fr, Edit) => "saisir",
        (Lang::Fr, Rules) => "règles",
        (Lang::Fr, Attendance) => "présents",
        (Lang::Fr, Export) => "exporter",
        (Lang::Fr, Instructions) => "fiche",
        (Lang::Fr, Toggle) => "cocher",
        (Lang::Fr, Revert) => "annuler la saisie",
        (Lang::Fr, KeepTheirs) => "garder le sien",
        (Lang::Fr, Reapply) => "réappliquer le mien",
        (Lang::Fr, BackToEditing) => "revenir à la saisie",
        (Lang::Fr, Resolve) => "conflit fichier",
        (Lang::Fr, KeepStored) => "garder l'enregistrée",
        (Lang::Fr, TakeFile) => "prendre celle du fichier",
        (Lang::Fr, Tasks) => "relances",
        (Lang::Fr, Mine) => "les miennes / toutes",
        (Lang::Fr, Stats) => "indicateurs",
        (Lang::Fr, Span) => "mois",
        (Lang::Fr, Reschedule) => "reprogrammer",
        (Lang::Fr, FollowUps) => "suivis",
        (Lang::Fr, AckIdentity) => "identité vérifiée",
        (Lang::Fr, AckResult) => "résultats labo…",
        (Lang::Fr, Day) => "jour du geste",
        (lang, other) => action(lang, other),
    }
}

/// At start: texts left unfinished (the link dropped) are waiting.
pub fn drafts_waiting(lang: Lang, n: usize, ids: &[String]) -> String {
    let ids = ids.join(", ");
    let count = n as u64;
    match lang {
        Lang::En => format!(
            "{n} {} kept for you ({ids}): open the same dialog to get {} back.",
            plural(lang, count, "unfinished text", "unfinished texts"),
            plural(lang, count, "it", "them")
        ),
        Lang::Fr => format!(
            "{n} {} ({ids})\u{a0}: rouvrez la même fenêtre pour {}.",
            plural(
                lang,
                count,
                "texte inachevé conservé",
                "textes inachevés conservés"
            ),
            plural(lang, count, "le retrouver", "les retrouver")
        ),
    }
}

/// When consultations shown could not be written to the read trace.
/// A dossier item stored in a shape the form cannot read (`detail`: the
/// parser's words, technical).
pub fn stored_unreadable(lang: Lang, detail: &str) -> String {
    let detail = crate::domain::text::sanitize_line(detail);
    match lang {
        Lang::En => format!("The stored item cannot be read ({detail}): nothing was changed."),
        Lang::Fr => {
            format!("L'élément enregistré est illisible ({detail})\u{a0}: rien n'a été modifié.")
        }
    }
}

/// Why consultations were not traced when no write failed (the writer
/// stopped first).
pub fn not_written(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "not written",
        Lang::Fr => "non écrites",
    }
}

pub fn untraced(lang: Lang, n: usize, why: &str) -> String {
    let count = n as u64;
    match lang {
        Lang::En => format!(
            "{n} {} could not be recorded: {why}",
            plural(lang, count, "consultation shown", "consultations shown")
        ),
        Lang::Fr => format!(
            "{n} {}\u{a0}: {why}",
            plural(
                lang,
                count,
                "consultation affichée n'a pas pu être enregistrée",
                "consultations affichées n'ont pas pu être enregistrées"
            )
        ),
    }
}

/// After a reload: which cases others changed.
pub fn changed_by_others(lang: Lang, ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(4).map(String::as_str).collect();
    let more = if ids.len() > 4 {
        format!(" (+{})", ids.len() - 4)
    } else {
        String::new()
    };
    match lang {
        Lang::En => format!("Changed elsewhere (marked *): {}{more}", shown.join(", ")),
        Lang::Fr => format!(
            "Modifié ailleurs (marqué *)\u{a0}: {}{more}",
            shown.join(", ")
        ),
    }
}

/// At start, for a login the file does not know, or a disabled user.
pub fn read_only(lang: Lang, login: &str, disabled: bool) -> String {
    let login = crate::domain::text::sanitize_line(login);
    match (lang, disabled) {
        (Lang::En, true) => format!(
            "Read-only: {login} is a disabled user of this file (a chair can enable you again: ir-committee users set-role)."
        ),
        (Lang::Fr, true) => format!(
            "Lecture seule\u{a0}: {login} est un utilisateur désactivé de ce fichier (un président peut vous réactiver\u{a0}: ir-committee users set-role)."
        ),
        (Lang::En, false) => format!(
            "Read-only: {login} is not a registered user of this file (a chair can add you: ir-committee users add)."
        ),
        (Lang::Fr, false) => format!(
            "Lecture seule\u{a0}: {login} n'est pas un utilisateur de ce fichier (un président peut vous ajouter\u{a0}: ir-committee users add)."
        ),
    }
}

/// Why a key does nothing for this role (`disabled`: a user a chair
/// disabled, whose role is then None).
pub fn not_allowed(
    lang: Lang,
    role: Option<crate::domain::roles::Role>,
    disabled: bool,
    p: crate::domain::roles::Permission,
) -> String {
    let who: Vec<&str> = p.roles().iter().map(|r| r.label(lang)).collect();
    let who = who.join(", ");
    match (lang, role) {
        (Lang::En, Some(r)) => format!("Not for your role ({}): allowed for {who}.", r.label(lang)),
        (Lang::En, None) if disabled => {
            format!("Read-only: you are a disabled user of this file. Allowed for {who}.")
        }
        (Lang::Fr, None) if disabled => {
            format!(
                "Lecture seule\u{a0}: vous êtes un utilisateur désactivé de ce fichier. Réservé à {who}."
            )
        }
        (Lang::En, None) => format!("Read-only: you are not a registered user. Allowed for {who}."),
        (Lang::Fr, Some(r)) => {
            format!(
                "Pas pour votre rôle ({})\u{a0}: réservé à {who}.",
                r.label(lang)
            )
        }
        (Lang::Fr, None) => {
            format!("Lecture seule\u{a0}: vous n'êtes pas utilisateur. Réservé à {who}.")
        }
    }
}
