//! The access route a person records, re-imports, who set a case's own
//! bleeding risk, and the refusal of a `low` that would lower a risk.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::domain::assess::Assessment;
use crate::domain::clock::Clock;
use crate::domain::message::Lang;
use crate::domain::rules::{Context, Item, Severity};
use crate::domain::vocab::Access;
use crate::import::{self, Kind, Mode};
use crate::storage::{Db, cases, read, reimport};

fn db() -> Db {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    Db::open_in_memory(Clock::Fixed(today)).expect("db")
}

/// One embolisation on 2026-12-02, with `procedure` keys patched in.
fn case(procedure: Value) -> Value {
    let mut p = json!({
        "scheduled_at": "2026-12-02T11:30", "room": "Salle 2", "operator": "Dr Lefèvre",
        "techniques": ["embolisation"], "target": "humérus", "anaesthesia": "local",
    });
    for (k, v) in procedure.as_object().expect("object") {
        p[k] = v.clone();
    }
    json!({
        "external_id": "EMB-1",
        "patient": { "ipp": "1", "last_name": "Haddad", "first_name": "Théo",
                     "birth_date": "1990-12-15", "sex": "M" },
        "procedure": p,
        "coagulation": { "at": "2026-11-30", "inr": 1.9, "platelets_g_l": 200 },
    })
}

fn import_json(db: &mut Db, procedure: Value, file: &str) -> Result<import::ImportReport, String> {
    let doc = json!({ "format": import::FORMAT, "cases": [case(procedure)] }).to_string();
    import::import_text(
        db,
        &doc,
        Some(Kind::Json),
        &format!("import:{file}"),
        Mode::Write,
    )
    .map_err(|e| e.to_string())
}

fn stored(db: &Db) -> crate::domain::record::StoredCase {
    read::by_external_id(db, "EMB-1").expect("case")
}

fn set(db: &mut Db, access: Option<Access>) -> Result<i64> {
    let c = stored(db);
    db.write(|w| set_access(w, c.id, access, c.version))
}

fn coagulation(db: &Db) -> (Severity, String) {
    let rules = db.rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: chrono_tz::Europe::Paris,
    };
    let a = Assessment::of_stored(&stored(db), &ctx);
    let r = a.dossier.item(Item::Coagulation).expect("coagulation");
    (r.severity, r.message(Lang::En))
}

#[test]
fn a_reimport_without_access_keeps_the_one_typed_in_the_form() {
    let mut db = db();
    import_json(&mut db, json!({ "bleeding_risk": "low" }), "week.json").expect("import");
    // No access: judged as femoral, INR 1.9 > 1.8.
    assert_eq!(coagulation(&db).0, Severity::Blocking);
    set(&mut db, Some(Access::Radial)).expect("recorded");
    let c = stored(&db);
    assert_eq!(c.file.procedure.access, Some(Access::Radial));
    assert_eq!(
        c.access_set.as_ref().map(|s| s.login.as_str()),
        Some(db.login())
    );
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, Severity::Advisory, "{message}");
    assert!(
        message.contains("INR 1.9 ≤ 2.2 (radial access)"),
        "{message}"
    );
    // The same file again, and a CSV schedule without the column: kept.
    import_json(&mut db, json!({ "bleeding_risk": "low" }), "week.json").expect("again");
    let csv = "external_id;ipp;last_name;first_name;birth_date;sex;scheduled_at;room;operator;techniques;target;anaesthesia;bleeding_risk\n\
               EMB-1;1;Haddad;Théo;1990-12-15;M;2026-12-02T11:30;Salle 2;Dr Lefèvre;embolisation;humérus;local;low\n";
    import::import_text(&mut db, csv, Some(Kind::Csv), "import:s.csv", Mode::Write).expect("csv");
    let c = stored(&db);
    assert_eq!(c.file.procedure.access, Some(Access::Radial));
    assert!(c.pending.is_empty());
    // A person clears it: the form's "not recorded" stays too.
    set(&mut db, None).expect("cleared");
    import_json(&mut db, json!({ "bleeding_risk": "low" }), "week.json").expect("again");
    assert_eq!(stored(&db).file.procedure.access, None);
}

#[test]
fn an_access_sent_by_the_file_follows_the_three_way_rule() {
    let mut db = db();
    let femoral = json!({ "bleeding_risk": "low", "access": "femoral" });
    import_json(&mut db, femoral.clone(), "week.json").expect("import");
    assert_eq!(stored(&db).file.procedure.access, Some(Access::Femoral));
    // A person corrects it; the same file again keeps the person's.
    set(&mut db, Some(Access::Radial)).expect("recorded");
    let report = import_json(&mut db, femoral, "week.json").expect("again");
    assert!(
        report
            .items
            .iter()
            .any(|i| i.item.item == "access" && i.item.change == cases::Change::Kept)
    );
    assert_eq!(stored(&db).file.procedure.access, Some(Access::Radial));
    // The file now sends another: both changed, it waits for a person.
    import_json(
        &mut db,
        json!({ "bleeding_risk": "low", "access": "venous" }),
        "week.json",
    )
    .expect("again");
    let c = stored(&db);
    assert_eq!(c.file.procedure.access, Some(Access::Radial));
    assert_eq!(c.pending.len(), 1);
    assert_eq!(c.pending[0].item, "access");
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, Severity::Blocking, "{message}");
    assert!(message.contains("access route: venous"), "{message}");
}

