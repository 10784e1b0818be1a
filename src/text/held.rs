//! What `feeds held` prints, and `check`'s line on results held with an
//! identity that differs (issue 16: laboratory results that reached no
//! case).

use crate::domain::labs::Analyte;
use crate::domain::message::Lang;
use crate::storage::feed_held::{Held, Why};

/// The stored unit of an analyte, as the listing shows it after a value.
fn unit(a: Analyte, lang: Lang) -> &'static str {
    match a {
        Analyte::Inr => "",
        Analyte::Platelets | Analyte::Neutrophils => lang.pick(" G/L", "\u{a0}G/L"),
        Analyte::Haemoglobin => lang.pick(" g/dL", "\u{a0}g/dL"),
        Analyte::Creatinine => lang.pick(" µmol/L", "\u{a0}µmol/L"),
        Analyte::Egfr => lang.pick(" mL/min/1.73 m²", "\u{a0}mL/min/1,73\u{a0}m²"),
    }
}

/// Why a result reached no case.
pub fn why(lang: Lang, why: Why, differs: &[&str]) -> String {
    match why {
        Why::NoCase => lang
            .pick(
                "patient known, on no case yet: applied to a case a booking or an import makes",
                "patient connu, sur aucun dossier encore\u{a0}: appliqué au dossier qu'une réservation ou un import crée",
            )
            .to_owned(),
        Why::UnknownPatient => lang
            .pick(
                "patient not in this file (IPP or its authority)",
                "patient absent de ce fichier (IPP ou son autorité)",
            )
            .to_owned(),
        Why::IdentityMismatch => {
            let what: Vec<&str> = differs
                .iter()
                .map(|d| match *d {
                    "birth_date" => lang.pick("birth date", "date de naissance"),
                    _ => lang.pick("last name", "nom"),
                })
                .collect();
            let what = what.join(", ");
            match lang {
                Lang::En => format!(
                    "IDENTITY DIFFERS from the file's ({what}): possibly another patient's result, not applied"
                ),
                Lang::Fr => format!(
                    "IDENTITÉ DIFFÉRENTE de celle du fichier ({what})\u{a0}: peut-être le résultat d'un autre patient, non appliqué"
                ),
            }
        }
    }
}

/// The listing: a heading, then each result (its message, the PID as
/// sent, why) and its values. Every string from the file cleaned.
pub fn listing(lang: Lang, held: &[Held]) -> String {
    use crate::domain::text::sanitize_line as clean;
    if held.is_empty() {
        return lang
            .pick(
                "no laboratory result held: every result received reached a case\n",
                "aucun résultat de laboratoire en attente\u{a0}: chaque résultat reçu a atteint un dossier\n",
            )
            .to_owned();
    }
    let n = held.len();
    let mut out = match lang {
        Lang::En => format!("{n} laboratory result(s) held, on no case:\n"),
        Lang::Fr => {
            format!("{n} résultat(s) de laboratoire en attente, sur aucun dossier\u{a0}:\n")
        }
    };
    for h in held {
        let authority = if h.authority.is_empty() {
            String::new()
        } else {
            format!(" ({})", clean(&h.authority))
        };
        let person = format!(
            "IPP {}{authority} {} {}",
            clean(&h.ipp),
            clean(&h.last_name),
            clean(&h.first_name)
        );
        let person = person.trim_end();
        let (msg, source, received, birth) = (
            clean(&h.control_id),
            clean(&h.source),
            clean(&h.received_at),
            clean(&h.birth_date),
        );
        out.push_str(&match lang {
            Lang::En => format!(
                "  {msg} from {source}, received {received}: {person}, born {birth}\n    {}\n",
                why(lang, h.why, &h.differs)
            ),
            Lang::Fr => format!(
                "  {msg} de {source}, reçu le {received}\u{a0}: {person}, né(e) le {birth}\n    {}\n",
                why(lang, h.why, &h.differs)
            ),
        });
        for v in &h.values {
            let Some(a) = Analyte::from_key(v.analyte) else {
                continue;
            };
            let name = crate::text::rules::analyte_name(a, lang);
            let value = match lang {
                Lang::En => v.value.to_string(),
                Lang::Fr => v.value.to_string().replace('.', ","),
            };
            let at = clean(&v.at).replace('T', " ");
            out.push_str(&match lang {
                Lang::En => format!("    {name} {value}{} (specimen {at})\n", unit(a, lang)),
                Lang::Fr => format!("    {name} {value}{} (prélevé le {at})\n", unit(a, lang)),
            });
        }
    }
    out
}

/// `check`'s line: `n` results held whose PID differs from the file's
/// patient of that IPP.
pub fn check_line(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!(
            "HELD: {n} laboratory result(s) whose identity differs from the file's patient (possibly another patient's), not applied: ir-committee feeds held"
        ),
        Lang::Fr => format!(
            "EN ATTENTE\u{a0}: {n} résultat(s) de laboratoire dont l'identité diffère du patient du fichier (peut-être un autre patient), non appliqué(s)\u{a0}: ir-committee feeds held"
        ),
    }
}
