//! The local protocol's line in the board's header (issue 17): amber while
//! the rules in force are not the ones last approved; it follows an
//! approval written by another process (the file's poll) and a change of a
//! rule typed on the `R` screen.

use super::rules::{open_on_low_risk_hold, retype};
use super::*;

/// The header's rows (as many as the header takes).
fn header(app: &App, w: u16, h: u16) -> Vec<String> {
    let lines = usize::from(app.areas_at((w, h)).header.height);
    screen(app, w, h)
        .lines()
        .take(lines)
        .map(str::to_owned)
        .collect()
}

/// The foreground colour of the first cell of `text` in the header, if it
/// shows there.
fn colour_of(app: &App, text: &str, w: u16, h: u16) -> Option<Color> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    let buf = t.backend().buffer().clone();
    let first = text.chars().next()?;
    for y in 0..app.areas_at((w, h)).header.height {
        let row: Vec<&str> = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        let line = row.concat();
        if let Some(at) = line.find(text) {
            // The column: the cells before the byte offset (one symbol each).
            let mut bytes = 0;
            for (x, s) in row.iter().enumerate() {
                if bytes == at && s.starts_with(first) {
                    return Some(buf[(x as u16, y)].fg);
                }
                bytes += s.len();
            }
        }
    }
    None
}

/// Approves the protocol from another connection (as `rules approve`
/// would), then lets the screen see the file changed.
fn approve_elsewhere(dir: &tempfile::TempDir, app: &mut App, note: &str) {
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    other
        .write_as(&crate::storage::needs::rules_approve(), |w| {
            crate::storage::protocol::approve_current(w, note)
        })
        .expect("approved");
    assert!(app.poll_changes(), "the screen sees the file changed");
}

/// The date an approval made today reads in the header.
fn on(lang: Lang) -> String {
    crate::text::typo::date(lang, crate::testkit::today())
}

#[test]
fn the_header_follows_the_protocol_through_approvals_and_a_change_typed_in() {
    let yellow = Some(Color::Yellow);
    let (dir, mut app) = app_with(Lang::Fr, Theme::colour(), (120, 40));
    let joined = |app: &App| header(app, 120, 40).join("\n");
    // A new file: never approved, in amber.
    let never = "protocole v1, jamais approuvé";
    assert!(joined(&app).contains(never), "{}", joined(&app));
    assert_eq!(colour_of(&app, never, 120, 40), yellow);
    insta::assert_snapshot!("protocol_header_never_fr_120x40", joined(&app));

    approve_elsewhere(&dir, &mut app, "relu en réunion");
    let approved = format!("protocole v1, approuvé le {}", on(Lang::Fr));
    assert!(joined(&app).contains(&approved), "{}", joined(&app));
    let shown = colour_of(&app, &approved, 120, 40).expect("the approved line shows");
    assert_ne!(Some(shown), yellow, "not amber");

    // A drug hold changed with keys on the rules screen (a chair).
    open_on_low_risk_hold(&mut app, "apixaban");
    key(&mut app, KeyCode::Enter);
    retype(&mut app, "2");
    assert_eq!(app.context(), crate::tui::keys::Context::Rules);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    let modified = format!(
        "protocole v2 modifié depuis l'approbation (v1 du {})",
        on(Lang::Fr)
    );
    assert!(joined(&app).contains(&modified), "{}", joined(&app));
    assert_eq!(colour_of(&app, &modified, 120, 40), yellow);
    insta::assert_snapshot!("protocol_header_modified_fr_120x40", joined(&app));

    approve_elsewhere(&dir, &mut app, "arrêt de l'apixaban relu");
    let again = format!("protocole v2, approuvé le {}", on(Lang::Fr));
    assert!(joined(&app).contains(&again), "{}", joined(&app));
    let shown = colour_of(&app, &again, 120, 40).expect("the approved line shows");
    assert_ne!(Some(shown), yellow);
}

#[test]
fn the_line_fits_80_columns_in_both_languages() {
    for lang in [Lang::Fr, Lang::En] {
        let (dir, mut app) = app_with(lang, Theme::colour(), (80, 24));
        let never = crate::text::protocol::line(lang, &app.data.protocol, app.data.tz);
        let lines = header(&app, 80, 24);
        assert!(lines.iter().any(|l| l.contains(&never)), "{lines:?}");
        for l in &lines {
            use unicode_width::UnicodeWidthStr;
            assert!(l.width() <= 80, "{l}");
        }
        let name = lang.pick("en", "fr");
        insta::assert_snapshot!(
            format!("protocol_header_never_{name}_80x24"),
            lines.join("\n")
        );
        // Approved: the line gives way to the counts (three lines), and is
        // never amber where it shows.
        approve_elsewhere(&dir, &mut app, "ok");
        let lines = header(&app, 80, 24);
        assert_eq!(lines.len(), 3, "{lines:?}");
        // At 80 columns the approved line gives way entirely (only the
        // amber states are kept whatever the width).
        let approved = crate::text::protocol::line(lang, &app.data.protocol, app.data.tz);
        assert!(!lines.iter().any(|l| l.contains(&approved)), "{lines:?}");
        assert_eq!(colour_of(&app, &approved, 80, 24), None);
        insta::assert_snapshot!(
            format!("protocol_header_approved_{name}_80x24"),
            lines.join("\n")
        );
    }
}

#[test]
fn a_change_made_elsewhere_shows_at_the_next_poll() {
    let (dir, mut app) = app_with(Lang::En, Theme::colour(), (120, 40));
    approve_elsewhere(&dir, &mut app, "reviewed");
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    other
        .write_as(&crate::storage::needs::rules_set(), |w| {
            crate::storage::rules::set(
                w,
                &crate::storage::rules::Change {
                    rule: "imaging.max_age".into(),
                    subject: "*".into(),
                    risk: "*".into(),
                    value: Some(60.0),
                    severity: None,
                    expected_version: None,
                },
            )
        })
        .expect("set");
    assert!(app.poll_changes());
    let head = header(&app, 120, 40).join("\n");
    let want = format!(
        "protocol v2 changed since its approval (v1 of {})",
        on(Lang::En)
    );
    assert!(head.contains(&want), "{head}");
}
