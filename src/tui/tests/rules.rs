//! The rules table on the screen: a drug hold with a noon cut-off reads as
//! such and is edited in whole days.

use super::*;
use crate::domain::rules::{Item, Unit};
use crate::tui::keys::Context;

/// Opens the rules table (R) on the low-risk hold of `drug`.
pub(super) fn open_on_low_risk_hold(app: &mut App, drug: &str) {
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

pub(super) fn retype(app: &mut App, text: &str) {
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
        for (w, h) in [(120, 40), (80, 24)] {
            let shown = screen(&app, w, h);
            let line = shown
                .lines()
                .find(|l| l.contains("│▶ "))
                .expect("the selected row");
            let rule = lang.pick("drug hold", "arrêt du traitement");
            assert!(line.contains(rule), "{w}×{h}: {line}");
            assert!(line.contains(" 1 "), "{w}×{h}: {line}");
            // The unit says what it means, and the severity stays in view.
            let severity = lang.pick("blocking", "bloquant");
            assert!(line.contains(severity), "{w}×{h}: {line}");
            assert!(!line.contains("day_noon"), "{w}×{h}: {line}");
            assert!(
                shown.contains(lang.pick("noon", "midi")),
                "{w}×{h}: {shown}"
            );
            assert!(shown.contains("Rivaroxaban") || shown.contains("rivaroxaban"));
        }
    }
    // Refusals name the row in words, never its key nor `day_noon`.
    for (lang, typed, refused) in [
        (
            Lang::En,
            "1,5",
            "1.5 is not a whole number of days (drug hold · apixaban · low)",
        ),
        (
            Lang::En,
            "0",
            "0 is outside 1–3650 days (drug hold · apixaban · low)",
        ),
        (
            Lang::Fr,
            "1,5",
            "1,5 n'est pas un nombre entier de jours (arrêt du traitement · apixaban · faible)",
        ),
        (
            Lang::Fr,
            "0",
            "0 est hors de l'intervalle 1–3650 jours (arrêt du traitement · apixaban · faible)",
        ),
    ] {
        let (_d, mut app) = app(lang);
        open_on_low_risk_hold(&mut app, "apixaban");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Context::RuleEdit);
        retype(&mut app, typed);
        let error = rules_error(&app).expect("refused");
        assert_eq!(error, refused, "{typed}");
        assert_eq!(app.context(), Context::RuleEdit);
    }
    let (_d, mut app) = app(Lang::En);
    open_on_low_risk_hold(&mut app, "apixaban");
    key(&mut app, KeyCode::Enter);
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

/// The rows of the rules table on screen, every line between the title and
/// the error line.
fn table_lines(app: &App, w: u16, h: u16) -> Vec<String> {
    screen(app, w, h)
        .lines()
        .filter(|l| l.contains('│'))
        .map(str::to_owned)
        .collect()
}

/// A storage key: a word with a dot then a slash (`a.b/c`).
fn looks_like_a_key(line: &str) -> bool {
    line.split_whitespace().any(|w| {
        w.find('.')
            .is_some_and(|dot| w[dot..].contains('/') && dot > 0)
    })
}

#[test]
fn the_rules_table_reads_in_words_with_the_severity_in_view() {
    for lang in [Lang::En, Lang::Fr] {
        let (_d, mut app) = app(lang);
        key(&mut app, KeyCode::Char('R'));
        assert_eq!(app.context(), Context::Rules);
        let n = match &app.overlay {
            Some(Overlay::Rules(r)) => r.rows.len(),
            _ => panic!("rules"),
        };
        let name = match lang {
            Lang::En => "en",
            Lang::Fr => "fr",
        };
        insta::assert_snapshot!(format!("rules_table_{name}_120x40"), screen(&app, 120, 40));
        insta::assert_snapshot!(format!("rules_table_{name}_80x24"), screen(&app, 80, 24));
        // Every row, scrolled through, in words at both sizes, and the
        // selected one shows its severity.
        for i in 0..n {
            for (w, h) in [(120, 40), (80, 24)] {
                let lines = table_lines(&app, w, h);
                for l in &lines {
                    assert!(!looks_like_a_key(l), "row {i} {w}×{h}: {l}");
                }
                let selected = lines
                    .iter()
                    .find(|l| l.contains("│▶ "))
                    .unwrap_or_else(|| panic!("row {i} {w}×{h} selected"));
                assert!(
                    [
                        lang.pick("blocking", "bloquant"),
                        lang.pick("advisory", "à signaler"),
                        lang.pick("none", "aucune"),
                    ]
                    .iter()
                    .any(|s| selected.contains(s)),
                    "row {i} {w}×{h}: {selected}"
                );
            }
            key(&mut app, KeyCode::Down);
        }
    }
}

