//! Typed errors in words. The library's errors stay data (thiserror enums
//! without messages of their own); their `Display` is the English
//! rendering from here, and [`Localized::in_lang`] is what a person reads.

use super::Lang;

pub mod export;
pub mod import;
pub mod misc;
pub mod rules;
pub mod storage;

/// An error as a person reads it, in their language.
pub trait Localized {
    fn in_lang(&self, lang: Lang) -> String;
}

impl Localized for crate::decide::DecideError {
    fn in_lang(&self, lang: Lang) -> String {
        super::decide::decide_refusal(lang, self)
    }
}

impl Localized for crate::storage::StorageError {
    fn in_lang(&self, lang: Lang) -> String {
        storage::storage(lang, self)
    }
}

impl Localized for crate::export::ExportError {
    fn in_lang(&self, lang: Lang) -> String {
        export::export(lang, self)
    }
}

impl Localized for crate::import::ImportError {
    fn in_lang(&self, lang: Lang) -> String {
        misc::import(lang, self)
    }
}

impl Localized for crate::demo::DemoError {
    fn in_lang(&self, lang: Lang) -> String {
        misc::demo(lang, self)
    }
}

impl Localized for crate::deploy::DeployError {
    fn in_lang(&self, lang: Lang) -> String {
        misc::deploy(lang, self)
    }
}

impl Localized for crate::tui::TuiError {
    fn in_lang(&self, lang: Lang) -> String {
        misc::tui(lang, self)
    }
}

impl Localized for crate::domain::week::WeekError {
    fn in_lang(&self, lang: Lang) -> String {
        misc::week(lang, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::{Permission, Role};
    use crate::storage::StorageError as E;
    use std::path::PathBuf;

    /// What the screen shows for a storage refusal (it used to be
    /// `e.to_string()`, English whatever the language).
    #[test]
    fn storage_refusals_read_in_either_language() {
        let samples = [
            E::Forbidden {
                login: "alice".into(),
                role: Some(Role::Radiographer),
                permission: Permission::Decide,
                disabled: false,
            },
            E::ReadOnly(PathBuf::from("/srv/committee.sqlite")),
            E::Busy,
            E::NoZone,
            E::AuditKeyMismatch,
        ];
        for e in &samples {
            let (en, fr) = (e.in_lang(Lang::En), e.in_lang(Lang::Fr));
            assert_eq!(en, e.to_string());
            assert_ne!(en, fr, "{e:?}");
        }
        assert_eq!(
            samples[0].in_lang(Lang::Fr),
            "alice (rôle manipulateur) n'a pas le droit de décider\u{a0}: permis pour président"
        );
        assert_eq!(
            samples[0].in_lang(Lang::En),
            "alice (role radiographer) may not decide: allowed for chair"
        );
    }
}
