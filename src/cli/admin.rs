//! `users` and `rules`: what a chair manages from the command line.

use clap::Subcommand;

use super::{Cli, CliError};
use crate::domain::roles::Role;
use crate::domain::text::sanitize_line;
use crate::domain::vocab::{BleedingRisk, Technique};
use crate::storage::{Db, needs};

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Every row: rule, subject, bleeding risk, value, unit, severity, source.
    List,
    /// Change one row's value (and severity), e.g.
    /// `rules set imaging.max_age 60` or
    /// `rules set medication.hold 4 --subject apixaban --risk high`.
    Set {
        rule: String,
        /// The new value ("none" for a flag rule).
        value: String,
        /// A technique, drug or anaesthesia word [default: *].
        #[arg(long, default_value = "*")]
        subject: String,
        /// low, high or * [default: *].
        #[arg(long, default_value = "*")]
        risk: String,
        /// blocking, advisory or none [default: unchanged].
        #[arg(long)]
        severity: Option<String>,
    },
    /// The local protocol as a document to review and sign: every row of the
    /// rules table in words, grouped by dossier item, with the protocol's
    /// version, its last approval and the changes since the version
    /// approved before. In French unless `--lang en`. Every role.
    Document {
        /// html (to print, A4) or md.
        #[arg(long, value_enum)]
        format: crate::export::protocol::DocFormat,
        /// Write to this file instead of the standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        /// Replace FILE if it exists (never the database nor any SQLite file).
        #[arg(long)]
        force: bool,
    },
    /// Change a technique's bleeding risk, e.g. `rules set-risk neurolysis low`.
    SetRisk {
        /// The technique, as in the import format (e.g. vertebroplasty).
        #[arg(value_parser = parse_technique)]
        technique: Technique,
        /// low or high.
        #[arg(value_parser = parse_risk)]
        risk: BleedingRisk,
    },
    /// Approve the rules in force as the local protocol (a chair): the
    /// version reviewed and a note, e.g. `rules approve --version 12 --note
    /// "relu en réunion"`. Records who was present at the meeting held
    /// today, if one is recorded (or --meeting WEEK); audited.
    Approve {
        /// The version reviewed: the one `rules document` printed. Refused
        /// if the table changed since (another version is in force).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
        version: i64,
        /// What was reviewed and by whom (one line, at most 2000 characters).
        #[arg(long)]
        note: String,
        /// The meeting whose attendance to keep [default: the one held
        /// today, if one is recorded].
        #[arg(long, value_name = "WEEK", value_parser = super::args::parse_week)]
        meeting: Option<crate::domain::week::Week>,
        /// The fingerprint the reviewed document printed: checked when
        /// given; required when the rules or the zone changed without a
        /// new version since the last approval.
        #[arg(long, value_name = "HEX")]
        fingerprint: Option<String>,
    },
    /// Every change of the rules and every approval, in time order, each
    /// change with the version it made and whether it is approved.
    History {
        /// Only what happened on or after this day (local time).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::args::parse_day)]
        since: Option<chrono::NaiveDate>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: super::Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersAction {
    /// List the users, their roles and whether they are active.
    List,
    /// Add a user.
    Add {
        login: String,
        #[arg(long, value_parser = super::args::parse_role)]
        role: Role,
        /// Display name, e.g. "Dr Hélène Martin".
        #[arg(long)]
        name: String,
    },
    /// Change a user's role (and re-enable a disabled user).
    SetRole {
        login: String,
        #[arg(value_parser = super::args::parse_role)]
        role: Role,
    },
    /// Change a user's name, as the minutes print it.
    SetName { login: String, name: String },
    /// Disable a user: kept in the history, may no longer change anything.
    Disable { login: String },
    /// Say which user an operator's name (as the schedule writes it) is,
    /// for `follow-ups --mine`, e.g. `users link-operator "Dr Martin" hmartin`.
    LinkOperator {
        /// The operator's name (compared without case or extra spaces).
        operator: String,
        login: String,
    },
    /// Remove an operator's link.
    UnlinkOperator { operator: String },
}

fn parse_technique(s: &str) -> Result<Technique, String> {
    Technique::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Technique::ALL.iter().map(|t| t.as_str()).collect();
        format!(
            "'{s}' is not a technique (expected one of: {})",
            all.join(", ")
        )
    })
}

fn parse_risk(s: &str) -> Result<BleedingRisk, String> {
    BleedingRisk::parse(s).ok_or_else(|| {
        let all: Vec<&str> = BleedingRisk::ALL.iter().map(|r| r.as_str()).collect();
        format!(
            "'{s}' is not a bleeding risk (expected one of: {})",
            all.join(", ")
        )
    })
}

