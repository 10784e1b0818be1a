//! Tests of `html.rs`: the page read back by `scraper`.

use scraper::{ElementRef, Html, Selector};

use super::*;
use crate::export::testkit;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect()
}

/// The page of the fixture week, parsed, and its text.
fn page(lang: Lang, pseudonymise: bool, minutes: bool) -> (Programme, Html, String) {
    let p = testkit::programme(lang, pseudonymise, minutes);
    let doc = Html::parse_document(&render(&p));
    let all = text(doc.root_element());
    (p, doc, all)
}

#[test]
fn one_section_per_day_and_one_case_row_per_validated_case() {
    for minutes in [false, true] {
        let (p, doc, _) = page(Lang::Fr, false, minutes);
        assert!(p.days().len() > 1);
        assert_eq!(doc.select(&sel("tr.case")).count(), p.validated.len());
        let sections: Vec<ElementRef<'_>> = doc.select(&sel("section.day")).collect();
        assert_eq!(sections.len(), p.days().len());
        for ((date, entries), s) in p.days().iter().zip(sections) {
            let h = s.select(&sel("h2, h3")).next().expect("heading");
            assert_eq!(text(h), day(Lang::Fr, *date));
            assert_eq!(s.select(&sel("tr.case")).count(), entries.len());
        }
    }
}

#[test]
fn page_is_self_contained_and_printable() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        let out = render(&testkit::programme(lang, false, true));
        let doc = Html::parse_document(&out);
        let html = doc.select(&sel("html")).next().expect("html");
        assert_eq!(html.value().attr("lang"), Some(code));
        assert_eq!(doc.select(&sel("meta[charset=utf-8]")).count(), 1);
        assert!(out.starts_with("<!DOCTYPE html>"));
        assert!(out.contains("@page { size: A4 landscape; margin: 12mm }"));
        for tag in ["script", "link", "img", "iframe", "[src]", "[href]"] {
            assert_eq!(doc.select(&sel(tag)).count(), 0, "{tag}");
        }
    }
}

#[test]
fn markup_in_data_stays_text() {
    let (_, doc, all) = page(Lang::Fr, false, true);
    assert_eq!(doc.select(&sel("script, main i, main b")).count(), 0);
    // Last names are written in capitals.
    assert!(all.contains("<SCRIPT>ALERT(1)</SCRIPT>"));
    assert!(all.contains("=HYPERLINK(\"HTTP://X\")"));
    assert!(all.contains("<i>before</i>"));
    assert!(all.contains("Salle 1; \"B\""));
    let present: Vec<String> = doc.select(&sel("section.present li")).map(text).collect();
    assert!(
        present.iter().any(|a| a == "Dr <Roussel> & co"),
        "{present:?}"
    );
    assert_eq!(
        escape("<a b='x'>\"&\""),
        "&lt;a b=&#39;x&#39;&gt;&quot;&amp;&quot;"
    );
}

#[test]
fn minutes_record_decisions_overrides_and_audit_head() {
    let (p, doc, all) = page(Lang::En, false, true);
    let l = labels(Lang::En);
    for t in [
        l.minutes_title,
        l.present,
        l.discussed,
        l.override_title,
        l.audit_head,
    ] {
        assert!(all.contains(t), "{t}");
    }
    assert!(all.contains("Meeting of Thursday 26/11/2026"));
    let discussed = doc.select(&sel("tr.discussed")).count();
    assert_eq!(discussed, p.validated.len() + p.set_apart.len());
    assert!(
        p.set_apart
            .iter()
            .any(|e| e.status == DecisionStatus::Postponed)
    );
    for e in &p.set_apart {
        assert!(all.contains(&e.external_id), "{}", e.external_id);
        if e.status == DecisionStatus::Postponed {
            assert!(all.contains(e.reason.as_deref().expect("reason")));
            assert!(all.contains(e.to_week.as_deref().expect("to week")));
        }
    }
    assert!(all.contains("Patient declined, wants to think"));
    let over: Vec<String> = doc.select(&sel("tr.override")).map(text).collect();
    assert_eq!(over.len(), 1);
    assert!(over[0].contains("INR of the day before checked by <b>Dr Martin</b> & team"));
    let head = p.minutes.as_ref().expect("minutes").audit_head.clone();
    let code: Vec<String> = doc.select(&sel("section.audit code")).map(text).collect();
    assert_eq!(code, vec![head]);
    assert!(all.contains(l.audit_head_hint));
}

#[test]
fn empty_week_and_nobody_present() {
    let mut p = testkit::programme(Lang::Fr, false, true);
    p.validated.clear();
    p.minutes.as_mut().expect("minutes").attendees.clear();
    let doc = Html::parse_document(&render(&p));
    let all = text(doc.root_element());
    assert!(all.contains(labels(Lang::Fr).no_validated));
    assert!(all.contains(labels(Lang::Fr).nobody_recorded));
    assert_eq!(doc.select(&sel("tr.case, tr.override")).count(), 0);
}

