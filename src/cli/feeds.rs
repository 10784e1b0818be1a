//! `feeds`: what people do about the hospital's systems' messages (issue
//! 16): map a booking's service code to techniques (a chair), acknowledge
//! an identity the hospital's system changed, a laboratory's result the
//! program could not use; list the results that reached no case.

use clap::Subcommand;

use super::{Cli, CliError};
use crate::domain::text::sanitize_line;
use crate::domain::vocab::Technique;
use crate::storage::{Db, feed_held, feed_services, lab_unusable, needs};

#[derive(Debug, Subcommand)]
pub enum FeedsAction {
    /// Map a booking's service code (AIS-3) to techniques, e.g.
    /// `feeds map-service VERTEB vertebroplasty` or
    /// `feeds map-service RF-CIM radiofrequency_ablation+cementoplasty`
    /// (a chair only; audited). The cases waiting for it get their
    /// techniques; later bookings with that code map themselves.
    MapService {
        code: String,
        /// One technique, or several joined by +.
        #[arg(value_name = "TECHNIQUE[+TECHNIQUE]")]
        techniques: String,
    },
    /// Acknowledge that a patient's identity, changed by the hospital's
    /// system, was checked: the advisory leaves their cases (audited).
    AckIdentity {
        /// The patient's IPP.
        ipp: String,
    },
    /// Acknowledge that a laboratory's result the program could not use
    /// (an INR `>15`, a value outside its bounds, a unit it does not know)
    /// was dealt with: it no longer blocks the case (audited). Typing a
    /// value of that analyte dated at or after it does the same.
    AckResult {
        /// The case's external id (e.g. RDV-55501).
        external_id: String,
        /// inr, platelets, neutrophils, haemoglobin, creatinine or egfr.
        analyte: String,
    },
    /// List the laboratory results that reached no case, with why: no
    /// case yet (applied when a booking or an import makes one), a
    /// patient the file does not hold, an identity that differs from the
    /// file's (possibly another patient's). The care team's; traced.
    Held {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: super::Format,
    },
}

/// `a+b` as techniques.
fn techniques(s: &str) -> Option<Vec<Technique>> {
    s.split('+').map(|w| Technique::parse(w.trim())).collect()
}

/// `feeds map-service|ack-identity|ack-result`.
pub(super) fn run(
    cli: &Cli,
    action: &FeedsAction,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let lang = cli.lang();
    match action {
        FeedsAction::MapService {
            code,
            techniques: given,
        } => {
            // The permission first: a refusal says nothing about the
            // techniques asked (audited as any refusal).
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            db.precheck(&needs::map_service())?;
            let list = techniques(given).ok_or_else(|| {
                CliError::Usage(crate::text::feeds::not_techniques(
                    lang,
                    &sanitize_line(given),
                ))
            })?;
            let mapped = db.write_as(&needs::map_service(), |w| {
                feed_services::map_service(w, code, &list)
            })?;
            let clean = |v: &[String]| v.iter().map(|s| sanitize_line(s)).collect::<Vec<_>>();
            let line = crate::text::feeds::mapped(
                lang,
                sanitize_line(code).trim(),
                &list,
                &clean(&mapped.filled),
                &clean(&mapped.pending),
                mapped.remapped,
            );
            writeln!(out, "{line}")?;
        }
        FeedsAction::AckIdentity { ipp } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            db.write_as(&needs::ack_identity(), |w| {
                feed_services::ack_identity(w, ipp)
            })?;
            let line = crate::text::feeds::identity_acknowledged(lang, &sanitize_line(ipp));
            writeln!(out, "{line}")?;
        }
        FeedsAction::AckResult {
            external_id,
            analyte,
        } => {
            let mut db = Db::open(&cli.db_path(), cli.opening()?)?;
            db.precheck(&needs::ack_result())?;
            let Some(analyte) = lab_unusable::parse_analyte(analyte) else {
                return Err(CliError::Usage(crate::text::feeds::not_analyte(
                    lang,
                    &sanitize_line(analyte),
                )));
            };
            let n = db.write_as(&needs::ack_result(), |w| {
                lab_unusable::acknowledge(w, external_id, analyte)
            })?;
            let line = crate::text::feeds::result_acknowledged(
                lang,
                &sanitize_line(external_id),
                analyte,
                n,
            );
            writeln!(out, "{line}")?;
        }
        FeedsAction::Held { format } => {
            let db = Db::open(&cli.db_path(), cli.opening()?)?;
            let held = feed_held::list(&db)?;
            // Traced before anything is shown; nothing is shown if it
            // cannot be.
            let subject = format!("{} held", held.len());
            crate::storage::audit::reads::trace(
                &db,
                crate::storage::audit::reads::What::HeldResults,
                Some(&subject),
                &[],
            )?;
            match format {
                super::Format::Json => {
                    super::json::write(out, &serde_json::json!({ "held": held }))?;
                }
                super::Format::Text => write!(out, "{}", crate::text::held::listing(lang, &held))?,
            }
        }
    }
    Ok(())
}
