//! The screen driven as a person would: keys in, database and rendered
//! lines out. Snapshots (insta over ratatui's TestBackend) at 80×24 and
//! 120×40, in French and English, monochrome, and too small.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

use super::action::Action;
use super::app::{App, Filter, Options, Overlay};
use super::keys::{BINDINGS, Context};
use super::theme::Theme;
use crate::domain::message::Lang;
use crate::domain::vocab::DecisionStatus;
use crate::domain::week::Week;
use crate::storage::{Db, audit};

use crate::testkit::{WEEK, clock};

/// A database with the fixture week (a copy of the test kit's), and the app on it.
fn app_with(lang: Lang, theme: Theme, size: (u16, u16)) -> (tempfile::TempDir, App) {
    let (dir, path) = crate::testkit::fixture_db_as("t.sqlite");
    let db = Db::open(&path, clock()).expect("open");
    let week: Week = WEEK.parse().expect("week");
    let app = App::new(
        db,
        week,
        Options {
            lang,
            theme,
            mouse: false,
        },
        size,
    )
    .expect("app");
    (dir, app)
}

fn app(lang: Lang) -> (tempfile::TempDir, App) {
    app_with(lang, Theme::colour(), (120, 40))
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// In a postpone or cancel dialog: Tab to the coded reason, then `n`
/// times → (1: the first code, `missing_test`), then Tab back to the text.
fn coded(app: &mut App, n: usize) {
    for _ in 0..3 {
        if matches!(&app.overlay, Some(Overlay::Dialog(d)) if d.on_code()) {
            break;
        }
        key(app, KeyCode::Tab);
    }
    for _ in 0..n {
        key(app, KeyCode::Right);
    }
    while !matches!(&app.overlay, Some(Overlay::Dialog(d)) if d.on_text()) {
        key(app, KeyCode::Tab);
    }
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row, trailing spaces trimmed.
fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    // Who imported the fixture depends on the machine.
    out.replace(&crate::storage::identity::login(), "[login]")
}

/// Makes the caller a secretary (another user stays chair).
fn become_secretary(app: &mut App) {
    become_role(app, "secretary");
}

/// Gives the caller `role` (another user, `boss`, stays chair).
fn become_role(app: &mut App, role: &str) {
    let login = crate::storage::identity::login();
    app.db_mut_for_tests()
        .write(|w| {
            w.tx().execute("INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x') ON CONFLICT(login) DO NOTHING", [])?;
            w.tx().execute("UPDATE users SET role = ?2 WHERE login = ?1", [&login, role])?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .expect("roles");
    app.role = app.db().role().expect("role");
}

/// Selects the case with this external id.
fn select(app: &mut App, external_id: &str) {
    key(app, KeyCode::Home);
    for _ in 0..app.visible.len() {
        if app
            .current()
            .is_some_and(|c| c.stored.file.external_id == external_id)
        {
            return;
        }
        key(app, KeyCode::Down);
    }
    panic!("{external_id} not on the board");
}

fn status_of(app: &App, external_id: &str) -> DecisionStatus {
    crate::storage::read::by_external_id(app.db(), external_id)
        .expect("case")
        .status
}

fn actions_of(app: &App, external_id: &str) -> Vec<String> {
    let id = crate::storage::read::by_external_id(app.db(), external_id)
        .expect("case")
        .id;
    audit::list(app.db(), Some(id))
        .expect("audit")
        .into_iter()
        .map(|r| r.action)
        .collect()
}

// ---- Snapshots ----

#[test]
fn board_snapshots() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        for (w, h) in [(80, 24), (120, 40)] {
            let (_d, app) = app_with(lang, Theme::colour(), (w, h));
            insta::assert_snapshot!(format!("board_{name}_{w}x{h}"), screen(&app, w, h));
        }
    }
}

#[test]
fn detail_full_screen_on_a_narrow_terminal() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        let (_d, mut app) = app_with(lang, Theme::colour(), (80, 24));
        select(&mut app, "SCH-2026-004513");
        key(&mut app, KeyCode::Enter);
        assert!(app.detail_open);
        insta::assert_snapshot!(format!("detail_{name}_80x24"), screen(&app, 80, 24));
        key(&mut app, KeyCode::Esc);
        assert!(!app.detail_open);
    }
}

#[test]
fn too_small_says_so() {
    let (_d, app) = app_with(Lang::En, Theme::colour(), (60, 20));
    let s = screen(&app, 60, 20);
    assert!(s.contains("Terminal too small: 60×20, need 80×24"), "{s}");
    insta::assert_snapshot!("too_small", s);
}

#[test]
fn no_color_uses_no_colour_and_shows_the_selection_in_reverse() {
    let (_d, app) = app_with(Lang::En, Theme::mono(), (120, 40));
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut reversed_rows = Vec::new();
    for y in 0..40u16 {
        for x in 0..120u16 {
            let c = &buf[(x, y)];
            assert_eq!(c.fg, Color::Reset, "colour at {x},{y}");
            assert_eq!(c.bg, Color::Reset, "colour at {x},{y}");
        }
        if buf[(0, y)].modifier.contains(Modifier::REVERSED) {
            reversed_rows.push(y);
        }
    }
    assert_eq!(
        reversed_rows,
        vec![crate::tui::ui::layout::HEADER_H + 1],
        "exactly the selected row (first case) is reversed"
    );
    insta::assert_snapshot!("board_mono_120x40", screen(&app, 120, 40));
}

