//! Where the database may live: on a local disk, never on a network
//! filesystem. SQLite's locking (POSIX advisory locks, and the `-shm`
//! file's shared memory in WAL mode) is not reliable over NFS, SMB or the
//! like: two people writing at once could corrupt the file. So the folder
//! of the database is checked (`statfs`) before the file is opened or
//! created, and a network filesystem is refused in one line.

use std::path::{Path, PathBuf};

use super::{Result, StorageError};

/// Root-owned and not writable by group or others, else why not: what a
/// setgid deployment requires of its configuration and of the audit seal
/// (their writers could redirect the database or unseal a chain).
pub fn root_owned(uid: u32, mode: u32) -> Result<(), String> {
    if uid != 0 {
        return Err(format!("is owned by uid {uid}, not root"));
    }
    if mode & 0o022 != 0 {
        return Err(format!(
            "is writable by its group or others (mode {:04o}; expected e.g. 0644)",
            mode & 0o7777
        ));
    }
    Ok(())
}

/// Superblock magic numbers (`f_type` of `statfs(2)`, see `linux/magic.h`)
/// of network and distributed filesystems, with the name shown to the user.
const NETWORK: &[(u32, &str)] = &[
    (0x6969, "nfs"),
    (0x517B, "smb"),
    (0xFF53_4D42, "cifs"),
    (0xFE53_4D42, "smb2"),
    (0x0102_1997, "9p"),
    (0x5346_414F, "afs"),
    (0x6B41_4653, "afs"),
    (0x00C3_6400, "ceph"),
    (0x0BD0_0BD0, "lustre"),
    (0x7375_7245, "coda"),
    (0x564C, "ncp"),
    (0x4750_4653, "gpfs"),
    (0x2003_0528, "orangefs"),
    (0x1983_0326, "beegfs"),
];

/// `FUSE_SUPER_MAGIC`: a filesystem in user space, local or not; its
/// subtype (`fuse.sshfs`…) is read from `/proc/self/mountinfo`.
const FUSE: u32 = 0x6573_5546;

/// FUSE subtypes that reach another machine.
const NETWORK_FUSE: &[&str] = &[
    "sshfs",
    "s3fs",
    "gcsfuse",
    "rclone",
    "glusterfs",
    "davfs",
    "smbnetfs",
    "curlftpfs",
    "juicefs",
    "goofys",
    "ceph-fuse",
    "lizardfs",
    "moosefs",
    "mfs",
];

/// The name of the network filesystem whose superblock magic is `magic`,
/// `None` for a local one (FUSE is told apart by [`network_fuse`]).
pub fn network_fs(magic: u32) -> Option<&'static str> {
    NETWORK
        .iter()
        .find(|(m, _)| *m == magic)
        .map(|(_, name)| *name)
}

/// Whether a FUSE filesystem type as `mountinfo` writes it (`fuse.sshfs`,
/// `fuse.rclone`, `fuse`) reaches another machine.
pub fn network_fuse(fstype: &str) -> bool {
    let sub = fstype
        .strip_prefix("fuse.")
        .or_else(|| fstype.strip_prefix("fuseblk."))
        .unwrap_or(fstype);
    NETWORK_FUSE.contains(&sub)
}

