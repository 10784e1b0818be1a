//! The follow-up calls on the screen (issue 15 §2–3): `F` lists the calls
//! due and overdue per operator, `m` keeps "mine", Enter records a call in
//! its form (checked, versioned: a call recorded meanwhile is a conflict
//! that loses nothing); a role that may not read them, or not record them,
//! is told so; the nurse lands on them; the board's header counts the
//! overdue ones.

use super::*;
use crate::tui::app::{FollowUpFormState, FollowUpsState};

/// Performed before the fixture's today (2026-11-26): 004501 (Dr Martin)
/// on 20/10, M1 due until 01/12; 004502 (Dr Martin) on 01/10, M1 overdue
/// since 12/11; 004503 (Dr Nguyen) on 25/10, M1 due until 06/12; 004504
/// (Dr Nguyen) yesterday, its J+1 due today; 004505 (Dr Benali) on 20/11,
/// nothing due yet.
const PERFORMED: [(&str, &str); 5] = [
    ("SCH-2026-004501", "2026-10-20T10:00"),
    ("SCH-2026-004502", "2026-10-01T10:00"),
    ("SCH-2026-004503", "2026-10-25T09:00"),
    ("SCH-2026-004504", "2026-11-25T14:00"),
    ("SCH-2026-004505", "2026-11-20T11:00"),
];

