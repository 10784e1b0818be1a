//! Loading next week's cases from the scheduling system: the JSON
//! interchange format `ir-committee/cases@1` (see docs/import-format.md) and
//! a bare CSV schedule. Import is all or nothing: the whole file is read and
//! checked first, and written in one transaction only if it has no error.

mod csv;
pub mod hl7;
mod json;
mod validate;

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::model::CaseFile;
use crate::domain::rules::RuleSet;
pub use crate::storage::cases::Absent;
use crate::storage::cases::{self, ItemReport, Outcome};
use crate::storage::{Db, StorageError, audit, needs};

/// The format name of the JSON interchange file.
pub const FORMAT: &str = "ir-committee/cases@1";

/// A file larger than this is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// At most this many errors are listed; the count says how many there were.
pub const MAX_LISTED_ERRORS: usize = 20;

/// Where in the file an error is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// CSV line number (1-based, the header is line 1); JSON line for syntax errors.
    pub line: Option<usize>,
    /// Index of the case in `cases` (0-based).
    pub case_index: Option<usize>,
    pub external_id: Option<String>,
    /// Field path inside the case, e.g. `coagulation.inr`.
    pub field: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::error::import::location(
            crate::text::Lang::En,
            self,
        ))
    }
}

/// One problem found in an import file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: Location,
    pub message: Detail,
}

/// A line of a CSV file or a case of a JSON one (which one a duplicate or
/// a second identity points back to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Line(usize),
    Case(usize),
}

/// What is wrong, as data: `crate::text::error::import` puts it into words
/// in the user's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// The JSON or CSV reader's own words on the file's structure (English:
    /// the interchange format's vocabulary and serde's messages).
    Reader(String),
    FileEmpty,
    /// Not UTF-8: the offset of the first invalid byte.
    NotUtf8(usize),
    /// A required text with no visible character.
    Empty,
    TooLong {
        chars: usize,
        max: usize,
    },
    OutOfBounds(crate::domain::bounds::OutOfBounds),
    DateOutside(crate::domain::bounds::DateOutside),
    BirthInFuture(NaiveDate),
    BeforeBirth,
    NoTechnique,
    TechniqueTwice(crate::domain::vocab::Technique),
    OtherDrugNeedsName,
    /// `fit_with_conditions` with no conditions given.
    ConditionsMissing,
    /// Conditions sent with another conclusion (or none).
    ConditionsWithoutThatConclusion,
    /// `transcribed_by` without the anaesthetist who consulted.
    TranscriptionNeedsAnaesthetist,
    /// A SINS level scored twice: the index of the first.
    SinsLevelTwice {
        level: crate::domain::scores::VertebralLevel,
        first: usize,
    },
    /// A SINS location that is not its level's.
    SinsLocation {
        location: crate::domain::vocab::SinsLocation,
        level: crate::domain::scores::VertebralLevel,
    },
    DuplicateId(Place),
    /// The IPP names another person in an earlier case.
    IppOtherIdentity {
        ipp: String,
        first: Place,
        external_id: String,
        patient: Box<crate::domain::model::Patient>,
    },
    /// A case's own `low` risk where a technique's risk is not judged per
    /// case (`per_case`: those that are).
    LowRiskNotPerCase {
        per_case: Vec<crate::domain::vocab::Technique>,
        technique: crate::domain::vocab::Technique,
        risk: crate::domain::vocab::BleedingRisk,
    },
}

impl From<String> for Detail {
    fn from(s: String) -> Detail {
        Detail::Reader(s)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::error::import::problem(
            crate::text::Lang::En,
            self,
        ))
    }
}

/// Why an import did not happen. The database is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    Read {
        path: String,
        source: std::io::Error,
    },
    TooLarge {
        path: String,
        size: u64,
    },
    NotAFile {
        path: String,
        what: &'static str,
    },
    Invalid {
        path: String,
        problems: Vec<Problem>,
    },
    Storage(#[from] StorageError),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::misc::import(
            crate::text::Lang::En,
            self,
        ))
    }
}

/// What an import did, case by case.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub source: String,
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Changes a person should look at (identity changes, a case moved to
    /// another patient).
    pub warnings: Vec<String>,
    /// Per case and item, what the re-import rule did: created, updated,
    /// replaced (a stored value dated earlier), merged, kept (what is
    /// stored, and who recorded it), pending (the file's value lost).
    pub items: Vec<CaseItem>,
    /// Nothing was written (`--dry-run`).
    pub dry_run: bool,
    /// Validated cases (not by an override) that this import made blocking:
    /// the committee must look at them again.
    pub validated_now_blocking: Vec<NowBlocking>,
}

