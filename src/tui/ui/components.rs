//! Each overlay draws itself (`app::Draw`): here, each state is tied to
//! its drawing code in this folder.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{export, form, overlay, procedure, reschedule, resolve, rules, tasks};
use crate::tui::app::{
    App, AttendanceState, Draw, ExportState, HelpState, PickerState, ProcedureState,
    RescheduleState, ResolveState, RulesState, TasksState,
};
use crate::tui::dialog::Dialog;
use crate::tui::form::FormState;

impl Draw for HelpState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        overlay::help(app, area, self.scroll, buf);
    }
}

impl Draw for Dialog {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        overlay::dialog(app, self, area, buf);
    }
}

impl Draw for PickerState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        form::picker(app, self.case_id, self.selected, &self.drafts, area, buf);
    }
}

impl Draw for FormState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        form::render(app, self, area, buf);
    }
}

impl Draw for ProcedureState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        procedure::render(app, self, area, buf);
    }
}

impl Draw for RulesState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        rules::rules(app, self, area, buf);
    }
}

impl Draw for AttendanceState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        export::attendance(app, self, area, buf);
    }
}

impl Draw for ExportState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        export::export(app, self, area, buf);
    }
}

impl Draw for crate::tui::app::NodState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        super::nod::render(app, self, area, buf);
    }
}

impl Draw for ResolveState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        resolve::render(app, self, area, buf);
    }
}

impl Draw for crate::tui::app::NarrowState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        super::narrow::render(app, self, area, buf);
    }
}

impl Draw for TasksState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        tasks::render(app, self, area, buf);
    }
}

impl Draw for crate::tui::app::StatsState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        super::stats::render(app, self, area, buf);
    }
}

impl Draw for crate::tui::app::DayState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        super::day::render(app, self, area, buf);
    }
}

impl Draw for RescheduleState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        reschedule::render(app, self, area, buf);
    }
}

impl Draw for crate::tui::app::FollowUpsState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        super::followups::list(app, self, area, buf);
    }
}

impl Draw for crate::tui::app::FollowUpFormState {
    fn render(&self, app: &App, area: Rect, buf: &mut Buffer) {
        super::followups::form(app, self, area, buf);
    }
}
