//! `init` and `set-timezone`: the hospital's time zone, never taken from a
//! server that only says UTC.

use chrono_tz::Tz;

use super::{Cli, CliError, show};
use crate::domain::zone::{self, from_server};
use crate::storage::zone::{ZoneChange, set_timezone};
use crate::storage::{self, Db, FileKind};
use crate::text::words;

/// `init [--timezone ZONE] [--admin LOGIN] [--name NAME] [--demo]`.
pub(super) fn init(
    cli: &Cli,
    timezone: Option<Tz>,
    (admin, name): (Option<&str>, Option<&str>),
    demo: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    let path = cli.db_path();
    // An existing committee file keeps its zone: the one passed to the
    // creation is not used. Anything else (missing, empty, or to be refused
    // as not ours) needs a zone that names a place.
    let existed = matches!(
        storage::inspect(&path)?,
        FileKind::Committee | FileKind::Demo
    );
    let chosen = match timezone {
        Some(tz) => tz,
        None if existed => chrono_tz::Europe::Paris,
        None => {
            let server = storage::identity::server_zone();
            from_server(server.as_deref())
                .map_err(|why| CliError::Refused(words::server_zone_refused(lang, &why)))?
        }
    };
    let init = storage::Init {
        admin: admin.map(str::to_owned),
        name: name.map(str::to_owned),
        timezone: chosen,
        demo,
    };
    let db = Db::create(&path, cli.opening()?, &init)?;
    let tz = db.timezone()?;
    let msg = match (existed, timezone) {
        (true, Some(asked)) if asked != tz => words::Init::KeptZone { asked },
        (true, _) => words::Init::Already,
        (false, Some(_)) => words::Init::Created,
        (false, None) => words::Init::CreatedServerZone,
    };
    writeln!(out, "{}", msg.render(lang, &show(&path), tz))?;
    warn_if_generic(lang, tz, out)
}

/// `set-timezone ZONE`: a chair's change, audited old → new; the screen
/// and every report judge the dossiers on the new clock from then on.
pub(super) fn set(cli: &Cli, tz: Tz, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    let lang = cli.lang();
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    match db.write_as(&crate::storage::needs::set_timezone(), |w| {
        set_timezone(w, tz)
    })? {
        ZoneChange::Unchanged => writeln!(out, "{}", words::zone_unchanged(lang, tz))?,
        ZoneChange::From(was) => writeln!(out, "{}", words::zone_set(lang, tz, was.as_deref()))?,
    }
    warn_if_generic(lang, tz, out)
}

/// The warning line of a zone that is not a place.
fn warn_if_generic(
    lang: crate::domain::message::Lang,
    tz: Tz,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    if zone::is_generic(tz) {
        writeln!(
            out,
            "{}",
            words::warning(lang, &words::generic_zone(lang, tz))
        )?;
    }
    Ok(())
}