/// A validated case this import made blocking, and its blocking items.
#[derive(Debug, Clone, Serialize)]
pub struct NowBlocking {
    pub external_id: String,
    pub items: Vec<crate::domain::rules::Item>,
}

/// One line of the report: an item of a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseItem {
    pub external_id: String,
    #[serde(flatten)]
    pub item: ItemReport,
}

/// Whether an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Reports what it would do, and writes nothing.
    DryRun,
}

/// The detected kind of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Csv,
}

/// JSON when the content starts with `{` (after a BOM and white space), CSV otherwise.
pub fn detect(text: &str) -> Kind {
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '['])
    {
        Kind::Json
    } else {
        Kind::Csv
    }
}

/// Reads, checks and normalises every case of `text`. No database access.
///
/// A problem with the file as a whole (not JSON, wrong `format`, a bad CSV
/// header) is reported alone. Otherwise every problem is collected: the first
/// structural error of each case (or CSV row) that could not be read, and
/// every semantic error of the cases that could, in file order.
pub fn parse(text: &str, today: NaiveDate) -> Result<Vec<CaseFile>, Vec<Problem>> {
    parse_as(text, detect(text), today)
}

/// Like [`parse`], the format being known (e.g. from the file's extension).
///
/// These are the file's own checks. The checks against the rules table (a
/// case's own `low` bleeding risk, `validate::check_risks`) need the
/// database's rules: [`import_text`] makes them, and [`parse_with_rules`].
pub fn parse_as(text: &str, kind: Kind, today: NaiveDate) -> Result<Vec<CaseFile>, Vec<Problem>> {
    parse_checked(text, kind, today, None)
}

/// [`parse_as`] and the checks against the rules table: what an import
/// accepts.
pub fn parse_with_rules(
    text: &str,
    kind: Kind,
    today: NaiveDate,
    rules: &RuleSet,
) -> Result<Vec<CaseFile>, Vec<Problem>> {
    parse_checked(text, kind, today, Some(rules))
}

fn parse_checked(
    text: &str,
    kind: Kind,
    today: NaiveDate,
    rules: Option<&RuleSet>,
) -> Result<Vec<CaseFile>, Vec<Problem>> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(vec![Problem {
            at: Location::default(),
            message: Detail::FileEmpty,
        }]);
    }
    let Parsed {
        mut cases,
        mut problems,
    } = match kind {
        Kind::Json => json::parse(text)?,
        Kind::Csv => csv::parse(text)?,
    };
    for (_, case) in cases.iter_mut() {
        validate::sanitize(case);
    }
    problems.extend(validate::check_all(&cases, today));
    if let Some(rules) = rules {
        problems.extend(validate::check_risks(&cases, rules));
    }
    if problems.is_empty() {
        Ok(cases.into_iter().map(|(_, c)| c).collect())
    } else {
        // Stable: a case's own problems keep their order.
        problems.sort_by_key(|p| (p.at.case_index, p.at.line));
        Err(problems)
    }
}

/// What the JSON or CSV reader made of a file whose overall shape is right:
/// the cases it could read, with their locations, and one problem for each
/// case (or row) it could not.
struct Parsed {
    cases: Vec<(Location, CaseFile)>,
    problems: Vec<Problem>,
}

