//! The dossier messages, in French and English. A [`Msg`] carries the
//! evidence (dates, values, thresholds, drug, risk); [`Msg::render`] writes it
//! in a language. French numbers take a decimal comma.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::message::Lang;
use crate::domain::time::When;
use crate::domain::vocab::{Anaesthesia, BleedingRisk, ConsentKind, Drug, ImagingKind, Technique};

/// The kind of evidence a message speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Imaging(ImagingKind),
    Biology,
    Coagulation,
    AnaesthesiaConsult,
    Consultation,
    Consent,
}

/// A value that a work-up may lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Blood count.
    Neutrophils,
    /// Creatinine.
    Egfr,
    Inr,
    Platelets,
}

/// A part of the information and consent item that is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentGap {
    Radiologist,
    Leaflet,
    Consent,
    ConsentDate,
    TracedBy,
    /// Traced consent without what was said.
    TracedDetails,
}

/// A drug hold: last intake J−n (calendar days), J−n before noon (or an
/// earlier day), or n hours before.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    Days(f64),
    DayNoon(f64),
    Hours(f64),
}

/// A hold chosen by the creatinine clearance: `crcl` against the drug's
/// renal threshold (below it, the longer hold applies).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Renal {
    pub crcl: f64,
    pub threshold: f64,
}

/// A piece of evidence dated `days` before day J, against a window of `max` days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Age {
    pub what: Evidence,
    pub at: NaiveDate,
    pub days: i64,
    pub max: f64,
    /// The bleeding risk when the window depends on it.
    pub risk: Option<BleedingRisk>,
}

/// One message per kind of finding.
#[rustfmt::skip] // one line per message
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Msg {
    /// A rule the item needs is not in the rules table.
    RuleMissing { rule: String, subject: String },
    NoEvidence { what: Evidence },
    AfterProcedure { what: Evidence, at: When },
    /// Dated evidence and its window (ok or expired).
    Age(Age),
    /// No imaging on file at all.
    NoPlanningImaging,
    /// Imaging on file, none of it planning imaging; the most recent.
    ImagingNotPlanning { imaging: ImagingKind, at: NaiveDate },
    ValueMissing { value: Value, what: Evidence, at: NaiveDate },
    BiologyOk { age: Age, neutrophils: f64, hemoglobin: Option<f64>, egfr: f64 },
    NeutrophilsLow { value: f64, min: f64, at: NaiveDate },
    Sepsis { at: NaiveDate },
    EgfrLow { value: f64, min: f64, technique: Technique, at: NaiveDate },
    EgfrProphylaxis { value: f64, below: f64, technique: Technique, at: NaiveDate },
    CoagulationOk { age: Age, inr: f64, inr_max: f64, platelets: f64, platelets_min: f64 },
    InrHigh { value: f64, max: f64, risk: BleedingRisk, at: NaiveDate },
    PlateletsLow { value: f64, min: f64, risk: BleedingRisk, at: NaiveDate },
    AnaesthesiaNotRequired { anaesthesia: Anaesthesia },
    AnaesthesiaMissing { anaesthesia: Anaesthesia },
    AnaesthesiaOk { at: When, days: i64, anaesthesia: Anaesthesia, by: Option<String> },
    AnaesthesiaTooLate { at: When, days: i64, min: f64 },
    ConsentGap { gap: ConsentGap },
    ConsentOk { consent: ConsentKind, at: When, by: Option<String>, radiologist: String },
    /// Consent dated before the consultation that informed the patient.
    ConsentBeforeConsultation { at: When, consultation: When },
    /// Elapsed minutes from the consultation (a date alone: end of day) to the procedure.
    DelayTooShort { at: When, minutes: i64, min_hours: f64 },
    DelayUnder { at: When, days: i64, advise_days: f64 },
    DelayOk { at: When, days: i64, min_hours: f64 },
    MedicationsUnchecked,
    MedicationsNone,
    MedicationOther { name: Option<String> },
    CrclMissing { drug: Drug, min: f64 },
    /// The hold depends on whether CrCl is below `threshold`.
    CrclForHold { drug: Drug, threshold: f64 },
    CrclLow { drug: Drug, crcl: f64, min: f64 },
    /// No hold applies; `last` is the planned last intake if one was sent,
    /// with its J−n.
    Continued { drug: Drug, risk: BleedingRisk, last: Option<(When, i64)> },
    /// `renal`: the creatinine clearance that chose the hold, when one did.
    NoLastIntake { drug: Drug, hold: Hold, risk: BleedingRisk, renal: Option<Renal> },
    /// Last intake J−`days` against a hold in days.
    HoldDays { drug: Drug, at: When, days: i64, hold: f64, risk: BleedingRisk, ok: bool, renal: Option<Renal> },
    /// Last intake J−`days` against a hold of J−`hold` before noon, or earlier days.
    HoldNoon { drug: Drug, at: When, days: i64, hold: f64, risk: BleedingRisk, ok: bool, renal: Option<Renal> },
    /// Last intake `minutes` before the procedure against a hold in hours.
    HoldHours { drug: Drug, at: When, minutes: i64, hold: f64, risk: BleedingRisk, ok: bool, renal: Option<Renal> },
    /// INR to check `days` before (1: the day before).
    InrCheck { drug: Drug, days: Option<f64> },
    /// Aspirin before a procedure at `risk` (the case's effective risk).
    AspirinAdvisory { risk: BleedingRisk },
    /// A file value that lost to the stored one (re-import rule): blocking
    /// until a person keeps the stored value or takes the file's.
    FileConflict { item: String, value: String, at: NaiveDate, dated: bool },
    /// A postponed case shown in a later week has no slot there yet: its
    /// dossier was judged for `former`, and is judged again once it has one.
    NoSlotYet { former: NaiveDate },
    /// The INR threshold by access, the access asked for, a case's own
    /// bleeding risk: rendered in `risk_message.rs`.
    InrHighByAccess(super::risk_message::InrHighByAccess),
    CoagulationOkByAccess(super::risk_message::CoagulationOkByAccess),
    AccessMissing(super::risk_message::AccessMissing),
    RiskOverride(super::risk_message::RiskOverride),
}

