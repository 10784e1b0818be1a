//! The command line's arguments (clap): the commands, their options and
//! how a day, a week, a role or a time zone is read. What each command
//! does is in its own module of `cli`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use super::{admin, audit, export, followup, outcome, tasks};
use crate::domain::week::Week;
use crate::storage;
/// The weekly validation committee of interventional radiology: next week's
/// procedures, their dossiers and scores, and the committee's decisions.
#[derive(Debug, Parser)]
#[command(
    name = "ir-committee",
    version,
    about,
    after_help = "With no command, opens the committee screen on next week (as `ir-committee tui`)."
)]
pub struct Cli {
    /// Database file [default: $IR_COMMITTEE_DB, else ./committee.sqlite;
    /// for `demo`: ./demo.sqlite].
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Take this day as today (YYYY-MM-DD): sets the default week and every
    /// "today" (tests, demos, rehearsals). Writes only demo files (`demo`,
    /// `init --demo`), whose rows it stamps and marks `clock: fixed`; a
    /// committee file is only read under it.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub today: Option<NaiveDate>,

    /// Language of messages [default: French when LANG/LC_ALL say fr].
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// In the screen: click to select, wheel to scroll (off by default, so
    /// that the terminal's own selection and copy keep working).
    #[arg(long, global = true)]
    pub mouse: bool,

