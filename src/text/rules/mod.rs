//! The dossier messages in words, French and English: a
//! [`Msg`](crate::domain::rules::Msg) carries the evidence (dates, values,
//! thresholds, drug, risk), `Msg::render` writes it in a language. French
//! numbers take a decimal comma.

use chrono::NaiveDate;

use crate::domain::message::Lang;
use crate::domain::rules::ItemResult;
use crate::domain::rules::message::{Age, ConsentGap, Evidence, Hold, Msg, OwnDates, Renal, Value};
use crate::domain::time::When;
use crate::domain::vocab::{Anaesthesia, BleedingRisk, ConsentKind, Drug, ImagingKind, Technique};

/// `t!(fr, "English {x}", "Français {x}")`: the text in the language, with
/// the variables in scope (already written for that language).
macro_rules! t {
    ($fr:ident, $en:literal, $frs:literal) => {
        if $fr { format!($frs) } else { format!($en) }
    };
}

mod lab;
mod medication;
mod risk;

pub use lab::analyte_name;
pub use lab::unusable as unusable_lab;
pub use risk::access_name;

impl ItemResult {
    /// Every finding's message, joined with "; ".
    pub fn message(&self, lang: Lang) -> String {
        let parts: Vec<String> = self.findings.iter().map(|f| f.msg.render(lang)).collect();
        crate::text::typo::clauses(lang, &parts)
    }
}

