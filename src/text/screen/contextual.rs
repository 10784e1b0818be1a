//! The words of an action in a context where the board's would mislead:
//! its description in the help and its short name on the status line.

use crate::domain::message::Lang;

/// What an action does in a context where the board's words would mislead
/// (the help and the status line use this); else [`super::action`].
pub fn action_in(
    lang: Lang,
    context: crate::tui::keys::Context,
    a: crate::tui::action::Action,
) -> &'static str {
    use crate::tui::action::Action as A;
    use crate::tui::keys::Context as C;
    let fr = lang == Lang::Fr;
    match (context, a) {
        (C::Nod, A::Submit) if fr => {
            "les valider, chacun vérifié de nouveau (les autres sont nommés)"
        }
        (C::Nod, A::Submit) => "validate them, each checked again (the others are named)",
        (C::Nod, A::Dismiss) if fr => "fermer\u{a0}; rien de plus n'est validé",
        (C::Nod, A::Dismiss) => "close; nothing more is validated",
        (C::LabAck, A::Submit) if fr => {
            "valider le résultat marqué ▶, lui seul (refusé si la liste a changé depuis son affichage)"
        }
        (C::LabAck, A::Submit) => {
            "acknowledge the result marked ▶, that one only (refused if the list changed since it was shown)"
        }
        (C::LabAck, A::Dismiss) if fr => "fermer\u{a0}; rien n'est validé",
        (C::LabAck, A::Dismiss) => "close; nothing is acknowledged",
        (C::LabAck, A::Down) if fr => "marquer le résultat suivant",
        (C::LabAck, A::Down) => "mark the next result",
        (C::LabAck, A::Up) if fr => "marquer le résultat précédent",
        (C::LabAck, A::Up) => "mark the previous result",
        (C::Search, A::Submit) if fr => "garder la recherche",
        (C::Search, A::Submit) => "keep the search",
        (C::Search, A::Dismiss) if fr => "effacer la recherche",
        (C::Search, A::Dismiss) => "clear the search",
        (C::Search, A::Up) if fr => "reprendre la recherche précédente",
        (C::Search, A::Up) => "bring back the previous search",
        (C::Picker, A::Down) if fr => "formulaire suivant",
        (C::Picker, A::Down) => "next form",
        (C::Picker, A::Up) if fr => "formulaire précédent",
        (C::Picker, A::Up) => "previous form",
        (C::Picker, A::Open) if fr => "ouvrir le formulaire",
        (C::Picker, A::Open) => "open the form",
        (C::Picker | C::Rules | C::Resolve, A::Close) if fr => "revenir au tableau",
        (C::Picker | C::Rules | C::Resolve, A::Close) => "back to the board",
        (C::Stats, A::Down) if fr => "descendre d'une ligne",
        (C::Stats, A::Down) => "scroll down a line",
        (C::Stats, A::Up) if fr => "remonter d'une ligne",
        (C::Stats, A::Up) => "scroll up a line",
        (C::Stats, A::Top) if fr => "début des tableaux",
        (C::Stats, A::Top) => "top of the tables",
        (C::Stats, A::Bottom) if fr => "fin des tableaux",
        (C::Stats, A::Bottom) => "end of the tables",
        (C::Stats, A::Close) if fr => "revenir au tableau",
        (C::Stats, A::Close) => "back to the board",
        (C::Resolve, A::Down) if fr => "valeur suivante",
        (C::Resolve, A::Down) => "next value",
        (C::Resolve, A::Up) if fr => "valeur précédente",
        (C::Resolve, A::Up) => "previous value",
        (C::ResolveConfirm, A::Submit) if fr => {
            "oui\u{a0}: garder ou prendre, comme choisi (tracé)"
        }
        (C::ResolveConfirm, A::Submit) => "yes: keep or take, as chosen (audited)",
        (C::ResolveConfirm, A::Dismiss) if fr => "non\u{a0}: revenir à la liste, rien n'est écrit",
        (C::ResolveConfirm, A::Dismiss) => "no: back to the list, nothing written",
        (C::Rules, A::Down) if fr => "règle suivante",
        (C::Rules, A::Down) => "next rule",
        (C::Rules, A::Up) if fr => "règle précédente",
        (C::Rules, A::Up) => "previous rule",
        (C::Rules, A::Submit) if fr => "changer la valeur (président)",
        (C::Rules, A::Submit) => "change the value (chair)",
        (C::Help, A::Down) if fr => "faire défiler vers le bas",
        (C::Help, A::Down) => "scroll down",
        (C::Help, A::Up) if fr => "faire défiler vers le haut",
        (C::Help, A::Up) => "scroll up",
        (C::Help, A::PageDown) if fr => "une page plus bas",
        (C::Help, A::PageDown) => "one page down",
        (C::Help, A::PageUp) if fr => "une page plus haut",
        (C::Help, A::PageUp) => "one page up",
        (C::Help, A::Top) if fr => "au début de l'aide",
        (C::Help, A::Top) => "to the top of the help",
        (C::Help, A::Bottom) if fr => "à la fin de l'aide",
        (C::Help, A::Bottom) => "to the end of the help",
        (C::Help, A::Close) if fr => "fermer l'aide",
        (C::Help, A::Close) => "close the help",
        (C::Form | C::Choice, A::Dismiss) if fr => {
            "fermer\u{a0}; votre saisie est gardée en brouillon"
        }
        (C::Form | C::Choice, A::Dismiss) => "close; what you typed is kept as a draft",
        (C::Procedure, A::Dismiss) if fr => {
            "fermer\u{a0}; un choix non enregistré est demandé une seconde fois"
        }
        (C::Procedure, A::Dismiss) => "close; an unsaved choice is asked about once more",
        (C::Form | C::Choice, A::NewLine) if fr => "nouvelle ligne (champs sur plusieurs lignes)",
        (C::Form | C::Choice, A::NewLine) => "new line (fields on several lines)",
        (C::Dialog, A::NextField) if fr => "passer à l'autre champ",
        (C::Dialog, A::NextField) => "switch field",
        (C::Attendance, A::ChoiceNext) if fr => "rôle suivant (nom tapé, pour le quorum)",
        (C::Attendance, A::ChoiceNext) => "next role (typed name, for the quorum)",
        (C::Attendance, A::ChoicePrev) if fr => "rôle précédent (nom tapé)",
        (C::Attendance, A::ChoicePrev) => "previous role (typed name)",
        (C::Attendance, A::Down) if fr => "personne suivante",
        (C::Attendance, A::Down) => "next person",
        (C::Attendance | C::AttendanceName, A::Up) if fr => "personne précédente",
        (C::Attendance | C::AttendanceName, A::Up) => "previous person",
        (C::AttendanceName, A::Submit) if fr => "ajouter le nom tapé, ou enregistrer",
        (C::AttendanceName, A::Submit) => "add the typed name, or save",
        (C::Export | C::ExportFile, A::Submit) if fr => "exporter",
        (C::Export | C::ExportFile, A::Submit) => "export",
        (C::Export | C::ExportFile, A::Dismiss) if fr => "fermer sans exporter",
        (C::Export | C::ExportFile, A::Dismiss) => "close without exporting",
        (C::Export, A::ChoiceNext) if fr => "changer le choix",
        (C::Export, A::ChoiceNext) => "change the choice",
        (C::Narrow, A::Down) if fr => "ligne suivante",
        (C::Narrow, A::Down) => "next line",
        (C::Narrow, A::Up) if fr => "ligne précédente",
        (C::Narrow, A::Up) => "previous line",
        (C::Narrow, A::Submit) if fr => {
            "n'afficher que ces dossiers (la première ligne\u{a0}: tous)"
        }
        (C::Narrow, A::Submit) => "show only these cases (the first line: all)",
        (C::Narrow, A::Close) if fr => "revenir au tableau sans rien changer",
        (C::Narrow, A::Close) => "back to the board, nothing changed",
        (C::FollowUps, A::Down) if fr => "appel suivant",
        (C::FollowUps, A::Down) => "next call",
        (C::FollowUps, A::Up) if fr => "appel précédent",
        (C::FollowUps, A::Up) => "previous call",
        (C::FollowUps, A::Open) if fr => "saisir cet appel (joint ou non, douleur, antalgiques)",
        (C::FollowUps, A::Open) => "record this call (reached or not, pain, analgesics)",
        (C::FollowUps, A::Mine) if fr => "seulement les gestes de mes opérateurs reliés, ou tous",
        (C::FollowUps, A::Mine) => "only my linked operators' procedures, or all",
        (C::FollowUps, A::Close) if fr => "revenir au tableau",
        (C::FollowUps, A::Close) => "back to the board",
        (C::FollowUpForm, A::Submit) if fr => "enregistrer l'appel (tracé)",
        (C::FollowUpForm, A::Submit) => "record the call (audited)",
        (C::FollowUpForm, A::Dismiss) if fr => {
            "revenir à la liste (une saisie changée demande confirmation)"
        }
        (C::FollowUpForm, A::Dismiss) => "back to the list (a changed form asks once more)",
        (C::FollowUpForm, A::ChoiceNext) if fr => {
            "choix suivant (champ tapé\u{a0}: curseur à droite)"
        }
        (C::FollowUpForm, A::ChoiceNext) => "next choice (a typed field: cursor right)",
        (C::FollowUpForm, A::ChoicePrev) if fr => {
            "choix précédent (champ tapé\u{a0}: curseur à gauche)"
        }
        (C::FollowUpForm, A::ChoicePrev) => "previous choice (a typed field: cursor left)",
        _ => super::action(lang, a),
    }
}

