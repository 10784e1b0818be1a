//! The decision rules: refusals write nothing, overrides, undo, targets.

use super::*;
use crate::storage::audit;

fn db() -> Db {
    let mut db = Db::open_in_memory(crate::testkit::clock()).expect("db");
    let cases = crate::testkit::fixture_cases();
    crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears).expect("save");
    db
}

/// The first case of the fixture week that is complete (or blocking).
fn first(db: &Db, complete: bool) -> StoredCase {
    let rules = db.rules().expect("rules");
    let ctx = Context {
        rules: &rules,
        tz: db.timezone().expect("zone"),
    };
    read::week(db, "2026-W49".parse().expect("week"))
        .expect("week")
        .into_iter()
        .find(|c| Assessment::of(&c.file, &ctx).complete() == complete)
        .expect("such a case")
}

fn audit_len(db: &Db) -> usize {
    audit::list(db, None).expect("audit").len()
}

#[test]
fn refusals_write_nothing() {
    let mut db = db();
    let blocking = first(&db, false);
    let complete = first(&db, true);
    let before = audit_len(&db);
    let own: Week = Week::containing(blocking.file.day());
    let refusals: Vec<(i64, Request)> = vec![
        (
            blocking.id,
            Request::Validate {
                override_justification: None,
            },
        ),
        (
            blocking.id,
            Request::Validate {
                override_justification: Some(" \u{1b}\u{200b} ".into()),
            },
        ),
        (
            complete.id,
            Request::Postpone {
                reason: "  ".into(),
                to_week: own.offset(1),
            },
        ),
        (
            complete.id,
            Request::Postpone {
                reason: "r".into(),
                to_week: own,
            },
        ),
        (
            complete.id,
            Request::Postpone {
                reason: "r".into(),
                to_week: own.offset(-1),
            },
        ),
        (
            complete.id,
            Request::Cancel {
                reason: "\n".into(),
            },
        ),
        // No visible character (issue 9): a Hangul filler, Braille blanks, a
        // combining grapheme joiner are no reason and no justification.
        (
            blocking.id,
            Request::Validate {
                override_justification: Some("\u{3164}\n\u{2800}".into()),
            },
        ),
        (
            complete.id,
            Request::Postpone {
                reason: "\u{2800} \u{2800}".into(),
                to_week: own.offset(1),
            },
        ),
        (
            complete.id,
            Request::Cancel {
                reason: "\u{34f}\u{301}".into(),
            },
        ),
        (
            complete.id,
            Request::Cancel {
                reason: "x".repeat(MAX_TEXT_CHARS + 1),
            },
        ),
        (complete.id, Request::Undo),
        (999_999, Request::Undo),
    ];
    for (id, request) in refusals {
        let r = decide(&mut db, id, None, request.clone());
        assert!(r.is_err(), "{request:?} was accepted");
    }
    assert_eq!(audit_len(&db), before);
    assert_eq!(read::by_id(&db, blocking.id).expect("case"), blocking);
    assert_eq!(read::by_id(&db, complete.id).expect("case"), complete);
}

