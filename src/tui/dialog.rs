//! The dialogs: validate with an override, postpone, cancel, note. Text is
//! typed in ratatui-textarea fields; Enter submits, Esc cancels, Ctrl-J or
//! Alt-Enter inserts a new line in the text (and does nothing in the
//! one-line target week), Tab moves between fields.

use ratatui_textarea::TextArea;

use crate::domain::week::Week;
use crate::storage::drafts::DraftKind;

/// Which dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Validating a case that has blocking items: a justification is needed.
    Override,
    Postpone,
    Cancel,
    Note,
}

impl Kind {
    /// The drafts table's kind for this dialog.
    pub fn draft_kind(self) -> DraftKind {
        match self {
            Kind::Override => DraftKind::Override,
            Kind::Postpone => DraftKind::Postpone,
            Kind::Cancel => DraftKind::Cancel,
            Kind::Note => DraftKind::Note,
        }
    }
}

/// Which field has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Text,
    Week,
}

pub struct Dialog {
    pub kind: Kind,
    pub case_id: i64,
    /// The case's version when the dialog opened: a save checks it.
    pub version: i64,
    /// Shown in the title.
    pub label: String,
    /// The multi-line text (reason, justification, note).
    pub text: TextArea<'static>,
    /// Postpone only: the target week.
    pub week: TextArea<'static>,
    pub focus: Field,
    /// Cancel only: the reason is typed, waiting for the confirmation.
    pub confirming: bool,
    /// Override only: the blocking items, one line each.
    pub blocking: Vec<String>,
    /// The last refusal (empty reason, bad week…), shown in the dialog.
    pub error: Option<String>,
    /// A decision met someone else's change: the reload it asked for
    /// gives the dialog the case's version then (`data_changed`).
    pub reread: bool,
    /// Esc met a draft that could not be kept: the next Esc closes and
    /// loses the text (said in the dialog).
    pub losing: bool,
}

impl Dialog {
    pub fn new(kind: Kind, case_id: i64, version: i64, label: String) -> Dialog {
        Dialog {
            kind,
            case_id,
            version,
            label,
            text: TextArea::default(),
            week: TextArea::default(),
            focus: Field::Text,
            confirming: false,
            blocking: Vec::new(),
            error: None,
            reread: false,
            losing: false,
        }
    }

    /// Postpone: proposes `week` as the target.
    pub fn with_week(mut self, week: Week) -> Dialog {
        self.week = TextArea::new(vec![week.to_string()]);
        self.week.move_cursor(ratatui_textarea::CursorMove::End);
        self
    }

    /// Restores text typed earlier (a draft).
    pub fn with_text(mut self, body: &str, extra: Option<&str>) -> Dialog {
        self.text = TextArea::new(body.lines().map(str::to_owned).collect());
        self.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        self.text.move_cursor(ratatui_textarea::CursorMove::End);
        if let (Kind::Postpone, Some(w)) = (self.kind, extra) {
            self.week = TextArea::new(vec![w.to_owned()]);
            self.week.move_cursor(ratatui_textarea::CursorMove::End);
        }
        self
    }

    pub fn has_week(&self) -> bool {
        self.kind == Kind::Postpone
    }

    /// Whether the cursor is in the multi-line text (not the one-line week).
    pub fn on_text(&self) -> bool {
        !(self.focus == Field::Week && self.has_week())
    }

    /// The multi-line text as typed.
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    pub fn week_text(&self) -> String {
        self.week.lines().join("").trim().to_owned()
    }

    pub fn focused(&mut self) -> &mut TextArea<'static> {
        match self.focus {
            Field::Week if self.has_week() => &mut self.week,
            _ => &mut self.text,
        }
    }

    pub fn next_field(&mut self) {
        if self.has_week() {
            self.focus = match self.focus {
                Field::Text => Field::Week,
                Field::Week => Field::Text,
            };
        }
    }

    /// Pasted text goes in as typed: line breaks stay in the multi-line
    /// field and are dropped in the one-line week field.
    pub fn paste(&mut self, text: &str) {
        let clean = crate::domain::text::sanitize(text);
        match self.focus {
            Field::Week if self.has_week() => {
                self.week
                    .insert_str(clean.replace(['\n', '\t'], " ").trim());
            }
            _ => {
                self.text.insert_str(clean);
            }
        }
    }

    /// Whether nothing visible was typed (not worth keeping as a draft).
    pub fn is_blank(&self) -> bool {
        crate::domain::text::is_blank(&self.body())
    }
}