/// `t!(fr, "English {x}", "Français {x}")`: the text in the language, with
/// the variables in scope (already written for that language).
macro_rules! t {
    ($fr:ident, $en:literal, $frs:literal) => {
        if $fr { format!($frs) } else { format!($en) }
    };
}

mod medication;

impl Msg {
    /// The message in `lang` (French numbers take a decimal comma, French
    /// spacing before `: ; ? !` and inside « »: `typo::finish`).
    pub fn render(&self, lang: Lang) -> String {
        crate::text::typo::finish(lang, crate::text::typo::Medium::Print, &self.words(lang))
    }

    /// The message's words, written with ordinary spaces.
    #[rustfmt::skip] // a table of texts: one arm per message, English then French
    fn words(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let n = |v: f64, decimals: usize| num(v, decimals, lang);
        let risk = |r: &BleedingRisk| risk_name(*r, lang);
        let tech = |t: &Technique| technique_name(*t, lang);
        let anaes = |a: &Anaesthesia| anaesthesia_name(*a, lang);
        let ev = |w: &Evidence| evidence(*w, lang);
        let who = |b: &Option<String>| b.as_deref().map(|b| format!(", {b}")).unwrap_or_default();
        match self {
            Msg::RuleMissing { rule, subject } => {
                let s = if subject == "*" { String::new() } else { format!(" ({subject})") };
                t!(fr, "rule {rule}{s} missing from the rules table", "règle {rule}{s} absente de la table des règles")
            }
            Msg::NoEvidence { what } => { let w = ev(what); t!(fr, "no {w} on file", "pas de {w} au dossier") }
            Msg::AfterProcedure { what, at } => {
                let (w, at) = (ev(what), when(*at, lang));
                t!(fr, "{w} {at}: dated after the procedure", "{w} du {at} : postérieur à l'acte")
            }
            Msg::Age(age) => age.render(lang),
            Msg::NoPlanningImaging => t!(fr,
                "no planning imaging (CT, MRI, PET-CT) on file",
                "pas d'imagerie de planification (TDM, IRM, TEP-TDM) au dossier"),
            Msg::ImagingNotPlanning { imaging, at } => {
                let (k, at) = (ev(&Evidence::Imaging(*imaging)), date(*at, lang));
                t!(fr, "no planning imaging (CT, MRI, PET-CT): only {k} {at}",
                    "pas d'imagerie de planification (TDM, IRM, TEP-TDM) : seulement {k} du {at}")
            }
            Msg::ValueMissing { value, what, at } => {
                let (w, at) = (ev(what), date(*at, lang));
                let v = match value {
                    Value::Neutrophils => pick(lang, "no blood count (neutrophils)", "pas de numération (neutrophiles)"),
                    Value::Egfr => pick(lang, "no creatinine (eGFR)", "pas de créatinine (DFG)"),
                    Value::Inr => pick(lang, "no INR", "pas d'INR"),
                    Value::Platelets => pick(lang, "no platelet count", "pas de plaquettes"),
                };
                t!(fr, "{v} in the {w} of {at}", "{v} dans le {w} du {at}")
            }
            Msg::BiologyOk { age, neutrophils, hemoglobin, egfr } => {
                let (a, ne, gfr) = (age.render(lang), n(*neutrophils, 1), n(*egfr, 0));
                let hb = hemoglobin.map(|h| format!(", Hb {} g/dL", n(h, 1))).unwrap_or_default();
                t!(fr, "{a}: neutrophils {ne} G/L{hb}, eGFR {gfr} mL/min/1.73 m²",
                    "{a} : neutrophiles {ne} G/L{hb}, DFG {gfr} mL/min/1,73 m²")
            }
            Msg::FileConflict { item, value, at, dated } => {
                let at = date(*at, lang);
                let item = crate::domain::reimport::Field::parse(item)
                    .map_or(item.as_str(), |f| f.label(lang));
                match (fr, dated) {
                    (false, true) => format!(
                        "conflicting value on file for {item}: {value}, {at} — keep or take"
                    ),
                    (false, false) => format!(
                        "conflicting value on file for {item}: {value} (sent {at}) — keep or take"
                    ),
                    (true, true) => format!(
                        "valeur du fichier en conflit pour {item} : {value}, {at} — garder ou prendre"
                    ),
                    (true, false) => format!(
                        "valeur du fichier en conflit pour {item} : {value} (envoyée le {at}) — garder ou prendre"
                    ),
                }
            }
            Msg::NoSlotYet { former } => {
                let former = date(*former, lang);
                t!(
                    fr,
                    "no slot in this week yet: judged for its former slot ({former}); judged again once it has one",
                    "pas encore de créneau dans cette semaine : jugé pour son ancien créneau ({former}) ; jugé de nouveau une fois reprogrammé"
                )
            }
            Msg::InrHighByAccess(m) => m.render(lang),
            Msg::CoagulationOkByAccess(m) => m.render(lang),
            Msg::AccessMissing(m) => m.render(lang),
            Msg::RiskOverride(m) => m.render(lang),
            Msg::NeutrophilsLow { value, min, at } => {
                let (v, m, at) = (n(*value, 1), n(*min, 1), date(*at, lang));
                t!(fr, "neutrophils {v} G/L < {m}, {at}", "neutrophiles {v} G/L < {m}, {at}")
            }
            Msg::Sepsis { at } => {
                let at = date(*at, lang);
                t!(fr, "ongoing sepsis reported, {at}", "sepsis en cours signalé, {at}")
            }
            Msg::EgfrLow { value, min, technique, at } => {
                let (v, m, te, at) = (n(*value, 0), n(*min, 0), tech(technique), date(*at, lang));
                t!(fr, "eGFR {v} < {m} mL/min/1.73 m² ({te}, contrast), {at}",
                    "DFG {v} < {m} mL/min/1,73 m² ({te}, produit de contraste), {at}")
            }
            Msg::EgfrProphylaxis { value, below, technique, at } => {
                let (v, b, te, at) = (n(*value, 0), n(*below, 0), tech(technique), date(*at, lang));
                t!(fr, "eGFR {v} < {b} mL/min/1.73 m² ({te}): prophylaxis to plan, {at}",
                    "DFG {v} < {b} mL/min/1,73 m² ({te}) : prévention à prévoir, {at}")
            }
            Msg::CoagulationOk { age, inr, inr_max, platelets, platelets_min } => {
                let a = age.render(lang);
                let (i, im, p, pm) = (n(*inr, 1), n(*inr_max, 1), n(*platelets, 0), n(*platelets_min, 0));
                t!(fr, "{a}: INR {i} ≤ {im}, platelets {p} G/L ≥ {pm}",
                    "{a} : INR {i} ≤ {im}, plaquettes {p} G/L ≥ {pm}")
            }
            Msg::InrHigh { value, max, risk: r, at } => {
                let (v, m, r, at) = (n(*value, 1), n(*max, 1), risk(r), date(*at, lang));
                t!(fr, "INR {v} > {m} ({r}), {at}", "INR {v} > {m} ({r}), {at}")
            }
            Msg::PlateletsLow { value, min, risk: r, at } => {
                let (v, m, r, at) = (n(*value, 0), n(*min, 0), risk(r), date(*at, lang));
                t!(fr, "platelets {v} G/L < {m} ({r}), {at}", "plaquettes {v} G/L < {m} ({r}), {at}")
            }
            Msg::AnaesthesiaNotRequired { anaesthesia } => {
                let a = anaes(anaesthesia);
                t!(fr, "anaesthesia consultation not required ({a})", "consultation d'anesthésie non requise ({a})")
            }
            Msg::AnaesthesiaMissing { anaesthesia } => {
                let a = anaes(anaesthesia);
                t!(fr, "no anaesthesia consultation on file (required: {a})",
                    "pas de consultation d'anesthésie au dossier (requise : {a})")
            }
            Msg::AnaesthesiaOk { at, days, anaesthesia, by } => {
                let (at, j, a, by) = (when(*at, lang), j_day(*days), anaes(anaesthesia), who(by));
                t!(fr, "anaesthesia consultation {at} ({j}{by}) for {a}",
                    "consultation d'anesthésie du {at} ({j}{by}) pour {a}")
            }
            Msg::AnaesthesiaTooLate { at, days, min } => {
                let (at, j, m) = (when(*at, lang), j_day(*days), j_day_f(*min));
                t!(fr, "anaesthesia consultation {at}, {j}: needs {m} or earlier",
                    "consultation d'anesthésie du {at}, {j} : il faut {m} ou avant")
            }
            Msg::ConsentGap { gap } => match gap {
                ConsentGap::Radiologist => t!(fr, "consultation: radiologist not recorded",
                    "consultation : radiologue non renseigné"),
                ConsentGap::Leaflet => t!(fr, "explanatory leaflet not recorded as given",
                    "fiche explicative non notée comme remise"),
                ConsentGap::Consent => t!(fr, "no consent recorded (signed or traced)",
                    "pas de consentement (signé ou tracé)"),
                ConsentGap::ConsentDate => t!(fr, "consent: date not recorded",
                    "consentement : date non renseignée"),
                ConsentGap::TracedBy => t!(fr, "traced consent: who obtained it is not recorded",
                    "consentement tracé : auteur non renseigné"),
                ConsentGap::TracedDetails => t!(fr, "traced consent: what was said is not recorded",
                    "consentement tracé : contenu de l'information non renseigné"),
            },
            Msg::ConsentBeforeConsultation { at, consultation } => {
                let (at, c) = (when(*at, lang), when(*consultation, lang));
                t!(fr, "consent {at} is dated before the consultation {c}",
                    "consentement du {at} daté avant la consultation du {c}")
            }
            Msg::ConsentOk { consent, at, by, radiologist: r } => {
                let (at, by) = (when(*at, lang), who(by));
                let k = match consent {
                    ConsentKind::Signed => pick(lang, "signed", "signé"),
                    ConsentKind::Traced => pick(lang, "traced", "tracé"),
                };
                t!(fr, "consent {k} {at}{by}; leaflet given; consultation with {r}",
                    "consentement {k} le {at}{by} ; fiche remise ; consultation avec {r}")
            }
            Msg::DelayTooShort { at, minutes, min_hours } => {
                let (c, e, m) = (consultation(*at, lang), relative(*minutes, lang), n(*min_hours, 0));
                t!(fr, "{c}, {e}: needs > {m} h", "{c}, {e} : il faut plus de {m} h")
            }
            Msg::DelayUnder { at, days, advise_days } => {
                let (c, d, a) = (consultation(*at, lang), days_before(*days, lang), n(*advise_days, 0));
                t!(fr, "{c}, {d} the procedure: reflection delay under {a} days",
                    "{c}, {d} l'acte : délai de réflexion inférieur à {a} jours")
            }
            Msg::DelayOk { at, days, min_hours } => {
                let (c, d, m) = (consultation(*at, lang), days_before(*days, lang), n(*min_hours, 0));
                t!(fr, "{c}, {d} the procedure (more than {m} h)", "{c}, {d} l'acte (plus de {m} h)")
            }
            Msg::MedicationsUnchecked | Msg::MedicationsNone | Msg::MedicationOther { .. }
            | Msg::CrclMissing { .. } | Msg::CrclForHold { .. } | Msg::CrclLow { .. }
            | Msg::Continued { .. } | Msg::NoLastIntake { .. } | Msg::HoldDays { .. }
            | Msg::HoldNoon { .. } | Msg::HoldHours { .. } | Msg::InrCheck { .. }
            | Msg::AspirinAdvisory { .. } => medication::render(self, lang),
        }
    }
}

