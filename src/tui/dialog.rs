//! The dialogs: validate with an override, postpone, cancel, note, and the
//! confirmations of an identity checked (`I`) and of one laboratory
//! result checked (`L`), nothing typed. Text is
//! typed in ratatui-textarea fields; Enter submits, Esc cancels, Ctrl-J or
//! Alt-Enter inserts a new line in the text (and does nothing in the
//! one-line target week), Tab moves between fields.

use ratatui_textarea::TextArea;

use crate::domain::vocab::ReasonCode;
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
    /// `I`: the identity the hospital's system changed was checked; opens
    /// confirming, with the changes listed, nothing to type.
    AckIdentity,
    /// `L`: the laboratory results the program could not use, listed;
    /// the person chooses the one to acknowledge, nothing typed.
    AckResult,
}

impl Kind {
    /// The drafts table's kind for this dialog (None: nothing is typed).
    pub fn draft_kind(self) -> Option<DraftKind> {
        match self {
            Kind::Override => Some(DraftKind::Override),
            Kind::Postpone => Some(DraftKind::Postpone),
            Kind::Cancel => Some(DraftKind::Cancel),
            Kind::Note => Some(DraftKind::Note),
            Kind::AckIdentity | Kind::AckResult => None,
        }
    }

    /// Whether text is typed in it.
    pub fn typed(self) -> bool {
        self.draft_kind().is_some()
    }
}

/// Which field has the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Text,
    Week,
    /// Postpone and cancel: the coded reason (chosen, not typed).
    Code,
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
    /// Postpone and cancel: the coded reason (required to save).
    pub code: Option<ReasonCode>,
    pub focus: Field,
    /// Cancel: the reason is typed, waiting for the confirmation; identity
    /// checked: always.
    pub confirming: bool,
    /// Override: the blocking items, one line each; identity checked: what
    /// the hospital's system changed.
    pub blocking: Vec<String>,
    /// The last refusal (empty reason, bad week…), shown in the dialog.
    pub error: Option<String>,
    /// A decision met someone else's change: the reload it asked for
    /// gives the dialog the case's version then (`data_changed`).
    pub reread: bool,
    /// Esc met a draft that could not be kept: the next Esc closes and
    /// loses the text (said in the dialog).
    pub losing: bool,
    /// Identity checked: the changes shown, acknowledged only if they are
    /// still the patient's when Enter confirms.
    pub identity: Vec<crate::domain::feed::IdentityChange>,
    /// `L`: the case's open unusable results as read when the dialog
    /// opened (row id and result), acknowledged only if they are still
    /// the case's when Enter confirms.
    pub results: Vec<(i64, crate::domain::feed::UnusableLab)>,
    /// `L`: the result chosen in `results`.
    pub pick: usize,
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
            code: None,
            focus: Field::Text,
            confirming: false,
            blocking: Vec::new(),
            error: None,
            reread: false,
            losing: false,
            identity: Vec::new(),
            results: Vec::new(),
            pick: 0,
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

    /// Postpone and cancel have a coded reason.
    pub fn has_code(&self) -> bool {
        matches!(self.kind, Kind::Postpone | Kind::Cancel)
    }

    /// Whether Tab has another field to go to.
    pub fn has_fields(&self) -> bool {
        self.has_week() || self.has_code()
    }

    /// Whether the cursor is in the multi-line text (not the one-line week,
    /// not the coded reason).
    pub fn on_text(&self) -> bool {
        match self.focus {
            Field::Text => true,
            Field::Week => !self.has_week(),
            Field::Code => !self.has_code(),
        }
    }

    /// Whether the coded reason has the focus.
    pub fn on_code(&self) -> bool {
        self.focus == Field::Code && self.has_code()
    }

    /// The next (`forward`) or previous coded reason, round the list (none
    /// chosen yet: the first or the last).
    pub fn cycle_code(&mut self, forward: bool) {
        let all = ReasonCode::ALL;
        let n = all.len();
        let at = self.code.and_then(|c| all.iter().position(|x| *x == c));
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => n.saturating_sub(1),
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.code = all.get(next).copied();
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

    /// Text, then the week (postpone), then the coded reason, round.
    pub fn next_field(&mut self) {
        let order = [
            (Field::Text, true),
            (Field::Week, self.has_week()),
            (Field::Code, self.has_code()),
        ];
        let at = order
            .iter()
            .position(|(f, _)| *f == self.focus)
            .unwrap_or(0);
        self.focus = (1..=order.len())
            .filter_map(|k| order.get((at + k) % order.len()))
            .find(|(_, present)| *present)
            .map_or(Field::Text, |(f, _)| *f);
    }

    /// Pasted text goes in as typed: line breaks stay in the multi-line
    /// field and are dropped in the one-line week field.
    pub fn paste(&mut self, text: &str) {
        if !self.kind.typed() {
            return;
        }
        let clean = crate::domain::text::sanitize(text);
        match self.focus {
            Field::Week if self.has_week() => {
                self.week
                    .insert_str(clean.replace(['\n', '\t'], " ").trim());
            }
            // Nothing is typed in a choice.
            Field::Code if self.has_code() => {}
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
