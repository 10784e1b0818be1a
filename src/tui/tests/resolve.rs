//! P: a file value that lost to what a person recorded, kept or taken on
//! the screen (issue 9): shown beside the stored one, chosen with k or t
//! and Enter, written and audited by storage, refused for a role without
//! the right to record that item.

use super::*;
use crate::domain::record::EvidenceKind;
use crate::storage::{cases, read};

/// The fixture's first case: coagulation of 25/11 on file (INR 1.05).
const ID: &str = "SCH-2026-004501";

/// A person records INR 2.4 on 27/11 (as the coagulation form saves; the
/// platelets, unchanged, keep their date of 25/11); then a file sends a
/// work-up of 26/11: its INR 1, older than the typed one, waits, pending;
/// its platelets, newer than the stored ones, are taken (issue 16: value by
/// value).
fn with_pending_coagulation(db: &mut Db) {
    let data = r#"{"at":"2026-11-27T08:00","inr":2.4,"platelets_g_l":236}"#;
    save_as_a_form(db, EvidenceKind::Coagulation, data);
    import_changed(db, |case| {
        let coagulation = r#"{"at":"2026-11-26T07:45","inr":1.0,"platelets_g_l":236}"#;
        case.set_evidence_json(EvidenceKind::Coagulation, coagulation)
            .expect("coagulation");
    });
}

fn save_as_a_form(db: &mut Db, kind: EvidenceKind, data: &str) {
    let case = read::by_external_id(db, ID).expect("case");
    let version = case.recorded(kind).map(|r| r.version);
    db.write(|w| cases::set_evidence(w, case.id, kind, data, version))
        .expect("a form's save");
}

/// Imports the fixture week with the first case changed by `change`.
fn import_changed(db: &mut Db, change: impl Fn(&mut crate::domain::model::CaseFile)) {
    let mut week = crate::testkit::fixture_cases();
    let case = week
        .iter_mut()
        .find(|c| c.external_id == ID)
        .expect("the case");
    change(case);
    crate::import::save_all(
        db,
        &week,
        "import:older.json",
        crate::import::Absent::Clears,
    )
    .expect("import");
}

/// The fixture week, `prepare`d through another connection (another
/// person, an import), then opened on the screen with the case selected.
fn app_after(lang: Lang, size: (u16, u16), prepare: impl Fn(&mut Db)) -> (tempfile::TempDir, App) {
    let (dir, app) = app_with(lang, Theme::colour(), size);
    drop(app);
    let mut db = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    prepare(&mut db);
    let opts = Options {
        lang,
        theme: Theme::colour(),
        mouse: false,
    };
    let mut app = App::new(db, WEEK.parse().expect("week"), opts, size).expect("app");
    select(&mut app, ID);
    (dir, app)
}

fn pending_app(lang: Lang) -> (tempfile::TempDir, App) {
    app_after(lang, (120, 40), with_pending_coagulation)
}

fn stored(app: &App) -> crate::domain::record::StoredCase {
    read::by_external_id(app.db(), ID).expect("case")
}

fn inr(app: &App) -> Option<f64> {
    stored(app).file.coagulation.and_then(|c| c.inr)
}

