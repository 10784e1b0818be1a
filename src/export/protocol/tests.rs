//! The local protocol's document: the seeded rules in Markdown (snapshots,
//! French and English), the HTML parsed back (one `tr.rule` per row of
//! the rules table; a changed row and the changes since the approval).

use scraper::{Html, Selector};

use super::{DocFormat, build, document};
use crate::storage::Db;
use crate::storage::rules::{Change as RuleChange, set};
use crate::testkit::clock;
use crate::text::Lang;

fn db() -> Db {
    Db::open_in_memory(clock()).expect("in-memory database")
}

fn set_inr(db: &mut Db, value: f64) {
    let change = RuleChange {
        rule: "coagulation.inr_max".into(),
        subject: "*".into(),
        risk: "high".into(),
        value: Some(value),
        severity: None,
        expected_version: None,
    };
    assert!(db.write(|w| set(w, &change)).expect("set"));
}

fn select(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn text(e: scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

/// The cells of every `tr.rule` whose first cells are these.
fn rule_rows(html: &Html) -> Vec<Vec<String>> {
    html.select(&select("tr.rule"))
        .map(|tr| tr.select(&select("td")).map(text).collect())
        .collect()
}

#[test]
fn the_seeded_rules_in_markdown_in_french() {
    let md = document(&db(), DocFormat::Md, Lang::Fr).expect("document");
    insta::assert_snapshot!("protocol_fr", md);
}

#[test]
fn the_seeded_rules_in_markdown_in_english() {
    let md = document(&db(), DocFormat::Md, Lang::En).expect("document");
    insta::assert_snapshot!("protocol_en", md);
}

#[test]
fn every_row_of_the_table_is_one_rule_row_of_the_page() {
    let db = db();
    let rows = db.rules().expect("rules").rows().len();
    for lang in [Lang::Fr, Lang::En] {
        let page = document(&db, DocFormat::Html, lang).expect("document");
        let html = Html::parse_document(&page);
        assert_eq!(rule_rows(&html).len(), rows, "{lang:?}");
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(page.contains("@page { size: A4; margin: 15mm }"));
        assert!(page.contains("thead { display: table-header-group }"));
        assert!(page.contains("tr { break-inside: avoid }"));
        assert_eq!(html.select(&select("tr.change")).count(), 0);
        let changes = html
            .select(&select("#changes"))
            .next()
            .map(text)
            .expect("changes");
        assert!(changes.contains(&crate::text::protocol_doc::no_changes(lang, None)));
        // On paper: a sign-off block for the version shown, one blank row
        // per reviewing role, after the changes.
        let sign = html
            .select(&select("#sign-off"))
            .next()
            .map(text)
            .expect("sign-off");
        assert!(sign.contains("v1"), "{sign}");
        assert_eq!(html.select(&select("tr.sign")).count(), 4);
        assert!(page.find("id=\"changes\"") < page.find("id=\"sign-off\""));
    }
}

#[test]
fn a_changed_row_shows_its_value_and_who_changed_it_and_is_listed_since() {
    let mut db = db();
    set_inr(&mut db, 1.6);
    let history = crate::storage::protocol::history(db.conn()).expect("history");
    // The trail's login, never a name changed since.
    let who = history[0].login.clone();
    let page = document(&db, DocFormat::Html, Lang::Fr).expect("document");
    let html = Html::parse_document(&page);
    let inr = rule_rows(&html)
        .into_iter()
        .filter(|r| r[2] == "1,6")
        .collect::<Vec<_>>();
    assert_eq!(inr.len(), 1, "{inr:?}");
    assert_eq!(inr[0][1], "élevé");
    assert_eq!(inr[0][3], "ratio (INR)");
    assert!(inr[0][6].contains(&who), "{:?}", inr[0]);
    assert!(inr[0][6].contains("(v2)"), "{:?}", inr[0]);
    // The low-risk row did not change.
    assert!(
        rule_rows(&html)
            .iter()
            .any(|r| r[2] == "2" && r[3] == "ratio (INR)" && r[6] == "valeur initiale")
    );
    let changes: Vec<Vec<String>> = html
        .select(&select("tr.change"))
        .map(|tr| tr.select(&select("td")).map(text).collect())
        .collect();
    assert_eq!(changes.len(), 1);
    let c = &changes[0];
    assert_eq!(c[0], "v2");
    assert_eq!(c[2], who);
    assert_eq!(c[3], "INR\u{a0}: maximum · tous · élevé");
    assert_eq!(c[4], "1,5 (bloquant)");
    assert_eq!(c[5], "1,6 (bloquant)");
    assert_eq!(c[6], "non");
    let doc = build(&db, Lang::En).expect("build");
    assert_eq!(doc.header[0].1, "v2");
    assert_eq!(doc.header[2].1, "protocol v2, never approved");
}

#[test]
fn after_an_approval_only_the_later_changes_are_listed() {
    let mut db = db();
    set_inr(&mut db, 1.6);
    db.write(|w| crate::storage::protocol::approve_current(w, "relu en réunion"))
        .expect("approve");
    // The version in force is approved: its changes since v1 are listed,
    // approved in v2.
    let doc = build(&db, Lang::En).expect("build");
    assert!(doc.header[1].1.starts_with("v2, "), "{:?}", doc.header);
    assert!(doc.header[1].1.ends_with("(note: relu en réunion)"));
    // Where it was given: no meeting recorded that day.
    assert_eq!(doc.header[3].1, "no meeting recorded that day");
    assert_eq!(doc.changes.rows.len(), 1);
    assert_eq!(doc.changes.rows[0][6], "yes (v2)");
    set_inr(&mut db, 1.7);
    let doc = build(&db, Lang::En).expect("build");
    assert!(doc.changes.since.contains("v2"), "{}", doc.changes.since);
    assert_eq!(doc.changes.rows.len(), 1);
    assert_eq!(doc.changes.rows[0][0], "v3");
    assert_eq!(doc.changes.rows[0][6], "no");
    assert!(
        doc.header[2]
            .1
            .starts_with("protocol v3 changed since its approval")
    );
}

#[test]
fn the_meeting_of_the_approval_and_who_was_present_are_printed() {
    use crate::storage::exports::{Person, set_meeting};
    let mut db = db();
    let people = [
        Person {
            name: "Dr Anne <Salle>".into(),
            login: None,
            role: Some(crate::domain::roles::Role::Anaesthetist),
        },
        Person {
            name: "Mme Invitée".into(),
            login: None,
            role: None,
        },
    ];
    let week = crate::testkit::week();
    db.write(|w| set_meeting(w, week, clock().today(), &people))
        .expect("meeting");
    db.write(|w| crate::storage::protocol::approve_current(w, "relu"))
        .expect("approve");
    let doc = build(&db, Lang::Fr).expect("build");
    assert_eq!(
        doc.header[3].1,
        format!("réunion {week} du 26/11/2026\u{a0}: Dr Anne <Salle> (anesthésiste), Mme Invitée")
    );
    let page = document(&db, DocFormat::Html, Lang::Fr).expect("html");
    assert!(page.contains("Dr Anne &lt;Salle&gt;"), "escaped");
}

/// Every rule the engine knows lands in a section: none is left out of
/// the document the department signs.
#[test]
fn every_known_rule_has_its_section() {
    for spec in crate::domain::rules::table::KNOWN_RULES {
        let prefix = spec.rule.split('.').next().unwrap_or("");
        assert!(super::GROUPS.contains(&prefix), "{}", spec.rule);
    }
}

#[test]
fn text_from_the_table_is_escaped_in_both_formats() {
    let db = db();
    db.conn()
        .execute(
            "UPDATE rules SET source = '<b>x</b> | *y*' WHERE rule = 'imaging.max_age'",
            [],
        )
        .expect("update");
    let page = document(&db, DocFormat::Html, Lang::En).expect("html");
    assert!(page.contains("&lt;b&gt;x&lt;/b&gt; | *y*"));
    assert!(!page.contains("<b>x"));
    let md = document(&db, DocFormat::Md, Lang::En).expect("md");
    assert!(md.contains("&lt;b>x&lt;/b> \\| \\*y\\*"), "{md}");
}