/// The fixture with [`PERFORMED`], the caller in `role` (None: the chair
/// the fixture makes them) from the start.
fn app_as(lang: Lang, role: Option<&str>, size: (u16, u16)) -> (tempfile::TempDir, App) {
    let (dir, path) = crate::testkit::fixture_db_as("t.sqlite");
    let mut db = Db::open(&path, clock()).expect("open");
    for (case, at) in PERFORMED {
        crate::testkit::perform(&mut db, case, at);
    }
    if let Some(role) = role {
        let login = crate::storage::identity::login();
        db.write(|w| {
            w.tx().execute("INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x') ON CONFLICT(login) DO NOTHING", [])?;
            w.tx().execute("UPDATE users SET role = ?2 WHERE login = ?1", [&login, role])?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .expect("role");
    }
    let week: Week = WEEK.parse().expect("week");
    let opts = Options {
        lang,
        theme: Theme::colour(),
        mouse: false,
    };
    let app = App::new(db, week, opts, size).expect("app");
    (dir, app)
}

fn list(app: &App) -> &FollowUpsState {
    let Some(Overlay::FollowUps(s)) = &app.overlay else {
        panic!("the follow-up calls are open");
    };
    s
}

fn form(app: &App) -> &FollowUpFormState {
    let Some(Overlay::FollowUpForm(s)) = &app.overlay else {
        panic!("the call form is open");
    };
    s
}

/// (case, call) of each line shown.
fn lines(app: &App) -> Vec<(String, String)> {
    list(app)
        .shown()
        .iter()
        .map(|r| (r.external_id.clone(), r.call.clone()))
        .collect()
}

/// Selects the call of `case` in the open list.
fn pick(app: &mut App, case: &str) {
    for _ in 0..20 {
        key(app, KeyCode::Up);
    }
    for _ in 0..20 {
        if list(app).current().is_some_and(|r| r.external_id == case) {
            return;
        }
        key(app, KeyCode::Down);
    }
    panic!("{case} not on the list");
}

fn follow_up_reads(app: &App) -> Vec<(Option<i64>, Option<String>)> {
    audit::reads::list_reads(app.db(), None)
        .expect("reads")
        .into_iter()
        .filter(|r| r.action == "follow_ups")
        .map(|r| (r.case_id, r.subject))
        .collect()
}

fn case_id(app: &App, external_id: &str) -> i64 {
    crate::storage::read::by_external_id(app.db(), external_id)
        .expect("case")
        .id
}

#[test]
fn t_lists_the_calls_per_operator_overdue_first_and_traces_them_once() {
    let (_d, mut app) = app_as(Lang::Fr, None, (120, 40));
    assert!(follow_up_reads(&app).is_empty());
    keys(&mut app, "F");
    assert_eq!(app.context(), Context::FollowUps);
    // Dr Martin: the overdue M1 first; Dr Nguyen: two due, the J+1
    // (today only) before the M1 (until 06/12).
    // Nothing yet for 004505 (J+6).
    assert_eq!(
        lines(&app),
        [
            ("SCH-2026-004502".into(), "M1".into()),
            ("SCH-2026-004501".into(), "M1".into()),
            ("SCH-2026-004504".into(), "J+1".into()),
            ("SCH-2026-004503".into(), "M1".into()),
        ]
    );
    let s = screen(&app, 120, 40);
    for want in [
        "Suivis à appeler au 26/11/2026 (M1\u{a0}: à faire de J+28 à J+42 après le geste)",
        "Dr Martin (2)",
        "Dr Nguyen (2)",
        "! M1   DUPRÉ François · SCH-2026-004502 · EVA 7",
        "en retard depuis le 12/11/2026",
        "M1   BÉRANGER Hélène · SCH-2026-004501 · EVA 8",
        "à faire d'ici le 01/12/2026",
        "J+1  LE GALL Loïc",
    ] {
        assert!(s.contains(want), "{want}\n{s}");
    }
    assert!(!s.contains("004505"), "{s}");
    // One read row per case shown, once per opening.
    let mut traced: Vec<i64> = follow_up_reads(&app)
        .iter()
        .filter_map(|(c, _)| *c)
        .collect();
    traced.sort_unstable();
    let mut want: Vec<i64> = PERFORMED[..4]
        .iter()
        .map(|(c, _)| case_id(&app, c))
        .collect();
    want.sort_unstable();
    assert_eq!(traced, want);
    // Moving, toggling and a reload trace nothing more.
    key(&mut app, KeyCode::Down);
    keys(&mut app, "mm");
    app.update(Action::Mine);
    app.update(Action::Mine);
    assert_eq!(follow_up_reads(&app).len(), 4);
    // Esc: the board; opening again is a new read (the trace keeps one
    // row per case and minute: the clock is fixed here).
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(app.context(), Context::Board);
    keys(&mut app, "F");
    assert_eq!(app.context(), Context::FollowUps);
    assert_eq!(follow_up_reads(&app).len(), 4);
}

#[test]
fn mine_keeps_the_calls_of_the_operators_linked_to_the_login() {
    let (_d, mut app) = app_as(Lang::En, None, (120, 40));
    keys(&mut app, "F");
    key(&mut app, KeyCode::Char('m'));
    // No operator linked yet: the list says how to link one.
    assert!(list(&app).shown().is_empty());
    let s = screen(&app, 120, 40);
    assert!(s.contains("No operator is linked to [login]"), "{s}");
    assert!(s.contains("users link-operator"), "{s}");
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(list(&app).shown().len(), 4);
    key(&mut app, KeyCode::Esc);
    // A chair links "dr  MARTIN" (compared as written loosely) to the login.
    let login = crate::storage::identity::login();
    app.db_mut_for_tests()
        .write(|w| crate::storage::operators::link(w, "dr  MARTIN", &login))
        .expect("link");
    keys(&mut app, "F");
    key(&mut app, KeyCode::Char('m'));
    let mine: Vec<String> = lines(&app).into_iter().map(|(c, _)| c).collect();
    assert_eq!(mine, ["SCH-2026-004502", "SCH-2026-004501"]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("my operators: 2"), "{s}");
    assert!(
        s.contains("Dr Martin (2)") && !s.contains("Dr Nguyen"),
        "{s}"
    );
}

#[test]
fn a_call_recorded_in_the_form_leaves_the_list_and_one_not_reached_stays() {
    let (_d, mut app) = app_as(Lang::Fr, None, (120, 40));
    keys(&mut app, "F");
    pick(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::FollowUpForm);
    // Enter at once: the form says what is missing; nothing is written.
    key(&mut app, KeyCode::Enter);
    let f = form(&app);
    assert_eq!(
        f.error.as_deref(),
        Some("Non enregistré\u{a0}: corrigez les champs marqués ✗.")
    );
    assert_eq!(
        f.errors[0].as_deref(),
        Some("dites si le patient a été joint (→)")
    );
    // Reached; pain 12 refused when the cursor leaves it.
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "12");
    key(&mut app, KeyCode::Tab);
    assert_eq!(
        form(&app).errors[1].as_deref(),
        Some("un nombre entier de 0 à 10, ou vide")
    );
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "3");
    // Analgesics decreased (→ twice: stopped, decreased).
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    // Morphine "7,5" (a French decimal comma).
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "7,5");
    // A CIRSE grade 1 without a text: the domain's check refuses it.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        form(&app).error.as_deref(),
        Some("une complication demande un texte qui la décrit")
    );
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "hématome au point de ponction");
    insta::assert_snapshot!("followup_form_fr_120x40", screen(&app, 120, 40));
    key(&mut app, KeyCode::Enter);
    // Back on the list, without the call; the status line says so.
    assert_eq!(app.context(), Context::FollowUps);
    let flash = app.flash.clone().expect("a message");
    assert!(!flash.error, "{flash:?}");
    assert_eq!(
        flash.text,
        "SCH-2026-004501\u{a0}: suivi M1 enregistré (patient joint)"
    );
    assert!(!lines(&app).iter().any(|(c, _)| c == "SCH-2026-004501"));
    let row: String = app
        .db()
        .conn()
        .query_row(
            "SELECT json_array(reached, pain, analgesics, morphine_mg_day,
                               complication_grade, complication_text, attempts)
             FROM follow_ups f JOIN cases c ON c.id = f.case_id
             WHERE c.external_id = 'SCH-2026-004501' AND f.kind = 'm1'",
            [],
            |r| r.get(0),
        )
        .expect("recorded");
    assert_eq!(
        row,
        r#"[1,3,"decreased",7.5,1,"hématome au point de ponction",1]"#
    );
    assert!(actions_of(&app, "SCH-2026-004501").contains(&"follow_up.record".to_owned()));
    // The overdue one, not reached: it stays, with its attempt.
    pick(&mut app, "SCH-2026-004502");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Left);
    assert_eq!(form(&app).reached, Some(false));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::FollowUps);
    let r = list(&app)
        .rows
        .iter()
        .find(|r| r.external_id == "SCH-2026-004502")
        .expect("still on the list");
    assert_eq!(r.attempts, "1 tentative");
    // Answers for a patient not reached are refused, not dropped.
    pick(&mut app, "SCH-2026-004502");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "5");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        form(&app).error.as_deref(),
        Some("patient non joint\u{a0}: ni douleur, ni antalgiques, ni complication à enregistrer")
    );
    // Esc on a changed form asks once more, then goes back to the list.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::FollowUpForm);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::FollowUps);
}

