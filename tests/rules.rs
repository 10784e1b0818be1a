//! `rules set`: numbers typed strictly; the same value again writes nothing.

mod common;

use common::{bin, imported};
use predicates::prelude::*;

fn audit_count(db: &std::path::Path, action: &str) -> usize {
    let out = bin(db)
        .args(["audit", "--format", "json"])
        .output()
        .expect("audit");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    rows.iter().filter(|r| r["action"] == action).count()
}

#[test]
fn a_threshold_is_a_plain_decimal() {
    let (_dir, db) = imported();
    for typo in ["1e1", "+20", ".5", "20.", "0x10"] {
        bin(&db)
            .args(["rules", "set", "imaging.max_age", typo])
            .assert()
            .failure()
            .stderr(predicate::str::contains("is not a number"));
    }
    bin(&db)
        .args([
            "rules",
            "set",
            "coagulation.inr_max",
            "1,4",
            "--risk",
            "high",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("1.4"));
    assert_eq!(audit_count(&db, "rules.set"), 1);
}

#[test]
fn the_same_value_again_is_not_a_change() {
    let (_dir, db) = imported();
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "30"])
        .assert()
        .success();
    bin(&db)
        .args(["rules", "set", "imaging.max_age", "30"])
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged"));
    assert_eq!(audit_count(&db, "rules.set"), 1);
}
