//! The strings of the procedure form (the access route), in French and
//! English.

use crate::domain::message::Lang;

pub struct ProcedureTexts {
    /// The form's name (picker, title).
    pub title: &'static str,
    pub access: &'static str,
    pub saved_as: &'static str,
    pub by: &'static str,
    /// What the access changes.
    pub why: &'static str,
}

const EN: ProcedureTexts = ProcedureTexts {
    title: "Procedure (access route)",
    access: "Access route",
    saved_as: "Saved:",
    by: "by",
    why: "An arterial procedure's low-risk INR threshold depends on its access (rules table, \
          coagulation.inr_max_arterial); an embolisation with no access recorded is judged with \
          the strictest one. A re-import without an access keeps the one recorded here.",
};

const FR: ProcedureTexts = ProcedureTexts {
    title: "Procédure (voie d'abord)",
    access: "Voie d'abord",
    saved_as: "Enregistré\u{a0}:",
    by: "par",
    why: "Le seuil d'INR à faible risque d'un geste artériel dépend de l'abord (table des règles, \
          coagulation.inr_max_arterial)\u{a0}; une embolisation sans abord renseigné est jugée avec \
          le plus strict. Une réimportation sans abord garde celui renseigné ici.",
};

pub fn procedure_texts(lang: Lang) -> &'static ProcedureTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}