impl Age {
    /// "CT 2026-10-01, 60 days before (max 42)" / "TDM du 01/10/2026, 60 jours avant (max 42)".
    pub fn render(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let (what, at) = (evidence(self.what, lang), date(self.at, lang));
        let (days, max) = (days_before(self.days, lang), num(self.max, 0, lang));
        let risk = self
            .risk
            .map(|r| format!(", {}", risk_name(r, lang)))
            .unwrap_or_default();
        t!(
            fr,
            "{what} {at}, {days} (max {max}{risk})",
            "{what} du {at}, {days} (max {max}{risk})"
        )
    }
}

fn pick(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// A number with at least `min_decimals` and at most three decimals, with a
/// decimal comma in French: 1.5 → "1.5", 50 → "50", 2 with one decimal → "2.0".
pub fn num(v: f64, min_decimals: usize, lang: Lang) -> String {
    let mut s = format!("{v:.3}");
    if let Some(dot) = s.find('.') {
        let keep = dot + 1 + min_decimals;
        while s.len() > keep && s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if lang == Lang::Fr {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A date as a person reads it (JJ/MM/AAAA in French, ISO in English).
fn date(d: NaiveDate, lang: Lang) -> String {
    crate::text::typo::date(lang, d)
}

/// A date, or a date and time: "2026-11-28 14:00", "28/11/2026 14:00".
fn when(w: When, lang: Lang) -> String {
    match w {
        When::Date(d) => date(d, lang),
        When::DateTime(dt) => crate::text::typo::date_time(lang, dt),
    }
}

/// A moment used for elapsed hours: a date alone counts as the end of its day.
fn counted(w: When, lang: Lang) -> String {
    match (w, lang) {
        (When::Date(d), Lang::En) => format!("{} (date only, counted 24:00)", date(d, lang)),
        (When::Date(d), Lang::Fr) => format!("{} (date seule, comptée à 24:00)", date(d, lang)),
        (When::DateTime(_), _) => when(w, lang),
    }
}

fn consultation(at: When, lang: Lang) -> String {
    let at = counted(at, lang);
    let fr = lang == Lang::Fr;
    t!(fr, "consultation {at}", "consultation du {at}")
}

/// A length of time in minutes as "32 h" or "47 h 59", whatever its sign
/// (the sign is for the caller to word: see [`relative`]).
fn hours(minutes: i64) -> String {
    let minutes = minutes.unsigned_abs();
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m:02}")
    }
}

/// Signed minutes from a moment to the procedure: "47 h 59 before the
/// procedure", or, when negative, "2 h 30 after the procedure".
fn relative(minutes_before: i64, lang: Lang) -> String {
    let (fr, e) = (lang == Lang::Fr, hours(minutes_before));
    if minutes_before < 0 {
        t!(fr, "{e} after the procedure", "{e} après l'acte")
    } else {
        t!(fr, "{e} before the procedure", "{e} avant l'acte")
    }
}

/// "60 days before", "1 day before", "the same day".
fn days_before(days: i64, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    match days {
        0 => t!(fr, "the same day", "le jour même"),
        1 => t!(fr, "1 day before", "1 jour avant"),
        d => t!(fr, "{d} days before", "{d} jours avant"),
    }
}

/// "J−3", "J", "J+1" (J = the procedure day).
fn j_day(days_before: i64) -> String {
    match days_before {
        0 => "J".to_string(),
        d if d > 0 => format!("J−{d}"),
        d => format!("J+{}", d.unsigned_abs()),
    }
}

fn j_day_f(days: f64) -> String {
    if days.fract() == 0.0 {
        j_day(days as i64)
    } else {
        format!("J−{days}")
    }
}

#[rustfmt::skip] // a glossary: English, French
pub fn evidence(what: Evidence, lang: Lang) -> &'static str {
    let p = |en, fr| pick(lang, en, fr);
    match what {
        Evidence::Imaging(ImagingKind::Ct) => p("CT", "TDM"),
        Evidence::Imaging(ImagingKind::Mri) => p("MRI", "IRM"),
        Evidence::Imaging(ImagingKind::PetCt) => p("PET-CT", "TEP-TDM"),
        Evidence::Imaging(ImagingKind::Radiograph) => p("radiograph", "radiographie"),
        Evidence::Imaging(ImagingKind::Ultrasound) => p("ultrasound", "échographie"),
        Evidence::Imaging(ImagingKind::BoneScan) => p("bone scan", "scintigraphie osseuse"),
        Evidence::Biology => p("biology", "bilan biologique"),
        Evidence::Coagulation => p("coagulation work-up", "bilan de coagulation"),
        Evidence::AnaesthesiaConsult => p("anaesthesia consultation", "consultation d'anesthésie"),
        Evidence::Consultation => p("pre-interventional consultation", "consultation pré-interventionnelle"),
        Evidence::Consent => p("consent", "consentement"),
    }
}

pub fn risk_name(risk: BleedingRisk, lang: Lang) -> &'static str {
    crate::text::vocab::risk_long(lang, risk)
}

