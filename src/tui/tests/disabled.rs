//! Issue 12, point 7: a user a chair disables while their screen is open
//! is told they are disabled, not that the file does not know them.

use super::*;
use crate::domain::roles::Permission;
use crate::text::screen;

#[test]
fn a_user_disabled_while_the_screen_is_open_is_told_so() {
    let (_dir, mut app) = app(Lang::En);
    let me = crate::storage::identity::login();
    // Another chair disables the caller, from another connection.
    let conn = rusqlite::Connection::open(app.db().path()).expect("open");
    conn.execute(
        "INSERT INTO users (login, name, role, created_at) VALUES ('boss', 'Boss', 'chair', 'x')",
        [],
    )
    .expect("another chair");
    conn.execute("UPDATE users SET active = 0 WHERE login = ?1", [&me])
        .expect("disabled");
    drop(conn);
    assert!(app.poll_changes());
    let flash = app.flash.clone().expect("the reload says why it failed");
    assert!(flash.error, "{}", flash.text);
    assert!(
        flash
            .text
            .contains(&format!("{me} is a disabled user of this file")),
        "{}",
        flash.text
    );
    assert!(
        !flash.text.contains("not a registered user"),
        "{}",
        flash.text
    );
    // What a key the role no longer allows says, and the start-up line.
    assert_eq!(app.db().role().expect("role"), None);
    assert!(app.db().is_disabled().expect("disabled"));
    assert_eq!(
        screen::not_allowed(Lang::En, None, true, Permission::ManageRules),
        "Read-only: you are a disabled user of this file. Allowed for chair."
    );
    assert_eq!(
        screen::not_allowed(Lang::Fr, None, true, Permission::ManageRules),
        "Lecture seule\u{a0}: vous êtes un utilisateur désactivé de ce fichier. Réservé à président."
    );
    assert!(screen::read_only(Lang::En, &me, true).contains("is a disabled user of this file"));
    assert!(screen::read_only(Lang::En, &me, false).contains("is not a registered user"));
}