impl Msg {
    /// The message in `lang` (French numbers take a decimal comma).
    #[rustfmt::skip] // a table of texts: one arm per message, English then French
    pub fn render(&self, lang: Lang) -> String {
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
                t!(fr, "{w} {at}: dated after the procedure", "{w} du {at}\u{a0}: postérieur à l'acte")
            }
            Msg::Age(age) => age.render(lang),
            Msg::NoPlanningImaging => t!(fr,
                "no planning imaging (CT, MRI, PET-CT) on file",
                "pas d'imagerie de planification (TDM, IRM, TEP-TDM) au dossier"),
            Msg::ImagingNotPlanning { imaging, at } => {
                let (k, at) = (ev(&Evidence::Imaging(*imaging)), date(*at, lang));
                t!(fr, "no planning imaging (CT, MRI, PET-CT): only {k} {at}",
                    "pas d'imagerie de planification (TDM, IRM, TEP-TDM)\u{a0}: seulement {k} du {at}")
            }
            Msg::ValueMissing { value, what, at } => {
                let (w, at) = (ev(what), date(*at, lang));
                let v = match value {
                    Value::Neutrophils => pick(lang, "no blood count (neutrophils)", "pas de numération (neutrophiles)"),
                    Value::Egfr => pick(lang, "no creatinine (eGFR)", "pas de créatinine (DFG)"),
                    Value::Inr => pick(lang, "no INR", "pas d'INR"),
                    Value::Platelets => pick(lang, "no platelet count", "pas de plaquettes"),
                    Value::Haemoglobin => pick(lang, "no haemoglobin", "pas d'hémoglobine"),
                    Value::Creatinine => pick(lang, "no creatinine", "pas de créatinine"),
                };
                t!(fr, "{v} in the {w} of {at}", "{v} dans le {w} du {at}")
            }
            Msg::BiologyOk { age, neutrophils, hemoglobin, creatinine, egfr, dates } => {
                let own = |v: Value| own_date(dates, v, lang);
                let (a, ne, gfr) = (age.render(lang), n(*neutrophils, 1), n(*egfr, 0));
                let (one, four) = (own(Value::Neutrophils), own(Value::Egfr));
                let hb = hemoglobin.map(|h| format!(", Hb {} g/dL{}", n(h, 1), own(Value::Haemoglobin))).unwrap_or_default();
                let cr = creatinine.map(|c| (n(c, 0), own(Value::Creatinine))).map(|(c, o)|
                    t!(fr, ", creatinine {c} µmol/L{o}", ", créatinine {c} µmol/L{o}")).unwrap_or_default();
                t!(fr, "{a}: neutrophils {ne} G/L{one}{hb}{cr}, eGFR {gfr} mL/min/1.73 m²{four}",
                    "{a}\u{a0}: neutrophiles {ne} G/L{one}{hb}{cr}, DFG {gfr} mL/min/1,73 m²{four}")
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
                        "valeur du fichier en conflit pour {item}\u{a0}: {value}, {at} — garder ou prendre"
                    ),
                    (true, false) => format!(
                        "valeur du fichier en conflit pour {item}\u{a0}: {value} (envoyée le {at}) — garder ou prendre"
                    ),
                }
            }
            Msg::NoSlotYet { former } => {
                let former = date(*former, lang);
                t!(
                    fr,
                    "no slot in this week yet: judged for its former slot ({former}); judged again once it has one",
                    "pas encore de créneau dans cette semaine\u{a0}: jugé pour son ancien créneau ({former})\u{202f}; jugé de nouveau une fois reprogrammé"
                )
            }
            Msg::Deceased { on, month_only: false } => {
                let on = date(*on, lang);
                t!(fr, "patient deceased: to cancel (died on {on})",
                    "patient décédé\u{a0}: à annuler (décès le {on})")
            }
            Msg::Deceased { on, month_only: true } => {
                let on = crate::text::followup::month(lang, *on);
                t!(fr, "patient deceased: to cancel (died in {on})",
                    "patient décédé\u{a0}: à annuler (décès en {on})")
            }
            Msg::TechniqueToMap { codes } if codes.is_empty() => t!(fr,
                "technique to define: the hospital system sent no service code",
                "technique à définir\u{a0}: le SIH n'a envoyé aucun code de prestation"),
            Msg::TechniqueToMap { codes } => {
                let list = codes.iter().map(|c| crate::text::typo::quoted(lang, c)).collect::<Vec<_>>().join(", ");
                match (fr, codes.len() > 1) {
                    (false, false) => format!("technique to define: hospital system code {list} not mapped (feeds map-service)"),
                    (false, true) => format!("technique to define: hospital system codes {list} not mapped (feeds map-service)"),
                    (true, false) => format!("technique à définir\u{a0}: code SIH {list} non associé (feeds map-service)"),
                    (true, true) => format!("technique à définir\u{a0}: codes SIH {list} non associés (feeds map-service)"),
                }
            }
            Msg::IdentityChanged { on, changes, by_file } => {
                crate::text::feeds::identity_changed(lang, *on, changes, by_file.as_deref())
            }
            Msg::LabUnusable(u) => lab::unusable(u, lang),
            Msg::AnaesthesiaAssumed { anaesthesia } => {
                let a = anaes(anaesthesia);
                t!(fr, "anaesthesia not sent by the hospital system: {a} assumed, to check",
                    "anesthésie non transmise par le SIH\u{a0}: {a} supposée, à vérifier")
            }
            Msg::ChangedAfterDecision(c) => crate::text::feeds::changed_after_decision(lang, c),
            Msg::TargetNotSent => t!(fr, "target not sent by the hospital system: to complete",
                "cible non transmise par le SIH\u{a0}: à compléter"),
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
                    "DFG {v} < {b} mL/min/1,73 m² ({te})\u{a0}: prévention à prévoir, {at}")
            }
            Msg::CoagulationOk { age, inr, inr_max, platelets, platelets_min, dates } => {
                let a = age.render(lang);
                let (i, im, p, pm) = (n(*inr, 1), n(*inr_max, 1), n(*platelets, 0), n(*platelets_min, 0));
                let (oi, op) = (own_date(dates, Value::Inr, lang), own_date(dates, Value::Platelets, lang));
                t!(fr, "{a}: INR {i}{oi} ≤ {im}, platelets {p} G/L{op} ≥ {pm}",
                    "{a}\u{a0}: INR {i}{oi} ≤ {im}, plaquettes {p} G/L{op} ≥ {pm}")
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
                    "pas de consultation d'anesthésie au dossier (requise\u{a0}: {a})")
            }
            Msg::AnaesthesiaOk { at, days, anaesthesia, by, transcribed_by, fit } => {
                let (at, j, a, by) = (when(*at, lang), j_day(*days), anaes(anaesthesia), who(by));
                let tr = transcribed_by.as_deref().map(|t| t!(fr, ", transcribed by {t}", ", transcrite par {t}")).unwrap_or_default();
                let fit = if *fit { t!(fr, ": fit", "\u{a0}: apte") } else { String::new() };
                t!(fr, "anaesthesia consultation {at} ({j}{by}{tr}) for {a}{fit}",
                    "consultation d'anesthésie du {at} ({j}{by}{tr}) pour {a}{fit}")
            }
            Msg::AnaesthesiaNotFit { at } => {
                let at = when(*at, lang);
                t!(fr, "anaesthesia consultation {at}: not fit for the procedure, to discuss at the committee",
                    "consultation d'anesthésie du {at}\u{a0}: non apte à l'acte, à discuter en comité")
            }
            Msg::AnaesthesiaConditions { conditions } => {
                t!(fr, "fit with conditions: {conditions}", "apte sous conditions\u{a0}: {conditions}")
            }
            Msg::AnaesthesiaTooLate { at, days, min } => {
                let (at, j, m) = (when(*at, lang), j_day(*days), j_day_f(*min));
                t!(fr, "anaesthesia consultation {at}, {j}: needs {m} or earlier",
                    "consultation d'anesthésie du {at}, {j}\u{a0}: il faut {m} ou avant")
            }
            Msg::ConsentGap { gap } => match gap {
                ConsentGap::Radiologist => t!(fr, "consultation: radiologist not recorded",
                    "consultation\u{a0}: radiologue non renseigné"),
                ConsentGap::Leaflet => t!(fr, "explanatory leaflet not recorded as given",
                    "fiche explicative non notée comme remise"),
                ConsentGap::Consent => t!(fr, "no consent recorded (signed or traced)",
                    "pas de consentement (signé ou tracé)"),
                ConsentGap::ConsentDate => t!(fr, "consent: date not recorded",
                    "consentement\u{a0}: date non renseignée"),
                ConsentGap::TracedBy => t!(fr, "traced consent: who obtained it is not recorded",
                    "consentement tracé\u{a0}: auteur non renseigné"),
                ConsentGap::TracedDetails => t!(fr, "traced consent: what was said is not recorded",
                    "consentement tracé\u{a0}: contenu de l'information non renseigné"),
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
                    "consentement {k} le {at}{by}\u{202f}; fiche remise\u{202f}; consultation avec {r}")
            }
            Msg::DelayTooShort { at, minutes, min_hours } => {
                let (c, e, m) = (consultation(*at, lang), relative(*minutes, lang), n(*min_hours, 0));
                t!(fr, "{c}, {e}: needs > {m} h", "{c}, {e}\u{a0}: il faut plus de {m} h")
            }
            Msg::DelayUnder { at, days, advise_days } => {
                let (c, d, a) = (consultation(*at, lang), days_before(*days, lang), n(*advise_days, 0));
                t!(fr, "{c}, {d} the procedure: reflection delay under {a} days",
                    "{c}, {d} l'acte\u{a0}: délai de réflexion inférieur à {a} jours")
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

/// A value's own date when it differs from the one its message shows:
/// " (2026-11-28)" / " (du 28/11/2026)"; "" otherwise.
pub fn own_date(dates: &OwnDates, value: Value, lang: Lang) -> String {
    match dates.get(value) {
        Some(at) => {
            let (fr, at) = (lang == Lang::Fr, date(at, lang));
            t!(fr, " ({at})", " (du {at})")
        }
        None => String::new(),
    }
}

/// A value of a work-up by its name: "platelets" / "plaquettes".
pub fn value_name(value: Value, lang: Lang) -> &'static str {
    match value {
        Value::Neutrophils => pick(lang, "neutrophils", "neutrophiles"),
        Value::Egfr => pick(lang, "eGFR", "DFG"),
        Value::Inr => "INR",
        Value::Platelets => pick(lang, "platelets", "plaquettes"),
        Value::Haemoglobin => "Hb",
        Value::Creatinine => pick(lang, "creatinine", "créatinine"),
    }
}

impl Age {
    /// "CT 2026-10-01, 60 days before (max 42)" / "TDM du 01/10/2026, 60 jours avant (max 42)";
    /// a value judged on its own date is named: "platelets 2026-11-10, …".
    pub fn render(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let what = match self.value {
            Some(v) => value_name(v, lang),
            None => evidence(self.what, lang),
        };
        let at = date(self.at, lang);
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
