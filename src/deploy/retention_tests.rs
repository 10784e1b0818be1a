//! `read_retention_months` in the root-owned configuration.

use super::*;

#[test]
fn read_retention_is_six_months_unless_the_configuration_says_otherwise() {
    let months = |t: &str| parse(t).map(|c| c.read_retention_months);
    assert_eq!(DEFAULT_READ_RETENTION_MONTHS, 6);
    assert_eq!(months("database = /a"), Ok(6));
    assert_eq!(months("database = /a\nread_retention_months = 12"), Ok(12));
    assert_eq!(months("read_retention_months=1\ndatabase = /a"), Ok(1));
    assert_eq!(
        months("database = /a\nread_retention_months = 120"),
        Ok(120)
    );
    // Outside a setgid deployment, the default (nothing else can set it).
    assert_eq!(read_retention_months(), DEFAULT_READ_RETENTION_MONTHS);
}

#[test]
fn a_bad_read_retention_names_its_line() {
    let err = |t: &str| parse(t).err();
    for bad in [
        "0",
        "121",
        "-1",
        "+6",
        "six",
        "6 months",
        "6.5",
        "",
        "99999999999",
    ] {
        assert_eq!(
            err(&format!(
                "database = /a\n# keep\nread_retention_months = {bad}"
            )),
            Some((
                3,
                format!(
                    "read_retention_months must be a whole number of months from 1 to 120, not '{bad}'"
                )
            )),
            "{bad}"
        );
    }
    assert_eq!(
        err("read_retention_months = 6\ndatabase = /a\nread_retention_months = 7"),
        Some((3, "read_retention_months is given twice".into()))
    );
}
