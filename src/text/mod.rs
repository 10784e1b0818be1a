//! Every word the program shows a person, in French and English: the one
//! text catalogue (issue 13, point 1). The library keeps typed data (enums,
//! errors, findings); this module writes it in a language. Everything is a
//! Rust `match`, so a missing translation is a compile error, not a
//! silent fallback.
//!
//! - [`lang`]: the language and how a locale names it;
//! - [`typo`]: French typography, plurals, dates and numbers;
//! - [`vocab`]: one label per variant of every domain enum;
//! - [`error`]: typed errors rendered in a language ([`error::Localized`]);
//! - [`decide`]: the committee's decisions and their refusals;
//! - [`reschedule`]: a postponed case's new slot;
//! - [`cli`]: what the command line prints;
//! - [`words`]: the text report's and the command line's other words
//!   (was `crate::i18n`);
//! - [`export`]: the exports' headings and titles (was
//!   `crate::export::labels`);
//! - [`screen`]: the screen's words (was `crate::tui::catalogue`).

pub mod alerts;
pub mod cli;
pub mod day;
pub mod decide;
pub mod error;
pub mod export;
pub mod feed;
pub mod feeds;
pub mod followup;
pub mod held;
pub mod import;
pub mod indicators;
pub mod instructions;
pub mod lang;
pub mod outcome;
pub mod protocol;
pub mod protocol_doc;
pub mod protocol_history;
pub mod reschedule;
pub mod rules;
pub mod screen;
pub mod tasks;
pub mod typo;
#[cfg(test)]
mod typography_tests;
pub mod vocab;
pub mod words;

pub use error::Localized;
pub use lang::Lang;
pub use vocab::Label;
