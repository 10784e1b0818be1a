//! The state of a dossier form on screen: the form being typed (pure,
//! `domain/edit`), the field with the cursor and its text box, the refusals
//! shown beside fields, and a save conflict waiting for the user's choice.
//! Choice fields are not typed: ←/→ go through the vocabulary.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::message::Lang;
use ratatui_textarea::{CursorMove, TextArea};

use crate::domain::edit::{FieldChange, FieldError, FieldKind, FieldSpec, Form};
use crate::domain::record::EvidenceKind;

/// Someone saved the same object while this form was open.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// Who saved it, and when (local time).
    pub by: String,
    pub at: String,
    /// What they saved, as a form, and its version.
    pub theirs: Form,
    pub version: Option<i64>,
    /// The fields they changed (from the form this one started from).
    pub changes: Vec<FieldChange>,
    /// Mine on top of theirs, when the lines still match (else the person
    /// must compare: nothing is merged blindly).
    pub merged: Option<Form>,
}

pub struct FormState {
    pub case_id: i64,
    pub kind: EvidenceKind,
    /// Patient and case, for the title.
    pub label: String,
    /// The object's version when the form was filled (None: absent).
    pub version: Option<i64>,
    /// The form as loaded: what "changed" is measured from.
    pub base: Form,
    /// The form as typed (the focused field's text lives in `input` until
    /// the focus leaves it).
    pub form: Form,
    /// (line, field) with the cursor.
    pub focus: (usize, usize),
    pub input: TextArea<'static>,
    /// Refused fields, shown beside them.
    pub errors: BTreeMap<(usize, usize), FieldError>,
    pub conflict: Option<Conflict>,
    /// A refusal of the whole save (permission, storage), in the form.
    pub error: Option<String>,
    pub today: NaiveDate,
    /// Enter was pressed once on a form that records an empty list ("none
    /// taken", "none on file"): the next Enter confirms it.
    pub confirming_empty: bool,
    /// Back from a conflict that could not be merged: saving replaces
    /// what they saved. Said until the save, which takes a second Enter.
    pub replacing_theirs: bool,
    pub confirming_replace: bool,
    /// Dates are shown and typed day first (`07/12/2026`, French); ISO is
    /// read as well. The form itself holds ISO.
    pub day_first: bool,
    /// Esc met a draft that could not be kept: the next Esc closes and
    /// loses what was typed (said in the form).
    pub losing: bool,
}

impl FormState {
    pub fn new(
        case_id: i64,
        label: String,
        version: Option<i64>,
        base: Form,
        today: NaiveDate,
    ) -> FormState {
        let mut s = FormState {
            case_id,
            kind: base.evidence,
            label,
            version,
            form: base.clone(),
            base,
            focus: (0, 0),
            input: TextArea::default(),
            errors: BTreeMap::new(),
            conflict: None,
            error: None,
            today,
            confirming_empty: false,
            replacing_theirs: false,
            confirming_replace: false,
            day_first: false,
            losing: false,
        };
        s.load_input();
        s
    }

