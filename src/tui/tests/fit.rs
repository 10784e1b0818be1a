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
    for lang in [Lang::Fr, Lang::En] {
        let (_d, mut app) = app_with(lang, Theme::colour(), (80, 24));
        for _ in 0..4 {
            for _ in 0..3 {
                let wide = screen(&app, 400, 24);
                let head = |s: &str| {
                    s.lines()
                        .take(usize::from(layout::HEADER_H))
                        .collect::<Vec<_>>()
                        .join(" · ")
                };
                let narrow = screen(&app, 80, 24);
                let narrow_head = head(&narrow);
                for seg in head(&wide).split(" · ") {
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
