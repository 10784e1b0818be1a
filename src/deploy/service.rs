//! `listen --config FILE` and `watch --config FILE`: the deployment's
//! configuration for a transport run as a systemd service. Such a unit
//! sets `NoNewPrivileges=yes`, under which the kernel ignores the binary's
//! setgid bit: the service gets the group from `SupplementaryGroups=`
//! instead, so [`super::start`] sees no setgid and reads nothing. Naming
//! the file makes it the source of the database, the audit key and the
//! allowed peers, exactly as when running setgid, with the same checks
//! (root's, not writable by group or others) and the umask 007.
//!
//! Refused when running setgid: the configuration is then [`CONFIG_PATH`]
//! and nobody may point the group's rights at another.

use std::path::Path;

use super::{ACTIVE, CONFIG_PATH, DeployError, load, running_setgid};
use crate::domain::text::sanitize_line;

/// Loads `path` and puts it in force for this process.
pub fn adopt(path: &Path) -> Result<(), DeployError> {
    let unsafe_ = |reason: String| DeployError::Unsafe {
        path: sanitize_line(&path.display().to_string()),
        reason,
    };
    if running_setgid() {
        return Err(unsafe_(format!(
            "running setgid, the configuration is {CONFIG_PATH}; --config is for a service started without setgid (NoNewPrivileges=yes)"
        )));
    }
    let config = load(path)?;
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o007));
    ACTIVE
        .set(config)
        .map_err(|_| unsafe_("a configuration is already in force".into()))
}
