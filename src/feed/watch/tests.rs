use std::os::unix::fs::PermissionsExt;

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
        assert_eq!(check_one(&dir, uid()).is_ok(), ok, "{mode:o}");
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    assert!(matches!(
        check_one(&dir, uid() + 1),
        Err(WatchError::NotOwned { .. })
    ));
    let file = tmp.path().join("f");
    std::fs::write(&file, "x")?;
    assert_eq!(
        check_one(&file, uid()),
        Err(WatchError::NotADirectory(file))
    );
    // done/ as a link to elsewhere is refused.
    check_folder(&dir, uid())?;
    std::fs::remove_dir(dir.join(DONE))?;
    std::os::unix::fs::symlink(tmp.path(), dir.join(DONE))?;
    assert_eq!(
        check_folder(&dir, uid()),
        Err(WatchError::NotADirectory(dir.join(DONE)))
    );
    Ok(())
}

struct Fixed(bool);

impl Handler for Fixed {
    fn handle(&mut self, _: Payload<'_>, origin: &Origin) -> Answer {
        Answer {
            accepted: self.0,
            bytes: format!("seen {origin}").into_bytes(),
        }
    }
}

#[test]
fn nothing_in_done_is_overwritten() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    check_folder(dir, uid())?;
    std::fs::write(dir.join("done/r.hl7"), "old")?;
    std::fs::write(dir.join("done/r.1.hl7.ack"), "old ack")?;
    std::fs::write(dir.join("r.hl7"), "new")?;
    let skipped = |_: Kind, _: Skip| Vec::new();
    let out = apply_one(
        dir,
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
    check_folder(dir, uid())?;
    std::fs::write(dir.join("big.hl7"), vec![b'x'; 11])?;
    std::fs::write(dir.join("edge.hl7"), vec![b'x'; 10])?;
    let options = Options {
        max_hl7: 10,
        ..Options::default()
    };
    let skipped = |_: Kind, s: Skip| format!("{s:?}").into_bytes();
    let big = apply_one(
        dir,
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
        dir,
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
            dir,
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
    check_folder(dir, uid())?;
    nix::unistd::mkfifo(
        &dir.join("pipe.hl7"),
        nix::sys::stat::Mode::from_bits_truncate(0o600),
    )?;
    std::fs::write(tmp.path().join("outside"), "secret")?;
    std::os::unix::fs::symlink(tmp.path().join("outside"), dir.join("link.hl7"))?;
    let skipped = |_: Kind, s: Skip| format!("{s:?}").into_bytes();
    for name in ["pipe.hl7", "link.hl7"] {
        let out = apply_one(
            dir,
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
            "NotRegular"
        );
    }
    Ok(())
}
