//! Every message in the chosen language (issue 13, point 2): the binary
//! run under LANG=fr_FR.UTF-8 and under LANG=en_GB.UTF-8. Each test sets
//! the locale itself (LC_ALL and LC_MESSAGES removed, LANG given): nothing
//! depends on the host's.

mod common;

use std::path::Path;

use assert_cmd::Command;

const COMPLETE: &str = "SCH-2026-004501";
const BLOCKING: &str = "SCH-2026-004503";
const NBSP: char = '\u{a0}';
const NNBSP: char = '\u{202f}';

/// The binary under `locale`, without --lang.
fn under(locale: &str, db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ir-committee").expect("binary built");
    cmd.arg("--db").arg(db).args(["--today", common::TODAY]);
    for v in ["LC_ALL", "LC_MESSAGES", "IR_COMMITTEE_DB", "SSH_CONNECTION"] {
        cmd.env_remove(v);
    }
    cmd.env("LANG", locale);
    cmd
}

fn stderr(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("ran").stderr).expect("utf-8")
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("ran");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// French typography: no ordinary space before : ; ? ! (a wrapped line
/// would start with the punctuation).
fn french_spacing(s: &str) {
    for p in [" :", " ;", " ?", " !"] {
        assert!(!s.contains(p), "ordinary space before {p:?} in {s:?}");
    }
}

#[test]
fn a_role_refusal_is_in_the_locale_language() {
    let (_dir, db) = common::imported();
    common::set_role_by_hand(&db, Some("radiographer"), None);
    let fr = stderr(under("fr_FR.UTF-8", &db).args(["decide", COMPLETE, "validate"]));
    assert!(
        fr.starts_with(&format!("ir-committee{NBSP}: erreur{NBSP}: ")),
        "{fr}"
    );
    assert!(
        fr.contains(&format!(
            "(rôle manipulateur) n'a pas le droit de décider{NBSP}: permis pour président"
        )),
        "{fr}"
    );
    french_spacing(&fr);
    let en = stderr(under("en_GB.UTF-8", &db).args(["decide", COMPLETE, "validate"]));
    assert!(en.starts_with("ir-committee: error: "), "{en}");
    assert!(
        en.contains("(role radiographer) may not decide: allowed for chair"),
        "{en}"
    );
}

#[test]
fn the_audit_verification_speaks_french_with_real_plurals() {
    let (_dir, db) = common::imported();
    let fr = stdout(under("fr_FR.UTF-8", &db).args(["audit", "--verify"]));
    assert!(
        fr.contains(&format!("journal d'audit intact{NBSP}: ")),
        "{fr}"
    );
    assert!(fr.contains(" lignes, tête "), "{fr}");
    // An empty read trace: French takes the singular for 0.
    assert!(
        fr.contains(&format!("trace des lectures intacte{NBSP}: 0 ligne,")),
        "{fr}"
    );
    french_spacing(&fr);
    let en = stdout(under("en_GB.UTF-8", &db).args(["audit", "--verify"]));
    assert!(en.contains("audit trail intact: "), "{en}");
    assert!(en.contains("read trace intact: 0 rows,"), "{en}");
}

#[test]
fn an_export_refusal_is_in_the_locale_language() {
    let (_dir, db) = common::imported();
    let args = ["export", "--format", "csv", "--minutes", "--output", "-"];
    let fr = stderr(under("fr_FR.UTF-8", &db).args(args));
    assert!(
        fr.contains("--minutes est pour html et md (le compte rendu est un document à lire)"),
        "{fr}"
    );
    french_spacing(&fr);
    let en = stderr(under("en_GB.UTF-8", &db).args(args));
    assert!(en.contains("--minutes is for html and md"), "{en}");
}

#[test]
fn a_decision_refused_lists_its_blocking_items_in_french() {
    let (_dir, db) = common::imported();
    let fr = stderr(under("fr_FR.UTF-8", &db).args(["decide", BLOCKING, "validate"]));
    assert!(
        fr.contains(&format!("a des éléments bloquants{NBSP}: imagerie{NBSP}: ")),
        "{fr}"
    );
    assert!(fr.contains(&format!("{NNBSP}; passer --override")), "{fr}");
    french_spacing(&fr);
    let en = stderr(under("en_GB.UTF-8", &db).args(["decide", BLOCKING, "validate"]));
    assert!(en.contains("has blocking items: imaging: "), "{en}");
    assert!(en.contains("; pass --override"), "{en}");
}

#[test]
fn a_storage_refusal_is_in_the_locale_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("nowhere.sqlite");
    let fr = stderr(under("fr_FR.UTF-8", &db).args(["check"]));
    assert!(fr.contains("pas de base de données à "), "{fr}");
    french_spacing(&fr);
    let en = stderr(under("en_GB.UTF-8", &db).args(["check"]));
    assert!(en.contains("no database at "), "{en}");
}

