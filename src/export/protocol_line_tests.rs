//! The protocol version that judged the week in every export (issue 17):
//! the header of the programme and the minutes (html, md), a `protocol`
//! object in JSON, a calendar property in iCalendar, nothing in CSV; and in
//! the export's audit row.

use super::model::Programme;
use super::run::{Request, commit, prepare};
use super::{Format, csv, html, ics, json, md, testkit};
use crate::domain::message::Lang;
use crate::domain::protocol::{Approval, Status};
use crate::storage::Db;

fn status(version: i64, approved: Option<i64>, name: &str) -> Status {
    Status {
        version,
        digest: "d".into(),
        approval: approved.map(|v| Approval {
            meeting_on: None,
            version: v,
            digest: "d".into(),
            at: chrono::DateTime::parse_from_rfc3339("2026-11-19T23:30:00Z")
                .expect("time")
                .with_timezone(&chrono::Utc),
            login: "hm".into(),
            name: name.into(),
            note: "relu".into(),
            week: None,
            attendance: Vec::new(),
        }),
    }
}

/// The calendar of `p`, its folded lines joined again.
fn unfolded(p: &Programme) -> String {
    ics::render(p, &testkit::events(p), chrono::Utc::now()).replace("\r\n ", "")
}

fn programme(lang: Lang, minutes: bool, s: &Status) -> Programme {
    testkit::programme_with(&testkit::cases(), lang, false, minutes, s)
}

/// The states at their edges, in both languages: the line (the approval's
/// day in Paris: 23:30 UTC on the 19th is the 20th), whether it stands
/// out, and the same words in every format that has a place for them.
#[test]
fn every_format_names_the_protocol_and_marks_one_to_review() {
    let table = [
        (
            status(1, None, "x"),
            Lang::Fr,
            "Protocole v1, jamais approuvé",
            true,
        ),
        (
            status(1, None, "x"),
            Lang::En,
            "Protocol v1, never approved",
            true,
        ),
        (
            status(3, Some(3), "Dr Martin"),
            Lang::Fr,
            "Protocole v3, approuvé le 20/11/2026 par Dr Martin",
            false,
        ),
        (
            status(3, Some(3), "Dr Martin"),
            Lang::En,
            "Protocol v3, approved on 2026-11-20 by Dr Martin",
            false,
        ),
        (
            status(4, Some(3), "Dr Martin"),
            Lang::Fr,
            "Protocole v4 modifié depuis l'approbation (v3 du 20/11/2026)",
            true,
        ),
    ];
    for (s, lang, want, review) in table {
        for minutes in [false, true] {
            let p = programme(lang, minutes, &s);
            assert_eq!(p.protocol.needs_review, review, "{want}");
            let page = html::render(&p);
            let class = if review { "protocol alert" } else { "protocol" };
            let line = format!("<p class=\"{class}\">{}</p>", html::escape(want));
            assert!(page.contains(&line), "{want}\n{page}");
            let doc = md::render(&p);
            let line = if review {
                format!("\n**{}**\n", md::escape(want))
            } else {
                format!("\n{}\n", md::escape(want))
            };
            assert!(doc.contains(&line), "{want}\n{doc}");
        }
        let p = programme(lang, false, &s);
        // The other formats: the line as the board says it (lower case).
        let said = crate::text::protocol::line_by(lang, &s, chrono_tz::Europe::Paris);
        assert_eq!(said.to_lowercase(), want.to_lowercase());
        let v: serde_json::Value = serde_json::from_str(&json::render(&p)).expect("json");
        assert_eq!(v["protocol"]["version"], s.version);
        assert_eq!(v["protocol"]["needs_review"], review);
        assert_eq!(v["protocol"]["line"], said.as_str());
        match &s.approval {
            None => {
                assert_eq!(v["protocol"]["state"], "never_approved");
                assert!(v["protocol"]["approval"].is_null());
            }
            Some(a) => {
                let state = if review {
                    "modified_since_approval"
                } else {
                    "approved"
                };
                assert_eq!(v["protocol"]["state"], state);
                assert_eq!(v["protocol"]["approval"]["version"], a.version);
                assert_eq!(v["protocol"]["approval"]["on"], "2026-11-20");
                assert_eq!(v["protocol"]["approval"]["by"], "Dr Martin");
            }
        }
        let cal = unfolded(&p);
        let prop = format!("X-IR-COMMITTEE-PROTOCOL:{}\r\n", said.replace(',', "\\,"));
        assert!(cal.contains(&prop), "{cal}");
        // Before the first component: a property of the calendar.
        let at = cal.find("X-IR-COMMITTEE-PROTOCOL").expect("property");
        assert!(at < cal.find("BEGIN:VTIMEZONE").expect("zone"), "{cal}");
        // CSV has no place for it: a header row, then the procedures.
        let other = programme(lang, false, &status(9, Some(9), "Dr Other"));
        assert_eq!(csv::render(&p), csv::render(&other));
    }
}

