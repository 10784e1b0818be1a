//! Every role (and a login the file does not know) × every read the
//! storage layer offers, and a disabled user's refusals: the read side of
//! the permission tables (the writes: `roles_tests.rs`).

use super::roles_tests::{file_as, refused_rows};
use super::*;
use crate::domain::roles::{Permission, Role};
use crate::domain::week::Week;

/// Issue 11: every role (and a login the file does not know) × every read
/// the storage layer offers: the read table's answer, and the reads that
/// check it themselves (the audit listing, `audit --verify`, the users
/// list, the screen's week) agree with it; a refusal is one line.
#[test]
fn every_role_and_every_read() {
    use crate::domain::roles::{Read, Sight, reads};
    let roles: Vec<Option<Role>> = Role::ALL.into_iter().map(Some).chain([None]).collect();
    for role in roles {
        let (_dir, db) = file_as(role);
        let who = role.map_or("unknown".to_owned(), |r| r.to_string());
        for r in Read::ALL {
            let got = db.require_read(r);
            match reads(role, r) {
                Some(sight) => assert_eq!(got.expect("allowed"), sight, "{who} {r:?}"),
                None => {
                    let err = got.expect_err("refused").to_string();
                    assert_eq!(err.lines().count(), 1, "{err}");
                    let expected = if role.is_none() {
                        "is not a registered user"
                    } else {
                        "may not read"
                    };
                    assert!(err.contains(expected), "{who} {r:?}: {err}");
                }
            }
        }
        let week: Week = "2026-W49".parse().expect("week");
        let week_read = db.reader(Read::Week).and_then(|reader| reader.week(week));
        assert_eq!(
            week_read.is_ok(),
            reads(role, Read::Week).is_some(),
            "{who}"
        );
        let listing = audit::query(&db, &audit::Filter::default());
        assert_eq!(
            listing.is_ok(),
            matches!(role, Some(Role::Chair | Role::Auditor)),
            "{who}: the audit listing"
        );
        // Every person; not the feed's service account, which reads no list.
        let person = role.is_some_and(|r| r != Role::Feed);
        assert_eq!(audit::verify(&db, None).is_ok(), person, "{who}");
        assert_eq!(users::list(&db).is_ok(), person, "{who}");
        // The follow-up call list (and the operators' links, with the
        // users list).
        assert_eq!(
            followup::inputs(&db).is_ok(),
            reads(role, Read::FollowUps).is_some(),
            "{who}: the call list"
        );
        assert_eq!(operators::list(&db).is_ok(), person, "{who}");
        // The laboratory results that reached no case (`feeds held`): the
        // physicians, identified.
        assert_eq!(
            feed_held::list(&db).is_ok(),
            reads(role, Read::HeldResults).is_some(),
            "{who}: the results held"
        );
        assert_eq!(
            reads(role, Read::HeldResults),
            role.filter(|r| matches!(r, Role::Chair | Role::Radiologist | Role::Anaesthetist))
                .map(|_| Sight::Identified),
            "{who}: the results held, the physicians' only"
        );
        // The screen's board (given the pseudonym key, as the screen is):
        // as the read table says, pseudonymised for a viewer and the
        // auditor; refused to a login the file does not know. A role that
        // reads the follow-up calls but no week (the nurse) gets a board
        // with no case, which says so (the screen opens on the calls).
        let key =
            crate::export::pseudo::Pseudonymiser::from_key(b"0123456789abcdef0123").expect("key");
        let board = crate::tui::data::load(&db, week, Some(&key));
        let calls_only =
            reads(role, Read::Week).is_none() && reads(role, Read::FollowUps).is_some();
        assert_eq!(
            board.as_ref().ok().map(|b| b.pseudonymised),
            reads(role, Read::Week)
                .map(|s| s == Sight::Pseudonymised)
                .or(calls_only.then_some(false)),
            "{who}: the board"
        );
        if let Ok(b) = &board {
            assert_eq!(b.board_refused, calls_only, "{who}");
            assert!(!calls_only || b.cases.is_empty(), "{who}");
            assert_eq!(
                b.overdue_follow_ups.is_some(),
                reads(role, Read::FollowUps).is_some(),
                "{who}: the header's count of overdue calls"
            );
        }
    }
}

/// Issue 12, point 7: a disabled user's refusals say so (writes and reads),
/// and a login the file does not know is still called that.
#[test]
fn a_disabled_user_is_refused_as_disabled() {
    let (_dir, mut db) = file_as(Some(Role::Radiologist));
    let login = identity::login();
    db.write(|w| {
        w.tx()
            .execute("UPDATE users SET active = 0 WHERE login = ?1", [&login])?;
        Ok::<_, StorageError>(())
    })
    .expect("disable");
    let err = db
        .write(|w| w.require(Permission::ManageRules, "rules.set", None))
        .expect_err("refused");
    assert!(
        matches!(
            err,
            StorageError::Forbidden {
                role: None,
                disabled: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("{login} (a disabled user of this file) may not manage rules: allowed for chair")
    );
    assert_eq!(refused_rows(&db, "rules.set"), 1, "still audited");
    let err = db
        .require_read(crate::domain::roles::Read::Week)
        .expect_err("refused");
    assert!(matches!(err, StorageError::Disabled { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("{login} is a disabled user of this file"))
    );
    // Unknown: as before.
    db.write(|w| {
        w.tx()
            .execute("DELETE FROM users WHERE login = ?1", [&login])?;
        Ok::<_, StorageError>(())
    })
    .expect("remove");
    let err = db
        .write(|w| w.require(Permission::ManageRules, "rules.set", None))
        .expect_err("refused");
    assert!(err.to_string().contains("(not a registered user)"), "{err}");
    let err = db
        .require_read(crate::domain::roles::Read::Week)
        .expect_err("refused");
    assert!(matches!(err, StorageError::NotAUser { .. }), "{err:?}");
}
