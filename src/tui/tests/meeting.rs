//! The meeting (issue 14, §3): the header says who is at the keyboard and
//! how far the week is decided, whole at 80 columns; `o` orders the agenda
//! and the choice is kept per login; `V` validates the cases with nothing
//! to discuss.

use super::*;
use crate::domain::rules::Severity;
use crate::domain::vocab::Anaesthesia;
use crate::storage::preferences;
use crate::tui::app::Order;

/// The header's lines (above the column titles).
fn header(app: &App, w: u16, h: u16) -> Vec<String> {
    screen(app, w, h)
        .lines()
        .take(usize::from(app.areas_at((w, h)).header.height))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_header_says_who_and_how_far_and_cuts_no_number_at_80_columns() {
    for lang in [Lang::Fr, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let (_d, mut app) = app_with(lang, Theme::colour(), (w, h));
            select(&mut app, "SCH-2026-004501");
            key(&mut app, KeyCode::Char('v'));
            // A filter and a search narrow the board: said, whole, too.
            key(&mut app, KeyCode::Char('f'));
            key(&mut app, KeyCode::Char('/'));
            keys(&mut app, "be");
            key(&mut app, KeyCode::Enter);
            let lines = header(&app, w, h);
            let all = lines.join("\n");
            let (progress, role, filter) = match lang {
                Lang::Fr => ("décidés 1, restent 38", "[login] (président)", "incomplets"),
                Lang::En => ("decided 1, left 38", "[login] (chair)", "incomplete"),
            };
            let found = |s: &str| lines.iter().any(|l| l.contains(s));
            assert!(found(progress), "{all}");
            assert!(found(role), "{all}");
            let narrowed = format!("{filter} {}/39", app.visible.len());
            assert!(found(&narrowed), "{all}");
            assert!(found("« be »"), "{all}");
            let w_ = crate::text::words::texts(lang);
            for (word, n) in [
                (w_.cases, 39),
                (w_.validated, 1),
                (w_.postponed, 0),
                (w_.cancelled, 0),
            ] {
                assert!(found(&format!("{word} {n}")), "{word} {n}: {all}");
            }
            assert!(found("2026-W49 (30/11 → 06/12/2026)"), "{all}");
            if w == 80 {
                let name = format!("header_filtered_{lang:?}_80x24").to_lowercase();
                insta::assert_snapshot!(name, all);
            }
            for l in &lines {
                use unicode_width::UnicodeWidthStr;
                assert!(l.width() <= usize::from(w), "{l}");
            }
        }
    }
}

#[test]
fn o_orders_the_agenda_and_the_choice_is_kept_for_this_login() {
    let (dir, mut app) = app(Lang::En);
    assert_eq!(app.order, Order::Time);
    assert!(header(&app, 120, 40).join(" ").contains("order: by time"));
    let shown = |app: &App| -> Vec<usize> { app.visible.clone() };
    let by_time = shown(&app);

    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.order, Order::DiscussFirst);
    assert!(
        header(&app, 120, 40)
            .join(" ")
            .contains("order: to discuss first")
    );
    let worst = |i: &usize| {
        app.data.cases[*i]
            .assessment
            .dossier
            .items
            .iter()
            .map(|r| r.severity)
            .max()
            .unwrap_or(Severity::None)
    };
    let ranks: Vec<Severity> = app.visible.iter().map(worst).collect();
    assert!(
        ranks.windows(2).all(|p| p[0] >= p[1]),
        "blocking, then advisory, then complete: {ranks:?}"
    );
    assert!(ranks.contains(&Severity::Advisory) && ranks.contains(&Severity::None));
    // The same cases, only in another order.
    let mut same = shown(&app);
    same.sort_unstable();
    assert_eq!(same, by_time);

    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.order, Order::Operator);
    let ops: Vec<String> = app
        .visible
        .iter()
        .map(|&i| crate::domain::text::fold(&app.data.cases[i].stored.file.procedure.operator))
        .collect();
    assert!(ops.windows(2).all(|p| p[0] <= p[1]), "{ops:?}");

    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.order, Order::Anaesthesia);
    let first = &app.data.cases[app.visible[0]];
    assert_eq!(
        first.stored.file.procedure.anaesthesia,
        Anaesthesia::General
    );
    let general_together = app
        .visible
        .iter()
        .map(|&i| app.data.cases[i].stored.file.procedure.anaesthesia == Anaesthesia::General)
        .collect::<Vec<_>>();
    assert!(general_together.windows(2).all(|p| p[0] >= p[1]));

    // Kept in the file for this login, audited; a new screen opens with it.
    let login = app.db().login().to_owned();
    assert_eq!(
        preferences::get(app.db(), &login, "board.order")
            .expect("read")
            .as_deref(),
        Some("anaesthesia")
    );
    let changes = crate::storage::audit::list(app.db(), None)
        .expect("audit")
        .into_iter()
        .filter(|r| r.action == "preference.set")
        .count();
    assert_eq!(changes, 3);
    let db = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    let again = App::new(db, WEEK.parse().expect("week"), app.opts, (120, 40)).expect("app");
    assert_eq!(again.order, Order::Anaesthesia);
    assert_eq!(again.visible, app.visible);

    // Back to the day's order.
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.order, Order::Time);
    assert_eq!(app.visible, by_time);
}

