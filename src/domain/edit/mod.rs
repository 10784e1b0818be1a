//! Editing the dossier, without the screen: the forms of each evidence
//! object (`forms.rs`), how each field's text is read and checked
//! (`field.rs`: the bounds table, the calendar, the vocabularies), and how
//! a form becomes the stored object. The screen (`tui/form.rs`) only types
//! into these.

mod build;
mod field;
mod forms;
mod load;
mod merge;
#[cfg(test)]
mod tests;

pub use field::{
    FieldError, FieldKind, FieldSpec, MAX_LINE_CHARS, MAX_TEXT_CHARS, Value, day_first_when,
    decimal, iso_when, read,
};
pub use forms::{FieldChange, Form, Group, GroupKind, Problem};
