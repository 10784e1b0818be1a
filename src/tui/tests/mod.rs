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
    let login = crate::storage::identity::login();
    app.db_mut_for_tests()
        .write(|w| {
            w.tx().execute("INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')", [])?;
            w.tx().execute("UPDATE users SET role = 'secretary' WHERE login = ?1", [&login])?;
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
    let s = screen(&app, 120, 250).replace('│', " ");
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

// ---- Keys drive the app; the database records ----

#[test]
fn validating_a_complete_case_takes_effect_at_once() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('v'));
    assert!(app.overlay.is_none(), "no dialog for a complete case");
    assert_eq!(
        status_of(&app, "SCH-2026-004501"),
        DecisionStatus::Validated
    );
    assert!(actions_of(&app, "SCH-2026-004501").contains(&"decision.validated".to_owned()));
    // The board reflects it at once, selection kept.
    assert_eq!(
        app.current().map(|c| c.stored.status),
        Some(DecisionStatus::Validated)
    );
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(status_of(&app, "SCH-2026-004501"), DecisionStatus::Pending);
}

#[test]
fn validating_a_blocking_case_needs_a_justification() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004503");
    key(&mut app, KeyCode::Char('v'));
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    let s = screen(&app, 120, 40);
    assert!(s.contains("imaging"), "the blocking items are listed:\n{s}");
    // An empty justification is refused in the dialog.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    assert_eq!(status_of(&app, "SCH-2026-004503"), DecisionStatus::Pending);
    keys(&mut app, "CT booked for Monday, seen by Dr Martin");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(
        status_of(&app, "SCH-2026-004503"),
        DecisionStatus::Validated
    );
    let c = crate::storage::read::by_external_id(app.db(), "SCH-2026-004503").expect("case");
    let last = c.decisions.last().expect("a decision");
    assert_eq!(
        last.override_justification.as_deref(),
        Some("CT booked for Monday, seen by Dr Martin")
    );
}

#[test]
fn postponing_asks_for_a_reason_and_proposes_next_week() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004509");
    key(&mut app, KeyCode::Char('p'));
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(d.week_text(), "2026-W50");
    keys(&mut app, "biology not done");
    // A pasted paragraph is not submitted at its first line.
    app.handle_event(Event::Paste("\nsecond line\nthird line".into()));
    assert!(matches!(app.overlay, Some(Overlay::Dialog(_))));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(
        status_of(&app, "SCH-2026-004509"),
        DecisionStatus::Postponed
    );
    let c = crate::storage::read::by_external_id(app.db(), "SCH-2026-004509").expect("case");
    let last = c.decisions.last().expect("decision");
    assert_eq!(
        last.reason.as_deref(),
        Some("biology not done\nsecond line\nthird line")
    );
    assert_eq!(last.to_week.as_deref(), Some("2026-W50"));
    // The target week shows it at the top, to reschedule.
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.week().to_string(), "2026-W50");
    assert_eq!(
        app.current().map(|c| c.stored.file.external_id.as_str()),
        Some("SCH-2026-004509")
    );
    assert!(app.current().is_some_and(|c| c.to_reschedule));
    // Not complete for that week: it has no slot there yet.
    assert!(app.current().is_some_and(|c| !c.assessment.complete()));
}

#[test]
fn cancelling_asks_for_a_reason_and_a_confirmation() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004510");
    key(&mut app, KeyCode::Char('c'));
    keys(&mut app, "patient died");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status_of(&app, "SCH-2026-004510"),
        DecisionStatus::Pending,
        "not before the confirmation"
    );
    assert!(screen(&app, 120, 40).contains("Cancel this procedure?"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status_of(&app, "SCH-2026-004510"),
        DecisionStatus::Cancelled
    );
}

#[test]
fn escape_closes_a_dialog_without_writing() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004510");
    let before = actions_of(&app, "SCH-2026-004510").len();
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "draft text");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    // No note and no decision; the text is kept as a draft (nothing lost to
    // a stray Esc) and comes back with the same key.
    let after = actions_of(&app, "SCH-2026-004510");
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.last().map(String::as_str), Some("draft.save"));
    key(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(d.body(), "draft text");
}