/// The folder a database path lives in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Refuses a database whose folder is on a network filesystem. A folder
/// that cannot be examined (missing, no permission) passes: opening the
/// file then reports what is wrong.
pub fn require_local(path: &Path) -> Result<()> {
    match network_kind(&folder_of(path)) {
        Some(kind) => Err(StorageError::NetworkFs {
            path: path.to_owned(),
            kind,
        }),
        None => Ok(()),
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn network_kind(folder: &Path) -> Option<String> {
    let fs = nix::sys::statfs::statfs(folder).ok()?;
    // The magic numbers are 32-bit; `f_type` is wider on most targets and
    // signed on some: keep its low 32 bits.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let magic = fs.filesystem_type().0 as u32;
    if let Some(name) = network_fs(magic) {
        return Some(name.to_owned());
    }
    if magic == FUSE {
        let fstype = fuse_type(folder)?;
        return network_fuse(&fstype).then_some(fstype);
    }
    None
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn network_kind(_folder: &Path) -> Option<String> {
    None
}

/// The filesystem type (`fuse.sshfs`…) of the mount holding `folder`: the
/// longest mount point of `/proc/self/mountinfo` that contains it.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn fuse_type(folder: &Path) -> Option<String> {
    let folder = std::fs::canonicalize(folder).ok()?;
    let text = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    mount_type(&text, &folder)
}

/// In `mountinfo` text, the filesystem type of the mount holding `path`
/// (an absolute, canonical path).
fn mount_type(mountinfo: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        // id parent major:minor root mount-point options [optional…] - type source super-options
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(point) = fields.get(4) else { continue };
        let Some(dash) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        let Some(fstype) = fields.get(dash + 1) else {
            continue;
        };
        let point = unescape(point);
        let depth = Path::new(&point).components().count();
        if path.starts_with(&point) && best.as_ref().is_none_or(|(d, _)| depth >= *d) {
            best = Some((depth, (*fstype).to_owned()));
        }
    }
    best.map(|(_, t)| t)
}

/// `mountinfo` writes space, tab, newline and backslash as `\ooo`.
fn unescape(s: &str) -> String {
    s.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_magic_numbers_are_refused() {
        assert_eq!(network_fs(0x6969), Some("nfs"));
        assert_eq!(network_fs(0x517B), Some("smb"));
        assert_eq!(network_fs(0xFF53_4D42), Some("cifs"));
        assert_eq!(network_fs(0xFE53_4D42), Some("smb2"));
        assert_eq!(network_fs(0x0102_1997), Some("9p"));
        assert_eq!(network_fs(0x00C3_6400), Some("ceph"));
        assert_eq!(network_fs(0x0BD0_0BD0), Some("lustre"));
        assert_eq!(network_fs(0x6B41_4653), Some("afs"));
    }

    #[test]
    fn local_magic_numbers_pass() {
        for local in [
            0xEF53,      // ext2/3/4
            0x5846_5342, // xfs
            0x9123_683E, // btrfs
            0x0102_1994, // tmpfs
            0x794C_7630, // overlayfs
            0x2FC1_2FC1, // zfs
            FUSE,        // told apart by its subtype
        ] {
            assert_eq!(network_fs(local), None, "{local:#x}");
        }
    }

    #[test]
    fn fuse_subtypes() {
        assert!(network_fuse("fuse.sshfs"));
        assert!(network_fuse("fuse.rclone"));
        assert!(network_fuse("fuse.s3fs"));
        assert!(!network_fuse("fuse.ntfs-3g"));
        assert!(!network_fuse("fuse-overlayfs"));
        assert!(!network_fuse("fuse"));
    }

    #[test]
    fn the_longest_mount_point_holding_the_path_wins() {
        let info = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:40 / /srv rw,relatime shared:2 - xfs /dev/sdb1 rw
41 40 0:41 / /srv/remote\\040share rw,nosuid - fuse.sshfs me@host:/data rw,user_id=0
42 22 0:42 / /srvx rw - nfs4 host:/x rw
";
        let at = |p: &str| mount_type(info, Path::new(p));
        assert_eq!(at("/srv/remote share/db").as_deref(), Some("fuse.sshfs"));
        assert_eq!(at("/srv/ir-committee").as_deref(), Some("xfs"));
        assert_eq!(at("/srvx/a").as_deref(), Some("nfs4"));
        assert_eq!(at("/home").as_deref(), Some("ext4"));
    }

    #[test]
    fn a_local_folder_passes_and_a_missing_one_is_left_to_open() -> Result<()> {
        let dir = std::env::temp_dir();
        // The test machine's temporary folder is local (tmpfs, ext4, overlay…).
        require_local(&dir.join("committee.sqlite"))?;
        require_local(Path::new("/nonexistent-folder/committee.sqlite"))?;
        require_local(Path::new("committee.sqlite"))
    }

    #[test]
    fn the_refusal_is_one_clear_line() {
        let e = StorageError::NetworkFs {
            path: PathBuf::from("/mnt/share/committee.sqlite"),
            kind: "nfs".into(),
        };
        assert_eq!(
            e.to_string(),
            "/mnt/share/committee.sqlite is on a network filesystem (nfs): SQLite's locking is not safe there; put the database on a local disk"
        );
    }
}