#[test]
fn a_viewer_orders_the_board_for_the_session_without_writing() {
    let (_d, mut app) = app(Lang::En);
    let login = crate::storage::identity::login();
    app.db_mut_for_tests()
        .write(|w| {
            w.tx().execute("INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')", [])?;
            w.tx().execute("UPDATE users SET role = 'viewer' WHERE login = ?1", [&login])?;
            Ok::<_, crate::storage::StorageError>(())
        })
        .expect("roles");
    app.role = app.db().role().expect("role");
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(app.order, Order::DiscussFirst);
    assert!(app.flash.as_ref().is_none_or(|f| !f.error));
    assert_eq!(
        preferences::get(app.db(), &login, "board.order").expect("read"),
        None
    );
}

/// The week's pending cases with nothing to discuss, by external id.
fn green(app: &App) -> Vec<String> {
    app.data
        .cases
        .iter()
        .filter(|c| !c.to_reschedule)
        .filter(|c| crate::decide::nothing_to_discuss(&c.stored, &c.assessment))
        .map(|c| c.stored.file.external_id.clone())
        .collect()
}

#[test]
fn v_lists_the_cases_with_nothing_to_discuss_and_validates_each_on_enter() {
    let (dir, mut app) = app(Lang::En);
    let listed = green(&app);
    assert!(listed.len() >= 3, "{listed:?}");
    // Not a case with an advisory, nor one that blocks.
    for c in &app.data.cases {
        let worst = c.assessment.dossier.items.iter().map(|r| r.severity).max();
        if worst != Some(Severity::None) {
            assert!(!listed.contains(&c.stored.file.external_id));
        }
    }
    key(&mut app, KeyCode::Char('V'));
    assert!(matches!(app.overlay, Some(Overlay::Nod(_))));
    let s = screen(&app, 120, 40);
    assert!(
        s.contains(&format!(
            "Validate {} cases with nothing to discuss",
            listed.len()
        )),
        "{s}"
    );
    for id in &listed {
        assert!(s.contains(id.as_str()), "{id} not listed: {s}");
    }
    insta::assert_snapshot!("nod_list_en_120x40", s);

    // Someone else cancels the first listed case, and records an INR out of
    // range on the second, between the list and the confirmation.
    let mut other = Db::open(&dir.path().join("t.sqlite"), clock()).expect("open");
    crate::decide::decide_external(
        &mut other,
        &listed[0],
        crate::decide::Request::Cancel {
            reason: "patient declined".into(),
        },
    )
    .expect("cancel");
    let second = crate::storage::read::by_external_id(&other, &listed[1]).expect("case");
    let coag = second
        .recorded
        .iter()
        .find(|r| r.kind == crate::domain::record::EvidenceKind::Coagulation)
        .map(|r| r.version);
    let json = r#"{"at": "2026-11-25T08:00", "inr": 3.5, "platelets_g_l": 250}"#;
    other
        .write(|w| {
            crate::storage::cases::set_evidence(
                w,
                second.id,
                crate::domain::record::EvidenceKind::Coagulation,
                json,
                coag,
            )
        })
        .expect("coagulation");

    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Nod(nod)) = &app.overlay else {
        panic!("the result stays on screen");
    };
    let done = nod.done.clone().expect("done");
    let validated = listed.len() - 2;
    assert!(
        done.starts_with(&format!("{validated} cases validated; 2 skipped")),
        "{done}"
    );
    assert!(
        done.contains(&listed[0]) && done.contains(&listed[1]),
        "{done}"
    );
    assert_eq!(status_of(&app, &listed[0]), DecisionStatus::Cancelled);
    assert_eq!(status_of(&app, &listed[1]), DecisionStatus::Pending);
    assert!(!actions_of(&app, &listed[1]).contains(&"decision.validated".to_owned()));
    for id in &listed[2..] {
        assert_eq!(status_of(&app, id), DecisionStatus::Validated, "{id}");
        // One decision and one audit row each, as `v` writes.
        let validations = actions_of(&app, id)
            .iter()
            .filter(|a| *a == "decision.validated")
            .count();
        assert_eq!(validations, 1, "{id}");
    }
    // The board shows it at once; Enter closes.
    assert!(green(&app).is_empty());
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    // Nothing left to nod through: said, no list.
    key(&mut app, KeyCode::Char('V'));
    assert!(app.overlay.is_none());
    assert!(
        app.flash
            .as_ref()
            .is_some_and(|f| f.text.starts_with("No pending case"))
    );
}