/// The screen's text in one line: borders and line breaks gone, so that a
/// wrapped message reads whole (the dialog as wide as the screen: 100).
fn flat(s: &str) -> String {
    s.lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The selected case's coagulation item carries a file conflict.
fn conflict_shown(app: &App) -> bool {
    app.current()
        .and_then(|c| {
            c.assessment
                .dossier
                .item(crate::domain::rules::Item::Coagulation)
        })
        .is_some_and(|i| i.findings.iter().any(|f| f.code == "file.conflict"))
}

#[test]
fn the_detail_shows_the_conflict_and_f_lists_it_beside_the_stored_value() {
    for (lang, name, line) in [
        (
            Lang::En,
            "en",
            "conflicting value on file for coagulation: INR 1, 2026-11-26 — keep or take",
        ),
        (
            Lang::Fr,
            "fr",
            "valeur du fichier en conflit pour coagulation : INR 1, 26/11/2026 — garder ou prendre",
        ),
    ] {
        let (_d, mut app) = app_after(lang, (80, 24), with_pending_coagulation);
        key(&mut app, KeyCode::Enter);
        let detail = flat(&screen(&app, 80, 24));
        assert!(detail.contains(line), "{detail}");
        key(&mut app, KeyCode::Esc);
        // The board offers P on this case.
        let board = screen(&app, 120, 40);
        let hint = if lang == Lang::En {
            "P file conflict"
        } else {
            "P conflit fichier"
        };
        assert!(board.contains(hint), "{board}");

        let (_d, mut app) = pending_app(lang);
        assert!(conflict_shown(&app));
        if lang == Lang::En {
            assert!(!f_hint_dimmed(&app), "a chair may");
        }
        keys(&mut app, "P");
        assert_eq!(app.context(), Context::Resolve);
        insta::assert_snapshot!(format!("resolve_{name}"), screen(&app, 120, 40));
        key(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
        assert_eq!(stored(&app).pending.len(), 1, "Esc writes nothing");
    }
}

#[test]
fn k_then_enter_keeps_the_stored_value_and_audits_it() {
    let (_d, mut app) = pending_app(Lang::En);
    keys(&mut app, "Pk");
    assert_eq!(app.context(), Context::ResolveConfirm);
    let s = flat(&screen(&app, 100, 40));
    assert!(
        s.contains("Coagulation: keep the stored value (INR 2.4 (2026-11-27 08:00), platelets 236 (2026-11-26 07:45)) and drop the file's (INR 1, 2026-11-26 07:45)? Enter: yes · Esc: no"),
        "{s}"
    );
    assert_eq!(stored(&app).pending.len(), 1, "nothing before Enter");
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "nothing left to choose");
    assert!(stored(&app).pending.is_empty());
    assert_eq!(inr(&app), Some(2.4));
    assert!(actions_of(&app, ID).contains(&"resolve.coagulation.keep".to_owned()));
    let flash = app.flash.clone().expect("a message");
    assert!(
        !flash.error && flash.text.contains("the stored value is kept"),
        "{flash:?}"
    );
    // The board shows it at once: no conflict line, no P hint.
    assert!(!conflict_shown(&app));
    app.flash = None;
    assert!(!screen(&app, 120, 40).contains("P file conflict"));
}

#[test]
fn t_then_enter_takes_the_file_value() {
    let (_d, mut app) = pending_app(Lang::Fr);
    keys(&mut app, "Pt");
    assert!(flat(&screen(&app, 100, 40)).contains(
        "Coagulation : prendre la valeur du fichier (INR 1, 2026-11-26 07:45) à la place de l'enregistrée"
    ));
    key(&mut app, KeyCode::Enter);
    assert_eq!(inr(&app), Some(1.0));
    assert!(stored(&app).pending.is_empty());
    assert!(actions_of(&app, ID).contains(&"resolve.coagulation.take".to_owned()));
    let flash = app.flash.clone().expect("a message");
    assert!(
        flash.text.contains("la valeur du fichier est retenue"),
        "{flash:?}"
    );
}

#[test]
fn escape_on_the_question_goes_back_and_writes_nothing() {
    let (_d, mut app) = pending_app(Lang::En);
    let before = actions_of(&app, ID).len();
    keys(&mut app, "Pk");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Resolve, "back to the list");
    // Typing k to go up (as elsewhere) asks first: Esc again closes.
    keys(&mut app, "k");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(actions_of(&app, ID).len(), before);
    assert_eq!(stored(&app).pending.len(), 1);
    assert_eq!(inr(&app), Some(2.4));
}

/// The status line's P is drawn dimmed (what the role may not do).
fn f_hint_dimmed(app: &App) -> bool {
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    let buf = t.backend().buffer().clone();
    let line: String = (0..120u16)
        .map(|x| buf[(x, 39)].symbol().to_owned())
        .collect();
    let x = line.find("P file conflict").expect("the P hint");
    let x = u16::try_from(line[..x].chars().count()).expect("column");
    buf[(x, 39)].modifier.contains(Modifier::DIM)
}

#[test]
fn a_role_without_the_right_is_told_why_and_nothing_changes() {
    let (_d, mut app) = pending_app(Lang::En);
    become_role(&mut app, "anaesthetist");
    let before = actions_of(&app, ID).len();
    // The hint is dimmed; P says why.
    assert!(f_hint_dimmed(&app));
    keys(&mut app, "P");
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("a message");
    assert!(
        flash.error && flash.text.contains("anaesthetist") && flash.text.contains("radiographer"),
        "{flash:?}"
    );
    assert_eq!(actions_of(&app, ID).len(), before);
    assert_eq!(stored(&app).pending.len(), 1);
    assert_eq!(inr(&app), Some(2.4));
}