#[test]
fn a_call_recorded_meanwhile_is_a_conflict_that_keeps_the_answers() {
    let (dir, mut app) = app_as(Lang::En, None, (120, 40));
    keys(&mut app, "F");
    pick(&mut app, "SCH-2026-004503");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "2");
    // Someone else records a call, not reached, from another connection.
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let call = crate::domain::outcome::FollowUp {
        kind: crate::domain::vocab::FollowUpKind::M1,
        called_at: chrono::NaiveDateTime::parse_from_str("2026-11-26T09:00", "%Y-%m-%dT%H:%M")
            .expect("time"),
        reached: false,
        pain: None,
        analgesics: None,
        morphine_mg_day: None,
        complication: None,
        attempts: 0,
    };
    other
        .write(|w| {
            crate::storage::followup::record(
                w,
                "SCH-2026-004503",
                &call,
                crate::storage::followup::Seen::Unchecked,
            )
        })
        .expect("their call");
    key(&mut app, KeyCode::Enter);
    let f = form(&app);
    let error = f.error.clone().expect("the conflict said");
    assert!(
        error.contains("recorded a call of this follow-up")
            && error.contains("nothing is recorded, the list is reloaded")
            && error.contains("Enter records them as one more call"),
        "{error}"
    );
    assert_eq!(
        f.on_file.as_deref(),
        Some("Now on file: patient not reached (1 attempt)")
    );
    // Nothing of theirs overwritten, nothing of ours lost.
    assert_eq!(f.reached, Some(true));
    assert_eq!(f.text(crate::tui::app::FollowUpField::Pain), "2");
    let attempts = |app: &App| -> (bool, i64) {
        app.db()
            .conn()
            .query_row(
                "SELECT reached, attempts FROM follow_ups f JOIN cases c ON c.id = f.case_id
                 WHERE c.external_id = 'SCH-2026-004503'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row")
    };
    assert_eq!(attempts(&app), (false, 1));
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Now on file: patient not reached (1 attempt)"),
        "{s}"
    );
    // Enter again: ours, as one more call.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::FollowUps);
    assert_eq!(attempts(&app), (true, 2));
    assert!(!lines(&app).iter().any(|(c, _)| c == "SCH-2026-004503"));
}