#[test]
fn the_detail_scrolls_within_its_content_and_each_case_opens_at_its_top() {
    let (_d, mut app) = app_with(Lang::En, Theme::colour(), (80, 24));
    select(&mut app, "SCH-2026-004513");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::End);
    let max = super::ui::detail::max_scroll(&app);
    assert!(max > 0);
    assert_eq!(app.detail_scroll, max);
    for _ in 0..50 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(app.detail_scroll, max, "no scrolling past the end");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.detail_scroll, max - 1);
    assert!(screen(&app, 80, 24).contains("Decisions"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.detail_scroll, 0);
}

#[test]
fn a_note_keeps_its_lines_and_new_lines_come_from_ctrl_j() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "line one");
    app.handle_event(Event::Key(KeyEvent::new(
        KeyCode::Char('j'),
        KeyModifiers::CONTROL,
    )));
    keys(&mut app, "line two");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    let c = crate::storage::read::by_external_id(app.db(), "SCH-2026-004501").expect("case");
    assert_eq!(
        c.notes.last().map(|n| n.body.as_str()),
        Some("line one\nline two")
    );
}

#[test]
fn an_unfinished_text_is_kept_as_a_draft_and_offered_back() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('n'));
    keys(&mut app, "half a sentence");
    app.save_draft(); // what SIGHUP does
    app.overlay = None;
    key(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Dialog(d)) = &app.overlay else {
        panic!("no dialog")
    };
    assert_eq!(d.body(), "half a sentence");
}

#[test]
fn search_ignores_accents_and_case() {
    let (_d, mut app) = app(Lang::En);
    let total = app.visible.len();
    key(&mut app, KeyCode::Char('/'));
    keys(&mut app, "helene");
    key(&mut app, KeyCode::Enter);
    assert!(!app.visible.is_empty() && app.visible.len() < total);
    for &i in &app.visible {
        assert!(
            app.data.cases[i]
                .stored
                .file
                .patient
                .first_name
                .contains("Hélène")
        );
    }
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.visible.len(), total);
}

/// The last names of the cases a search typed after `/` keeps.
fn searched(app: &mut App, text: &str) -> std::collections::BTreeSet<String> {
    key(app, KeyCode::Char('/'));
    keys(app, text);
    key(app, KeyCode::Enter);
    app.visible
        .iter()
        .map(|&i| app.data.cases[i].stored.file.patient.last_name.clone())
        .collect()
}

/// Names are matched without spaces, apostrophes and hyphens, every word
/// must match, and the IPP, the case id and the operator are searched too.
#[test]
fn a_search_finds_names_ids_and_operators_word_by_word() {
    let (_d, mut app) = app(Lang::En);
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
    let id_of = |app: &App, last: &str| {
        let c = app
            .data
            .cases
            .iter()
            .find(|c| c.stored.file.patient.last_name == last);
        let f = &c.expect(last).stored.file;
        (f.external_id.clone(), f.patient.ipp.clone())
    };
    let (rousseau_id, rousseau_ipp) = id_of(&app, "Mégane-Rousseau");
    let table: Vec<(String, std::collections::BTreeSet<String>)> = vec![
        ("darcy".into(), set(&["d'Arcy"])),
        ("D'ARCY".into(), set(&["d'Arcy"])),
        ("ledu".into(), set(&["Le Dû"])),
        ("megane rousseau".into(), set(&["Mégane-Rousseau"])),
        ("rousseau benedicte".into(), set(&["Mégane-Rousseau"])),
        ("rousseau nobody".into(), set(&[])),
        (rousseau_id.clone(), set(&["Mégane-Rousseau"])),
        (rousseau_id.replace('-', ""), set(&["Mégane-Rousseau"])),
        (rousseau_ipp, set(&["Mégane-Rousseau"])),
    ];
    for (query, expected) in &table {
        assert_eq!(&searched(&mut app, query), expected, "{query}");
    }
    // The operator: every case of Dr Benali, and only those.
    let benali: std::collections::BTreeSet<String> = app
        .data
        .cases
        .iter()
        .filter(|c| c.stored.file.procedure.operator == "Dr Benali")
        .map(|c| c.stored.file.patient.last_name.clone())
        .collect();
    assert!(!benali.is_empty());
    assert_eq!(searched(&mut app, "benali"), benali);
}