#[test]
fn lc_all_wins_over_lang() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("nowhere.sqlite");
    let en = stderr(
        under("fr_FR.UTF-8", &db)
            .env("LC_ALL", "en_GB.UTF-8")
            .arg("check"),
    );
    assert!(en.contains("no database at "), "{en}");
}

/// `rules set` in French: `1,4` and « aucune » typed as the table shows
/// them, the value said back so, a typo refused in French.
#[test]
fn rules_set_reads_and_says_values_in_french() {
    let (_dir, db) = common::imported();
    let out = stdout(under("fr_FR.UTF-8", &db).args([
        "rules",
        "set",
        "coagulation.inr_max",
        "1,4",
        "--risk",
        "high",
    ]));
    assert!(out.contains("1,4") && !out.contains("1.4"), "{out}");
    let out = stdout(under("fr_FR.UTF-8", &db).args(["rules", "set", "biology.sepsis", "aucune"]));
    assert!(out.contains("aucune") && !out.contains("none"), "{out}");
    let out = stdout(under("en_GB.UTF-8", &db).args(["rules", "set", "biology.sepsis", "aucune"]));
    assert!(out.contains("none"), "{out}");
    let err = stderr(under("fr_FR.UTF-8", &db).args(["rules", "set", "imaging.max_age", "1e1"]));
    assert!(err.contains("n'est ni un nombre"), "{err}");
    french_spacing(&err);
}

/// A value the rule cannot take is refused in French, the rule named in
/// words (not `medication.hold/apixaban/low`, not `day_noon`).
#[test]
fn a_rule_refusal_names_the_rule_in_french_words() {
    let (_dir, db) = common::imported();
    let err = stderr(under("fr_FR.UTF-8", &db).args([
        "rules",
        "set",
        "medication.hold",
        "1,5",
        "--subject",
        "apixaban",
        "--risk",
        "low",
    ]));
    assert!(
        err.contains(
            "1,5 n'est pas un nombre entier de jours (arrêt du traitement · apixaban · faible)"
        ),
        "{err}"
    );
    assert!(
        !err.contains("day_noon") && !err.contains("medication.hold"),
        "{err}"
    );
    french_spacing(&err);
}

/// An import refused under a French locale: where and what in French,
/// dates JJ/MM/AAAA, numbers with the decimal comma.
#[test]
fn import_problems_are_in_the_locale_language() {
    let (dir, db) = common::imported();
    let text = std::fs::read_to_string(common::fixture()).expect("fixture");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let id = doc["cases"][0]["external_id"]
        .as_str()
        .expect("id")
        .to_owned();
    doc["cases"][0]["coagulation"]["inr"] = 40.5.into();
    doc["cases"][0]["patient"]["birth_date"] = "2030-02-01".into();
    doc["cases"][1]["procedure"]["room"] = "".into();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, serde_json::to_string(&doc).expect("JSON")).expect("write");
    let fr = stderr(under("fr_FR.UTF-8", &db).arg("import").arg(&file));
    for want in [
        format!(
            "dossier 0 ({id}), champ coagulation.inr{NBSP}: 40,5 est hors de l'intervalle possible"
        ),
        format!("champ patient.birth_date{NBSP}: 01/02/2030 est dans le futur"),
        format!("champ procedure.room{NBSP}: ne doit pas être vide"),
        format!("{NNBSP}; rien n'a été importé"),
    ] {
        assert!(fr.contains(&want), "{want}\n{fr}");
    }
    assert!(fr.contains("erreurs"), "{fr}");
    french_spacing(&fr);
    let en = stderr(under("en_GB.UTF-8", &db).arg("import").arg(&file));
    assert!(
        en.contains(&format!(
            "case 0 ({id}), field coagulation.inr: 40.5 is out of the possible range"
        )),
        "{en}"
    );
    assert!(en.contains("2030-02-01 is in the future"), "{en}");
}

/// `rules set --severity` with an unknown word: refused in French.
#[test]
fn a_severity_typo_is_refused_in_french() {
    let (_dir, db) = common::imported();
    let err = stderr(under("fr_FR.UTF-8", &db).args([
        "rules",
        "set",
        "imaging.max_age",
        "30",
        "--severity",
        "grave",
    ]));
    assert!(
        err.contains(&format!(
            "«{NNBSP}grave{NNBSP}» n'est pas une gravité (blocking, advisory ou none)"
        )),
        "{err}"
    );
    french_spacing(&err);
}

#[test]
fn usage_refusals_are_in_the_locale_language() {
    let (_dir, db) = common::imported();
    let fr = stderr(under("fr_FR.UTF-8", &db).args(["resolve", COMPLETE, "nope", "keep"]));
    assert!(fr.contains("n'est pas un élément"), "{fr}");
    french_spacing(&fr);
    let fr =
        stderr(under("fr_FR.UTF-8", &db).args(["decide", COMPLETE, "validate", "--reason", "x"]));
    assert!(fr.contains("ne s'applique pas"), "{fr}");
    let en = stderr(under("en_GB.UTF-8", &db).args(["resolve", COMPLETE, "nope", "keep"]));
    assert!(en.contains("is not an item"), "{en}");
}