#[test]
fn help_lists_every_bound_action() {
    let (_d, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    // Tall enough for the whole help; a description may wrap under itself.
    let s = screen(&app, 120, 400).replace('│', " ");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for b in BINDINGS {
        let label = crate::text::screen::action_in(Lang::En, b.context, b.action);
        assert!(s.contains(label), "help lacks {:?} ({label})", b.action);
        for k in b.keys {
            assert!(
                s.contains(&k.label(Lang::En)),
                "help lacks key {}",
                k.label(Lang::En)
            );
        }
    }
    for a in Action::ALL {
        assert!(BINDINGS.iter().any(|b| b.action == a), "{a:?} has no key");
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

/// The help explains the board's columns, markers, scores and every
/// technique code; it scrolls by line, page, to either end and never past
/// its end, and its border says when more is below or above.
#[test]
fn help_has_a_legend_and_scrolls_to_its_end_and_no_further() {
    use crate::domain::vocab::Technique;
    use crate::text::Label;
    for lang in [Lang::Fr, Lang::En] {
        let (_d, mut app) = app_with(lang, Theme::colour(), (80, 24));
        key(&mut app, KeyCode::Char('?'));
        let scroll = |app: &App| match &app.overlay {
            Some(Overlay::Help(h)) => (h.scroll, h.max),
            _ => panic!("no help"),
        };
        let (below, above) = (
            crate::text::screen::help_more(lang, true),
            crate::text::screen::help_more(lang, false),
        );
        let top = screen(&app, 80, 24);
        assert!(top.contains(&below) && !top.contains(&above), "{top}");
        key(&mut app, KeyCode::PageDown);
        let (s, max) = scroll(&app);
        assert!(s > 1 && s < max, "{s} {max}");
        let middle = screen(&app, 80, 24);
        assert!(
            middle.contains(&below) && middle.contains(&above),
            "{middle}"
        );
        key(&mut app, KeyCode::End);
        assert_eq!(scroll(&app), (max, max));
        for _ in 0..3 {
            key(&mut app, KeyCode::Down);
            key(&mut app, KeyCode::PageDown);
        }
        assert_eq!(scroll(&app).0, max, "never past its end");
        // The end shows the last line of the legend, and nothing below.
        let end = screen(&app, 80, 24);
        assert!(end.contains(&above) && !end.contains(&below), "{end}");
        let last = Technique::ALL.last().expect("a technique");
        assert!(end.contains(last.label(lang)), "{end}");
        key(&mut app, KeyCode::PageUp);
        assert!(scroll(&app).0 < max);
        key(&mut app, KeyCode::Home);
        assert_eq!(scroll(&app).0, 0);
        // The whole help, read in one tall screen: the legend.
        let all = screen(&app, 120, 400);
        for t in Technique::ALL {
            let code = crate::tui::ui::board::abbrev(*t);
            assert!(
                all.lines()
                    .any(|l| l.contains(&format!("{code:<5} {}", t.label(lang)))),
                "{code}"
            );
        }
        for l in crate::text::screen::help_score_lines(lang) {
            assert!(all.contains(l.split(' ').next().expect("a code")), "{l}");
        }
        for marker in ["I ", "B ", "C ", "A ", "K ", "D ", "M ", "✓", "!", "✗", "–"] {
            assert!(all.contains(marker), "{marker}");
        }
        if lang == Lang::Fr {
            assert!(all.contains("M9\u{a0}: total de Mirels"), "{all}");
        }
    }
}

#[test]
fn changes_by_others_are_reloaded_with_the_selection_kept() {
    let (dir, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004505");
    // Another process (another connection) validates a case.
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    crate::decide::decide_external(
        &mut other,
        "SCH-2026-004501",
        crate::decide::Request::Validate {
            override_justification: None,
        },
    )
    .expect("decide");
    assert!(app.poll_changes());
    assert_eq!(
        app.current().map(|c| c.stored.file.external_id.as_str()),
        Some("SCH-2026-004505")
    );
    let id = crate::storage::read::by_external_id(app.db(), "SCH-2026-004501")
        .expect("case")
        .id;
    assert!(app.changed.contains(&id));
    assert!(!app.poll_changes(), "nothing new the second time");
}

#[test]
fn a_note_with_escape_sequences_renders_as_plain_text() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    app.handle_event(Event::Paste(
        "x\u{1b}]52;c;SGVsbG8=\u{7}y\u{1b}]0;title\u{7}z\u{1b}[2J\rw".into(),
    ));
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 120, 40);
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}') && !s.contains('\r'));
}

#[test]
fn the_context_decides_what_a_key_means() {
    let (_d, mut app) = app(Lang::En);
    assert_eq!(app.context(), Context::Board);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.context(), Context::Dialog);
    keys(&mut app, "q"); // typed, not quit
    assert!(!app.quit);
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_role_that_may_not_decide_is_told_why_and_nothing_is_written() {
    let (_d, mut app) = app(Lang::En);
    // A chair is needed to decide.
    become_secretary(&mut app);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(status_of(&app, "SCH-2026-004501"), DecisionStatus::Pending);
    let flash = app.flash.clone().expect("a message");
    assert!(
        flash.error && flash.text.contains("secretary") && flash.text.contains("chair"),
        "{flash:?}"
    );
    // Notes are allowed to a secretary.
    key(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
}

mod alerts;
mod day;
mod dialogs;
mod disabled;
mod export;
mod feed;
mod feed_state;
mod fit;
mod followups;
mod forms;
mod forms_anaesthesia;
mod lab_ack;
mod lookalike;
mod meeting;
mod narrow;
mod procedure;
mod protocol;
mod records;
mod reschedule;
mod resolve;
mod rules;
mod search;
mod stats;
mod tasks;
mod text;
mod trace;
mod viewer;
mod views;
mod zone;
