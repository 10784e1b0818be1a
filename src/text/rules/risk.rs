//! The messages about bleeding risk and access in words: the INR threshold
//! by access, the access asked for, a case's own bleeding risk.

use super::{num, risk_name, technique_name};
use crate::domain::message::Lang;
use crate::domain::rules::message::Value;
use crate::domain::rules::risk_message::{
    AccessMissing, ByAccess, CoagulationOkByAccess, InrHighByAccess, RiskOverride, Setter,
};
use crate::domain::vocab::{Access, BleedingRisk};

/// "femoral access" / "abord fémoral".
pub fn access_name(access: Access, lang: Lang) -> &'static str {
    match (access, lang) {
        (Access::Femoral, Lang::En) => "femoral access",
        (Access::Radial, Lang::En) => "radial access",
        (Access::Venous, Lang::En) => "venous access",
        (Access::Percutaneous, Lang::En) => "percutaneous access",
        (Access::Femoral, Lang::Fr) => "abord fémoral",
        (Access::Radial, Lang::Fr) => "abord radial",
        (Access::Venous, Lang::Fr) => "abord veineux",
        (Access::Percutaneous, Lang::Fr) => "abord percutané",
    }
}

/// "low" / "faible": a risk as a bare word.
fn risk_word(risk: BleedingRisk, lang: Lang) -> &'static str {
    match (risk, lang) {
        (BleedingRisk::Low, Lang::En) => "low",
        (BleedingRisk::High, Lang::En) => "high",
        (BleedingRisk::Low, Lang::Fr) => "faible",
        (BleedingRisk::High, Lang::Fr) => "élevé",
    }
}

impl ByAccess {
    /// "femoral access" / "femoral access assumed" (the advisory says why).
    pub fn render(&self, lang: Lang) -> String {
        let (fr, a) = (lang == Lang::Fr, access_name(self.access, lang));
        if self.assumed {
            t!(fr, "{a} assumed", "{a} supposé")
        } else {
            a.to_owned()
        }
    }
}

impl InrHighByAccess {
    pub fn render(&self, lang: Lang) -> String {
        let (v, m) = (num(self.value, 1, lang), num(self.max, 1, lang));
        let (r, a) = (risk_name(self.risk, lang), self.access.render(lang));
        let at = crate::text::typo::date(lang, self.at);
        format!("INR {v} > {m} ({r}, {a}), {at}")
    }
}

impl CoagulationOkByAccess {
    pub fn render(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let (age, acc) = (self.age.render(lang), self.access.render(lang));
        let (i, im) = (num(self.inr, 1, lang), num(self.inr_max, 1, lang));
        let (p, pm) = (
            num(self.platelets, 0, lang),
            num(self.platelets_min, 0, lang),
        );
        let oi = super::own_date(&self.dates, Value::Inr, lang);
        let op = super::own_date(&self.dates, Value::Platelets, lang);
        t!(
            fr,
            "{age}: INR {i}{oi} ≤ {im} ({acc}), platelets {p} G/L{op} ≥ {pm}",
            "{age}\u{a0}: INR {i}{oi} ≤ {im} ({acc}), plaquettes {p} G/L{op} ≥ {pm}"
        )
    }
}

impl AccessMissing {
    pub fn render(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let (te, a) = (
            technique_name(self.technique, lang),
            access_name(self.assumed, lang),
        );
        let (m, r) = (num(self.inr_max, 1, lang), risk_name(self.risk, lang));
        t!(
            fr,
            "{te}: no access recorded, judged as {a} (INR ≤ {m}, {r}); record the access (form: procedure)",
            "{te}\u{a0}: abord non renseigné, jugé comme {a} (INR ≤ {m}, {r})\u{202f}; renseigner l'abord (formulaire\u{a0}: procédure)"
        )
    }
}

impl Setter {
    /// " by alice on 2026-11-20 (import:week.json)".
    fn render(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let login = &self.login;
        let mut s = t!(fr, " by {login}", " par {login}");
        if let Some(on) = self.on {
            let on = crate::text::typo::date(lang, on);
            s.push_str(&t!(fr, " on {on}", " le {on}"));
        }
        if let Some(source) = &self.source {
            s.push_str(&format!(" ({source})"));
        }
        s
    }
}

impl RiskOverride {
    pub fn render(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let set = risk_word(self.set, lang);
        let by = self.by.as_ref().map(|b| b.render(lang)).unwrap_or_default();
        if !self.ignored {
            let tech = risk_word(self.techniques, lang);
            return t!(
                fr,
                "bleeding risk set to {set} for this case{by}; its techniques give {tech}",
                "risque hémorragique fixé à {set} pour ce cas{by}\u{202f}; ses techniques donnent {tech}"
            );
        }
        let applied = risk_name(self.techniques, lang);
        let why = match self.technique {
            Some(t) => {
                let te = technique_name(t, lang);
                t!(
                    fr,
                    "the risk of {te} is not judged per case",
                    "le risque de {te} n'est pas jugé au cas par cas"
                )
            }
            None => t!(fr, "no technique recorded", "aucune technique renseignée"),
        };
        t!(
            fr,
            "bleeding risk {set} set for this case{by} is ignored: {why}; {applied} applies",
            "risque hémorragique {set} fixé pour ce cas{by} ignoré\u{a0}: {why}\u{202f}; {applied} retenu"
        )
    }
}
