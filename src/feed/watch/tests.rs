use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::*;

#[test]
fn which_names_are_taken() {
    let cases = [
        ("r1.hl7", Some(Kind::Hl7)),
        ("R1.HL7", Some(Kind::Hl7)),
        ("week.json", Some(Kind::Json)),
        ("r1.hl7.tmp", None),
        (".r1.hl7", None),
        ("r1.txt", None),
        (".hl7", None),
        ("hl7", None),
        ("r1.hl7.ack", None),
    ];
    for (name, want) in cases {
        assert_eq!(kind_of(name), want, "{name}");
    }
}

#[test]
fn numbered_names_keep_the_extension() {
    assert_eq!(candidate("r1.hl7", 0), "r1.hl7");
    assert_eq!(candidate("r1.hl7", 2), "r1.2.hl7");
    assert_eq!(candidate("noext", 1), "noext.1");
}

fn uid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

#[test]
fn folder_modes() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir)?;
    for (mode, ok) in [
        (0o700, true),
        (0o750, true),
        (0o755, true),
        (0o770, false),
        (0o702, false),
        (0o1777, false),
    ] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode))?;
        assert_eq!(Folder::open(&dir, uid()).is_ok(), ok, "{mode:o}");
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    assert!(matches!(
        Folder::open(&dir, uid() + 1),
        Err(WatchError::NotOwned { .. })
    ));
    let file = tmp.path().join("f");
    std::fs::write(&file, "x")?;
    assert_eq!(
        Folder::open(&file, uid()).err(),
        Some(WatchError::NotADirectory(file))
    );
    // The folder, or done/, as a link to elsewhere is refused.
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&dir, &link)?;
    assert_eq!(
        Folder::open(&link, uid()).err(),
        Some(WatchError::NotADirectory(link.clone()))
    );
    let slash = PathBuf::from(format!("{}/", link.display()));
    assert_eq!(
        Folder::open(&slash, uid()).err(),
        Some(WatchError::NotADirectory(link))
    );
    Folder::open(&dir, uid())?;
    std::fs::remove_dir(dir.join(DONE))?;
    std::os::unix::fs::symlink(tmp.path(), dir.join(DONE))?;
    assert_eq!(
        Folder::open(&dir, uid()).err(),
        Some(WatchError::NotADirectory(dir.join(DONE)))
    );
    Ok(())
}

/// An unsafe `failed/` (or `done/`) is refused before the other is made:
/// a refusal leaves the folder as it was.
#[test]
fn a_refusal_makes_neither_sub_folder() -> Result<(), Box<dyn std::error::Error>> {
    for (unsafe_sub, other) in [(FAILED, DONE), (DONE, FAILED)] {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join("in");
        std::fs::create_dir(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        std::fs::create_dir(dir.join(unsafe_sub))?;
        std::fs::set_permissions(dir.join(unsafe_sub), std::fs::Permissions::from_mode(0o777))?;
        assert!(
            matches!(Folder::open(&dir, uid()), Err(WatchError::Writable { .. })),
            "{unsafe_sub}"
        );
        assert!(!dir.join(other).exists(), "{other} made");
    }
    Ok(())
}

/// The folder above: writable by others only with the sticky bit; the
/// user's or root's.
#[test]
fn the_folder_above_must_not_let_others_rename_it() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let parent = tmp.path().join("p");
    let dir = parent.join("in");
    std::fs::create_dir_all(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    for (mode, ok) in [
        (0o755, true),
        (0o700, true),
        (0o1777, true),
        (0o1770, true),
        (0o777, false),
        (0o775, false),
        (0o757, false),
    ] {
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(mode))?;
        let got = Folder::open(&dir, uid());
        assert_eq!(got.is_ok(), ok, "{mode:o}");
        if !ok {
            assert_eq!(
                got.err(),
                Some(WatchError::UnsafeParent {
                    path: std::fs::canonicalize(&parent)?,
                    uid: uid(),
                    mode,
                })
            );
        }
    }
    // Two levels up counts too.
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755))?;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777))?;
    assert!(matches!(
        Folder::open(&dir, uid()),
        Err(WatchError::UnsafeParent { .. })
    ));
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o700))?;
    // Owned by someone else than the user or root (testable as root).
    if nix::unistd::chown(&parent, Some(NOBODY), None).is_ok() {
        assert!(matches!(
            Folder::open(&dir, uid()),
            Err(WatchError::UnsafeParent { uid: 65534, .. })
        ));
    }
    Ok(())
}

const NOBODY: nix::unistd::Uid = nix::unistd::Uid::from_raw(65534);

/// A folder held, in a parent of the user's (0700).
fn held() -> Result<(tempfile::TempDir, PathBuf, Folder), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    let folder = Folder::open(&dir, uid())?;
    Ok((tmp, dir, folder))
}