#[test]
fn pseudonymised_page_names_nobody() {
    for minutes in [false, true] {
        let (_, _, all) = page(Lang::Fr, true, minutes);
        let all = all.to_lowercase();
        assert!(all.contains(&labels(Lang::Fr).pseudonymised.to_lowercase()));
        assert!(!all.contains("call mrs x") && !all.contains("iodine"));
        // Validated by override, its justification left out.
        assert!(all.contains("validé par dérogation"));
        assert!(!all.contains("inr of the day before") && !all.contains("dr martin</b>"));
        for c in testkit::cases() {
            let pt = &c.file.patient;
            assert!(
                !all.contains(&pt.last_name.to_lowercase()),
                "{}",
                pt.last_name
            );
            assert!(!all.contains(&pt.ipp), "{}", pt.ipp);
            for d in [
                pt.birth_date.format("%Y-%m-%d"),
                pt.birth_date.format("%d/%m/%Y"),
            ] {
                assert!(!all.contains(&d.to_string()), "{d}");
            }
        }
    }
}

/// Each validated entry with the text of its row's boxed alert, if any.
fn alerts(p: &Programme, doc: &Html) -> Vec<(Entry, Option<String>)> {
    let rows: Vec<ElementRef<'_>> = doc.select(&sel("tr.case")).collect();
    assert_eq!(rows.len(), p.validated.len());
    rows.iter()
        .zip(&p.validated)
        .map(|(r, e)| {
            let a: Vec<String> = r.select(&sel("td > strong.alert")).map(text).collect();
            assert!(a.len() <= 1);
            (e.clone(), a.into_iter().next())
        })
        .collect()
}

#[test]
fn override_and_now_blocking_are_bold_and_boxed_in_the_row() {
    assert!(STYLE.contains(".alert { border: 2pt solid #000;"));
    assert!(STYLE.contains("font-weight: bold; display: inline-block }"));
    for minutes in [false, true] {
        let (p, doc, _) = page(Lang::En, false, minutes);
        let (mut overrides, mut blocking, mut plain) = (0, 0, 0);
        for (e, alert) in alerts(&p, &doc) {
            if e.overridden {
                overrides += 1;
                let want = "VALIDATED BY OVERRIDE: \
                            INR of the day before checked by <b>Dr Martin</b> & team";
                assert_eq!(alert.as_deref(), Some(want));
            } else if !e.now_blocking.is_empty() {
                blocking += 1;
                let items: Vec<&str> = e
                    .now_blocking
                    .iter()
                    .map(|i| crate::text::words::item(Lang::En, *i))
                    .collect();
                let want = format!("VALIDATED BUT NOW BLOCKING: {}", items.join(", "));
                assert_eq!(alert, Some(want));
            } else {
                plain += 1;
                assert_eq!(alert, None);
            }
        }
        assert!(overrides == 1 && blocking >= 1 && plain >= 1);
    }
    // The minutes' list of cases says it too, without the justification
    // (the overrides' table has it).
    let (p, doc, _) = page(Lang::En, false, true);
    let said: Vec<String> = doc
        .select(&sel("tr.discussed strong.alert"))
        .map(text)
        .collect();
    let n = p
        .validated
        .iter()
        .filter(|e| e.overridden || !e.now_blocking.is_empty())
        .count();
    assert_eq!(said.len(), n);
    assert!(
        said.contains(&"VALIDATED BY OVERRIDE".to_owned()),
        "{said:?}"
    );
}

#[test]
fn pseudonymised_override_is_said_without_its_justification() {
    let (p, doc, _) = page(Lang::Fr, true, false);
    let over: Vec<Option<String>> = alerts(&p, &doc)
        .into_iter()
        .filter(|(e, _)| e.overridden)
        .map(|(_, a)| a)
        .collect();
    assert_eq!(over, [Some("VALIDÉ PAR DÉROGATION".to_owned())]);
}

#[test]
fn the_page_says_when_it_was_made_and_the_audit_head() {
    for minutes in [false, true] {
        let (p, doc, _) = page(Lang::En, false, minutes);
        let e: Vec<ElementRef<'_>> = doc.select(&sel("header p.edition")).collect();
        assert_eq!(e.len(), 1);
        let head = "9f2c".repeat(16);
        assert_eq!(
            text(e[0]),
            format!("Edited Thursday 26/11/2026 16:30 (Europe/Paris) · audit trail head: {head}")
        );
        let code: Vec<String> = e[0].select(&sel("code")).map(text).collect();
        assert_eq!(code, std::slice::from_ref(&p.edition.audit_head));
    }
    let (_, doc, _) = page(Lang::Fr, false, false);
    let e = doc.select(&sel("p.edition")).next().expect("edition");
    assert!(text(e).starts_with(
        "Édité le jeudi 26/11/2026 16:30 (Europe/Paris) · tête du journal d'audit\u{a0}: "
    ));
}

#[test]
fn notes_keep_their_line_breaks() {
    let (_, doc, _) = page(Lang::En, false, false);
    let cells: Vec<String> = doc
        .select(&sel("tr.case td"))
        .map(|c| c.inner_html())
        .filter(|h| h.contains("Iodine"))
        .collect();
    assert_eq!(cells.len(), 1);
    assert!(
        cells[0].contains("Iodine allergy<br>- premedication | per protocol<br>in the ward"),
        "{}",
        cells[0]
    );
    assert!(cells[0].contains("&lt;i&gt;before&lt;/i&gt;"));
}
