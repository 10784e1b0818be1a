//! The rules table on the screen: a drug hold with a noon cut-off reads as
//! such and is edited in whole days.

use super::*;
use crate::domain::rules::{Item, Unit};
use crate::tui::keys::Context;

/// Opens the rules table (R) on the low-risk hold of `drug`.
fn open_on_low_risk_hold(app: &mut App, drug: &str) {
    key(app, KeyCode::Char('R'));
    assert_eq!(app.context(), Context::Rules);
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    let at = r
        .rows
        .iter()
        .position(|row| {
            row.rule == "medication.hold"
                && row.subject == drug
                && row.risk.is_some_and(|x| x.as_str() == "low")
        })
        .expect("the low-risk hold");
    for _ in 0..at {
        key(app, KeyCode::Down);
    }
}

fn retype(app: &mut App, text: &str) {
    for _ in 0..20 {
        key(app, KeyCode::Backspace);
    }
    keys(app, text);
    key(app, KeyCode::Enter);
}

fn rules_error(app: &App) -> Option<String> {
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    r.error.clone()
}

#[test]
fn a_noon_hold_reads_as_such_and_takes_whole_days() {
    for lang in [Lang::En, Lang::Fr] {
        let (_d, mut app) = app(lang);
        open_on_low_risk_hold(&mut app, "rivaroxaban");
        let shown = screen(&app, 120, 40);
        let line = shown
            .lines()
            .find(|l| l.contains("▶ medication.hold/rivaroxaban/low"))
            .expect("the selected row");
        assert!(line.contains(" 1 "), "{line}");
        // The unit says what it means, and the severity stays in view.
        assert!(line.contains("day_noon (J−n < 12:00) · blocking"), "{line}");
    }
    let (_d, mut app) = app(Lang::En);
    open_on_low_risk_hold(&mut app, "apixaban");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::RuleEdit);
    for (typed, refused) in [
        ("1,5", "value 1.5 day_noon is not a whole number of days"),
        ("0", "value 0 day_noon out of the range 1–3650"),
    ] {
        retype(&mut app, typed);
        let error = rules_error(&app).expect("refused");
        assert!(error.contains(refused), "{typed}: {error}");
        assert_eq!(app.context(), Context::RuleEdit);
    }
    // 004529 (a pleural drain on 2026-12-04 at 13:30, apixaban last taken
    // 2026-12-02 at 20:00, J−2) is fine with J−1 and blocks with J−2.
    assert!(!item_blocking(&app, "SCH-2026-004529", Item::Medication));
    retype(&mut app, "2");
    assert_eq!(app.context(), Context::Rules, "{:?}", rules_error(&app));
    let rules = app.db().rules().expect("rules");
    let row = rules
        .rows()
        .iter()
        .find(|r| {
            r.rule == "medication.hold"
                && r.subject == "apixaban"
                && r.risk.is_some_and(|x| x.as_str() == "low")
        })
        .expect("row");
    assert_eq!((row.value, row.unit), (Some(2.0), Unit::DayNoon));
    assert!(item_blocking(&app, "SCH-2026-004529", Item::Medication));
}

fn item_blocking(app: &App, external_id: &str, item: Item) -> bool {
    app.data
        .cases
        .iter()
        .find(|c| c.stored.file.external_id == external_id)
        .and_then(|c| c.assessment.dossier.item(item))
        .is_some_and(|r| r.is_blocking())
}