fn changed(e: WatchError) -> Option<WatchError> {
    match e {
        WatchError::Changed(inner) => Some(*inner),
        _ => None,
    }
}

/// Each change after start is seen by `verify` and stops `apply_one`
/// before the file is read.
#[test]
fn a_change_of_the_folder_after_start_stops_before_reading()
-> Result<(), Box<dyn std::error::Error>> {
    type Change = fn(&Path) -> std::io::Result<()>;
    type Expected = fn(&WatchError) -> bool;
    let changes: [(&str, Change, Expected); 5] = [
        (
            "replaced",
            |d| {
                std::fs::rename(d, d.with_extension("old"))?;
                std::fs::create_dir(d)?;
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))
            },
            |e| matches!(e, WatchError::Replaced { .. }),
        ),
        (
            "made world-writable",
            |d| std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)),
            |e| matches!(e, WatchError::Writable { mode: 0o777, .. }),
        ),
        (
            "done/ replaced",
            |d| {
                std::fs::rename(d.join(DONE), d.join("done.old"))?;
                std::fs::create_dir(d.join(DONE))
            },
            |e| matches!(e, WatchError::Replaced { .. }),
        ),
        (
            "failed/ group-writable",
            |d| std::fs::set_permissions(d.join(FAILED), std::fs::Permissions::from_mode(0o770)),
            |e| matches!(e, WatchError::Writable { .. }),
        ),
        (
            "the folder above opened to others",
            |d| {
                let above = d.parent().ok_or(std::io::ErrorKind::NotFound)?;
                std::fs::set_permissions(above, std::fs::Permissions::from_mode(0o777))
            },
            |e| matches!(e, WatchError::UnsafeParent { .. }),
        ),
    ];
    for (what, change, expected) in changes {
        let (_tmp, dir, folder) = held()?;
        folder.verify()?;
        std::fs::write(dir.join("r.hl7"), "x")?;
        change(&dir)?;
        std::fs::write(dir.join("r.hl7"), "forged")?;
        let got = apply_one(
            &folder,
            "r.hl7",
            Kind::Hl7,
            &mut Fixed(true),
            &Options::default(),
            &|_| Vec::new(),
        );
        let inner = got.err().and_then(changed);
        assert!(inner.as_ref().is_some_and(expected), "{what}: {inner:?}");
        assert_eq!(
            std::fs::read_to_string(dir.join("r.hl7"))?,
            "forged",
            "{what}"
        );
        assert!(!dir.join("done/r.hl7").exists(), "{what}");
    }
    Ok(())
}

/// Past the checks, the files are opened relative to the folder held:
/// one dropped in a folder put in its place is not there to be read.
#[test]
fn a_file_of_a_folder_put_in_place_is_never_read() -> Result<(), Box<dyn std::error::Error>> {
    let (_tmp, dir, folder) = held()?;
    std::fs::rename(&dir, dir.with_extension("old"))?;
    std::fs::create_dir(&dir)?;
    std::fs::write(dir.join("forged.hl7"), "forged")?;
    assert!(matches!(
        read_bounded(folder.dir(), "forged.hl7", uid(), 100),
        Got::Gone
    ));
    Ok(())
}

/// A file of another owner goes to failed/ unread (testable as root).
#[test]
fn a_file_of_another_owner_is_not_read() -> Result<(), Box<dyn std::error::Error>> {
    let (_tmp, dir, folder) = held()?;
    std::fs::write(dir.join("other.hl7"), "x")?;
    if nix::unistd::chown(&dir.join("other.hl7"), Some(NOBODY), None).is_err() {
        return Ok(()); // not root: such a file cannot be made here
    }
    let skipped = |s: Skip| format!("{s:?}").into_bytes();
    let mut never = Fixed(true);
    let out = apply_one(
        &folder,
        "other.hl7",
        Kind::Hl7,
        &mut never,
        &Options::default(),
        &skipped,
    )?;
    assert_eq!(
        out.as_ref().and_then(|o| o.skipped),
        Some(Skip::NotOwned { uid: 65534 })
    );
    assert_eq!(out.map(|o| o.accepted), Some(false));
    assert!(!dir.join("other.hl7").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("failed/other.hl7.ack"))?,
        "refused: file not owned by the watching account"
    );
    Ok(())
}