    /// The spec of the focused field.
    pub fn spec(&self) -> Option<&'static FieldSpec> {
        let g = self.form.groups.get(self.focus.0)?;
        g.kind.fields().get(self.focus.1)
    }

    pub fn on_choice(&self) -> bool {
        self.spec()
            .is_some_and(|s| matches!(s.kind, FieldKind::Choice(_)))
    }

    /// Whether the focused field holds several lines (a consent's "what
    /// was said"); every other typed field is one line.
    pub fn on_multiline(&self) -> bool {
        self.spec().is_some_and(FieldSpec::is_multiline)
    }

    /// Who transcribes an anaesthesia consultation typed here
    /// ([`Form::transcriber`]).
    pub fn with_transcriber(mut self, transcriber: Option<String>) -> FormState {
        self.base.transcriber = transcriber.clone();
        self.form.transcriber = transcriber;
        self
    }

    /// Dates shown and typed day first (see [`FormState::day_first`]).
    pub fn with_day_first(mut self, day_first: bool) -> FormState {
        self.day_first = day_first;
        self.load_input();
        self
    }

    fn on_number(&self) -> bool {
        self.spec()
            .is_some_and(|s| matches!(s.kind, FieldKind::Number(_)))
    }

    fn on_date(&self) -> bool {
        self.spec().is_some_and(|s| s.kind == FieldKind::When)
    }

    /// A field's stored text as the person reads it: a date day first
    /// and a decimal with a comma when they write so (French).
    pub fn shown(&self, spec: &FieldSpec, stored: &str) -> String {
        match spec.kind {
            FieldKind::When if self.day_first => crate::domain::edit::day_first_when(stored),
            // A French decimal takes a comma.
            FieldKind::Number(_)
                if self.day_first && crate::domain::edit::decimal(stored).is_some() =>
            {
                stored.replace('.', ",")
            }
            _ => stored.to_owned(),
        }
    }

    /// The focused text box's text as the form holds it: a date typed day
    /// first, short or in words in ISO, a decimal with a point.
    fn typed_stored(&self) -> String {
        let typed = self.typed();
        if self.on_date() {
            let lang = if self.day_first { Lang::Fr } else { Lang::En };
            crate::domain::edit::iso_when(&typed, lang, self.today)
        } else if self.on_number() && crate::domain::edit::decimal(typed.trim()).is_some() {
            // Held with a point, whichever mark was typed.
            typed.replace(',', ".")
        } else {
            typed
        }
    }

    /// The value of a field as it stands (the focused one: as typed).
    pub fn value(&self, group: usize, field: usize) -> String {
        if (group, field) == self.focus && !self.on_choice() {
            return self.typed_stored();
        }
        self.form
            .groups
            .get(group)
            .and_then(|g| g.values.get(field))
            .cloned()
            .unwrap_or_default()
    }

    fn load_input(&mut self) {
        let mut text = self.value_stored(self.focus);
        if let Some(spec) = self.spec() {
            text = self.shown(spec, &text);
        }
        let lines: Vec<String> = if self.on_multiline() {
            text.split('\n').map(str::to_owned).collect()
        } else {
            vec![text.split('\n').collect::<Vec<_>>().join(" ")]
        };
        self.input = TextArea::new(lines);
        if self.on_multiline() {
            // Long lines wrap in the field's rows, as they read unfocused.
            self.input
                .set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        self.input.move_cursor(CursorMove::Bottom);
        self.input.move_cursor(CursorMove::End);
    }

    fn value_stored(&self, (g, f): (usize, usize)) -> String {
        self.form
            .groups
            .get(g)
            .and_then(|g| g.values.get(f))
            .cloned()
            .unwrap_or_default()
    }

    /// The focused text box's text, as it will be saved, clean: its lines
    /// in a field on several lines, else one line.
    pub fn typed(&self) -> String {
        if self.on_multiline() {
            crate::domain::text::sanitize_text(&self.input.lines().join("\n"))
        } else {
            crate::domain::text::sanitize_line(&self.input.lines().join(" "))
        }
    }

    /// Ctrl-J / Alt-Enter: a new line in a field on several lines; nothing
    /// at all in a one-line field (what was typed stays as it is).
    pub fn new_line(&mut self) {
        if self.on_multiline() {
            self.error = None;
            self.errors.remove(&self.focus);
            self.input.insert_newline();
        }
    }

    /// The form with the focused field's text in it.
    pub fn current(&self) -> Form {
        let mut now = self.form.clone();
        if !self.on_choice()
            && let Some(v) = now
                .groups
                .get_mut(self.focus.0)
                .and_then(|g| g.values.get_mut(self.focus.1))
        {
            *v = self.typed_stored();
        }
        now
    }

    /// Writes the text box back into the form.
    pub fn commit_input(&mut self) {
        if self.on_choice() {
            return;
        }
        let text = self.typed_stored();
        if let Some(v) = self.focused_value() {
            *v = text;
        }
    }

    /// Checks the focused field; the refusal is kept to be shown beside it.
    pub fn check_focused(&mut self) -> bool {
        self.commit_input();
        let (g, f) = self.focus;
        match self.form.check_field(g, f, self.today) {
            Ok(()) => {
                self.errors.remove(&(g, f));
                true
            }
            Err(e) => {
                self.errors.insert((g, f), e);
                false
            }
        }
    }

    /// Every field in order, as (line, field).
    fn positions(&self) -> Vec<(usize, usize)> {
        self.form
            .groups
            .iter()
            .enumerate()
            .flat_map(|(gi, g)| (0..g.kind.fields().len()).map(move |fi| (gi, fi)))
            .collect()
    }

    /// Moves the cursor by `delta` fields. A refused value keeps the cursor
    /// where it is (refused on the spot), unless the line is left blank.
    pub fn move_focus(&mut self, delta: isize) -> bool {
        if !self.check_focused() {
            return false;
        }
        // The other fields of the line may depend on this one (a consent's
        // kind): their refusals are checked again.
        self.recheck_line(self.focus.0);
        let all = self.positions();
        let Some(i) = all.iter().position(|p| *p == self.focus) else {
            return false;
        };
        let n = all.len() as isize;
        let to = (i as isize + delta).rem_euclid(n.max(1)) as usize;
        self.focus = all[to];
        self.load_input();
        true
    }

    fn recheck_line(&mut self, g: usize) {
        let keys: Vec<(usize, usize)> = self.errors.keys().copied().filter(|k| k.0 == g).collect();
        for (g, f) in keys {
            if self.form.check_field(g, f, self.today).is_ok() {
                self.errors.remove(&(g, f));
            }
        }
    }

    /// ←/→ on a choice: the next (or previous) word; a field that may stay
    /// empty has "empty" among its choices.
    pub fn cycle(&mut self, delta: isize) {
        let Some(spec) = self.spec() else {
            return;
        };
        let words = spec.choices();
        if words.is_empty() {
            return;
        }
        let mut options: Vec<&str> = Vec::with_capacity(words.len() + 1);
        if !spec.required || self.form.groups[self.focus.0].kind.repeats() {
            options.push("");
        }
        options.extend(words.iter().copied());
        let current = self.value_stored(self.focus);
        let n = options.len() as isize;
        // From no position (an empty value that is not offered): → gives
        // the first word, ← the last.
        let i = match options.iter().position(|w| *w == current) {
            Some(i) => i as isize,
            None if delta > 0 => -1,
            None => n,
        };
        let to = (i + delta).rem_euclid(n.max(1)) as usize;
        self.set_focused(options[to]);
    }

    /// A letter on a choice: the next word starting with it.
    /// (`shown`: how each word reads on screen; its first letter counts,
    /// accents aside, as does the word's own.)
    pub fn choose_by_letter(&mut self, c: char, shown: impl Fn(&str) -> String) {
        let Some(spec) = self.spec() else {
            return;
        };
        let words = spec.choices();
        let current = self.value_stored(self.focus);
        let start = words
            .iter()
            .position(|w| *w == current)
            .map_or(0, |i| i + 1);
        let c = crate::domain::text::fold(&c.to_string());
        if c.is_empty() || words.is_empty() {
            return;
        }
        let found = (0..words.len())
            .map(|k| words[(start + k) % words.len()])
            .find(|w| {
                crate::domain::text::fold(&shown(w)).starts_with(&c)
                    || crate::domain::text::fold(w).starts_with(&c)
            });
        if let Some(w) = found {
            self.set_focused(w);
        }
    }

    /// Empties a choice.
    pub fn clear_choice(&mut self) {
        self.set_focused("");
    }

    /// The stored text of the field with the cursor.
    fn focused_value(&mut self) -> Option<&mut String> {
        let (g, f) = self.focus;
        self.form
            .groups
            .get_mut(g)
            .and_then(|g| g.values.get_mut(f))
    }

    fn set_focused(&mut self, word: &str) {
        let (g, f) = self.focus;
        if let Some(v) = self.focused_value() {
            *v = word.to_owned();
        }
        self.errors.remove(&(g, f));
        self.recheck_line(g);
    }

    /// A new blank line of the focused line's kind, below it.
    pub fn add_line(&mut self) -> bool {
        self.commit_input();
        let g = self.focus.0;
        let Some(kind) = self.form.groups.get(g).map(|x| x.kind) else {
            return false;
        };
        match self.form.add_line(kind, g) {
            Some(at) => {
                self.shift_errors(at, 1);
                self.focus = (at, 0);
                self.load_input();
                true
            }
            None => false,
        }
    }

    /// Removes the focused line (list forms).
    pub fn remove_line(&mut self) -> bool {
        let g = self.focus.0;
        let before = self.form.groups.len();
        if !self.form.remove_line(g) {
            return false;
        }
        self.errors.retain(|k, _| k.0 != g);
        if self.form.groups.len() < before {
            self.shift_errors(g + 1, -1);
        }
        let last = self.form.groups.len().saturating_sub(1);
        self.focus = (g.min(last), 0);
        self.load_input();
        true
    }

    fn shift_errors(&mut self, from: usize, by: isize) {
        let moved: BTreeMap<(usize, usize), FieldError> = std::mem::take(&mut self.errors)
            .into_iter()
            .map(|((g, f), e)| {
                let g = if g >= from {
                    (g as isize + by).max(0) as usize
                } else {
                    g
                };
                ((g, f), e)
            })
            .collect();
        self.errors = moved;
    }

    /// Checks every field; puts the cursor on the first refused one.
    pub fn check_all(&mut self) -> bool {
        self.commit_input();
        self.errors = self
            .form
            .problems(self.today)
            .into_iter()
            .map(|p| ((p.group, p.field), p.error))
            .collect();
        if let Some((&first, _)) = self.errors.iter().next() {
            self.focus = first;
            self.load_input();
            return false;
        }
        true
    }

    /// Whether anything differs from the loaded form.
    pub fn is_modified(&self) -> bool {
        !self.base.changes(&self.current()).is_empty()
    }

    /// Replaces the form (theirs kept, mine reapplied) and its base; who
    /// transcribes stays who is at the keyboard.
    pub fn reset(&mut self, mut base: Form, mut form: Form, version: Option<i64>) {
        base.transcriber = self.form.transcriber.clone();
        form.transcriber = self.form.transcriber.clone();
        self.base = base;
        self.form = form;
        self.version = version;
        self.errors.clear();
        self.conflict = None;
        self.error = None;
        self.confirming_empty = false;
        self.replacing_theirs = false;
        self.confirming_replace = false;
        // The cursor stays on the same field when the form still has it.
        let last = self.form.groups.len().saturating_sub(1);
        let g = self.focus.0.min(last);
        let fields = self.form.groups.get(g).map_or(1, |x| x.kind.fields().len());
        self.focus = (g, self.focus.1.min(fields.saturating_sub(1)));
        self.load_input();
    }

    /// Pasted text goes into a typed field: its lines kept in a field on
    /// several lines, joined by spaces in a one-line field (nothing dropped).
    pub fn paste(&mut self, text: &str) {
        if self.on_multiline() {
            self.input.insert_str(crate::domain::text::sanitize(text));
        } else if !self.on_choice() {
            self.input
                .insert_str(crate::domain::text::sanitize_line(text));
        }
    }
}
