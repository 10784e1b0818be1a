//! What `audit prune-reads` says, in French and English.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::message::Lang;
use crate::storage::audit::prune::Pruned;

/// `--before` inside the retention period: the latest date allowed.
pub fn prune_too_recent(lang: Lang, before: NaiveDate, latest: NaiveDate, months: u32) -> String {
    match lang {
        Lang::En => format!(
            "the read trace is kept {months} months: --before {before} is too recent; the latest date allowed today is {latest} (nothing was deleted)"
        ),
        Lang::Fr => format!(
            "la trace des consultations est conservée {months} mois\u{a0}: --before {before} est trop récent\u{202f}; la date la plus tardive permise aujourd'hui est le {latest} (rien n'a été supprimé)"
        ),
    }
}

/// The one line of a pruning: the count and the checkpoint, or that there
/// was nothing to remove; and the older rows kept after a newer one.
pub fn pruned(lang: Lang, p: &Pruned, tz: Tz) -> String {
    let when = format!("{} 00:00 {}", p.before, tz.name());
    let mut line = match (lang, &p.removed) {
        (Lang::En, Some(r)) => format!(
            "pruned {} read rows (ids {} to {}, written before {when}); checkpoint: row {}, hash {}",
            r.count, r.first, r.checkpoint.through, r.checkpoint.through, r.checkpoint.hash
        ),
        (Lang::Fr, Some(r)) => format!(
            "{} lignes de la trace des consultations supprimées (n° {} à {}, écrites avant le {when})\u{202f}; point de contrôle\u{a0}: ligne {}, empreinte {}",
            r.count, r.first, r.checkpoint.through, r.checkpoint.through, r.checkpoint.hash
        ),
        (Lang::En, None) => format!(
            "nothing to prune: the read trace does not start with a row written before {when}; nothing was written"
        ),
        (Lang::Fr, None) => format!(
            "rien à supprimer\u{a0}: la trace des consultations ne commence pas par une ligne écrite avant le {when}\u{202f}; rien n'a été écrit"
        ),
    };
    if p.kept_older > 0 {
        line.push_str(&match lang {
            Lang::En => format!(
                "; {} older rows kept after a newer one (the trace is pruned from its start only)",
                p.kept_older
            ),
            Lang::Fr => format!(
                "\u{202f}; {} lignes plus anciennes gardées après une plus récente (la trace n'est élaguée que par son début)",
                p.kept_older
            ),
        });
    }
    line
}
