//! `I`: a person acknowledges that the selected case's patient identity,
//! changed by the hospital's system (issue 16), was checked; the advisory
//! leaves every case of that patient.

use super::App;
use crate::domain::text::sanitize_line;
use crate::storage::{feed_services, needs};
use crate::text::{Localized, screen};

impl App {
    pub(super) fn ack_identity(&mut self) {
        let lang = self.lang();
        let Some(c) = self.current() else {
            return self.error(screen::ui(lang).nothing_selected.to_owned());
        };
        if c.stored.feed.identity_changed.is_none() {
            return self.error(crate::text::feeds::no_identity_change(lang));
        }
        let ipp = c.stored.file.patient.ipp.clone();
        self.with_ctx(|ctx| {
            let done = ctx.db.write_as(&needs::ack_identity(), |w| {
                feed_services::ack_identity(w, &ipp)
            });
            ctx.reload();
            match done {
                Ok(()) => {
                    let line =
                        crate::text::feeds::identity_acknowledged(ctx.lang, &sanitize_line(&ipp));
                    ctx.flash(line);
                }
                Err(e) => ctx.error(e.in_lang(ctx.lang)),
            }
        });
    }
}
