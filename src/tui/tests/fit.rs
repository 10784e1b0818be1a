//! 80 columns and wider (issue 14 §4): nothing that carries a number or a
//! path is cut. The footer leaves whole hints out, the help's last; a
//! message wraps and the status area grows; the detail pane takes a third
//! of a wide screen.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::tui::app::Flash;
use crate::tui::keys;
use crate::tui::ui::layout;

const LONG_PATH: &str =
    "/home/dr-martin/comite-radiologie-interventionnelle/2026/programme-semaine-49-salle-2.html";

/// The rows of `s` in `r` (a rectangle of the screen), joined.
fn rows_of(s: &str, r: ratatui::layout::Rect) -> Vec<String> {
    s.lines()
        .skip(usize::from(r.y))
        .take(usize::from(r.height))
        .map(|l| l.chars().skip(usize::from(r.x)).collect())
        .collect()
}

#[test]
fn snapshots_in_french_cut_nothing() {
    for (w, h) in [(80, 24), (120, 40), (160, 40)] {
        let (_d, mut app) = app_with(Lang::Fr, Theme::colour(), (w, h));
        // The footer at 80 and 120: `board_snapshots`.
        if w > 120 {
            insta::assert_snapshot!(format!("layout_board_fr_{w}x{h}"), screen(&app, w, h));
        }
        app.flash = Some(Flash {
            text: crate::text::screen::exported(Lang::Fr, LONG_PATH, 12, false),
            error: false,
        });
        let s = screen(&app, w, h);
        let status = rows_of(&s, app.areas_at((w, h)).status).concat();
        assert!(status.contains(LONG_PATH), "{w}: {status}");
        insta::assert_snapshot!(format!("layout_exported_fr_{w}x{h}"), s);
    }
}

/// The board's footer at `w` columns is a run of whole hints, in the key
/// table's order, the help's first.
fn assert_whole_hints(app: &App, lang: Lang, w: u16) -> usize {
    let s = screen(app, w, 24);
    let footer = s.lines().last().expect("footer").to_owned();
    let hints: Vec<String> = keys::hints(Context::Board)
        .iter()
        .filter(|b| app.offers(b.offer))
        .map(|b| {
            format!(
                "{} {}",
                keys::keys_of(Context::Board, b.action, lang),
                crate::text::screen::hint_in(lang, Context::Board, b.action)
            )
        })
        .collect();
    assert!(footer.starts_with(&hints[0]), "the help first: {footer}");
    let mut rest = footer.as_str();
    let mut shown = 0;
    for h in &hints {
        if let Some(r) = rest.strip_prefix(h.as_str()) {
            rest = r.strip_prefix("  ").unwrap_or(r);
            shown += 1;
        }
    }
    assert_eq!(rest, "", "{w} columns, a hint is cut: {footer}");
    shown
}

#[test]
fn at_80_columns_every_footer_hint_is_whole_and_the_export_path_whole() {
    for lang in [Lang::Fr, Lang::En] {
        let (_d, mut app) = app_with(lang, Theme::colour(), (80, 24));
        let n80 = assert_whole_hints(&app, lang, 80);
        let n120 = assert_whole_hints(&app, lang, 120);
        let all = assert_whole_hints(&app, lang, 250);
        assert!(n80 >= 4 && n80 < n120 && n120 < all, "{n80} {n120} {all}");
        // A secretary's footer dims what she may not do; still whole.
        become_secretary(&mut app);
        assert_whole_hints(&app, lang, 80);
    }
    // The export path, from the screen, wraps rather than being cut.
    let (dir, mut app) = app_with(Lang::Fr, Theme::colour(), (80, 24));
    let folder = dir
        .path()
        .join("un-dossier-au-nom-assez-long-pour-deborder-de-la-ligne");
    std::fs::create_dir(&folder).expect("folder");
    let out = folder.join("programme-de-la-semaine-49.html");
    key(&mut app, KeyCode::End);
    super::export::export_to(&mut app, &out);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let s = screen(&app, 80, 24);
    let a = app.areas();
    assert!(a.status.height >= 2, "the status area grows");
    let status = rows_of(&s, a.status).concat();
    let whole = out.display().to_string();
    assert!(status.contains(&whole), "{whole} in {status}");
    // The selected case (the last) stays on screen above the message.
    let last = app
        .current()
        .expect("selected")
        .stored
        .file
        .external_id
        .clone();
    let name = app.current().expect("selected").name.last.clone();
    assert!(rows_of(&s, a.board).concat().contains(&name), "{last}\n{s}");
    // The next key takes the message away and the footer comes back.
    key(&mut app, KeyCode::Up);
    assert_eq!(app.areas().status.height, 1);
}

