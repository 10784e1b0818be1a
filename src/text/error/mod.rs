//! Typed errors in words. The library's errors stay data (thiserror enums
//! without messages of their own); their `Display` is the English
//! rendering from here, and [`Localized::in_lang`] is what a person reads.

use super::Lang;

pub mod export;
pub mod misc;
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
