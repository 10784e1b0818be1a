//! S: the committee's indicators on the screen (issue 15 §4) — the same
//! figures as `report` over the last months, bars and a sparkline, every
//! figure beside its denominator, `p` for another span, pseudonymised for
//! a viewer, one read row per opening.

use super::*;
use crate::domain::indicators::Cell;
use crate::storage::audit::reads::list_reads;
use crate::tui::app::{StatsState, StatsView};

/// The fixture week and 300 past cases of the demo's history series
/// (outcomes, follow-ups, coded reasons) over the year before it.
fn app_with_history(lang: Lang) -> (tempfile::TempDir, App) {
    let (dir, mut app) = app(lang);
    let before = app.week().offset(-1).monday();
    crate::storage::synthetic::generate_series(
        app.db_mut_for_tests(),
        300,
        before,
        0x1515,
        crate::storage::synthetic::HISTORY,
    )
    .expect("history");
    (dir, app)
}

fn state(app: &App) -> &StatsState {
    let Some(Overlay::Stats(s)) = &app.overlay else {
        panic!("the indicators are open");
    };
    s
}

/// The report's figures over a span ending today, as the view lays them out.
fn report_view(app: &App, months: u32, lang: Lang) -> StatsView {
    let today = app.db().clock().today();
    let from = crate::tui::app::stats_span_from(today, months);
    let (shown, pseudonymised) =
        crate::report::indicators::figures(app.db(), from, today, false).expect("figures");
    StatsView::build(&shown, lang, pseudonymised, months)
}

#[test]
fn s_shows_the_reports_figures_over_twelve_months_and_p_changes_the_span() {
    let (_d, mut app) = app_with_history(Lang::En);
    key(&mut app, KeyCode::Char('S'));
    assert_eq!(app.context(), Context::Stats);
    assert_eq!(state(&app).view, report_view(&app, 12, Lang::En));
    let v = &state(&app).view;
    assert_eq!(v.performed.len(), 12, "one bar a month");
    assert!(v.performed.iter().any(|b| b.value > 0));
    let shown = screen(&app, 120, 40);
    for want in [
        "The committee's indicators: last 12 months",
        "Period: cases scheduled from 2025-12-01 to 2026-11-26",
        "Procedures performed per month",
        "Not performed on the day (% of validated cases due)",
        "validated due)",
        "Committee outcomes",
        "Out of",
    ] {
        assert!(shown.contains(want), "{want:?} in\n{shown}");
    }
    // p: 24 months, then 6, then 3, then 12 again.
    for months in [24, 6, 3, 12] {
        key(&mut app, KeyCode::Char('p'));
        assert_eq!(state(&app).view, report_view(&app, months, Lang::En));
        assert_eq!(state(&app).view.performed.len(), months as usize);
    }
    // Scrolling reaches the follow-up table; Esc closes.
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(state(&app).scroll, 3);
    key(&mut app, KeyCode::Char('G'));
    assert!(screen(&app, 120, 40).contains("Complications"));
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(state(&app).scroll, 0);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn each_opening_is_one_read_row_naming_no_case() {
    let (_d, mut app) = app_with_history(Lang::En);
    let before = list_reads(app.db(), None).expect("reads").len();
    key(&mut app, KeyCode::Char('S'));
    let rows = list_reads(app.db(), None).expect("reads");
    let new: Vec<_> = rows.iter().skip(before).collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].action, "report");
    assert_eq!(new[0].case_id, None);
    assert_eq!(new[0].subject.as_deref(), Some("2025-12-01..2026-11-26"));
}

#[test]
fn a_viewer_sees_them_pseudonymised_with_small_cells_hidden() {
    let (_d, mut app) = app_with_history(Lang::En);
    become_role(&mut app, "viewer");
    key(&mut app, KeyCode::Char('S'));
    let v = &state(&app).view;
    assert!(v.pseudonymised);
    assert!(v.title.contains("pseudonymised"), "{}", v.title);
    // 300 cases over a year: some monthly and per-reason cells are small.
    let text: Vec<&str> = v.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(
        text.iter().any(|l| l.contains("< 5")),
        "a small cell is shown as < 5:\n{}",
        text.join("\n")
    );
    let (raw, _) = crate::report::indicators::figures(
        app.db(),
        crate::tui::app::stats_span_from(app.db().clock().today(), 12),
        app.db().clock().today(),
        true,
    )
    .expect("figures");
    assert!(
        raw.postponed
            .parts
            .iter()
            .any(|(_, c)| *c == Cell::Under5 || *c == Cell::Hidden)
    );
}

#[test]
fn indicators_snapshot() {
    let (_d, mut app) = app_with_history(Lang::Fr);
    key(&mut app, KeyCode::Char('S'));
    insta::assert_snapshot!("stats_fr_120x40", screen(&app, 120, 40));
}