/// In the help: choosing by letter.
pub fn letter_choice(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "a letter: the next choice starting with it (as shown on screen)",
        Lang::Fr => "une lettre\u{a0}: le choix suivant qui commence par elle (tel qu'affiché)",
    }
}

/// The short name of an action on the status line, in its context.
pub fn hint_in(
    lang: Lang,
    context: crate::tui::keys::Context,
    a: crate::tui::action::Action,
) -> &'static str {
    use crate::tui::action::Action as A;
    use crate::tui::keys::Context as C;
    let fr = lang == Lang::Fr;
    match (context, a) {
        (C::Dialog | C::DialogChoice, A::Dismiss) => super::action(lang, a),
        (C::DialogChoice, A::ChoiceNext) if fr => "motif suivant",
        (C::DialogChoice, A::ChoiceNext) => "next reason",
        (C::DialogChoice, A::ChoicePrev) if fr => "motif précédent",
        (C::DialogChoice, A::ChoicePrev) => "previous reason",
        (C::LabAck, A::Submit) if fr => "valider celui choisi",
        (C::LabAck, A::Submit) => "acknowledge the one chosen",
        (C::LabAck, A::Dismiss) if fr => "annuler (rien de validé)",
        (C::LabAck, A::Dismiss) => "cancel (nothing acknowledged)",
        (C::LabAck, A::Down) if fr => "résultat suivant",
        (C::LabAck, A::Down) => "next result",
        (C::LabAck, A::Up) if fr => "résultat précédent",
        (C::LabAck, A::Up) => "previous result",
        (C::Nod, A::Submit) if fr => "tout valider",
        (C::Nod, A::Submit) => "validate all",
        (C::Nod, A::Dismiss) if fr => "fermer",
        (C::Nod, A::Dismiss) => "close",
        (C::Attendance, A::ChoiceNext) if fr => "rôle",
        (C::Attendance, A::ChoiceNext) => "role",
        (C::Rules, A::Submit) if fr => "modifier",
        (C::Rules, A::Submit) => "change",
        (C::AttendanceName, A::Submit) if fr => "ajouter / enregistrer",
        (C::AttendanceName, A::Submit) => "add / save",
        (C::Export | C::ExportFile, A::Submit) if fr => "exporter",
        (C::Export | C::ExportFile, A::Submit) => "export",
        (C::ResolveConfirm, A::Submit) if fr => "oui",
        (C::ResolveConfirm, A::Submit) => "yes",
        (C::ResolveConfirm, A::Dismiss) if fr => "non",
        (C::ResolveConfirm, A::Dismiss) => "no",
        (C::Form | C::Choice, A::Dismiss) if fr => "fermer (brouillon gardé)",
        (C::Form | C::Choice, A::Dismiss) => "close (draft kept)",
        (C::Procedure, A::ChoiceNext) if fr => "abord suivant",
        (C::Procedure, A::ChoiceNext) => "next access",
        (C::Procedure, A::ChoiceClear) if fr => "non renseigné",
        (C::Procedure, A::ChoiceClear) => "not recorded",
        (C::Narrow, A::Submit) if fr => "afficher",
        (C::Narrow, A::Submit) => "show",
        (C::FollowUps, A::Open) if fr => "saisir l'appel",
        (C::FollowUps, A::Open) => "record the call",
        (C::FollowUps, A::Mine) if fr => "les miens / tous",
        (C::FollowUps, A::Mine) => "mine / all",
        (C::FollowUpForm, A::ChoiceNext) if fr => "choix",
        (C::FollowUpForm, A::ChoiceNext) => "choice",
        _ => super::hint(lang, a),
    }
}
