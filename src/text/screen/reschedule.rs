//! The strings of the reschedule form (`r` on a case to reschedule), in
//! French and English.

use crate::domain::message::Lang;

pub struct RescheduleTexts {
    pub title: &'static str,
    pub date: &'static str,
    pub time: &'static str,
    pub room: &'static str,
    /// Before the week it was postponed to.
    pub postponed_to: &'static str,
    /// Before its old slot.
    pub was: &'static str,
    /// What the form does, under the fields.
    pub why: &'static str,
    /// The forms a date is typed in.
    pub date_forms: &'static str,
}

const EN: RescheduleTexts = RescheduleTexts {
    title: "Reschedule",
    date: "Date",
    time: "Time",
    room: "Room",
    postponed_to: "Postponed to week",
    was: "was",
    why: "Saved, the case is pending in the new slot's week; its postponement stays in its \
          history. A re-import that still holds the old slot keeps this one.",
    date_forms: "YYYY-MM-DD or today",
};

const FR: RescheduleTexts = RescheduleTexts {
    title: "Reprogrammer",
    date: "Date",
    time: "Heure",
    room: "Salle",
    postponed_to: "Reporté à la semaine",
    was: "était le",
    why: "Enregistré, le dossier est en attente dans la semaine du nouveau créneau\u{a0}; son \
          report reste dans son historique. Une réimportation qui porte encore l'ancien créneau \
          garde celui-ci.",
    date_forms: "JJ/MM/AAAA, JJ/MM ou aujourd'hui",
};

pub fn reschedule_texts(lang: Lang) -> &'static RescheduleTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}
