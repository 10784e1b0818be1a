//! A viewer's (and the auditor's) screen (issue 11, point 1): the fixture
//! week, with free text typed by the chair (a postponement's reason, an
//! override's justification, a cancellation's reason, a note) and a value
//! on file waiting for a person (consent details), seen pseudonymised: no
//! name, birth date, IPP, scheduling id or free text of any patient on any
//! screen, the header says so, and the search finds only what is shown.
//! The pseudonym key is given to the app (never read from the environment).

use std::collections::BTreeSet;

use super::*;
use crate::decide::Request;
use crate::domain::record::EvidenceKind;
use crate::domain::text::fold;
use crate::export::pseudo::Pseudonymiser;
use crate::storage::{cases, notes, read};

const FIRST: &str = "SCH-2026-004501";

/// Typed by the chair before the viewer looks.
const REASON: &str = "MRI first, then decide";
const JUSTIFICATION: &str = "INR checked the day before by phone";
const CANCELLED: &str = "Declined, call her daughter Ophélie";
const NOTE: &str = "Keys with the neighbour, Mr Quentin";
/// In the consent details of a consultation on file that lost to the one
/// recorded here (pending).
const CONSENT: &str = "agreed before her nephew Gontran-Secret";

fn pseudonymiser() -> Pseudonymiser {
    Pseudonymiser::from_key(b"a test key for the viewer's screen").expect("key")
}

/// What the chair does first: decisions with free text, a note, and a
/// consultation on file that waits for a person.
fn typed_by_the_chair(db: &mut Db) {
    let id = |db: &Db, external_id: &str| read::by_external_id(db, external_id).expect("case").id;
    let decisions = [
        (
            "SCH-2026-004513",
            Request::Postpone {
                reason: REASON.into(),
                to_week: "2026-W50".parse().expect("week"),
            },
        ),
        (
            "SCH-2026-004503",
            Request::Validate {
                override_justification: Some(JUSTIFICATION.into()),
            },
        ),
        (
            "SCH-2026-004505",
            Request::Cancel {
                reason: CANCELLED.into(),
            },
        ),
    ];
    for (external_id, request) in decisions {
        let case = id(db, external_id);
        crate::decide::decide(db, case, None, request).expect("decided");
    }
    let first = id(db, FIRST);
    db.write(|w| notes::add(w, first, NOTE, "screen"))
        .expect("note");
    // Recorded here on 20/11; the file sends the older one of 09/11 with
    // consent details: it waits.
    let recorded = r#"{"at":"2026-11-20T10:00","radiologist":"Dr Martin","leaflet_given":true,"consent":{"kind":"signed","at":"2026-11-20T10:00","by":"Dr Martin"}}"#;
    let version = read::by_id(db, first)
        .expect("case")
        .recorded(EvidenceKind::Consultation)
        .map(|r| r.version);
    db.write(|w| cases::set_evidence(w, first, EvidenceKind::Consultation, recorded, version))
        .expect("a form's save");
    let mut week = crate::testkit::fixture_cases();
    let on_file = format!(
        r#"{{"at":"2026-11-09T10:30","radiologist":"Dr Martin","leaflet_given":true,"consent":{{"kind":"traced","at":"2026-11-09T10:30","by":"Dr Martin","details":"{CONSENT}"}}}}"#
    );
    week.iter_mut()
        .find(|c| c.external_id == FIRST)
        .expect("the case")
        .set_evidence_json(EvidenceKind::Consultation, &on_file)
        .expect("consultation");
    crate::import::save_all(
        db,
        &week,
        "import:older.json",
        crate::import::Absent::Clears,
    )
    .expect("import");
    assert_eq!(read::by_id(db, first).expect("case").pending.len(), 1);
}