#[test]
fn the_access_form_checks_the_version_and_is_audited() {
    let mut db = db();
    import_json(&mut db, json!({ "bleeding_risk": "low" }), "week.json").expect("import");
    let c = stored(&db);
    let v = db
        .write(|w| set_access(w, c.id, Some(Access::Femoral), c.version))
        .expect("recorded");
    assert_eq!(v, c.version + 1);
    // From the version read before: refused, nothing written.
    let stale = db.write(|w| set_access(w, c.id, Some(Access::Venous), c.version));
    assert!(
        matches!(stale, Err(StorageError::Conflict { .. })),
        "{stale:?}"
    );
    assert_eq!(stored(&db).file.procedure.access, Some(Access::Femoral));
    let rows: Vec<(Option<String>, Option<String>)> = audit::list(&db, Some(c.id))
        .expect("audit")
        .into_iter()
        .filter(|r| r.action == "case.access" && r.outcome == "done")
        .map(|r| (r.old_value, r.new_value))
        .collect();
    assert_eq!(
        rows,
        [(
            Some(r#"{"access":null}"#.to_owned()),
            Some(r#"{"access":"femoral"}"#.to_owned())
        )]
    );
}

#[test]
fn the_case_names_who_set_its_own_risk() {
    let mut db = db();
    import_json(
        &mut db,
        json!({ "bleeding_risk": "low", "access": "femoral" }),
        "a.json",
    )
    .expect("import");
    let login = db.login().to_owned();
    let set = stored(&db).risk_set.expect("set");
    assert_eq!(
        (set.login.as_str(), set.source.as_deref()),
        (login.as_str(), Some("import:a.json"))
    );
    let (severity, message) = coagulation(&db);
    assert_eq!(severity, Severity::Blocking, "INR 1.9 > 1.8: {message}");
    assert!(
        message.contains(&format!(
            "bleeding risk set to low for this case by {login} on 2026-11-26 (import:a.json); \
             its techniques give high"
        )),
        "{message}"
    );
    // Raised later by another file: a change, named without a source.
    import_json(&mut db, json!({ "bleeding_risk": "high" }), "b.json").expect("import");
    let set = stored(&db).risk_set.expect("set");
    assert_eq!(set.source, None);
    // A redundant `high` on a high-risk technique says nothing.
    let (_, message) = coagulation(&db);
    assert!(!message.contains("for this case"), "{message}");
}

#[test]
fn a_low_that_would_lower_a_risk_is_refused_on_every_write() {
    let mut db = db();
    // Import: refused with its place in the file, nothing written.
    let err = import_json(
        &mut db,
        json!({ "techniques": ["embolisation", "vertebroplasty"], "bleeding_risk": "low" }),
        "week.json",
    )
    .expect_err("refused");
    assert!(
        err.contains("case 0 (EMB-1), field procedure.bleeding_risk: 'low' is accepted only"),
        "{err}"
    );
    assert!(read::by_external_id(&db, "EMB-1").is_err());
    // Saved without the import's checks: refused by the storage layer.
    let mut file: crate::domain::model::CaseFile = serde_json::from_value(case(
        json!({ "techniques": ["vertebroplasty"], "bleeding_risk": "low" }),
    ))
    .expect("case");
    let err = import::save_all(&mut db, &[file.clone()], "test", import::Absent::Clears)
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("EMB-1: bleeding_risk 'low' refused: the risk of vertebroplasty (high)"),
        "{err}"
    );
    // Taking a file's pending `low` (`resolve`) is refused too.
    file.procedure.bleeding_risk = None;
    import::save_all(&mut db, &[file], "test", import::Absent::Clears).expect("saved");
    let id = stored(&db).id;
    db.conn()
        .execute(
            "INSERT INTO pending_values (case_id, item, source, value, origin, loss, at, by_login)
             VALUES (?1, 'bleeding_risk', 'file', '\"low\"', 'import:x.json', 'undated', 'x', 'y')",
            [id],
        )
        .expect("pending");
    let field = crate::domain::reimport::Field::parse("bleeding_risk").expect("field");
    let take = db.write(|w| reimport::resolve(w, id, field, None, reimport::Choice::Take));
    assert!(
        take.is_err_and(|e| e.to_string().contains("bleeding_risk 'low' refused")),
        "refused"
    );
    assert_eq!(stored(&db).file.procedure.bleeding_risk, None);
}