#[test]
fn the_header_never_cuts_a_number_at_80_columns_whatever_the_order_and_filter() {
    // A day, room or operator, the filter and a search together take the
    // header to a fourth line rather than leave a count out.
    for lang in [Lang::Fr, Lang::En] {
        let (_d, mut app) = app_with(lang, Theme::colour(), (80, 24));
        for _ in 0..4 {
            for _ in 0..3 {
                // The header as tall as it is drawn at that width.
                let head = |w: u16| {
                    let lines = app.areas_at((w, 24)).header.height;
                    screen(&app, w, 24)
                        .lines()
                        .take(usize::from(lines))
                        .collect::<Vec<_>>()
                        .join(" · ")
                };
                let narrow_head = head(80);
                for seg in head(400).split(" · ") {
                    if seg.chars().any(|c| c.is_ascii_digit()) {
                        assert!(
                            narrow_head.contains(seg.trim()),
                            "« {seg} » cut at 80 columns:\n{narrow_head}"
                        );
                    }
                }
                key(&mut app, KeyCode::Char('f'));
            }
            key(&mut app, KeyCode::Char('o'));
            // Then an operator, and a long search, on top.
            if app.narrow.is_none() {
                let operator = crate::tui::app::Narrow::choices(&app.data.cases)
                    .into_iter()
                    .rev()
                    .map(|(n, _)| n)
                    .next();
                key(&mut app, KeyCode::Char('s'));
                while let Some(Overlay::Narrow(s)) = &app.overlay {
                    if s.selected > 0
                        && s.choices.get(s.selected - 1).map(|c| &c.0) == operator.as_ref()
                    {
                        key(&mut app, KeyCode::Enter);
                    } else {
                        key(&mut app, KeyCode::Up);
                    }
                }
                assert!(app.narrow.is_some());
            } else if app.search.is_empty() {
                keys(&mut app, "/une recherche bien plus longue que la place");
                key(&mut app, KeyCode::Enter);
            }
        }
    }
}

#[test]
fn from_120_columns_the_detail_takes_a_third() {
    for (w, detail) in [
        (119, None),
        (120, Some(40)),
        (160, Some(53)),
        (300, Some(80)),
    ] {
        let a = layout::areas((w, 40), false);
        assert_eq!(a.detail.map(|d| d.width), detail, "{w}");
        assert_eq!(a.board.width + detail.unwrap_or(0), w);
    }
}

#[test]
fn the_header_takes_a_fourth_line_rather_than_leave_a_count_out() {
    let (d, mut app) = app_with(Lang::Fr, Theme::colour(), (80, 24));
    app.narrow = Some(crate::tui::app::Narrow::Operator("Dr Lefèvre".into()));
    key(&mut app, KeyCode::Char('f'));
    keys(&mut app, "/ar");
    key(&mut app, KeyCode::Enter);
    // The protocol never approved (issue 17): its line, never left out,
    // takes a fifth.
    assert_eq!(app.areas().header.height, 5);
    assert!(screen(&app, 80, 24).contains("protocole v1, jamais approuvé"));
    // Approved, the line gives way: four.
    crate::storage::Db::open(&d.path().join("t.sqlite"), crate::testkit::clock())
        .expect("open")
        .write_as(&crate::storage::needs::rules_approve(), |w| {
            crate::storage::protocol::approve_current(w, "relu")
        })
        .expect("approved");
    assert!(app.poll_changes());
    assert_eq!(app.areas().header.height, 4);
    let s = screen(&app, 80, 24);
    for count in [
        "relances 38 (0 trop tard)",
        "décidés 0, restent 39",
        "annulés 0",
    ] {
        assert!(s.contains(count), "{count} in\n{s}");
    }
    insta::assert_snapshot!("layout_header_4_lines_fr_80x24", s);
    // Esc twice (the search, then the operator): 3 lines again.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.narrow, None);
    assert_eq!(app.areas().header.height, 3);
}

/// A dialog's key row at 80 columns holds whole hints only (the postpone
/// dialog's "new line" hint was cut in the middle of a word).
#[test]
fn a_dialogs_key_row_holds_whole_hints_at_80_columns() {
    let (_d, mut app) = app_with(Lang::Fr, Theme::colour(), (80, 24));
    key(&mut app, KeyCode::Char('p'));
    assert_eq!(app.context(), Context::Dialog);
    let s = screen(&app, 80, 24);
    let hint = |a| {
        format!(
            "{} {}",
            keys::keys_of(Context::Dialog, a, Lang::Fr),
            crate::text::screen::hint_in(Lang::Fr, Context::Dialog, a)
        )
    };
    let submit = hint(Action::Submit);
    let row = s
        .lines()
        .find(|l| l.contains(&submit))
        .expect("the dialog's key row");
    // Between the dialog's borders (the board shows on either side).
    let inner = row.split('│').nth(1).expect("inside the dialog").trim();
    let mut rest = inner;
    for a in [Action::Submit, Action::Dismiss, Action::NewLine] {
        if let Some(r) = rest.strip_prefix(hint(a).as_str()) {
            rest = r.trim_start();
        }
    }
    assert_eq!(rest, "", "a hint is cut: {row}");
}
