//! The views built once per change (the board's text, the detail's lines)
//! are a cache: a frame drawn from them is the frame drawn from scratch,
//! and they are current after every key, so that a frame formats nothing.

use ratatui::crossterm::event::KeyCode;

use super::{app, key, keys, screen};
use crate::domain::message::Lang;
use crate::tui::ui::{board, layout};

/// Whether the app's board text is the one a frame of its size would use.
fn board_current(app: &super::App) -> bool {
    let lent = board::detail_lends(&app.data.cases, app.size);
    let width = layout::areas_lending(app.size, app.zone_banner(), lent)
        .board
        .width;
    app.board_view().is_some_and(|v| v.is_current(app, width))
}

#[test]
fn a_frame_from_the_views_is_the_frame_from_scratch() {
    for lang in [Lang::En, Lang::Fr] {
        let (_d, mut app) = app(lang);
        let steps: &[&dyn Fn(&mut super::App)] = &[
            &|_| {},
            &|a| key(a, KeyCode::Down),
            &|a| key(a, KeyCode::End),
            // A decision reloads the week: the board shows it.
            &|a| keys(a, "u"),
            &|a| keys(a, "v"),
            &|a| key(a, KeyCode::Esc),
            &|a| keys(a, "f"),
            &|a| keys(a, "ff"),
            &|a| keys(a, "/"),
            &|a| keys(a, "dup"),
            &|a| key(a, KeyCode::Enter),
            &|a| key(a, KeyCode::Esc),
            &|a| keys(a, "]"),
            &|a| keys(a, "["),
        ];
        for (i, step) in steps.iter().enumerate() {
            step(&mut app);
            assert!(board_current(&app), "step {i}: the board's text is stale");
            let cached = screen(&app, 120, 40);
            // The same state drawn without its views: built by the frame.
            app.forget_views_for_tests();
            assert!(app.board_view().is_none());
            assert_eq!(cached, screen(&app, 120, 40), "step {i} ({lang:?})");
            app.refresh_views();
        }
    }
}

#[test]
fn a_resize_rebuilds_the_board_for_its_width() {
    let (_d, mut app) = app(Lang::En);
    let wide = screen(&app, 120, 40);
    app.handle_event(ratatui::crossterm::event::Event::Resize(80, 24));
    assert!(board_current(&app));
    let narrow = screen(&app, 80, 24);
    let titles = usize::from(crate::tui::ui::layout::HEADER_H);
    assert_ne!(wide.lines().nth(titles), narrow.lines().nth(titles));
    app.forget_views_for_tests();
    assert_eq!(narrow, screen(&app, 80, 24));
}

/// Frames written through the compact backend leave the terminal showing
/// exactly the frame (a stale cell once left "Table.u" in the help).
#[test]
fn the_compact_backend_shows_each_frame_exactly() {
    use crate::tui::compact::Compact;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    for lang in [Lang::En, Lang::Fr] {
        let (_d, mut app) = app(lang);
        let mut direct = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        let mut compact = Terminal::new(Compact::new(TestBackend::new(120, 40))).expect("terminal");
        let steps: &[&dyn Fn(&mut super::App)] = &[
            &|_| {},
            &|a| keys(a, "?"),
            &|a| key(a, KeyCode::Down),
            &|a| key(a, KeyCode::Esc),
            &|a| keys(a, "jjj"),
            &|a| keys(a, "t"),
            &|a| key(a, KeyCode::Esc),
            &|a| keys(a, "R"),
            &|a| key(a, KeyCode::Esc),
            &|a| keys(a, "x"),
            &|a| key(a, KeyCode::Esc),
        ];
        for (i, step) in steps.iter().enumerate() {
            step(&mut app);
            direct
                .draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
            compact
                .draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
            assert_eq!(
                direct.backend().buffer(),
                compact.backend().inner_for_tests().buffer(),
                "step {i} ({lang:?})"
            );
        }
    }
}