/// Imports the file at `path` into `db`, all or nothing.
pub fn import_file(db: &mut Db, path: &Path, mode: Mode) -> Result<ImportReport, ImportError> {
    let shown = path.display().to_string();
    let read = |source| ImportError::Read {
        path: shown.clone(),
        source,
    };
    let bytes = read_limited(path).map_err(|e| match e {
        Limited::Io(source) => read(source),
        Limited::NotAFile(what) => ImportError::NotAFile {
            path: shown.clone(),
            what,
        },
        Limited::TooLarge(size) => ImportError::TooLarge {
            path: shown.clone(),
            size,
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ImportError::Invalid {
        path: shown.clone(),
        problems: vec![Problem {
            at: Location::default(),
            message: Detail::NotUtf8(e.utf8_error().valid_up_to()),
        }],
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(shown.clone());
    let source = format!("import:{}", crate::domain::text::sanitize_line(&file_name));
    // The extension says the format when it can; the content otherwise.
    let kind = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => Some(Kind::Json),
        Some("csv") => Some(Kind::Csv),
        _ => None,
    };
    import_text(db, &text, kind, &source, mode).map_err(|e| match e {
        ImportError::Invalid { problems, .. } => ImportError::Invalid {
            path: shown,
            problems,
        },
        other => other,
    })
}

/// Why [`read_limited`] read nothing.
enum Limited {
    Io(std::io::Error),
    /// What the path is instead of a regular file.
    NotAFile(&'static str),
    /// At least this many bytes.
    TooLarge(u64),
}

/// The bytes of a regular file of at most [`MAX_FILE_BYTES`]. Opened
/// without blocking (a FIFO would wait for a writer), then refused unless
/// the opened file is a regular one (`/dev/zero`, a FIFO, a folder, a
/// socket); never more than the limit is read, whatever the size said.
fn read_limited(path: &Path) -> Result<Vec<u8>, Limited> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(Limited::Io)?;
    let meta = file.metadata().map_err(Limited::Io)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(Limited::NotAFile(if kind.is_dir() {
            "a folder"
        } else if kind.is_fifo() {
            "a named pipe (FIFO)"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        }));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Limited::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Limited::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Limited::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Imports already-read text; `source` is recorded on every row it writes.
/// The format is `kind`, else detected from the content.
pub fn import_text(
    db: &mut Db,
    text: &str,
    kind: Option<Kind>,
    source: &str,
    mode: Mode,
) -> Result<ImportReport, ImportError> {
    let today = db.clock().today();
    let kind = kind.unwrap_or_else(|| detect(text));
    let rules = db.rules()?;
    let cases =
        parse_with_rules(text, kind, today, &rules).map_err(|problems| ImportError::Invalid {
            path: source.to_owned(),
            problems,
        })?;
    // A CSV schedule carries no clinical data: what it lacks is kept.
    let absent = match kind {
        Kind::Json => Absent::Clears,
        Kind::Csv => Absent::Keeps,
    };
    save_cases(db, &cases, source, absent, mode)
}

/// Writes checked cases in one transaction, with one audit row for the import.
pub fn save_all(
    db: &mut Db,
    cases: &[CaseFile],
    source: &str,
    absent: Absent,
) -> Result<ImportReport, ImportError> {
    save_cases(db, cases, source, absent, Mode::Write)
}

/// [`save_all`], or what it would do (`Mode::DryRun`: the same transaction,
/// rolled back).
pub fn save_cases(
    db: &mut Db,
    cases: &[CaseFile],
    source: &str,
    absent: Absent,
    mode: Mode,
) -> Result<ImportReport, ImportError> {
    let dry_run = mode == Mode::DryRun;
    let save = |w: &crate::storage::Writer<'_>| {
        let mut report = ImportReport {
            source: source.to_owned(),
            created: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
            warnings: Vec::new(),
            items: Vec::new(),
            dry_run,
            validated_now_blocking: Vec::new(),
        };
        let mut updated_ids = Vec::new();
        for case in cases {
            let saved = cases::save(w, case, source, absent)?;
            if saved.outcome == Outcome::Updated {
                updated_ids.push(saved.case_id);
            }
            let list = match saved.outcome {
                Outcome::Created => &mut report.created,
                Outcome::Updated => &mut report.updated,
                Outcome::Unchanged => &mut report.unchanged,
            };
            list.push(case.external_id.clone());
            report.warnings.extend(saved.warnings);
            report
                .items
                .extend(saved.items.into_iter().map(|item| CaseItem {
                    external_id: case.external_id.clone(),
                    item,
                }));
        }
        let summary = format!(
            "{source}: {} created, {} updated, {} unchanged, {} pending",
            report.created.len(),
            report.updated.len(),
            report.unchanged.len(),
            report
                .items
                .iter()
                .filter(|i| i.item.change == cases::Change::Pending)
                .count()
        );
        audit::record(w, "import", None, None, Some(&summary))?;
        report.validated_now_blocking = now_blocking(w, &updated_ids)?;
        Ok::<_, StorageError>(report)
    };
    let report = match mode {
        Mode::Write => db.write_as(&needs::import(), save)?,
        Mode::DryRun => db.write_dry_run_as(&needs::import(), save)?,
    };
    Ok(report)
}

/// The updated cases that are validated (not by an override) and now
/// blocking, judged inside the import's transaction (so that a dry run says
/// it too).
fn now_blocking(
    w: &crate::storage::Writer<'_>,
    ids: &[i64],
) -> Result<Vec<NowBlocking>, StorageError> {
    use crate::domain::assess::Assessment;
    let (rules, tz) = Db::judging(w)?;
    let ctx = crate::domain::rules::Context { rules: &rules, tz };
    let mut out = Vec::new();
    for id in ids {
        let case = crate::storage::read::by_id_in(w.tx(), *id)?;
        let a = Assessment::of_stored(&case, &ctx);
        let items = a.now_blocking(&case);
        if !items.is_empty() {
            out.push(NowBlocking {
                external_id: case.file.external_id.clone(),
                items,
            });
        }
    }
    Ok(out)
}