#[test]
fn roles_that_may_not_read_or_record_the_calls_are_told_why() {
    // A viewer reads nothing of them.
    let (_d, mut app) = app_as(Lang::En, None, (120, 40));
    become_role(&mut app, "viewer");
    keys(&mut app, "F");
    assert!(app.overlay.is_none());
    let flash = app.flash.clone().expect("a message");
    assert!(flash.error, "{flash:?}");
    assert_eq!(
        flash.text,
        "the follow-up calls name the patients: for the care team (chair, radiologist, anaesthetist, radiographer, secretary, pain nurse)"
    );
    assert!(follow_up_reads(&app).is_empty());
    // A secretary reads them, but may not record a call.
    become_role(&mut app, "secretary");
    keys(&mut app, "F");
    assert_eq!(app.context(), Context::FollowUps);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::FollowUps);
    let flash = app.flash.clone().expect("a message");
    assert!(
        flash.error
            && flash.text.starts_with("Not for your role (secretary)")
            && flash.text.contains("nurse"),
        "{flash:?}"
    );
}

#[test]
fn a_nurse_lands_on_the_calls_and_esc_shows_a_board_with_no_case() {
    for lang in [Lang::Fr, Lang::En] {
        let (_d, mut app) = app_as(lang, Some("nurse"), (120, 40));
        assert_eq!(app.context(), Context::FollowUps);
        assert_eq!(list(&app).rows.len(), 4);
        assert_eq!(follow_up_reads(&app).len(), 4);
        if lang == Lang::Fr {
            insta::assert_snapshot!("followups_fr_120x40", screen(&app, 120, 40));
        }
        // She records calls.
        pick(&mut app, "SCH-2026-004504");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Context::FollowUpForm);
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);
        assert!(app.overlay.is_none());
        // The board: no case (the week is not hers to read), said so.
        assert!(app.data.cases.is_empty() && app.data.board_refused);
        let s = screen(&app, 120, 40);
        let want = match lang {
            Lang::Fr => "Votre rôle (IDE douleur) ne lit pas la semaine du comité",
            Lang::En => "Your role (pain nurse) does not read the committee's week",
        };
        assert!(s.contains(want), "{s}");
        let count = match lang {
            Lang::Fr => "1 suivi en retard",
            Lang::En => "1 overdue follow-up",
        };
        assert!(s.contains(count), "{s}");
        // No week read was traced for her.
        let weeks = audit::reads::list_reads(app.db(), None)
            .expect("reads")
            .into_iter()
            .filter(|r| r.action != "follow_ups")
            .count();
        assert_eq!(weeks, 0);
        keys(&mut app, "F");
        assert_eq!(app.context(), Context::FollowUps);
    }
}

#[test]
fn the_board_header_counts_the_overdue_calls() {
    let (_d, mut app) = app_as(Lang::En, None, (120, 40));
    assert_eq!(app.data.overdue_follow_ups, Some(1));
    let s = screen(&app, 120, 40);
    assert!(s.contains("1 overdue follow-up"), "{s}");
    // The overdue call reached: the count goes with it.
    keys(&mut app, "F");
    pick(&mut app, "SCH-2026-004502");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.data.overdue_follow_ups, Some(0));
    let s = screen(&app, 120, 40);
    assert!(!s.contains("overdue follow-up"), "{s}");
    // A role that may not read the calls gets no count.
    let (_d, mut app) = app_as(Lang::En, None, (120, 40));
    become_role(&mut app, "viewer");
    let key = crate::export::pseudo::Pseudonymiser::from_key(b"a test key for the viewer's screen")
        .expect("key");
    let data = crate::tui::data::load(app.db(), app.week(), Some(&key)).expect("load");
    assert!(data.pseudonymised);
    assert_eq!(data.overdue_follow_ups, None);
}

/// At 80 columns nothing that carries a date is cut: the title drops the
/// window's explanation, the lines wrap under the patient.
#[test]
fn at_80_columns_the_list_wraps_and_cuts_nothing() {
    let (_d, app) = app_as(Lang::En, Some("nurse"), (80, 24));
    let s = screen(&app, 80, 24);
    for want in [
        "┌Follow-up calls on 2026-11-26─",
        "! M1   DUPRÉ François · SCH-2026-004502 · VAS 7",
        "kyphoplasty, 2026-10-01 10:00 — overdue since 2026-11-12",
        "radiofrequency ablation + cementoplasty, 2026-10-25 09:00 — due by",
        "         2026-12-06",
    ] {
        assert!(s.contains(want), "{want}\n{s}");
    }
}
