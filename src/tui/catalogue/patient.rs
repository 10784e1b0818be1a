//! The words of the patient's identity line in the detail, in French and
//! English.

use crate::domain::message::Lang;

/// Before the full birth date: "born 02/07/1956", "né(e) le 02/07/1956".
pub fn born(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "born",
        Lang::Fr => "né(e) le",
    }
}
