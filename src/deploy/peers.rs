//! `mllp_allowed_peers`: the peers that may connect to `listen --mllp` when
//! it listens on an address other than loopback; `mllp_local_accounts`:
//! the local accounts a loopback peer may be (an SSH tunnel's, stunnel's).
//! Read from the root-owned configuration when running setgid (the
//! deployment), else from [`ENV`] and [`LOCAL_ENV`] (a test or a person's
//! own copy: the person's rights apply anyway). Nothing listed: loopback
//! only, from the listener's own account only.

use std::net::IpAddr;

use crate::domain::text::sanitize_line;

/// The configuration key.
pub const KEY: &str = "mllp_allowed_peers";

/// Outside a setgid deployment, the same list from the environment.
pub const ENV: &str = "IR_COMMITTEE_MLLP_ALLOWED_PEERS";

/// The configuration key of the local accounts.
pub const LOCAL_KEY: &str = "mllp_local_accounts";

/// Outside a setgid deployment, the same accounts from the environment.
pub const LOCAL_ENV: &str = "IR_COMMITTEE_MLLP_LOCAL_ACCOUNTS";

/// `ircfeed-tunnel, stunnel4` (account names, separated by commas or
/// spaces; at least one): the names, else why not. They are looked up
/// when the listener starts ([`local_uids`]).
pub fn parse_accounts(value: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for word in value.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
        let fits = word.len() <= 32
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !fits {
            return Err(format!(
                "{LOCAL_KEY} lists account names, not '{}'",
                sanitize_line(word)
            ));
        }
        if !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    }
    if out.is_empty() {
        return Err(format!("{LOCAL_KEY} is empty: leave the line out instead"));
    }
    Ok(out)
}

/// The uids of the local accounts in force (the configuration's when
/// running setgid, else [`LOCAL_ENV`]'s), `None` when none are listed (the
/// listener's own account then). An account this machine does not know is
/// an error: the listener does not start.
pub fn local_uids() -> Result<Option<Vec<u32>>, String> {
    let names = match super::ACTIVE.get() {
        Some(config) => config.mllp_local_accounts.clone(),
        None => match std::env::var(LOCAL_ENV) {
            Ok(v) if !v.trim().is_empty() => {
                parse_accounts(&v).map_err(|r| format!("{LOCAL_ENV}: {r}"))?
            }
            _ => Vec::new(),
        },
    };
    if names.is_empty() {
        return Ok(None);
    }
    names
        .iter()
        .map(|name| match nix::unistd::User::from_name(name) {
            Ok(Some(user)) => Ok(user.uid.as_raw()),
            _ => Err(format!(
                "{LOCAL_KEY}: no account '{}' on this machine",
                sanitize_line(name)
            )),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `10.20.0.15, 10.20.0.16` (IPv4 or IPv6 addresses, separated by commas
/// or spaces; at least one): the addresses, else why not.
pub fn parse(value: &str) -> Result<Vec<IpAddr>, String> {
    let mut out = Vec::new();
    for word in value.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
        let ip: IpAddr = word.parse().map_err(|_| {
            format!(
                "{KEY} lists IP addresses (no names, no networks), not '{}'",
                sanitize_line(word)
            )
        })?;
        if ip.is_unspecified() {
            return Err(format!("{KEY} cannot list {ip} (any address)"));
        }
        if !out.contains(&ip) {
            out.push(ip);
        }
    }
    if out.is_empty() {
        return Err(format!("{KEY} is empty: leave the line out instead"));
    }
    Ok(out)
}

/// The allowed peers in force: the configuration's when running setgid,
/// else [`ENV`]'s (empty when unset). A malformed variable is an error.
pub fn allowed() -> Result<Vec<IpAddr>, String> {
    if let Some(config) = super::ACTIVE.get() {
        return Ok(config.mllp_allowed_peers.clone());
    }
    match std::env::var(ENV) {
        Ok(v) if !v.trim().is_empty() => parse(&v).map_err(|r| format!("{ENV}: {r}")),
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_accounts_and_their_mistakes() {
        assert_eq!(
            parse_accounts("ircfeed-tunnel, stunnel4 ircfeed-tunnel").ok(),
            Some(vec!["ircfeed-tunnel".to_owned(), "stunnel4".to_owned()])
        );
        for (value, says) in [
            ("", "is empty"),
            (" ,", "is empty"),
            ("a;b", "not 'a;b'"),
            ("../x/y", "not '../x/y'"),
        ] {
            let err = parse_accounts(value).err().unwrap_or_default();
            assert!(err.contains(says), "{value}: {err}");
        }
    }

    #[test]
    fn the_list_and_its_mistakes() {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        let ok = parse("10.20.0.15, 10.20.0.16 fd00::1,10.20.0.15").ok();
        assert_eq!(
            ok,
            Some(
                [ip("10.20.0.15"), ip("10.20.0.16"), ip("fd00::1")]
                    .into_iter()
                    .flatten()
                    .collect()
            )
        );
        for (value, says) in [
            ("", "is empty"),
            (" , ", "is empty"),
            ("lab.example.org", "not 'lab.example.org'"),
            ("10.20.0.0/24", "no networks"),
            ("0.0.0.0", "any address"),
            ("::", "any address"),
        ] {
            let err = parse(value).err().unwrap_or_default();
            assert!(err.contains(says), "{value}: {err}");
        }
    }

    #[test]
    fn the_configuration_key() {
        let c = crate::deploy::parse("database = /srv/c.sqlite\nmllp_allowed_peers = 10.1.1.1\n");
        assert_eq!(
            c.map(|c| c.mllp_allowed_peers),
            Ok(vec![IpAddr::from([10, 1, 1, 1])])
        );
        let twice = crate::deploy::parse(
            "database = /srv/c.sqlite\nmllp_allowed_peers = 10.1.1.1\nmllp_allowed_peers = 10.1.1.2",
        );
        assert_eq!(twice.err().map(|e| e.0), Some(3));
        let bad = crate::deploy::parse("database = /srv/c.sqlite\nmllp_allowed_peers = x");
        assert_eq!(bad.err().map(|e| e.0), Some(2));
    }
}