#[test]
fn v_in_french_at_80_columns_and_refused_to_a_secretary() {
    let (_d, mut app) = app_with(Lang::Fr, Theme::colour(), (80, 24));
    key(&mut app, KeyCode::Char('V'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("sans rien à discuter"), "{s}");
    insta::assert_snapshot!("nod_list_fr_80x24", s);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    let listed = green(&app);
    assert!(!listed.is_empty());

    become_secretary(&mut app);
    key(&mut app, KeyCode::Char('V'));
    assert!(app.overlay.is_none());
    assert!(app.flash.as_ref().is_some_and(|f| f.error));
    for id in &listed {
        assert_eq!(status_of(&app, id), DecisionStatus::Pending);
    }
}

#[test]
fn the_header_says_whether_the_quorum_holds_and_a_typed_name_gets_a_role() {
    let (dir, mut app) = app(Lang::En);
    let head = |app: &App| header(app, 120, 40).join("\n");
    assert!(!head(&app).contains("quorum"), "not before attendance");
    // The chair alone: an IR radiologist, no anaesthetist.
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert!(
        head(&app).contains("quorum: missing anaesthetist"),
        "{}",
        head(&app)
    );
    // A decision taken now is marked in the minutes, in both formats.
    select(&mut app, "SCH-2026-004501");
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(
        status_of(&app, "SCH-2026-004501"),
        DecisionStatus::Validated
    );
    let minutes = |app: &mut App, format| {
        let req = crate::export::run::Request {
            week: WEEK.parse().expect("week"),
            format,
            minutes: true,
            pseudonymise: false,
            lang: Lang::En,
            file: "-".into(),
        };
        crate::export::run::for_stdout(app.db_mut_for_tests(), req).expect("minutes")
    };
    let md = minutes(&mut app, crate::export::Format::Md);
    assert!(
        md.contains("Quorum not reached (missing: anaesthetist)"),
        "{md}"
    );
    let row = md
        .lines()
        .find(|l| l.contains("SCH-2026-004501") && l.contains("taken without quorum"));
    assert!(row.is_some(), "{md}");
    let html = minutes(&mut app, crate::export::Format::Html);
    assert!(html.contains("taken without quorum"), "{html}");
    // A name typed in, given its role with →: the quorum holds.
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Down);
    keys(&mut app, "Dr Anne Roussel");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Up);
    for _ in 0..3 {
        key(&mut app, KeyCode::Right);
    }
    assert!(
        screen(&app, 120, 40).contains("Dr Anne Roussel (anaesthetist)"),
        "{}",
        screen(&app, 120, 40)
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert!(head(&app).contains("quorum reached"), "{}", head(&app));
    let md = minutes(&mut app, crate::export::Format::Md);
    assert!(md.contains("Quorum reached."), "{md}");
    assert!(md.contains("Dr Anne Roussel** (anaesthetist)"), "{md}");
    assert!(!md.contains("taken without quorum"), "{md}");
    let meeting = crate::storage::exports::meeting(app.db(), WEEK.parse().expect("week"))
        .expect("read")
        .expect("recorded");
    assert_eq!(
        meeting.people[1].role,
        Some(crate::domain::roles::Role::Anaesthetist)
    );
    // The rule is a row of the rules table: two anaesthetists now.
    let other = rusqlite::Connection::open(dir.path().join("t.sqlite")).expect("open");
    other
        .execute(
            "UPDATE rules SET value = 2 WHERE rule = 'meeting.quorum' AND subject = 'anaesthetist'",
            [],
        )
        .expect("rule");
    assert!(app.poll_changes());
    assert!(
        head(&app).contains("quorum: missing anaesthetist"),
        "{}",
        head(&app)
    );
    // In French at 80 columns, whole.
    let (_d, mut fr) = app_with(Lang::Fr, Theme::colour(), (80, 24));
    let chair = crate::storage::exports::Person {
        name: "Chair".into(),
        login: Some(crate::storage::identity::login()),
        role: None,
    };
    let today = fr.db().clock().today();
    fr.db_mut_for_tests()
        .write(|w| {
            crate::storage::exports::set_meeting(w, WEEK.parse().expect("week"), today, &[chair])
        })
        .expect("attendance");
    key(&mut fr, KeyCode::Char(']'));
    key(&mut fr, KeyCode::Char('['));
    let lines = header(&fr, 80, 24);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("quorum\u{a0}: manque anesthésiste")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("décidés 0, restent 39")));
    for l in &lines {
        use unicode_width::UnicodeWidthStr;
        assert!(l.width() <= 80, "{l}");
    }
    insta::assert_snapshot!("header_quorum_fr_80x24", lines.join("\n"));
}

#[test]
fn a_list_longer_than_the_screen_says_how_many_more() {
    let (_d, mut app) = app_with(Lang::En, Theme::colour(), (80, 24));
    let cases = (0..60)
        .map(|i| (i, format!("PATIENT {i} (SCH-{i})")))
        .collect();
    app.overlay = Some(Overlay::Nod(Box::new(crate::tui::app::NodState {
        cases,
        done: None,
    })));
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Validate 60 cases with nothing to discuss"),
        "{s}"
    );
    let shown = s.matches("✓ PATIENT").count();
    assert!(shown > 5, "{s}");
    assert!(
        s.contains(&format!("… and {} more (validated too)", 60 - shown)),
        "{s}"
    );
    // The keys stay in view.
    assert!(s.contains("nothing more is validated"), "{s}");
}