/// `/` starts a new search rather than adding to the last one, which ↑
/// brings back.
#[test]
fn slash_starts_a_new_search_and_up_brings_back_the_last() {
    let (_d, mut app) = app(Lang::En);
    let total = app.visible.len();
    assert_eq!(searched(&mut app, "darcy"), ["d'Arcy".to_string()].into());
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(app.search, "");
    assert_eq!(app.visible.len(), total);
    keys(&mut app, "ledu");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.search, "ledu");
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Up);
    assert_eq!(app.search, "ledu");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.visible.len(), 1);
    // Esc while typing clears it.
    key(&mut app, KeyCode::Char('/'));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.visible.len(), total);
}

#[test]
fn filters_cycle() {
    let (_d, mut app) = app(Lang::En);
    let total = app.visible.len();
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(app.filter, Filter::Incomplete);
    assert!(
        app.visible
            .iter()
            .all(|&i| !app.data.cases[i].assessment.complete())
    );
    assert!(app.visible.len() < total);
    for _ in 0..6 {
        key(&mut app, KeyCode::Char('f'));
    }
    assert_eq!(app.filter, Filter::All);
}

/// `f` also keeps the cancelled cases, then those to reschedule: each
/// filter keeps exactly the cases it names.
#[test]
fn filters_keep_the_cancelled_and_those_to_reschedule() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, "SCH-2026-004510");
    key(&mut app, KeyCode::Char('c'));
    keys(&mut app, "patient declined");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status_of(&app, "SCH-2026-004510"),
        DecisionStatus::Cancelled
    );
    type Keeps = fn(&crate::tui::data::CaseView) -> bool;
    let table: [(Filter, Keeps, &str); 7] = [
        (Filter::All, |_| true, "all"),
        (
            Filter::Incomplete,
            |c| !c.assessment.complete(),
            "incomplete",
        ),
        (
            Filter::Pending,
            |c| c.stored.status == DecisionStatus::Pending,
            "pending",
        ),
        (
            Filter::Validated,
            |c| c.stored.status == DecisionStatus::Validated,
            "validated",
        ),
        (
            Filter::Postponed,
            |c| c.stored.status == DecisionStatus::Postponed,
            "postponed",
        ),
        (
            Filter::Cancelled,
            |c| c.stored.status == DecisionStatus::Cancelled,
            "cancelled",
        ),
        (Filter::ToReschedule, |c| c.to_reschedule, "to reschedule"),
    ];
    for (filter, keeps, label) in table {
        assert_eq!(app.filter, filter);
        let expected: Vec<usize> = (0..app.data.cases.len())
            .filter(|&i| keeps(&app.data.cases[i]))
            .collect();
        assert_eq!(app.visible, expected, "{filter:?}");
        assert_eq!(crate::text::screen::filter(Lang::En, filter), label);
        if filter == Filter::Cancelled {
            assert_eq!(app.visible.len(), 1);
        }
        key(&mut app, KeyCode::Char('f'));
    }
    assert_eq!(app.filter, Filter::All);
}

#[test]
fn weeks_change_with_brackets() {
    let (_d, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.week().to_string(), "2026-W50");
    assert!(screen(&app, 120, 40).contains("No procedure scheduled"));
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.week().to_string(), WEEK);
    assert!(!app.visible.is_empty());
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

mod dialogs;
mod disabled;
mod export;
mod fit;
mod forms;
mod lookalike;
mod meeting;
mod narrow;
mod procedure;
mod resolve;
mod rules;
mod tasks;
mod text;
mod trace;
mod viewer;
mod views;
mod zone;
