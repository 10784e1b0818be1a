//! The report of the indicators' hand-made set: Markdown as a snapshot,
//! HTML parsed back with its charts, CSV and JSON read back.

use scraper::{Html, Selector};

use super::*;
use crate::domain::indicators::{mask, tests::raw};

#[test]
fn the_markdown_report_in_french_and_pseudonymised() {
    let shown = mask(&raw(), true);
    insta::assert_snapshot!("report_fr_pseudonymised", markdown(&shown, Lang::Fr, true));
}

#[test]
fn the_markdown_report_in_english() {
    let shown = mask(&raw(), false);
    insta::assert_snapshot!("report_en", markdown(&shown, Lang::En, false));
}

#[test]
fn the_html_report_parses_back_with_its_charts_and_tables() {
    let shown = mask(&raw(), true);
    let page = Html::parse_document(&html(&shown, Lang::En, true));
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let svgs: Vec<_> = page.select(&sel("figure svg")).collect();
    assert_eq!(svgs.len(), 2, "two charts");
    // The bars' chart writes each month's value, masked ones as "< 5".
    let texts: Vec<String> = svgs[0]
        .select(&sel("text"))
        .map(|t| t.text().collect::<String>().trim().to_owned())
        .collect();
    for want in ["2026-01", "2026-02", "2026-03", "< 5"] {
        assert!(texts.iter().any(|t| t == want), "{want} in {texts:?}");
    }
    // The rate chart: one cross per shown month (two lines each), its line.
    assert!(svgs[1].select(&sel("polyline")).count() >= 1);
    let tables = page.select(&sel("table")).count();
    assert_eq!(tables, sections(&shown, Lang::En).len());
    let cells: Vec<String> = page
        .select(&sel("td"))
        .map(|t| t.text().collect())
        .collect();
    assert!(cells.iter().any(|c| c == "< 5"));
    assert!(cells.iter().any(|c| c == "hidden") || cells.iter().all(|c| c != "hidden"));
    let h2: Vec<String> = page
        .select(&sel("h2"))
        .map(|t| t.text().collect())
        .collect();
    assert!(h2.iter().any(|h| h == "Committee outcomes"), "{h2:?}");
}

#[test]
fn the_csv_and_json_hold_the_same_figures() {
    let shown = mask(&raw(), false);
    let text = csv(&shown, Lang::En);
    let text = text.trim_start_matches('\u{feff}');
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b';')
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("csv row").iter().map(str::to_owned).collect())
        .collect();
    let validated = rows
        .iter()
        .find(|r| r.get(1).map(String::as_str) == Some("validated"))
        .expect("validated row");
    assert_eq!(validated[2..4], ["10".to_owned(), "14".to_owned()]);
    let json = serde_json::to_value(&shown).expect("json");
    assert_eq!(json["validated"], 10);
    assert_eq!(json["cases"], 14);
    let masked = serde_json::to_value(mask(&raw(), true)).expect("json");
    assert_eq!(masked["overridden"], "< 5");
}
