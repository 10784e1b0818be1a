//! What the command line prints: its failure line and the audit
//! verification's lines.

use super::typo::{self, plural};
use super::{Lang, Localized};

/// `ir-committee: error: …` (French spacing applied; `message` is already
/// one line).
pub fn error_line(lang: Lang, message: &str) -> String {
    let head = lang.pick(
        "ir-committee: error: ",
        "ir-committee\u{a0}: erreur\u{a0}: ",
    );
    typo::finish(lang, typo::Medium::Print, &format!("{head}{message}"))
}

/// A usage mistake reported by the argument parser (its own words, which
/// stay English: clap has no French), with the pointer to `--help`.
pub fn usage_line(lang: Lang, clap_says: &str) -> String {
    let see = lang.pick("see --help", "voir --help");
    error_line(lang, &format!("{clap_says} ({see})"))
}

/// The output could not be written.
pub fn cannot_write_output(lang: Lang, why: &std::io::Error) -> String {
    lang.pick(
        format!("cannot write the output: {why}"),
        format!("impossible d'écrire la sortie\u{a0}: {why}"),
    )
}

impl Localized for crate::cli::CliError {
    fn in_lang(&self, lang: Lang) -> String {
        use crate::cli::CliError as E;
        match self {
            E::Storage(e) => e.in_lang(lang),
            E::Export(e) => e.in_lang(lang),
            E::Output(e) => cannot_write_output(lang, e),
            // Already in the user's language where they were made.
            E::Usage(s) | E::Refused(s) | E::Audit(s) | E::Feed(s) => s.clone(),
            E::Import(e) => e.in_lang(lang),
            E::Demo(e) => e.in_lang(lang),
            E::Tui(e) => e.in_lang(lang),
            E::OptionNotFor { option, action } => lang.pick(
                format!("{option} does not apply to `decide … {action}`"),
                format!("{option} ne s'applique pas à `decide … {action}`"),
            ),
            E::TooManySynthetic { asked, max } => lang.pick(
                format!("--synthetic {asked} is more than {max} cases"),
                format!("--synthetic {asked} dépasse {max} dossiers"),
            ),
            E::NeedsTerminal => lang
                .pick(
                    "the screen needs a terminal; for a report use `ir-committee check`",
                    "l'écran a besoin d'un terminal\u{202f}; pour un rapport, utilisez `ir-committee check`",
                )
                .to_owned(),
            E::NotAnItem { item } => {
                let all: Vec<&str> = crate::domain::reimport::Field::all()
                    .map(crate::domain::reimport::Field::as_str)
                    .collect();
                let all = all.join(", ");
                lang.pick(
                    format!("'{item}' is not an item: one of {all}"),
                    format!("«\u{202f}{item}\u{202f}» n'est pas un élément\u{a0}: l'un de {all}"),
                )
            }
        }
    }
}

/// `audit --verify`'s lines.
pub mod audit {
    use super::*;

    /// A line as printed (French spacing).
    pub fn printed(lang: Lang, line: &str) -> String {
        typo::finish(lang, typo::Medium::Print, line)
    }

    fn rows(lang: Lang, n: u64) -> String {
        format!(
            "{n} {}",
            plural(
                lang,
                n,
                lang.pick("row", "ligne"),
                lang.pick("rows", "lignes")
            )
        )
    }

    pub fn trail_intact(lang: Lang, n: u64, head: &str, anchor_row: Option<i64>) -> String {
        let rows = rows(lang, n);
        let mut line = lang.pick(
            format!("audit trail intact: {rows}, head {head}"),
            format!("journal d'audit intact\u{a0}: {rows}, tête {head}"),
        );
        if let Some(id) = anchor_row {
            line.push_str(&lang.pick(
                format!("; anchor found at row {id}"),
                format!("\u{202f}; ancre trouvée à la ligne {id}"),
            ));
        }
        line
    }

    pub fn trail_broken(lang: Lang, id: i64, reason: &str) -> String {
        lang.pick(
            format!("audit trail broken at row {id}: {reason}"),
            format!("journal d'audit rompu à la ligne {id}\u{a0}: {reason}"),
        )
    }

    pub fn anchor_not_found(lang: Lang, n: u64) -> String {
        let rows = rows(lang, n);
        lang.pick(
            format!("anchor not found: no row of the audit trail ({rows}, chain intact) has that hash; the trail was rewritten after the anchor was taken, or the anchor is mistyped"),
            format!("ancre introuvable\u{a0}: aucune ligne du journal d'audit ({rows}, chaîne intacte) n'a cette empreinte\u{202f}; le journal a été réécrit après la prise de l'ancre, ou l'ancre est mal recopiée"),
        )
    }

    pub fn trace_intact(lang: Lang, n: u64, head: &str, pruned_through: Option<i64>) -> String {
        let rows = rows(lang, n);
        let mut line = lang.pick(
            format!("read trace intact: {rows}, head {head}"),
            format!("trace des lectures intacte\u{a0}: {rows}, tête {head}"),
        );
        if let Some(n) = pruned_through {
            line.push_str(&lang.pick(
                format!(" (pruned through row {n})"),
                format!(" (purgée jusqu'à la ligne {n})"),
            ));
        }
        line
    }

    pub fn trace_broken(lang: Lang, id: i64, reason: &str) -> String {
        lang.pick(
            format!("read trace broken at row {id}: {reason}"),
            format!("trace des lectures rompue à la ligne {id}\u{a0}: {reason}"),
        )
    }

    pub fn trace_unexpected_anchor(lang: Lang) -> String {
        lang.pick(
            "read trace: unexpected anchor",
            "trace des lectures\u{a0}: ancre inattendue",
        )
        .to_owned()
    }

