//! One day, room or operator (`s`), on top of the status filter (`f`) and
//! the search; Esc or the list's first line shows every case again.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::tui::app::Narrow;

/// Opens the list and moves to `to` (None: its first line).
fn choose(app: &mut App, to: Option<&Narrow>) {
    key(app, KeyCode::Char('s'));
    assert_eq!(app.context(), Context::Narrow);
    for _ in 0..100 {
        let Some(Overlay::Narrow(s)) = &app.overlay else {
            panic!("the list is open");
        };
        let here = s.selected.checked_sub(1).map(|i| &s.choices[i].0);
        if here == to {
            return key(app, KeyCode::Enter);
        }
        key(app, KeyCode::Down);
    }
    panic!("{to:?} is not in the list");
}

fn shown(app: &App) -> Vec<&crate::tui::data::CaseView> {
    app.visible.iter().map(|&i| &app.data.cases[i]).collect()
}

fn header(app: &App) -> String {
    screen(app, 120, 40)
        .lines()
        .take(usize::from(app.areas_at((120, 40)).header.height))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_list_holds_the_weeks_days_rooms_and_operators_with_their_counts() {
    let (_d, mut app) = app_with(Lang::Fr, Theme::colour(), (80, 24));
    let choices = Narrow::choices(&app.data.cases);
    let days = choices
        .iter()
        .filter(|(n, _)| matches!(n, Narrow::Day(_)))
        .count();
    assert_eq!(days, 5, "Monday to Friday");
    let rooms: Vec<&str> = choices
        .iter()
        .filter_map(|(n, _)| match n {
            Narrow::Room(r) => Some(r.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(rooms, ["IRM 1", "Salle 1", "Salle 2", "Scanner 3"]);
    for (n, count) in &choices {
        let of = |c: &&crate::tui::data::CaseView| {
            let p = &c.stored.file.procedure;
            match n {
                Narrow::Day(d) => c.stored.file.day() == *d,
                Narrow::Room(r) => &p.room == r,
                Narrow::Operator(o) => &p.operator == o,
            }
        };
        assert_eq!(*count, app.data.cases.iter().filter(of).count(), "{n:?}");
    }
    // Each kind adds up to the week.
    let total: usize = choices
        .iter()
        .filter(|(n, _)| matches!(n, Narrow::Operator(_)))
        .map(|(_, c)| c)
        .sum();
    assert_eq!(total, app.data.cases.len());
    key(&mut app, KeyCode::Char('s'));
    insta::assert_snapshot!("narrow_list_fr_80x24", screen(&app, 80, 24));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(app.narrow, None, "Esc in the list changes nothing");
}

#[test]
fn a_room_combines_with_the_filter_and_the_search_and_esc_shows_all_again() {
    let (_d, mut app) = app(Lang::Fr);
    let all = app.data.cases.len();
    let room = Narrow::Room("Salle 2".into());
    choose(&mut app, Some(&room));
    assert!(app.overlay.is_none());
    assert_eq!(app.narrow.as_ref(), Some(&room));
    let in_room = shown(&app).len();
    assert!(in_room > 0 && in_room < all);
    assert!(
        shown(&app)
            .iter()
            .all(|c| c.stored.file.procedure.room == "Salle 2")
    );
    let h = header(&app);
    assert!(
        h.contains(&format!("salle\u{a0}: Salle 2 {in_room}/{all}")),
        "{h}"
    );
    // The status filter narrows further.
    key(&mut app, KeyCode::Char('f'));
    assert_eq!(app.filter, Filter::Incomplete);
    let both = shown(&app).len();
    assert!(
        shown(&app)
            .iter()
            .all(|c| c.stored.file.procedure.room == "Salle 2" && !c.assessment.complete())
    );
    assert!(both < in_room);
    assert!(
        header(&app).contains(&format!("salle\u{a0}: Salle 2, incomplets {both}/{all}")),
        "{}",
        header(&app)
    );
    key(&mut app, KeyCode::Char('f')); // en attente
    key(&mut app, KeyCode::Char('f')); // validés: none
    // Back to all statuses, then the search.
    while app.filter != Filter::All {
        key(&mut app, KeyCode::Char('f'));
    }
    keys(&mut app, "/fabre");
    key(&mut app, KeyCode::Enter);
    let names: Vec<&str> = shown(&app).iter().map(|c| c.name.last.as_str()).collect();
    assert_eq!(names, ["FABRE"]);
    // Esc clears the search first, then the room.
    key(&mut app, KeyCode::Esc);
    assert_eq!(shown(&app).len(), in_room);
    assert_eq!(app.narrow.as_ref(), Some(&room));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.narrow, None);
    assert_eq!(shown(&app).len(), all);
    assert!(!header(&app).contains("salle\u{a0}:"));
}

#[test]
fn a_day_or_an_operator_and_the_first_line_shows_all_again() {
    let (_d, mut app) = app(Lang::En);
    let all = app.data.cases.len();
    let choices = Narrow::choices(&app.data.cases);
    let tuesday = choices
        .iter()
        .map(|(n, _)| n.clone())
        .find(|n| matches!(n, Narrow::Day(d) if d.format("%a").to_string() == "Tue"))
        .expect("a Tuesday");
    choose(&mut app, Some(&tuesday));
    let Narrow::Day(d) = tuesday else {
        unreachable!()
    };
    assert!(!shown(&app).is_empty());
    assert!(shown(&app).iter().all(|c| c.stored.file.day() == d));
    assert!(header(&app).contains("day: Tue 01/12"), "{}", header(&app));
    // A day is of its week: the next week shows all its cases.
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.narrow, None);
    key(&mut app, KeyCode::Char('['));
    let operator = choices
        .iter()
        .map(|(n, _)| n.clone())
        .find(|n| matches!(n, Narrow::Operator(_)))
        .expect("an operator");
    // The list opens on what is shown now; another choice replaces it.
    choose(&mut app, Some(&operator));
    let Narrow::Operator(o) = &operator else {
        unreachable!()
    };
    assert!(!shown(&app).is_empty());
    assert!(
        shown(&app)
            .iter()
            .all(|c| &c.stored.file.procedure.operator == o)
    );
    assert!(header(&app).contains(&format!("operator: {o}")));
    choose(&mut app, None);
    assert_eq!(app.narrow, None);
    assert_eq!(shown(&app).len(), all);
}