/// `rules list|set|set-risk|document|approve|history`.
pub(super) fn rules(
    cli: &Cli,
    action: &RulesAction,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    use crate::domain::rules::Severity;
    use crate::storage::rules as r;
    match action {
        RulesAction::List => {
            let db = Db::open_for_reading(&cli.db_path(), cli.opening()?)?;
            db.require_read(crate::domain::roles::Read::RulesList)?;
            for row in db.rules()?.rows() {
                let risk = row.risk.map_or("*", |x| x.as_str());
                let value = row.value.map_or("-".to_owned(), |v| v.to_string());
                let unit = serde_json::to_value(row.unit)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}\t{}\t{risk}\t{value} {unit}\t{}\t{}",
                    row.rule,
                    row.subject,
                    row.severity.as_str(),
                    sanitize_line(&row.source)
                )?;
            }
        }
        RulesAction::Set {
            rule,
            value,
            subject,
            risk,
            severity,
        } => {
            let lang = cli.lang();
            let value = crate::text::screen::rules_table::read_value(value).ok_or_else(|| {
                CliError::Usage(crate::text::screen::rule_value_refused(lang, value, false))
            })?;
            let severity = severity
                .as_deref()
                .map(|s| {
                    Severity::parse(s)
                        .ok_or_else(|| CliError::Usage(crate::text::cli::not_a_severity(lang, s)))
                })
                .transpose()?;
            let change = r::Change {
                rule: rule.clone(),
                subject: subject.clone(),
                risk: risk.clone(),
                value,
                severity,
                // Read and written in one transaction: nothing to check.
                expected_version: None,
            };
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            let changed = db.write_as(&needs::rules_set(), |w| r::set(w, &change))?;
            let shown = crate::text::screen::rules_table::value(lang, value);
            let row = format!("{rule} {subject} {risk}");
            writeln!(
                out,
                "{}",
                crate::text::cli::rule_set(cli.lang(), &row, &shown, changed)
            )?;
        }
        RulesAction::Document {
            format,
            output,
            force,
        } => {
            // `~` as an export takes it.
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(std::path::PathBuf::from);
            let output = output
                .as_deref()
                .map(|p| crate::export::home::expand_home(p, home.as_deref()));
            super::rules_doc::run(cli, *format, output.as_deref(), *force, out)?;
        }
        RulesAction::SetRisk { technique, risk } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            // The risk before, read in the writing transaction.
            let before = db.write_as(&needs::rules_risk(), |w| {
                let before = r::load(w.tx())?.technique_risk(*technique);
                r::set_technique_risk(w, *technique, *risk, None)?;
                Ok::<_, crate::storage::StorageError>(before)
            })?;
            let line = crate::text::cli::technique_risk(cli.lang(), *technique, *risk, before);
            writeln!(out, "{line}")?;
        }
        RulesAction::Approve {
            version,
            note,
            meeting,
            fingerprint,
        } => {
            let req = crate::storage::protocol::Request {
                reviewed: *version,
                note,
                meeting: *meeting,
                fingerprint: fingerprint.as_deref(),
            };
            super::rules_protocol::approve(cli, &req, out)?;
        }
        RulesAction::History { since, format } => {
            super::rules_protocol::history(cli, *since, *format, out)?;
        }
    }
    Ok(())
}

/// `users list|add|set-role|disable`.
pub(super) fn users(
    cli: &Cli,
    action: &UsersAction,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    use crate::storage::users as u;
    let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
    let lang = cli.lang();
    match action {
        UsersAction::List => {
            let links = crate::storage::operators::list(&db)?;
            for user in u::list(&db)? {
                let state = if user.active { "" } else { " (disabled)" };
                let names: Vec<String> = links
                    .iter()
                    .filter(|l| l.login == user.login)
                    .map(|l| sanitize_line(&l.operator))
                    .collect();
                let linked = if names.is_empty() {
                    String::new()
                } else {
                    format!("\t{}", crate::text::followup::operators(lang, &names))
                };
                writeln!(
                    out,
                    "{}\t{}\t{}{state}{linked}",
                    sanitize_line(&user.login),
                    user.role.label(lang),
                    sanitize_line(&user.name)
                )?;
            }
        }
        UsersAction::LinkOperator { operator, login } => {
            let link = db.write_as(&needs::link_operator(), |w| {
                crate::storage::operators::link(w, operator, login)
            })?;
            let line = crate::text::followup::linked(
                lang,
                &sanitize_line(&link.operator),
                &sanitize_line(&link.login),
            );
            writeln!(out, "{line}")?;
        }
        UsersAction::UnlinkOperator { operator } => {
            let link = db.write_as(&needs::unlink_operator(), |w| {
                crate::storage::operators::unlink(w, operator)
            })?;
            let line = crate::text::followup::unlinked(
                lang,
                &sanitize_line(&link.operator),
                &sanitize_line(&link.login),
            );
            writeln!(out, "{line}")?;
        }
        UsersAction::Add { login, role, name } => {
            db.write_as(&needs::user_add(), |w| u::add(w, login, name, *role))?;
            writeln!(out, "{}: {}", sanitize_line(login), role.label(lang))?;
        }
        UsersAction::SetRole { login, role } => {
            db.write_as(&needs::user_set_role(), |w| u::set_role(w, login, *role))?;
            writeln!(out, "{}: {}", sanitize_line(login), role.label(lang))?;
        }
        UsersAction::SetName { login, name } => {
            db.write_as(&needs::user_set_name(), |w| u::set_name(w, login, name))?;
            let name = crate::domain::text::sanitize_line(name);
            writeln!(out, "{}: {name}", sanitize_line(login))?;
        }
        UsersAction::Disable { login } => {
            db.write_as(&needs::user_disable(), |w| u::disable(w, login))?;
            let line = crate::text::cli::user_disabled(lang, &sanitize_line(login));
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
