//! The command line: arguments (clap) and what each command does.

mod admin;
mod args;
mod audit;
mod check;
mod decide;
mod export;
mod export_cases;
mod feed;
mod feeds;
mod followup;
mod import;
mod instructions;
mod json;
mod outcome;
mod report;
mod reschedule;
mod rules_doc;
mod rules_protocol;
mod tasks;
mod zone;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::demo;
use crate::domain::clock::Clock;
use crate::domain::message::Lang;
use crate::domain::text::sanitize_line;
use crate::domain::week::Week;
use crate::storage::{self, Db, Opening};
use crate::text::words;

use args::parse_day;
pub use args::{Cli, Command, DecideAction, Format, LangArg, ResolveChoice};

/// A failure of a command: one line for the user (data here; the words
/// in `crate::text::cli`, `Display` is their English).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    Storage(#[from] storage::StorageError),
    Import(#[from] crate::import::ImportError),
    Demo(#[from] demo::DemoError),
    /// Already in the user's language.
    Usage(String),
    /// `watch` or `listen` cannot start or go on: already in the user's language.
    Feed(String),
    Tui(#[from] crate::tui::TuiError),
    /// A decision refused, already in the user's language.
    Refused(String),
    Export(#[from] crate::export::ExportError),
    Output(#[from] std::io::Error),
    /// `audit --verify` found the trail broken or the anchor missing.
    Audit(String),
    /// An option that does not apply to the `decide` action.
    OptionNotFor {
        option: &'static str,
        action: &'static str,
    },
    /// `demo --synthetic` above the most it makes.
    TooManySynthetic {
        asked: u64,
        max: u64,
    },
    /// The screen without a terminal.
    NeedsTerminal,
    /// `resolve` with a word that is not an item.
    NotAnItem {
        item: String,
    },
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::Localized;
        f.write_str(&self.in_lang(Lang::En))
    }
}

impl Cli {
    fn clock(&self) -> Clock {
        self.today.map_or(Clock::System, Clock::Fixed)
    }

    /// The clock and the audit key every command opens the file with: the
    /// key is the deployment's (`crate::deploy::audit_key`), read here so
    /// that storage never reaches for the configuration. A named key file
    /// that cannot be used is refused before the file is opened.
    fn opening(&self) -> Result<Opening, CliError> {
        Ok(Opening {
            clock: self.clock(),
            audit_key: crate::deploy::audit_key()?,
        })
    }

    /// `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): read
    /// here, once, and passed down.
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Fr) => Lang::Fr,
            Some(LangArg::En) => Lang::En,
            None => Lang::from_vars(|k| std::env::var(k).ok()),
        }
    }

    /// `--db`, else `$IR_COMMITTEE_DB`, else `./committee.sqlite`; when
    /// running setgid, only the root-owned configuration's (`crate::deploy`).
    fn db_path(&self) -> PathBuf {
        if let Some(path) = crate::deploy::database() {
            return path.to_path_buf();
        }
        self.db
            .clone()
            .or_else(|| {
                std::env::var_os("IR_COMMITTEE_DB")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("committee.sqlite"))
    }
}

/// Runs the parsed command; output goes to `out`. Returns the signal that
/// stopped the screen, if one did (the exit status is then 128 + it).
pub fn run(cli: &Cli, out: &mut dyn std::io::Write) -> Result<Option<i32>, CliError> {
    let clock = cli.clock();
    let lang = cli.lang();
    let default = Command::Tui;
    let week = cli.week.unwrap_or_else(|| Week::next_after(clock.today()));
    let command = cli.command.as_ref().unwrap_or(&default);
    // `~` in a file name typed here or on the screen: read once.
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let output = |o: &Option<PathBuf>| {
        o.as_deref()
            .map(|p| crate::export::home::expand_home(p, home.as_deref()))
    };
    match command {
        Command::Tui => {
            let db = Db::open_for_reading(&cli.db_path(), cli.opening()?)?;
            return screen(cli, db, week, home);
        }
        Command::Init {
            timezone,
            admin,
            name,
            demo,
        } => zone::init(
            cli,
            *timezone,
            (admin.as_deref(), name.as_deref()),
            *demo,
            out,
        )?,
        Command::SetTimezone { zone } => zone::set(cli, *zone, out)?,
        Command::Import {
            file,
            dry_run,
            format,
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            import::run(&mut db, file, *dry_run, *format, lang, out)?;
        }
        Command::Resolve {
            external_id,
            item,
            choice,
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            import::resolve(&mut db, external_id, item, *choice, lang, out)?;
        }
        Command::Demo { synthetic } => {
            if *synthetic > demo::MAX_SYNTHETIC {
                return Err(CliError::TooManySynthetic {
                    asked: *synthetic,
                    max: demo::MAX_SYNTHETIC,
                });
            }
            let path = cli
                .db
                .clone()
                .unwrap_or_else(|| PathBuf::from(demo::DEFAULT_PATH));
            let summary = demo::create(&path, cli.opening()?, *synthetic)?;
            writeln!(out, "{}", words::demo_ready(lang, &show(&path), &summary))?;
            // In a terminal the demo opens the screen; from a script or a
            // pipe it only prepares the file and says where it is.
            if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
                out.flush()?;
                return screen(cli, Db::open(&path, cli.opening()?)?, summary.week, home);
            }
        }
        Command::Check { format } => {
            let db = Db::open_for_reading(&cli.db_path(), cli.opening()?)?;
            check::run(&db, week, *format, lang, out)?;
        }
        Command::Export {
            format,
            output: file,
            pseudonymise,
            minutes,
            force,
        } => {
            let req = crate::export::run::Request {
                week,
                format: *format,
                minutes: *minutes,
                pseudonymise: *pseudonymise,
                lang,
                file: String::new(),
            };
            export::run(cli, req, output(file).as_deref(), *force, out)?;
        }
        Command::Tasks {
            role,
            format,
            output: file,
            force,
        } => tasks::run(
            cli,
            week,
            *role,
            *format,
            output(file).as_deref(),
            *force,
            out,
        )?,
        Command::Instructions {
            external_id,
            format,
            output: file,
            force,
        } => instructions::run(
            cli,
            external_id,
            *format,
            output(file).as_deref(),
            *force,
            out,
        )?,
        Command::FollowUps {
            due,
            overdue,
            operator,
            mine,
            format,
            output: file,
            force,
        } => {
            let req = followup::Listing {
                due: *due,
                overdue: *overdue,
                operator: operator.as_deref(),
                mine: *mine,
                format: *format,
            };
            followup::list(cli, &req, output(file).as_deref(), *force, out)?;
        }
        Command::FollowUp {
            external_id,
            kind,
            reached,
            pain,
            analgesics,
            morphine,
            complication_grade,
            complication,
            called_at,
            seen_version,
        } => {
            let answers = followup::Answers {
                external_id,
                kind: *kind,
                reached: *reached,
                pain: *pain,
                analgesics: *analgesics,
                morphine: *morphine,
                complication: complication_grade.zip(complication.as_deref()),
                called_at: *called_at,
                seen_version: *seen_version,
            };
            followup::record(cli, &answers, out)?;
        }
        Command::Deceased { ipp, on } => followup::deceased(cli, ipp, *on, out)?,
        Command::Watch { dir, config } => feed::watch(cli, dir, config.as_deref())?,
        Command::Listen { mllp, config } => feed::listen(cli, mllp, config.as_deref())?,
        Command::Users { action } => admin::users(cli, action, out)?,
        Command::Feeds { action } => feeds::run(cli, action, out)?,
        Command::Rules { action } => admin::rules(cli, action, out)?,
        Command::Decide {
            external_id,
            action,
            reason,
            reason_code,
            to_week,
            justification,
        } => {
            let request = decide::decide_request(*action, reason, *to_week, justification)?;
            if reason_code.is_some()
                && !matches!(action, DecideAction::Postpone | DecideAction::Cancel)
            {
                return Err(CliError::OptionNotFor {
                    option: "--reason-code",
                    action: decide::action_name(*action),
                });
            }
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            let coded = (request, *reason_code);
            decide::run(&mut db, external_id, coded, reason, lang, out)?;
        }
        Command::Outcome {
            external_id,
            action,
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            outcome::run(&mut db, external_id, action, lang, out)?;
        }
        Command::Reschedule {
            external_id,
            at,
            room,
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            reschedule::run(&mut db, external_id, (at, room), lang, out)?;
        }
        Command::Audit {
            action: Some(audit::AuditAction::PruneReads { before }),
            ..
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            audit::prune_reads(&mut db, *before, lang, out)?;
        }
        Command::Audit {
            action: Some(audit::AuditAction::SealKey),
            ..
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            audit::seal_key(lang, &mut db, out)?;
        }
        Command::Audit {
            action: None,
            reads,
            login,
            external_id,
            since,
            format,
            verify,
            anchor,
        } => {
            let db = Db::open_for_reading(&cli.db_path(), cli.opening()?)?;
            let listing = audit::Listing {
                external_id: external_id.as_deref(),
                login: login.as_deref(),
                since: *since,
                format: *format,
            };
            if *verify {
                audit::verify(lang, &db, anchor.as_deref(), out)?;
            } else if *reads {
                audit::reads(&db, &listing, out)?;
            } else {
                audit::list(&db, &listing, out)?;
            }
        }
        Command::Report {
            from,
            to,
            pseudonymise,
            format,
            output: file,
            force,
        } => {
            let req = report::Request {
                from: *from,
                to: *to,
                pseudonymise: *pseudonymise,
                format: *format,
            };
            report::run(cli, &req, output(file).as_deref(), *force, out)?;
        }
        Command::ExportCases {
            from,
            to,
            format,
            output: file,
            force,
        } => {
            let req = export_cases::Request {
                from: *from,
                to: *to,
                format: *format,
            };
            export_cases::run(cli, &req, output(file).as_deref(), *force, out)?;
        }
    }
    Ok(None)
}

/// The file opened for a report: for reading when it goes to stdout, for
/// writing when it goes to a file (the export is audited).
fn open_for_output(cli: &Cli, file: Option<&std::path::Path>) -> Result<Db, CliError> {
    Ok(match file {
        Some(_) => Db::open(&cli.db_path(), cli.opening()?)?,
        None => Db::open_for_reading(&cli.db_path(), cli.opening()?)?,
    })
}

/// Opens the screen; it needs a terminal.
fn screen(cli: &Cli, db: Db, week: Week, home: Option<PathBuf>) -> Result<Option<i32>, CliError> {
    // Who may not see the screen is told so first, terminal or not.
    crate::tui::data::require_screen(&db)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::NeedsTerminal);
    }
    let opts = crate::tui::app::Options {
        lang: cli.lang(),
        theme: crate::tui::theme::Theme::from_env(),
        mouse: cli.mouse,
    };
    Ok(crate::tui::run(db, week, opts, home)?)
}

/// A path as shown to a person: one line, no control characters.
fn show(path: &std::path::Path) -> String {
    sanitize_line(&path.display().to_string())
}