    /// The ISO week to show or report, e.g. 2026-W49 [default: next week].
    #[arg(long, global = true, value_name = "WEEK", value_parser = parse_week)]
    pub week: Option<Week>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Fr,
    En,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the committee screen (the default command).
    Tui,
    /// Create a new committee database (its folder must exist).
    Init {
        /// The hospital's IANA time zone, e.g. Europe/Paris [default: the
        /// server's ($TZ, else the system's) only when it names a place:
        /// UTC, Etc/… or an unreadable zone is refused].
        #[arg(long, value_name = "ZONE", value_parser = parse_zone)]
        timezone: Option<chrono_tz::Tz>,
        /// The first user, made chair [default: the login running init].
        #[arg(long, value_name = "LOGIN")]
        admin: Option<String>,
        /// The first chair's name, as the minutes print it, e.g. "Dr Hélène
        /// Martin" [default: the login].
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Make a demo file (tests, benchmarks, rehearsals): the only kind
        /// that accepts writes under --today.
        #[arg(long)]
        demo: bool,
    },
    /// Import cases: the JSON interchange format `ir-committee/cases@1` or a
    /// CSV schedule (detected from the content). All or nothing.
    Import {
        /// The file to import.
        file: PathBuf,
        /// Say what the import would do (per case and item), write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Output format of the report.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Settle a value on file that lost to what is stored (an import's
    /// "pending" line): keep the stored value, or take the file's. Needs the
    /// right to record that item (schedule fields: a chair or a secretary).
    Resolve {
        /// The case's external id (e.g. SCH-2026-004503).
        external_id: String,
        /// The item: an evidence object (coagulation, biology, consultation,
        /// anaesthesia_consult, imaging, medications, scores) or a schedule
        /// field (scheduled_at, room, operator, …).
        item: String,
        #[arg(value_enum)]
        choice: ResolveChoice,
    },
    /// Create (or recreate) a demo database seeded with a realistic week,
    /// moved onto next week, and show it.
    Demo {
        /// Also add N realistic past cases over the previous years (scale tests).
        #[arg(long, value_name = "N", default_value_t = 0)]
        synthetic: u64,
    },
    /// Report a week's cases: each dossier item and the scores.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Export the week's validated programme, or the minutes of the meeting
    /// (--minutes, html or md). The file is created mode 0600; every export
    /// is audited.
    Export {
        /// html (print), csv (spreadsheets), ics (calendars), json, md (mail, wiki).
        #[arg(long, value_parser = export::parse_format)]
        format: crate::export::Format,
        /// The file to write [default: committee-<week>-programme.<format> in
        /// the current folder]; `-` writes to the standard output (a pipe);
        /// a leading `~` is the home folder. An existing file is replaced
        /// only with --force.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Initials instead of names, ages instead of birth dates, a keyed
        /// pseudonym instead of the IPP (key: $IR_COMMITTEE_PSEUDONYM_KEY_FILE);
        /// notes left out. The only export a viewer may make.
        #[arg(long)]
        pseudonymise: bool,
        /// The minutes of the meeting: attendance, every case discussed and
        /// its decision, postponement reasons, overrides, the audit head hash.
        #[arg(long)]
        minutes: bool,
        /// Replace FILE if it exists (never the database, its -wal, -shm or
        /// -journal, nor any SQLite file: those are always refused).
        #[arg(long)]
        force: bool,
    },
    /// The chase list of the week and the next: every gap that evidence can
    /// clear, with who does it and by when, sorted by deadline; then what
    /// is left to discuss at the committee. A file is written as an export
    /// is (mode 0600, audited; an existing file only with --force).
    Tasks {
        /// Only this role's tasks (a drug hold shows on the secretary's list
        /// as "contact the operator", with no date).
        #[arg(long, value_name = "ROLE", value_parser = parse_role)]
        role: Option<crate::domain::roles::Role>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: tasks::TasksFormat,
        /// Write to this file instead of the standard output (`-`: the
        /// standard output).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists (never the database nor any SQLite file).
        #[arg(long)]
        force: bool,
    },
    /// A case's one-page instruction sheet for the patient and the ward:
    /// date, time and place, blood tests with their window, the anaesthesia
    /// consultation if due, the drugs' planned last intakes as a person
    /// recorded them, whom to call. A file is written as an export is.
    Instructions {
        /// The case's scheduling id (`SCH-2026-004501`).
        external_id: String,
        /// Output format.
        #[arg(long, value_enum)]
        format: crate::export::sheet::SheetFormat,
        /// Write to this file instead of the standard output (`-`: the
        /// standard output).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists (never the database nor any SQLite file).
        #[arg(long)]
        force: bool,
    },
    /// The follow-up calls to make (issue 15 §3): M1 due this week (J+28 to
    /// J+42 after the procedure) and overdue, J+1 on the day after, grouped
    /// per operator, with what the call needs (patient, procedure, date,
    /// pain before). A patient who died is not on it, nor a procedure more
    /// than 120 days old (the report counts its M1 as due and not
    /// reached). A file is written as an export is.
    FollowUps {
        /// Only the calls due now (not the overdue ones).
        #[arg(long, conflicts_with = "overdue")]
        due: bool,
        /// Only the overdue calls.
        #[arg(long)]
        overdue: bool,
        /// Only this operator's calls (compared without case or extra spaces).
        #[arg(long, value_name = "NAME", conflicts_with = "mine")]
        operator: Option<String>,
        /// Only the calls of the operators a chair linked to your login
        /// (`users link-operator`).
        #[arg(long)]
        mine: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Write to this file instead of the standard output (`-`: the
        /// standard output).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists (never the database nor any SQLite file).
        #[arg(long)]
        force: bool,
    },
    /// Record a follow-up call of a performed case (J+1 or M1): whether the
    /// patient was reached (a call that did not reach them counts as an
    /// attempt), pain on the same 0–10 scale as before, analgesics,
    /// complications since the procedure (CIRSE grade). A radiologist, an
    /// anaesthetist, the chair or the nurse; audited.
    FollowUp {
        /// The case's external id (e.g. SCH-2026-004503).
        external_id: String,
        /// m1 (one month) or j1 (the day after).
        #[arg(value_parser = followup::parse_kind)]
        kind: crate::domain::vocab::FollowUpKind,
        /// Whether the patient (or a relative) was reached.
        #[arg(long, value_enum)]
        reached: followup::YesNo,
        /// Pain now, 0 to 10.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10))]
        pain: Option<u8>,
        /// Analgesics against before: stopped, decreased, unchanged or increased.
        #[arg(long, value_name = "USE", value_parser = followup::parse_analgesics)]
        analgesics: Option<crate::domain::vocab::Analgesics>,
        /// Morphine-equivalent dose, mg a day.
        #[arg(long, value_name = "MG", value_parser = followup::parse_morphine)]
        morphine: Option<f64>,
        /// A complication since the procedure: its CIRSE grade (1 to 6).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6), requires = "complication")]
        complication_grade: Option<u8>,
        /// What the complication was.
        #[arg(long, value_name = "TEXT", requires = "complication_grade")]
        complication: Option<String>,
        /// When the call was made [default: now]: "2026-12-07 10:30".
        #[arg(long, value_name = "YYYY-MM-DD HH:MM", value_parser = followup::parse_called_at)]
        called_at: Option<chrono::NaiveDateTime>,
        /// The version of the follow-up you saw (`follow-ups --format
        /// json`, or the refusal of a first try) [default: 0, no call
        /// recorded yet]: refused if it changed since, so that a call on
        /// file is never replaced unseen.
        #[arg(long, value_name = "N")]
        seen_version: Option<i64>,
    },
    /// Record that a patient died (once; the date not after today): they
    /// leave the call and chase lists, and each of their cases from that
    /// day gets a blocking line "to cancel". The roles that record
    /// follow-ups; audited.
    Deceased {
        /// The patient's IPP.
        ipp: String,
        /// The day of the death.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        on: NaiveDate,
    },
    /// The dossier rules: list them, change a threshold or a technique's bleeding risk (a chair only).
    Rules {
        #[command(subcommand)]
        action: admin::RulesAction,
    },
    /// Change the hospital's time zone of an existing file, e.g.
    /// `set-timezone Europe/Paris` (a chair only; audited). Delays in hours
    /// and drug holds are judged again on the new clock.
    SetTimezone {
        /// An IANA time zone (UTC and Etc/… are accepted with a warning).
        #[arg(value_name = "ZONE", value_parser = parse_zone)]
        zone: chrono_tz::Tz,
    },
    /// What people do about the hospital's systems' messages: map a
    /// booking's service code to techniques (a chair only), acknowledge a
    /// patient's identity changed by the hospital's system.
    Feeds {
        #[command(subcommand)]
        action: super::feeds::FeedsAction,
    },
    /// Apply HL7 v2 (`*.hl7`) and `ir-committee/cases@1` (`*.json`) files
    /// that appear in a folder, one at a time in name order, then move each
    /// to DIR/done or DIR/failed with NAME.ack beside it. Write `x.tmp` (or
    /// `.x`) and rename it when complete. The folder must be the user's and
    /// not writable by group or others. Stops on SIGTERM or Ctrl-C.
    Watch {
        /// The drop folder.
        dir: PathBuf,
        /// The deployment's configuration, for a service started without
        /// setgid (NoNewPrivileges=yes): the database and audit key come
        /// from it (docs/deployment.md, "Feeds").
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Receive HL7 v2 messages over MLLP and answer each with its ACK.
    /// Loopback addresses only, unless the configuration lists allowed
    /// peers (mllp_allowed_peers). No TLS: see docs/deployment.md. Stops on
    /// SIGTERM or Ctrl-C (exit 0).
    Listen {
        /// Where to listen, e.g. 127.0.0.1:2575, [::1]:2575 or
        /// localhost:2575 (127.0.0.1, not looked up).
        #[arg(long, value_name = "ADDR:PORT")]
        mllp: String,
        /// The deployment's configuration, for a service started without
        /// setgid (NoNewPrivileges=yes): the database, audit key and allowed
        /// peers come from it (docs/deployment.md, "Feeds").
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Manage the people who may use the file (a chair only).
    Users {
        #[command(subcommand)]
        action: admin::UsersAction,
    },
    /// Record a committee decision on a case: validate, postpone, cancel, or
    /// undo its last decision. Same rules and audit as the screen.
    Decide {
        /// The case's external id (e.g. SCH-2026-004503).
        external_id: String,
        /// What to decide.
        #[arg(value_enum)]
        action: DecideAction,
        /// Why (required to postpone or cancel).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// The coded reason of a postponement or a cancellation, counted by
        /// the indicators (optional; --reason stays required): missing_test,
        /// drug_not_stopped, consent, anaesthesia, patient_condition,
        /// patient_deceased, equipment, scheduling, patient_declined, other.
        #[arg(long, value_name = "CODE", value_parser = outcome::parse_reason)]
        reason_code: Option<crate::domain::vocab::ReasonCode>,
        /// The week to postpone to [default: the week after the case's week].
        #[arg(long, value_name = "WEEK", value_parser = parse_week)]
        to_week: Option<Week>,
        /// Validate a case that has a blocking item, with this justification
        /// (recorded as an override).
        #[arg(long = "override", value_name = "JUSTIFICATION")]
        justification: Option<String>,
    },
    /// What happened on the day of a validated case (scheduled today or
    /// before): performed, not performed for a coded reason, or the
    /// immediate complication (CIRSE grade). Audited; a day already recorded
    /// is replaced only with --replace VERSION.
    Outcome {
        /// The case's external id (e.g. SCH-2026-004503).
        external_id: String,
        #[command(subcommand)]
        action: outcome::OutcomeAction,
    },
    /// Give a postponed case (shown "to reschedule") a new date, time and
    /// room: it becomes an ordinary pending case of that week; its
    /// postponement stays in its history. A chair or a secretary; audited.
    Reschedule {
        /// The case's external id (e.g. SCH-2026-004503).
        external_id: String,
        /// The new date and time: 2026-12-15T09:00 (in French also
        /// "15/12/2026 09:00", "15/12 9h30", "aujourd'hui 14:00").
        #[arg(long, value_name = "WHEN")]
        at: String,
        /// The room, e.g. "Salle 2".
        #[arg(long, value_name = "ROOM")]
        room: String,
    },
    /// List the audit trail (who changed what, when, from where), or check
    /// that nobody rewrote it (--verify); `audit prune-reads --before DATE`
    /// prunes the read trace (the auditor only); `audit seal-key` seals a
    /// keyed chain beside its key (at deployment).
    #[command(args_conflicts_with_subcommands = true)]
    Audit {
        #[command(subcommand)]
        action: Option<audit::AuditAction>,
        /// List the read trace (who consulted which cases, when, from
        /// where) instead of the trail: the auditor and the chair only.
        #[arg(long, conflicts_with = "verify")]
        reads: bool,
        /// With --reads: only the reads of this login.
        #[arg(long, value_name = "LOGIN", requires = "reads")]
        login: Option<String>,
        /// Only the rows of this case (its external id).
        #[arg(long = "case", value_name = "EXTERNAL_ID", conflicts_with = "verify")]
        external_id: Option<String>,
        /// Only the rows written on or after this day (local time).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, conflicts_with = "verify")]
        since: Option<NaiveDate>,
        /// Output format of the listing.
        #[arg(long, value_enum, default_value_t, conflicts_with = "verify")]
        format: Format,
        /// Walk the hash chain: prints the head hash (for the minutes) or the
        /// first broken row (exit status 1).
        #[arg(long)]
        verify: bool,
        /// With --verify: also check that the row with this hash (a head
        /// printed earlier) is still there, with the chain intact from it.
        #[arg(long, value_name = "HASH", requires = "verify", value_parser = storage::audit::parse_anchor)]
        anchor: Option<String>,
    },
    /// The committee's indicators over a period (cases scheduled from
    /// --from to --to): activity, committee outcomes, not performed on the
    /// day by reason, delays, the one-month follow-up, complications. Every
    /// figure with its denominator; --pseudonymise (always for a viewer or
    /// the auditor): a cell under 5 patients reads "< 5". A file is written
    /// as an export is.
    Report {
        /// The first day of the period.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        from: NaiveDate,
        /// The last day of the period (included).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        to: NaiveDate,
        /// Small cells read "< 5", with complementary suppression.
        #[arg(long)]
        pseudonymise: bool,
        /// Output format (html: with its charts).
        #[arg(long, value_enum)]
        format: super::report::ReportFormat,
        /// Write to this file instead of the standard output (`-`: the
        /// standard output).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists (never the database nor any SQLite file).
        #[arg(long)]
        force: bool,
    },
    /// The registry extract (the chair only): one row per procedure
    /// scheduled from --from to --to, with its techniques, scores,
    /// decisions, outcome and follow-ups, always pseudonymised with a
    /// random key of its own (never stored), dates as months, ages in
    /// 5-year bands. Columns: docs/registry-extract.md. Audited; written as
    /// an export is.
    ExportCases {
        /// The first day of the period.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        from: NaiveDate,
        /// The last day of the period (included).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        to: NaiveDate,
        /// Output format.
        #[arg(long, value_enum)]
        format: super::export_cases::CasesFormat,
        /// Write to this file (default
        /// registry-extract-FROM-TO.csv|json; `-`: the standard output,
        /// never a terminal).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists (never the database nor any SQLite file).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolveChoice {
    /// The stored value stays; the file's is dropped.
    Keep,
    /// The file's value replaces the stored one.
    Take,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecideAction {
    Validate,
    Postpone,
    Cancel,
    Undo,
}

pub(super) fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let d = crate::domain::time::parse_date(s)?;
    if !(Week::MIN_YEAR..=Week::MAX_YEAR).contains(&chrono::Datelike::year(&d)) {
        return Err(format!(
            "'{s}' is out of range (years {} to {})",
            Week::MIN_YEAR,
            Week::MAX_YEAR
        ));
    }
    Ok(d)
}

pub(super) fn parse_role(s: &str) -> Result<crate::domain::roles::Role, String> {
    crate::domain::roles::Role::parse(s).ok_or_else(|| {
        let all: Vec<&str> = crate::domain::roles::Role::ALL
            .iter()
            .map(|r| r.as_str())
            .collect();
        format!("'{s}' is not a role (expected one of: {})", all.join(", "))
    })
}

pub(super) fn parse_week(s: &str) -> Result<Week, String> {
    s.parse::<Week>().map_err(|e| e.to_string())
}

pub(super) fn parse_zone(s: &str) -> Result<chrono_tz::Tz, String> {
    s.parse()
        .map_err(|_| format!("'{s}' is not an IANA time zone (e.g. Europe/Paris)"))
}
