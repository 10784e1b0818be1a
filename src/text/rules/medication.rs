//! The messages of the medication item (anticoagulants and antiplatelets),
//! in French and English. A hold that depends on a value names it: the
//! bleeding risk always, the creatinine clearance when it chose the hold.

use super::{Hold, Lang, Msg, Renal, counted, drug_name, j_day, j_day_f, num, pick, relative};
use super::{risk_name, when};
use crate::domain::time::When;
use crate::domain::vocab::Drug;

/// A medication message in `lang`; `Msg::render` sends only the medication
/// variants here.
#[rustfmt::skip] // a table of texts: one arm per message, English then French
pub(super) fn render(msg: &Msg, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let n = |v: f64, decimals: usize| num(v, decimals, lang);
    let drug = |d: &Drug| drug_name(*d, lang);
    let risk = |r| risk_name(r, lang);
    let needs = |ok: bool| if ok { "" } else { pick(lang, "needs ", "il faut ") };
    let why = |renal: &Option<Renal>| renal.map(|r| because(r, lang)).unwrap_or_default();
    match msg {
        Msg::MedicationsUnchecked => t!(fr,
            "anticoagulants and antiplatelets not checked (no list)",
            "anticoagulants et antiagrégants non vérifiés (pas de liste)"),
        Msg::MedicationsNone => t!(fr,
            "no anticoagulant or antiplatelet taken", "aucun anticoagulant ni antiagrégant"),
        Msg::MedicationOther { name } => {
            let name = name.as_deref().unwrap_or(pick(lang, "(unnamed drug)", "(médicament sans nom)"));
            t!(fr, "check by hand: {name}", "à vérifier à la main\u{a0}: {name}")
        }
        Msg::CrclMissing { drug: d, min } => {
            let (d, m) = (drug(d), n(*min, 0));
            t!(fr, "{d}: CrCl needed (specialist advice below {m} mL/min)",
                "{d}\u{a0}: clairance de la créatinine nécessaire (avis spécialisé sous {m} mL/min)")
        }
        Msg::CrclForHold { drug: d, threshold } => {
            let (d, th) = (drug(d), n(*threshold, 0));
            t!(fr, "{d}: CrCl needed (a longer hold applies below {th} mL/min)",
                "{d}\u{a0}: clairance de la créatinine nécessaire (arrêt plus long sous {th} mL/min)")
        }
        Msg::CrclLow { drug: d, crcl, min } => {
            let (d, c, m) = (drug(d), n(*crcl, 0), n(*min, 0));
            t!(fr, "{d}: CrCl {c} < {m} mL/min, specialist advice needed",
                "{d}\u{a0}: ClCr {c} < {m} mL/min, avis spécialisé nécessaire")
        }
        Msg::Continued { drug: d, risk: r, last } => {
            let (d, r) = (drug(d), risk(*r));
            match last {
                None => t!(fr, "{d}: continued ({r})", "{d}\u{a0}: traitement poursuivi ({r})"),
                Some((at, n)) => {
                    let at = when(*at, lang);
                    t!(fr, "{d}: continued ({r}); last intake planned J−{n} ({at})",
                        "{d}\u{a0}: traitement poursuivi ({r})\u{202f}; dernière prise prévue J−{n} ({at})")
                }
            }
        }
        Msg::NoLastIntake { drug: d, hold, risk: r, renal } => {
            let (d, h, w, r) = (drug(d), hold_rule(*hold, lang), why(renal), risk(*r));
            t!(fr, "{d}: no planned last intake (needs {h}{w}, {r})",
                "{d}\u{a0}: pas de dernière prise prévue (il faut {h}{w}, {r})")
        }
        Msg::HoldDays { drug: d, at, days, hold, risk: r, ok, renal } => {
            let (d, j, at) = (drug(d), j_day(*days), when(*at, lang));
            let (h, w, r, needs) = (hold_rule(Hold::Days(*hold), lang), why(renal), risk(*r), needs(*ok));
            t!(fr, "{d}: last intake {j} ({at}), {needs}{h}{w} ({r})",
                "{d}\u{a0}: dernière prise {j} ({at}), {needs}{h}{w} ({r})")
        }
        Msg::HoldNoon { drug: d, at, days, hold, risk: r, ok, renal } => {
            let (d, j) = (drug(d), j_day(*days));
            // A date alone on the cut-off day is read as after noon: say so.
            let at = match at {
                When::Date(_) if *days as f64 == *hold => {
                    let at = when(*at, lang);
                    t!(fr, "{at}, no time: counted after 12:00", "{at}, sans heure\u{a0}: comptée après 12:00")
                }
                _ => when(*at, lang),
            };
            let (h, w, r, needs) = (hold_rule(Hold::DayNoon(*hold), lang), why(renal), risk(*r), needs(*ok));
            t!(fr, "{d}: last intake {j} ({at}), {needs}{h}{w} ({r})",
                "{d}\u{a0}: dernière prise {j} ({at}), {needs}{h}{w} ({r})")
        }
        Msg::HoldHours { drug: d, at, minutes, hold, risk: r, ok, renal } => {
            let (d, at, e) = (drug(d), counted(*at, lang), relative(*minutes, lang));
            let (h, w, r, needs) = (hold_rule(Hold::Hours(*hold), lang), why(renal), risk(*r), needs(*ok));
            t!(fr, "{d}: last intake {at}, {e}, {needs}{h}{w} ({r})",
                "{d}\u{a0}: dernière prise {at}, {e}, {needs}{h}{w} ({r})")
        }
        Msg::InrCheck { drug: d, days } => {
            let d = drug(d);
            match days {
                Some(n) if *n == 1.0 => t!(fr, "{d}: INR to check the day before", "{d}\u{a0}: INR à contrôler la veille"),
                Some(n) => { let j = j_day_f(*n); t!(fr, "{d}: INR to check on {j}", "{d}\u{a0}: INR à contrôler à {j}") }
                None => t!(fr, "{d}: INR to check before the procedure", "{d}\u{a0}: INR à contrôler avant l'acte"),
            }
        }
        // Worded as domain.md §3 item 7 (SIR 2019; GIHP/GFHT/SFAR 2018).
        Msg::AspirinAdvisory { risk: r } => {
            let (a, r) = (drug(&Drug::Aspirin), risk(*r));
            t!(fr, "{a} ({r}): SIR 2019 suggests holding 3–5 days; French practice usually continues it",
                "{a} ({r})\u{a0}: la SIR 2019 suggère de l'arrêter 3 à 5 jours\u{202f}; la pratique française la poursuit le plus souvent")
        }
        // Not a medication message: `Msg::render` never sends one here.
        other => format!("{other:?}"),
    }
}

/// "J−3 or earlier" / "J−2 or earlier, or J−1 before 12:00" / "≥ 24 h".
pub(super) fn hold_rule(hold: Hold, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    match hold {
        Hold::Days(d) => {
            let j = j_day_f(d);
            t!(fr, "{j} or earlier", "{j} ou avant")
        }
        Hold::DayNoon(d) => {
            let (earlier, j) = (j_day_f(d + 1.0), j_day_f(d));
            t!(
                fr,
                "{earlier} or earlier, or {j} before 12:00",
                "{earlier} ou avant, ou {j} avant 12:00"
            )
        }
        Hold::Hours(h) => format!("≥ {} h", num(h, 0, lang)),
    }
}

/// " because CrCl 42 mL/min < 50": the value that chose the hold.
fn because(r: Renal, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let (c, th) = (num(r.crcl, 0, lang), num(r.threshold, 0, lang));
    let cmp = if r.crcl < r.threshold { "<" } else { "≥" };
    t!(
        fr,
        " because CrCl {c} mL/min {cmp} {th}",
        " car ClCr {c} mL/min {cmp} {th}"
    )
}