/// The approver's name is data: escaped for each format, stripped of
/// control characters.
#[test]
fn the_approvers_name_is_escaped_in_each_format() {
    let s = status(2, Some(2), "Dr <b>Martin</b> & *co*;\u{1b}[31m");
    let p = programme(Lang::En, true, &s);
    let page = html::render(&p);
    assert!(
        page.contains("by Dr &lt;b&gt;Martin&lt;/b&gt; &amp; *co*;[31m</p>"),
        "{page}"
    );
    assert!(!page.contains("<b>Martin"), "{page}");
    let doc = md::render(&p);
    assert!(
        doc.contains("by Dr &lt;b>Martin&lt;/b> & \\*co\\*;\\[31m\n"),
        "{doc}"
    );
    let cal = unfolded(&p);
    assert!(
        cal.contains("by Dr <b>Martin</b> & *co*\\;[31m\r\n"),
        "{cal}"
    );
    assert!(!cal.contains('\u{1b}') && !doc.contains('\u{1b}') && !page.contains('\u{1b}'));
    let v: serde_json::Value = serde_json::from_str(&json::render(&p)).expect("json");
    assert_eq!(
        v["protocol"]["approval"]["by"],
        "Dr <b>Martin</b> & *co*;[31m"
    );
}

fn minutes(format: Format) -> Request {
    Request {
        week: crate::testkit::week(),
        format,
        minutes: true,
        pseudonymise: false,
        lang: Lang::Fr,
        file: "-".into(),
    }
}

/// The minutes of `db` in `format`, recorded as an export is; and the
/// protocol version its audit row names.
fn export(db: &mut Db, format: Format) -> (String, Option<i64>) {
    let req = minutes(format);
    let p = prepare(db, &req).expect("built");
    commit(db, &p, req.week).expect("recorded");
    let row = crate::storage::audit::list(db, None)
        .expect("audit")
        .into_iter()
        .rev()
        .find(|r| r.action == "export")
        .expect("the export's row");
    let new: serde_json::Value =
        serde_json::from_str(row.new_value.as_deref().unwrap_or("{}")).expect("json");
    (p.text, new["protocol_version"].as_i64())
}

/// A new file's minutes name version 1, never approved; after a change of
/// the rules table and its approval, version 2, approved, and by whom.
#[test]
fn the_minutes_name_the_version_that_judged_the_week_and_its_approval() {
    let mut db = Db::open_in_memory(crate::testkit::clock()).expect("db");
    crate::import::save_all(
        &mut db,
        &crate::testkit::fixture_cases(),
        "test",
        crate::import::Absent::Clears,
    )
    .expect("import");
    let (text, audited) = export(&mut db, Format::Md);
    assert!(
        text.contains("\n**Protocole v1, jamais approuvé**\n"),
        "{text}"
    );
    assert_eq!(audited, Some(1));
    let (text, _) = export(&mut db, Format::Html);
    assert!(
        text.contains("<p class=\"protocol alert\">Protocole v1, jamais approuvé</p>"),
        "{text}"
    );

    crate::testkit::set_rule(&mut db, "imaging.max_age", 60.0);
    let (text, audited) = export(&mut db, Format::Md);
    assert!(
        text.contains("\n**Protocole v2, jamais approuvé**\n"),
        "{text}"
    );
    assert_eq!(audited, Some(2));
    let approval = db
        .write(|w| crate::storage::protocol::approve_current(w, "relu en comité"))
        .expect("approved");
    // The clock's noon UTC on 26/11/2026 is that day in Paris.
    let want = format!("Protocole v2, approuvé le 26/11/2026 par {}", approval.name);
    let (text, audited) = export(&mut db, Format::Md);
    assert!(
        text.contains(&format!("\n{}\n", md::escape(&want))),
        "{text}"
    );
    assert_eq!(audited, Some(2));
    let (text, _) = export(&mut db, Format::Html);
    let line = format!("<p class=\"protocol\">{}</p>", html::escape(&want));
    assert!(text.contains(&line), "{text}");
}

#[test]
fn the_minutes_name_the_version_each_decision_was_taken_under() {
    let mut db = Db::open_in_memory(crate::testkit::clock()).expect("db");
    crate::import::save_all(
        &mut db,
        &crate::testkit::fixture_cases(),
        "test",
        crate::import::Absent::Clears,
    )
    .expect("import");
    let text = |db: &mut Db| prepare(db, &minutes(Format::Md)).expect("built").text;
    // No decision yet: nothing said of one.
    assert!(!text(&mut db).contains("Décisions prises"));
    let id: i64 = db
        .conn()
        .query_row("SELECT id FROM cases ORDER BY id LIMIT 1", [], |r| r.get(0))
        .expect("a case");
    let cancel = crate::storage::decisions::NewDecision::Cancelled {
        reason: "contre-indication".into(),
    };
    db.write(|w| crate::storage::decisions::record(w, id, None, &cancel))
        .expect("decide");
    let md = text(&mut db);
    assert!(md.contains("Décisions prises sous cette version."), "{md}");
    // The rules change after the meeting: the minutes name both versions.
    crate::testkit::set_rule(&mut db, "imaging.max_age", 60.0);
    let md = text(&mut db);
    assert!(md.contains("Protocole v2"), "{md}");
    assert!(
        md.contains("Décisions prises sous le protocole v1."),
        "{md}"
    );
    // Undone: the case is undecided again, and counts for no version.
    db.write(|w| {
        crate::storage::decisions::record(
            w,
            id,
            None,
            &crate::storage::decisions::NewDecision::Undo,
        )
    })
    .expect("undo");
    assert!(!text(&mut db).contains("Décisions prises"));
}
