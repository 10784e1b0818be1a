//! Who is writing: the login of the process's real uid, read from the
//! password database. Never `$USER` or `$LOGNAME`, which anyone can set.

use nix::unistd::{Uid, User};

/// The hospital time zone used when neither the file nor the server says.
pub const FALLBACK_TZ: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// The login of the real uid, or `uid:N` when the passwd entry is missing.
pub fn login() -> String {
    let uid = Uid::current();
    match User::from_uid(uid) {
        Ok(Some(user)) => crate::domain::text::sanitize_line(&user.name),
        _ => format!("uid:{uid}"),
    }
}

/// The server's IANA time zone, if it can be read and is known.
pub fn server_timezone() -> Option<chrono_tz::Tz> {
    iana_time_zone::get_timezone().ok()?.parse().ok()
}

/// The server's zone, else [`FALLBACK_TZ`].
pub fn default_timezone() -> chrono_tz::Tz {
    server_timezone().unwrap_or(FALLBACK_TZ)
}