#[test]
fn the_blocking_items_are_data_and_read_in_either_language() {
    let mut db = db();
    let blocking = first(&db, false);
    let request = Request::Validate {
        override_justification: None,
    };
    match decide(&mut db, blocking.id, None, request) {
        Err(e @ DecideError::NeedsOverride { .. }) => {
            let DecideError::NeedsOverride {
                blocking: items, ..
            } = &e
            else {
                unreachable!()
            };
            assert!(!items.is_empty());
            assert!(items.iter().all(|b| !b.findings.is_empty()));
            let (en, fr) = (
                crate::text::decide::blocking_list(Lang::En, items),
                crate::text::decide::blocking_list(Lang::Fr, items),
            );
            assert_eq!(en.len(), fr.len());
            assert_ne!(en, fr);
            assert_eq!(e.to_string(), e.message(Lang::En));
            assert!(e.message(Lang::Fr).contains("a des éléments bloquants"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_override_is_recorded_with_its_sanitised_justification() {
    let mut db = db();
    let blocking = first(&db, false);
    let d = decide(
        &mut db,
        blocking.id,
        Some(blocking.version),
        Request::Validate {
            override_justification: Some("  bilan fait hier\u{1b}[2J, résultat oral  ".into()),
        },
    )
    .expect("validated");
    assert!(d.overridden);
    assert_eq!(d.status, DecisionStatus::Validated);
    assert_eq!(d.version, blocking.version + 1);
    let stored = read::by_id(&db, blocking.id).expect("case");
    assert_eq!(
        stored.decisions[0].override_justification.as_deref(),
        Some("bilan fait hier[2J, résultat oral")
    );
    // Validating it again needs a justification again (it is still blocking).
    assert!(matches!(
        decide(
            &mut db,
            blocking.id,
            None,
            Request::Validate {
                override_justification: None
            }
        ),
        Err(DecideError::NeedsOverride { .. })
    ));
}

#[test]
fn a_complete_case_is_validated_once() {
    let mut db = db();
    let c = first(&db, true);
    let v = Request::Validate {
        override_justification: Some("not needed".into()),
    };
    let d = decide(&mut db, c.id, None, v.clone()).expect("validated");
    assert!(!d.overridden);
    assert_eq!(d.override_justification, None);
    assert!(matches!(
        decide(&mut db, c.id, None, v),
        Err(DecideError::AlreadyDecided { .. })
    ));
}

#[test]
fn postponing_again_proposes_the_week_after_the_target() {
    let mut db = db();
    let c = first(&db, true);
    let own = Week::containing(c.file.day());
    assert_eq!(proposed_target(&c), own.offset(1));
    let postpone = |to_week: Week| Request::Postpone {
        reason: "attente IRM".into(),
        to_week,
    };
    let d = decide(&mut db, c.id, None, postpone(own.offset(1))).expect("postponed");
    assert_eq!(d.postponed_to, Some(own.offset(1).to_string()));
    assert!(matches!(
        decide(&mut db, c.id, None, postpone(own.offset(1))),
        Err(DecideError::AlreadyDecided { .. })
    ));
    let c = read::by_id(&db, c.id).expect("case");
    assert_eq!(proposed_target(&c), own.offset(2));
    decide(&mut db, c.id, None, postpone(own.offset(2))).expect("postponed again");
    let d = decide(&mut db, c.id, None, Request::Undo).expect("undo");
    assert_eq!(d.status, DecisionStatus::Postponed);
    assert_eq!(d.postponed_to, Some(own.offset(1).to_string()));
}

#[test]
fn a_stale_view_is_a_conflict_even_when_the_request_is_refused_anyway() {
    let mut db = db();
    let c = first(&db, true);
    decide(
        &mut db,
        c.id,
        Some(c.version),
        Request::Validate {
            override_justification: None,
        },
    )
    .expect("validated");
    let e = decide(
        &mut db,
        c.id,
        Some(c.version),
        Request::Validate {
            override_justification: None,
        },
    )
    .expect_err("stale");
    match e {
        DecideError::Conflict { by, found, .. } => {
            assert_eq!(by, db.login());
            assert_eq!(found, c.version + 1);
        }
        other => panic!("{other:?}"),
    }
}

/// A coded reason goes with a postponement or a cancellation only: with
/// another decision it is refused, not dropped.
#[test]
fn a_coded_reason_only_with_a_postponement_or_a_cancellation() {
    use crate::domain::vocab::ReasonCode;
    let (_dir, mut db) = crate::testkit::open_fixture();
    let code = Some(ReasonCode::Equipment);
    for request in [
        Request::Validate {
            override_justification: Some("seen".into()),
        },
        Request::Undo,
        Request::Nod,
    ] {
        let got = decide_external_coded(&mut db, "SCH-2026-004501", request.clone(), code);
        assert!(
            matches!(got, Err(DecideError::CodeNotFor(_))),
            "{request:?}: {got:?}"
        );
    }
    let done = decide_external_coded(
        &mut db,
        "SCH-2026-004501",
        Request::Cancel {
            reason: "scanner en panne".into(),
        },
        code,
    )
    .expect("cancelled");
    assert_eq!(done.reason_code, code);
    let case = read::by_external_id(&db, "SCH-2026-004501").expect("case");
    assert_eq!(case.decisions.last().and_then(|d| d.reason_code), code);
}
