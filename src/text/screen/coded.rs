//! The coded reason in the postpone and cancel dialogs (issue 15 §1), in
//! French and English.

use crate::domain::message::Lang;
use crate::domain::vocab::ReasonCode;

/// The field's title.
pub fn code_field(lang: Lang) -> &'static str {
    lang.pick("Coded reason", "Motif codé")
}

/// The field's line: the code chosen, or how to choose one (`keys`: the
/// keys that go through the codes, `tab`: the key that reaches the field).
pub fn code_value(lang: Lang, code: Option<ReasonCode>, tab: &str, keys: &str) -> String {
    match (code, lang) {
        (Some(c), _) => format!("‹ {} ›", crate::text::Label::label(c, lang)),
        (None, Lang::En) => format!("none yet ({tab} to here, then {keys} to choose)"),
        (None, Lang::Fr) => format!("aucun ({tab} jusqu'ici, puis {keys} pour choisir)"),
    }
}

/// Enter without a coded reason.
pub fn code_required(lang: Lang, tab: &str, keys: &str) -> String {
    match lang {
        Lang::En => format!("choose a coded reason: {tab} to its field, then {keys}"),
        Lang::Fr => format!("choisissez un motif codé\u{a0}: {tab} jusqu'à son champ, puis {keys}"),
    }
}
