//! Who is writing: the login of the process's real uid, read from the
//! password database. Never `$USER` or `$LOGNAME`, which anyone can set.

use nix::unistd::{Uid, User};

/// The login of the real uid, or `uid:N` when the passwd entry is missing
/// or has no visible character.
pub fn login() -> String {
    let uid = Uid::current();
    let name = match User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => String::new(),
    };
    login_or_uid(&name, uid.as_raw())
}

/// A passwd name as a login: cleaned as text entering the file, and
/// `uid:N` when nothing visible is left (an invisible login would sign the
/// audit trail with a blank).
fn login_or_uid(name: &str, uid: u32) -> String {
    let login = crate::domain::text::sanitize_line(name);
    if login.is_empty() {
        format!("uid:{uid}")
    } else {
        login
    }
}

/// The server's time zone as this process sees it, unchecked: `$TZ` when
/// set (what the C library takes for local time; empty means UTC), else
/// the system's (`/etc/localtime`). `None`: nothing could be read. Whether
/// it may be taken as the hospital's is [`crate::domain::zone::from_server`]'s
/// decision.
pub fn server_zone() -> Option<String> {
    match std::env::var_os("TZ") {
        Some(tz) => tz.into_string().ok(),
        None => iana_time_zone::get_timezone().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::login_or_uid;

    #[test]
    #[rustfmt::skip] // one row per case
    fn an_invisible_login_is_the_uid() {
        let table = [
            ("a plain login", "hmartin", "hmartin"),
            ("a Hangul filler", "\u{3164}", "uid:1001"),
            ("a combining grapheme joiner", "\u{34f}", "uid:1001"),
            ("a Braille blank", "\u{2800}", "uid:1001"),
            ("no entry", "", "uid:1001"),
            ("an invisible character inside", "h\u{200b}martin\u{ad}", "hmartin"),
        ];
        for (label, name, login) in table {
            assert_eq!(login_or_uid(name, 1001), login, "{label}");
        }
    }
}
