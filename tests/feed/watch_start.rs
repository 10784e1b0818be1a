//! `watch` through the real binary, refused at start before it touches
//! the folder.

use super::*;

/// An account that may not apply the hospital's messages (a secretary) is
/// refused at start, before the folder is touched: no done/ or failed/.
#[test]
fn watch_refuses_an_account_that_may_not_apply_before_making_anything() -> TestResult {
    let (tmp, db) = common::imported();
    common::set_role_by_hand(&db, Some("secretary"), None);
    let dir = tmp.path().join("drop");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    let out = real(&db).arg("watch").arg(&dir).output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("may not"), "{err}");
    assert!(!dir.join("done").exists() && !dir.join("failed").exists());
    Ok(())
}