/// The fixture week as the chair left it, opened by `role` (None: the
/// chair, identified) with the pseudonym key.
/// One file per role, made once per test process and copied.
fn opened_by(role: Option<&str>, lang: Lang, size: (u16, u16)) -> (tempfile::TempDir, App) {
    static BY_ROLE: crate::testkit::Templates = crate::testkit::Templates::new("t.sqlite");
    let (dir, path) = BY_ROLE.copy(role.unwrap_or("(the chair)"), |path| {
        let (_fixture, fixture) = crate::testkit::fixture_db();
        std::fs::copy(&fixture, path).expect("copy");
        let mut db = Db::open(path, clock()).expect("open");
        typed_by_the_chair(&mut db);
        if let Some(role) = role {
            let login = crate::storage::identity::login();
            db.write(|w| {
                w.tx().execute(
                    "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
                    [],
                )?;
                w.tx().execute(
                    "UPDATE users SET role = ?2 WHERE login = ?1",
                    [login.as_str(), role],
                )?;
                Ok::<_, crate::storage::StorageError>(())
            })
            .expect("role");
        }
    });
    let db = Db::open(&path, clock()).expect("open");
    let opts = Options {
        lang,
        theme: Theme::colour(),
        mouse: false,
    };
    let app = App::with_key(
        db,
        WEEK.parse().expect("week"),
        opts,
        size,
        Some(pseudonymiser()),
    )
    .expect("app");
    (dir, app)
}

/// Something of a fixture patient that must not show: a name (matched as
/// whole words, without case or accents) or a piece of text (matched with
/// case and spaces ignored, so that a wrapped line still matches).
#[derive(Debug)]
enum Secret {
    Name(String),
    Text(String),
}

/// The words of `s`, folded.
fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn compact(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"│─┌┐└┘".contains(*c))
        .collect()
}

/// A screen read the two ways a secret is looked for.
struct Seen {
    words: Vec<String>,
    compact: String,
}

impl Seen {
    fn of(screen: &str) -> Seen {
        Seen {
            words: words(screen),
            compact: compact(screen),
        }
    }
}

impl Secret {
    fn shows_in(&self, seen: &Seen) -> bool {
        match self {
            Secret::Name(name) => {
                let name = words(name);
                !name.is_empty() && seen.words.windows(name.len()).any(|w| w == name.as_slice())
            }
            Secret::Text(text) => seen.compact.contains(&compact(text)),
        }
    }
}

/// Every name, birth date (several formats, and the stand-in the data
/// holds), IPP, scheduling id and piece of free text of the fixture's
/// patients, and what the chair typed; with whether the chair's screens
/// show it (consent details never show, named or not).
fn secrets() -> Vec<(Secret, bool)> {
    let week: Week = WEEK.parse().expect("week");
    let mut out = vec![
        (Secret::Text(REASON.into()), true),
        (Secret::Text(JUSTIFICATION.into()), true),
        (Secret::Text(CANCELLED.into()), true),
        (Secret::Text(NOTE.into()), true),
        (Secret::Text(CONSENT.into()), true),
    ];
    for c in crate::demo::fixture_cases(week).expect("fixture") {
        let p = &c.patient;
        out.push((Secret::Name(p.last_name.clone()), true));
        out.push((Secret::Name(p.first_name.clone()), true));
        out.push((Secret::Text(p.ipp.clone()), true));
        out.push((Secret::Text(c.external_id.clone()), true));
        let day = c.day();
        let age = crate::domain::assess::age_on(p.birth_date, day);
        let stand_in = day
            .checked_sub_months(chrono::Months::new(12 * age.unsigned_abs()))
            .expect("date");
        for (date, shown) in [(p.birth_date, true), (stand_in, false)] {
            out.push((Secret::Text(date.format("%d/%m/%Y").to_string()), shown));
            for format in ["%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y", "%Y%m%d", "%d-%m-%Y"] {
                out.push((Secret::Text(date.format(format).to_string()), false));
            }
        }
        if let Some(n) = &c.notes {
            out.push((Secret::Text(n.clone()), true));
        }
        if let Some(details) = c
            .consultation
            .as_ref()
            .and_then(|x| x.consent.as_ref())
            .and_then(|x| x.details.clone())
        {
            out.push((Secret::Text(details), false));
        }
    }
    out
}

/// Every screen the role can reach without typing a search: the board at
/// three sizes, every case's detail (full-screen, tall enough to show it
/// whole, and beside the board), the help, and what each key of the board
/// opens (a refusal, a form, the export dialog).
fn every_screen(app: &mut App) -> Vec<String> {
    let mut out = Vec::new();
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        app.size = (w, h);
        out.push(screen(app, w, h));
    }
    app.size = (100, 70);
    key(app, KeyCode::Home);
    for _ in 0..app.visible.len() {
        key(app, KeyCode::Enter);
        out.push(screen(app, 100, 70));
        key(app, KeyCode::Esc);
        key(app, KeyCode::Down);
    }
    app.size = (120, 40);
    key(app, KeyCode::Home);
    for _ in 0..4 {
        out.push(screen(app, 120, 40));
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Home);
    key(app, KeyCode::Char('?'));
    out.push(screen(app, 120, 250));
    key(app, KeyCode::Esc);
    for c in ['v', 'p', 'c', 'u', 'n', 'e', 'x', 'a', 'r', 'P', 'f'] {
        key(app, KeyCode::Char(c));
        out.push(screen(app, 120, 40));
        key(app, KeyCode::Esc);
    }
    out
}

