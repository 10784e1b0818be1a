//! Biology and coagulation value by value on the screen (issue 16): the
//! form's date goes to the values a person changed; the others keep their
//! own date, and the detail says which value is too old, with its date.

use super::*;

const ID: &str = "SCH-2026-004501";

/// Opens the coagulation form, types a date, and `inr` and `platelets`
/// when given (left as shown otherwise), then saves.
fn save_coagulation(app: &mut App, at: &str, inr: Option<&str>, platelets: Option<&str>) {
    open_form(app, EvidenceKind::Coagulation);
    retype(app, at);
    key(app, KeyCode::Tab);
    if let Some(inr) = inr {
        retype(app, inr);
    }
    key(app, KeyCode::Tab);
    if let Some(platelets) = platelets {
        retype(app, platelets);
    }
    key(app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved: {:?}", app.flash);
}

fn dates(app: &App) -> (String, String) {
    let c = coagulation(app, ID).expect("recorded");
    (
        c.date_of("inr").to_string(),
        c.date_of("platelets_g_l").to_string(),
    )
}

#[test]
fn the_forms_date_goes_to_the_values_changed_and_old_platelets_stay_expired() {
    let (_d, mut app) = app(Lang::En);
    select(&mut app, ID);
    // Both typed on 10/11.
    save_coagulation(&mut app, "2026-11-10", Some("1.1"), Some("230"));
    assert_eq!(dates(&app), ("2026-11-10".into(), "2026-11-10".into()));
    // A new INR on 27/11: the platelets, not touched, keep 10/11.
    save_coagulation(&mut app, "2026-11-27", Some("1.2"), None);
    assert_eq!(dates(&app), ("2026-11-27".into(), "2026-11-10".into()));
    assert!(item_blocking(&app, ID, Item::Coagulation));
    key(&mut app, KeyCode::Enter);
    let detail = screen(&app, 80, 24);
    let flat = detail
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("platelets 2026-11-10, 20 days before (max 7, high bleeding risk)"),
        "{detail}"
    );
    insta::assert_snapshot!("detail_platelets_own_date_en", detail);
}
