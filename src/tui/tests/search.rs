//! Finding cases: the search, the filters, the weeks.

use super::*;

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
    coded(&mut app, 9);
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
