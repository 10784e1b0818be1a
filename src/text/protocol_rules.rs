//! What each rule of the engine (`KNOWN_RULES`) means, in one sentence per
//! language, for the local protocol's document (domain.md §3).

use crate::text::Lang;

/// The sentence for `rule`; None for a rule the engine does not know
/// (refused at load anyway).
pub fn description(lang: Lang, rule: &str) -> Option<&'static str> {
    let (en, fr) = match rule {
        "technique.bleeding_risk" => (
            "Each technique's bleeding risk (SIR 2019), which sets the coagulation thresholds and the drug holds that apply; a combined procedure takes the highest of its techniques.",
            "Le risque hémorragique de chaque technique (SIR 2019), qui fixe les seuils de coagulation et les arrêts de traitement applicables\u{202f}; un geste combiné prend le plus élevé de ses techniques.",
        ),
        "technique.risk_per_case" => (
            "A technique whose bleeding risk is judged per case: only for it may a case set a risk lower than the technique's.",
            "Une technique dont le risque hémorragique se juge au cas par cas\u{a0}: pour elle seule, un dossier peut fixer un risque plus faible que celui de la technique.",
        ),
        "technique.arterial_access" => (
            "An arterial technique, whose low-risk INR threshold depends on the access route; with no access recorded, the strictest threshold applies and an advisory asks for the access.",
            "Une technique artérielle, dont le seuil d'INR à faible risque dépend de l'abord\u{202f}; sans abord enregistré, le seuil le plus strict s'applique et une alerte demande l'abord.",
        ),
        "technique.duration" => (
            "The usual duration of a technique, for the end times of the exported programme.",
            "La durée habituelle d'une technique, pour les heures de fin du programme exporté.",
        ),
        "imaging.max_age" => (
            "The planning imaging (CT, MRI, PET-CT) must be dated at most this many days before the procedure.",
            "L'imagerie de planification (scanner, IRM, TEP-TDM) doit dater d'au plus ce nombre de jours avant le geste.",
        ),
        "biology.max_age" => (
            "The blood count and the creatinine must be dated at most this many days before the procedure.",
            "La numération formule sanguine et la créatinine doivent dater d'au plus ce nombre de jours avant le geste.",
        ),
        "biology.neutrophils_min" => (
            "Neutrophils below this count block the case (leucopenia is a contraindication).",
            "Des neutrophiles sous ce seuil bloquent le dossier (la leucopénie est une contre-indication).",
        ),
        "biology.sepsis" => (
            "An ongoing sepsis blocks the case.",
            "Un sepsis en cours bloque le dossier.",
        ),
        "biology.egfr_block_below" => (
            "For a procedure with contrast, an eGFR below this value blocks the case.",
            "Pour un geste avec produit de contraste, un DFG sous cette valeur bloque le dossier.",
        ),
        "biology.egfr_advise_below" => (
            "For a procedure with contrast, an eGFR below this value (and not below the blocking one) is an advisory: prophylaxis to plan.",
            "Pour un geste avec produit de contraste, un DFG sous cette valeur (sans être sous le seuil bloquant) est à signaler\u{a0}: une prévention est à prévoir.",
        ),
        "coagulation.max_age" => (
            "The INR and the platelet count must be dated at most this many days before the procedure, by bleeding risk.",
            "L'INR et les plaquettes doivent dater d'au plus ce nombre de jours avant le geste, selon le risque hémorragique.",
        ),
        "coagulation.inr_max" => (
            "The highest INR allowed, by bleeding risk.",
            "L'INR le plus élevé admis, selon le risque hémorragique.",
        ),
        "coagulation.inr_max_arterial" => (
            "The highest INR allowed for a low-risk arterial procedure, by access route; with no access recorded, the femoral one (the stricter) applies.",
            "L'INR le plus élevé admis pour un geste artériel à faible risque, selon l'abord\u{202f}; sans abord enregistré, celui du fémoral (le plus strict) s'applique.",
        ),
        "coagulation.platelets_min" => (
            "The lowest platelet count allowed, by bleeding risk.",
            "Le nombre de plaquettes le plus bas admis, selon le risque hémorragique.",
        ),
        "anaesthesia.required" => (
            "An anaesthesia consultation is required for this planned anaesthesia.",
            "Une consultation d'anesthésie est requise pour cette anesthésie prévue.",
        ),
        "anaesthesia.min_days_before" => (
            "The anaesthesia consultation must take place at least this many days before the procedure (\"plusieurs jours avant\").",
            "La consultation d'anesthésie doit avoir lieu au moins ce nombre de jours avant le geste («\u{202f}plusieurs jours avant\u{202f}»).",
        ),
        "anaesthesia.max_age" => (
            "The anaesthesia consultation stays valid this many days.",
            "La consultation d'anesthésie reste valable ce nombre de jours.",
        ),
        "consent.required" => (
            "The pre-interventional consultation, the explanatory leaflet handed over and a signed consent (or its traced proof) are required.",
            "La consultation pré-interventionnelle, la remise de la fiche explicative et un consentement signé (ou sa preuve tracée) sont requis.",
        ),
        "delay.min_hours" => (
            "The pre-interventional consultation must take place more than this long before the procedure (the reflection delay).",
            "La consultation pré-interventionnelle doit avoir lieu plus de ce délai avant le geste (le délai de réflexion).",
        ),
        "delay.advise_below" => (
            "A reflection delay shorter than this many days is an advisory.",
            "Un délai de réflexion de moins de ce nombre de jours est à signaler.",
        ),
        "medication.hold" => (
            "The last intake of this drug must fall at least this long before the procedure (J−n: day J minus n days), by bleeding risk.",
            "La dernière prise de ce médicament doit précéder le geste d'au moins ce délai (J−n\u{a0}: le jour J moins n jours), selon le risque hémorragique.",
        ),
        "medication.hold_renal" => (
            "The hold that applies instead when the creatinine clearance is below the renal threshold.",
            "L'arrêt qui s'applique à la place quand la clairance de la créatinine est sous le seuil rénal.",
        ),
        "medication.renal_threshold" => (
            "The creatinine clearance below which the hold by clearance applies.",
            "La clairance de la créatinine sous laquelle s'applique l'arrêt selon la clairance.",
        ),
        "medication.crcl_min" => (
            "A creatinine clearance is needed for this drug; below this value, specialist advice is required.",
            "Une clairance de la créatinine est nécessaire pour ce médicament\u{202f}; sous cette valeur, un avis spécialisé est requis.",
        ),
        "medication.inr_check" => (
            "An advisory: the INR is to be checked this many days before the procedure.",
            "À signaler\u{a0}: l'INR est à contrôler ce nombre de jours avant le geste.",
        ),
        "medication.aspirin_advisory" => (
            "Aspirin before a high-risk procedure is an advisory, never blocking: SIR 2019 suggests holding it 3–5 days; French practice usually continues it.",
            "L'aspirine avant un geste à haut risque est à signaler, jamais bloquante\u{a0}: la SIR 2019 propose de l'arrêter 3 à 5 jours\u{202f}; la pratique française la poursuit le plus souvent.",
        ),
        "medication.other" => (
            "A drug the rules do not know is to be checked by hand.",
            "Un médicament que les règles ne connaissent pas est à vérifier à la main.",
        ),
        "meeting.quorum" => (
            "At least this many people of this role must be present at the meeting.",
            "Au moins ce nombre de personnes de ce rôle doivent être présentes à la réunion.",
        ),
        _ => return None,
    };
    Some(lang.pick(en, fr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_rule_is_described_in_each_language() {
        for spec in crate::domain::rules::table::KNOWN_RULES {
            let en = description(Lang::En, spec.rule);
            let fr = description(Lang::Fr, spec.rule);
            assert!(en.is_some_and(|s| s.ends_with('.')), "{}", spec.rule);
            assert!(fr.is_some_and(|s| s.ends_with('.')), "{}", spec.rule);
            assert_ne!(en, fr, "{}", spec.rule);
        }
        assert_eq!(description(Lang::En, "no.such_rule"), None);
    }
}
