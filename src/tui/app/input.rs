//! Keys, pastes, the mouse and resizes: turned into actions, or typed into
//! the field that has the cursor.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind,
};

use super::App;
use crate::tui::action::Action;
use crate::tui::data::CaseView;
use crate::tui::keys::{self, Context};
use crate::tui::ui::layout;

impl App {
    /// One terminal event.
    pub fn handle_event(&mut self, event: Event) {
        self.event(event);
        // A message may have grown the status area over the selected row.
        self.scroll_to_selection();
        self.refresh_views();
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Paste(text) => self.paste(&text),
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.scroll_to_selection();
                self.dirty = true;
            }
            Event::Mouse(m) if self.opts.mouse && self.overlay.is_none() => match m.kind {
                MouseEventKind::ScrollDown => self.update(Action::Down),
                MouseEventKind::ScrollUp => self.update(Action::Up),
                MouseEventKind::Down(_) => {
                    if let Some(row) = layout::row_in(self.areas().board, m.column, m.row) {
                        let i = self.offset + row;
                        if i < self.visible.len() {
                            self.selected = i;
                            self.dirty = true;
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        if layout::is_too_small(self.size) || self.trace_failure().is_some() {
            // Nothing can be seen (too small, or patient data hidden while
            // the read trace cannot be written): only leaving works, and
            // what was being typed is kept as a draft.
            if keys::lookup(Context::Board, &key) == Some(Action::Quit) {
                self.save_draft();
                self.quit = true;
            }
            return;
        }
        let context = self.context();
        match keys::lookup(context, &key) {
            Some(action) => self.update(action),
            None => self.type_key(context, key),
        }
    }

    /// A key no binding takes: text for the search, or for the open
    /// overlay's field with the cursor.
    fn type_key(&mut self, context: Context, key: KeyEvent) {
        if context == Context::Search {
            return self.search_type(key);
        }
        let lang = self.lang();
        let Some(o) = &mut self.overlay else {
            return;
        };
        let o = o.component_mut();
        if !o.multiline() && keys::breaks_line(&key) {
            // A one-line box has no second line: nothing is inserted, and
            // nothing typed is discarded.
            return;
        }
        if o.type_key(key, lang) {
            self.dirty = true;
        }
    }

    /// Enter keeps the search, Esc clears it (the key table's `Search`).
    pub(super) fn search_update(&mut self, action: Action) {
        match action {
            Action::Submit => self.searching = false,
            Action::Up if !self.previous_search.is_empty() => {
                self.search.clone_from(&self.previous_search);
                self.refilter(None);
            }
            Action::Dismiss => {
                self.searching = false;
                self.search.clear();
                self.refilter(self.current().map(CaseView::id));
            }
            _ => {}
        }
    }

    /// A key the search's bindings do not take: its text.
    fn search_type(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Backspace => {
                self.search.pop();
                self.refilter(None);
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.search.push(c);
                self.refilter(None);
            }
            _ => {}
        }
        self.dirty = true;
    }

    fn paste(&mut self, text: &str) {
        // Terminals send a pasted line break as CR.
        let text = &text.replace("\r\n", "\n").replace('\r', "\n");
        if self.searching {
            self.search
                .push_str(&crate::domain::text::sanitize_line(text));
            self.refilter(None);
        } else if let Some(o) = &mut self.overlay {
            o.component_mut().paste(text);
        }
        self.dirty = true;
    }
}