/// The handler removes done/ under the watch: the ack cannot be written;
/// the watch stops saying so, the file left in the folder.
#[test]
fn a_file_that_cannot_be_moved_stops_the_watch() -> Result<(), Box<dyn std::error::Error>> {
    struct Sabotage(PathBuf);
    impl Handler for Sabotage {
        fn handle(&mut self, _: Payload<'_>, _: &Origin) -> Answer {
            let _ = std::fs::remove_dir(self.0.join(DONE));
            Answer::new(
                true,
                b"MSH|^~\\&|A|B|C|D|20261207||ACK|1|P|2.5\rMSA|AA|1\r".to_vec(),
            )
        }
    }
    let (_tmp, dir, folder) = held()?;
    std::fs::write(dir.join("a.hl7"), "x")?;
    std::fs::write(dir.join("b.hl7"), "x")?;
    let stop = AtomicBool::new(false);
    let mut seen = 0;
    let got = run(
        &folder,
        &mut Sabotage(dir.clone()),
        &Options::default(),
        &stop,
        &|_| Vec::new(),
        &mut |_| seen += 1,
    );
    assert!(
        matches!(
            &got,
            Err(WatchError::NotMoved { name, accepted: true, code: Some(c), .. })
                if name == "a.hl7" && c == "AA"
        ),
        "{got:?}"
    );
    assert_eq!(seen, 0);
    assert!(dir.join("a.hl7").exists() && dir.join("b.hl7").exists());
    Ok(())
}

struct Fixed(bool);

impl Handler for Fixed {
    fn handle(&mut self, _: Payload<'_>, origin: &Origin) -> Answer {
        Answer::new(self.0, format!("seen {origin}").into_bytes())
    }

    /// The HL7 file it never saw is answered by its refusal: the reason.
    fn refusal(&mut self, reason: &str) -> Vec<u8> {
        format!("refused: {reason}").into_bytes()
    }
}

#[test]
fn nothing_in_done_is_overwritten() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let folder = Folder::open(dir, uid())?;
    std::fs::write(dir.join("done/r.hl7"), "old")?;
    std::fs::write(dir.join("done/r.1.hl7.ack"), "old ack")?;
    std::fs::write(dir.join("r.hl7"), "new")?;
    let skipped = |_: Skip| Vec::new();
    let out = apply_one(
        &folder,
        "r.hl7",
        Kind::Hl7,
        &mut Fixed(true),
        &Options::default(),
        &skipped,
    )?;
    assert_eq!(out.map(|o| o.moved_to), Some("r.2.hl7".to_owned()));
    assert_eq!(std::fs::read_to_string(dir.join("done/r.hl7"))?, "old");
    assert_eq!(
        std::fs::read_to_string(dir.join("done/r.1.hl7.ack"))?,
        "old ack"
    );
    assert!(!dir.join("done/r.1.hl7").exists());
    assert_eq!(std::fs::read_to_string(dir.join("done/r.2.hl7"))?, "new");
    assert_eq!(
        std::fs::read_to_string(dir.join("done/r.2.hl7.ack"))?,
        "seen file:r.hl7"
    );
    assert!(!dir.join("r.hl7").exists());
    Ok(())
}

#[test]
fn a_file_over_the_limit_is_not_read() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let folder = Folder::open(dir, uid())?;
    std::fs::write(dir.join("big.hl7"), vec![b'x'; 11])?;
    std::fs::write(dir.join("edge.hl7"), vec![b'x'; 10])?;
    let options = Options {
        max_hl7: 10,
        ..Options::default()
    };
    let skipped = |s: Skip| format!("{s:?}").into_bytes();
    let big = apply_one(
        &folder,
        "big.hl7",
        Kind::Hl7,
        &mut Fixed(true),
        &options,
        &skipped,
    )?;
    assert_eq!(
        big.as_ref().and_then(|o| o.skipped),
        Some(Skip::TooLarge { max: 10 })
    );
    assert_eq!(big.map(|o| o.accepted), Some(false));
    assert!(dir.join("failed/big.hl7").exists());
    let edge = apply_one(
        &folder,
        "edge.hl7",
        Kind::Hl7,
        &mut Fixed(true),
        &options,
        &skipped,
    )?;
    assert_eq!(edge.and_then(|o| o.skipped), None);
    assert!(dir.join("done/edge.hl7").exists());
    // Gone before it was read: nothing to do.
    assert_eq!(
        apply_one(
            &folder,
            "gone.hl7",
            Kind::Hl7,
            &mut Fixed(true),
            &options,
            &skipped
        )?,
        None
    );
    Ok(())
}

#[test]
fn a_pipe_or_a_link_is_not_read() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let folder = Folder::open(dir, uid())?;
    nix::unistd::mkfifo(
        &dir.join("pipe.hl7"),
        nix::sys::stat::Mode::from_bits_truncate(0o600),
    )?;
    std::fs::write(tmp.path().join("outside"), "secret")?;
    std::os::unix::fs::symlink(tmp.path().join("outside"), dir.join("link.hl7"))?;
    let skipped = |s: Skip| format!("{s:?}").into_bytes();
    for name in ["pipe.hl7", "link.hl7"] {
        let out = apply_one(
            &folder,
            name,
            Kind::Hl7,
            &mut Fixed(true),
            &Options::default(),
            &skipped,
        )?;
        assert_eq!(
            out.and_then(|o| o.skipped),
            Some(Skip::NotRegular),
            "{name}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(format!("failed/{name}.ack")))?,
            "refused: not a regular file"
        );
    }
    Ok(())
}