    /// A failure line, with the missing or altered trigger named after it.
    pub fn also(lang: Lang, line: &str, triggers: &str) -> String {
        lang.pick(
            format!("{line}; also {triggers}"),
            format!("{line}\u{202f}; de plus, {triggers}"),
        )
    }

    pub fn live_match(lang: Lang, n: u64, tables: u64) -> String {
        let rows = rows(lang, n);
        let t = plural(
            lang,
            tables,
            lang.pick("table", "table"),
            lang.pick("tables", "tables"),
        );
        lang.pick(
            format!("live rows match the trail: {rows} in {tables} {t}"),
            format!(
                "les lignes actuelles correspondent au journal\u{a0}: {rows} dans {tables} {t}"
            ),
        )
    }

    pub fn live_mismatch(lang: Lang, table: &str, row: &str, reason: &str) -> String {
        lang.pick(
            format!("live rows do not match the audit trail: table {table}, {row}: {reason}"),
            format!("les lignes actuelles ne correspondent pas au journal d'audit\u{a0}: table {table}, {row}\u{a0}: {reason}"),
        )
    }

    pub fn not_append_only(lang: Lang, triggers: &str) -> String {
        lang.pick(
            format!("{triggers}: the chains verify, but the trail is no longer append-only (dropped or replaced behind the app's back); every write is refused until it is restored exactly as ir-committee creates it (README, Audit trail)"),
            format!("{triggers}\u{a0}: les chaînes se vérifient, mais le journal n'est plus en ajout seul (supprimé ou remplacé à l'insu de l'application)\u{202f}; toute écriture est refusée tant qu'il n'est pas rétabli exactement comme ir-committee le crée (README, Audit trail)"),
        )
    }

    pub fn unkeyed_note(lang: Lang) -> String {
        let s = lang.pick(
            "ir-committee: note: the chains are unkeyed (no audit key is configured): whoever can write the file can recompute every hash; only the head hashes written in the minutes (--anchor) vouch for them",
            "ir-committee\u{a0}: note\u{a0}: les chaînes ne sont pas chiffrées par une clé (aucune clé d'audit n'est configurée)\u{a0}: qui peut écrire le fichier peut recalculer chaque empreinte\u{202f}; seules les empreintes de tête écrites au compte rendu (--anchor) en répondent",
        );
        typo::finish(lang, typo::Medium::Print, s)
    }
}

/// `rules set`: the row and its value now (`shown`), or that it was
/// already so.
pub fn rule_set(lang: Lang, row: &str, shown: &str, changed: bool) -> String {
    let line = match (changed, lang) {
        (true, _) => format!("{row}: {shown}"),
        (false, Lang::En) => format!("{row}: already {shown}, unchanged"),
        (false, Lang::Fr) => format!("{row}\u{a0}: déjà {shown}, inchangé"),
    };
    typo::finish(lang, typo::Medium::Print, &line)
}

/// `rules set --severity` with a word that is not one (the words are the
/// command line's, the same in every language).
pub fn not_a_severity(lang: Lang, typed: &str) -> String {
    let typed = crate::domain::text::sanitize_line(typed);
    match lang {
        Lang::En => format!("'{typed}' is not a severity (blocking, advisory, none)"),
        Lang::Fr => {
            format!("«\u{202f}{typed}\u{202f}» n'est pas une gravité (blocking, advisory ou none)")
        }
    }
}

/// `rules set-risk`.
pub fn technique_risk(
    lang: Lang,
    technique: crate::domain::vocab::Technique,
    risk: crate::domain::vocab::BleedingRisk,
    before: crate::domain::vocab::BleedingRisk,
) -> String {
    use super::Label;
    let (t, r, b) = (technique.label(lang), risk.label(lang), before.label(lang));
    let line = match (risk == before, lang) {
        (true, Lang::En) => format!("{t}: bleeding risk already {r}, unchanged"),
        (true, Lang::Fr) => format!("{t}\u{a0}: risque hémorragique déjà {r}, inchangé"),
        (false, Lang::En) => format!("{t}: bleeding risk {r} (was {b})"),
        (false, Lang::Fr) => format!("{t}\u{a0}: risque hémorragique {r} (auparavant {b})"),
    };
    typo::finish(lang, typo::Medium::Print, &line)
}

/// `users disable`.
pub fn user_disabled(lang: Lang, login: &str) -> String {
    typo::finish(
        lang,
        typo::Medium::Print,
        &lang.pick(
            format!("{login}: disabled"),
            format!("{login}\u{a0}: désactivé"),
        ),
    )
}

/// `audit seal-key`: what was sealed and where.
pub fn sealed(lang: Lang, s: &crate::storage::audit::seal::Sealed) -> String {
    let path = crate::domain::text::sanitize_line(&s.path.display().to_string());
    let (seal, n) = (&s.seal, s.databases as u64);
    let line = match lang {
        Lang::En => format!(
            "{} {path}: audit trail keyed from row {} (hash {}), read trace from row {}; {n} {} sealed there",
            if s.already {
                "already sealed in"
            } else {
                "sealed in"
            },
            seal.audit_from,
            seal.audit_hash,
            seal.reads_from,
            plural(lang, n, "database", "databases"),
        ),
        Lang::Fr => format!(
            "{} {path}\u{a0}: journal d'audit chiffré à partir de la ligne {} (empreinte {}), trace des lectures à partir de la ligne {}\u{202f}; {n} {} là",
            if s.already {
                "déjà scellé dans"
            } else {
                "scellé dans"
            },
            seal.audit_from,
            seal.audit_hash,
            seal.reads_from,
            plural(lang, n, "base scellée", "bases scellées"),
        ),
    };
    typo::finish(lang, typo::Medium::Print, &line)
}
