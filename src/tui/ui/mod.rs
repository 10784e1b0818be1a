//! Drawing. Everything here reads the app state and never writes it, nor
//! touches the database: `impl Widget for &App`.

pub mod board;
mod components;
mod day;
pub mod detail;
pub mod export;
mod followups;
pub mod form;
mod header;
pub mod layout;
mod narrow;
mod nod;
pub mod overlay;
pub mod patient;
pub mod procedure;
mod reschedule;
pub mod resolve;
pub mod rules;
mod stats;
mod status;
pub mod tasks;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::App;
use super::keys::{self, Context};
use crate::text::screen::{self, ui};
pub use header::height as header_height;
pub use status::status_height;
use status::{hint_line, status};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let size = (area.width, area.height);
        let theme = &self.opts.theme;
        buf.set_style(area, theme.base);
        if layout::is_too_small(size) {
            let text = screen::too_small(
                self.lang(),
                area.width,
                area.height,
                layout::MIN_W,
                layout::MIN_H,
            );
            let h = 3.min(area.height);
            let r = Rect::new(
                area.x,
                area.y + area.height.saturating_sub(h) / 2,
                area.width,
                h,
            );
            Paragraph::new(text)
                .style(theme.title)
                .centered()
                .wrap(Wrap { trim: true })
                .render(r, buf);
            return;
        }
        // Patient data stays hidden while consultations cannot be traced.
        if let Some(why) = self.trace_failure() {
            let quit = keys::keys_of(
                Context::Board,
                crate::tui::action::Action::Quit,
                self.lang(),
            );
            let text = screen::trace_failing(self.lang(), &why, &quit);
            let h = 6.min(area.height);
            let r = Rect::new(
                area.x + 2.min(area.width),
                area.y + area.height.saturating_sub(h) / 2,
                area.width.saturating_sub(4),
                h,
            );
            Paragraph::new(text)
                .style(theme.alert)
                .centered()
                .wrap(Wrap { trim: true })
                .render(r, buf);
            return;
        }
        let a = self.areas_at(size);
        if let Some(b) = a.banner {
            Paragraph::new(screen::zone_banner(self.lang(), self.data.tz))
                .style(theme.alert)
                .render(b, buf);
        }
        header::render(self, a.header, buf);
        if self.detail_open && a.detail.is_none() {
            detail::render(self, a.board, buf);
        } else {
            board::render(self, a.board, buf);
            if let Some(d) = a.detail {
                detail::render(self, d, buf);
            }
        }
        status(self, a.status, buf);
        if let Some(o) = &self.overlay {
            o.component().render(self, area, buf);
        }
    }
}

/// The search's label: on a pseudonymised screen it says that it matches
/// initials and pseudonyms.
pub(super) fn search_label(app: &App) -> &'static str {
    if app.data.pseudonymised {
        screen::search_pseudonymised(app.lang())
    } else {
        ui(app.lang()).search
    }
}

/// The keys offered in `context` as a sentence ("Enter: open the form ·
/// Esc/q: back to the board"): key names and order from the key table.
pub(super) fn key_sentence(app: &App, context: Context) -> String {
    let lang = app.lang();
    let colon = ui(lang).colon;
    keys::hints(context)
        .iter()
        .filter(|b| app.offers(b.offer))
        .map(|b| {
            format!(
                "{}{colon} {}",
                keys::keys_of(context, b.action, lang),
                screen::action_in(lang, context, b.action)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
