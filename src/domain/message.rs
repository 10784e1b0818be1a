//! The language of messages. The rule messages themselves are in
//! `domain/rules/message.rs`.

pub use crate::text::Lang;
