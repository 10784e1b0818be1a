//! The hospital's time zone. Delays in hours ("48 h before"), drug holds
//! and "the day before" are counted on the hospital's wall clock: a file
//! judged in UTC shows dangerous cases complete and blocks others wrongly.
//! A server is very often installed in UTC, which says nothing of where the
//! hospital is, so that zone is never taken without being named.

use chrono_tz::Tz;

/// Whether `tz` is a zone a server is set to by default rather than a
/// place: `UTC` and its aliases (`UCT`, `Universal`, `Zulu`, `GMT`,
/// `GMT0`, `GMT+0`, `GMT-0`, `Greenwich`), every `Etc/…` zone (UTC and
/// the fixed offsets) and `Factory`.
pub fn is_generic(tz: Tz) -> bool {
    is_generic_name(tz.name())
}

fn is_generic_name(name: &str) -> bool {
    name.starts_with("Etc/")
        || matches!(
            name,
            "UTC"
                | "UCT"
                | "Universal"
                | "Zulu"
                | "GMT"
                | "GMT0"
                | "GMT+0"
                | "GMT-0"
                | "Greenwich"
                | "Factory"
                // Fixed offsets and rule-only zones: no place, and for
                // the fixed ones no summer time.
                | "EST"
                | "MST"
                | "HST"
                | "CET"
                | "MET"
                | "EET"
                | "WET"
                | "EST5EDT"
                | "CST6CDT"
                | "MST7MDT"
                | "PST8PDT"
        )
}

/// Why the server's zone cannot be the hospital's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAPlace {
    /// The server says a generic zone (its name).
    Generic(String),
    /// The server's zone could not be read, or is not an IANA zone (what
    /// was read, if anything).
    Unknown(Option<String>),
}

/// The zone `init` takes when it is not given one: the server's, when the
/// server names a place. `server` is the server's zone as read (`None`:
/// nothing could be read); a `TZ`-style `:` prefix or zoneinfo path is
/// accepted around an IANA name.
pub fn from_server(server: Option<&str>) -> Result<Tz, NotAPlace> {
    let Some(raw) = server else {
        return Err(NotAPlace::Unknown(None));
    };
    let name = iana_name(raw);
    // An empty TZ means UTC to the C library.
    if name.is_empty() {
        return Err(NotAPlace::Generic("UTC".to_owned()));
    }
    match name.parse::<Tz>() {
        Ok(tz) if is_generic(tz) => Err(NotAPlace::Generic(tz.name().to_owned())),
        Ok(tz) => Ok(tz),
        Err(_) => Err(NotAPlace::Unknown(Some(
            crate::domain::text::sanitize_line(raw),
        ))),
    }
}

/// `:Europe/Paris` or `/usr/share/zoneinfo/Europe/Paris` → `Europe/Paris`.
fn iana_name(raw: &str) -> &str {
    let name = raw.trim();
    let name = name.strip_prefix(':').unwrap_or(name);
    for prefix in [
        "/usr/share/zoneinfo/",
        "/usr/lib/zoneinfo/",
        "/etc/zoneinfo/",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::{NotAPlace, from_server, is_generic};

    #[test]
    #[rustfmt::skip] // one row per zone
    fn init_takes_the_servers_zone_only_when_it_names_a_place() {
        use NotAPlace::{Generic, Unknown};
        let paris = Ok(chrono_tz::Europe::Paris);
        let table: [(Option<&str>, Result<chrono_tz::Tz, NotAPlace>); 30] = [
            (Some("Europe/Paris"), paris.clone()),
            (Some(":Europe/Paris"), paris.clone()),
            (Some("/usr/share/zoneinfo/Europe/Paris"), paris.clone()),
            (Some(" Europe/Paris\n"), paris.clone()),
            (Some("America/Cayenne"), Ok(chrono_tz::America::Cayenne)),
            (Some("Indian/Reunion"), Ok(chrono_tz::Indian::Reunion)),
            // Places at UTC+0 all year are places.
            (Some("Africa/Abidjan"), Ok(chrono_tz::Africa::Abidjan)),
            (Some("Europe/London"), Ok(chrono_tz::Europe::London)),
            (Some("UTC"), Err(Generic("UTC".into()))),
            (Some(":UTC"), Err(Generic("UTC".into()))),
            (Some("Etc/UTC"), Err(Generic("Etc/UTC".into()))),
            (Some("/usr/share/zoneinfo/Etc/UTC"), Err(Generic("Etc/UTC".into()))),
            (Some("Etc/GMT"), Err(Generic("Etc/GMT".into()))),
            (Some("Etc/GMT-1"), Err(Generic("Etc/GMT-1".into()))),
            (Some("Etc/Universal"), Err(Generic("Etc/Universal".into()))),
            (Some("Etc/Zulu"), Err(Generic("Etc/Zulu".into()))),
            (Some("GMT"), Err(Generic("GMT".into()))),
            (Some("GMT0"), Err(Generic("GMT0".into()))),
            (Some("Greenwich"), Err(Generic("Greenwich".into()))),
            // Fixed offsets and rule-only zones name no place either.
            (Some("EST"), Err(Generic("EST".into()))),
            (Some("CET"), Err(Generic("CET".into()))),
            (Some("EST5EDT"), Err(Generic("EST5EDT".into()))),
            (Some("Zulu"), Err(Generic("Zulu".into()))),
            (Some("UCT"), Err(Generic("UCT".into()))),
            (Some("Universal"), Err(Generic("Universal".into()))),
            (Some(""), Err(Generic("UTC".into()))),
            (Some("utc"), Err(Unknown(Some("utc".into())))),
            (Some("CET-1CEST,M3.5.0,M10.5.0/3"), Err(Unknown(Some("CET-1CEST,M3.5.0,M10.5.0/3".into())))),
            (Some("Mars/Olympus_Mons"), Err(Unknown(Some("Mars/Olympus_Mons".into())))),
            (None, Err(Unknown(None))),
        ];
        for (server, expected) in table {
            assert_eq!(from_server(server), expected, "{server:?}");
        }
    }

    #[test]
    fn every_etc_zone_is_generic_and_no_continent_zone_is() {
        for tz in chrono_tz::TZ_VARIANTS {
            let name = tz.name();
            if name.starts_with("Etc/") {
                assert!(is_generic(tz), "{name}");
            }
            if name.starts_with("Europe/") || name.starts_with("America/") {
                assert!(!is_generic(tz), "{name}");
            }
        }
    }
}