pub fn anaesthesia_name(a: Anaesthesia, lang: Lang) -> &'static str {
    crate::text::Label::label(a, lang)
}

pub fn drug_name(d: Drug, lang: Lang) -> &'static str {
    crate::text::Label::label(d, lang)
}

pub fn technique_name(t: Technique, lang: Lang) -> &'static str {
    crate::text::Label::label(t, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip] // one row per case
    fn durations_read_the_same_whatever_their_sign() {
        let table = [
            (0, "0 h", "0 h before the procedure", "0 h avant l'acte"),
            (1, "0 h 01", "0 h 01 before the procedure", "0 h 01 avant l'acte"),
            (-1, "0 h 01", "0 h 01 after the procedure", "0 h 01 après l'acte"),
            (59, "0 h 59", "0 h 59 before the procedure", "0 h 59 avant l'acte"),
            (60, "1 h", "1 h before the procedure", "1 h avant l'acte"),
            (-60, "1 h", "1 h after the procedure", "1 h après l'acte"),
            (2879, "47 h 59", "47 h 59 before the procedure", "47 h 59 avant l'acte"),
            (-150, "2 h 30", "2 h 30 after the procedure", "2 h 30 après l'acte"),
            (-1441, "24 h 01", "24 h 01 after the procedure", "24 h 01 après l'acte"),
        ];
        for (minutes, h, en, fr) in table {
            assert_eq!(hours(minutes), h, "{minutes}");
            assert_eq!(relative(minutes, Lang::En), en, "{minutes}");
            assert_eq!(relative(minutes, Lang::Fr), fr, "{minutes}");
        }
        // The extremes do not overflow.
        assert_eq!(hours(i64::MIN), "153722867280912930 h 08");
        assert_eq!(relative(i64::MIN, Lang::En), "153722867280912930 h 08 after the procedure");
    }

    #[test]
    #[rustfmt::skip] // long expected strings
    fn negative_elapsed_times_say_after_the_procedure() {
        let at = When::parse("2026-12-01T11:00").expect("date-time");
        let msg = Msg::DelayTooShort { at, minutes: -150, min_hours: 48.0 };
        assert_eq!(msg.render(Lang::En),
            "consultation 2026-12-01 11:00, 2 h 30 after the procedure: needs > 48 h");
        assert_eq!(msg.render(Lang::Fr),
            "consultation du 01/12/2026 11:00, 2 h 30 après l'acte\u{a0}: il faut plus de 48 h");
        let msg = Msg::HoldHours {
            drug: Drug::LmwhProphylactic, at, minutes: -150, hold: 12.0, risk: BleedingRisk::High, ok: false, renal: None,
        };
        assert_eq!(msg.render(Lang::En),
            "LMWH (prophylactic dose): last intake 2026-12-01 11:00, 2 h 30 after the procedure, \
             needs ≥ 12 h (high bleeding risk)");
        assert_eq!(msg.render(Lang::Fr),
            "HBPM (dose préventive)\u{a0}: dernière prise 01/12/2026 11:00, 2 h 30 après l'acte, \
             il faut ≥ 12 h (risque hémorragique élevé)");
    }
}