#[test]
fn a_viewers_and_an_auditors_screens_show_nothing_that_names_a_patient() {
    let secrets = secrets();
    // The chair's screens show them: what is looked for is really there.
    let (_d, mut chair) = opened_by(None, Lang::En, (120, 40));
    assert!(!chair.data.pseudonymised);
    let seen = Seen::of(&every_screen(&mut chair).join("\n"));
    for (s, shown) in &secrets {
        if *shown {
            assert!(s.shows_in(&seen), "the chair's screens lack {s:?}");
        }
    }
    for (role, lang) in [
        ("viewer", Lang::En),
        ("viewer", Lang::Fr),
        ("auditor", Lang::En),
    ] {
        let (_d, mut app) = opened_by(Some(role), lang, (120, 40));
        assert!(app.data.pseudonymised);
        for s in every_screen(&mut app) {
            let seen = Seen::of(&s);
            for (secret, _) in &secrets {
                assert!(!secret.shows_in(&seen), "{role}: {secret:?} in\n{s}");
            }
        }
    }
}

#[test]
fn the_header_says_pseudonymised_on_every_screen() {
    for (lang, word) in [(Lang::En, "PSEUDONYMISED"), (Lang::Fr, "PSEUDONYMISÉ")] {
        let (_d, mut app) = opened_by(Some("viewer"), lang, (80, 24));
        let first_line = |s: &str| s.lines().next().unwrap_or_default().to_owned();
        assert!(first_line(&screen(&app, 80, 24)).starts_with(word));
        // Full-screen detail, a search, the help (whose title says it).
        key(&mut app, KeyCode::Enter);
        assert!(first_line(&screen(&app, 80, 24)).starts_with(word));
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "/b. h.");
        assert!(first_line(&screen(&app, 80, 24)).starts_with(word));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('?'));
        let help = screen(&app, 80, 24);
        assert!(first_line(&help).starts_with(word), "{help}");
        assert!(
            help.lines().nth(1).is_some_and(|l| l.contains(word)),
            "{help}"
        );
    }
    // The chair's header does not.
    let (_d, chair) = opened_by(None, Lang::En, (80, 24));
    assert!(!screen(&chair, 80, 24).contains("PSEUDONYMISED"));
}

/// The external ids of the cases the search keeps.
fn found(app: &mut App, text: &str) -> BTreeSet<String> {
    key(app, KeyCode::Esc);
    key(app, KeyCode::Char('/'));
    keys(app, text);
    key(app, KeyCode::Enter);
    app.visible
        .iter()
        .map(|&i| app.data.cases[i].stored.file.external_id.clone())
        .collect()
}

#[test]
fn a_viewers_search_finds_what_is_shown_and_nothing_else() {
    let (_d, mut app) = opened_by(Some("viewer"), Lang::En, (120, 40));
    let ps = pseudonymiser();
    let hélène = ps.case(FIRST);
    // The real name, IPP, birth date or scheduling id find nothing.
    for real in ["Béranger", "beranger", "Hélène", "80012345", "1948", FIRST] {
        assert!(found(&mut app, real).is_empty(), "{real}");
    }
    // The initials and the pseudonyms find the case.
    assert!(found(&mut app, "B. H.").contains(&hélène));
    assert!(found(&mut app, "b. h").contains(&hélène));
    assert_eq!(
        found(&mut app, &ps.ipp("80012345")),
        BTreeSet::from([hélène.clone()])
    );
    // The search line says what it matches.
    key(&mut app, KeyCode::Char('/'));
    assert!(screen(&app, 120, 40).contains("Search (initials, pseudonym or operator):"));
    // As the chair, the real name finds it (the same search, identified).
    let (_d, mut chair) = opened_by(None, Lang::En, (120, 40));
    assert_eq!(
        found(&mut chair, "Béranger Hélène"),
        BTreeSet::from([FIRST.to_owned()])
    );
}

