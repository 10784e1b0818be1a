//! `watch DIR` and `listen --mllp ADDR:PORT`: the two transports of the
//! hospital's messages (`crate::feed`), each giving what it receives to
//! one handler. Both stop on SIGTERM or SIGINT after the message in hand
//! (a second signal ends the process at once) and exit 0. `watch` stops
//! with one line and a non-zero exit, applying nothing more, when its
//! folder changes under it or a file cannot be moved (`feed::watch`).

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use super::{Cli, CliError};
use crate::domain::roles::Permission;
use crate::feed::handler::StorageHandler;
use crate::feed::watch::{self, Skip};
use crate::feed::{Handler, mllp};
use crate::storage::Db;
use crate::text::{self, Localized};

/// One line on stderr; a stderr that is gone is not a failure.
fn log_line(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// SIGTERM and SIGINT set the flag; a second one of either ends the
/// process at once, with status 0 as documented (the message in hand is
/// then neither applied nor answered: its sender sends it again).
fn stop_flag(cli: &Cli) -> Result<Arc<AtomicBool>, CliError> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGTERM, SIGINT] {
        signal_hook::flag::register_conditional_shutdown(signal, 0, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|e| CliError::Feed(text::feed::no_signals(cli.lang(), &e)))?;
    }
    Ok(stop)
}

/// `--config FILE`: the deployment's configuration in force (refused
/// beside `--db`, which it replaces).
fn adopt(cli: &Cli, config: Option<&Path>) -> Result<(), CliError> {
    let Some(path) = config else {
        return Ok(());
    };
    let lang = cli.lang();
    if cli.db.is_some() {
        return Err(CliError::Feed(text::feed::config_and_db(lang)));
    }
    crate::deploy::service::adopt(path).map_err(|e| CliError::Feed(e.in_lang(lang)))
}

/// The handler the transports give messages to, on the file of `--db`
/// (or the deployment's): opened, and its user's right to apply the
/// hospital's messages checked (a refusal audited), before anything is
/// received, so that a wrong file or account is refused at start rather
/// than every message answered with an error.
fn handler(cli: &Cli) -> Result<impl Handler + Send + 'static, CliError> {
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    db.write(|w| w.require(Permission::ApplyFeed, crate::storage::feed::ACTION, None))?;
    Ok(StorageHandler::new(db)?)
}

/// `watch DIR`.
pub(super) fn watch(cli: &Cli, dir: &Path, config: Option<&Path>) -> Result<(), CliError> {
    let lang = cli.lang();
    adopt(cli, config)?;
    // The account's right first, then the folder's safety: a refusal
    // leaves the folder as it was (no done/ or failed/ made).
    let mut handler = handler(cli)?;
    let uid = nix::unistd::geteuid().as_raw();
    let folder = watch::Folder::open(dir, uid).map_err(|e| CliError::Feed(e.in_lang(lang)))?;
    let stop = stop_flag(cli)?;
    let skipped = move |skip: Skip| text::feed::json_not_read(lang, skip).into_bytes();
    log_line(&text::feed::watching(lang, dir));
    let mut log = |o: &watch::Outcome| log_line(&text::feed::watched(lang, o));
    watch::run(
        &folder,
        &mut handler,
        &watch::Options::default(),
        &stop,
        &skipped,
        &mut log,
    )
    .map_err(|e| CliError::Feed(e.in_lang(lang)))?;
    log_line(&text::feed::watch_stopped(lang));
    Ok(())
}

/// `listen --mllp ADDR:PORT` (or `localhost:PORT`).
pub(super) fn listen(cli: &Cli, spec: &str, config: Option<&Path>) -> Result<(), CliError> {
    let lang = cli.lang();
    adopt(cli, config)?;
    let allowed = crate::deploy::peers::allowed().map_err(CliError::Feed)?;
    let refused = |e: mllp::ListenError| CliError::Feed(e.in_lang(lang));
    let addr: SocketAddr = mllp::listen_addr(spec, &allowed).map_err(refused)?;
    let local = crate::deploy::peers::local_uids().map_err(CliError::Feed)?;
    let mut peers = mllp::Peers::new(addr, &allowed).map_err(refused)?;
    if let Some(uids) = local {
        peers = peers.local_accounts(uids);
    }
    let handler = Arc::new(Mutex::new(handler(cli)?));
    let listener = mllp::bind(&peers).map_err(refused)?;
    let stop = stop_flag(cli)?;
    let log: mllp::Log = Arc::new(move |n| log_line(&text::feed::note(lang, n)));
    mllp::serve(listener, peers, handler, mllp::Limits::default(), stop, log).map_err(|e| {
        refused(mllp::ListenError::Bind {
            addr,
            reason: crate::domain::text::sanitize_line(&e.to_string()),
        })
    })
}