#[test]
fn a_secretary_keeps_a_coagulation_but_not_a_score() {
    let (_d, mut app) = app_after(Lang::En, (120, 40), |db| {
        let scores = r#"{"sins":[{"level":"T12","pain":"non_mechanical","lesion":"lytic","alignment":"deformity","collapse":"gt_50","posterolateral":"unilateral"}]}"#;
        save_as_a_form(db, EvidenceKind::Scores, scores);
        let data = r#"{"at":"2026-11-27T08:00","inr":2.4,"platelets_g_l":236}"#;
        save_as_a_form(db, EvidenceKind::Coagulation, data);
        import_changed(db, |case| {
            let coagulation = r#"{"at":"2026-11-26T07:45","inr":1.0,"platelets_g_l":236}"#;
            case.set_evidence_json(EvidenceKind::Coagulation, coagulation)
                .expect("coagulation");
            let scores = scores.replace("non_mechanical", "pain_free");
            case.set_evidence_json(EvidenceKind::Scores, &scores)
                .expect("scores");
        });
    });
    assert_eq!(stored(&app).pending.len(), 2);
    become_secretary(&mut app);
    keys(&mut app, "P");
    let Some(Overlay::Resolve(r)) = &app.overlay else {
        panic!("open: {:?}", app.flash);
    };
    let items: Vec<&str> = r.rows.iter().map(|x| x.item.as_str()).collect();
    assert_eq!(items, ["Coagulation", "Score items (Mirels, SINS)"]);
    // On the score line: dimmed, with the reason; k refuses.
    key(&mut app, KeyCode::Down);
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Not for your role (secretary): allowed for chair, radiologist."),
        "{s}"
    );
    keys(&mut app, "k");
    assert_eq!(app.context(), Context::Resolve, "no question asked");
    assert!(app.flash.as_ref().is_some_and(|f| f.error));
    // The coagulation is hers to keep.
    key(&mut app, KeyCode::Up);
    keys(&mut app, "k");
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Resolve(r)) = &app.overlay else {
        panic!("the score stays to choose on");
    };
    assert_eq!(r.rows.len(), 1);
    let left: Vec<String> = stored(&app).pending.into_iter().map(|p| p.item).collect();
    assert_eq!(left, ["scores"]);
    assert!(!actions_of(&app, ID).contains(&"resolve.scores.keep".to_owned()));
}

#[test]
fn f_on_a_case_without_a_conflict_says_so() {
    let (_d, mut app) = app(Lang::Fr);
    select(&mut app, "SCH-2026-004505");
    keys(&mut app, "P");
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("a message");
    assert!(!flash.error, "{flash:?}");
    assert_eq!(
        flash.text,
        "Aucune valeur du fichier en conflit pour SCH-2026-004505\u{a0}: rien à garder ni à prendre."
    );
}

/// Someone else saves the coagulation of the case (another connection).
fn someone_else_types(dir: &tempfile::TempDir, inr: f64) {
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let data = format!(r#"{{"at":"2026-11-27T09:00","inr":{inr},"platelets_g_l":236}}"#);
    save_as_a_form(&mut other, EvidenceKind::Coagulation, &data);
}

#[test]
fn a_stored_value_changed_after_it_was_shown_is_not_chosen_over() {
    let (dir, mut app) = pending_app(Lang::En);
    keys(&mut app, "Pk");
    someone_else_types(&dir, 2.6);
    let before = actions_of(&app, ID).len();
    key(&mut app, KeyCode::Enter);
    let flash = app.flash.clone().expect("a message");
    assert!(
        flash.error && flash.text.contains("Changed meanwhile"),
        "{flash:?}"
    );
    assert_eq!(actions_of(&app, ID).len(), before, "nothing written");
    assert_eq!(stored(&app).pending.len(), 1);
    // The dialog shows the value as it is now, and asks again.
    assert_eq!(app.context(), Context::Resolve);
    assert!(flat(&screen(&app, 100, 40)).contains("stored: INR 2.6"));
    keys(&mut app, "k");
    key(&mut app, KeyCode::Enter);
    assert!(stored(&app).pending.is_empty());
    assert_eq!(inr(&app), Some(2.6));
}

#[test]
fn a_change_seen_while_asking_drops_the_question() {
    let (dir, mut app) = pending_app(Lang::En);
    keys(&mut app, "Pt");
    someone_else_types(&dir, 2.6);
    assert!(app.poll_changes());
    assert_eq!(
        app.context(),
        Context::Resolve,
        "Enter will not take over 2.6 unseen"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(inr(&app), Some(2.6));
    assert_eq!(stored(&app).pending.len(), 1);
}