#[test]
fn the_key_shows_only_while_a_value_is_edited() {
    let (_d, mut app) = app(Lang::En);
    key(&mut app, KeyCode::Char('R'));
    assert!(!looks_like_a_key(&screen(&app, 120, 40)));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::RuleEdit);
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    let k = crate::tui::app::rules_row_key(&r.rows[0]);
    assert!(looks_like_a_key(&k), "{k}");
    assert!(screen(&app, 120, 40).contains(&k), "{k}");
}

#[test]
fn a_key_is_told_from_words() {
    assert!(looks_like_a_key(
        "▶ anaesthesia.required/conscious_sedation/*"
    ));
    assert!(looks_like_a_key("medication.hold/rivaroxaban/low 1"));
    assert!(!looks_like_a_key(
        "drug hold · rivaroxaban · low  1  blocking"
    ));
    assert!(!looks_like_a_key("INR : maximum (artériel) · tous 1.5"));
}

/// Selects the first row of the open rules table that `pick` accepts.
fn select_row(app: &mut App, pick: impl Fn(&crate::domain::rules::RuleRow) -> bool) {
    let Some(Overlay::Rules(r)) = &app.overlay else {
        panic!("rules");
    };
    let at = r.rows.iter().position(pick).expect("the row");
    let now = r.selected;
    for _ in now..at {
        key(app, KeyCode::Down);
    }
    for _ in at..now {
        key(app, KeyCode::Up);
    }
}

fn stored(app: &App, rule: &str, risk: &str) -> Option<f64> {
    let rules = app.db().rules().expect("rules");
    rules
        .rows()
        .iter()
        .find(|r| r.rule == rule && r.risk.map_or("*", |x| x.as_str()) == risk)
        .expect("row")
        .value
}

/// In French the value column reads `1,5` and « aucune »; the editor takes
/// what it shows, the English words and `-` as well.
#[test]
fn the_value_reads_in_the_users_language_and_is_typed_back_so() {
    let (_d, mut app) = app(Lang::Fr);
    key(&mut app, KeyCode::Char('R'));
    let inr_high = |r: &crate::domain::rules::RuleRow| {
        r.rule == "coagulation.inr_max" && r.risk.is_some_and(|x| x.as_str() == "high")
    };
    select_row(&mut app, inr_high);
    let selected = |app: &App| {
        table_lines(app, 120, 40)
            .into_iter()
            .find(|l| l.contains("│▶ "))
            .expect("the selected row")
    };
    let line = selected(&app);
    assert!(line.contains(" 1,5 ") && !line.contains("1.5"), "{line}");
    // The editor starts from what is shown, and takes it back unchanged.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::RuleEdit);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Rules, "{:?}", rules_error(&app));
    assert_eq!(stored(&app, "coagulation.inr_max", "high"), Some(1.5));
    for (typed, value) in [("1,4", 1.4), ("1.3", 1.3)] {
        key(&mut app, KeyCode::Enter);
        retype(&mut app, typed);
        assert_eq!(
            app.context(),
            Context::Rules,
            "{typed}: {:?}",
            rules_error(&app)
        );
        assert_eq!(stored(&app, "coagulation.inr_max", "high"), Some(value));
    }
    // A flag rule: no value, in words, whichever way it is typed.
    select_row(&mut app, |r| r.rule == "biology.sepsis");
    assert!(selected(&app).contains(" aucune "), "{}", selected(&app));
    for typed in ["aucune", "none", "-", ""] {
        key(&mut app, KeyCode::Enter);
        retype(&mut app, typed);
        assert_eq!(
            app.context(),
            Context::Rules,
            "{typed}: {:?}",
            rules_error(&app)
        );
    }
    // Anything else is refused in French.
    select_row(&mut app, inr_high);
    key(&mut app, KeyCode::Enter);
    retype(&mut app, "un virgule cinq");
    let error = rules_error(&app).expect("refused");
    assert!(error.contains("n'est ni un nombre"), "{error}");
    // A refusal keeps its no-break spaces on the screen (`INR : maximum`
    // never wraps before its colon).
    retype(&mut app, "40");
    let error = rules_error(&app).expect("refused");
    assert_eq!(
        error,
        "40 est hors de l'intervalle 0,5–15 (INR\u{a0}: maximum · tous · élevé)"
    );
    assert!(screen(&app, 120, 40).contains("(INR\u{a0}: maximum"));
    // A technique's bleeding risk reads in French and is typed so.
    key(&mut app, KeyCode::Esc);
    select_row(&mut app, |r| {
        r.rule == "technique.bleeding_risk" && r.subject == "neurolysis"
    });
    assert!(selected(&app).contains(" élevé "), "{}", selected(&app));
    key(&mut app, KeyCode::Enter);
    retype(&mut app, "faible");
    assert_eq!(app.context(), Context::Rules, "{:?}", rules_error(&app));
    let rules = app.db().rules().expect("rules");
    assert_eq!(
        rules.technique_risk(crate::domain::vocab::Technique::Neurolysis),
        crate::domain::vocab::BleedingRisk::Low
    );
}