#[test]
fn look_alike_initials_show_the_ipps_pseudonym_never_a_birth_date() {
    let (_d, mut app) = opened_by(Some("viewer"), Lang::En, (120, 40));
    let ps = pseudonymiser();
    // François (twice, two IPPs) and Françoise DUPRÉ: all "D. F.".
    let dupré: Vec<&crate::tui::data::CaseView> = app
        .data
        .cases
        .iter()
        .filter(|c| c.name.last == "D. F.")
        .collect();
    assert_eq!(dupré.len(), 3);
    for c in &dupré {
        assert_eq!(c.name.likeness, crate::tui::data::Likeness::Ipp);
        assert_eq!(c.name.birth_date, None);
        let label = crate::tui::ui::patient::patient_label(&c.name, 40);
        assert_eq!(label, format!("D. F., IPP {}", c.name.ipp));
        assert!(c.name.ipp.starts_with("P-"));
    }
    let s = screen(&app, 120, 40);
    assert!(
        s.contains(&format!("D. F., IPP {}", ps.ipp("80023871"))),
        "{s}"
    );
    // Béranger Hélène and Côme: other initials, no IPP needed.
    select(&mut app, &ps.case(FIRST));
    assert_eq!(
        app.current().map(|c| c.name.likeness),
        Some(crate::tui::data::Likeness::Unique)
    );
}

#[test]
fn a_viewer_exports_pseudonymised_only_and_the_auditor_not_at_all() {
    let (_d, mut viewer) = opened_by(Some("viewer"), Lang::En, (120, 40));
    key(&mut viewer, KeyCode::Char('x'));
    match &viewer.overlay {
        Some(Overlay::Export(x)) => assert!(x.pseudonymise && x.pseudonymise_fixed),
        _ => panic!("the export dialog"),
    }
    let (_d, mut auditor) = opened_by(Some("auditor"), Lang::En, (120, 40));
    key(&mut auditor, KeyCode::Char('x'));
    assert!(auditor.overlay.is_none());
    assert!(auditor.flash.as_ref().is_some_and(|f| f.error));
}

#[test]
fn the_detail_says_what_was_left_out() {
    let (_d, mut app) = opened_by(Some("viewer"), Lang::En, (80, 24));
    let ps = pseudonymiser();
    select(&mut app, &ps.case("SCH-2026-004503"));
    key(&mut app, KeyCode::Enter);
    app.size = (80, 80);
    let s = screen(&app, 80, 80);
    assert!(
        s.contains("validated (override: left out (pseudonymised))"),
        "{s}"
    );
    assert!(s.contains("│Notes\n│left out (pseudonymised)"), "{s}");
    assert!(!s.contains(" born "), "{s}");
    assert!(s.contains(&format!("IPP {}", ps.ipp("80034512"))), "{s}");
    // The value on file that waits: said, not shown.
    key(&mut app, KeyCode::Esc);
    select(&mut app, &ps.case(FIRST));
    key(&mut app, KeyCode::Enter);
    let s = screen(&app, 80, 80)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        s.contains("conflicting value on file for IR consultation and consent: …, 2026-11-09 — keep or take"),
        "{s}"
    );
}

#[test]
fn viewer_snapshots() {
    let (_d, mut app) = opened_by(Some("viewer"), Lang::En, (120, 40));
    insta::assert_snapshot!("viewer_board_en_120x40", screen(&app, 120, 40));
    let (_d, fr) = opened_by(Some("viewer"), Lang::Fr, (80, 24));
    insta::assert_snapshot!("viewer_board_fr_80x24", screen(&fr, 80, 24));
    app.size = (80, 24);
    select(&mut app, &pseudonymiser().case("SCH-2026-004513"));
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("viewer_detail_en_80x24", screen(&app, 80, 24));
}

/// A viewer's `i` writes nothing: the sheet is the care team's.
#[test]
fn a_viewers_i_writes_no_sheet() {
    let (d, mut app) = opened_by(Some("viewer"), Lang::En, (120, 40));
    app.sheet_dir = d.path().to_path_buf();
    let before = std::fs::read_dir(d.path()).expect("dir").count();
    key(&mut app, KeyCode::Char('i'));
    let flash = app.flash.as_ref().expect("said");
    assert!(flash.error, "{}", flash.text);
    assert!(flash.text.contains("care team"), "{}", flash.text);
    assert_eq!(std::fs::read_dir(d.path()).expect("dir").count(), before);
}
